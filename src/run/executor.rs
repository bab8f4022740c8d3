//! Sends cases: steps in order within a case, cases in parallel up to a bound, cleanup always.
//!
//! One function per concern: `execute_with` sets the run up, `run_case` walks a case's steps
//! and cleanup, `send` takes one request through the pace and the retry policy, `attempt` is
//! one HTTP exchange, `read_body` reads a body up to the cap, `describe` puts a transport
//! failure in words.

use std::error::Error as _;
use std::io;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use tokio::sync::Semaphore;
use tokio::task::JoinSet;

use super::auth::authorization;
use super::journal::{Entry, Journal, JournalError};
use super::journal_ahead::JournalAhead;
use super::rate::{Clock, Pace, Purpose, TokioClock};
use super::retry::{self, human, Decision, Jitter, RetryPolicy, Signal};
use super::run_id::case_run_id;
use super::scrub::Scrubber;
use crate::case::substitute;
use crate::case::{Body, Case, Request, Sweep, SWEEP_ID};
use crate::exchange::{CaseRun, Exchange, Received, Retry, SentRequest};
use crate::fixtures::Fixtures;

pub use super::body_cap::BODY_CAP_BYTES;
use super::body_cap::{BodyBudget, KeptBody};

/// How to run.
#[derive(Debug, Clone)]
pub struct RunOptions {
    /// Cases in flight at once.
    pub concurrency: usize,
    /// Per-request timeout.
    pub timeout: Duration,
    /// The run prefix of run ids (see [`super::run_prefix`]).
    pub run_prefix: String,
}

/// How requests to the target are paced and retried. The default retries 429 and 503 up to
/// 3 times (backoff from 250 ms, capped at 10 s; a `Retry-After` up to 60 s is honoured), with
/// no rate limit, no budget and no deadline.
#[derive(Debug, Clone)]
pub struct Traffic {
    /// When and how a request is sent again.
    pub retry: RetryPolicy,
    /// Requests per second at most, over the whole run (`None`: as fast as the concurrency
    /// allows).
    pub requests_per_second: Option<f64>,
    /// Requests sent to the target at most, retries and cleanups included; once spent, no
    /// further step is sent. The undo requests of what was created are still sent (so a run
    /// may pass the budget by exactly those); a case none of whose writes went out sends none.
    pub budget: Option<u64>,
    /// Wall time of the run at most, cleanup included: once passed, no further step is sent,
    /// cleanups go on for a grace ([`super::rate::cleanup_grace`]), and every request's
    /// timeout is cut to the time left.
    pub deadline: Option<Duration>,
    /// Where time is read and waited; tests use a virtual clock.
    pub clock: Arc<dyn Clock>,
    /// The seed of the backoff jitter (`None`: from the system time).
    pub jitter_seed: Option<u64>,
    /// Where each case's undo requests are written before it first writes (`None`: nowhere).
    pub journal: Option<Arc<Journal>>,
    /// Once set, no further case starts (`--fail-fast`, `--max-fail`); cases in flight finish
    /// and clean up, and the ones never started are left out of the results (`None`).
    pub stop: Option<Arc<std::sync::atomic::AtomicBool>>,
    /// Counts every request sent to the target (steps, retries, cleanups), for a benchmark or
    /// a caller that reports throughput.
    pub requests: Option<Arc<std::sync::atomic::AtomicU64>>,
}

impl Default for Traffic {
    fn default() -> Self {
        Traffic {
            retry: RetryPolicy::default(),
            requests_per_second: None,
            budget: None,
            deadline: None,
            clock: Arc::new(TokioClock::default()),
            jitter_seed: None,
            journal: None,
            stop: None,
            requests: None,
        }
    }
}

/// Runs every case that is not skipped with the default [`Traffic`]; the result is aligned
/// with `cases` (`None` for the skipped ones). `progress` is called once per finished case,
/// from any thread.
pub async fn execute(
    cases: &[Case],
    base_url: &str,
    fixtures: &Fixtures,
    options: &RunOptions,
    progress: Arc<dyn Fn(&CaseRun) + Send + Sync>,
) -> Vec<Option<CaseRun>> {
    execute_with(
        cases,
        base_url,
        fixtures,
        options,
        &Traffic::default(),
        progress,
    )
    .await
}

