//! The root causes, most cases first, each with a few case ids and one reproducible example.

use std::io::{self, Write};

use crate::report::root_causes::root_causes;
use crate::report::style::{clean_line, cut, Paint};
use crate::verdict::{Outcome, RunReport};

/// Root causes shown in full without `-v`; the rest are counted (all are in the JSON report).
const ROOT_CAUSES_SHOWN: usize = 12;

/// Characters of a root cause's example line.
const EXAMPLE_CHARS: usize = 200;

/// Case ids listed under a root cause without `-v`.
const CASES_SHOWN: usize = 3;

/// The root causes, most cases first: title and count, a few case ids, one example with its
/// curl command. Without `-v` at most [`ROOT_CAUSES_SHOWN`] of them.
pub(super) fn write_root_causes(
    report: &RunReport,
    out: &mut dyn Write,
    paint: Paint,
    verbose: bool,
) -> io::Result<()> {
    let causes = root_causes(report);
    if causes.is_empty() {
        return Ok(());
    }
    let failed = report.count(Outcome::Fail);
    writeln!(
        out,
        "{}",
        paint.bold(&format!(
            "root causes: {} behind {failed} failed {}",
            causes.len(),
            if failed == 1 { "case" } else { "cases" }
        ))
    )?;
    let shown = if verbose {
        causes.len()
    } else {
        ROOT_CAUSES_SHOWN
    };
    for (i, cause) in causes.iter().take(shown).enumerate() {
        let count = paint.outcome(
            &format!(
                "{} {}",
                cause.count,
                if cause.count == 1 { "case" } else { "cases" }
            ),
            Outcome::Fail,
        );
        writeln!(out, "{:>2}. {} ({count})", i + 1, clean_line(&cause.title))?;
        let listed = if verbose {
            cause.cases.len()
        } else {
            CASES_SHOWN
        };
        for id in cause.cases.iter().take(listed) {
            writeln!(out, "    {}", clean_line(id))?;
        }
        if cause.cases.len() > listed {
            writeln!(out, "    … and {} more", cause.cases.len() - listed)?;
        }
        let example = &cause.example;
        let first = example.failure.lines().next().unwrap_or("");
        writeln!(
            out,
            "    {}{}",
            paint.dim("e.g. "),
            // A violation quotes the body; the curl below shows it whole.
            cut(
                &clean_line(&format!("{}: {first}", example.case_id)),
                EXAMPLE_CHARS
            )
        )?;
        if let Some(curl) = &example.reproduce {
            writeln!(out, "    {}{}", paint.dim("reproduce: "), clean_line(curl))?;
        }
    }
    if causes.len() > shown {
        writeln!(
            out,
            "… and {} more root causes (-v lists them and every case; the JSON report has all)",
            causes.len() - shown
        )?;
    }
    writeln!(out)
}
