//! Journaling ahead: the undo entries of the next cases to start are written together, in one
//! sync, before the first of them starts, instead of one sync per case as it first writes. A case
//! still never writes before its undo entry is on disk; what it costs is that an interrupt may
//! find entries of cases that had not started yet, whose undo requests then find nothing
//! (a DELETE answered 404 counts as clean) — at most two windows of them.
//!
//! The next window is written while the cases of the current one run (one write in flight at a
//! time): a sync takes milliseconds on a real disk, and a case that had to wait for it would
//! leave its connection idle. When a case does wait (the cases ran through a window faster
//! than the disk synced the next), the window doubles, up to [`MAX_WINDOW`]: against a fast
//! target the journal stays ahead, while a slow or paced run keeps the small window it starts
//! with, and so the few entries an interrupt may leave behind.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, PoisonError};

use tokio::sync::Notify;

use super::journal::{Entry, Journal, JournalError};
use super::run_id::case_run_id;
use crate::case::substitute;
use crate::case::Case;

/// The most cases a window grows to.
pub(crate) const MAX_WINDOW: usize = 1024;

/// The undo entries of a run's cases, written a window at a time.
pub(crate) struct JournalAhead {
    /// The run's cases: an entry is made when its window is written, not all up front (the
    /// first request of a large run would wait for every entry of the run).
    cases: Arc<[Case]>,
    run_prefix: String,
    /// How far the entries are written and asked for.
    state: Mutex<Written>,
    /// Told whenever a write ends (written or failed).
    changed: Notify,
    /// Cases per window: the first window's size, doubled whenever a case had to wait.
    window: AtomicUsize,
    /// Where the writes ahead run: the runtime the run was started on, when there is one. A
    /// write is asked for by whichever case is near the end of the written window, on whichever
    /// shard's thread; spawned there, it would be dropped unfinished if that shard ran out of
    /// cases first, and the cases of other shards waiting for it would wait forever.
    spawner: Option<tokio::runtime::Handle>,
}

/// How far the entries are written.
#[derive(Debug, Clone, Copy)]
struct Written {
    /// Every index below is on disk.
    done: usize,
    /// Every index below is on disk or in the write in flight (`done` when none is).
    asked: usize,
    /// The `done` at which a case last found the journal behind: the window doubles once per
    /// write a case waits for, not once per waiting case.
    behind_at: usize,
}

impl Written {
    /// Whether a case at `index` finds the journal behind for the first time at this point:
    /// its entry is not on disk although the first window is (every run waits for that one
    /// once), and no case found it behind at this `done` before.
    fn newly_behind(&mut self, index: usize) -> bool {
        let behind = index >= self.done && self.done > 0 && self.behind_at != self.done;
        if behind {
            self.behind_at = self.done;
        }
        behind
    }
}

/// What a case does about its entry.
enum Step {
    /// It is on disk.
    OnDisk,
    /// A write is in flight (one at a time, so what is on disk is always a prefix): wait for
    /// it.
    Wait,
    /// Write the window from `start` to `end` now, and wait for it.
    Write { start: usize, end: usize },
}

/// Whether a request may change something on the target.
fn writes(method: &str) -> bool {
    !matches!(method, "GET" | "HEAD" | "OPTIONS")
}

impl JournalAhead {
    /// The entries of `cases` (skipped ones have none), their run ids from `run_prefix`.
    pub(crate) fn new(cases: Arc<[Case]>, run_prefix: &str, window: usize) -> JournalAhead {
        JournalAhead {
            spawner: tokio::runtime::Handle::try_current().ok(),
            cases,
            run_prefix: run_prefix.to_string(),
            state: Mutex::new(Written {
                done: 0,
                asked: 0,
                behind_at: 0,
            }),
            changed: Notify::new(),
            window: AtomicUsize::new(window.clamp(1, MAX_WINDOW)),
        }
    }

    /// Whether case `index` has an entry: it runs, writes, and has something to undo.
    fn has_entry(&self, index: usize) -> bool {
        self.cases.get(index).is_some_and(|case| {
            case.skip.is_none()
                && !case.cleanup.is_empty()
                && case.steps.iter().any(|s| writes(&s.request.method))
        })
    }

