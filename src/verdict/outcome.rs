//! The outcome of a case.

use serde::{Deserialize, Serialize};

/// The outcome of a case. A failure (the target departs) is not an error (we could not test).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    /// Everything the documentation (and the snapshot) says held.
    Pass,
    /// The target departs from the documentation or from the reference snapshot.
    Fail,
    /// The case could not be run: transport error, timeout.
    Error,
    /// The case was not run; the verdict says why.
    Skipped,
    /// The target departs as the fixtures say it is known to (a known deviation): reported with
    /// its reason, not a failure.
    Known,
    /// A known deviation that no longer departs: the fixtures' list is stale, so the run fails
    /// until the entry is removed (like a strict expected failure that passed).
    NowConforms,
    /// The target does not implement the case's operation: every case of it was answered with
    /// the same route-level 404. Counted apart, never as a failure of the case's family; it
    /// fails the run.
    NotServed,
}

impl Outcome {
    /// Every outcome, in report order.
    pub const ALL: [Outcome; 7] = [
        Outcome::Pass,
        Outcome::Fail,
        Outcome::Error,
        Outcome::Skipped,
        Outcome::Known,
        Outcome::NowConforms,
        Outcome::NotServed,
    ];

    /// The lower-case name.
    pub fn name(self) -> &'static str {
        match self {
            Outcome::Pass => "pass",
            Outcome::Fail => "fail",
            Outcome::Error => "error",
            Outcome::Skipped => "skipped",
            Outcome::Known => "known",
            Outcome::NowConforms => "now_conforms",
            Outcome::NotServed => "not_served",
        }
    }
}
