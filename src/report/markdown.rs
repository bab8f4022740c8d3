//! The Markdown report: a run's discrepancies laid out to be pasted into a bug report (to
//! Atlassian, or to a mock's tracker), grouped by operation and then by discrepancy kind, each
//! entry with the documentation's words, the observed response and a curl reproduction.
//!
//! Everything that comes from the target, the fixtures or the spec is escaped: prose with
//! backslashes, code in spans and fences longer than any backtick run inside, pipes in tables.

use super::fidelity::{fidelity_cells, not_served};
use super::root_causes::root_causes;
use std::fmt::Write as _;
use std::io::Write;

use super::error::ReportError;
use super::excerpt::{bounded, Limits};
use super::failure::{body_excerpt, kind_label};
use super::findings::{
    detail_lines, drift_diff, findings, large_body, request_line, run_fields, totals_sentence,
    unanswered, verdict_discrepancies, Finding, Findings, Operation, Step,
};
use super::output::write_document;
use super::style::{clean, clean_line, cut};
use crate::case::Provenance;
use crate::exchange::Exchange;
use crate::verdict::{Failure, FailureKind, RunReport, Verdict};

/// Writes the Markdown report of `report` to `out`.
///
/// A header (target, profile, spec, totals) and a summary table of discrepancies per operation;
/// then a section per operation (`operationId`, API version and resource) with a subsection per
/// discrepancy kind and an entry per case; then the known deviations, the now-conforming
/// entries, the cases that could not be run and the reasons cases were skipped. A run without
/// discrepancy says so.
pub fn write_markdown(report: &RunReport, out: &mut dyn Write) -> Result<(), ReportError> {
    write_document(&render(&bounded(report, Limits::TEXT)), "Markdown", out)
}

/// The whole document.
fn render(report: &RunReport) -> String {
    let findings = findings(report);
    let mut md = String::new();
    header(report, &mut md);
    fidelity_table(report, &mut md);
    root_cause_list(report, &mut md);
    not_served_list(report, &mut md);
    summary(&findings, &mut md);
    for op in &findings.operations {
        operation(op, &mut md);
    }
    known(&findings, &mut md);
    now_conforming(&findings, &mut md);
    errors(&findings, &mut md);
    skipped(&findings, &mut md);
    // One final newline, whatever the last block ended with.
    let trimmed = md.trim_end().len();
    md.truncate(trimmed);
    md.push('\n');
    md
}

/// How faithful the target is, per resource: the report opens with it.
fn fidelity_table(report: &RunReport, md: &mut String) {
    if report.verdicts.is_empty() {
        return;
    }
    let (header, rows) = fidelity_cells(report);
    md.push_str("## Fidelity\n\n");
    let _ = writeln!(md, "| {} |", header.join(" | "));
    let _ = writeln!(
        md,
        "| --- |{}",
        " ---: |".repeat(header.len().saturating_sub(1))
    );
    for cells in rows {
        let mut line = format!("| {} |", cell_code(&cells[0]));
        for cell in &cells[1..] {
            line.push_str(&format!(" {cell} |"));
        }
        let _ = writeln!(md, "{line}");
    }
    md.push('\n');
}

/// Characters of a root cause's example failure shown (a violation may quote a whole body).
const EXAMPLE_CHARS: usize = 200;

/// The root causes, most cases first, each with one reproducible example.
fn root_cause_list(report: &RunReport, md: &mut String) {
    let causes = root_causes(report);
    if causes.is_empty() {
        return;
    }
    let _ = writeln!(md, "## Root causes ({})\n", causes.len());
    for (i, cause) in causes.iter().enumerate() {
        let _ = writeln!(
            md,
            "{}. **{}** — {} {}",
            i + 1,
            inline(&cause.title),
            cause.count,
            if cause.count == 1 { "case" } else { "cases" }
        );
        let example = &cause.example;
        let first = example.failure.lines().next().unwrap_or("");
        let _ = writeln!(
            md,
            "   - e.g. {}: {}",
            code(&example.case_id),
            inline(&cut(first, EXAMPLE_CHARS))
        );
        if let Some(curl) = &example.reproduce {
            let _ = writeln!(md, "   - reproduce: {}", code(curl));
        }
    }
    md.push('\n');
}

