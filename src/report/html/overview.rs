//! The run-level sections: fidelity per resource, the root causes, the operations not served,
//! and the table of outcomes per resource and family.

use std::fmt::Write as _;

use super::escape::text;
use crate::report::fidelity::{fidelity_cells, not_served};
use crate::report::root_causes::root_causes;
use crate::report::style::cut;
use crate::report::table::{shown_outcomes, table_rows};
use crate::verdict::RunReport;

/// How faithful the target is, per resource: the page opens with it.
pub(super) fn fidelity_section(report: &RunReport, h: &mut String) {
    if report.verdicts.is_empty() {
        return;
    }
    let (header, rows) = fidelity_cells(report);
    h.push_str(
        "<section id=\"fidelity\">\n<h2>Fidelity</h2>\n<table class=\"totals\">\n<thead><tr>",
    );
    for column in header {
        let _ = write!(h, "<th scope=\"col\">{}</th>", text(column));
    }
    h.push_str("</tr></thead>\n<tbody>\n");
    for cells in rows {
        let _ = write!(h, "<tr><th scope=\"row\">{}</th>", text(&cells[0]));
        for cell in &cells[1..] {
            let _ = write!(h, "<td>{}</td>", text(cell));
        }
        h.push_str("</tr>\n");
    }
    h.push_str("</tbody>\n</table>\n</section>\n");
}

/// Characters of a root cause's example failure shown (a violation may quote a whole body).
const EXAMPLE_CHARS: usize = 200;

/// The root causes, most cases first, each with one reproducible example.
pub(super) fn root_cause_section(report: &RunReport, h: &mut String) {
    let causes = root_causes(report);
    if causes.is_empty() {
        return;
    }
    let _ = writeln!(
        h,
        "<section id=\"root-causes\">\n<h2>Root causes ({})</h2>\n<ol>",
        causes.len()
    );
    for cause in &causes {
        let example = &cause.example;
        let first = example.failure.lines().next().unwrap_or("");
        let _ = write!(
            h,
            "<li><strong>{}</strong> — {} {}<br>e.g. <code>{}</code>: {}",
            text(&cause.title),
            cause.count,
            if cause.count == 1 { "case" } else { "cases" },
            text(&example.case_id),
            text(&cut(first, EXAMPLE_CHARS))
        );
        if let Some(curl) = &example.reproduce {
            let _ = write!(h, "<pre class=\"curl\">{}</pre>", text(curl));
        }
        h.push_str("</li>\n");
    }
    h.push_str("</ol>\n</section>\n");
}

/// The operations the target does not serve, once each.
pub(super) fn not_served_section(report: &RunReport, h: &mut String) {
    let ops = not_served(report);
    if ops.is_empty() {
        return;
    }
    let _ = writeln!(
        h,
        "<section id=\"not-served\">\n<h2>Not served ({} operations)</h2>\n<ul>",
        ops.len()
    );
    for op in &ops {
        let _ = writeln!(
            h,
            "<li><code>{}::{}::{}</code> — {} cases: {}</li>",
            op.api,
            text(&op.resource),
            text(&op.operation_id),
            op.cases,
            text(&op.reason)
        );
    }
    h.push_str("</ul>\n</section>\n");
}

/// The outcome counts per resource and family, as in the terminal report.
pub(super) fn totals_table(report: &RunReport, h: &mut String) {
    if report.verdicts.is_empty() {
        return;
    }
    let shown = shown_outcomes(report);
    h.push_str(
        "<section id=\"totals\">\n<h2>Results per resource and family</h2>\n\
         <table class=\"totals\">\n<thead><tr><th scope=\"col\">resource / family</th>",
    );
    for outcome in &shown {
        let _ = write!(
            h,
            "<th scope=\"col\">{}</th>",
            outcome.name().replace('_', " ")
        );
    }
    h.push_str("<th scope=\"col\">total</th></tr></thead>\n<tbody>\n");
    for row in table_rows(report) {
        let class = if row.strong { " class=\"strong\"" } else { "" };
        let label = row.label.trim_start();
        let indent = if label.len() < row.label.len() {
            " class=\"family\""
        } else {
            ""
        };
        let _ = write!(
            h,
            "<tr{class}><th scope=\"row\"{indent}>{}</th>",
            text(label)
        );
        for outcome in &shown {
            let n = row.counts.get(*outcome);
            // Only non-zero cells are coloured, so the eye finds the failures.
            if n > 0 {
                let _ = write!(h, "<td class=\"o-{}\">{n}</td>", outcome.name());
            } else {
                h.push_str("<td class=\"zero\">0</td>");
            }
        }
        let _ = writeln!(h, "<td>{}</td></tr>", row.counts.total());
    }
    h.push_str("</tbody>\n</table>\n</section>\n");
}
