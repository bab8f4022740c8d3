//! The pace of a run: a requests-per-second limit, a request budget per target, an overall
//! deadline, and a hold every request waits for when the target asked for a pause (a 429 or
//! 503 with `Retry-After`, or `X-RateLimit-Remaining: 0` with a reset time).
//!
//! Time comes from a [`Clock`], so tests can run on a virtual clock and never sleep for real.

use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime};

use super::retry::human;

/// Where the runner reads the time and how it waits.
pub trait Clock: Send + Sync + fmt::Debug {
    /// Monotonic time since an arbitrary start.
    fn now(&self) -> Duration;
    /// Wall-clock time, which HTTP dates and Jira's reset timestamps are relative to.
    fn wall(&self) -> SystemTime;
    /// Waits `duration`.
    fn sleep(&self, duration: Duration) -> Pin<Box<dyn Future<Output = ()> + Send>>;
}

/// The real clock: tokio's timer and the system time.
#[derive(Debug, Clone, Copy)]
pub struct TokioClock {
    start: std::time::Instant,
}

impl Default for TokioClock {
    fn default() -> Self {
        TokioClock {
            start: std::time::Instant::now(),
        }
    }
}

impl Clock for TokioClock {
    fn now(&self) -> Duration {
        self.start.elapsed()
    }

    fn wall(&self) -> SystemTime {
        SystemTime::now()
    }

    fn sleep(&self, duration: Duration) -> Pin<Box<dyn Future<Output = ()> + Send>> {
        Box::pin(tokio::time::sleep(duration))
    }
}

/// Whether a request is a case's step or a cleanup. Cleanups are never refused by the budget
/// (leaving a case's data on a real site is worse than a few requests more), but they keep the
/// rate and count towards it; past the deadline they get a short grace ([`cleanup_grace`]),
/// then what is left stays in the journal.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Purpose {
    /// Step `n` of a case.
    Step(usize),
    /// A cleanup request.
    Cleanup,
}

/// How long cleanups may still go after a run's deadline: a quarter of the deadline, at least
/// 1 s and at most 10 s.
pub fn cleanup_grace(deadline: Duration) -> Duration {
    (deadline / 4).clamp(Duration::from_secs(1), Duration::from_secs(10))
}

#[derive(Debug, Default)]
struct State {
    /// The earliest time the next request may go (the rate limit).
    next_slot: Duration,
    /// No request goes before this time (the target asked for a pause).
    hold_until: Duration,
    /// Requests admitted so far.
    sent: u64,
}

/// Admits requests to one target: shared by every case of a run.
#[derive(Debug)]
pub struct Pace {
    clock: Arc<dyn Clock>,
    interval: Option<Duration>,
    budget: Option<u64>,
    deadline: Option<Duration>,
    grace: Duration,
    /// What the deadline is, when it is not the run's (a cleanup's own time, say).
    label: Option<String>,
    started: Duration,
    state: Mutex<State>,
}

impl Pace {
    /// A pace starting now. A rate that is not a positive number means no limit. Cleanups may
    /// go until [`cleanup_grace`] after the deadline.
    pub fn new(
        clock: Arc<dyn Clock>,
        requests_per_second: Option<f64>,
        budget: Option<u64>,
        deadline: Option<Duration>,
    ) -> Pace {
        let interval = requests_per_second
            .filter(|r| r.is_finite() && *r > 0.0)
            .map(|r| Duration::from_secs_f64(1.0 / r));
        let started = clock.now();
        Pace {
            clock,
            interval,
            budget,
            deadline,
            grace: deadline.map_or(Duration::ZERO, cleanup_grace),
            label: None,
            started,
            state: Mutex::new(State {
                next_slot: started,
                hold_until: started,
                sent: 0,
            }),
        }
    }

    /// The same pace with another grace for cleanups past the deadline.
    pub fn with_grace(mut self, grace: Duration) -> Pace {
        self.grace = grace;
        self
    }

    /// The grace cleanups get past the deadline.
    pub fn grace(&self) -> Duration {
        self.grace
    }

    /// A pace for a cleanup alone, which must be over within `within`; `what` names that time
    /// in messages ("the interrupt's grace (10 s)").
    pub fn cleanup_window(clock: Arc<dyn Clock>, within: Duration, what: String) -> Pace {
        let mut pace = Pace::new(clock, None, None, Some(within)).with_grace(Duration::ZERO);
        pace.label = Some(what);
        pace
    }