/// [`execute`] with the pacing and retries of `traffic`.
pub async fn execute_with(
    cases: &[Case],
    base_url: &str,
    fixtures: &Fixtures,
    options: &RunOptions,
    traffic: &Traffic,
    progress: Arc<dyn Fn(&CaseRun) + Send + Sync>,
) -> Vec<Option<CaseRun>> {
    let client = match build_client(options) {
        Ok(c) => c,
        Err(e) => {
            let message = format!("cannot build the HTTP client: {e}");
            return cases
                .iter()
                .map(|c| c.skip.is_none().then(|| failed_run(c, &message)))
                .collect();
        }
    };
    let seed = traffic.jitter_seed.unwrap_or_else(|| {
        SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_or(0, |d| d.as_nanos() as u64)
    });
    let shared = Arc::new(Shared {
        client,
        base: base_url.trim_end_matches('/').to_string(),
        fixtures: fixtures.clone(),
        timeout: options.timeout,
        retry: traffic.retry.clone(),
        pace: Pace::new(
            traffic.clock.clone(),
            traffic.requests_per_second,
            traffic.budget,
            traffic.deadline,
        ),
        jitter: Mutex::new(Jitter::new(seed)),
        journal: traffic.journal.clone(),
        scrubber: Scrubber::new(fixtures),
        bodies: BodyBudget::default(),
        requests: traffic.requests.clone(),
    });
    let limit = Arc::new(Semaphore::new(options.concurrency.max(1)));
    // Undo entries are written a window ahead, several cases per sync (see `journal_ahead`).
    let ahead = traffic.journal.as_ref().map(|_| {
        Arc::new(JournalAhead::new(
            cases,
            &options.run_prefix,
            (4 * options.concurrency).max(32),
        ))
    });
    let mut set = JoinSet::new();
    for (index, case) in cases.iter().enumerate() {
        if case.skip.is_some() {
            continue;
        }
        let case = case.clone();
        let shared = shared.clone();
        let limit = limit.clone();
        let progress = progress.clone();
        let run_id = case_run_id(&options.run_prefix, index);
        let stop = traffic.stop.clone();
        let ahead = ahead.clone();
        set.spawn(async move {
            let _permit = limit.acquire_owned().await;
            let journal = shared.journal.as_deref();
            if stop.is_some_and(|s| s.load(std::sync::atomic::Ordering::SeqCst)) {
                if let (Some(ahead), Some(journal)) = (&ahead, journal) {
                    ahead.not_started(index, journal).await;
                }
                return (index, None);
            }
            // A failed write ahead leaves the case to write its own entry (and report why not).
            let written_ahead = match (&ahead, journal) {
                (Some(ahead), Some(journal)) => ahead.ensure(index, journal).await.unwrap_or(false),
                _ => false,
            };
            let run = run_case(&shared, &case, run_id, written_ahead).await;
            progress(&run);
            (index, Some(run))
        });
    }
    let mut out: Vec<Option<CaseRun>> = vec![None; cases.len()];
    let mut not_started = vec![false; cases.len()];
    while let Some(joined) = set.join_next().await {
        // A panic inside a case task is a bug; its slot stays empty and is reported as an
        // error below rather than taking the run down.
        match joined {
            Ok((index, Some(run))) => out[index] = Some(run),
            Ok((index, None)) => not_started[index] = true,
            Err(_) => {}
        }
    }
    for ((slot, case), not_started) in out.iter_mut().zip(cases).zip(not_started) {
        if slot.is_none() && case.skip.is_none() && !not_started {
            *slot = Some(failed_run(case, "the case's task ended abnormally"));
        }
    }
    out
}

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
    let contents = super::journal::read(journal.path())?;
    let client = build_client(options).map_err(|e| JournalError::Io {
        file: journal.path().display().to_string(),
        source: io::Error::other(format!("cannot build the HTTP client: {e}")),
    })?;
    let traffic = Traffic::default();
    let shared = Shared {
        client,
        base: base_url.trim_end_matches('/').to_string(),
        fixtures: fixtures.clone(),
        timeout: options.timeout,
        retry: retry.clone(),
        pace: match within {
            Some((time, what)) => Pace::cleanup_window(traffic.clock.clone(), time, what),
            None => Pace::new(traffic.clock.clone(), None, None, None),
        },
        jitter: Mutex::new(Jitter::new(0)),
        journal: None,
        scrubber: Scrubber::new(fixtures),
        bodies: BodyBudget::default(),
        requests: None,
    };
    let mut out = Vec::new();
    for pending in contents.pending {
        let mut problems = Vec::new();
        let mut lost = false;
        for request in &pending.cleanup {
            if request.path.contains("{{step:") {
                lost = true;
                continue;
            }
            let sent = send(&shared, Purpose::Cleanup, request).await;
            if let Some(problem) = undo_problem(&sent.exchange) {
                problems.push(problem);
            }
        }
        if lost {
            problems
                .extend(sweep_all(&shared, &pending.sweeps, &pending.run, &pending.cleanup).await);
        }
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

/// Why an undo exchange did not undo (2xx and 404, already gone, are fine).
fn undo_problem(ex: &Exchange) -> Option<String> {
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

/// The path of a URL (no host, no query): enough to name a request in a message.
fn path_of(url: &str) -> &str {
    let rest = url.split_once("://").map_or(url, |(_, r)| r);
    let path = rest.find('/').map_or("/", |i| &rest[i..]);
    path.split(['?', '#']).next().unwrap_or(path)
}

/// Runs every sweep of a case whose undo requests named a value never returned; the problems
/// (empty: verified, nothing of the case is left). Without a sweep, nothing can find what the
/// lost answer named: that is a problem too, never "nothing is left".
async fn sweep_all(
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
    let found = |ex: &Exchange| -> Result<Vec<(String, String)>, String> {
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
    };
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

/// The HTTP client of a run.
fn build_client(options: &RunOptions) -> reqwest::Result<reqwest::Client> {
    reqwest::Client::builder()
        .timeout(options.timeout)
        // Credentials must never follow a redirect to another host; and a redirect is itself
        // an answer worth seeing.
        .redirect(reqwest::redirect::Policy::none())
        .user_agent(concat!("jira-conform/", env!("CARGO_PKG_VERSION")))
        .build()
}

fn failed_run(case: &Case, message: &str) -> CaseRun {
    CaseRun {
        case_id: case.id.clone(),
        run_id: String::new(),
        exchanges: vec![Exchange {
            step: 0,
            request: SentRequest {
                method: String::new(),
                url: String::new(),
                actor: String::new(),
                content_type: None,
                body: None,
            },
            response: Err(message.to_string()),
        }],
        elapsed_ms: 0,
        cleanup_failures: Vec::new(),
        retries: Vec::new(),
        notes: Vec::new(),
    }
}

struct Shared {
    client: reqwest::Client,
    base: String,
    fixtures: Fixtures,
    timeout: Duration,
    retry: RetryPolicy,
    pace: Pace,
    jitter: Mutex<Jitter>,
    journal: Option<Arc<Journal>>,
    /// Every form of every credential of the fixtures, taken out of all text kept of an
    /// answer (body, headers, transport errors) before anything downstream sees it.
    scrubber: Scrubber,
    /// What the run may still keep of response bodies (see `body_cap`).
    bodies: BodyBudget,
    /// See [`Traffic::requests`].
    requests: Option<Arc<std::sync::atomic::AtomicU64>>,
}

impl Shared {
    fn jitter(&self) -> f64 {
        self.jitter
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .next_fraction()
    }
}

/// A request as it went out, and what the runner learned sending it.
struct Sent {
    exchange: Exchange,
    retries: Vec<Retry>,
    notes: Vec<String>,
    /// The request left this process at least once (it was not refused before sending).
    went_out: bool,
}

async fn run_case(shared: &Shared, case: &Case, run_id: String, written_ahead: bool) -> CaseRun {
    let started = Instant::now();
    let mut exchanges = Vec::new();
    let mut retries = Vec::new();
    let mut notes = Vec::new();
    let mut undo = UndoLog::new(shared.journal.as_deref(), case, &run_id);
    undo.written = written_ahead;
    // The steps whose request left this process at least once.
    let mut went_out = vec![false; case.steps.len()];
    for (step, s) in case.steps.iter().enumerate() {
        let request = substitute(&s.request, &run_id);
        let Some(request) = super::step_ref::resolve(&request, &exchanges) else {
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
        went_out[step] = sent.went_out;
        let stop = sent.exchange.response.is_err();
        exchanges.push(sent.exchange);
        retries.extend(sent.retries);
        notes.extend(sent.notes);
        undo.after(&exchanges).await;
        if stop {
            break;
        }
    }
    // A case none of whose writing steps went out, or whose every write the target refused
    // (4xx), changed nothing: there is nothing to undo (and its cleanup must not spend the
    // budget or the deadline's grace, nor fail on what a refused write never made).
    let refused_step = |step: usize| {
        exchanges
            .iter()
            .find(|e| e.step == step)
            .is_some_and(|e| matches!(&e.response, Ok(r) if (400..500).contains(&r.status)))
    };
    let wrote = case
        .steps
        .iter()
        .zip(&went_out)
        .enumerate()
        .any(|(step, (s, out))| *out && !is_read(&s.request.method) && !refused_step(step));
    let mut cleanup_failures = Vec::new();
    let mut lost = Vec::new();
    for c in case.cleanup.iter().filter(|_| wrote) {
        let request = substitute(c, &run_id);
        let Some(request) = super::step_ref::resolve(&request, &exchanges) else {
            // No id to delete by: either the step refused (nothing was created) or its answer
            // was lost (something may have been).
            if answer_lost(&request, &exchanges, &went_out) {
                lost.push(request);
            }
            continue;
        };
        let sent = send(shared, Purpose::Cleanup, &request).await;
        retries.extend(sent.retries);
        cleanup_failures.extend(undo_problem(&sent.exchange));
    }
    if !lost.is_empty() {
        let sweeps: Vec<Sweep> = case.sweeps.clone();
        cleanup_failures.extend(sweep_all(shared, &sweeps, &run_id, &lost).await);
    }
    // A failed cleanup stays pending in the journal for `jira-conform cleanup`.
    if cleanup_failures.is_empty() {
        if let Err(e) = undo.done() {
            notes.push(e.to_string());
        }
    }
    CaseRun {
        case_id: case.id.clone(),
        run_id,
        exchanges,
        elapsed_ms: started.elapsed().as_millis() as u64,
        cleanup_failures,
        retries,
        notes,
    }
}

/// Whether every step a request names answered with a status that is not a success: the
/// target refused, so nothing it would have named was created.
fn refused(request: &Request, exchanges: &[Exchange]) -> bool {
    let steps = crate::case::referenced_steps(&request.path);
    !steps.is_empty()
        && steps.iter().all(|&step| {
            exchanges
                .iter()
                .find(|e| e.step == step)
                .is_some_and(|e| matches!(&e.response, Ok(r) if !(200..300).contains(&r.status)))
        })
}

fn is_read(method: &str) -> bool {
    matches!(method, "GET" | "HEAD" | "OPTIONS")
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
            url: url_for(&shared.base, request),
            actor: request.actor.to_string(),
            content_type: None,
            body: None,
        },
        response: Err(why),
    }
}

/// One case's entries in the cleanup journal.
struct UndoLog<'a> {
    journal: Option<&'a Journal>,
    case: &'a str,
    run_id: &'a str,
    /// The undo requests as last written.
    requests: Vec<Request>,
    sweeps: Vec<Sweep>,
    written: bool,
}

impl<'a> UndoLog<'a> {
    fn new(journal: Option<&'a Journal>, case: &'a Case, run_id: &'a str) -> UndoLog<'a> {
        UndoLog {
            journal,
            case: &case.id,
            run_id,
            requests: case.cleanup.iter().map(|c| substitute(c, run_id)).collect(),
            sweeps: case.sweeps.clone(),
            written: false,
        }
    }

    /// Writes the undo requests before the first writing request.
    async fn before(&mut self, request: &Request) -> Result<(), JournalError> {
        let reads = is_read(&request.method);
        let Some(journal) = self.journal else {
            return Ok(());
        };
        if self.written || reads || self.requests.is_empty() {
            return Ok(());
        }
        journal
            .append_synced(&Entry::Pending {
                case: self.case.to_string(),
                run: self.run_id.to_string(),
                cleanup: self.requests.clone(),
                sweeps: self.sweeps.clone(),
            })
            .await?;
        self.written = true;
        Ok(())
    }

    /// Writes the undo requests again once a step returned a value they name (a created id).
    async fn after(&mut self, exchanges: &[Exchange]) {
        let Some(journal) = self.journal.filter(|_| self.written) else {
            return;
        };
        // Filled in where the step answered with the value; left out where it answered with a
        // refusal (nothing was created); kept as is while the answer is due or was lost.
        let resolved: Vec<Request> = self
            .requests
            .iter()
            .filter_map(|r| match super::step_ref::resolve(r, exchanges) {
                Some(resolved) => Some(resolved),
                None if refused(r, exchanges) => None,
                None => Some(r.clone()),
            })
            .collect();
        if resolved != self.requests {
            self.requests = resolved;
            // Not waited for: were it lost, the entry still names the step's value, which
            // `cleanup` finds by the case's sweep, or reports it cannot resolve.
            let _ = journal.append_later(&Entry::Resolved {
                case: self.case.to_string(),
                cleanup: self.requests.clone(),
            });
        }
    }

    fn done(&self) -> Result<(), JournalError> {
        // Not waited for: a lost mark only repeats an undo that then finds nothing.
        match self.journal.filter(|_| self.written) {
            Some(journal) => journal.append_later(&Entry::Done {
                case: self.case.to_string(),
            }),
            None => Ok(()),
        }
    }
}

/// The URL for a request: base + path + encoded query.
pub fn url_for(base: &str, request: &Request) -> String {
    let mut url = format!("{base}{}", request.path);
    if !request.query.is_empty() {
        let query: Vec<String> = request
            .query
            .iter()
            .map(|(k, v)| format!("{}={}", encode_query(k), encode_query(v)))
            .collect();
        url.push('?');
        url.push_str(&query.join("&"));
    }
    url
}

fn encode_query(text: &str) -> String {
    let mut out = String::new();
    for b in text.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~' | b':') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// Sends one request: waits for the pace, sends, and sends again while the retry policy says
/// it is safe and useful. The exchange holds the last attempt.
async fn send(shared: &Shared, purpose: Purpose, request: &Request) -> Sent {
    let url = url_for(&shared.base, request);
    let (content_type, body) = match &request.body {
        Body::None => (None, None),
        Body::Json(v) => (Some("application/json".to_string()), Some(v.to_string())),
        Body::Raw { content_type, text } => (Some(content_type.clone()), Some(text.clone())),
    };
    let sent = SentRequest {
        method: request.method.clone(),
        url: url.clone(),
        actor: request.actor.to_string(),
        content_type,
        body,
    };
    let mut retries: Vec<Retry> = Vec::new();
    let mut note = None;
    let mut went_out = false;
    let response = loop {
        if let Err(why) = shared.pace.admit(purpose).await {
            break Err(match retries.last() {
                Some(last) => format!("{why} (while retrying after {})", last.cause),
                None => why,
            });
        }
        if let Some(count) = &shared.requests {
            count.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        }
        went_out = true;
        let tried = attempt(shared, purpose, request, &sent).await;
        if let Signal::Answered { hints, .. } = &tried.signal {
            // Out of requests until the reset: every request waits for it (when it is near).
            if let (Some(0), Some(reset)) = (hints.remaining, &hints.reset) {
                if reset.wait <= shared.retry.retry_after_cap {
                    shared.pace.hold_for(reset.wait);
                }
            }
        }
        let decision = retry::decide(
            &shared.retry,
            &request.method,
            retries.len() as u32,
            &tried.signal,
            shared.jitter(),
        );
        match decision {
            Decision::Done => {
                note = tried.note;
                break match tried.response {
                    Err(e) if !retries.is_empty() => Err(format!(
                        "{e} (after {} {})",
                        retries.len(),
                        if retries.len() == 1 {
                            "retry"
                        } else {
                            "retries"
                        }
                    )),
                    other => other,
                };
            }
            Decision::GiveUp(why) => break Err(why),
            Decision::Retry {
                wait,
                cause,
                from_target,
            } => {
                if let Err(why) = shared.pace.check_wait(purpose, wait) {
                    break Err(format!("gave up after {cause}: {why}"));
                }
                if from_target {
                    shared.pace.hold_for(wait);
                }
                retries.push(Retry {
                    step: match purpose {
                        Purpose::Step(n) => Some(n),
                        Purpose::Cleanup => None,
                    },
                    cause,
                    target_chose_wait: from_target,
                    waited_ms: wait.as_millis() as u64,
                });
                if !wait.is_zero() {
                    shared.pace.clock().sleep(wait).await;
                }
            }
        }
    };
    let step = match purpose {
        Purpose::Step(n) => n,
        Purpose::Cleanup => usize::MAX,
    };
    let notes = match (purpose, note) {
        (Purpose::Step(n), Some(note)) => vec![format!("step {n}: {note}")],
        _ => Vec::new(),
    };
    Sent {
        exchange: Exchange {
            step,
            request: sent,
            response,
        },
        retries,
        notes,
        went_out,
    }
}

/// One HTTP exchange and what it means for retrying.
struct Attempt {
    response: Result<Received, String>,
    signal: Signal,
    /// Something the verdict should mention (a cut body, a redirect not followed).
    note: Option<String>,
}

/// Where a request was when it failed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Phase {
    /// Before the status line and headers came back.
    Answer,
    /// Reading the body.
    Body,
}

/// Sends the request once and reads the answer. Every text kept of the answer goes through
/// the run's [`Scrubber`] here, so what a target echoes of the credentials goes no further.
async fn attempt(
    shared: &Shared,
    purpose: Purpose,
    request: &Request,
    sent: &SentRequest,
) -> Attempt {
    let scrub = |text: String| shared.scrubber.scrub_string(text);
    let broken = |message: String| Attempt {
        response: Err(scrub(message)),
        signal: Signal::Broken,
        note: None,
    };
    let Ok(method) = reqwest::Method::from_bytes(request.method.as_bytes()) else {
        return broken(format!("{:?} is not an HTTP method", request.method));
    };
    // A request never outlives the run's deadline (plus the grace, for a cleanup): a target
    // that sends its headers and then stalls is cut when the time is up.
    let (timeout, cut) = match shared.pace.time_left(purpose) {
        Some(left) if left < shared.timeout => (left, true),
        _ => (shared.timeout, false),
    };
    let timed_out = |phase: Phase| {
        let what = match phase {
            Phase::Answer => "waiting for the answer",
            Phase::Body => "while reading the body",
        };
        let why = if cut {
            match purpose {
                Purpose::Cleanup => " (the time left for cleanup)",
                Purpose::Step(_) => " (the time left before the run's deadline)",
            }
        } else {
            ""
        };
        format!("timed out after {}{why} {what}", human(timeout))
    };
    let mut builder = shared.client.request(method, &sent.url).timeout(timeout);
    match authorization(&request.actor, &shared.fixtures) {
        Ok(Some(auth)) => builder = builder.header(reqwest::header::AUTHORIZATION, auth),
        Ok(None) => {}
        Err(e) => return broken(e),
    }
    if let (Some(ct), Some(body)) = (&sent.content_type, &sent.body) {
        builder = builder
            .header(reqwest::header::CONTENT_TYPE, ct)
            .body(body.clone());
    }
    let started = Instant::now();
    let mut response = match builder.send().await {
        Ok(r) => r,
        Err(e) => {
            return Attempt {
                signal: signal_of(&e, Phase::Answer),
                response: Err(scrub(if e.is_timeout() {
                    timed_out(Phase::Answer)
                } else {
                    describe(&e, Phase::Answer)
                })),
                note: None,
            }
        }
    };
    let header = |name: &str| {
        response
            .headers()
            .get(name)
            .and_then(|v| v.to_str().ok())
            .map(str::to_string)
    };
    // A field sent more than once is kept whole: `Allow` lines are one list (RFC 9110 §5.3);
    // `Content-Type` lines joined the same way show the duplicate to the content-type check
    // (a media type never holds a comma outside quotes).
    let every = |name: &str| {
        let values: Vec<&str> = response
            .headers()
            .get_all(name)
            .iter()
            .filter_map(|v| v.to_str().ok())
            .collect();
        (!values.is_empty()).then(|| scrub(values.join(", ")))
    };
    let content_type = every("content-type");
    let allow = every("allow");
    let www_authenticate = every("www-authenticate");
    let location = header("location");
    let hints = retry::read_hints(header, shared.pace.clock().wall());
    let status = response.status().as_u16();
    let kept = match read_body(&mut response, &shared.bodies).await {
        Ok(read) => read,
        Err(e) if e.is_timeout() => return broken(timed_out(Phase::Body)),
        Err(e) => return broken(describe(&e, Phase::Body)),
    };
    let truncated = kept.cut.is_some();
    let note = match &kept.cut {
        Some(cut) => Some(cut.to_string()),
        None => location
            .filter(|_| (300..400).contains(&status))
            .and_then(|l| redirect_note(&sent.url, &l, status))
            .map(scrub),
    };
    Attempt {
        response: Ok(Received {
            status,
            content_type,
            allow,
            www_authenticate,
            body: shared.scrubber.body(kept.text, truncated),
            truncated,
            elapsed_ms: started.elapsed().as_millis() as u64,
        }),
        signal: Signal::Answered { status, hints },
        note,
    }
}

/// Reads a body within what `bodies` allows (see `body_cap`), never holding more: once the
/// body is full the rest is left unread.
async fn read_body(
    response: &mut reqwest::Response,
    bodies: &BodyBudget,
) -> reqwest::Result<KeptBody> {
    let mut reader = bodies.reader(response.content_length());
    while let Some(chunk) = response.chunk().await? {
        if !reader.push(&chunk) {
            break;
        }
    }
    Ok(reader.finish())
}

/// The note for a redirect to another host (same-host redirects are ordinary answers).
fn redirect_note(from: &str, location: &str, status: u16) -> Option<String> {
    let from = reqwest::Url::parse(from).ok()?;
    let to = from.join(location).ok()?;
    let same = to.scheme() == from.scheme()
        && to.host_str() == from.host_str()
        && to.port_or_known_default() == from.port_or_known_default();
    (!same).then(|| {
        let mut shown = to.clone();
        let _ = shown.set_username("");
        let _ = shown.set_password(None);
        shown.set_query(None);
        shown.set_fragment(None);
        format!(
            "redirect to another host ({shown}) not followed: credentials never leave the target; the {status} is the answer"
        )
    })
}

/// The I/O error kinds in an error's chain, outermost first.
fn io_kinds(e: &reqwest::Error) -> Vec<io::ErrorKind> {
    let mut kinds = Vec::new();
    let mut source = e.source();
    while let Some(s) = source {
        if let Some(io) = s.downcast_ref::<io::Error>() {
            kinds.push(io.kind());
        }
        source = s.source();
    }
    kinds
}

/// The messages of an error's chain, outermost first, the reqwest one (which holds the URL)
/// left out.
fn chain(e: &reqwest::Error) -> Vec<String> {
    let mut out = Vec::new();
    let mut source = e.source();
    while let Some(s) = source {
        out.push(scrub(&s.to_string()));
        source = s.source();
    }
    out
}

/// What a failure before or during the answer means for retrying.
fn signal_of(e: &reqwest::Error, phase: Phase) -> Signal {
    let kinds = io_kinds(e);
    if e.is_timeout() || phase == Phase::Body {
        return Signal::Broken;
    }
    if kinds.contains(&io::ErrorKind::ConnectionRefused) {
        return Signal::Refused;
    }
    if e.is_connect() {
        return Signal::Broken;
    }
    let reset = kinds.iter().any(|k| {
        matches!(
            k,
            io::ErrorKind::ConnectionReset
                | io::ErrorKind::ConnectionAborted
                | io::ErrorKind::BrokenPipe
        )
    });
    let closed = chain(e)
        .iter()
        .any(|m| m.contains("connection closed before message completed"));
    if reset || closed {
        Signal::NoAnswer
    } else {
        Signal::Broken
    }
}

/// A transport failure in words: what happened, then the innermost cause. Never the URL's
/// query or any credential.
fn describe(e: &reqwest::Error, phase: Phase) -> String {
    let kinds = io_kinds(e);
    let messages = chain(e);
    let detail = messages.last().cloned().unwrap_or_default();
    let has = |kind: io::ErrorKind| kinds.contains(&kind);
    let says = |text: &str| messages.iter().any(|m| m.contains(text));
    let https = e.url().is_some_and(|u| u.scheme() == "https");
    if has(io::ErrorKind::ConnectionRefused) {
        return "could not connect: the target refused the connection".into();
    }
    if e.is_connect() {
        if https && !says("dns error") && !has(io::ErrorKind::TimedOut) {
            let hint = if says("InvalidContentType") || says("corrupt message") {
                " (does the target speak plain HTTP on this port?)"
            } else {
                ""
            };
            return format!("TLS handshake failed: {detail}{hint}");
        }
        return format!("could not connect: {detail}");
    }
    let reset = has(io::ErrorKind::ConnectionReset) || has(io::ErrorKind::ConnectionAborted);
    match phase {
        Phase::Answer if reset => "connection reset by the target before it answered".into(),
        Phase::Body if reset => "connection reset by the target while reading the body".into(),
        Phase::Body if has(io::ErrorKind::UnexpectedEof) => {
            "the connection closed before the whole body arrived (the target announced more \
             bytes than it sent)"
                .into()
        }
        Phase::Answer if says("connection closed before message completed") => {
            "the target closed the connection without answering".into()
        }
        Phase::Answer if says("invalid HTTP version parsed") => format!(
            "the target's answer is not HTTP/1.1 ({detail}): not an HTTP server, or one that \
             speaks only HTTP/2 (which the runner uses over TLS only)"
        ),
        Phase::Answer if says("invalid content-length") => format!(
            "the answer is not valid HTTP: it carries Content-Length more than once with \
             different values, or one that is not a number ({detail})"
        ),
        Phase::Answer if says("invalid HTTP") || says("message head is too large") => {
            format!("the answer is not valid HTTP: {detail}")
        }
        Phase::Answer => format!("request failed: {detail}"),
        Phase::Body => format!("the body could not be read: {detail}"),
    }
}

/// Removes query strings, fragments and user information from any URL in `text`.
fn scrub(text: &str) -> String {
    static URL: std::sync::OnceLock<Option<regex::Regex>> = std::sync::OnceLock::new();
    let Some(re) = URL
        .get_or_init(|| {
            regex::Regex::new(r"(https?://)(?:[^/@\s]*@)?([^\s?#]*)(?:[?#][^\s,;)\]]*)?").ok()
        })
        .as_ref()
    else {
        return text.to_string();
    };
    re.replace_all(text, "$1$2").into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_in_messages_lose_query_and_credentials() {
        assert_eq!(
            scrub("error for https://me:secret@x.test/a/b?token=1#f, then"),
            "error for https://x.test/a/b, then"
        );
        assert_eq!(scrub("no url here"), "no url here");
    }

    #[test]
    fn only_redirects_to_another_host_are_noted() {
        assert_eq!(redirect_note("http://a.test:80/x", "/y?q=1", 302), None);
        assert_eq!(
            redirect_note("http://a.test/x", "http://u:p@b.test:81/y?token=1", 302).as_deref(),
            Some(
                "redirect to another host (http://b.test:81/y) not followed: credentials never \
                 leave the target; the 302 is the answer"
            )
        );
    }
}
