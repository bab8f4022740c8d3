//! The table of outcomes per resource and family, columns aligned.

use std::io::{self, Write};

use crate::report::style::Paint;
use crate::report::table::{shown_outcomes, table_rows};
use crate::verdict::RunReport;

/// The summary table, columns aligned (padding is computed before colour is applied).
pub(super) fn write_table(report: &RunReport, out: &mut dyn Write, paint: Paint) -> io::Result<()> {
    const LABEL: &str = "resource / family";
    let rows = table_rows(report);
    let label_width = rows
        .iter()
        .map(|r| r.label.chars().count())
        .chain([LABEL.len()])
        .max()
        .unwrap_or(0);
    let number_width = |n: usize| n.to_string().len();
    let widest = rows.iter().map(|r| r.counts.total()).max().unwrap_or(0);
    let shown = shown_outcomes(report);
    let mut widths: Vec<usize> = shown
        .iter()
        .map(|o| o.name().len().max(number_width(widest)))
        .collect();
    let total_width = "total".len().max(number_width(widest));
    widths.push(total_width);

    let mut header = format!("{LABEL:<label_width$}");
    for (i, outcome) in shown.iter().enumerate() {
        header.push_str(&format!("  {:>w$}", outcome.name(), w = widths[i]));
    }
    header.push_str(&format!("  {:>w$}", "total", w = total_width));
    writeln!(out, "{}", paint.bold(&header))?;

    for row in &rows {
        let label = format!("{:<label_width$}", row.label);
        let mut line = if row.strong {
            paint.bold(&label)
        } else {
            label
        };
        for (i, outcome) in shown.iter().copied().enumerate() {
            let n = row.counts.get(outcome);
            let cell = format!("{n:>w$}", w = widths[i]);
            // Only non-zero cells are coloured, so the eye finds the failures.
            let cell = if n > 0 {
                paint.outcome(&cell, outcome)
            } else {
                cell
            };
            line.push_str("  ");
            line.push_str(&cell);
        }
        let total = format!("{:>w$}", row.counts.total(), w = total_width);
        line.push_str("  ");
        line.push_str(&if row.strong {
            paint.bold(&total)
        } else {
            total
        });
        writeln!(out, "{line}")?;
    }
    Ok(())
}
