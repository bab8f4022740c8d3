//! The cases one by one: a block per failed, errored or known case and a line per passed or
//! skipped one (verbose), a line per case that needs action (without `-v`), and the ids of the
//! failed cases to rerun.

use std::io::{self, Write};

use crate::report::failure::{headline, render};
use crate::report::style::{clean_line, Paint};
use crate::verdict::{Outcome, RunReport, Verdict};

/// Failed case ids listed last without `-v` (the rest are counted; all are in the JSON report).
const FAILED_IDS_SHOWN: usize = 30;

/// `failed:` and the id of each case that failed or errored, one a line, last, as `cargo test`
/// ends: the line to copy into the next run's filter.
pub(super) fn write_failed_ids(
    report: &RunReport,
    out: &mut dyn Write,
    paint: Paint,
    verbose: bool,
) -> io::Result<()> {
    let failed: Vec<&Verdict> = report
        .verdicts
        .iter()
        .filter(|v| {
            matches!(
                v.outcome,
                Outcome::Fail | Outcome::Error | Outcome::NowConforms
            )
        })
        .collect();
    if failed.is_empty() {
        return Ok(());
    }
    writeln!(out, "\nfailed:")?;
    let shown = if verbose {
        failed.len()
    } else {
        FAILED_IDS_SHOWN
    };
    for v in failed.iter().take(shown) {
        writeln!(
            out,
            "    {}",
            paint.outcome(&clean_line(&v.case_id), v.outcome)
        )?;
    }
    if failed.len() > shown {
        writeln!(
            out,
            "    … and {} more (all with -v, and in the JSON report)",
            failed.len() - shown
        )?;
    }
    Ok(())
}

/// Cases listed one line each without `-v`, beyond the root causes.
const UNJUDGED_SHOWN: usize = 10;

/// Without `-v`: the cases that could not be run and the stale known deviations (which fail
/// the run), one line each, so what needs doing is named without the per-case blocks.
pub(super) fn write_unjudged(
    report: &RunReport,
    out: &mut dyn Write,
    paint: Paint,
) -> io::Result<()> {
    let listed: Vec<&Verdict> = report
        .verdicts
        .iter()
        .filter(|v| matches!(v.outcome, Outcome::Error | Outcome::NowConforms))
        .collect();
    if listed.is_empty() {
        return Ok(());
    }
    for v in listed.iter().take(UNJUDGED_SHOWN) {
        let label = match v.outcome {
            Outcome::Error => "ERROR",
            _ => "CONFORMS",
        };
        writeln!(
            out,
            "{} {}: {}",
            paint.outcome(label, v.outcome),
            clean_line(&v.case_id),
            headline(v)
        )?;
    }
    if listed.len() > UNJUDGED_SHOWN {
        writeln!(
            out,
            "… and {} more (-v shows every case)",
            listed.len() - UNJUDGED_SHOWN
        )?;
    }
    writeln!(out)
}

/// What the listing of verdicts last wrote, to place blank lines.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Listed {
    Nothing,
    /// A `PASS`/`SKIP` line (verbose mode).
    Line,
    /// A `FAIL`/`ERROR` block, which ends with a blank line.
    Block,
}

/// One verdict: a block if it failed or errored, a line in verbose mode, else nothing.
pub(super) fn write_verdict(
    verdict: &Verdict,
    out: &mut dyn Write,
    paint: Paint,
    verbose: bool,
    last: Listed,
) -> io::Result<Listed> {
    let id = clean_line(&verdict.case_id);
    match verdict.outcome {
        Outcome::Fail | Outcome::Error | Outcome::NowConforms | Outcome::Known => {
            let label = match verdict.outcome {
                Outcome::Fail => "FAIL",
                Outcome::Known => "KNOWN",
                Outcome::NowConforms => "CONFORMS",
                _ => "ERROR",
            };
            // Blocks stand apart from each other and from one-line entries around them.
            if last == Listed::Line {
                writeln!(out)?;
            }
            writeln!(
                out,
                "{} {}",
                paint.outcome(label, verdict.outcome),
                paint.bold(&id)
            )?;
            for line in render(verdict, paint).lines() {
                writeln!(out, "  {line}")?;
            }
            writeln!(out)?;
            Ok(Listed::Block)
        }
        Outcome::Pass if verbose => {
            let label = paint.outcome("PASS", Outcome::Pass);
            // A pass carries a reason only when the runner noted something (a retry).
            match &verdict.reason {
                Some(note) => writeln!(
                    out,
                    "{label} {id} ({} ms; {})",
                    verdict.elapsed_ms,
                    clean_line(note)
                )?,
                None => writeln!(out, "{label} {id} ({} ms)", verdict.elapsed_ms)?,
            }
            Ok(Listed::Line)
        }
        Outcome::Skipped if verbose => {
            let label = paint.outcome("SKIP", Outcome::Skipped);
            let reason = verdict.reason.as_deref().unwrap_or("no reason recorded");
            writeln!(out, "{label} {id}: {}", clean_line(reason))?;
            Ok(Listed::Line)
        }
        // Not-served operations are listed once each, not per case.
        Outcome::Pass | Outcome::Skipped | Outcome::NotServed => Ok(last),
    }
}
