//! The Markdown report written from the sample run.

use super::write_markdown;
use crate::report::discrepancy::Discrepancy;
use crate::report::error::ReportError;
use crate::report::findings::verdict_findings;
use crate::report::sample::{self, CURL, KNOWN_LINK, KNOWN_REASON, STALE_REASON};
use crate::verdict::{Outcome, RunReport, Verdict};

/// Whether a verdict has its own entry (failed cases get one per discrepancy; not-served cases
/// are listed once per operation).
fn shown(v: &Verdict) -> bool {
    !matches!(
        v.outcome,
        Outcome::Pass | Outcome::Skipped | Outcome::NotServed
    )
}

fn markdown(report: &RunReport) -> String {
    let mut out = Vec::new();
    write_markdown(report, &mut out).unwrap();
    String::from_utf8(out).unwrap()
}

#[test]
fn the_report_opens_with_fidelity_root_causes_and_not_served() {
    let md = markdown(&sample::report());
    let at = |heading: &str| {
        md.find(heading)
            .unwrap_or_else(|| panic!("{heading} missing:\n{md}"))
    };
    assert!(at("## Fidelity") < at("## Root causes (9)"));
    assert!(at("## Root causes (9)") < at("## Not served (1 operations)"));
    assert!(at("## Not served (1 operations)") < at("## Discrepancies"));
    assert!(md.contains(
        "| resource | agrees with the documentation | agrees with the reference | not served |\n\
         | --- | ---: | ---: | ---: |\n"
    ));
    assert!(md.contains("| `total` | 5/8 (62 %) | 7/8 (87 %) | 1 operation (2 cases) |\n"));
    assert!(
        md.contains(
            "**limit not enforced: expected 400, got a success** — 1 case\n   \
         - e.g. `v3::user_properties::setUserProperty::limits::value_32769_bytes`: \
         PUT as alice: expected 400, got 201\n"
        ),
        "{md}"
    );
    assert!(md.contains(&format!("   - reproduce: `{CURL}`\n")), "{md}");
    assert!(md.contains(
        "- `v3::issue_properties::deleteIssueProperty` (the target does not serve this operation"
    ));
}

#[test]
fn header_and_summary() {
    let md = markdown(&sample::report());
    assert!(
        md.starts_with("# jira-conform report\n\n| run | |\n"),
        "{md}"
    );
    assert!(
        md.contains("| target | `http://127.0.0.1:41231` |\n"),
        "{md}"
    );
    assert!(md.contains("| profile | `mock` |\n"));
    assert!(md.contains("| spec | `specs/jira-conform.openapi.json` |\n"));
    assert!(md.contains(
        "**14 cases: 4 passed, 2 failed, 1 error, 3 skipped, 1 known, 1 now conforming, 2 not served**"
    ));
    assert!(
        md.contains("| `setUserProperty` | v3 | `user_properties` | limit not enforced | 1 |\n")
    );
    assert!(
        md.ends_with("\n") && !md.ends_with("\n\n"),
        "one final newline"
    );
}

#[test]
fn an_entry_has_the_words_the_response_and_the_reproduction() {
    let md = markdown(&sample::report());
    let sent = "x".repeat(80);
    let entry = format!("### limit not enforced — `setUserProperty` (v3)\n\n\
        *A request past a documented limit was accepted instead of refused.*\n\n\
        #### `v3::user_properties::setUserProperty::limits::value_32769_bytes`\n\n\
        Case: value\\_32769\\_bytes behaves as documented\n\n\
        **wrong status:** PUT as alice: expected 400, got 201\n\n\
        Documented by `specs/jira-conform.openapi.json#/paths/~1rest~1api~13~1user~1properties~1{{propertyKey}}/put/responses/400`:\n\n\
        > The value must be at most 32768 bytes\n\n\
        Observed at step 1: `PUT http://127.0.0.1:41231/rest/api/3/user/properties/jcab12cd.k?accountId=557058:alice as alice (sent 32769 bytes, application/json)`\n\n\
        The 32769 bytes sent (the curl command reads them from `body.json`) start with `{sent}…`.\n\n\
        Response: **201**, `application/json;charset=UTF-8`\n\n\
        ```json\n{{\n  \"key\": \"k\",\n");
    assert!(md.contains(&entry), "{md}");
    assert!(md.contains(&format!(
        "Reproduce (tokens are read from the environment):\n\n```sh\n{CURL}\n```\n"
    )));
    // The 32 KiB value is cut in the excerpt.
    assert!(md.contains("(32769 characters)"));
    assert!(!md.contains(&"x".repeat(200)));
}

