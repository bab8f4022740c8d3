//! Verdicts: what the checks concluded about each case, and the run they belong to; what a
//! run left in its journal; what a differential run found.

mod compare_level;
mod diff;
mod failure;
mod leftovers;
mod outcome;
mod report;

pub use compare_level::CompareLevel;
pub use diff::{DiffReport, Disagreement};
pub use failure::{Failure, FailureDetail, FailureKind};
pub use leftovers::Leftovers;
pub use outcome::Outcome;
pub use report::{KnownDeviation, RunReport, Verdict};
