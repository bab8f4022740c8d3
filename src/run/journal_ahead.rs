//! Journaling ahead: the undo entries of the next cases to start are written together, in one
//! sync, before the first of them starts, instead of one sync per case as it first writes. A case
//! still never writes before its undo entry is on disk; what it costs is that an interrupt may
//! find entries of cases that had not started yet, whose undo requests then find nothing
//! (a DELETE answered 404 counts as clean) — at most one window of them.

use tokio::sync::Mutex;

use super::journal::{Entry, Journal, JournalError};
use super::run_id::case_run_id;
use crate::case::substitute;
use crate::case::Case;

/// The undo entries of a run's cases, written a window at a time.
pub(crate) struct JournalAhead {
    /// Per case (by index): its entry, if it writes and has something to undo.
    entries: Vec<Option<Entry>>,
    /// How many cases are written ahead: every index below is on disk.
    written: Mutex<usize>,
    /// Cases per window.
    window: usize,
}

/// Whether a request may change something on the target.
fn writes(method: &str) -> bool {
    !matches!(method, "GET" | "HEAD" | "OPTIONS")
}

impl JournalAhead {
    /// The entries of `cases` (skipped ones have none), their run ids from `run_prefix`.
    pub(crate) fn new(cases: &[Case], run_prefix: &str, window: usize) -> JournalAhead {
        let entries = cases
            .iter()
            .enumerate()
            .map(|(index, case)| {
                let writing = case.skip.is_none()
                    && !case.cleanup.is_empty()
                    && case.steps.iter().any(|s| writes(&s.request.method));
                writing.then(|| {
                    let run = case_run_id(run_prefix, index);
                    Entry::Pending {
                        case: case.id.clone(),
                        cleanup: case.cleanup.iter().map(|c| substitute(c, &run)).collect(),
                        sweeps: case.sweeps.clone(),
                        run,
                    }
                })
            })
            .collect();
        JournalAhead {
            entries,
            written: Mutex::new(0),
            window: window.max(1),
        }
    }

    /// Makes sure case `index`'s entry is on disk, writing the window that starts with it when
    /// it is not yet; `true` when the case has an entry there.
    pub(crate) async fn ensure(
        &self,
        index: usize,
        journal: &Journal,
    ) -> Result<bool, JournalError> {
        if self.entries.get(index).is_none_or(Option::is_none) {
            return Ok(false);
        }
        let mut written = self.written.lock().await;
        if index >= *written {
            let end = (index + self.window).min(self.entries.len());
            let batch: Vec<&Entry> = self.entries[index..end].iter().flatten().collect();
            journal.append_all_synced(&batch).await?;
            *written = end;
        }
        Ok(true)
    }

    /// Marks done a case that was written ahead but will not start (the run stopped first).
    pub(crate) async fn not_started(&self, index: usize, journal: &Journal) {
        let written = *self.written.lock().await;
        if let Some(Some(Entry::Pending { case, .. })) = self.entries.get(index) {
            if index < written {
                let _ = journal.append_later(&Entry::Done { case: case.clone() });
            }
        }
    }
}
