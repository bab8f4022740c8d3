//! The closing lines: the totals and the reasons cases were skipped.

use std::collections::BTreeMap;
use std::io::{self, Write};

use crate::report::style::{clean, clean_line, Paint};
use crate::verdict::{Outcome, RunReport};

/// `247 cases: 240 passed, 3 failed, 0 errors, 4 skipped in 1.32 s against … (profile …, spec …)`.
pub(super) fn write_totals(
    report: &RunReport,
    out: &mut dyn Write,
    paint: Paint,
) -> io::Result<()> {
    let total = report.verdicts.len();
    let part = |outcome: Outcome, singular: &str, plural: &str| {
        let n = report.count(outcome);
        let text = format!("{n} {}", if n == 1 { singular } else { plural });
        if n > 0 {
            paint.outcome(&text, outcome)
        } else {
            text
        }
    };
    let mut known = String::new();
    for (outcome, singular, plural) in [
        (Outcome::Known, "known", "known"),
        (Outcome::NowConforms, "now conforming", "now conforming"),
        (Outcome::NotServed, "not served", "not served"),
    ] {
        if report.count(outcome) > 0 {
            known.push_str(", ");
            known.push_str(&part(outcome, singular, plural));
        }
    }
    writeln!(
        out,
        "{} {}: {}, {}, {}, {}{known} in {:.2} s against {} (profile {}, spec {})",
        total,
        if total == 1 { "case" } else { "cases" },
        part(Outcome::Pass, "passed", "passed"),
        part(Outcome::Fail, "failed", "failed"),
        part(Outcome::Error, "error", "errors"),
        part(Outcome::Skipped, "skipped", "skipped"),
        report.elapsed_ms as f64 / 1000.0,
        clean_line(&report.target),
        clean_line(&report.profile),
        clean_line(&report.spec),
    )
}

/// Each distinct skip reason with how many cases it skipped, most frequent first.
pub(super) fn write_skip_reasons(
    report: &RunReport,
    out: &mut dyn Write,
    paint: Paint,
) -> io::Result<()> {
    let mut reasons: BTreeMap<&str, usize> = BTreeMap::new();
    for v in report
        .verdicts
        .iter()
        .filter(|v| v.outcome == Outcome::Skipped)
    {
        *reasons
            .entry(v.reason.as_deref().unwrap_or("no reason recorded"))
            .or_default() += 1;
    }
    let mut reasons: Vec<(&str, usize)> = reasons.into_iter().collect();
    // Stable sort on a reason-ordered list: ties stay alphabetical, so the output is deterministic.
    reasons.sort_by_key(|&(_, n)| std::cmp::Reverse(n));
    for (reason, n) in reasons {
        let count = paint.outcome(&format!("{n} skipped"), Outcome::Skipped);
        writeln!(out, "{count}: {}", clean(reason).replace('\n', " "))?;
    }
    Ok(())
}
