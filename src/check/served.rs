//! Operations the target does not serve. A partial mock answers every request of an operation it
//! does not implement with the same route-level 404; judging those cases one by one would call
//! them "method accepted", "limit off by one" or "permission too strict". Pure: verdicts in,
//! verdicts out, decided from the exchanges of all cases of each operation together.

use std::collections::{BTreeMap, BTreeSet};

use crate::case::Api;
use crate::exchange::Received;
use crate::verdict::{FailureKind, Outcome, Verdict};

/// Marks every case of an operation the target does not serve as [`Outcome::NotServed`].
///
/// An operation is not served when, over its cases that ran (passed or failed):
/// - every request of every case was answered 404,
/// - at least one request for which the documentation expects another status (a success, a 405
///   for an undocumented method, a 401 without credentials) got that 404, and
/// - the 404 is route-level: with two requests or more, the same body whatever the request
///   (digits aside) or a page that is not JSON (Jira's own "does not exist" answers are JSON
///   that name the entity); with a single request, a body not JSON or the very body of an
///   operation already found not served by the rule above (a target answers every path it does
///   not route with one fallback).
///
/// Cases skipped or errored are left as they are. The cases of an operation not served keep
/// only their snapshot-drift failures.
pub fn apply_not_served(verdicts: &mut [Verdict]) {
    let mut operations: BTreeMap<(Api, &str), Vec<usize>> = BTreeMap::new();
    for (i, v) in verdicts.iter().enumerate() {
        if matches!(v.outcome, Outcome::Pass | Outcome::Fail) {
            operations
                .entry((v.api, v.operation_id.as_str()))
                .or_default()
                .push(i);
        }
    }
    let candidates: Vec<(Vec<usize>, Vec<&Received>)> = operations
        .into_values()
        .filter_map(|cases| {
            let judged: Vec<&Verdict> = cases.iter().map(|&i| &verdicts[i]).collect();
            route_404s(&judged).map(|responses| (cases, responses))
        })
        .collect();
    // The fallback bodies, from the operations whose several requests show them.
    let fallbacks: BTreeSet<String> = candidates
        .iter()
        .filter(|(_, responses)| responses.len() >= 2)
        .filter_map(|(_, responses)| same_body(responses))
        .collect();
    let mut not_served: Vec<(Vec<usize>, String)> = Vec::new();
    for (cases, responses) in candidates {
        let json = responses.iter().any(|r| r.json().is_some());
        let why = match (responses.len(), same_body(&responses)) {
            (_, _) if !json => "a page that is not JSON",
            (n, Some(_)) if n >= 2 => "the same body",
            (_, Some(body)) if fallbacks.contains(&body) => {
                "the body other unserved operations answer with"
            }
            _ => continue,
        };
        let reason =
            format!(
            "the target does not serve this operation: {} {} of its {} {} answered 404 with {why}",
            if responses.len() == 1 { "the" } else { "all" },
            counted(responses.len(), "request", "requests"),
            cases.len(),
            if cases.len() == 1 { "case was" } else { "cases were" },
        );
        not_served.push((cases, reason));
    }
    for (cases, reason) in not_served {
        for i in cases {
            let v = &mut verdicts[i];
            v.outcome = Outcome::NotServed;
            // The departures from the documentation are the missing route, said once in the
            // reason; a drift from the reference stays, as the comparison's record.
            v.failures.retain(|f| f.kind == FailureKind::SnapshotDrift);
            v.reason = Some(reason.clone());
        }
    }
}

/// `1 request`, `3 requests`.
fn counted(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// The 404 responses of the cases of one operation, when every request was answered 404 and
/// some request was due another status; `None` otherwise.
fn route_404s<'a>(cases: &[&'a Verdict]) -> Option<Vec<&'a Received>> {
    let mut responses: Vec<&Received> = Vec::new();
    for v in cases {
        for exchange in &v.exchanges {
            match &exchange.response {
                Ok(received) if received.status == 404 => responses.push(received),
                _ => return None,
            }
        }
    }
    // Something other than the 404 was due somewhere: an operation whose every case rightly
    // expects 404 tells nothing.
    let other_status_due = cases.iter().flat_map(|v| &v.failures).any(|f| {
        f.detail
            .status()
            .is_some_and(|(expected, got)| got == 404 && !expected.admits(404))
    });
    (other_status_due && !responses.is_empty()).then_some(responses)
}

/// The one masked body all these responses share, if they share one.
fn same_body(responses: &[&Received]) -> Option<String> {
    let first = masked(&responses.first()?.body);
    responses
        .iter()
        .all(|r| masked(&r.body) == first)
        .then_some(first)
}

