//! The terminal report's outline: its options, and which sections it writes in which order.

use std::io::{self, Write};

use super::cases::{write_failed_ids, write_unjudged, write_verdict, Listed};
use super::fidelity::write_fidelity;
use super::not_served::write_not_served;
use super::root_causes::write_root_causes;
use super::table::write_table;
use super::totals::{write_skip_reasons, write_totals};
use crate::report::excerpt::{bounded, Limits};
use crate::report::style::Paint;
use crate::verdict::{Outcome, RunReport};

/// How the terminal report looks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct TerminalOptions {
    /// Colour with ANSI escapes; off, the output holds no escape at all.
    pub color: bool,
    /// Also list passing and skipped cases one per line.
    pub verbose: bool,
}

/// Writes the terminal report of `report` to `out`.
///
/// With `verbose`: first a block per failed or errored case (in case order) and the table of
/// outcomes per resource and family. Always: the fidelity table, the root causes (a few case ids
/// and one reproducible example each), the operations not served, the totals line, and the
/// distinct reasons cases were skipped. A badly broken target stays a screenful: its cases are
/// counted under their causes, listed one by one only with `verbose`.
pub fn write_terminal(
    report: &RunReport,
    out: &mut dyn Write,
    opts: &TerminalOptions,
) -> io::Result<()> {
    let report = &*bounded(report, Limits::TEXT);
    let paint = Paint::new(opts.color);
    if opts.verbose {
        let mut last = Listed::Nothing;
        for verdict in &report.verdicts {
            last = write_verdict(verdict, out, paint, opts.verbose, last)?;
        }
        // Blocks end with a blank line; a run of one-line entries needs one before the table.
        if last == Listed::Line {
            writeln!(out)?;
        }
        if !report.verdicts.is_empty() {
            write_table(report, out, paint)?;
            writeln!(out)?;
        }
    }
    // A run where everything agrees is its totals line; the table is behind `-v`.
    let all_agree = report
        .verdicts
        .iter()
        .all(|v| matches!(v.outcome, Outcome::Pass | Outcome::Skipped | Outcome::Known));
    if !report.verdicts.is_empty() && (opts.verbose || !all_agree) {
        write_fidelity(report, out, paint, opts.verbose)?;
        writeln!(out)?;
    }
    write_root_causes(report, out, paint, opts.verbose)?;
    write_not_served(report, out, paint, opts.verbose)?;
    if !opts.verbose {
        write_unjudged(report, out, paint)?;
    }
    write_totals(report, out, paint)?;
    write_skip_reasons(report, out, paint)?;
    write_failed_ids(report, out, paint, opts.verbose)?;
    out.flush()
}
