//! Schedules cases: each case's steps in order, cases in parallel up to a bound (that many
//! workers, spread over one thread per core, each taking the next case to start), the undo
//! entries journaled a window ahead, a stop honoured before a case starts, and the runs
//! collected in the order of the cases.

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
    let shards = shard_count(options.concurrency);
    let clients: Result<Vec<reqwest::Client>, _> =
        (0..shards).map(|_| build_client(options)).collect();
    let mut clients = match clients {
        Ok(c) => c.into_iter(),
        Err(e) => {
            let message = format!("cannot build the HTTP client: {e}");
            return cases
                .iter()
                .map(|c| c.skip.is_none().then(|| failed_run(c, &message)))
                .collect();
        }
    };
    let first = clients.next().expect("at least one shard");
    let shared = shared_of_run(first, base_url, fixtures, options, traffic);
    let others: Vec<Arc<Shared>> = clients.map(|c| Arc::new(shared.with_client(c))).collect();
    let shared_by_shard: Vec<Arc<Shared>> =
        std::iter::once(Arc::new(shared)).chain(others).collect();
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
        shared: shared_by_shard,
        run_prefix: options.run_prefix.clone(),
        stop: traffic.stop.clone(),
        ahead,
        progress,
    };
    let taken = start_workers(Arc::new(work), options.concurrency)
        .all()
        .await;
    collect_runs(cases, taken)
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
        pace: Arc::new(Pace::new(
            traffic.clock.clone(),
            traffic.requests_per_second,
            traffic.budget,
            traffic.deadline,
        )),
        jitter: Arc::new(Mutex::new(Jitter::new(seed))),
        journal: traffic.journal.clone(),
        scrubber: traffic
            .scrubber
            .clone()
            .unwrap_or_else(|| Scrubber::new(fixtures)),
        bodies: Arc::new(BodyBudget::default()),
        requests: traffic.requests.clone(),
    }
}

/// What the workers of a run share.
struct Work {
    cases: Arc<[Case]>,
    /// The index of the next case to start.
    next: AtomicUsize,
    /// What the requests share, one per shard (each with its own client).
    shared: Vec<Arc<Shared>>,
    run_prefix: String,
    stop: Option<Arc<AtomicBool>>,
    ahead: Option<Arc<JournalAhead>>,
    progress: Progress,
}

/// What a worker returns: each case it took, by index, and its run (`None`: never started).
type Taken = Vec<(usize, Option<CaseRun>)>;

/// How many threads a run's workers are spread over: one per core, but no more than there are
/// workers.
fn shard_count(concurrency: usize) -> usize {
    let cores = std::thread::available_parallelism().map_or(1, std::num::NonZeroUsize::get);
    cores.min(concurrency.max(1))
}

/// The concurrency bound as that many workers. Each takes the next case (in the order of
/// `cases`, as the journal ahead expects) and runs it in place, its panic caught
/// ([`CatchUnwind`]), so a panicking case ends only itself; a worker that finds the run stopped
/// marks the cases left as never started.
///
/// With one shard the workers are tasks of the caller's runtime. With more, they are split
/// over that many threads, each running its share on a single-threaded runtime of its own
/// with its own client: a case, its connection and the connection's driver then stay on one
/// thread. On a multi-threaded runtime they moved between threads (a worker woken on one
/// thread by a connection driven on the other), and against a fast target that cost about a
/// sixth of the client's CPU per request (`cargo bench --bench wire`). The shards share the
/// list of cases, so one that finishes early takes the cases the others have not.
fn start_workers(work: Arc<Work>, concurrency: usize) -> Workers {
    let workers = concurrency.max(1);
    let shards = work.shared.len();
    if shards > 1 {
        if let Some(started) = start_shards(&work, workers) {
            return started;
        }
    }
    let mut set = JoinSet::new();
    for _ in 0..workers {
        set.spawn(worker(work.clone(), 0));
    }
    Workers::InRuntime(set)
}

