//! One case: its steps in order (each through the pace and the retry policy), stopping at the
//! first that fails, then its cleanup, always, when something may have been written.

use std::time::Instant;

use super::cleanup::{sweep_all, undo_problem};
use super::rate::Purpose;
use super::send::send;
use super::shared::Shared;
use super::step_ref;
use super::undo_log::{is_read, UndoLog};
use super::url::url_for;
use crate::case::substitute;
use crate::case::{Case, Request, Sweep};
use crate::exchange::{CaseRun, Exchange, Retry, SentRequest};

/// What a case's steps left behind.
struct Walked {
    exchanges: Vec<Exchange>,
    retries: Vec<Retry>,
    notes: Vec<String>,
    /// The steps whose request left this process at least once.
    went_out: Vec<bool>,
}

/// Runs one case as `run_id`: its steps, then its cleanup. `written_ahead`: its undo entry is
/// already in the journal.
pub(super) async fn run_case(
    shared: &Shared,
    case: &Case,
    run_id: String,
    written_ahead: bool,
) -> CaseRun {
    let started = Instant::now();
    let mut undo = UndoLog::new(shared.journal.as_deref(), case, &run_id, written_ahead);
    let mut walked = run_steps(shared, case, &run_id, &mut undo).await;
    let cleanup_failures = undo_case(shared, case, &run_id, &mut walked).await;
    // A failed cleanup stays pending in the journal for `jira-conform cleanup`.
    if cleanup_failures.is_empty() {
        if let Err(e) = undo.done() {
            walked.notes.push(e.to_string());
        }
    }
    CaseRun {
        case_id: case.id.clone(),
        run_id,
        exchanges: walked.exchanges,
        elapsed_ms: started.elapsed().as_millis() as u64,
        cleanup_failures,
        retries: walked.retries,
        notes: walked.notes,
    }
}

/// Sends the steps in order, the undo requests journaled before the first write; stops after
/// the first step that got no answer or could not be sent.
async fn run_steps(shared: &Shared, case: &Case, run_id: &str, undo: &mut UndoLog<'_>) -> Walked {
    let mut walked = Walked {
        exchanges: Vec::new(),
        retries: Vec::new(),
        notes: Vec::new(),
        went_out: vec![false; case.steps.len()],
    };
    let exchanges = &mut walked.exchanges;
    for (step, s) in case.steps.iter().enumerate() {
        let request = substitute(&s.request, run_id);
        let Some(request) = step_ref::resolve(&request, exchanges) else {
            exchanges.push(not_sent(
                shared,
                step,
                &request,
                "not sent: it names a value an earlier step did not return".into(),
            ));
            break;
        };
        // The undo requests are on disk before the first request that may create something.
        if let Err(e) = undo.before(&request).await {
            exchanges.push(not_sent(shared, step, &request, format!("not sent: {e}")));
            break;
        }
        let sent = send(shared, Purpose::Step(step), &request).await;
        walked.went_out[step] = sent.went_out;
        let stop = sent.exchange.response.is_err();
        exchanges.push(sent.exchange);
        walked.retries.extend(sent.retries);
        walked.notes.extend(sent.notes);
        undo.after(exchanges).await;
        if stop {
            break;
        }
    }
    walked
}

/// Sends the case's cleanup when something may have been written, and sweeps for what a lost
/// answer named; the failures (its retries join the case's).
async fn undo_case(shared: &Shared, case: &Case, run_id: &str, walked: &mut Walked) -> Vec<String> {
    let wrote = wrote(case, walked);
    let mut cleanup_failures = Vec::new();
    let mut lost = Vec::new();
    for c in case.cleanup.iter().filter(|_| wrote) {
        let request = substitute(c, run_id);
        let Some(request) = step_ref::resolve(&request, &walked.exchanges) else {
            // No id to delete by: either the step refused (nothing was created) or its answer
            // was lost (something may have been).
            if answer_lost(&request, &walked.exchanges, &walked.went_out) {
                lost.push(request);
            }
            continue;
        };
        let sent = send(shared, Purpose::Cleanup, &request).await;
        walked.retries.extend(sent.retries);
        cleanup_failures.extend(undo_problem(&sent.exchange));
    }
    if !lost.is_empty() {
        let sweeps: Vec<Sweep> = case.sweeps.clone();
        cleanup_failures.extend(sweep_all(shared, &sweeps, run_id, &lost).await);
    }
    cleanup_failures
}

/// Whether the case may have changed something. A case none of whose writing steps went out,
/// or whose every write the target refused (4xx), changed nothing: there is nothing to undo
/// (and its cleanup must not spend the budget or the deadline's grace, nor fail on what a
/// refused write never made).
fn wrote(case: &Case, walked: &Walked) -> bool {
    let refused_step = |step: usize| {
        walked
            .exchanges
            .iter()
            .find(|e| e.step == step)
            .is_some_and(|e| matches!(&e.response, Ok(r) if (400..500).contains(&r.status)))
    };
    case.steps
        .iter()
        .zip(&walked.went_out)
        .enumerate()
        .any(|(step, (s, out))| *out && !is_read(&s.request.method) && !refused_step(step))
}

/// Whether a request names a value of a step that went out and whose answer did not say
/// "refused": a transport failure after sending (timeout, reset), or a success without the
/// value. Then the target may have created what the answer would have named.
fn answer_lost(request: &Request, exchanges: &[Exchange], went_out: &[bool]) -> bool {
    crate::case::referenced_steps(&request.path)
        .into_iter()
        .any(|step| {
            went_out.get(step).copied().unwrap_or(false)
                && exchanges
                    .iter()
                    .find(|e| e.step == step)
                    .is_some_and(|e| match &e.response {
                        Err(_) => true,
                        Ok(r) => (200..300).contains(&r.status),
                    })
        })
}

/// An exchange for a request that was not sent, and why.
fn not_sent(shared: &Shared, step: usize, request: &Request, why: String) -> Exchange {
    Exchange {
        step,
        request: SentRequest {
            method: request.method.clone(),
            url: url_for(shared.base.as_str(), request),
            actor: request.actor.to_string(),
            content_type: None,
            body: None,
        },
        response: Err(why),
    }
}
