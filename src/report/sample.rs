//! A small run holding every outcome, failure kind and provenance variant, for the report tests.

use crate::case::{Api, Family, Provenance, StatusExpectation};
use crate::exchange::{Exchange, Received, SentRequest};
use crate::verdict::{
    Failure, FailureDetail, FailureKind, KnownDeviation, Outcome, RunReport, Verdict,
};

/// Every failure kind. The match in [`kind_index`] has no wildcard, so a new kind fails to
/// compile until it is added here too.
pub(super) const KINDS: [FailureKind; 8] = [
    FailureKind::WrongStatus,
    FailureKind::UndocumentedStatus,
    FailureKind::SchemaViolation,
    FailureKind::WrongContentType,
    FailureKind::AllowHeader,
    FailureKind::StateMismatch,
    FailureKind::SetupFailed,
    FailureKind::SnapshotDrift,
];

/// Position of a kind in [`KINDS`].
pub(super) fn kind_index(kind: FailureKind) -> usize {
    match kind {
        FailureKind::WrongStatus => 0,
        FailureKind::UndocumentedStatus => 1,
        FailureKind::SchemaViolation => 2,
        FailureKind::WrongContentType => 3,
        FailureKind::AllowHeader => 4,
        FailureKind::StateMismatch => 5,
        FailureKind::SetupFailed => 6,
        FailureKind::SnapshotDrift => 7,
    }
}

/// A detail of each kind, its words made up ("… happened") where the kind has free text.
pub(super) fn detail_of(kind: FailureKind) -> FailureDetail {
    match kind {
        FailureKind::WrongStatus => FailureDetail::WrongStatus {
            label: "PUT as alice".into(),
            expected: StatusExpectation::Exact(400),
            got: 201,
        },
        FailureKind::UndocumentedStatus => FailureDetail::UndocumentedStatus {
            operation_id: "setUserProperty".into(),
            got: 418,
            documented: vec![200, 201, 400],
        },
        FailureKind::SchemaViolation => FailureDetail::SchemaViolation {
            pointer: None,
            keyword: None,
            message: "schema_violation happened".into(),
        },
        FailureKind::WrongContentType => FailureDetail::WrongContentType {
            expected: vec!["application/json".into()],
            got: Some("text/html".into()),
            count: 1,
        },
        FailureKind::AllowHeader => FailureDetail::AllowHeader {
            expected: vec!["GET".into(), "PUT".into()],
            got: None,
        },
        FailureKind::StateMismatch => FailureDetail::StateMismatch {
            pointer: Some("/value".into()),
            expected: Some(serde_json::json!(1)),
            got: None,
            message: "state_mismatch happened".into(),
        },
        FailureKind::SetupFailed => FailureDetail::SetupFailed {
            label: "PUT as admin".into(),
            expected: StatusExpectation::Success,
            got: 500,
        },
        FailureKind::SnapshotDrift => FailureDetail::SnapshotDrift {
            level: None,
            diff: Some(DRIFT_DIFF.into()),
        },
    }
}

/// The curl command of the failing limits case.
pub(super) const CURL: &str = "curl -X PUT -H \"Authorization: Bearer $JIRA_TOKEN\" \
    'http://127.0.0.1:41231/rest/api/3/user/properties/jcab12cd.k?accountId=557058:alice'";

/// The reason the permissions cases are skipped (two of them).
pub(super) const SKIP_PRINCIPAL: &str = "needs a second ordinary user (principal) in the fixtures";

/// The reason the v2 roundtrip case is skipped (one).
pub(super) const SKIP_READ_ONLY: &str = "writes to the target, and the profile is read-only";

/// The reason of the known deviation the `issue_properties` POST case matches.
pub(super) const KNOWN_REASON: &str = "Jira answers POST like PUT (see the linked issue)";

/// The reason the not-served operation's cases carry.
pub(super) const NOT_SERVED_REASON: &str =
    "the target does not serve this operation: all 2 requests of its 2 cases were answered 404 with the same body";

