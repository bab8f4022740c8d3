//! The one effectful stage: sends each case's requests to the target, bounded in concurrency
//! and time, and always sends the cleanup.

mod auth;
mod executor;
pub mod journal;
mod run_id;
mod step_ref;

pub use auth::{authorization, INVALID_TOKEN};
pub use executor::{execute, url_for, RunOptions, BODY_CAP_BYTES};
pub use run_id::{run_prefix, substitute, substitute_value};
pub use step_ref::{resolve as resolve_step_refs, step_ref};
