//! Schedules cases: each case's steps in order, cases in parallel up to a bound (that many
//! workers on the runtime, each taking the next case to start), the undo entries journaled a
//! window ahead, a stop honoured before a case starts, and the runs collected in the order of
//! the cases.

use std::future::Future;
use std::panic::AssertUnwindSafe;
use std::pin::Pin;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll};
use std::time::{SystemTime, UNIX_EPOCH};

use tokio::task::JoinSet;

use super::auth::AuthHeaders;
use super::body_cap::BodyBudget;
use super::case_run::run_case;
use super::journal_ahead::JournalAhead;
use super::options::{RunOptions, Traffic};
use super::rate::Pace;
use super::retry::Jitter;
use super::run_id::case_run_id;
use super::scrub::Scrubber;
use super::shared::{build_client, Shared};
use super::url::BaseUrl;
use crate::case::Case;
use crate::exchange::{CaseRun, Exchange, SentRequest};
use crate::fixtures::Fixtures;

/// Called once per finished case, from any thread.
type Progress = Arc<dyn Fn(&CaseRun) + Send + Sync>;

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
    let cases: Arc<[Case]> = cases.into();
    execute_shared(&cases, base_url, fixtures, options, traffic, progress).await
}

/// [`execute_with`] for cases already shared: the workers read them where they are, not from
/// a copy.
pub async fn execute_shared(
    cases: &Arc<[Case]>,
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
    let shared = Arc::new(shared_of_run(client, base_url, fixtures, options, traffic));
    // Undo entries are written a window ahead, several cases per sync (see `journal_ahead`).
    let ahead = traffic.journal.as_ref().map(|_| {
        Arc::new(JournalAhead::new(
            cases.clone(),
            &options.run_prefix,
            (4 * options.concurrency).max(32),
        ))
    });
    let work = Work {
        cases: cases.clone(),
        next: AtomicUsize::new(0),
        shared,
        run_prefix: options.run_prefix.clone(),
        stop: traffic.stop.clone(),
        ahead,
        progress,
    };
    collect_runs(cases, start_workers(Arc::new(work), options.concurrency)).await
}

/// What the requests of a run share, from its options and traffic.
fn shared_of_run(
    client: reqwest::Client,
    base_url: &str,
    fixtures: &Fixtures,
    options: &RunOptions,
    traffic: &Traffic,
) -> Shared {
    let seed = traffic.jitter_seed.unwrap_or_else(|| {
        SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_or(0, |d| d.as_nanos() as u64)
    });
    Shared {
        client,
        base: BaseUrl::new(base_url),
        fixtures: fixtures.clone(),
        auth: AuthHeaders::new(fixtures),
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
        scrubber: traffic
            .scrubber
            .clone()
            .unwrap_or_else(|| Scrubber::new(fixtures)),
        bodies: BodyBudget::default(),
        requests: traffic.requests.clone(),
    }
}

/// What the workers of a run share.
struct Work {
    cases: Arc<[Case]>,
    /// The index of the next case to start.
    next: AtomicUsize,
    shared: Arc<Shared>,
    run_prefix: String,
    stop: Option<Arc<AtomicBool>>,
    ahead: Option<Arc<JournalAhead>>,
    progress: Progress,
}

/// What a worker returns: each case it took, by index, and its run (`None`: never started).
type Taken = Vec<(usize, Option<CaseRun>)>;

/// The concurrency bound as that many workers, spawned on the runtime. Each takes the next case
/// (in the order of `cases`, as the journal ahead expects) and runs it in place, its panic
/// caught ([`CatchUnwind`]), so a panicking case ends only itself; a worker that finds the run
/// stopped marks the cases left as never started. Nothing is spawned or woken per case from
/// outside the runtime's threads: against a fast target, waking a spawning thread once per
/// case cost a thread wake per case and left places idle while it was scheduled.
fn start_workers(work: Arc<Work>, concurrency: usize) -> JoinSet<Taken> {
    let mut set = JoinSet::new();
    for _ in 0..concurrency.max(1) {
        let work = work.clone();
        set.spawn(async move {
            let mut taken = Vec::new();
            loop {
                let index = work.next.fetch_add(1, Ordering::Relaxed);
                let Some(case) = work.cases.get(index) else {
                    break;
                };
                if case.skip.is_some() {
                    continue;
                }
                // A case that panicked keeps an empty slot, reported when collected.
                let case = std::pin::pin!(work.run_one(index));
                if let Ok(run) = CatchUnwind(case).await {
                    taken.push((index, run));
                }
            }
            taken
        });
    }
    set
}

