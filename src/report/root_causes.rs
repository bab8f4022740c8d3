//! Root causes: failures that share a kind and a response signature across cases, grouped into
//! one cause with a plain-language title, its cases and one reproducible example. Pure: a run in,
//! causes out; every format leads with them.
//!
//! A target that ignores credentials fails every anonymous and wrong-credential case the same
//! way; listing each case buries the one thing to fix. The signature is read from the failures'
//! typed details and the exchanges, never from message text, and never names the operation, so
//! one mistake shared by many operations is one cause.

use std::collections::{BTreeMap, BTreeSet};

use serde::Serialize;

use super::discrepancy::{expected_class, Discrepancy, ExpectedStatus};
use super::findings::discrepancy_of;
use crate::case::{Api, Family, StatusExpectation};
use crate::exchange::{Exchange, Received};
use crate::verdict::{Failure, FailureDetail, FailureKind, Outcome, RunReport, Verdict};

/// One root cause of a run's failures.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RootCause {
    /// A stable key: the recognised signature (`credentials_not_checked`…) or, for the generic
    /// grouping, the failure kind and its operation-independent signature.
    pub key: String,
    /// What the target does wrong, in plain words.
    pub title: String,
    /// The failure kind the cause was recognised from (of its first case).
    pub kind: FailureKind,
    /// How many cases show it.
    pub count: usize,
    /// The cases, in run order.
    pub cases: Vec<String>,
    /// One case showing it.
    pub example: Example,
}

/// The case chosen to show a root cause: its failure, exchange and curl reproduction.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Example {
    /// The case id.
    pub case_id: String,
    /// The failure's text.
    pub failure: String,
    /// `PUT http://… as alice`: the request of the failing step.
    pub request: Option<String>,
    /// The status received at that step.
    pub status: Option<u16>,
    /// A `curl` command reproducing the case's first failing step.
    pub reproduce: Option<String>,
}

/// A recognised signature: its key and title.
struct Signature {
    key: String,
    title: String,
}

impl Signature {
    fn new(key: impl Into<String>, title: impl Into<String>) -> Self {
        Signature {
            key: key.into(),
            title: title.into(),
        }
    }
}

/// The root causes of the failed cases of `report`, most cases first (ties by title).
pub fn root_causes(report: &RunReport) -> Vec<RootCause> {
    // Operations that answered something else than 404 somewhere: a 404 there is about an
    // entity, not a route the target lacks.
    let answering: BTreeSet<(Api, &str)> = report
        .verdicts
        .iter()
        .filter(|v| {
            v.exchanges
                .iter()
                .any(|e| e.response.as_ref().is_ok_and(|r| r.status != 404))
        })
        .map(|v| (v.api, v.operation_id.as_str()))
        .collect();
    let mut causes: BTreeMap<String, RootCause> = BTreeMap::new();
    for v in report
        .verdicts
        .iter()
        .filter(|v| v.outcome == Outcome::Fail)
    {
        let served = answering.contains(&(v.api, v.operation_id.as_str()));
        for failure in &v.failures {
            let signature = signature(v, failure, served);
            let cause = causes
                .entry(signature.key.clone())
                .or_insert_with(|| RootCause {
                    key: signature.key,
                    title: signature.title,
                    kind: failure.kind,
                    count: 0,
                    cases: Vec::new(),
                    example: example(v, failure),
                });
            // A case shows a cause once, however many of its failures share it.
            if cause.cases.last() != Some(&v.case_id) {
                cause.cases.push(v.case_id.clone());
                cause.count += 1;
            }
        }
    }
    let mut causes: Vec<RootCause> = causes.into_values().collect();
    causes.sort_by(|a, b| b.count.cmp(&a.count).then_with(|| a.title.cmp(&b.title)));
    causes
}

/// The exchange of the failure's step and its response.
fn received<'a>(v: &'a Verdict, failure: &Failure) -> Option<&'a Received> {
    exchange(v, failure).and_then(|e| e.response.as_ref().ok())
}

fn exchange<'a>(v: &'a Verdict, failure: &Failure) -> Option<&'a Exchange> {
    v.exchanges.iter().find(|e| e.step == failure.step)
}

fn example(v: &Verdict, failure: &Failure) -> Example {
    let exchange = exchange(v, failure);
    Example {
        case_id: v.case_id.clone(),
        failure: failure.detail.to_string(),
        request: exchange.map(|e| {
            format!(
                "{} {} as {}",
                e.request.method, e.request.url, e.request.actor
            )
        }),
        status: exchange
            .and_then(|e| e.response.as_ref().ok())
            .map(|r| r.status),
        reproduce: v.reproduce.clone(),
    }
}