    /// The entry of case `index`, if it has one.
    fn entry(&self, index: usize) -> Option<Entry> {
        let case = self.cases.get(index).filter(|_| self.has_entry(index))?;
        let run = case_run_id(&self.run_prefix, index);
        Some(Entry::Pending {
            case: case.id.clone(),
            cleanup: case.cleanup.iter().map(|c| substitute(c, &run)).collect(),
            sweeps: case.sweeps.clone(),
            run,
        })
    }

    fn state(&self) -> std::sync::MutexGuard<'_, Written> {
        // Two numbers always left consistent: a poisoned lock is still usable.
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Makes sure case `index`'s entry is on disk, writing the window that starts with it when
    /// it is not yet; `true` when the case has an entry there. Once it is, the next window is
    /// written in the background when none is in flight.
    pub(crate) async fn ensure(
        self: &Arc<Self>,
        index: usize,
        journal: &Arc<Journal>,
    ) -> Result<bool, JournalError> {
        if !self.has_entry(index) {
            return Ok(false);
        }
        self.on_disk(index, journal).await?;
        self.write_next(index, journal);
        Ok(true)
    }

    /// Returns once every entry up to `index` is on disk, writing (or waiting for) the window
    /// that holds it. A failed write is the caller's to report; a case after it tries again.
    async fn on_disk(&self, index: usize, journal: &Journal) -> Result<(), JournalError> {
        // Most cases find their entry written already: they register no waiter (a lock on the
        // notifier to enter and one to leave, shared by every case of the run).
        if index < self.state().done {
            return Ok(());
        }
        loop {
            let changed = self.changed.notified();
            tokio::pin!(changed);
            // Registered before the state is read, so a write ending in between is not missed.
            changed.as_mut().enable();
            let step = {
                let mut written = self.state();
                if written.newly_behind(index) {
                    self.widen();
                }
                if index < written.done {
                    Step::OnDisk
                } else if written.asked > written.done {
                    Step::Wait
                } else {
                    // Nothing in flight covers it (the background write failed, or the run
                    // went faster than the journal): every entry from the last written up to
                    // a window past this case, now.
                    let end = (index + self.window()).min(self.cases.len());
                    written.asked = end;
                    Step::Write {
                        start: written.done,
                        end,
                    }
                }
            };
            match step {
                Step::OnDisk => return Ok(()),
                Step::Wait => changed.await,
                Step::Write { start, end } => return self.write(start, end, journal).await,
            }
        }
    }

    /// The current window size.
    fn window(&self) -> usize {
        self.window.load(Ordering::Relaxed)
    }

    /// Doubles the window (a case had to wait for the journal), up to [`MAX_WINDOW`].
    fn widen(&self) {
        let _ = self
            .window
            .fetch_update(Ordering::Relaxed, Ordering::Relaxed, |w| {
                (w < MAX_WINDOW).then(|| (2 * w).min(MAX_WINDOW))
            });
    }

    /// Starts writing the window after the last one asked for, when none is in flight and the
    /// cases have reached the last window written.
    fn write_next(self: &Arc<Self>, index: usize, journal: &Arc<Journal>) {
        let (start, end) = {
            let mut written = self.state();
            let in_flight = written.asked > written.done;
            let window = self.window();
            let near = index + window >= written.done;
            if in_flight || !near || written.done >= self.cases.len() {
                return;
            }
            let start = written.done;
            let end = (start + window).min(self.cases.len());
            written.asked = end;
            (start, end)
        };
        let (ahead, journal) = (self.clone(), journal.clone());
        let write = async move {
            // A failure is left to the cases of that window: each writes its own window again.
            let _ = ahead.write(start, end, &journal).await;
        };
        match &self.spawner {
            Some(runtime) => drop(runtime.spawn(write)),
            None => drop(tokio::spawn(write)),
        }
    }