/// A case's future, run inside its worker with its panic caught: a panicking case ends only
/// itself (its slot stays empty and is reported when the runs are collected), the worker goes
/// on with the next case. Polled in place rather than spawned as a task of its own: against a
/// fast target, a task per case (spawned, awaited, often run by the other thread) cost about a
/// seventh of the client's CPU per request (`cargo bench --bench wire`).
struct CatchUnwind<'a, F>(Pin<&'a mut F>);

impl<F: Future> Future for CatchUnwind<'_, F> {
    type Output = Result<F::Output, ()>;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let inner = self.0.as_mut();
        // Once it has panicked the future is never polled again, only dropped.
        match std::panic::catch_unwind(AssertUnwindSafe(|| inner.poll(cx))) {
            Ok(Poll::Ready(out)) => Poll::Ready(Ok(out)),
            Ok(Poll::Pending) => Poll::Pending,
            Err(_) => Poll::Ready(Err(())),
        }
    }
}

impl Work {
    /// Runs case `index`, or marks it never started when the run is stopping.
    async fn run_one(&self, index: usize) -> Option<CaseRun> {
        let case = &self.cases[index];
        let journal = self.shared.journal.as_ref();
        if self.stop.as_ref().is_some_and(|s| s.load(Ordering::SeqCst)) {
            if let (Some(ahead), Some(journal)) = (&self.ahead, journal) {
                ahead.not_started(index, journal).await;
            }
            return None;
        }
        // A failed write ahead leaves the case to write its own entry (and report why not).
        let written_ahead = match (&self.ahead, journal) {
            (Some(ahead), Some(journal)) => ahead.ensure(index, journal).await.unwrap_or(false),
            _ => false,
        };
        let run_id = case_run_id(&self.run_prefix, index);
        let run = run_case(&self.shared, case, run_id, written_ahead).await;
        (self.progress)(&run);
        Some(run)
    }
}

/// The runs in the order of `cases`: `None` for a skipped case or one never started; a case
/// that panicked gets a run that says so.
async fn collect_runs(cases: &[Case], mut set: JoinSet<Taken>) -> Vec<Option<CaseRun>> {
    let mut out: Vec<Option<CaseRun>> = vec![None; cases.len()];
    let mut not_started = vec![false; cases.len()];
    while let Some(joined) = set.join_next().await {
        // A panic inside a case is a bug; its slot stays empty and is reported as an error
        // below rather than taking the run down.
        for (index, run) in joined.unwrap_or_default() {
            match run {
                Some(run) => out[index] = Some(run),
                None => not_started[index] = true,
            }
        }
    }
    for ((slot, case), not_started) in out.iter_mut().zip(cases).zip(not_started) {
        if slot.is_none() && case.skip.is_none() && !not_started {
            *slot = Some(failed_run(
                case,
                "the case ended abnormally (a panic in jira-conform: please report it)",
            ));
        }
    }
    out
}

/// The run of a case that could not run at all: one exchange that says why.
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

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_panicking_case_is_an_error_and_a_finished_one_its_output() {
        let finished = std::pin::pin!(async { 7 });
        assert_eq!(CatchUnwind(finished).await, Ok(7));
        let panicking = std::pin::pin!(async {
            tokio::task::yield_now().await;
            if std::hint::black_box(true) {
                panic!("a bug in a case");
            }
            7
        });
        assert_eq!(CatchUnwind(panicking).await, Err(()));
    }
}