/// The operations the target does not serve, once each.
fn not_served_list(report: &RunReport, md: &mut String) {
    let ops = not_served(report);
    if ops.is_empty() {
        return;
    }
    let _ = writeln!(md, "## Not served ({} operations)\n", ops.len());
    for op in &ops {
        let _ = writeln!(
            md,
            "- {} ({}) — {} cases",
            code(&format!("{}::{}::{}", op.api, op.resource, op.operation_id)),
            inline(&op.reason),
            op.cases
        );
    }
    md.push('\n');
}

/// Title, what was tested, and the totals.
fn header(report: &RunReport, md: &mut String) {
    md.push_str("# jira-conform report\n\n");
    md.push_str("| run | |\n| --- | --- |\n");
    for (label, value) in run_fields(report) {
        let _ = writeln!(md, "| {label} | {} |", cell_code(value));
    }
    let _ = writeln!(md, "| tool | jira-conform {} |", env!("CARGO_PKG_VERSION"));
    let _ = writeln!(
        md,
        "| duration | {:.2} s |\n",
        report.elapsed_ms as f64 / 1000.0
    );
    let _ = writeln!(md, "**{}**\n", totals_sentence(report));
}

/// The table of discrepancies per operation, or the sentence that there are none.
fn summary(findings: &Findings<'_>, md: &mut String) {
    md.push_str("## Discrepancies\n\n");
    if findings.operations.is_empty() {
        md.push_str("No discrepancy: every case that ran behaved as documented.\n\n");
        return;
    }
    md.push_str("| operation | API | resource | discrepancy | cases |\n");
    md.push_str("| --- | --- | --- | --- | ---: |\n");
    for op in &findings.operations {
        for (discrepancy, entries) in &op.kinds {
            let _ = writeln!(
                md,
                "| {} | {} | {} | {} | {} |",
                cell_code(op.operation_id),
                op.api,
                cell_code(op.resource),
                discrepancy.label(),
                entries.len()
            );
        }
    }
    md.push('\n');
}

/// One operation: a subsection per discrepancy kind, an entry per case.
fn operation(op: &Operation<'_>, md: &mut String) {
    let _ = writeln!(
        md,
        "## {} ({}, {})\n",
        code(op.operation_id),
        op.api,
        code(op.resource)
    );
    for (discrepancy, entries) in &op.kinds {
        let _ = writeln!(
            md,
            "### {} — {} ({})\n",
            discrepancy.label(),
            code(op.operation_id),
            op.api
        );
        let _ = writeln!(md, "*{}*\n", discrepancy.explanation());
        for finding in entries {
            entry(finding, md);
        }
    }
}

/// One case's failures of one discrepancy, with what backs them and how to see it again.
fn entry(finding: &Finding<'_>, md: &mut String) {
    let v = finding.verdict;
    let _ = writeln!(md, "#### {}\n", code(&v.case_id));
    let _ = writeln!(md, "Case: {}\n", inline(&v.summary));
    if finding.failures.is_empty() {
        md.push_str("The case failed without a recorded failure.\n\n");
    }
    for (failure, quote) in finding.failures_quoting() {
        failure_block(finding, failure, md);
        if let Some(provenance) = quote {
            documented_by(provenance, md);
        }
    }
    for step in finding.exchanges() {
        observed(step, md);
    }
    reproduce(v, md);
    md.push_str("---\n\n");
}

