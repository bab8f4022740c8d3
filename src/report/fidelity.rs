//! How faithful the target is, per resource: the share of judged cases that agree with the
//! documentation and, when snapshots were verified, with the reference; operations not served
//! counted apart. Pure: verdicts in, table out. Every report opens with it.

use std::collections::BTreeMap;

use serde::Serialize;

use crate::case::Api;
use crate::verdict::{FailureKind, Outcome, RunReport, Verdict};

/// One row of the fidelity table.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FidelityRow {
    /// `v3::user_properties`, or `total`.
    pub resource: String,
    /// Cases judged: run to the end and served (pass, fail, known, now conforming).
    pub judged: usize,
    /// Judged cases with no departure from the documentation (snapshot drift aside).
    pub agree_documentation: usize,
    /// Judged cases that agree with the reference snapshot; `None` when none were compared.
    pub agree_reference: Option<usize>,
    /// Operations the target does not serve.
    pub not_served_operations: usize,
    /// Cases of those operations.
    pub not_served_cases: usize,
}

impl FidelityRow {
    /// `agree / judged` as a whole percentage, `None` when nothing was judged.
    pub fn share(agree: usize, judged: usize) -> Option<u32> {
        // Rounded down, so a single departure never shows as 100 %.
        (judged > 0).then(|| ((agree * 100) / judged) as u32)
    }
}

/// The rows per `api::resource` (API, then resource name), then the total.
pub fn fidelity(report: &RunReport) -> Vec<FidelityRow> {
    let verified = report.snapshots_verified;
    let mut groups: BTreeMap<(Api, &str), Vec<&Verdict>> = BTreeMap::new();
    for v in &report.verdicts {
        groups
            .entry((v.api, v.resource.as_str()))
            .or_default()
            .push(v);
    }
    let mut rows: Vec<FidelityRow> = groups
        .iter()
        .map(|((api, resource), verdicts)| row(format!("{api}::{resource}"), verdicts, verified))
        .collect();
    let all: Vec<&Verdict> = report.verdicts.iter().collect();
    rows.push(row("total".into(), &all, verified));
    rows
}

fn row(resource: String, verdicts: &[&Verdict], verified: bool) -> FidelityRow {
    let judged: Vec<&&Verdict> = verdicts
        .iter()
        .filter(|v| {
            matches!(
                v.outcome,
                Outcome::Pass | Outcome::Fail | Outcome::Known | Outcome::NowConforms
            )
        })
        .collect();
    let drifts = |v: &Verdict| {
        v.failures
            .iter()
            .any(|f| f.kind == FailureKind::SnapshotDrift)
    };
    let departs = |v: &Verdict| {
        v.failures
            .iter()
            .any(|f| f.kind != FailureKind::SnapshotDrift)
    };
    // An operation is one per API version: v2 and v3 of one id are two routes.
    let mut not_served_ops: Vec<(Api, &str)> = verdicts
        .iter()
        .filter(|v| v.outcome == Outcome::NotServed)
        .map(|v| (v.api, v.operation_id.as_str()))
        .collect();
    let not_served_cases = not_served_ops.len();
    not_served_ops.sort_unstable();
    not_served_ops.dedup();
    FidelityRow {
        resource,
        judged: judged.len(),
        // A failed case without any recorded failure still departs.
        agree_documentation: judged
            .iter()
            .filter(|v| !(departs(v) || v.failures.is_empty() && v.outcome == Outcome::Fail))
            .count(),
        agree_reference: verified.then(|| judged.iter().filter(|v| !drifts(v)).count()),
        not_served_operations: not_served_ops.len(),
        not_served_cases,
    }
}

