//! The fidelity table: per resource, how much of what was judged agrees.

use std::io::{self, Write};

use crate::report::fidelity::{fidelity, FidelityRow};
use crate::report::style::{clean_line, Paint};
use crate::verdict::RunReport;

/// The fidelity table: per resource, the share of judged cases that agree with the
/// documentation (and the reference), and the operations not served.
///
/// Without `verbose`, resources with no judged case (every case not served or skipped) are
/// counted on one line rather than listed: against a partial mock of the whole spec they are
/// most of the resources.
pub(super) fn write_fidelity(
    report: &RunReport,
    out: &mut dyn Write,
    paint: Paint,
    verbose: bool,
) -> io::Result<()> {
    let mut rows = fidelity(report);
    let unjudged = if verbose {
        0
    } else {
        keep_departing(&mut rows)
    };
    write_aligned(&cells(report, &rows), unjudged, out, paint)
}

/// Without `-v`: keeps the resources that depart somewhere, and the total (the last row);
/// returns how many rows were left out.
fn keep_departing(rows: &mut Vec<FidelityRow>) -> usize {
    let total_row = rows.len().saturating_sub(1);
    let before = rows.len();
    let mut index = 0;
    rows.retain(|r| {
        let departs = r.agree_documentation < r.judged
            || r.agree_reference.is_some_and(|a| a < r.judged)
            || r.not_served_operations > 0;
        let keep = index == total_row || (r.judged > 0 && departs);
        index += 1;
        keep
    });
    before - rows.len()
}

/// `agree/judged  p%`, or `-` when nothing was judged.
fn share(agree: usize, judged: usize) -> String {
    match FidelityRow::share(agree, judged) {
        Some(p) => format!("{agree}/{judged} {p:>3}%"),
        None => "-".to_owned(),
    }
}

/// The header and one line per row, four cells each; a column nothing fills stays empty.
fn cells(report: &RunReport, rows: &[FidelityRow]) -> Vec<[String; 4]> {
    let any_not_served = rows.iter().any(|r| r.not_served_operations > 0);
    let mut cells: Vec<[String; 4]> = vec![[
        "fidelity".to_owned(),
        "documentation".to_owned(),
        if report.snapshots_verified {
            "reference".to_owned()
        } else {
            String::new()
        },
        if any_not_served {
            "not served".to_owned()
        } else {
            String::new()
        },
    ]];
    for row in rows {
        cells.push([
            clean_line(&row.resource),
            share(row.agree_documentation, row.judged),
            row.agree_reference
                .map(|a| share(a, row.judged))
                .unwrap_or_default(),
            if row.not_served_operations > 0 {
                format!(
                    "{} {}",
                    row.not_served_operations,
                    if row.not_served_operations == 1 {
                        "operation"
                    } else {
                        "operations"
                    }
                )
            } else {
                String::new()
            },
        ]);
    }
    cells
}

/// The cells in aligned columns, header and total in bold, with the count of the resources
/// left out (`unjudged`) just before the total.
fn write_aligned(
    cells: &[[String; 4]],
    unjudged: usize,
    out: &mut dyn Write,
    paint: Paint,
) -> io::Result<()> {
    let widths: Vec<usize> = (0..4)
        .map(|i| {
            cells
                .iter()
                .map(|c| c[i].chars().count())
                .max()
                .unwrap_or(0)
        })
        .collect();
    for (n, c) in cells.iter().enumerate() {
        let mut line = format!("{:<w$}", c[0], w = widths[0]);
        for i in 1..4 {
            if widths[i] > 0 {
                line.push_str(&format!("  {:>w$}", c[i], w = widths[i]));
            }
        }
        let line = line.trim_end().to_owned();
        let strong = n == 0 || n == cells.len() - 1;
        if n == cells.len() - 1 && unjudged > 0 {
            writeln!(
                out,
                "{}",
                paint.dim(&format!(
                    "… and {unjudged} {} that agree throughout or have no judged case (-v lists them)",
                    if unjudged == 1 { "resource" } else { "resources" }
                ))
            )?;
        }
        writeln!(out, "{}", if strong { paint.bold(&line) } else { line })?;
    }
    Ok(())
}