/// A body with every run of digits replaced by `#`, so ids in a message do not tell one route
/// apart from another.
fn masked(body: &str) -> String {
    let mut out = String::with_capacity(body.len());
    let mut in_digits = false;
    for c in body.trim().chars() {
        if c.is_ascii_digit() {
            if !in_digits {
                out.push('#');
            }
            in_digits = true;
        } else {
            out.push(c);
            in_digits = false;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::case::{Family, StatusExpectation};
    use crate::exchange::Exchange;
    use crate::verdict::{Failure, FailureDetail};

    const NO_ENDPOINT: &str = "{\"errorMessages\":[\"No endpoint for 10001\"],\"errors\":{}}";

    fn verdict(op: &str, name: &str, bodies: &[(u16, &str)], expected: u16) -> Verdict {
        let exchanges = bodies
            .iter()
            .enumerate()
            .map(|(step, &(status, body))| {
                Exchange::answered(
                    step,
                    &format!("http://127.0.0.1:1/{op}/{step}"),
                    "alice",
                    status,
                    body,
                )
            })
            .collect();
        let got = bodies.last().map_or(0, |b| b.0);
        let failures = if got == expected {
            Vec::new()
        } else {
            vec![Failure::new(
                bodies.len() - 1,
                FailureDetail::WrongStatus {
                    label: "GET".into(),
                    expected: StatusExpectation::Exact(expected),
                    got,
                },
                None,
            )]
        };
        Verdict {
            case_id: format!("v3::r::{op}::methods::{name}"),
            api: Api::V3,
            resource: "r".into(),
            operation_id: op.into(),
            family: Family::Methods,
            summary: String::new(),
            outcome: if failures.is_empty() {
                Outcome::Pass
            } else {
                Outcome::Fail
            },
            failures,
            reason: None,
            exchanges,
            reproduce: None,
            elapsed_ms: 1,
            known: None,
        }
    }

    #[test]
    fn an_operation_answered_with_one_route_level_404_is_not_served() {
        let no_endpoint_2 = NO_ENDPOINT.replace("10001", "10002");
        let mut verdicts = vec![
            verdict("gone", "get", &[(404, NO_ENDPOINT)], 200),
            verdict("gone", "post_refused", &[(404, &no_endpoint_2)], 405),
            verdict("gone", "hidden", &[(404, NO_ENDPOINT)], 404),
            // Served: one 200 among its answers.
            verdict("kept", "get", &[(200, "{}")], 200),
            verdict("kept", "missing", &[(404, NO_ENDPOINT)], 200),
            // Entity-level 404s that name what is missing: served, but wrong.
            verdict(
                "broken",
                "get",
                &[(404, "{\"errorMessages\":[\"no a\"]}")],
                200,
            ),
            verdict(
                "broken",
                "other",
                &[(404, "{\"errorMessages\":[\"no b\"]}")],
                200,
            ),
            // Every 404 expected: nothing says the operation is missing.
            verdict("hides", "a", &[(404, NO_ENDPOINT)], 404),
            verdict("hides", "b", &[(404, NO_ENDPOINT)], 404),
            // HTML pages that echo the path differ, but are not JSON: route-level.
            verdict("html", "a", &[(404, "<html>Cannot GET /a</html>")], 200),
            verdict("html", "b", &[(404, "<html>Cannot GET /b</html>")], 405),
            // One request only: the fallback body of the unserved operations above says it.
            verdict("single", "no_credentials", &[(404, NO_ENDPOINT)], 401),
            // One request with an entity's own 404: nothing tells it apart from a served one.
            verdict(
                "alone",
                "get",
                &[(404, "{\"errorMessages\":[\"no c\"]}")],
                200,
            ),
        ];
        let drift = Failure::new(
            0,
            FailureDetail::SnapshotDrift {
                level: None,
                diff: Some("--- reference\n+++ this run\n".into()),
            },
            None,
        );
        verdicts[1].failures.push(drift.clone());
        apply_not_served(&mut verdicts);
        let outcomes: Vec<(&str, Outcome)> = verdicts
            .iter()
            .map(|v| (v.operation_id.as_str(), v.outcome))
            .collect();
        use Outcome::{Fail, NotServed, Pass};
        assert_eq!(
            outcomes,
            [
                ("gone", NotServed),
                ("gone", NotServed),
                ("gone", NotServed),
                ("kept", Pass),
                ("kept", Fail),
                ("broken", Fail),
                ("broken", Fail),
                ("hides", Pass),
                ("hides", Pass),
                ("html", NotServed),
                ("html", NotServed),
                ("single", NotServed),
                ("alone", Fail),
            ]
        );
        assert!(verdicts[0].failures.is_empty());
        // The status failure is gone, the drift from the reference stays.
        assert_eq!(verdicts[1].failures, [drift]);
        assert!(verdicts[0]
            .reason
            .as_deref()
            .is_some_and(|r| r.contains("does not serve")));
    }
}
