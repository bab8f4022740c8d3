//! Sending while judging: each case judged as it finishes, so a run can stop starting cases
//! after `--max-fail` failures and a progress bar can show the failures so far.

use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, PoisonError};

use super::send::send_cases;
use super::{Config, Leftovers};
use crate::case::Case;
use crate::check::{judge, CheckContext, Judged, Redactor, SnapshotMode, SnapshotSet};
use crate::exchange::CaseRun;
use crate::fixtures::Fixtures;
use crate::run::scrub::Scrubber;
use crate::spec::schema::SchemaCache;
use crate::spec::Spec;
use crate::verdict::{CompareLevel, Outcome};
use crate::Error;

/// What sending produced.
pub(super) struct Sent {
    /// The runs, aligned with the cases (`None`: skipped, or never started).
    pub runs: Vec<Option<CaseRun>>,
    /// What is left in the run's journal.
    pub leftovers: Option<Leftovers>,
    /// The verdicts judged on the way, by case index (empty when nothing was judged live).
    pub early: Vec<Option<Judged>>,
    /// Whether the run stopped starting cases (`--max-fail`).
    pub stopped: bool,
}

/// Sends the cases; judges them as they finish when the configuration asks for it (a
/// `--max-fail`, or a count of live failures to keep).
pub(super) async fn send(
    config: &Config,
    cases: &Arc<[Case]>,
    fixtures: &Fixtures,
    scrubber: Scrubber,
    base_url: &str,
    progress: Arc<dyn Fn(&CaseRun) + Send + Sync>,
    ctx: &CheckContext<'_>,
) -> Result<Sent, Error> {
    let live = config.max_fail.is_some() || config.live_failures.is_some();
    if !live {
        let (runs, leftovers) =
            send_cases(config, cases, fixtures, scrubber, base_url, progress, None).await?;
        return Ok(Sent {
            runs,
            leftovers,
            early: Vec::new(),
            stopped: false,
        });
    }
    let max = config.max_fail.unwrap_or(usize::MAX);
    send_judging(
        config, cases, fixtures, scrubber, base_url, progress, ctx, max,
    )
    .await
}

/// The context a callback judges with: it outlives the borrow of the run's context, so it
/// holds its own copy.
struct Owned {
    spec: Spec,
    schemas: SchemaCache,
    fixtures: Fixtures,
    redactor: Redactor,
    mode: SnapshotMode,
    snapshots: SnapshotSet,
    compare: CompareLevel,
    keep_snapshot: bool,
    cases: Arc<[Case]>,
    index: HashMap<String, usize>,
    judged: Mutex<Vec<Option<Judged>>>,
    failed: Arc<AtomicUsize>,
}

impl Owned {
    fn new(config: &Config, cases: &Arc<[Case]>, ctx: &CheckContext<'_>) -> Owned {
        let mut judged = Vec::new();
        judged.resize_with(cases.len(), || None);
        Owned {
            spec: ctx.spec.clone(),
            schemas: SchemaCache::new(),
            fixtures: ctx.fixtures.clone(),
            redactor: ctx.redactor.clone(),
            mode: ctx.mode,
            snapshots: ctx.snapshots.clone(),
            compare: ctx.compare,
            keep_snapshot: ctx.keep_snapshot,
            cases: cases.clone(),
            index: cases
                .iter()
                .enumerate()
                .map(|(i, c)| (c.id.clone(), i))
                .collect(),
            judged: Mutex::new(judged),
            failed: config
                .live_failures
                .clone()
                .unwrap_or_else(|| Arc::new(AtomicUsize::new(0))),
        }
    }

    /// Judges the run of case `i`; whether it failed or errored.
    fn judge(&self, i: usize, run: &CaseRun) -> (Judged, bool) {
        let ctx = CheckContext {
            spec: &self.spec,
            schemas: &self.schemas,
            fixtures: &self.fixtures,
            redactor: &self.redactor,
            mode: self.mode,
            snapshots: &self.snapshots,
            compare: self.compare,
            keep_snapshot: self.keep_snapshot,
        };
        let judged = judge(&self.cases[i], Some(run), &ctx);
        let failed = matches!(judged.verdict.outcome, Outcome::Fail | Outcome::Error);
        (judged, failed)
    }
}

/// Sends the cases while judging each as it finishes, and stops starting new ones once `max`
/// of them failed or errored. Each case is judged in the executor's callback, before its
/// worker takes the next case, so with one worker exactly `max` failures are sent. Returns
/// the runs, the verdicts judged on the way (by case index) and whether the run was stopped.
#[allow(clippy::too_many_arguments)]
async fn send_judging(
    config: &Config,
    cases: &Arc<[Case]>,
    fixtures: &Fixtures,
    scrubber: Scrubber,
    base_url: &str,
    progress: Arc<dyn Fn(&CaseRun) + Send + Sync>,
    ctx: &CheckContext<'_>,
    max: usize,
) -> Result<Sent, Error> {
    let owned = Arc::new(Owned::new(config, cases, ctx));
    let stop = Arc::new(AtomicBool::new(false));
    let callback = {
        let owned = owned.clone();
        let stop = stop.clone();
        Arc::new(move |run: &CaseRun| {
            progress(run);
            let Some(&i) = owned.index.get(&run.case_id) else {
                return;
            };
            let (judged, failed) = owned.judge(i, run);
            if failed && owned.failed.fetch_add(1, Ordering::SeqCst) + 1 >= max.max(1) {
                stop.store(true, Ordering::SeqCst);
            }
            if let Some(slot) = owned
                .judged
                .lock()
                .unwrap_or_else(PoisonError::into_inner)
                .get_mut(i)
            {
                *slot = Some(judged);
            }
        })
    };
    let (runs, leftovers) = send_cases(
        config,
        cases,
        fixtures,
        scrubber,
        base_url,
        callback,
        Some(stop.clone()),
    )
    .await?;
    let early = std::mem::take(&mut *owned.judged.lock().unwrap_or_else(PoisonError::into_inner));
    Ok(Sent {
        runs,
        leftovers,
        early,
        stopped: stop.load(Ordering::SeqCst),
    })
}
