//! The terminal report written from the sample run, plain and coloured, quiet and verbose.

use super::{write_terminal, TerminalOptions};
use crate::report::sample::{
    self, CURL, KNOWN_LINK, KNOWN_REASON, SKIP_PRINCIPAL, SKIP_READ_ONLY, STALE_REASON,
};
use crate::verdict::RunReport;

fn render_report(report: &RunReport, color: bool, verbose: bool) -> String {
    let mut out = Vec::new();
    write_terminal(report, &mut out, &TerminalOptions { color, verbose }).unwrap();
    String::from_utf8(out).unwrap()
}

/// The numbers of the table row whose label (trimmed) is `label`, after line `after`.
fn row(text: &str, after: &str, label: &str) -> Vec<usize> {
    let start = text.find(&format!("\n{after} ")).expect(after);
    let line = text[start + 1..]
        .lines()
        .find(|l| l.trim_start().starts_with(&format!("{label} ")))
        .unwrap_or_else(|| panic!("no row {label} after {after}"));
    line.split_whitespace()
        .skip(1)
        .map(|n| n.parse().unwrap())
        .collect()
}

#[test]
fn plain_output_holds_no_escape_even_from_the_body() {
    let text = render_report(&sample::report(), false, true);
    assert!(!text.contains('\x1b'), "{text}");
    // The body's escape is shown, defused.
    assert!(text.contains("\n      \\u{1b}[31mred\n"), "{text}");
}

#[test]
fn colour_only_adds_escapes() {
    let report = sample::report();
    let coloured = render_report(&report, true, true);
    assert!(coloured.contains("\x1b[31"), "fail in red");
    let ansi = regex::Regex::new("\x1b\\[[0-9;]*m").unwrap();
    assert_eq!(
        ansi.replace_all(&coloured, ""),
        render_report(&report, false, true)
    );
}

#[test]
fn failures_are_listed_with_provenance_exchange_and_curl() {
    let text = render_report(&sample::report(), false, true);
    let block = "FAIL v3::user_properties::setUserProperty::limits::value_32769_bytes\n  \
        value_32769_bytes behaves as documented\n  \
        wrong status: PUT as alice: expected 400, got 201\n    \
        documented by: The value must be at most 32768 bytes \
        (specs/jira-conform.openapi.json#/paths/~1rest~1api~13~1user~1properties~1{propertyKey}/put/responses/400)\n  \
        schema violation: at /value: not documented\n    \
        second line of the message\n    \
        documented by: a 405 response must carry Allow (RFC 9110 §15.5.6)\n  \
        step 1: PUT http://127.0.0.1:41231/rest/api/3/user/properties/jcab12cd.k?accountId=557058:alice \
        as alice (sent 32769 bytes, application/json)\n    \
        → 201 application/json;charset=UTF-8\n      {\n        \"key\": \"k\",\n";
    assert!(text.contains(block), "{text}");
    assert!(text.contains(&format!("  reproduce: {CURL}\n")), "{text}");
    // The 32 KiB value is cut, and the exchange shown once for its two failures.
    assert!(text.contains("(32769 characters)"), "{text}");
    assert!(
        !text.contains(&"x".repeat(STRING_CUT_CHECK)),
        "long string not cut"
    );
    assert_eq!(text.matches("step 1: PUT").count(), 1, "{text}");
    // The setup step that went well is not shown.
    assert!(!text.contains("step 0: PUT"), "{text}");
}

/// Longer than the cut length of JSON strings, shorter than the value.
const STRING_CUT_CHECK: usize = 200;

#[test]
fn every_failure_kind_and_errors_are_shown() {
    let text = render_report(&sample::report(), false, true);
    for kind in sample::KINDS {
        let label = kind.name().replace('_', " ");
        assert!(
            text.contains(&format!("  {label}: ")),
            "{label} missing:\n{text}"
        );
    }
    assert!(text.contains(
        "documented by: bob cannot see alice's properties \
        (fixtures/mock.toml: profiles.mock.principals.bob)"
    ));
    assert!(text.contains("  step 5: no exchange recorded\n"), "{text}");
    assert!(text.contains("    → 405 application/json;charset=UTF-8, Allow: GET, PUT\n"));
    assert!(
        text.contains("      <html>\n      … 10 more lines\n"),
        "{text}"
    );
    assert!(
        text.contains("… (body cut: only its start was kept)"),
        "{text}"
    );
    assert!(text.contains(
        "\nERROR v3::user_properties::getUserProperty::keys::no_key\n  \
         no_key behaves as documented\n  \
         error: timed out after 10 s\n  \
         step 0: GET http://127.0.0.1:41231/rest/api/3/user/properties/jcab12cd.k?accountId=557058:alice as alice\n    \
         → transport error: operation timed out\n      \
         (no byte received)\n"
    ), "{text}");
}

