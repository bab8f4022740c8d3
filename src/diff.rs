//! A live differential run: the same cases against two targets, compared exchange by exchange
//! after normalisation (the snapshot text: status, content type, body with ids, accounts, run
//! prefixes and timestamps replaced by names). No snapshots are read or written. Cases pair up
//! by id, so two fixtures files that use the same principal names and entity labels compare
//! case by case even where their ids differ.

use std::sync::Arc;

use crate::check::{render_snapshot, Redactor};
use crate::suite::{execute_cases, run_suite, Config, Executed, Leftovers, Prepared};
use crate::verdict::{CompareLevel, RunReport};
use crate::Error;

/// The data a differential run produces lives with the verdicts, where the report reads it.
pub use crate::verdict::{DiffReport, Disagreement};

/// A differential run: the comparison, and target B's run as `run` would report it (its
/// verdicts on the documentation, with target A's answers as the reference snapshots), for
/// the report files.
pub struct DiffOutput {
    /// The comparison.
    pub diff: DiffReport,
    /// Target B's verdicts.
    pub report: RunReport,
}

/// The normalised snapshot text of every case that ran, by id.
type Side = (
    String,
    std::collections::BTreeMap<String, String>,
    Option<Leftovers>,
);

async fn side(config: &Config, prepared: &Prepared) -> Result<Side, Error> {
    let Executed {
        base_url,
        runs,
        leftovers,
    } = execute_cases(config, prepared, Arc::new(|_| {})).await?;
    let redactor = Redactor::new(&base_url, &prepared.fixtures);
    let texts = prepared
        .cases
        .iter()
        .zip(&runs)
        .filter_map(|(case, run)| {
            let run = run.as_ref()?;
            Some((case.id.clone(), render_snapshot(case, run, &redactor)))
        })
        .collect();
    Ok((base_url, texts, leftovers))
}

/// Runs the prepared cases of each side against its target and compares them.
pub async fn run_diff(
    a: (&Config, &Prepared),
    b: (&Config, &Prepared),
) -> Result<DiffReport, Error> {
    Ok(run_diff_full(a, b).await?.diff)
}

/// [`run_diff`], with target B's verdicts: A runs first, and its answers are B's reference.
pub async fn run_diff_full(
    a: (&Config, &Prepared),
    b: (&Config, &Prepared),
) -> Result<DiffOutput, Error> {
    let (target_a, texts_a, left_a) = side(a.0, a.1).await?;
    let config_b = Config {
        reference: Some(Arc::new(texts_a.clone())),
        snapshots: crate::SnapshotChoice::Verify,
        ..b.0.clone()
    };
    let output = run_suite(&config_b, b.1, Arc::new(|_| {})).await?;
    let level = config_b.compare_level();
    let mut diff = compare(
        a.1,
        &texts_a,
        &output.texts,
        target_a,
        output.report.target.clone(),
        level,
    );
    diff.leftovers = left_a.into_iter().chain(output.leftovers).collect();
    Ok(DiffOutput {
        diff,
        report: output.report,
    })
}

/// The pure comparison of two sides' normalised texts at `level`.
pub fn compare(
    a: &Prepared,
    texts_a: &std::collections::BTreeMap<String, String>,
    texts_b: &std::collections::BTreeMap<String, String>,
    target_a: String,
    target_b: String,
    level: CompareLevel,
) -> DiffReport {
    let mut report = DiffReport {
        target_a,
        target_b,
        level,
        agreeing: 0,
        disagreements: Vec::new(),
        only_a: Vec::new(),
        only_b: texts_b
            .keys()
            .filter(|id| !texts_a.contains_key(*id))
            .cloned()
            .collect(),
        leftovers: Vec::new(),
    };
    for case in a.cases.iter() {
        let Some(text_a) = texts_a.get(&case.id) else {
            continue;
        };
        let Some(text_b) = texts_b.get(&case.id) else {
            report.only_a.push(case.id.clone());
            continue;
        };
        match crate::check::compare::compare(text_a, text_b, level, ("target A", "target B")) {
            None => report.agreeing += 1,
            Some(drift) => report.disagreements.push(Disagreement {
                case_id: case.id.clone(),
                resource: format!("{}::{}", case.api, case.resource),
                family: case.family,
                level: drift.level,
                diff: drift.diff,
            }),
        }
    }
    report
}
