//! Discrepancy kinds: what a failure means to the person filing a bug against the target.
//!
//! A [`FailureKind`] says which check failed; a [`Discrepancy`] says what the target does wrong,
//! in the words a bug report uses ("the limit is not enforced", "the permission is too open").
//! It is derived, purely, from the failure kind, the case family, the status the failing step
//! observed and the status the documentation expected (the failure's typed detail).

use crate::case::{Family, StatusExpectation};
use crate::verdict::FailureKind;

/// What the target does wrong, as a bug report names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Discrepancy {
    /// A limits case: a request past a documented limit was accepted (2xx).
    LimitNotEnforced,
    /// A limits case: a request exactly at the documented limit was refused (4xx).
    LimitOffByOne,
    /// A permissions case: a principal was allowed what the documentation refuses them.
    PermissionTooOpen,
    /// A permissions case: a principal was refused what the documentation allows them.
    PermissionTooStrict,
    /// A methods case: a method the operation does not document was not refused with 405.
    MethodAccepted,
    /// A keys case: the target mishandles a missing, unknown or differently written key.
    NoKeyBehaviour,
    /// A stored value, listing or deletion does not show in later reads.
    StateNotKept,
    /// A status the documentation gives for a different request.
    WrongStatus,
    /// A status the operation does not document at all.
    UndocumentedStatus,
    /// The body departs from the documented schema.
    SchemaViolation,
    /// The content type is not the documented one.
    WrongContentType,
    /// A 405 without the `Allow` header, or with the wrong methods in it.
    AllowHeader,
    /// A set-up step failed, so the case could not show what it is about.
    SetupFailed,
    /// The exchange differs from the recorded reference snapshot.
    SnapshotDrift,
}

impl Discrepancy {
    /// Every kind, in report order: the specific findings a bug report is about first, the
    /// generic status and format checks next, set-up failures and snapshot drift last.
    pub const ALL: [Discrepancy; 14] = [
        Discrepancy::LimitNotEnforced,
        Discrepancy::LimitOffByOne,
        Discrepancy::PermissionTooOpen,
        Discrepancy::PermissionTooStrict,
        Discrepancy::MethodAccepted,
        Discrepancy::NoKeyBehaviour,
        Discrepancy::StateNotKept,
        Discrepancy::WrongStatus,
        Discrepancy::UndocumentedStatus,
        Discrepancy::SchemaViolation,
        Discrepancy::WrongContentType,
        Discrepancy::AllowHeader,
        Discrepancy::SetupFailed,
        Discrepancy::SnapshotDrift,
    ];