    /// Writes the entries of cases `start..end` in one sync; tells the waiting cases.
    async fn write(&self, start: usize, end: usize, journal: &Journal) -> Result<(), JournalError> {
        let entries: Vec<Entry> = (start..end).filter_map(|i| self.entry(i)).collect();
        let batch: Vec<&Entry> = entries.iter().collect();
        let result = journal.append_all_synced(&batch).await;
        {
            let mut written = self.state();
            match &result {
                Ok(()) => {
                    written.done = end;
                    written.asked = end;
                }
                // Nothing of it counts as written: the next case asks again.
                Err(_) => written.asked = written.done,
            }
        }
        self.changed.notify_waiters();
        result
    }

    /// Marks done a case that was written ahead but will not start (the run stopped first).
    pub(crate) async fn not_started(&self, index: usize, journal: &Journal) {
        let Some(case) = self.cases.get(index).filter(|_| self.has_entry(index)) else {
            return;
        };
        let case = &case.id;
        // An entry in a write still in flight is on disk once it ends.
        let waited = loop {
            let changed = self.changed.notified();
            tokio::pin!(changed);
            changed.as_mut().enable();
            let written = *self.state();
            if index < written.done {
                break true;
            }
            if index >= written.asked {
                break false;
            }
            changed.await;
        };
        if waited {
            let _ = journal.append_later(&Entry::Done { case: case.clone() });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_journal_is_behind_once_per_write_and_never_for_the_first_window() {
        let mut written = Written {
            done: 0,
            asked: 32,
            behind_at: 0,
        };
        assert!(
            !written.newly_behind(5),
            "the first window is waited for by every run"
        );
        written.done = 32;
        assert!(!written.newly_behind(31), "on disk");
        assert!(written.newly_behind(40));
        assert!(!written.newly_behind(41), "the same write: counted once");
        written.done = 64;
        assert!(written.newly_behind(64));
    }

    #[test]
    fn the_window_doubles_up_to_its_bound() {
        let ahead = JournalAhead::new(Arc::from(Vec::new()), "jab", 32);
        assert_eq!(ahead.window(), 32);
        ahead.widen();
        assert_eq!(ahead.window(), 64);
        for _ in 0..10 {
            ahead.widen();
        }
        assert_eq!(ahead.window(), MAX_WINDOW);
        assert_eq!(
            JournalAhead::new(Arc::from(Vec::new()), "jab", 5000).window(),
            MAX_WINDOW
        );
    }

    #[test]
    fn a_write_ahead_outlives_the_runtime_of_the_case_that_asked_for_it() {
        // Real cases with undo entries: the embedded spec's.
        let spec = crate::spec::embedded().unwrap();
        let fixtures = crate::fixtures::Fixtures::embedded().unwrap();
        let cases: Vec<Case> = crate::generate::generate(&spec, &fixtures, &crate::case::Api::ALL)
            .unwrap()
            .into_iter()
            .filter(|c| c.skip.is_none() && !c.cleanup.is_empty() && c.writes)
            .take(8)
            .collect();
        let dir = std::env::temp_dir().join(format!("jc-ahead-shard-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        let journal = Arc::new(Journal::open(&dir.join("journal.jsonl")).unwrap());
        let run = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        run.block_on(async {
            let ahead = Arc::new(JournalAhead::new(cases.into(), "jab", 2));
            assert!(
                ahead.has_entry(0) && ahead.has_entry(2),
                "cases with entries"
            );
            // A shard: a runtime of its own on a thread of its own, gone as soon as its one
            // case has its entry, having asked for the next window on the way.
            let (shard_ahead, shard_journal) = (ahead.clone(), journal.clone());
            std::thread::spawn(move || {
                let shard = tokio::runtime::Builder::new_current_thread()
                    .enable_all()
                    .build()
                    .unwrap();
                assert!(shard
                    .block_on(shard_ahead.ensure(0, &shard_journal))
                    .unwrap());
            })
            .join()
            .unwrap();
            let written = *ahead.state();
            assert!(
                written.asked > written.done,
                "the next window was asked for"
            );
            // Spawned on the shard's runtime, the write would have been dropped with it, and a
            // case of another shard waiting for it would wait forever.
            let next = tokio::time::timeout(
                std::time::Duration::from_secs(20),
                ahead.ensure(2, &journal),
            )
            .await;
            assert!(matches!(next, Ok(Ok(true))), "the window ahead was written");
        });
        let _ = std::fs::remove_dir_all(&dir);
    }
}