/// Starts one thread per shard; `None` when none could be started (the caller then runs the
/// workers on its own runtime). A shard whose thread or runtime cannot be made leaves its
/// share of the cases to the others.
fn start_shards(work: &Arc<Work>, workers: usize) -> Option<Workers> {
    let shards = work.shared.len();
    // Dropping the sender (the run given up) tells every shard to drop its cases.
    let (give_up, given_up) = tokio::sync::watch::channel(());
    let mut results = Vec::new();
    for shard in 0..shards {
        // Workers dealt round the shards: 8 over 2 is 4 and 4, 3 over 2 is 2 and 1.
        let count = workers / shards + usize::from(shard < workers % shards);
        let Ok(runtime) = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
        else {
            continue;
        };
        let (work, mut given_up) = (work.clone(), given_up.clone());
        let (done, result) = tokio::sync::oneshot::channel();
        let spawned = std::thread::Builder::new()
            .name(format!("cases-{shard}"))
            .spawn(move || {
                let taken = runtime.block_on(async move {
                    let mut set = JoinSet::new();
                    for _ in 0..count {
                        set.spawn(worker(work.clone(), shard));
                    }
                    tokio::select! {
                        taken = join_all(set) => taken,
                        // Closed: the run was given up; the workers are dropped with `set`.
                        _ = given_up.changed() => Vec::new(),
                    }
                });
                let _ = done.send(taken);
            });
        if spawned.is_ok() {
            results.push(result);
        }
    }
    (!results.is_empty()).then_some(Workers::Shards {
        results,
        _give_up: give_up,
    })
}

/// A worker: takes cases until there are none left.
async fn worker(work: Arc<Work>, shard: usize) -> Taken {
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
        let case = std::pin::pin!(work.run_one(index, shard));
        if let Ok(run) = CatchUnwind(case).await {
            taken.push((index, run));
        }
    }
    taken
}

/// What every worker of `set` took. A worker that panicked outside a case took nothing it can
/// report; its cases are reported as ended abnormally.
async fn join_all(mut set: JoinSet<Taken>) -> Taken {
    let mut all = Vec::new();
    while let Some(joined) = set.join_next().await {
        all.extend(joined.unwrap_or_default());
    }
    all
}

/// A run's workers, started. Dropping it gives the run up: the workers and their cases are
/// dropped (those of a shard as soon as its thread next looks).
enum Workers {
    /// Tasks of the caller's runtime.
    InRuntime(JoinSet<Taken>),
    /// Threads of their own, each reporting what its workers took.
    Shards {
        results: Vec<tokio::sync::oneshot::Receiver<Taken>>,
        _give_up: tokio::sync::watch::Sender<()>,
    },
}

impl Workers {
    /// What all the workers took, once they are all done.
    async fn all(self) -> Taken {
        match self {
            Workers::InRuntime(set) => join_all(set).await,
            Workers::Shards { results, _give_up } => {
                let mut all = Vec::new();
                for result in results {
                    // A shard whose thread panicked sent nothing: as for a panicked worker.
                    all.extend(result.await.unwrap_or_default());
                }
                all
            }
        }
    }
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
    async fn run_one(&self, index: usize, shard: usize) -> Option<CaseRun> {
        let case = &self.cases[index];
        let shared = &self.shared[shard];
        let journal = shared.journal.as_ref();
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
        let run = run_case(shared, case, run_id, written_ahead).await;
        (self.progress)(&run);
        Some(run)
    }
}

/// The runs in the order of `cases`: `None` for a skipped case or one never started; a case
/// that panicked gets a run that says so.
fn collect_runs(cases: &[Case], taken: Taken) -> Vec<Option<CaseRun>> {
    let mut out: Vec<Option<CaseRun>> = vec![None; cases.len()];
    let mut not_started = vec![false; cases.len()];
    for (index, run) in taken {
        match run {
            Some(run) => out[index] = Some(run),
            None => not_started[index] = true,
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
