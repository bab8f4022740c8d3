//! The page's frame: the document head (with the Content-Security-Policy that forbids loading
//! anything, the style and the script included from `src/report/assets/` at build time), the
//! header with the run and its totals, the sections in reading order, and the footer.

use std::fmt::Write as _;
use std::io::Write;

use super::discrepancies::discrepancies;
use super::escape::text;
use super::listed::{errors, known, now_conforming, skipped};
use super::overview::{fidelity_section, not_served_section, root_cause_section, totals_table};
use crate::report::error::ReportError;
use crate::report::excerpt::{bounded, Limits};
use crate::report::findings::{findings, run_fields, totals_sentence};
use crate::report::output::write_document;
use crate::verdict::{Outcome, RunReport};

/// The page's style: system fonts only (no download), outcome colours, a readable measure.
const CSS: &str = include_str!("../assets/report.css");

/// Filters: show the findings whose kind is checked and whose resource is selected; hide the
/// blocks left empty. Without JavaScript every finding shows.
const SCRIPT: &str = include_str!("../assets/report.js");

/// Writes the HTML report of `report` to `out`: one page, readable offline, with the same
/// content as the Markdown report plus the totals table per resource and family.
pub fn write_html(report: &RunReport, out: &mut dyn Write) -> Result<(), ReportError> {
    write_document(&render(&bounded(report, Limits::TEXT)), "HTML", out)
}

/// The whole page.
fn render(report: &RunReport) -> String {
    let findings = findings(report);
    let mut h = String::with_capacity(64 * 1024);
    let _ = write!(
        h,
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; \
         style-src 'unsafe-inline'; script-src 'unsafe-inline'\">\n\
         <meta name=\"generator\" content=\"jira-conform {}\">\n\
         <title>jira-conform report: {}</title>\n<style>\n{CSS}</style>\n</head>\n<body>\n",
        env!("CARGO_PKG_VERSION"),
        text(&report.target)
    );
    header(report, &mut h);
    h.push_str("<main>\n");
    fidelity_section(report, &mut h);
    root_cause_section(report, &mut h);
    not_served_section(report, &mut h);
    // The findings first, as they are what the page is read for; the table closes it, as in
    // the terminal report.
    discrepancies(&findings, &mut h);
    known(&findings, &mut h);
    now_conforming(&findings, &mut h);
    errors(&findings, &mut h);
    totals_table(report, &mut h);
    skipped(&findings, &mut h);
    h.push_str("</main>\n");
    let _ = write!(
        h,
        "<footer>Written by jira-conform {}. Tokens never appear here: reproductions read them \
         from <code>$JIRA_TOKEN_&lt;NAME&gt;</code>.</footer>\n<script>\n{SCRIPT}</script>\n\
         </body>\n</html>\n",
        env!("CARGO_PKG_VERSION")
    );
    h
}

/// Title, what was tested, and the totals as coloured badges.
fn header(report: &RunReport, h: &mut String) {
    h.push_str("<header>\n<h1>jira-conform report</h1>\n<dl class=\"run\">\n");
    for (label, value) in run_fields(report) {
        let _ = writeln!(h, "<dt>{label}</dt><dd><code>{}</code></dd>", text(value));
    }
    let _ = writeln!(
        h,
        "<dt>duration</dt><dd>{:.2} s</dd>\n</dl>",
        report.elapsed_ms as f64 / 1000.0
    );
    let _ = write!(
        h,
        "<p class=\"totals\"><span class=\"sentence\">{}</span>",
        text(&totals_sentence(report))
    );
    for outcome in Outcome::ALL {
        let n = report.count(outcome);
        if n > 0 {
            let _ = write!(
                h,
                " <span class=\"badge o-{}\">{n} {}</span>",
                outcome.name(),
                outcome_words(outcome)
            );
        }
    }
    h.push_str("</p>\n</header>\n");
}

/// How an outcome is said next to a count.
fn outcome_words(outcome: Outcome) -> &'static str {
    match outcome {
        Outcome::Pass => "passed",
        Outcome::Fail => "failed",
        Outcome::Error => "errored",
        Outcome::Skipped => "skipped",
        Outcome::Known => "known",
        Outcome::NowConforms => "now conforming",
        Outcome::NotServed => "not served",
    }
}