/// The fidelity table as the document formats lay it out: the header and one row of cells per
/// resource, then the total; the reference column only when snapshots were verified, the
/// not-served column only when some operation is not served.
pub(super) fn fidelity_cells(report: &RunReport) -> (Vec<&'static str>, Vec<Vec<String>>) {
    let rows = fidelity(report);
    let share = |agree: usize, judged: usize| match FidelityRow::share(agree, judged) {
        Some(p) => format!("{agree}/{judged} ({p} %)"),
        None => "–".to_owned(),
    };
    let not_served = rows.iter().any(|r| r.not_served_operations > 0);
    let mut header = vec!["resource", "agrees with the documentation"];
    if report.snapshots_verified {
        header.push("agrees with the reference");
    }
    if not_served {
        header.push("not served");
    }
    let cells = rows
        .iter()
        .map(|row| {
            let mut cells = vec![
                row.resource.clone(),
                share(row.agree_documentation, row.judged),
            ];
            if report.snapshots_verified {
                cells.push(
                    row.agree_reference
                        .map_or_else(|| "–".to_owned(), |a| share(a, row.judged)),
                );
            }
            if not_served {
                cells.push(match row.not_served_operations {
                    0 => "–".to_owned(),
                    1 => format!("1 operation ({} cases)", row.not_served_cases),
                    n => format!("{n} operations ({} cases)", row.not_served_cases),
                });
            }
            cells
        })
        .collect();
    (header, cells)
}

/// One operation the target does not serve.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct NotServed {
    /// API version.
    pub api: Api,
    /// Resource.
    pub resource: String,
    /// The operation.
    pub operation_id: String,
    /// How many of its cases there were.
    pub cases: usize,
    /// Why it reads as not served.
    pub reason: String,
}

/// Every operation with not-served cases, once, in API, resource and operation order.
pub fn not_served(report: &RunReport) -> Vec<NotServed> {
    let mut ops: BTreeMap<(Api, &str, &str), NotServed> = BTreeMap::new();
    for v in report
        .verdicts
        .iter()
        .filter(|v| v.outcome == Outcome::NotServed)
    {
        ops.entry((v.api, v.resource.as_str(), v.operation_id.as_str()))
            .or_insert_with(|| NotServed {
                api: v.api,
                resource: v.resource.clone(),
                operation_id: v.operation_id.clone(),
                cases: 0,
                reason: v.reason.clone().unwrap_or_default(),
            })
            .cases += 1;
    }
    ops.into_values().collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::sample;

    #[test]
    fn shares_per_resource_count_drift_apart_from_departures() {
        let report = sample::report();
        let rows = fidelity(&report);
        let names: Vec<&str> = rows.iter().map(|r| r.resource.as_str()).collect();
        assert_eq!(names.last(), Some(&"total"));
        let total = rows.last().unwrap();
        // 4 passed, 2 failed, 1 known, 1 now conforming are judged; error and skips are not.
        assert_eq!(total.judged, 8);
        // The passes and the now-conforming case agree; the failures and the known one do not.
        assert_eq!(total.agree_documentation, 5);
        // Only the drift case drifts.
        assert_eq!(total.agree_reference, Some(7));
        assert_eq!(FidelityRow::share(5, 8), Some(62));
        assert_eq!(FidelityRow::share(0, 0), None);
        let mut unverified = report.clone();
        unverified.snapshots_verified = false;
        assert_eq!(fidelity(&unverified).last().unwrap().agree_reference, None);
    }

    #[test]
    fn one_operation_id_in_two_api_versions_is_two_operations() {
        let mut report = sample::report();
        let mut v2 = report
            .verdicts
            .iter()
            .find(|v| v.outcome == Outcome::NotServed)
            .cloned()
            .unwrap();
        v2.api = Api::V2;
        report.verdicts.push(v2);
        let total = fidelity(&report).pop().unwrap();
        assert_eq!(total.not_served_operations, 2);
        assert_eq!(not_served(&report).len(), 2);
    }

    #[test]
    fn not_served_operations_are_counted_once_and_not_judged() {
        let mut report = sample::report();
        for v in &mut report.verdicts {
            if v.resource == "issue_properties" {
                v.outcome = Outcome::NotServed;
            }
        }
        let ops = not_served(&report);
        assert!(!ops.is_empty());
        let rows = fidelity(&report);
        let row = rows
            .iter()
            .find(|r| r.resource == "v3::issue_properties")
            .unwrap();
        assert_eq!(row.judged, 0);
        assert_eq!(row.not_served_operations, ops.len());
        assert_eq!(
            row.not_served_cases,
            ops.iter().map(|o| o.cases).sum::<usize>()
        );
    }
}