/// The link of that known deviation.
pub(super) const KNOWN_LINK: &str = "https://jira.example.test/browse/BUG-1";

/// The reason of the stale known deviation the `issue_properties` PATCH case matches.
pub(super) const STALE_REASON: &str = "PATCH was accepted until the last release";

/// The unified diff of the drift case's snapshot-drift failure, as the judge writes it.
pub(super) const DRIFT_DIFF: &str = "--- reference\n+++ this run\n@@ -1,4 +1,3 @@\n \
    DELETE {base}/rest/api/3/user/properties/{run}.k?accountId={account:alice} as alice\n\
    -→ 400 application/json;charset=utf-8\n-{\"errorMessages\": [\"<b>no</b>\"]}\n\
    +→ 405 application/json;charset=utf-8 allow: GET, PUT\n # end\n";

fn spec_provenance() -> Provenance {
    Provenance::Spec {
        file: "specs/jira-conform.openapi.json".into(),
        pointer: "/paths/~1rest~1api~13~1user~1properties~1{propertyKey}/put/responses/400".into(),
        text: "The value must be at most 32768 bytes".into(),
    }
}

fn fixtures_provenance() -> Provenance {
    Provenance::Fixtures {
        file: "fixtures/mock.toml".into(),
        key: "profiles.mock.principals.bob".into(),
        text: "bob cannot see alice's properties".into(),
    }
}

fn standard_provenance() -> Provenance {
    Provenance::Standard {
        reference: "RFC 9110 §15.5.6".into(),
        text: "a 405 response must carry Allow".into(),
    }
}

fn request(method: &str, body: Option<&str>) -> SentRequest {
    SentRequest {
        method: method.into(),
        url: "http://127.0.0.1:41231/rest/api/3/user/properties/jcab12cd.k?accountId=557058:alice"
            .into(),
        actor: "alice".into(),
        content_type: body.map(|_| "application/json".into()),
        body: body.map(Into::into),
    }
}

fn received(status: u16, body: &str) -> Received {
    Received {
        status,
        content_type: Some("application/json;charset=UTF-8".into()),
        allow: None,
        www_authenticate: None,
        body: body.into(),
        truncated: false,
        elapsed_ms: 3,
    }
}

#[allow(clippy::too_many_arguments)]
fn verdict(
    api: Api,
    resource: &str,
    operation_id: &str,
    family: Family,
    name: &str,
    outcome: Outcome,
    reason: Option<&str>,
    elapsed_ms: u64,
) -> Verdict {
    Verdict {
        case_id: format!("{api}::{resource}::{operation_id}::{family}::{name}"),
        api,
        resource: resource.into(),
        operation_id: operation_id.into(),
        family,
        summary: format!("{name} behaves as documented"),
        outcome,
        failures: Vec::new(),
        reason: reason.map(Into::into),
        exchanges: Vec::new(),
        reproduce: None,
        elapsed_ms,
        known: None,
    }
}

/// Fourteen verdicts: 4 pass, 2 fail, 1 error, 3 skipped, 1 known, 1 now conforming, 2 not
/// served, over v3 `user_properties` (limits 1 fail, methods 2 pass, keys 1 error, permissions
/// 2 skipped, observations 1 fail), v2 `user_properties` (schema 1 pass, roundtrip 1 skipped)
/// and v3 `issue_properties` (methods 1 pass, 1 known, 1 now conforming, 2 not served: the last
/// four verdicts).
pub(super) fn report() -> RunReport {
    RunReport {
        partition: None,
        profile: "mock".into(),
        target: "http://127.0.0.1:41231".into(),
        spec: "specs/jira-conform.openapi.json".into(),
        elapsed_ms: 1320,
        snapshots_verified: true,
        verdicts: verdicts(),
    }
}

