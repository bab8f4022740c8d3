//! The one effectful stage: sends each case's requests to the target, bounded in concurrency,
//! rate and time, retries what is safe to retry, and always sends the cleanup.
//!
//! Each file, from the bottom up (a file imports only the ones above it; no circle):
//!
//! - `http_date`: HTTP and ISO 8601 dates, read and written.
//! - `retry`: when a request is sent again and after how long (pure); `rate`: the pace (rate,
//!   budget, deadline, the target's pauses) and the clock.
//! - `run_id`: the run prefix and each case's run id; `auth`: the `Authorization` header of an
//!   actor; `scrub`: every credential taken out of what comes back; `body_cap`: how much of
//!   the bodies is kept; `step_ref`: `{{step:N:/pointer}}` filled in from earlier answers.
//! - `journal_writer`: the journal's writer thread (group commit, lines held for its next
//!   batch); `journal`: the cleanup journal; `journal_read`: a journal read back (what it
//!   leaves unfinished); `journal_ahead`: undo entries written a window of
//!   cases ahead, the window growing while the journal falls behind.
//! - `options`: [`RunOptions`] and [`Traffic`], the settings of a run.
//! - `url`: a request's URL; `transport_error`: what a transport failure means for retrying
//!   and how the verdict says it.
//! - `shared`: what every request of a run shares (client, pace, scrubber, journal).
//! - `send`: one request, with its retries; one attempt; the body read up to the cap.
//! - `cleanup`: undo problems, sweeps, and `jira-conform cleanup` ([`clean_up`]).
//! - `undo_log`: one case's entries in the journal; `case_run`: one case's steps, then its
//!   cleanup.
//! - `executor`: schedules the cases ([`execute`], [`execute_with`]) and collects their runs.
//! - `preflight`: checks the target and the credentials before a run (uses `auth`, `scrub`).

mod auth;
pub mod body_cap;
mod case_run;
mod cleanup;
mod executor;
pub mod http_date;
pub mod journal;
mod journal_ahead;
mod journal_read;
mod journal_writer;
mod options;
pub mod preflight;
pub mod rate;
pub mod retry;
mod run_id;
pub mod scrub;
mod send;
mod shared;
mod step_ref;
mod transport_error;
mod undo_log;
mod url;

pub use auth::authorization;
pub use body_cap::BODY_CAP_BYTES;
pub use cleanup::{clean_up, Cleaned, CleanedCase};
pub use executor::{execute, execute_shared, execute_with};
pub use options::{RunOptions, Traffic};
pub use rate::{cleanup_grace, Clock, Pace, Purpose, TokioClock};
pub use retry::RetryPolicy;
pub use run_id::run_prefix;
pub use scrub::Scrubber;
pub use step_ref::resolve as resolve_step_refs;
pub use url::url_for;
