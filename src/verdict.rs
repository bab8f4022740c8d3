//! Verdicts: what the checks concluded about each case, and the run they belong to.

use serde::Serialize;

use crate::case::{Api, Family, Provenance};
use crate::exchange::Exchange;

/// The outcome of a case. A failure (the target departs) is not an error (we could not test).
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, serde::Deserialize,
)]
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
}

impl Outcome {
    /// Every outcome, in report order.
    pub const ALL: [Outcome; 6] = [
        Outcome::Pass,
        Outcome::Fail,
        Outcome::Error,
        Outcome::Skipped,
        Outcome::Known,
        Outcome::NowConforms,
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
        }
    }
}

/// What kind of departure a failure is; the names appear in reports.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, serde::Deserialize,
)]
#[serde(rename_all = "snake_case")]
pub enum FailureKind {
    /// The status is not the one the documentation gives for this request.
    WrongStatus,
    /// The status is not among the operation's documented statuses at all.
    UndocumentedStatus,
    /// The body does not match the documented schema.
    SchemaViolation,
    /// The content type is not the documented one.
    WrongContentType,
    /// A 405 response without the `Allow` header HTTP requires, or with the wrong methods.
    AllowHeader,
    /// The body does not hold what an earlier step stored (state not kept).
    StateMismatch,
    /// A setup step did not succeed, so the case could not show what it is about.
    SetupFailed,
    /// The normalised exchange differs from the recorded snapshot.
    SnapshotDrift,
}

impl FailureKind {
    /// The snake-case name used in reports.
    pub fn name(self) -> &'static str {
        match self {
            FailureKind::WrongStatus => "wrong_status",
            FailureKind::UndocumentedStatus => "undocumented_status",
            FailureKind::SchemaViolation => "schema_violation",
            FailureKind::WrongContentType => "wrong_content_type",
            FailureKind::AllowHeader => "allow_header",
            FailureKind::StateMismatch => "state_mismatch",
            FailureKind::SetupFailed => "setup_failed",
            FailureKind::SnapshotDrift => "snapshot_drift",
        }
    }
}

/// How closely two exchanges are compared (a snapshot with its reference, or two targets), from
/// the coarsest to the finest. Drift names the first level at which they differ.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, serde::Deserialize,
)]
#[serde(rename_all = "kebab-case")]
pub enum CompareLevel {
    /// The status codes.
    Status,
    /// The status codes and the media types.
    ContentType,
    /// The above and, at each JSON pointer, the set of members and their JSON types (arrays by
    /// the shape of their elements).
    Shape,
    /// The above and the redacted values.
    Values,
}

impl CompareLevel {
    /// Every level, coarsest first.
    pub const ALL: [CompareLevel; 4] = [
        CompareLevel::Status,
        CompareLevel::ContentType,
        CompareLevel::Shape,
        CompareLevel::Values,
    ];

    /// The name used on the command line and in reports.
    pub fn name(self) -> &'static str {
        match self {
            CompareLevel::Status => "status",
            CompareLevel::ContentType => "content-type",
            CompareLevel::Shape => "shape",
            CompareLevel::Values => "values",
        }
    }

    /// Parses a name.
    pub fn parse(text: &str) -> Option<CompareLevel> {
        CompareLevel::ALL.into_iter().find(|l| l.name() == text)
    }
}

impl std::fmt::Display for CompareLevel {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

/// One reason a case failed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, serde::Deserialize)]
pub struct Failure {
    /// The kind.
    pub kind: FailureKind,
    /// The step it concerns.
    pub step: usize,
    /// What was expected and what came back, in one or a few lines (no secrets).
    pub message: String,
    /// Where the expectation comes from.
    pub provenance: Option<Provenance>,
}

/// The verdict on one case.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, serde::Deserialize)]
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
#[derive(Debug, Clone, PartialEq, Eq, Serialize, serde::Deserialize)]
pub struct KnownDeviation {
    /// The case id or glob that matched.
    pub cases: String,
    /// Why the target departs.
    pub reason: String,
    /// A bug report or discussion, if given.
    pub link: Option<String>,
}

/// A whole run: what was tested, against what, and every verdict in case order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, serde::Deserialize)]
pub struct RunReport {
    /// The fixtures profile.
    pub profile: String,
    /// The base URL tested (the embedded mock's is a loopback address).
    pub target: String,
    /// The spec the cases came from.
    pub spec: String,
    /// Wall time of the whole run in milliseconds.
    pub elapsed_ms: u64,
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

    /// Whether the run should exit with failure.
    pub fn failed(&self) -> bool {
        self.verdicts.iter().any(|v| {
            matches!(
                v.outcome,
                Outcome::Fail | Outcome::Error | Outcome::NowConforms
            )
        })
    }
}