/// `**wrong status:** message`, extra lines fenced; drift as a diff; schema values named.
fn failure_block(finding: &Finding<'_>, failure: &Failure, md: &mut String) {
    let (first, rest) = detail_lines(failure);
    let _ = writeln!(md, "**{}:** {}\n", kind_label(failure), inline(&first));
    if failure.kind == FailureKind::SnapshotDrift {
        if let Some(diff) = drift_diff(failure) {
            md.push_str(&fence("diff", &clean(diff)));
            return;
        }
    }
    if !rest.is_empty() {
        md.push_str(&fence("text", &clean(&rest.join("\n"))));
    }
    if failure.kind == FailureKind::SchemaViolation {
        if let Some((pointer, value)) = finding.schema_location(failure) {
            match value {
                Some(value) => {
                    let _ = writeln!(
                        md,
                        "At {} the body holds {}.\n",
                        code(&pointer),
                        code(&value)
                    );
                }
                None => {
                    let _ = writeln!(md, "At {} the body holds nothing.\n", code(&pointer));
                }
            }
        }
    }
}

/// The documentation's words, quoted, and where they are written.
fn documented_by(provenance: &Provenance, md: &mut String) {
    let (source, text) = match provenance {
        Provenance::Spec {
            file,
            pointer,
            text,
        } => (code(&format!("{file}#{pointer}")), text),
        Provenance::Fixtures { file, key, text } => (
            format!("the fixtures, {} key {}", code(file), code(key)),
            text,
        ),
        Provenance::Standard { reference, text } => (inline(reference), text),
    };
    let _ = writeln!(md, "Documented by {source}:\n");
    for line in clean(text).lines() {
        let _ = writeln!(md, "> {}", inline(line));
    }
    md.push('\n');
}

/// What the target answered at a step: request, status, headers, body excerpt.
fn observed(step: Step<'_>, md: &mut String) {
    let Some(exchange) = step.exchange else {
        let _ = writeln!(md, "No exchange was recorded for step {}.\n", step.step);
        return;
    };
    let _ = writeln!(
        md,
        "Observed at step {}: {}\n",
        step.step,
        code(&request_line(exchange))
    );
    if let Some((start, bytes)) = large_body(exchange) {
        let _ = writeln!(
            md,
            "The {bytes} bytes sent (the curl command reads them from `body.json`) start with \
             {}.\n",
            code(&start)
        );
    }
    response(exchange, md);
}

/// The response of an exchange, or its transport error.
fn response(exchange: &Exchange, md: &mut String) {
    match &exchange.response {
        Ok(received) => {
            let content_type = received
                .content_type
                .as_deref()
                .map_or_else(|| "no content type".to_owned(), |c| code(&clean_line(c)));
            let mut line = format!("Response: **{}**, {content_type}", received.status);
            if let Some(allow) = &received.allow {
                line.push_str(&format!(", Allow: {}", code(&clean_line(allow))));
            }
            let _ = writeln!(md, "{line}\n");
            if received.body.trim().is_empty() {
                md.push_str("Empty body.\n\n");
            } else {
                let info = if received.json().is_some() {
                    "json"
                } else {
                    "text"
                };
                md.push_str(&fence(info, &body_excerpt(received).join("\n")));
            }
        }
        Err(error) => {
            md.push_str("No response: transport error\n\n");
            md.push_str(&fence("text", &clean(error)));
        }
    }
}

/// The curl reproduction, if the case has one.
fn reproduce(v: &Verdict, md: &mut String) {
    if let Some(curl) = &v.reproduce {
        md.push_str("Reproduce (tokens are read from the environment):\n\n");
        md.push_str(&fence("sh", &clean(curl)));
    }
}

/// Cases that fail as the fixtures declare.
fn known(findings: &Findings<'_>, md: &mut String) {
    if findings.known.is_empty() {
        return;
    }
    let _ = writeln!(md, "## Known deviations ({})\n", findings.known.len());
    md.push_str(
        "These cases depart from the documentation as the fixtures' known deviations declare; \
         they do not fail the run.\n\n",
    );
    for v in &findings.known {
        let _ = writeln!(md, "#### {}\n", code(&v.case_id));
        let _ = writeln!(md, "Case: {}\n", inline(&v.summary));
        let kinds: Vec<&str> = verdict_discrepancies(v).iter().map(|d| d.label()).collect();
        if !kinds.is_empty() {
            let _ = writeln!(md, "- Discrepancy: {}", kinds.join(", "));
        }
        known_entry(v, md);
        for failure in &v.failures {
            let (first, _) = detail_lines(failure);
            let _ = writeln!(
                md,
                "- Observed: {}: {}",
                kind_label(failure),
                inline(&first)
            );
        }
        md.push('\n');
        reproduce(v, md);
    }
}

