//! Cleaning up: the undo of one case's writes is judged here ([`undo_problem`]), what a lost
//! answer named is found by the case's sweeps ([`sweep_all`]), and `jira-conform cleanup`
//! sends the undo requests a journal leaves unfinished ([`clean_up`]).

use std::io;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use super::auth::AuthHeaders;
use super::body_cap::BodyBudget;
use super::journal::{self, Entry, Journal, JournalError, PendingCase};
use super::options::{RunOptions, Traffic};
use super::rate::{Pace, Purpose};
use super::retry::{Jitter, RetryPolicy};
use super::scrub::Scrubber;
use super::send::send;
use super::shared::{build_client, Shared};
use super::url::path_of;
use super::url::BaseUrl;
use crate::case::substitute;
use crate::case::{Request, Sweep, SWEEP_ID};
use crate::exchange::Exchange;
use crate::fixtures::Fixtures;

/// What `jira-conform cleanup` did with one unfinished case of a journal.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CleanedCase {
    /// The case id.
    pub case: String,
    /// Verified clean: every undo request answered 2xx or 404, and every sweep found nothing
    /// left with the case's run id. A case that is not is left in the journal.
    pub clean: bool,
    /// What went wrong, one line per request (no credential, no query string).
    pub problems: Vec<String>,
}

/// What [`clean_up`] did with a journal.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Cleaned {
    /// Each unfinished case, in the order the journal lists them.
    pub cases: Vec<CleanedCase>,
    /// Lines of the journal that are not entries (torn writes): 1-based line and why; skipped.
    pub skipped: Vec<(usize, String)>,
}

impl Cleaned {
    /// The cases still pending (not verified clean).
    pub fn left(&self) -> usize {
        self.cases.iter().filter(|c| !c.clean).count()
    }
}

/// Sends the undo requests of every case the journal at `journal` leaves unfinished, and
/// marks the cases it cleaned done. An undo request that still names a value the target never
/// returned (a create whose answer was lost) cannot be sent: the case's sweeps find what it
/// created by its run-prefixed name instead; without a sweep the case is reported and kept.
/// Requests are retried as `retry` says. `within` bounds the whole cleanup (the time, and what
/// to call it in messages): requests
/// stop when it has passed, and what is left stays in the journal.
pub async fn clean_up(
    journal: &Journal,
    base_url: &str,
    fixtures: &Fixtures,
    options: &RunOptions,
    retry: &RetryPolicy,
    within: Option<(Duration, String)>,
) -> Result<Cleaned, JournalError> {
    // What the run queued (its "done" marks) is on disk before the file is read.
    journal.sync()?;
    let contents = journal::read(journal.path())?;
    let client = build_client(options).map_err(|e| JournalError::Io {
        file: journal.path().display().to_string(),
        source: io::Error::other(format!("cannot build the HTTP client: {e}")),
    })?;
    let traffic = Traffic::default();
    let shared = Shared {
        client,
        base: BaseUrl::new(base_url),
        fixtures: fixtures.clone(),
        auth: AuthHeaders::new(fixtures),
        timeout: options.timeout,
        retry: retry.clone(),
        pace: Arc::new(match within {
            Some((time, what)) => Pace::cleanup_window(traffic.clock.clone(), time, what),
            None => Pace::new(traffic.clock.clone(), None, None, None),
        }),
        jitter: Arc::new(Mutex::new(Jitter::new(0))),
        journal: None,
        scrubber: Scrubber::new(fixtures),
        bodies: Arc::new(BodyBudget::default()),
        requests: None,
    };
    let mut out = Vec::new();
    for pending in contents.pending {
        let problems = undo_pending(&shared, &pending).await;
        let clean = problems.is_empty();
        if clean {
            journal.append(&Entry::Done {
                case: pending.case.clone(),
            })?;
        }
        out.push(CleanedCase {
            case: pending.case,
            clean,
            problems,
        });
    }
    Ok(Cleaned {
        cases: out,
        skipped: contents.skipped,
    })
}

/// Sends the undo requests of one unfinished case of a journal, and sweeps for what a lost
/// answer named; the problems (empty: verified clean).
async fn undo_pending(shared: &Shared, pending: &PendingCase) -> Vec<String> {
    let mut problems = Vec::new();
    let mut lost = false;
    for request in &pending.cleanup {
        if request.path.contains("{{step:") {
            lost = true;
            continue;
        }
        let sent = send(shared, Purpose::Cleanup, request).await;
        if let Some(problem) = undo_problem(&sent.exchange) {
            problems.push(problem);
        }
    }
    if lost {
        problems.extend(sweep_all(shared, &pending.sweeps, &pending.run, &pending.cleanup).await);
    }
    problems
}

