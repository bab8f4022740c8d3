//! One case's entries in the cleanup journal: its undo requests are on disk before its first
//! writing request, written again once a step returns a value they name, and marked done once
//! its cleanup has run.

use super::journal::{Entry, Journal, JournalError};
use super::step_ref;
use crate::case::substitute;
use crate::case::{Case, Request, Sweep};
use crate::exchange::Exchange;

/// One case's entries in the cleanup journal.
pub(super) struct UndoLog<'a> {
    journal: Option<&'a Journal>,
    case: &'a str,
    run_id: &'a str,
    /// The undo requests as last written.
    requests: Vec<Request>,
    sweeps: Vec<Sweep>,
    /// The entry is in the journal (written ahead, or before the case's first write).
    written: bool,
}

impl<'a> UndoLog<'a> {
    /// The log of `case` run as `run_id`; `written_ahead`: its entry is already on disk (see
    /// `journal_ahead`).
    pub(super) fn new(
        journal: Option<&'a Journal>,
        case: &'a Case,
        run_id: &'a str,
        written_ahead: bool,
    ) -> UndoLog<'a> {
        UndoLog {
            journal,
            case: &case.id,
            run_id,
            requests: case.cleanup.iter().map(|c| substitute(c, run_id)).collect(),
            sweeps: case.sweeps.clone(),
            written: written_ahead,
        }
    }

    /// Writes the undo requests before the first writing request.
    pub(super) async fn before(&mut self, request: &Request) -> Result<(), JournalError> {
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
    pub(super) async fn after(&mut self, exchanges: &[Exchange]) {
        let Some(journal) = self.journal.filter(|_| self.written) else {
            return;
        };
        // Filled in where the step answered with the value; left out where it answered with a
        // refusal (nothing was created); kept as is while the answer is due or was lost.
        let resolved: Vec<Request> = self
            .requests
            .iter()
            .filter_map(|r| match step_ref::resolve(r, exchanges) {
                Some(resolved) => Some(resolved.into_owned()),
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

    pub(super) fn done(&self) -> Result<(), JournalError> {
        // Not waited for: a lost mark only repeats an undo that then finds nothing.
        match self.journal.filter(|_| self.written) {
            Some(journal) => journal.append_later(&Entry::Done {
                case: self.case.to_string(),
            }),
            None => Ok(()),
        }
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

/// Whether a request only reads (it changes nothing on the target).
pub(super) fn is_read(method: &str) -> bool {
    matches!(method, "GET" | "HEAD" | "OPTIONS")
}
