//! Schedules cases: each case's steps in order, cases in parallel up to a bound (a semaphore
//! over a `JoinSet`), the undo entries journaled a window ahead, a stop honoured before a case
//! starts, and the runs collected in the order of the cases.

use std::sync::atomic::Ordering;
use std::sync::{Arc, Mutex};
use std::time::{SystemTime, UNIX_EPOCH};

use tokio::sync::{OwnedSemaphorePermit, Semaphore};
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
            cases,
            &options.run_prefix,
            (4 * options.concurrency).max(32),
        ))
    });
    let set = spawn_cases(cases, &shared, options, traffic, &ahead, &progress).await;
    collect_runs(cases, set).await
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
        scrubber: Scrubber::new(fixtures),
        bodies: BodyBudget::default(),
        requests: traffic.requests.clone(),
    }
}

/// One task per case that is not skipped, each waiting for a place under the concurrency
/// bound; a task whose case never starts (the run was stopped) answers `None`. Tasks are
/// spawned as the run goes, at most three times the concurrency alive at once: a freed place is
/// taken at once by a task already waiting, and the first request does not wait for every
/// case of the run to be copied.
///
/// The spawning side waits for a whole batch (the concurrency) of tasks to end before it
/// spawns the next batch, not for each one: it runs outside the runtime's workers (in the
/// caller's `block_on`), and waking it once per case cost a thread wake-up per case, about a
/// tenth of the run's CPU against a fast target.
async fn spawn_cases(
    cases: &[Case],
    shared: &Arc<Shared>,
    options: &RunOptions,
    traffic: &Traffic,
    ahead: &Option<Arc<JournalAhead>>,
    progress: &Progress,
) -> JoinSet<(usize, Option<CaseRun>)> {
    let concurrency = options.concurrency.max(1);
    let limit = Arc::new(Semaphore::new(concurrency));
    let places = Arc::new(Semaphore::new(3 * concurrency));
    let mut set = JoinSet::new();
    let mut batch: Option<OwnedSemaphorePermit> = None;
    for (index, case) in cases.iter().enumerate() {
        if case.skip.is_some() {
            continue;
        }
        let alive = match batch.as_mut().and_then(|b| b.split(1)) {
            Some(alive) => alive,
            None => {
                // Never closed: the wait only ends when tasks end. The first batch fills every
                // place; later ones wait for a third of them to be free, so that a concurrency's
                // worth of tasks still waits for a place while the next batch is spawned.
                let want = if set.is_empty() {
                    3 * concurrency
                } else {
                    concurrency
                };
                let Ok(mut many) = places.clone().acquire_many_owned(want as u32).await else {
                    break;
                };
                let one = many.split(1);
                batch = Some(many);
                match one {
                    Some(one) => one,
                    None => break,
                }
            }
        };
        let case = case.clone();
        let shared = shared.clone();
        let limit = limit.clone();
        let progress = progress.clone();
        let run_id = case_run_id(&options.run_prefix, index);
        let stop = traffic.stop.clone();
        let ahead = ahead.clone();
        set.spawn(async move {
            let _alive = alive;
            let _permit = limit.acquire_owned().await;
            let journal = shared.journal.as_ref();
            if stop.is_some_and(|s| s.load(Ordering::SeqCst)) {
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
    set
}

/// The runs in the order of `cases`: `None` for a skipped case or one never started; a case
/// whose task ended abnormally gets a run that says so.
async fn collect_runs(
    cases: &[Case],
    mut set: JoinSet<(usize, Option<CaseRun>)>,
) -> Vec<Option<CaseRun>> {
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