/// The sample's verdicts in run order.
fn verdicts() -> Vec<Verdict> {
    use Family::*;
    let (up, set) = ("user_properties", "setUserProperty");
    let ip = "issue_properties";
    vec![
        pass(Api::V3, up, set, Methods, "put_allowed", 4),
        pass(Api::V3, up, set, Methods, "post_refused", 5),
        limit_not_enforced(),
        timed_out(),
        skipped(Api::V3, Permissions, "other_user", SKIP_PRINCIPAL),
        skipped(Api::V3, Permissions, "other_read", SKIP_PRINCIPAL),
        every_other_failure(),
        pass(Api::V2, up, set, Schema, "value_shape", 6),
        skipped(Api::V2, Roundtrip, "round", SKIP_READ_ONLY),
        pass(Api::V3, ip, "getIssueProperty", Methods, "get", 2),
        known_deviation(),
        stale_deviation(),
        // An operation the target does not serve: one line, whatever its cases.
        not_served("delete"),
        not_served("post_refused"),
    ]
}

/// A passing case.
fn pass(
    api: Api,
    resource: &str,
    operation_id: &str,
    family: Family,
    name: &str,
    elapsed_ms: u64,
) -> Verdict {
    verdict(
        api,
        resource,
        operation_id,
        family,
        name,
        Outcome::Pass,
        None,
        elapsed_ms,
    )
}

/// A skipped `setUserProperty` case.
fn skipped(api: Api, family: Family, name: &str, reason: &str) -> Verdict {
    verdict(
        api,
        "user_properties",
        "setUserProperty",
        family,
        name,
        Outcome::Skipped,
        Some(reason),
        0,
    )
}

/// A case of `deleteIssueProperty`, which the target does not serve.
fn not_served(name: &str) -> Verdict {
    verdict(
        Api::V3,
        "issue_properties",
        "deleteIssueProperty",
        Family::Methods,
        name,
        Outcome::NotServed,
        Some(NOT_SERVED_REASON),
        1,
    )
}

/// A limits failure: two failures on the main step (one after the other, so the exchange is
/// shown once), with a long JSON string in the body.
fn limit_not_enforced() -> Verdict {
    let mut limits = verdict(
        Api::V3,
        "user_properties",
        "setUserProperty",
        Family::Limits,
        "value_32769_bytes",
        Outcome::Fail,
        None,
        12,
    );
    let long_value = "x".repeat(32769);
    limits.failures = vec![
        Failure::new(
            1,
            detail_of(FailureKind::WrongStatus),
            Some(spec_provenance()),
        ),
        Failure::new(
            1,
            FailureDetail::SchemaViolation {
                pointer: Some("/value".into()),
                keyword: Some("maxLength".into()),
                message: "not documented\nsecond line of the message".into(),
            },
            Some(standard_provenance()),
        ),
    ];
    limits.exchanges = vec![
        Exchange {
            step: 0,
            request: request("PUT", Some("{\"v\":1}")),
            response: Ok(received(201, "")),
        },
        Exchange {
            step: 1,
            request: request("PUT", Some(&long_value)),
            response: Ok(received(
                201,
                &format!("{{\"key\":\"k\",\"value\":\"{long_value}\"}}"),
            )),
        },
    ];
    limits.reproduce = Some(CURL.into());
    limits
}

/// Every other failure kind and provenance variant, including a failure without provenance
/// and one whose step has no recorded exchange; a body that is not JSON.
fn every_other_failure() -> Verdict {
    let mut drift = verdict(
        Api::V3,
        "user_properties",
        "setUserProperty",
        Family::Observations,
        "drift",
        Outcome::Fail,
        None,
        7,
    );
    drift.failures = KINDS[2..]
        .iter()
        .chain([&FailureKind::UndocumentedStatus])
        .enumerate()
        .map(|(i, &kind)| {
            Failure::new(
                if i == 0 { 5 } else { 0 },
                detail_of(kind),
                match i % 4 {
                    0 => Some(spec_provenance()),
                    1 => Some(fixtures_provenance()),
                    2 => Some(standard_provenance()),
                    _ => None,
                },
            )
        })
        .collect();
    drift.exchanges = vec![Exchange {
        step: 0,
        request: request("DELETE", None),
        response: Ok(Received {
            allow: Some("GET, PUT".into()),
            truncated: true,
            // Not JSON, with a raw terminal escape, longer than the excerpt.
            ..received(405, &format!("\x1b[31mred\n{}", "<html>\n".repeat(29)))
        }),
    }];
    drift
}