    /// The words used in headings: `limit not enforced`.
    pub fn label(self) -> &'static str {
        match self {
            Discrepancy::LimitNotEnforced => "limit not enforced",
            Discrepancy::LimitOffByOne => "limit off by one",
            Discrepancy::PermissionTooOpen => "permission too open",
            Discrepancy::PermissionTooStrict => "permission too strict",
            Discrepancy::MethodAccepted => "method accepted that should be refused",
            Discrepancy::NoKeyBehaviour => "no-key behaviour",
            Discrepancy::StateNotKept => "state not kept",
            Discrepancy::WrongStatus => "wrong status",
            Discrepancy::UndocumentedStatus => "undocumented status",
            Discrepancy::SchemaViolation => "schema violation",
            Discrepancy::WrongContentType => "wrong content type",
            Discrepancy::AllowHeader => "missing Allow header",
            Discrepancy::SetupFailed => "setup failed",
            Discrepancy::SnapshotDrift => "snapshot drift",
        }
    }

    /// A stable identifier (snake case), for HTML filters and anchors.
    pub fn slug(self) -> &'static str {
        match self {
            Discrepancy::LimitNotEnforced => "limit_not_enforced",
            Discrepancy::LimitOffByOne => "limit_off_by_one",
            Discrepancy::PermissionTooOpen => "permission_too_open",
            Discrepancy::PermissionTooStrict => "permission_too_strict",
            Discrepancy::MethodAccepted => "method_accepted",
            Discrepancy::NoKeyBehaviour => "no_key_behaviour",
            Discrepancy::StateNotKept => "state_not_kept",
            Discrepancy::WrongStatus => "wrong_status",
            Discrepancy::UndocumentedStatus => "undocumented_status",
            Discrepancy::SchemaViolation => "schema_violation",
            Discrepancy::WrongContentType => "wrong_content_type",
            Discrepancy::AllowHeader => "allow_header",
            Discrepancy::SetupFailed => "setup_failed",
            Discrepancy::SnapshotDrift => "snapshot_drift",
        }
    }

    /// One sentence saying what the kind means, under its heading.
    pub fn explanation(self) -> &'static str {
        match self {
            Discrepancy::LimitNotEnforced => {
                "A request past a documented limit was accepted instead of refused."
            }
            Discrepancy::LimitOffByOne => {
                "A request exactly at a documented limit was refused instead of accepted."
            }
            Discrepancy::PermissionTooOpen => {
                "A principal was allowed what the documentation says they may not do or see."
            }
            Discrepancy::PermissionTooStrict => {
                "A principal was refused what the documentation says they may do or see."
            }
            Discrepancy::MethodAccepted => {
                "A method the operation does not document was not refused with 405."
            }
            Discrepancy::NoKeyBehaviour => {
                "A request without a key (or with no accountId, an unknown or differently written \
                 key) was not handled as documented."
            }
            Discrepancy::StateNotKept => {
                "What an earlier request stored, changed or deleted does not show in a later one."
            }
            Discrepancy::WrongStatus => {
                "The status is documented for the operation, but not for this request."
            }
            Discrepancy::UndocumentedStatus => {
                "The status is not among the statuses the operation documents."
            }
            Discrepancy::SchemaViolation => "The body departs from the documented schema.",
            Discrepancy::WrongContentType => "The content type is not the documented one.",
            Discrepancy::AllowHeader => {
                "A 405 response lacks the Allow header HTTP requires, or lists the wrong methods."
            }
            Discrepancy::SetupFailed => {
                "A set-up request failed, so the case could not show what it is about."
            }
            Discrepancy::SnapshotDrift => {
                "The exchange differs from the reference target's recorded snapshot."
            }
        }
    }
}

/// The class of status the documentation expected of the failing step.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExpectedStatus {
    /// A refusal: every expected status is 4xx or 5xx.
    Refusal,
    /// A success: `2xx`, or every expected status is 2xx.
    Success,
    /// A mix, something else, or the failure does not say.
    Unknown,
}

/// The class of statuses a status expectation admits.
pub fn expected_class(expectation: &StatusExpectation) -> ExpectedStatus {
    let codes: &[u16] = match expectation {
        StatusExpectation::Success => return ExpectedStatus::Success,
        StatusExpectation::Observe => return ExpectedStatus::Unknown,
        StatusExpectation::Exact(code) => std::slice::from_ref(code),
        StatusExpectation::OneOf(codes) => codes,
    };
    if codes.is_empty() {
        ExpectedStatus::Unknown
    } else if codes.iter().all(|c| *c >= 400) {
        ExpectedStatus::Refusal
    } else if codes.iter().all(|c| (200..300).contains(c)) {
        ExpectedStatus::Success
    } else {
        ExpectedStatus::Unknown
    }
}

/// The discrepancy a failure shows.
///
/// `observed` is the status the failing step received (`None`: no response, or no exchange
/// recorded for the step); `expected` is what the documentation asked of that step. Only status
/// and state failures depend on the family; the other kinds name their discrepancy directly.
pub fn classify(
    kind: FailureKind,
    family: Family,
    observed: Option<u16>,
    expected: ExpectedStatus,
) -> Discrepancy {
    match kind {
        FailureKind::WrongStatus => wrong_status(family, observed, expected),
        FailureKind::UndocumentedStatus => Discrepancy::UndocumentedStatus,
        FailureKind::SchemaViolation => Discrepancy::SchemaViolation,
        FailureKind::WrongContentType => Discrepancy::WrongContentType,
        FailureKind::AllowHeader => Discrepancy::AllowHeader,
        // A keys case compares the no-key answer with the listing: a mismatch there is the
        // no-key behaviour, not lost state.
        FailureKind::StateMismatch if family == Family::Keys => Discrepancy::NoKeyBehaviour,
        FailureKind::StateMismatch => Discrepancy::StateNotKept,
        FailureKind::SetupFailed => Discrepancy::SetupFailed,
        FailureKind::SnapshotDrift => Discrepancy::SnapshotDrift,
    }
}

