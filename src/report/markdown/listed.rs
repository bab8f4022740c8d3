//! The sections that list cases one by one besides the discrepancies: known deviations, stale
//! known deviations (now conforming), cases that could not be tested, and the skip reasons.

use std::fmt::Write as _;

use super::escape::{code, fence, inline, link_text};
use super::exchange::{reproduce, response};
use crate::report::failure::kind_label;
use crate::report::findings::{
    detail_lines, request_line, unanswered, verdict_discrepancies, Findings,
};
use crate::report::style::clean;
use crate::verdict::Verdict;

/// Cases that fail as the fixtures declare.
pub(super) fn known(findings: &Findings<'_>, md: &mut String) {
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
pub(super) fn now_conforming(findings: &Findings<'_>, md: &mut String) {
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
pub(super) fn errors(findings: &Findings<'_>, md: &mut String) {
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
pub(super) fn skipped(findings: &Findings<'_>, md: &mut String) {
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