#[test]
fn known_and_now_conforming_cases_are_listed_with_their_entry() {
    let text = render_report(&sample::report(), false, true);
    assert!(
        text.contains(&format!(
            "KNOWN v3::issue_properties::setIssueProperty::methods::post_refused\n  \
             post_refused behaves as documented\n  \
             known deviation: {KNOWN_REASON} ({KNOWN_LINK})\n  \
             wrong status: POST as alice: expected 405, got 200\n"
        )),
        "{text}"
    );
    assert!(
        text.contains(&format!(
            "CONFORMS v3::issue_properties::getIssueProperty::methods::patch_refused\n  \
             patch_refused behaves as documented\n  \
             now conforms: listed as a known deviation ({STALE_REASON}) but the target \
             behaves as documented; remove the entry from the fixtures\n"
        )),
        "{text}"
    );
    let coloured = render_report(&sample::report(), true, true);
    assert!(coloured.contains("\x1b[36mKNOWN"), "known in cyan");
}

#[test]
fn passes_and_skips_are_listed_only_when_verbose() {
    let quiet = render_report(&sample::report(), false, false);
    assert!(!quiet.contains("PASS "), "{quiet}");
    assert!(!quiet.contains("SKIP "), "{quiet}");
    let verbose = render_report(&sample::report(), false, true);
    assert!(verbose
        .starts_with("PASS v3::user_properties::setUserProperty::methods::put_allowed (4 ms)\n"));
    assert!(verbose.contains(&format!(
        "SKIP v2::user_properties::setUserProperty::roundtrip::round: {SKIP_READ_ONLY}\n"
    )));
    assert_eq!(verbose.matches("PASS ").count(), 4);
    assert_eq!(verbose.matches("SKIP ").count(), 3);
}

#[test]
fn table_counts_per_resource_and_family() {
    let text = render_report(&sample::report(), false, true);
    let header = text
        .lines()
        .find(|l| l.starts_with("resource / family"))
        .unwrap();
    assert_eq!(
        header.split_whitespace().collect::<Vec<_>>(),
        [
            "resource",
            "/",
            "family",
            "pass",
            "fail",
            "error",
            "skipped",
            "known",
            "now_conforms",
            "not_served",
            "total"
        ]
    );
    assert_eq!(
        row(&text, "v2::user_properties", "v2::user_properties"),
        [1, 0, 0, 1, 0, 0, 0, 2]
    );
    assert_eq!(
        row(&text, "v2::user_properties", "schema"),
        [1, 0, 0, 0, 0, 0, 0, 1]
    );
    assert_eq!(
        row(&text, "v2::user_properties", "roundtrip"),
        [0, 0, 0, 1, 0, 0, 0, 1]
    );
    assert_eq!(
        row(&text, "v3::issue_properties", "v3::issue_properties"),
        [1, 0, 0, 0, 1, 1, 2, 5]
    );
    assert_eq!(
        row(&text, "v3::issue_properties", "methods"),
        [1, 0, 0, 0, 1, 1, 2, 5]
    );
    assert_eq!(
        row(&text, "v3::user_properties", "v3::user_properties"),
        [2, 2, 1, 2, 0, 0, 0, 7]
    );
    assert_eq!(
        row(&text, "v3::user_properties", "methods"),
        [2, 0, 0, 0, 0, 0, 0, 2]
    );
    assert_eq!(
        row(&text, "v3::user_properties", "limits"),
        [0, 1, 0, 0, 0, 0, 0, 1]
    );
    assert_eq!(
        row(&text, "v3::user_properties", "permissions"),
        [0, 0, 0, 2, 0, 0, 0, 2]
    );
    assert_eq!(
        row(&text, "v3::user_properties", "keys"),
        [0, 0, 1, 0, 0, 0, 0, 1]
    );
    assert_eq!(
        row(&text, "v3::user_properties", "observations"),
        [0, 1, 0, 0, 0, 0, 0, 1]
    );
    assert_eq!(
        row(&text, "v3::user_properties", "total"),
        [4, 2, 1, 3, 1, 1, 2, 14]
    );

    // Resources sorted, families in `Family::ALL` order, absent families left out, columns
    // aligned (every line of the table as wide as the header, numbers right-aligned).
    let table: Vec<&str> = text[text.find(header).unwrap()..]
        .lines()
        .take_while(|l| !l.is_empty())
        .collect();
    let labels: Vec<&str> = table[1..]
        .iter()
        .map(|l| l.split(' ').next().unwrap())
        .collect();
    assert_eq!(
        labels,
        [
            "v2::user_properties",
            "",
            "",
            "v3::issue_properties",
            "",
            "v3::user_properties",
            "",
            "",
            "",
            "",
            "",
            "total"
        ]
    );
    let families: Vec<&str> = table[1..]
        .iter()
        .filter_map(|l| l.strip_prefix("  ")?.split(' ').next())
        .collect();
    assert_eq!(
        families,
        [
            "schema",
            "roundtrip",
            "methods",
            "methods",
            "limits",
            "permissions",
            "keys",
            "observations"
        ]
    );
    for line in &table {
        assert_eq!(line.chars().count(), header.len(), "{line:?}");
    }
}