/// The reason, link and pattern of the known-deviation entry a verdict matched.
fn known_entry(v: &Verdict, md: &mut String) {
    match &v.known {
        Some(k) => {
            let _ = writeln!(md, "- Reason: {}", inline(&k.reason));
            if let Some(link) = &k.link {
                let _ = writeln!(md, "- Link: {}", link_text(link));
            }
            let _ = writeln!(md, "- Fixtures entry: {}", code(&k.cases));
        }
        None => md.push_str("- Reason: (no entry recorded)\n"),
    }
}

/// Known deviations that no longer depart.
fn now_conforming(findings: &Findings<'_>, md: &mut String) {
    if findings.now_conforms.is_empty() {
        return;
    }
    let _ = writeln!(md, "## Now conforming ({})\n", findings.now_conforms.len());
    md.push_str(
        "These cases are listed as known deviations but behave as documented: remove their \
         entries from the fixtures (the run fails until then).\n\n",
    );
    for v in &findings.now_conforms {
        let _ = writeln!(md, "#### {}\n", code(&v.case_id));
        let _ = writeln!(md, "Case: {}\n", inline(&v.summary));
        known_entry(v, md);
        md.push('\n');
    }
}

/// Cases that could not be run to the end.
fn errors(findings: &Findings<'_>, md: &mut String) {
    if findings.errors.is_empty() {
        return;
    }
    let _ = writeln!(md, "## Could not test ({})\n", findings.errors.len());
    md.push_str(
        "These cases could not be run to the end (transport error, timeout): they say nothing \
         about conformance.\n\n",
    );
    for v in &findings.errors {
        let _ = writeln!(md, "#### {}\n", code(&v.case_id));
        let _ = writeln!(md, "Case: {}\n", inline(&v.summary));
        md.push_str(&fence(
            "text",
            &clean(v.reason.as_deref().unwrap_or("(no reason recorded)")),
        ));
        for exchange in unanswered(v) {
            let _ = writeln!(
                md,
                "At step {}: {}\n",
                exchange.step,
                code(&request_line(exchange))
            );
            response(exchange, md);
        }
        reproduce(v, md);
    }
}

/// Why cases were skipped.
fn skipped(findings: &Findings<'_>, md: &mut String) {
    if findings.skip_reasons.is_empty() {
        return;
    }
    let total = findings.skipped();
    let _ = writeln!(md, "## Skipped ({total})\n");
    for (reason, n) in &findings.skip_reasons {
        let _ = writeln!(md, "- {n} × {}", inline(reason));
    }
    md.push('\n');
}

/// A link from the fixtures: an autolink when it is a plain http(s) URL, else escaped text, so
/// a `javascript:` or malformed value never becomes a live link.
fn link_text(link: &str) -> String {
    let plain = (link.starts_with("https://") || link.starts_with("http://"))
        && !link
            .chars()
            .any(|c| c.is_whitespace() || c.is_control() || matches!(c, '<' | '>' | '`'));
    if plain {
        format!("<{link}>")
    } else {
        inline(link)
    }
}

/// Prose from the target, the fixtures or the spec, on one line, with every character that
/// Markdown (CommonMark and GitHub's extensions) could read as markup backslash-escaped.
fn inline(text: &str) -> String {
    let text = clean(text);
    let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
    let mut out = String::with_capacity(text.len());
    for (i, c) in text.chars().enumerate() {
        let markup = matches!(
            c,
            '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '|' | '&' | '~' | '!'
        );
        // These only mean something at the start of a line (heading, list, setext underline).
        let leading = i == 0 && matches!(c, '#' | '+' | '-' | '=');
        if markup || leading {
            out.push('\\');
        }
        out.push(c);
    }
    // `1. text` or `1) text` at the start would become an ordered list.
    if let Some(pos) = out.find(|c: char| !c.is_ascii_digit()) {
        if pos > 0 && matches!(out[pos..].chars().next(), Some('.' | ')')) {
            out.insert(pos, '\\');
        }
    }
    out
}

