//! A whole run: start the target, preflight, send, judge every case, keep the snapshots.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Instant;

use super::live::{send, Sent};
use super::snapshots::SnapshotPlan;
use super::target::{check_target, start_target};
use super::{Config, Leftovers, Prepared};
use crate::case::Case;
use crate::check::{
    judge, write_snapshot, CheckContext, Judged, Redactor, SnapshotMode, SnapshotSet,
};
use crate::exchange::CaseRun;
use crate::run::preflight::Preflight;
use crate::run::scrub::Scrubber;
use crate::spec::schema::SchemaCache;
use crate::verdict::{RunReport, Verdict};
use crate::Error;

/// What a run produced.
pub struct RunOutput {
    /// The verdicts and what they are about.
    pub report: RunReport,
    /// Where snapshots were written, and how many (recorded or pending review).
    pub snapshots_written: Option<(PathBuf, usize)>,
    /// The normalised exchange of every case that ran, by id, when the run compared with an
    /// in-memory reference (a `diff`); empty otherwise.
    pub texts: SnapshotSet,
    /// What the run could not undo, still in its journal (`None`: nothing is left).
    pub leftovers: Option<Leftovers>,
}

/// Runs the prepared cases against the target and judges them. `progress` is called as each
/// case finishes.
pub async fn run_suite(
    config: &Config,
    prepared: &Prepared,
    progress: Arc<dyn Fn(&CaseRun) + Send + Sync>,
) -> Result<RunOutput, Error> {
    let started = Instant::now();
    let target = start_target(config, &prepared.fixtures).await?;
    let mut output = judge_run(config, prepared, &target.base_url, progress, started).await;
    // The embedded mock's address dies with the run: reproductions name it `$JIRA_BASE`.
    if let (Some(_), Ok(output)) = (&target.mock, &mut output) {
        for verdict in &mut output.report.verdicts {
            if let Some(command) = &verdict.reproduce {
                verdict.reproduce =
                    Some(crate::check::with_base_variable(command, &target.base_url));
            }
        }
    }
    target.stop().await;
    output
}

/// Preflight, send and judge against a started target.
async fn judge_run(
    config: &Config,
    prepared: &Prepared,
    base_url: &str,
    progress: Arc<dyn Fn(&CaseRun) + Send + Sync>,
    started: Instant,
) -> Result<RunOutput, Error> {
    let fixtures = &prepared.fixtures;
    // One scrubber for the preflight and the run: building one compiles a large pattern.
    let scrubber = Scrubber::new(fixtures);
    let preflight = check_target(config, prepared, base_url, &scrubber, false).await?;
    let cases = served_cases(&prepared.cases, &preflight);
    let snapshots = SnapshotPlan::new(config, fixtures)?;
    let schemas = SchemaCache::new();
    let redactor = Redactor::new(base_url, fixtures);
    let ctx = CheckContext {
        spec: &prepared.spec,
        schemas: &schemas,
        fixtures,
        redactor: &redactor,
        mode: snapshots.mode,
        snapshots: &snapshots.stored,
        compare: config.compare_level(),
        keep_snapshot: config.reference.is_some(),
    };
    let mut sent = send(config, &cases, fixtures, scrubber, base_url, progress, &ctx).await?;
    let leftovers = sent.leftovers.take();
    let staging = snapshots.stage(config.selection.is_everything())?;
    let judged = judge_all(config, &cases, sent, &ctx, &snapshots, staging.as_deref())?;
    if let Some(staging) = &staging {
        snapshots.commit(staging)?;
    }
    let mut verdicts = judged.verdicts;
    crate::check::apply_not_served(&mut verdicts);
    crate::check::apply_known(&mut verdicts, &fixtures.known_deviations);
    Ok(RunOutput {
        report: RunReport {
            profile: fixtures.profile.clone(),
            target: base_url.to_string(),
            spec: prepared.spec.source.clone(),
            elapsed_ms: started.elapsed().as_millis() as u64,
            snapshots_verified: snapshots.mode == SnapshotMode::Verify,
            verdicts,
            partition: config.selection.partition,
        },
        snapshots_written: (judged.written > 0).then_some((snapshots.dir, judged.written)),
        texts: judged.texts,
        leftovers,
    })
}

/// The cases, those of an API version the target does not serve skipped with the preflight's
/// reason.
fn served_cases(cases: &Arc<[Case]>, preflight: &Preflight) -> Arc<[Case]> {
    if preflight.left_out.is_empty() {
        return cases.clone();
    }
    cases
        .iter()
        .map(|c| match (&c.skip, preflight.skip_reason(c.api)) {
            (None, Some(reason)) => Case {
                skip: Some(reason),
                ..c.clone()
            },
            _ => c.clone(),
        })
        .collect()
}

/// Every case's verdict, and the snapshots the run wrote or keeps in memory.
struct JudgedAll {
    verdicts: Vec<Verdict>,
    written: usize,
    texts: SnapshotSet,
}

/// Judges each case (or takes the verdict judged on the way) and writes its snapshot where
/// the mode says. Each run is dropped once judged: the bodies are not held twice (run and
/// verdict).
fn judge_all(
    config: &Config,
    cases: &[Case],
    sent: Sent,
    ctx: &CheckContext<'_>,
    snapshots: &SnapshotPlan,
    staging: Option<&Path>,
) -> Result<JudgedAll, Error> {
    let Sent {
        runs,
        mut early,
        stopped,
        ..
    } = sent;
    let mut all = JudgedAll {
        verdicts: Vec::with_capacity(cases.len()),
        written: 0,
        texts: SnapshotSet::new(),
    };
    for (index, (case, run)) in cases.iter().zip(runs).enumerate() {
        let judged = match early.get_mut(index).and_then(Option::take) {
            Some(judged) => judged,
            None if stopped && run.is_none() && case.skip.is_none() => not_run(config, case, ctx),
            None => judge(case, run.as_ref(), ctx),
        };
        if let Some(text) = &judged.snapshot {
            if let Some(pending) = snapshot_write(config, snapshots, case, text) {
                let into = staging.unwrap_or(&snapshots.dir);
                write_snapshot(into, &case.id, text, pending).map_err(|e| snapshots.error(e))?;
                all.written += 1;
            }
            if config.reference.is_some() {
                all.texts.insert(case.id.clone(), text.clone());
            }
        }
        all.verdicts.push(judged.verdict);
    }
    Ok(all)
}

/// The verdict on a case the run never started because it stopped after `--max-fail`.
fn not_run(config: &Config, case: &Case, ctx: &CheckContext<'_>) -> Judged {
    let skipped = Case {
        skip: Some(format!(
            "not run: the run stopped once {} cases had failed (--max-fail / --fail-fast)",
            config.max_fail.unwrap_or(0)
        )),
        ..case.clone()
    };
    judge(&skipped, None, ctx)
}

/// Whether a case's snapshot is written: `Some(false)` as a reference (a record),
/// `Some(true)` as pending review (new or changed while verifying), `None` not at all.
fn snapshot_write(
    config: &Config,
    snapshots: &SnapshotPlan,
    case: &Case,
    text: &str,
) -> Option<bool> {
    match snapshots.mode {
        SnapshotMode::Record => Some(false),
        // The reference set of another profile (or target) is read, never written.
        SnapshotMode::Verify if config.against.is_some() || config.reference.is_some() => None,
        SnapshotMode::Verify
            if snapshots.stored.get(&case.id).map(String::as_str) != Some(text) =>
        {
            Some(true)
        }
        _ => None,
    }
}