    /// When requests of this purpose stop, counted from the start: the deadline for steps, the
    /// deadline plus the grace for cleanups (`None`: no deadline).
    fn limit(&self, purpose: Purpose) -> Option<Duration> {
        self.deadline.map(|d| match purpose {
            Purpose::Cleanup => d + self.grace,
            Purpose::Step(_) => d,
        })
    }

    /// The time left before requests of this purpose stop (`None`: no deadline). A request's
    /// timeout is cut to it, so a target that stalls cannot hold the run past its deadline.
    pub fn time_left(&self, purpose: Purpose) -> Option<Duration> {
        let elapsed = self.clock.now().saturating_sub(self.started);
        self.limit(purpose).map(|l| l.saturating_sub(elapsed))
    }

    fn state(&self) -> std::sync::MutexGuard<'_, State> {
        // The state is a few numbers always left consistent: a poisoned lock is still usable.
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Waits until a request may go, or says why it may not (budget spent, deadline passed).
    pub async fn admit(&self, purpose: Purpose) -> Result<(), String> {
        let wait = {
            let mut s = self.state();
            let now = self.clock.now();
            // When it may go: now, or after the rate's interval or the target's pause.
            let slot = now.max(s.next_slot).max(s.hold_until);
            if let (Some(deadline), Some(limit)) = (self.deadline, self.limit(purpose)) {
                if slot.saturating_sub(self.started) >= limit {
                    let late = if slot > now {
                        " (before the rate limit or the target's pause lets it go)"
                    } else {
                        ""
                    };
                    return Err(match purpose {
                        Purpose::Cleanup => match &self.label {
                            Some(what) => format!("not sent: {what} has passed{late}"),
                            None => format!(
                                "not sent: the run's deadline ({}) and the cleanup grace after \
                                 it ({}) have passed{late}",
                                human(deadline),
                                human(self.grace)
                            ),
                        },
                        Purpose::Step(_) => {
                            format!(
                                "not sent: the run's deadline ({}) has passed{late}",
                                human(deadline)
                            )
                        }
                    });
                }
            }
            if purpose != Purpose::Cleanup {
                if let Some(budget) = self.budget {
                    if s.sent >= budget {
                        return Err(format!(
                            "not sent: the request budget ({budget} requests to this target) is spent"
                        ));
                    }
                }
            }
            s.sent += 1;
            if let Some(interval) = self.interval {
                s.next_slot = slot + interval;
            }
            slot - now
        };
        if !wait.is_zero() {
            self.clock.sleep(wait).await;
        }
        Ok(())
    }

    /// No request goes before `wait` from now (the target asked for a pause).
    pub fn hold_for(&self, wait: Duration) {
        let until = self.clock.now() + wait;
        let mut s = self.state();
        s.hold_until = s.hold_until.max(until);
    }

    /// Says why a wait of `wait` before a retry must not be waited (it would pass the deadline).
    pub fn check_wait(&self, purpose: Purpose, wait: Duration) -> Result<(), String> {
        let (Some(deadline), Some(limit)) = (self.deadline, self.limit(purpose)) else {
            return Ok(());
        };
        let elapsed = self.clock.now().saturating_sub(self.started);
        if elapsed + wait >= limit {
            return Err(match purpose {
                Purpose::Cleanup => match &self.label {
                    Some(what) => format!("waiting {} to retry would pass {what}", human(wait)),
                    None => format!(
                        "waiting {} to retry would pass the run's deadline ({}) and its cleanup \
                         grace ({})",
                        human(wait),
                        human(deadline),
                        human(self.grace)
                    ),
                },
                Purpose::Step(_) => format!(
                    "waiting {} to retry would pass the run's deadline ({})",
                    human(wait),
                    human(deadline)
                ),
            });
        }
        Ok(())
    }

    /// Requests admitted so far (retries and cleanups included).
    pub fn sent(&self) -> u64 {
        self.state().sent
    }

