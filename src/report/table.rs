//! The table of outcomes per resource and family, shared by the terminal and HTML reports:
//! which outcome columns a run shows, and the rows with their counts.

use std::collections::BTreeMap;

use super::style::clean_line;
use crate::case::{Api, Family};
use crate::verdict::{Outcome, RunReport};

/// Outcome counts of a group of verdicts, in [`Outcome::ALL`] order.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(super) struct Counts([usize; 7]);

impl Counts {
    fn add(&mut self, outcome: Outcome) {
        self.0[outcome_index(outcome)] += 1;
    }

    /// The count of one outcome.
    pub(super) fn get(&self, outcome: Outcome) -> usize {
        self.0[outcome_index(outcome)]
    }

    /// The count of every outcome.
    pub(super) fn total(&self) -> usize {
        self.0.iter().sum()
    }
}

/// Position of an outcome in [`Outcome::ALL`].
fn outcome_index(outcome: Outcome) -> usize {
    match outcome {
        Outcome::Pass => 0,
        Outcome::Fail => 1,
        Outcome::Error => 2,
        Outcome::Skipped => 3,
        Outcome::Known => 4,
        Outcome::NowConforms => 5,
        Outcome::NotServed => 6,
    }
}

/// The outcome columns of the table: the known-deviation and not-served columns appear only in
/// runs that have some.
pub(super) fn shown_outcomes(report: &RunReport) -> Vec<Outcome> {
    Outcome::ALL
        .into_iter()
        .filter(|o| {
            !matches!(
                o,
                Outcome::Known | Outcome::NowConforms | Outcome::NotServed
            ) || report.count(*o) > 0
        })
        .collect()
}

/// One row of the summary table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Row {
    /// `v3::user_properties`, or an indented family name, or `total`.
    pub(super) label: String,
    /// The outcome counts of the row.
    pub(super) counts: Counts,
    /// Resource and total rows stand out from family rows.
    pub(super) strong: bool,
}

/// The table rows: per `api::resource` a subtotal row, then one row per family present (in
/// [`Family::ALL`] order), then the total.
pub(super) fn table_rows(report: &RunReport) -> Vec<Row> {
    // The key is API then resource, so v2 and v3 of one resource sit next to each other and the
    // order does not depend on the order cases ran in.
    let mut groups: BTreeMap<(Api, &str), BTreeMap<Family, Counts>> = BTreeMap::new();
    let mut total = Counts::default();
    for v in &report.verdicts {
        let families = groups.entry((v.api, v.resource.as_str())).or_default();
        families.entry(v.family).or_default().add(v.outcome);
        total.add(v.outcome);
    }
    let mut rows = Vec::new();
    for ((api, resource), families) in &groups {
        let mut subtotal = Counts::default();
        for counts in families.values() {
            for (i, n) in counts.0.iter().enumerate() {
                subtotal.0[i] += n;
            }
        }
        rows.push(Row {
            label: clean_line(&format!("{api}::{resource}")),
            counts: subtotal,
            strong: true,
        });
        // `Family` orders like `Family::ALL`, so the map's order is the report order.
        for (family, counts) in families {
            rows.push(Row {
                label: format!("  {family}"),
                counts: *counts,
                strong: false,
            });
        }
    }
    rows.push(Row {
        label: "total".to_owned(),
        counts: total,
        strong: true,
    });
    rows
}