/// `text` as an inline code span: delimited by more backticks than any run inside, padded
/// when it starts or ends with a backtick, on one line.
fn code(text: &str) -> String {
    let text = clean(text).replace('\n', " ");
    let ticks = "`".repeat(longest_backtick_run(&text) + 1);
    let pad = if text.starts_with('`') || text.ends_with('`') || text.trim().is_empty() {
        " "
    } else {
        ""
    };
    format!("{ticks}{pad}{text}{pad}{ticks}")
}

/// A code span inside a table cell: GitHub splits cells on every unescaped pipe, code spans
/// included, so pipes are escaped there.
fn cell_code(text: &str) -> String {
    code(text).replace('|', "\\|")
}

/// A fenced code block: the fence is longer than any backtick run in `body`, so the body cannot
/// close it early.
fn fence(info: &str, body: &str) -> String {
    let ticks = "`".repeat(longest_backtick_run(body).max(2) + 1);
    let body = body.trim_end_matches('\n');
    format!("{ticks}{info}\n{body}\n{ticks}\n\n")
}

/// The length of the longest run of backticks in `text`.
fn longest_backtick_run(text: &str) -> usize {
    let mut longest = 0;
    let mut run = 0;
    for c in text.chars() {
        if c == '`' {
            run += 1;
            longest = longest.max(run);
        } else {
            run = 0;
        }
    }
    longest
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::discrepancy::Discrepancy;
    use crate::report::findings::verdict_findings;
    use crate::report::sample::{self, CURL, KNOWN_LINK, KNOWN_REASON, STALE_REASON};
    use crate::verdict::Outcome;

    /// Whether the report gives a verdict an entry (failed cases get one per discrepancy).
    /// Whether a verdict has its own entry (not-served cases are listed once per operation).
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
        assert!(md
            .contains("| `setUserProperty` | v3 | `user_properties` | limit not enforced | 1 |\n"));
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
    fn prose_is_escaped() {
        assert_eq!(
            inline("a *b* _c_ `d` <script> [x](y) | & ~ \\"),
            "a \\*b\\* \\_c\\_ \\`d\\` \\<script\\> \\[x\\](y) \\| \\& \\~ \\\\"
        );
        assert_eq!(inline("# not a heading"), "\\# not a heading");
        assert_eq!(inline("- not a list"), "\\- not a list");
        assert_eq!(inline("12. not a list"), "12\\. not a list");
        assert_eq!(inline("12 apples."), "12 apples.");
        assert_eq!(inline("two\nlines\x1b"), "two lines\\\\u{1b}");
        assert_eq!(link_text("javascript:alert(1)"), "javascript:alert(1)");
        assert_eq!(link_text("https://x.test/a b"), "https://x.test/a b");
        assert_eq!(link_text("https://x.test/BUG-1"), "<https://x.test/BUG-1>");
    }

    #[test]
    fn code_spans_and_fences_outlast_the_backticks_inside() {
        assert_eq!(code("a"), "`a`");
        assert_eq!(code("a`b"), "``a`b``");
        assert_eq!(code("`a"), "`` `a ``");
        assert_eq!(code("x\ny"), "`x y`");
        assert_eq!(cell_code("a|b"), "`a\\|b`");
        assert_eq!(fence("json", "{}"), "```json\n{}\n```\n\n");
        assert_eq!(fence("", "```\nx\n"), "````\n```\nx\n````\n\n");
        assert_eq!(fence("", "a ````` b"), "``````\na ````` b\n``````\n\n");
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
}