#[test]
fn every_discrepancy_of_the_sample_has_its_section() {
    let report = sample::report();
    let md = markdown(&report);
    for v in report
        .verdicts
        .iter()
        .filter(|v| v.outcome == Outcome::Fail)
    {
        for finding in verdict_findings(v) {
            let heading = format!("### {} — ", finding.discrepancy.label());
            assert!(md.contains(&heading), "{heading} missing");
        }
    }
    // One entry per (case, discrepancy) of failed cases, plus the known, now-conforming
    // and errored cases.
    let entries = md.matches("\n#### ").count();
    let expected: usize = report
        .verdicts
        .iter()
        .filter(|v| shown(v))
        .map(|v| match v.outcome {
            Outcome::Fail => verdict_findings(v).len(),
            _ => 1,
        })
        .sum();
    assert_eq!(entries, expected, "{md}");
    assert!(md.contains("### state not kept — "));
    assert!(!md.contains(&format!("### {} ", Discrepancy::LimitOffByOne.label())));
}

#[test]
fn drift_is_a_diff_and_schema_violations_name_the_value() {
    let mut report = sample::report();
    let limits = report
        .verdicts
        .iter_mut()
        .find(|v| v.case_id.ends_with("value_32769_bytes"))
        .unwrap();
    limits.failures[1] = crate::verdict::Failure::new(
        1,
        crate::verdict::FailureDetail::SchemaViolation {
            pointer: Some("/key".into()),
            keyword: Some("type".into()),
            message: "\"k\" is not of type \"integer\"".into(),
        },
        None,
    );
    let md = markdown(&report);
    assert!(md.contains("**snapshot drift:** the exchange differs from the recorded snapshot:\n\n```diff\n--- reference\n+++ this run\n@@ -1,4 +1,3 @@\n"), "{md}");
    assert!(
        md.contains("-{\"errorMessages\": [\"<b>no</b>\"]}\n"),
        "{md}"
    );
    assert!(md.contains("At `/key` the body holds `\"k\"`.\n"), "{md}");
    // A failure whose step has no exchange says so.
    assert!(
        md.contains("No exchange was recorded for step 5.\n"),
        "{md}"
    );
    // Not JSON: fenced as text, escape sequence defused.
    assert!(md.contains("```text\n\\u{1b}[31mred\n<html>\n"), "{md}");
    assert!(!md.contains('\x1b'));
}

#[test]
fn known_now_conforming_errors_and_skips() {
    let md = markdown(&sample::report());
    assert!(md.contains(&format!(
        "## Known deviations (1)\n\n\
         These cases depart from the documentation as the fixtures' known deviations declare; they do not fail the run.\n\n\
         #### `v3::issue_properties::setIssueProperty::methods::post_refused`\n\n\
         Case: post\\_refused behaves as documented\n\n\
         - Discrepancy: method accepted that should be refused\n\
         - Reason: {KNOWN_REASON}\n\
         - Link: <{KNOWN_LINK}>\n\
         - Fixtures entry: `v*::issue_properties::*::methods::post_refused`\n\
         - Observed: wrong status: POST as alice: expected 405, got 200\n"
    )), "{md}");
    assert!(md.contains(&format!(
        "## Now conforming (1)\n\n\
         These cases are listed as known deviations but behave as documented: remove their entries from the fixtures (the run fails until then).\n\n\
         #### `v3::issue_properties::getIssueProperty::methods::patch_refused`\n\n\
         Case: patch\\_refused behaves as documented\n\n\
         - Reason: {STALE_REASON}\n\
         - Fixtures entry: `v3::issue_properties::getIssueProperty::methods::patch_refused`\n"
    )), "{md}");
    assert!(md.contains(
        "## Could not test (1)\n\n\
         These cases could not be run to the end (transport error, timeout): they say nothing about conformance.\n\n\
         #### `v3::user_properties::getUserProperty::keys::no_key`\n\n\
         Case: no\\_key behaves as documented\n\n\
         ```text\ntimed out after 10 s\n```\n\n\
         At step 0: `GET http://127.0.0.1:41231/rest/api/3/user/properties/jcab12cd.k?accountId=557058:alice as alice`\n\n\
         No response: transport error\n\n\
         ```text\noperation timed out\n(no byte received)\n```\n"
    ), "{md}");
    assert!(
        md.ends_with(&format!(
            "## Skipped (3)\n\n- 2 × {}\n- 1 × {}\n",
            sample::SKIP_PRINCIPAL,
            sample::SKIP_READ_ONLY
        )),
        "{md}"
    );
}

#[test]
fn a_clean_run_says_so() {
    let mut report = sample::report();
    report.verdicts.retain(|v| v.outcome == Outcome::Pass);
    let md = markdown(&report);
    assert!(md.contains(
        "## Discrepancies\n\nNo discrepancy: every case that ran behaved as documented.\n"
    ));
    assert!(!md.contains("####"));
}

#[test]
fn a_write_error_names_the_format() {
    let mut full = [0u8; 16];
    let error = write_markdown(&sample::report(), &mut &mut full[..]).unwrap_err();
    assert!(matches!(
        error,
        ReportError::Io {
            format: "Markdown",
            ..
        }
    ));
}