/// A case that could not be run to the end: the request timed out.
fn timed_out() -> Verdict {
    let mut error = verdict(
        Api::V3,
        "user_properties",
        "getUserProperty",
        Family::Keys,
        "no_key",
        Outcome::Error,
        Some("timed out after 10 s"),
        10000,
    );
    error.exchanges = vec![Exchange {
        step: 0,
        request: request("GET", None),
        response: Err("operation timed out\n(no byte received)".into()),
    }];
    error
}

/// A known deviation: the target accepts an undocumented POST, as the fixtures say it does.
fn known_deviation() -> Verdict {
    let mut known = verdict(
        Api::V3,
        "issue_properties",
        "setIssueProperty",
        Family::Methods,
        "post_refused",
        Outcome::Known,
        None,
        8,
    );
    known.failures = vec![Failure::new(
        0,
        FailureDetail::WrongStatus {
            label: "POST as alice".into(),
            expected: StatusExpectation::Exact(405),
            got: 200,
        },
        Some(standard_provenance()),
    )];
    known.exchanges = vec![Exchange {
        step: 0,
        request: request("POST", Some("{\"v\":1}")),
        response: Ok(received(200, "{\"ok\":true}")),
    }];
    known.reproduce = Some(CURL.into());
    known.known = Some(KnownDeviation {
        cases: "v*::issue_properties::*::methods::post_refused".into(),
        reason: KNOWN_REASON.into(),
        link: Some(KNOWN_LINK.into()),
    });
    known
}

/// A stale entry: listed as a known deviation, but the case passes.
fn stale_deviation() -> Verdict {
    let mut now_conforms = verdict(
        Api::V3,
        "issue_properties",
        "getIssueProperty",
        Family::Methods,
        "patch_refused",
        Outcome::NowConforms,
        None,
        3,
    );
    now_conforms.known = Some(KnownDeviation {
        cases: "v3::issue_properties::getIssueProperty::methods::patch_refused".into(),
        reason: STALE_REASON.into(),
        link: None,
    });
    now_conforms
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_lists_every_kind_once() {
        for (i, kind) in KINDS.into_iter().enumerate() {
            assert_eq!(kind_index(kind), i, "{kind:?}");
        }
    }

    #[test]
    fn sample_holds_every_failure_kind_and_provenance() {
        let report = report();
        let failures: Vec<&Failure> = report.verdicts.iter().flat_map(|v| &v.failures).collect();
        for kind in KINDS {
            assert!(failures.iter().any(|f| f.kind == kind), "{kind:?} missing");
        }
        let provenances: Vec<Option<&Provenance>> =
            failures.iter().map(|f| f.provenance.as_ref()).collect();
        assert!(provenances.iter().any(|p| p.is_none()));
        assert!(provenances
            .iter()
            .any(|p| matches!(p, Some(Provenance::Spec { .. }))));
        assert!(provenances
            .iter()
            .any(|p| matches!(p, Some(Provenance::Fixtures { .. }))));
        assert!(provenances
            .iter()
            .any(|p| matches!(p, Some(Provenance::Standard { .. }))));
        for outcome in Outcome::ALL {
            assert!(report.count(outcome) > 0, "{outcome:?} missing");
        }
        for v in &report.verdicts {
            let listed = matches!(v.outcome, Outcome::Known | Outcome::NowConforms);
            assert_eq!(v.known.is_some(), listed, "{}", v.case_id);
        }
    }
}