    /// The clock.
    pub fn clock(&self) -> &Arc<dyn Clock> {
        &self.clock
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A virtual clock: sleeping moves time forward at once.
    #[derive(Debug, Default)]
    struct Virtual(Mutex<Duration>);

    impl Clock for Virtual {
        fn now(&self) -> Duration {
            *self.0.lock().unwrap()
        }
        fn wall(&self) -> SystemTime {
            SystemTime::UNIX_EPOCH + self.now()
        }
        fn sleep(&self, d: Duration) -> Pin<Box<dyn Future<Output = ()> + Send>> {
            *self.0.lock().unwrap() += d;
            Box::pin(async {})
        }
    }

    fn block<F: Future>(f: F) -> F::Output {
        tokio::runtime::Builder::new_current_thread()
            .build()
            .unwrap()
            .block_on(f)
    }

    #[test]
    fn the_rate_spaces_requests() {
        let clock = Arc::new(Virtual::default());
        let pace = Pace::new(clock.clone(), Some(4.0), None, None);
        block(async {
            for _ in 0..5 {
                pace.admit(Purpose::Step(0)).await.unwrap();
            }
        });
        assert_eq!(clock.now(), Duration::from_secs(1));
    }

    #[test]
    fn the_budget_refuses_steps_not_cleanups() {
        let pace = Pace::new(Arc::new(Virtual::default()), None, Some(2), None);
        block(async {
            assert!(pace.admit(Purpose::Step(0)).await.is_ok());
            assert!(pace.admit(Purpose::Step(1)).await.is_ok());
            assert_eq!(
                pace.admit(Purpose::Step(2)).await,
                Err("not sent: the request budget (2 requests to this target) is spent".into())
            );
            assert!(pace.admit(Purpose::Cleanup).await.is_ok());
        });
        assert_eq!(pace.sent(), 3);
    }

    #[test]
    fn the_deadline_refuses_late_steps_and_long_waits() {
        let clock = Arc::new(Virtual::default());
        let pace = Pace::new(clock.clone(), None, None, Some(Duration::from_secs(2)));
        assert!(pace
            .check_wait(Purpose::Step(0), Duration::from_secs(1))
            .is_ok());
        assert_eq!(
            pace.check_wait(Purpose::Step(0), Duration::from_secs(5)),
            Err("waiting 5 s to retry would pass the run's deadline (2 s)".into())
        );
        block(clock.sleep(Duration::from_millis(2500)));
        block(async {
            assert_eq!(
                pace.admit(Purpose::Step(0)).await,
                Err("not sent: the run's deadline (2 s) has passed".into())
            );
            // Within the grace (1 s past a 2 s deadline) cleanups still go, then not.
            assert!(pace.admit(Purpose::Cleanup).await.is_ok());
            assert_eq!(
                pace.time_left(Purpose::Cleanup),
                Some(Duration::from_millis(500))
            );
            clock.sleep(Duration::from_millis(500)).await;
            assert_eq!(
                pace.admit(Purpose::Cleanup).await,
                Err(
                    "not sent: the run's deadline (2 s) and the cleanup grace after it (1 s) \
                     have passed"
                        .into()
                )
            );
        });
    }

    #[test]
    fn the_grace_is_a_quarter_of_the_deadline_within_1_and_10_s() {
        assert_eq!(
            cleanup_grace(Duration::from_secs(2)),
            Duration::from_secs(1)
        );
        assert_eq!(
            cleanup_grace(Duration::from_secs(20)),
            Duration::from_secs(5)
        );
        assert_eq!(
            cleanup_grace(Duration::from_secs(600)),
            Duration::from_secs(10)
        );
    }

    #[test]
    fn a_pause_that_ends_past_the_deadline_refuses_at_once() {
        let clock = Arc::new(Virtual::default());
        let pace = Pace::new(clock.clone(), None, None, Some(Duration::from_secs(4)));
        pace.hold_for(Duration::from_secs(30));
        assert_eq!(
            block(pace.admit(Purpose::Step(0))),
            Err(
                "not sent: the run's deadline (4 s) has passed (before the rate limit or the \
                 target's pause lets it go)"
                    .into()
            )
        );
        assert_eq!(clock.now(), Duration::ZERO, "nothing was waited");
        assert_eq!(pace.sent(), 0);
    }

    #[test]
    fn a_hold_delays_every_request() {
        let clock = Arc::new(Virtual::default());
        let pace = Pace::new(clock.clone(), None, None, None);
        pace.hold_for(Duration::from_secs(2));
        block(pace.admit(Purpose::Step(0))).unwrap();
        assert_eq!(clock.now(), Duration::from_secs(2));
    }
}
