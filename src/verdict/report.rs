//! The verdict on each case and the run they belong to.

use serde::{Deserialize, Serialize};

use super::{Failure, Outcome};
use crate::case::{Api, Family};
use crate::exchange::Exchange;

/// The verdict on one case.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Verdict {
    /// The case id.
    pub case_id: String,
    /// API version.
    pub api: Api,
    /// Resource, e.g. `user_properties`.
    pub resource: String,
    /// The operation the case is about.
    pub operation_id: String,
    /// The family.
    pub family: Family,
    /// What the case shows, one line.
    pub summary: String,
    /// The outcome.
    pub outcome: Outcome,
    /// Why it failed (empty unless `Fail`).
    pub failures: Vec<Failure>,
    /// Why it errored or was skipped.
    pub reason: Option<String>,
    /// What was exchanged.
    pub exchanges: Vec<Exchange>,
    /// A `curl` command reproducing the failing step, the token as an environment variable.
    pub reproduce: Option<String>,
    /// Wall time in milliseconds.
    pub elapsed_ms: u64,
    /// The fixtures' known-deviation entry this case matches, if any.
    pub known: Option<KnownDeviation>,
}

/// A departure the fixtures declare known for their target.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct KnownDeviation {
    /// The case id or glob that matched.
    pub cases: String,
    /// Why the target departs.
    pub reason: String,
    /// A bug report or discussion, if given.
    pub link: Option<String>,
}

/// A whole run: what was tested, against what, and every verdict in case order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RunReport {
    /// The fixtures profile.
    pub profile: String,
    /// The base URL tested (the embedded mock's is a loopback address).
    pub target: String,
    /// The spec the cases came from.
    pub spec: String,
    /// Wall time of the whole run in milliseconds.
    pub elapsed_ms: u64,
    /// Whether the exchanges were compared with reference snapshots (the fidelity table then
    /// shows how many cases agree with the reference).
    pub snapshots_verified: bool,
    /// Verdicts in case order.
    pub verdicts: Vec<Verdict>,
    /// The shard of the cases this run ran (`--partition hash:K/N`), if it ran one.
    #[serde(default)]
    pub partition: Option<crate::select::Partition>,
}

impl RunReport {
    /// How many verdicts have this outcome.
    pub fn count(&self, outcome: Outcome) -> usize {
        self.verdicts
            .iter()
            .filter(|v| v.outcome == outcome)
            .count()
    }

    /// Whether the run should exit with failure. An operation not served fails it too: the
    /// documentation has it, and a mock that stops routing one it served must not pass
    /// unnoticed (restrict the run to the operations a partial target serves).
    pub fn failed(&self) -> bool {
        self.verdicts.iter().any(|v| {
            matches!(
                v.outcome,
                Outcome::Fail | Outcome::Error | Outcome::NowConforms | Outcome::NotServed
            )
        })
    }
}