/// A wrong status, read in the light of what the family tests.
fn wrong_status(family: Family, observed: Option<u16>, expected: ExpectedStatus) -> Discrepancy {
    let success = observed.is_some_and(|s| (200..300).contains(&s));
    let client_error = observed.is_some_and(|s| (400..500).contains(&s));
    // A wrong status is one the expectation did not admit, so when the failure does not state
    // the expectation, a 2xx means a refusal was expected and a 4xx means a success was.
    let refusal_expected = match expected {
        ExpectedStatus::Refusal => true,
        ExpectedStatus::Success => false,
        ExpectedStatus::Unknown => success,
    };
    let success_expected = match expected {
        ExpectedStatus::Success => true,
        ExpectedStatus::Refusal => false,
        ExpectedStatus::Unknown => client_error,
    };
    match family {
        Family::Limits if success && refusal_expected => Discrepancy::LimitNotEnforced,
        Family::Limits if client_error && success_expected => Discrepancy::LimitOffByOne,
        Family::Permissions if success && refusal_expected => Discrepancy::PermissionTooOpen,
        Family::Permissions if client_error && success_expected => Discrepancy::PermissionTooStrict,
        // Undocumented-method cases expect 405; anything else (a 2xx, a 400, a 404) means the
        // method was not refused as HTTP requires.
        Family::Methods if refusal_expected && observed != Some(405) => Discrepancy::MethodAccepted,
        Family::Keys => Discrepancy::NoKeyBehaviour,
        // In a roundtrip a success where a refusal was expected (a deleted value still read) or
        // the reverse (a stored value not found) is lost state; 200 for 201 is just a status.
        Family::Roundtrip
            if (success && refusal_expected) || (client_error && success_expected) =>
        {
            Discrepancy::StateNotKept
        }
        _ => Discrepancy::WrongStatus,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::sample::KINDS;

    use ExpectedStatus::{Refusal, Success, Unknown};

    #[test]
    fn expectations_are_classed_from_the_typed_expectation() {
        use StatusExpectation::{Exact, Observe, OneOf};
        assert_eq!(expected_class(&Exact(400)), Refusal);
        assert_eq!(expected_class(&StatusExpectation::Success), Success);
        assert_eq!(expected_class(&OneOf(vec![200, 204])), Success);
        assert_eq!(expected_class(&OneOf(vec![403, 404])), Refusal);
        assert_eq!(expected_class(&OneOf(vec![200, 404])), Unknown);
        assert_eq!(expected_class(&OneOf(Vec::new())), Unknown);
        assert_eq!(expected_class(&Observe), Unknown);
    }

    fn wrong(family: Family, observed: u16, expected: ExpectedStatus) -> Discrepancy {
        classify(FailureKind::WrongStatus, family, Some(observed), expected)
    }

    #[test]
    fn limits_not_enforced_and_off_by_one() {
        assert_eq!(
            wrong(Family::Limits, 201, Refusal),
            Discrepancy::LimitNotEnforced
        );
        assert_eq!(
            wrong(Family::Limits, 200, Unknown),
            Discrepancy::LimitNotEnforced
        );
        assert_eq!(
            wrong(Family::Limits, 400, Success),
            Discrepancy::LimitOffByOne
        );
        assert_eq!(
            wrong(Family::Limits, 413, Unknown),
            Discrepancy::LimitOffByOne
        );
        // A refusal with another code, a server error, 200 for 201: just a wrong status.
        assert_eq!(
            wrong(Family::Limits, 413, Refusal),
            Discrepancy::WrongStatus
        );
        assert_eq!(
            wrong(Family::Limits, 500, Refusal),
            Discrepancy::WrongStatus
        );
        assert_eq!(
            wrong(Family::Limits, 200, Success),
            Discrepancy::WrongStatus
        );
    }

    #[test]
    fn permissions_too_open_and_too_strict() {
        assert_eq!(
            wrong(Family::Permissions, 204, Refusal),
            Discrepancy::PermissionTooOpen
        );
        assert_eq!(
            wrong(Family::Permissions, 403, Success),
            Discrepancy::PermissionTooStrict
        );
        assert_eq!(
            wrong(Family::Permissions, 401, Unknown),
            Discrepancy::PermissionTooStrict
        );
        // 403 where 404 hides the entity: a wrong status, not a permission granted.
        assert_eq!(
            wrong(Family::Permissions, 403, Refusal),
            Discrepancy::WrongStatus
        );
    }

    #[test]
    fn methods_keys_and_roundtrips() {
        assert_eq!(
            wrong(Family::Methods, 200, Refusal),
            Discrepancy::MethodAccepted
        );
        assert_eq!(
            wrong(Family::Methods, 404, Refusal),
            Discrepancy::MethodAccepted
        );
        assert_eq!(
            wrong(Family::Methods, 405, Success),
            Discrepancy::WrongStatus
        );
        assert_eq!(
            wrong(Family::Keys, 404, Success),
            Discrepancy::NoKeyBehaviour
        );
        assert_eq!(
            classify(FailureKind::StateMismatch, Family::Keys, Some(200), Unknown),
            Discrepancy::NoKeyBehaviour
        );
        assert_eq!(
            wrong(Family::Roundtrip, 200, Refusal),
            Discrepancy::StateNotKept
        );
        assert_eq!(
            wrong(Family::Roundtrip, 404, Success),
            Discrepancy::StateNotKept
        );
        assert_eq!(
            wrong(Family::Roundtrip, 200, Success),
            Discrepancy::WrongStatus
        );
        assert_eq!(
            wrong(Family::Parameters, 400, Success),
            Discrepancy::WrongStatus
        );
        assert_eq!(
            classify(FailureKind::WrongStatus, Family::Limits, None, Unknown),
            Discrepancy::WrongStatus
        );
    }

    #[test]
    fn other_kinds_name_their_discrepancy_in_every_family() {
        for family in Family::ALL {
            for kind in KINDS {
                let d = classify(kind, family, Some(200), Unknown);
                let expected = match kind {
                    FailureKind::WrongStatus => continue,
                    FailureKind::UndocumentedStatus => Discrepancy::UndocumentedStatus,
                    FailureKind::SchemaViolation => Discrepancy::SchemaViolation,
                    FailureKind::WrongContentType => Discrepancy::WrongContentType,
                    FailureKind::AllowHeader => Discrepancy::AllowHeader,
                    FailureKind::StateMismatch if family == Family::Keys => {
                        Discrepancy::NoKeyBehaviour
                    }
                    FailureKind::StateMismatch => Discrepancy::StateNotKept,
                    FailureKind::SetupFailed => Discrepancy::SetupFailed,
                    FailureKind::SnapshotDrift => Discrepancy::SnapshotDrift,
                };
                assert_eq!(d, expected, "{kind:?} in {family}");
            }
        }
    }

    #[test]
    fn all_lists_every_kind_once_with_distinct_names() {
        let mut slugs: Vec<&str> = Discrepancy::ALL.iter().map(|d| d.slug()).collect();
        let mut labels: Vec<&str> = Discrepancy::ALL.iter().map(|d| d.label()).collect();
        slugs.sort_unstable();
        slugs.dedup();
        labels.sort_unstable();
        labels.dedup();
        assert_eq!(slugs.len(), Discrepancy::ALL.len());
        assert_eq!(labels.len(), Discrepancy::ALL.len());
        // `ALL` is in declaration order, so the derived `Ord` is report order.
        let mut sorted = Discrepancy::ALL;
        sorted.sort();
        assert_eq!(sorted, Discrepancy::ALL);
        for d in Discrepancy::ALL {
            assert!(d.slug().chars().all(|c| c.is_ascii_lowercase() || c == '_'));
            assert!(d.explanation().ends_with('.'));
        }
    }
}