#[test]
fn totals_and_skip_reasons() {
    let text = render_report(&sample::report(), false, false);
    let expected = format!(
        "\n14 cases: 4 passed, 2 failed, 1 error, 3 skipped, 1 known, 1 now conforming, \
         2 not served in 1.32 s against \
         http://127.0.0.1:41231 (profile mock, spec specs/jira-conform.openapi.json)\n\
         2 skipped: {SKIP_PRINCIPAL}\n\
         1 skipped: {SKIP_READ_ONLY}\n"
    );
    assert!(text.contains(&expected), "{text}");
    // Then, last, the ids to rerun, as cargo test ends.
    let failed = text.split(&expected).nth(1).unwrap_or("");
    assert!(failed.starts_with("\nfailed:\n    "), "{failed}");
}

#[test]
fn without_verbose_the_run_reads_as_fidelity_root_causes_and_not_served() {
    let text = render_report(&sample::report(), false, false);
    // No per-case block: the failed cases are counted under their causes.
    assert!(!text.contains("FAIL "), "{text}");
    assert!(!text.contains("KNOWN "), "{text}");
    assert!(!text.contains("resource / family"), "{text}");
    assert!(text.starts_with("fidelity "), "{text}");
    assert!(
        text.contains("\ntotal                      5/8  62%   7/8  87%  1 operation\n"),
        "{text}"
    );
    // The two failed cases: the limits case and the drift case, one cause per signature.
    assert!(text.contains("root causes: "), "{text}");
    assert!(
        text.contains(
            "limit not enforced: expected 400, got a success (1 case)\n    \
             v3::user_properties::setUserProperty::limits::value_32769_bytes\n    \
             e.g. v3::user_properties::setUserProperty::limits::value_32769_bytes: \
             PUT as alice: expected 400, got 201\n"
        ),
        "{text}"
    );
    assert!(text.contains(&format!("    reproduce: {CURL}\n")), "{text}");
    assert!(
        text.contains(
            "not served: 1 operations\n  \
             NOT SERVED v3::issue_properties::deleteIssueProperty (2 cases)\n"
        ),
        "{text}"
    );
    // What needs doing besides: the error and the stale known deviation, a line each.
    assert!(
        text.contains(
            "ERROR v3::user_properties::getUserProperty::keys::no_key: timed out after 10 s\n"
        ),
        "{text}"
    );
    assert!(
        text.contains("CONFORMS v3::issue_properties::getIssueProperty::methods::patch_refused: "),
        "{text}"
    );
    assert!(text.lines().count() < 60, "{text}");
}

#[test]
fn an_empty_run_prints_only_the_totals() {
    let mut report = sample::report();
    report.verdicts.clear();
    let text = render_report(&report, false, true);
    assert_eq!(
        text,
        "0 cases: 0 passed, 0 failed, 0 errors, 0 skipped in 1.32 s against \
         http://127.0.0.1:41231 (profile mock, spec specs/jira-conform.openapi.json)\n"
    );
}
