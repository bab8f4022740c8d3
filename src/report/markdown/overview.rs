//! The run-level sections: fidelity per resource, the root causes, the operations not served,
//! and the table of discrepancies per operation.

use std::fmt::Write as _;

use super::escape::{cell_code, code, inline};
use crate::report::fidelity::{fidelity_cells, not_served};
use crate::report::findings::Findings;
use crate::report::root_causes::root_causes;
use crate::report::style::cut;
use crate::verdict::RunReport;

/// How faithful the target is, per resource: the report opens with it.
pub(super) fn fidelity_table(report: &RunReport, md: &mut String) {
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
pub(super) fn root_cause_list(report: &RunReport, md: &mut String) {
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
pub(super) fn not_served_list(report: &RunReport, md: &mut String) {
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

/// The table of discrepancies per operation, or the sentence that there are none.
pub(super) fn summary(findings: &Findings<'_>, md: &mut String) {
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