/// Whether the body at the failure's step is a JSON string (where the documentation has an
/// object or array: otherwise no check would have failed on it).
fn answered_json_string(v: &Verdict, failure: &Failure) -> bool {
    received(v, failure)
        .and_then(Received::json)
        .is_some_and(|body| body.is_string())
}

/// The signature of one failure of `v`: the recognised ones first, then the generic grouping.
/// `served`: the case's operation answered something else than 404 somewhere in the run.
fn signature(v: &Verdict, failure: &Failure, served: bool) -> Signature {
    // A read-back that finds what a request without valid credentials wrote is that request's
    // consequence: it belongs to the credentials cause, not to the state.
    if is_read_back(failure)
        && v.failures
            .iter()
            .any(|f| credentials_not_checked(v, f, served))
    {
        return Signature::new(
            "credentials_not_checked",
            "does not check credentials: requests without valid credentials are served",
        );
    }
    match &failure.detail {
        _ if credentials_not_checked(v, failure, served) => {
            return Signature::new(
                "credentials_not_checked",
                "does not check credentials: requests without valid credentials are served",
            );
        }
        FailureDetail::SchemaViolation { .. } | FailureDetail::StateMismatch { .. }
            if answered_json_string(v, failure) =>
        {
            return Signature::new(
                "json_string_bodies",
                "answers JSON strings instead of objects",
            );
        }
        FailureDetail::WrongStatus { expected, got, .. }
            if *got == 200 && admits_only_created(expected) =>
        {
            return Signature::new("create_answers_200", "create answers 200 not 201");
        }
        _ => {}
    }
    let discrepancy = discrepancy_of(v, failure);
    // A read-back step answering otherwise than the write left it is state not kept, whatever
    // the family of the case around it.
    if discrepancy == Discrepancy::StateNotKept || is_read_back(failure) {
        return Signature::new(
            "state_not_kept",
            "keeps no state: what a request stores, changes or deletes does not show in later reads",
        );
    }
    generic(discrepancy, v.family, &failure.detail)
}

/// Whether a failure is a read-back step's (the state after a write).
fn is_read_back(failure: &Failure) -> bool {
    matches!(
        &failure.detail,
        FailureDetail::WrongStatus { label, .. } if label.starts_with("read back")
    )
}

/// Served without valid credentials: a success, or an answer about the entity (a 404 for a
/// missing one, from an operation that is served) where the 401 was due.
fn credentials_not_checked(v: &Verdict, failure: &Failure, served: bool) -> bool {
    let success = |got: u16| (200..300).contains(&got);
    let anonymous = exchange(v, failure).is_some_and(|e| {
        matches!(
            e.request.actor.as_str(),
            "anonymous" | "invalid-credentials"
        )
    });
    matches!(
        &failure.detail,
        FailureDetail::WrongStatus { expected, got, .. }
            if anonymous
                && expected_class(expected) == ExpectedStatus::Refusal
                && (success(*got)
                    || (expected.admits(401)
                        && (400..500).contains(got)
                        && *got != 401
                        && (*got != 404 || served)))
    )
}

/// Whether an expectation asks for 201 and does not admit 200.
fn admits_only_created(expected: &StatusExpectation) -> bool {
    expected.admits(201) && !expected.admits(200)
}

/// A pointer with array indices and numeric ids replaced by `*`, so one location of many
/// entities is one signature.
fn general_pointer(pointer: &str) -> String {
    pointer
        .split('/')
        .map(|token| {
            if !token.is_empty() && token.chars().all(|c| c.is_ascii_digit()) {
                "*"
            } else {
                token
            }
        })
        .collect::<Vec<_>>()
        .join("/")
}

