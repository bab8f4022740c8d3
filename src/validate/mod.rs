//! Offline validation of recorded traffic (a HAR file, or a directory of request/response
//! pairs) against the spec: each exchange is matched to its documented operation and checked
//! like a live response of the schema family, without sending anything.
//!
//! The result is an ordinary [`crate::verdict::RunReport`], so every report format renders it.

mod check;
mod error;
mod har;
mod matcher;
mod pairs;
mod read;
mod recorded;
mod redact;

pub use error::ValidateError;
pub use har::validate_har;
pub use pairs::validate_pairs;
