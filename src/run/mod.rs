//! The one effectful stage: sends each case's requests to the target, bounded in concurrency,
//! rate and time, retries what is safe to retry, and always sends the cleanup.

mod auth;
pub mod body_cap;
mod executor;
pub mod http_date;
pub mod journal;
mod journal_ahead;
pub mod preflight;
pub mod rate;
pub mod retry;
mod run_id;
pub mod scrub;
mod step_ref;

pub use auth::authorization;
pub use executor::{
    clean_up, execute, execute_with, url_for, Cleaned, CleanedCase, RunOptions, Traffic,
    BODY_CAP_BYTES,
};
pub use rate::{cleanup_grace, Clock, Pace, Purpose, TokioClock};
pub use retry::RetryPolicy;
pub use run_id::run_prefix;
pub use scrub::Scrubber;
pub use step_ref::resolve as resolve_step_refs;