/// The fallback: the discrepancy and what the detail says apart from the operation.
fn generic(discrepancy: Discrepancy, family: Family, detail: &FailureDetail) -> Signature {
    let label = discrepancy.label();
    let slug = discrepancy.slug();
    match detail {
        // Accepting what should be refused is one mistake whichever success answers it (200
        // to one operation, 201 or 204 to another).
        FailureDetail::WrongStatus { expected, got, .. }
            if (200..300).contains(got)
                && matches!(
                    discrepancy,
                    Discrepancy::LimitNotEnforced
                        | Discrepancy::PermissionTooOpen
                        | Discrepancy::MethodAccepted
                ) =>
        {
            Signature::new(
                format!("{slug}:{expected}:2xx"),
                format!("{label}: expected {expected}, got a success"),
            )
        }
        FailureDetail::WrongStatus { expected, got, .. }
        | FailureDetail::SetupFailed { expected, got, .. } => Signature::new(
            format!("{slug}:{expected}:{got}"),
            format!("{label}: expected {expected}, got {got}"),
        ),
        FailureDetail::UndocumentedStatus { got, .. } => Signature::new(
            format!("{slug}:{got}"),
            format!("answers {got}, which the operations do not document"),
        ),
        FailureDetail::SchemaViolation {
            pointer: Some(pointer),
            keyword,
            ..
        } => {
            let pointer = general_pointer(pointer);
            let keyword = keyword.as_deref().unwrap_or("schema");
            Signature::new(
                format!("{slug}:{keyword}:{pointer}"),
                format!("{label}: `{keyword}` fails at {pointer}"),
            )
        }
        FailureDetail::SchemaViolation { pointer: None, .. } => Signature::new(
            format!("{slug}:unchecked"),
            "bodies that could not be checked against their schema (not JSON, or cut)",
        ),
        FailureDetail::WrongContentType { expected, got, .. } => {
            let got = got.as_deref().unwrap_or("(none)");
            let expected = expected.join(" or ");
            Signature::new(
                format!("{slug}:{got}:{expected}"),
                format!("{label}: {got} where {expected} is documented"),
            )
        }
        FailureDetail::AllowHeader { got: None, .. } => {
            Signature::new(format!("{slug}:missing"), "405 without an Allow header")
        }
        FailureDetail::MissingHeader { header, status } => Signature::new(
            format!("{slug}:{header}:{status}"),
            format!("{status} without the {header} header HTTP requires"),
        ),
        FailureDetail::AllowHeader { got: Some(_), .. } => Signature::new(
            format!("{slug}:wrong"),
            "405 whose Allow header lists other methods than documented",
        ),
        FailureDetail::StateMismatch { pointer, .. } => {
            let at = pointer.as_deref().map(general_pointer);
            Signature::new(
                format!("{slug}:{family}:{}", at.as_deref().unwrap_or("")),
                match at {
                    Some(at) => format!("{label}: the body departs at {at}"),
                    None => format!("{label}: the body departs"),
                },
            )
        }
        FailureDetail::SnapshotDrift { diff: None, .. } => {
            Signature::new(format!("{slug}:none"), "no reference snapshot recorded")
        }
        FailureDetail::SnapshotDrift { level, .. } => match level {
            Some(level) => Signature::new(
                format!("{slug}:{level}"),
                format!("differs from the reference at level {level}"),
            ),
            None => Signature::new(slug, "differs from the reference snapshot"),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::verdict::FailureDetail;

    fn report_of(verdicts: Vec<Verdict>) -> RunReport {
        RunReport {
            partition: None,
            profile: "p".into(),
            target: "t".into(),
            spec: "s".into(),
            elapsed_ms: 1,
            snapshots_verified: false,
            verdicts,
        }
    }

    fn verdict(id: &str, family: Family, actor: &str, status: u16, body: &str) -> Verdict {
        Verdict {
            case_id: id.into(),
            api: Api::V3,
            resource: "r".into(),
            operation_id: id.split("::").nth(2).unwrap_or("op").into(),
            family,
            summary: String::new(),
            outcome: Outcome::Fail,
            failures: Vec::new(),
            reason: None,
            exchanges: vec![Exchange::answered(
                0,
                "http://127.0.0.1:1/x",
                actor,
                status,
                body,
            )],
            reproduce: Some(format!("curl {id}")),
            elapsed_ms: 1,
            known: None,
        }
    }

    fn status(expected: StatusExpectation, got: u16) -> Failure {
        Failure::new(
            0,
            FailureDetail::WrongStatus {
                label: "GET".into(),
                expected,
                got,
            },
            None,
        )
    }

    fn keys(causes: &[RootCause]) -> Vec<(&str, usize)> {
        causes.iter().map(|c| (c.key.as_str(), c.count)).collect()
    }

    #[test]
    fn shared_signatures_across_operations_are_one_cause_each() {
        let mut verdicts = Vec::new();
        for op in ["a", "b", "c"] {
            for actor in ["anonymous", "invalid-credentials"] {
                let mut v = verdict(
                    &format!("v3::r::{op}::permissions::{actor}"),
                    Family::Permissions,
                    actor,
                    200,
                    "{}",
                );
                v.failures.push(status(StatusExpectation::Exact(401), 200));
                verdicts.push(v);
            }
            let mut create = verdict(
                &format!("v3::r::{op}::roundtrip::create"),
                Family::Roundtrip,
                "alice",
                200,
                "\"stored\"",
            );
            create
                .failures
                .push(status(StatusExpectation::Exact(201), 200));
            create.failures.push(Failure::new(
                0,
                FailureDetail::SchemaViolation {
                    pointer: Some("/".into()),
                    keyword: Some("type".into()),
                    message: "\"stored\" is not of type \"object\"".into(),
                },
                None,
            ));
            verdicts.push(create);
            let mut read_back = verdict(
                &format!("v3::r::{op}::roundtrip::read_back"),
                Family::Roundtrip,
                "alice",
                404,
                "{}",
            );
            read_back
                .failures
                .push(status(StatusExpectation::Exact(200), 404));
            verdicts.push(read_back);
        }
        let report = report_of(verdicts);
        let causes = root_causes(&report);
        assert_eq!(
            keys(&causes),
            [
                ("credentials_not_checked", 6),
                ("json_string_bodies", 3),
                ("create_answers_200", 3),
                ("state_not_kept", 3),
            ]
        );
        let credentials = &causes[0];
        assert_eq!(credentials.cases[0], "v3::r::a::permissions::anonymous");
        assert_eq!(credentials.example.case_id, credentials.cases[0]);
        assert_eq!(
            credentials.example.reproduce.as_deref(),
            Some("curl v3::r::a::permissions::anonymous")
        );
        assert_eq!(credentials.example.status, Some(200));
    }

    #[test]
    fn other_failures_group_by_kind_and_signature_not_by_operation() {
        let mut verdicts = Vec::new();
        for (op, index) in [("a", 0), ("b", 7)] {
            let mut v = verdict(
                &format!("v3::r::{op}::observations::list"),
                Family::Observations,
                "alice",
                200,
                "{\"values\":[]}",
            );
            v.failures.push(Failure::new(
                0,
                FailureDetail::SchemaViolation {
                    pointer: Some(format!("/values/{index}/id")),
                    keyword: Some("type".into()),
                    message: "1 is not of type \"string\"".into(),
                },
                None,
            ));
            verdicts.push(v);
        }
        // Too open is one cause whichever success the operations answer with.
        for (op, got) in [("a", 200), ("b", 204)] {
            let mut open = verdict(
                &format!("v3::r::{op}::permissions::bob"),
                Family::Permissions,
                "bob",
                got,
                "{}",
            );
            open.failures
                .push(status(StatusExpectation::Exact(403), got));
            verdicts.push(open);
        }
        let mut limits = verdict(
            "v3::r::a::limits::value_too_long",
            Family::Limits,
            "alice",
            201,
            "{}",
        );
        limits
            .failures
            .push(status(StatusExpectation::Exact(400), 201));
        verdicts.push(limits);
        let report = report_of(verdicts);
        let causes = root_causes(&report);
        assert_eq!(
            keys(&causes),
            [
                ("permission_too_open:403:2xx", 2),
                ("schema_violation:type:/values/*/id", 2),
                ("limit_not_enforced:400:2xx", 1),
            ]
        );
        assert_eq!(
            causes[2].title,
            "limit not enforced: expected 400, got a success"
        );
    }

    #[test]
    fn a_404_without_credentials_is_about_credentials_only_where_the_operation_answers() {
        let anonymous_404 = |op: &str| {
            let mut v = verdict(
                &format!("v3::r::{op}::keys::no_credentials"),
                Family::Keys,
                "anonymous",
                404,
                "{}",
            );
            v.failures.push(status(StatusExpectation::Exact(401), 404));
            v
        };
        let mut answered = verdict(
            "v3::r::served::methods::get",
            Family::Methods,
            "alice",
            200,
            "{}",
        );
        answered.outcome = Outcome::Pass;
        let report = report_of(vec![
            answered,
            anonymous_404("served"),
            anonymous_404("silent"),
        ]);
        let causes = root_causes(&report);
        assert_eq!(
            keys(&causes),
            [
                ("credentials_not_checked", 1),
                ("no_key_behaviour:401:404", 1)
            ]
        );
        assert_eq!(causes[0].cases, ["v3::r::served::keys::no_credentials"]);
    }
}
