//! The document's outline: the header with the run and its totals, then the sections in reading
//! order, ending with one newline.

use std::fmt::Write as _;
use std::io::Write;

use super::discrepancies::operation;
use super::escape::cell_code;
use super::listed::{errors, known, now_conforming, skipped};
use super::overview::{fidelity_table, not_served_list, root_cause_list, summary};
use crate::report::error::ReportError;
use crate::report::excerpt::{bounded, Limits};
use crate::report::findings::{findings, run_fields, totals_sentence};
use crate::report::output::write_document;
use crate::verdict::RunReport;

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