/// Why an undo exchange did not undo (2xx and 404, already gone, are fine).
pub(super) fn undo_problem(ex: &Exchange) -> Option<String> {
    match &ex.response {
        Ok(r) if (200..300).contains(&r.status) || r.status == 404 => None,
        Ok(r) => Some(format!(
            "{} {} → {}",
            ex.request.method,
            path_of(&ex.request.url),
            r.status
        )),
        Err(e) => Some(format!(
            "{} {} → {e}",
            ex.request.method,
            path_of(&ex.request.url)
        )),
    }
}

/// Runs every sweep of a case whose undo requests named a value never returned; the problems
/// (empty: verified, nothing of the case is left). Without a sweep, nothing can find what the
/// lost answer named: that is a problem too, never "nothing is left".
pub(super) async fn sweep_all(
    shared: &Shared,
    sweeps: &[Sweep],
    run_id: &str,
    cleanup: &[Request],
) -> Vec<String> {
    if sweeps.is_empty() {
        return cleanup
            .iter()
            .filter(|r| r.path.contains("{{step:"))
            .map(|r| {
                format!(
                    "{} {}: names a value the target never returned (the answer was lost), and \
                     the case has no way to find what it created: check the target by hand",
                    r.method, r.path
                )
            })
            .collect();
    }
    let mut problems = Vec::new();
    for sweep in sweeps {
        if let Err(e) = sweep_one(shared, sweep, run_id).await {
            problems.push(e);
        }
    }
    problems
}

/// One sweep: lists, deletes every entity whose name starts with `run_id`, and lists again to
/// verify none is left. `Err` says what could not be done or what is still there.
async fn sweep_one(shared: &Shared, sweep: &Sweep, run_id: &str) -> Result<(), String> {
    let list = substitute(&sweep.list, run_id);
    let what = format!("sweep {} {}", list.method, list.path);
    let found = |ex: &Exchange| found_by_run(ex, sweep, run_id, &what);
    let listed = send(shared, Purpose::Cleanup, &list).await;
    let matches = found(&listed.exchange)?;
    if matches.is_empty() {
        return Ok(());
    }
    let mut problems = Vec::new();
    for (name, id) in &matches {
        let mut delete = substitute(&sweep.delete, run_id);
        delete.path = delete
            .path
            .replace(SWEEP_ID, &crate::case::encode_segment(id));
        let sent = send(shared, Purpose::Cleanup, &delete).await;
        if let Some(p) = undo_problem(&sent.exchange) {
            problems.push(format!("{p} (found {name:?} by its name)"));
        }
    }
    if !problems.is_empty() {
        return Err(problems.join("; "));
    }
    // Verified: a second listing shows none of them.
    let again = send(shared, Purpose::Cleanup, &list).await;
    let still = found(&again.exchange)?;
    if still.is_empty() {
        Ok(())
    } else {
        let names: Vec<&str> = still.iter().map(|(n, _)| n.as_str()).collect();
        Err(format!(
            "{what}: still listed after being deleted: {}",
            names.join(", ")
        ))
    }
}

/// The entities a sweep's listing names with `run_id` at the start of their name: (name, id).
/// `Err` when the listing failed or does not read as the sweep says.
fn found_by_run(
    ex: &Exchange,
    sweep: &Sweep,
    run_id: &str,
    what: &str,
) -> Result<Vec<(String, String)>, String> {
    let r = match &ex.response {
        Ok(r) if (200..300).contains(&r.status) => r,
        Ok(r) => return Err(format!("{what} → {}", r.status)),
        Err(e) => return Err(format!("{what} → {e}")),
    };
    let body = r
        .json()
        .ok_or_else(|| format!("{what}: the answer is not JSON"))?;
    let items = body
        .pointer(&sweep.items)
        .and_then(|v| v.as_array())
        .ok_or_else(|| format!("{what}: no array at {:?} of the answer", sweep.items))?;
    let mut out = Vec::new();
    for item in items {
        let Some(name) = item.pointer(&sweep.name).and_then(|v| v.as_str()) else {
            continue;
        };
        if !name.trim().starts_with(run_id) {
            continue;
        }
        let id = match item.pointer(&sweep.id) {
            Some(serde_json::Value::String(s)) => s.clone(),
            Some(serde_json::Value::Number(n)) => n.to_string(),
            _ => return Err(format!("{what}: {name:?} has no id at {}", sweep.id)),
        };
        out.push((name.to_string(), id));
    }
    Ok(out)
}
