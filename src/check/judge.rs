//! From a case and its run to a verdict: every check on every step, then the snapshot.

use super::body::check_body;
use super::compare::compare;
use super::redact::Redactor;
use super::reproduce::curl_command;
use super::response::check_response;
use super::snapshot::{render_snapshot, SnapshotMode, SnapshotSet};
use crate::case::{Case, Provenance};
use crate::exchange::CaseRun;
use crate::fixtures::Fixtures;
use crate::spec::schema::SchemaCache;
use crate::spec::Spec;
use crate::verdict::{Failure, FailureDetail, Outcome, Verdict};

/// What the checks need besides the case and its run.
pub struct CheckContext<'a> {
    /// The spec the cases came from.
    pub spec: &'a Spec,
    /// Compiled schemas, shared across cases.
    pub schemas: &'a SchemaCache,
    /// The fixtures of the target (for curl reproductions).
    pub fixtures: &'a Fixtures,
    /// Redaction of volatile values.
    pub redactor: &'a Redactor,
    /// Snapshot handling.
    pub mode: SnapshotMode,
    /// The reference snapshots.
    pub snapshots: &'a SnapshotSet,
    /// How closely an exchange must match its reference snapshot.
    pub compare: crate::verdict::CompareLevel,
    /// Render the normalised exchange even when `mode` is off: a live comparison with a
    /// reference target needs it. Off with `mode` off, it is not rendered at all (it was a
    /// tenth of a run's work, for nothing).
    pub keep_snapshot: bool,
}

/// A verdict and the snapshot text the run produced (to record or to leave as pending).
pub struct Judged {
    /// The verdict.
    pub verdict: Verdict,
    /// The normalised exchange, when the case ran and [`CheckContext::keep_snapshot`] wants it.
    pub snapshot: Option<String>,
}

/// Judges one case.
pub fn judge(case: &Case, run: Option<&CaseRun>, ctx: &CheckContext<'_>) -> Judged {
    let mut verdict = Verdict {
        case_id: case.id.clone(),
        api: case.api,
        resource: case.resource.clone(),
        operation_id: case.operation_id.clone(),
        family: case.family,
        summary: case.summary.clone(),
        outcome: Outcome::Pass,
        failures: Vec::new(),
        reason: None,
        exchanges: Vec::new(),
        reproduce: None,
        elapsed_ms: 0,
        known: None,
    };
    if let Some(reason) = &case.skip {
        verdict.outcome = Outcome::Skipped;
        verdict.reason = Some(reason.clone());
        return Judged {
            verdict,
            snapshot: None,
        };
    }
    let Some(run) = run else {
        verdict.outcome = Outcome::Error;
        verdict.reason = Some("the case was not run".into());
        return Judged {
            verdict,
            snapshot: None,
        };
    };
    verdict.elapsed_ms = run.elapsed_ms;
    verdict.exchanges = run.exchanges.clone();
    for (index, ex) in run.exchanges.iter().enumerate() {
        let Some(step) = case.steps.get(ex.step) else {
            continue;
        };
        match &ex.response {
            Err(e) => {
                verdict.outcome = Outcome::Error;
                verdict.reason = Some(format!("step {index} ({}): {e}", step.label));
                verdict.reproduce = Some(curl_command(&ex.request, ctx.fixtures));
            }
            Ok(received) => {
                let mut failures = check_response(ctx.spec, ctx.schemas, index, step, received);
                if step.expect.status.admits(received.status) {
                    failures.extend(super::implied::check_implied(
                        &step.expect.body,
                        index,
                        &run.exchanges,
                        &run.run_id,
                        &step.expect.provenance,
                    ));
                    failures.extend(check_body(
                        &step.expect.body,
                        index,
                        &run.exchanges,
                        &run.run_id,
                        &step.expect.provenance,
                    ));
                }
                if !failures.is_empty() && verdict.reproduce.is_none() {
                    verdict.reproduce = Some(curl_command(&ex.request, ctx.fixtures));
                }
                verdict.failures.extend(failures);
            }
        }
    }
    let snapshot = (ctx.keep_snapshot || ctx.mode != SnapshotMode::Off)
        .then(|| render_snapshot(case, run, ctx.redactor));
    let verified = ctx.mode == SnapshotMode::Verify && verdict.outcome != Outcome::Error;
    if let Some(snapshot) = snapshot.as_ref().filter(|_| verified) {
        match ctx.snapshots.get(&case.id) {
            Some(reference) => {
                if let Some(drift) =
                    compare(reference, snapshot, ctx.compare, ("reference", "this run"))
                {
                    verdict.failures.push(Failure::new(
                        0,
                        FailureDetail::SnapshotDrift {
                            level: Some(drift.level),
                            diff: Some(drift.diff),
                        },
                        Some(snapshot_provenance(case)),
                    ));
                }
            }
            None => verdict.failures.push(Failure::new(
                0,
                FailureDetail::SnapshotDrift {
                    level: None,
                    diff: None,
                },
                Some(snapshot_provenance(case)),
            )),
        }
    }
    if verdict.outcome != Outcome::Error && !verdict.failures.is_empty() {
        verdict.outcome = Outcome::Fail;
    }
    add_runner_notes(&mut verdict, run);
    Judged { verdict, snapshot }
}

/// What the runner noticed, one line each after the reason (a pass has a reason only then):
/// retries (`retried 2 times (429 Retry-After 1 s)`), a body cut at the size cap, a redirect
/// to another host not followed.
fn add_runner_notes(verdict: &mut Verdict, run: &CaseRun) {
    let mut notes: Vec<String> = run.retry_summary().into_iter().collect();
    notes.extend(run.notes.iter().cloned());
    if notes.is_empty() {
        return;
    }
    let notes = notes.join("\n");
    verdict.reason = Some(match verdict.reason.take() {
        Some(reason) => format!("{reason}\n{notes}"),
        None => notes,
    });
}

fn snapshot_provenance(case: &Case) -> Provenance {
    Provenance::Standard {
        reference: "recorded snapshot".into(),
        text: format!("the reference target's exchange for {}", case.id),
    }
}
