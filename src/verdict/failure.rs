//! Why a case failed: the kind, the detail as data, and its text.

use std::fmt;

use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::CompareLevel;
use crate::case::{Provenance, StatusExpectation};

/// What kind of departure a failure is; the names appear in reports.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
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

/// One reason a case failed: what the check found, as data. Reports render from these fields;
/// the human text is this type's `Display`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum FailureDetail {
    /// The status is not the one the documentation gives for this request.
    WrongStatus {
        /// The step's label (`PUT as alice`).
        label: String,
        /// The statuses the documentation allows for this request.
        expected: StatusExpectation,
        /// The status received.
        got: u16,
    },
    /// The status is not among the operation's documented statuses at all.
    UndocumentedStatus {
        /// The operation.
        operation_id: String,
        /// The status received.
        got: u16,
        /// Every status the operation documents.
        documented: Vec<u16>,
    },
    /// The body departs from the documented schema (one violation), or could not be checked
    /// against it (not JSON, cut at the size bound: no pointer then).
    SchemaViolation {
        /// JSON pointer into the body (`/` for the root), when the violation has a location.
        pointer: Option<String>,
        /// The schema keyword that failed (`type`, `required`…), when known.
        keyword: Option<String>,
        /// What is wrong, in words.
        message: String,
    },
    /// The content type is not the documented one, or the field came more than once.
    WrongContentType {
        /// The documented media types (usually one).
        expected: Vec<String>,
        /// The `Content-Type` received, if any (repeated fields joined with `, `).
        got: Option<String>,
        /// How many media types the received field holds (more than one: repeated).
        count: usize,
    },
    /// A 405 without the `Allow` header HTTP requires, or with the wrong methods.
    AllowHeader {
        /// The documented methods.
        expected: Vec<String>,
        /// The `Allow` header received, if any.
        got: Option<String>,
    },
    /// A header HTTP requires on this answer is missing (the 401's `WWW-Authenticate`,
    /// RFC 9110 §11.6.1); counted with the Allow-header kind.
    MissingHeader {
        /// The header's name.
        header: String,
        /// The status of the answer that lacks it.
        status: u16,
    },
    /// The body does not hold what an earlier step stored (state not kept).
    StateMismatch {
        /// Where in the body, when the check is about one location.
        pointer: Option<String>,
        /// What was expected there, when the check names a value.
        expected: Option<Value>,
        /// What was there, when something was.
        got: Option<Value>,
        /// What departs, in words.
        message: String,
    },
    /// A setup step did not succeed, so the case could not show what it is about.
    SetupFailed {
        /// The setup step's label.
        label: String,
        /// The statuses the step needed.
        expected: StatusExpectation,
        /// The status received.
        got: u16,
    },
    /// The normalised exchange differs from the recorded snapshot, or there is none.
    SnapshotDrift {
        /// The first comparison level at which the two differ, when it was measured.
        level: Option<CompareLevel>,
        /// The unified diff, reference first; `None` when no reference snapshot exists.
        diff: Option<String>,
    },
}

impl FailureDetail {
    /// The kind of failure this detail is.
    pub fn kind(&self) -> FailureKind {
        match self {
            FailureDetail::WrongStatus { .. } => FailureKind::WrongStatus,
            FailureDetail::UndocumentedStatus { .. } => FailureKind::UndocumentedStatus,
            FailureDetail::SchemaViolation { .. } => FailureKind::SchemaViolation,
            FailureDetail::WrongContentType { .. } => FailureKind::WrongContentType,
            FailureDetail::AllowHeader { .. } | FailureDetail::MissingHeader { .. } => {
                FailureKind::AllowHeader
            }
            FailureDetail::StateMismatch { .. } => FailureKind::StateMismatch,
            FailureDetail::SetupFailed { .. } => FailureKind::SetupFailed,
            FailureDetail::SnapshotDrift { .. } => FailureKind::SnapshotDrift,
        }
    }

    /// The expected statuses and the received one, for the two status kinds.
    pub fn status(&self) -> Option<(&StatusExpectation, u16)> {
        match self {
            FailureDetail::WrongStatus { expected, got, .. }
            | FailureDetail::SetupFailed { expected, got, .. } => Some((expected, *got)),
            _ => None,
        }
    }
}

impl fmt::Display for FailureDetail {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            FailureDetail::WrongStatus {
                label,
                expected,
                got,
            } => write!(f, "{label}: expected {expected}, got {got}"),
            FailureDetail::SetupFailed {
                label,
                expected,
                got,
            } => write!(
                f,
                "set-up step '{label}' could not prepare the case: expected {expected}, got {got}"
            ),
            FailureDetail::UndocumentedStatus {
                operation_id,
                got,
                documented,
            } => {
                let documented: Vec<String> = documented.iter().map(u16::to_string).collect();
                write!(
                    f,
                    "{operation_id} does not document status {got} (documented: {})",
                    documented.join(", ")
                )
            }
            FailureDetail::SchemaViolation {
                pointer: Some(pointer),
                message,
                ..
            } => write!(f, "at {pointer}: {message}"),
            FailureDetail::SchemaViolation { message, .. }
            | FailureDetail::StateMismatch { message, .. } => f.write_str(message),
            FailureDetail::WrongContentType {
                expected,
                got,
                count,
            } => {
                let got = got.as_deref().unwrap_or("(none)");
                let expected = expected
                    .iter()
                    .map(|m| format!("{m:?}"))
                    .collect::<Vec<_>>()
                    .join(" or ");
                if *count > 1 {
                    write!(
                        f,
                        "Content-Type sent {count} times ({got:?}), documented once as {expected}"
                    )
                } else {
                    write!(f, "content type {got:?}, documented {expected}")
                }
            }
            FailureDetail::AllowHeader { got: None, .. } => {
                f.write_str("405 without an Allow header")
            }
            FailureDetail::MissingHeader { header, status } => write!(
                f,
                "the {status} answer carries no {header} header (a standard expectation)"
            ),
            FailureDetail::AllowHeader {
                expected,
                got: Some(got),
            } => write!(
                f,
                "Allow: {got} (documented methods: {})",
                expected.join(", ")
            ),
            FailureDetail::SnapshotDrift { diff: None, .. } => f.write_str(
                "no reference snapshot for this case (record one with --snapshots record)",
            ),
            FailureDetail::SnapshotDrift {
                level,
                diff: Some(diff),
            } => {
                match level {
                    Some(level) => write!(
                        f,
                        "the exchange differs from the recorded snapshot at the {level} level:"
                    )?,
                    None => f.write_str("the exchange differs from the recorded snapshot:")?,
                }
                write!(f, "\n{diff}")
            }
        }
    }
}

/// One reason a case failed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Failure {
    /// The kind (the detail's, repeated for consumers that only need the kind).
    pub kind: FailureKind,
    /// The step it concerns.
    pub step: usize,
    /// The detail's text (`Display`), kept for consumers of the text; no secrets.
    pub message: String,
    /// What the check found, as data.
    pub detail: FailureDetail,
    /// Where the expectation comes from.
    pub provenance: Option<Provenance>,
}

impl Failure {
    /// A failure at `step` with this detail; kind and text follow from the detail.
    pub fn new(step: usize, detail: FailureDetail, provenance: Option<Provenance>) -> Self {
        Failure {
            kind: detail.kind(),
            step,
            message: detail.to_string(),
            detail,
            provenance,
        }
    }
}
