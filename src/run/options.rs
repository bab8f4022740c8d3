//! The settings of a run: how many cases at once and how long a request may take
//! ([`RunOptions`]), and how requests are paced, retried, journaled and stopped ([`Traffic`]).

use std::sync::atomic::{AtomicBool, AtomicU64};
use std::sync::Arc;
use std::time::Duration;

use super::journal::Journal;
use super::rate::{Clock, TokioClock};
use super::retry::RetryPolicy;
use super::scrub::Scrubber;

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
    pub stop: Option<Arc<AtomicBool>>,
    /// Counts every request sent to the target (steps, retries, cleanups), for a benchmark or
    /// a caller that reports throughput.
    pub requests: Option<Arc<AtomicU64>>,
    /// The scrubber of the fixtures' credentials when the caller has built it already (the
    /// preflight has): building one compiles a large pattern (`None`: the run builds its own).
    pub scrubber: Option<Scrubber>,
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
            scrubber: None,
        }
    }
}
