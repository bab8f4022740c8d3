//! The report a user reads after `jira-conform run`: failures in detail, then a summary table.

use std::collections::BTreeMap;
use std::io::{self, Write};

use super::excerpt::{bounded, Limits};
use super::failure::{headline, render};
use super::fidelity::{fidelity, not_served, FidelityRow};
use super::root_causes::root_causes;
use super::style::{clean, clean_line, cut, Paint};
use crate::case::{Api, Family};
use crate::verdict::{Outcome, RunReport, Verdict};

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

/// Failed case ids listed last without `-v` (the rest are counted; all are in the JSON report).
const FAILED_IDS_SHOWN: usize = 30;

/// `failed:` and the id of each case that failed or errored, one a line, last, as `cargo test`
/// ends: the line to copy into the next run's filter.
fn write_failed_ids(
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

/// Root causes shown in full without `-v`; the rest are counted (all are in the JSON report).
const ROOT_CAUSES_SHOWN: usize = 12;

/// Characters of a root cause's example line.
const EXAMPLE_CHARS: usize = 200;

/// Case ids listed under a root cause without `-v`.
const CASES_SHOWN: usize = 3;

/// The fidelity table: per resource, the share of judged cases that agree with the
/// documentation (and the reference), and the operations not served.
///
/// Without `verbose`, resources with no judged case (every case not served or skipped) are
/// counted on one line rather than listed: against a partial mock of the whole spec they are
/// most of the resources.
fn write_fidelity(
    report: &RunReport,
    out: &mut dyn Write,
    paint: Paint,
    verbose: bool,
) -> io::Result<()> {
    let mut rows = fidelity(report);
    let total_row = rows.len().saturating_sub(1);
    let mut unjudged = 0;
    if !verbose {
        let before = rows.len();
        let mut index = 0;
        // Without `-v`: the resources that depart somewhere, and the total.
        rows.retain(|r| {
            let departs = r.agree_documentation < r.judged
                || r.agree_reference.is_some_and(|a| a < r.judged)
                || r.not_served_operations > 0;
            let keep = index == total_row || (r.judged > 0 && departs);
            index += 1;
            keep
        });
        unjudged = before - rows.len();
    }
    let share = |agree: usize, judged: usize| match FidelityRow::share(agree, judged) {
        Some(p) => format!("{agree}/{judged} {p:>3}%"),
        None => "-".to_owned(),
    };
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
    for row in &rows {
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

/// The root causes, most cases first: title and count, a few case ids, one example with its
/// curl command. Without `-v` at most [`ROOT_CAUSES_SHOWN`] of them.
fn write_root_causes(
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

/// Cases listed one line each without `-v`, beyond the root causes.
const UNJUDGED_SHOWN: usize = 10;

/// Without `-v`: the cases that could not be run and the stale known deviations (which fail
/// the run), one line each, so what needs doing is named without the per-case blocks.
fn write_unjudged(report: &RunReport, out: &mut dyn Write, paint: Paint) -> io::Result<()> {
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

/// Not-served operations listed one line each without `-v`; beyond, one line per resource.
const NOT_SERVED_SHOWN: usize = 60;

/// Resources with not-served operations listed without `-v`, when grouped by resource.
const NOT_SERVED_RESOURCES_SHOWN: usize = 20;

/// The operations the target does not serve, one line each (one line per resource when there
/// are more than [`NOT_SERVED_SHOWN`] and not `verbose`: a partial mock of the whole spec).
fn write_not_served(
    report: &RunReport,
    out: &mut dyn Write,
    paint: Paint,
    verbose: bool,
) -> io::Result<()> {
    let ops = not_served(report);
    if ops.is_empty() {
        return Ok(());
    }
    if !verbose && ops.len() > NOT_SERVED_SHOWN {
        let mut resources: BTreeMap<(Api, &str), Vec<&str>> = BTreeMap::new();
        for op in &ops {
            resources
                .entry((op.api, op.resource.as_str()))
                .or_default()
                .push(op.operation_id.as_str());
        }
        writeln!(
            out,
            "{}",
            paint.bold(&format!(
                "not served: {} operations of {} resources (-v lists each)",
                ops.len(),
                resources.len()
            ))
        )?;
        for ((api, resource), names) in resources.iter().take(NOT_SERVED_RESOURCES_SHOWN) {
            let mut listed = names
                .iter()
                .take(3)
                .map(|n| clean_line(n))
                .collect::<Vec<_>>()
                .join(", ");
            if names.len() > 3 {
                listed.push_str(", …");
            }
            writeln!(
                out,
                "  {} {api}::{}: {} ({listed})",
                paint.outcome("NOT SERVED", Outcome::NotServed),
                clean_line(resource),
                if names.len() == 1 {
                    "1 operation".to_owned()
                } else {
                    format!("{} operations", names.len())
                }
            )?;
        }
        if resources.len() > NOT_SERVED_RESOURCES_SHOWN {
            writeln!(
                out,
                "  … and {} more resources (-v lists each operation; every report has them)",
                resources.len() - NOT_SERVED_RESOURCES_SHOWN
            )?;
        }
        return writeln!(out);
    }
    writeln!(
        out,
        "{}",
        paint.bold(&format!("not served: {} operations", ops.len()))
    )?;
    for op in &ops {
        writeln!(
            out,
            "  {} {}::{}::{} ({} {})",
            paint.outcome("NOT SERVED", Outcome::NotServed),
            op.api,
            clean_line(&op.resource),
            clean_line(&op.operation_id),
            op.cases,
            if op.cases == 1 { "case" } else { "cases" }
        )?;
    }
    writeln!(out)
}

/// What the listing of verdicts last wrote, to place blank lines.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Listed {
    Nothing,
    /// A `PASS`/`SKIP` line (verbose mode).
    Line,
    /// A `FAIL`/`ERROR` block, which ends with a blank line.
    Block,
}

/// One verdict: a block if it failed or errored, a line in verbose mode, else nothing.
fn write_verdict(
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

/// Outcome counts of a group of verdicts, in [`Outcome::ALL`] order.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(super) struct Counts([usize; 7]);

impl Counts {
    fn add(&mut self, outcome: Outcome) {
        self.0[outcome_index(outcome)] += 1;
    }

    /// The count of one outcome.
    pub(super) fn get(&self, outcome: Outcome) -> usize {
        self.0[outcome_index(outcome)]
    }

    /// The count of every outcome.
    pub(super) fn total(&self) -> usize {
        self.0.iter().sum()
    }
}

/// Position of an outcome in [`Outcome::ALL`].
fn outcome_index(outcome: Outcome) -> usize {
    match outcome {
        Outcome::Pass => 0,
        Outcome::Fail => 1,
        Outcome::Error => 2,
        Outcome::Skipped => 3,
        Outcome::Known => 4,
        Outcome::NowConforms => 5,
        Outcome::NotServed => 6,
    }
}

/// One row of the summary table (shared with the HTML report).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Row {
    /// `v3::user_properties`, or an indented family name, or `total`.
    pub(super) label: String,
    /// The outcome counts of the row.
    pub(super) counts: Counts,
    /// Resource and total rows stand out from family rows.
    pub(super) strong: bool,
}

/// The table rows: per `api::resource` a subtotal row, then one row per family present (in
/// [`Family::ALL`] order), then the total.
pub(super) fn table_rows(report: &RunReport) -> Vec<Row> {
    // The key is API then resource, so v2 and v3 of one resource sit next to each other and the
    // order does not depend on the order cases ran in.
    let mut groups: BTreeMap<(Api, &str), BTreeMap<Family, Counts>> = BTreeMap::new();
    let mut total = Counts::default();
    for v in &report.verdicts {
        let families = groups.entry((v.api, v.resource.as_str())).or_default();
        families.entry(v.family).or_default().add(v.outcome);
        total.add(v.outcome);
    }
    let mut rows = Vec::new();
    for ((api, resource), families) in &groups {
        let mut subtotal = Counts::default();
        for counts in families.values() {
            for (i, n) in counts.0.iter().enumerate() {
                subtotal.0[i] += n;
            }
        }
        rows.push(Row {
            label: clean_line(&format!("{api}::{resource}")),
            counts: subtotal,
            strong: true,
        });
        // `Family` orders like `Family::ALL`, so the map's order is the report order.
        for (family, counts) in families {
            rows.push(Row {
                label: format!("  {family}"),
                counts: *counts,
                strong: false,
            });
        }
    }
    rows.push(Row {
        label: "total".to_owned(),
        counts: total,
        strong: true,
    });
    rows
}

/// The summary table, columns aligned (padding is computed before colour is applied).
fn write_table(report: &RunReport, out: &mut dyn Write, paint: Paint) -> io::Result<()> {
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
    // The known-deviation columns appear only in runs that have some.
    let shown: Vec<Outcome> = Outcome::ALL
        .into_iter()
        .filter(|o| {
            !matches!(
                o,
                Outcome::Known | Outcome::NowConforms | Outcome::NotServed
            ) || report.count(*o) > 0
        })
        .collect();
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

/// `247 cases: 240 passed, 3 failed, 0 errors, 4 skipped in 1.32 s against … (profile …, spec …)`.
fn write_totals(report: &RunReport, out: &mut dyn Write, paint: Paint) -> io::Result<()> {
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
fn write_skip_reasons(report: &RunReport, out: &mut dyn Write, paint: Paint) -> io::Result<()> {
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::sample::{
        self, CURL, KNOWN_LINK, KNOWN_REASON, SKIP_PRINCIPAL, SKIP_READ_ONLY, STALE_REASON,
    };

    fn render_report(report: &RunReport, color: bool, verbose: bool) -> String {
        let mut out = Vec::new();
        write_terminal(report, &mut out, &TerminalOptions { color, verbose }).unwrap();
        String::from_utf8(out).unwrap()
    }

    /// The numbers of the table row whose label (trimmed) is `label`, after line `after`.
    fn row(text: &str, after: &str, label: &str) -> Vec<usize> {
        let start = text.find(&format!("\n{after} ")).expect(after);
        let line = text[start + 1..]
            .lines()
            .find(|l| l.trim_start().starts_with(&format!("{label} ")))
            .unwrap_or_else(|| panic!("no row {label} after {after}"));
        line.split_whitespace()
            .skip(1)
            .map(|n| n.parse().unwrap())
            .collect()
    }

    #[test]
    fn plain_output_holds_no_escape_even_from_the_body() {
        let text = render_report(&sample::report(), false, true);
        assert!(!text.contains('\x1b'), "{text}");
        // The body's escape is shown, defused.
        assert!(text.contains("\n      \\u{1b}[31mred\n"), "{text}");
    }

    #[test]
    fn colour_only_adds_escapes() {
        let report = sample::report();
        let coloured = render_report(&report, true, true);
        assert!(coloured.contains("\x1b[31"), "fail in red");
        let ansi = regex::Regex::new("\x1b\\[[0-9;]*m").unwrap();
        assert_eq!(
            ansi.replace_all(&coloured, ""),
            render_report(&report, false, true)
        );
    }

    #[test]
    fn failures_are_listed_with_provenance_exchange_and_curl() {
        let text = render_report(&sample::report(), false, true);
        let block = "FAIL v3::user_properties::setUserProperty::limits::value_32769_bytes\n  \
            value_32769_bytes behaves as documented\n  \
            wrong status: PUT as alice: expected 400, got 201\n    \
            documented by: The value must be at most 32768 bytes \
            (specs/jira-conform.openapi.json#/paths/~1rest~1api~13~1user~1properties~1{propertyKey}/put/responses/400)\n  \
            schema violation: at /value: not documented\n    \
            second line of the message\n    \
            documented by: a 405 response must carry Allow (RFC 9110 §15.5.6)\n  \
            step 1: PUT http://127.0.0.1:41231/rest/api/3/user/properties/jcab12cd.k?accountId=557058:alice \
            as alice (sent 32769 bytes, application/json)\n    \
            → 201 application/json;charset=UTF-8\n      {\n        \"key\": \"k\",\n";
        assert!(text.contains(block), "{text}");
        assert!(text.contains(&format!("  reproduce: {CURL}\n")), "{text}");
        // The 32 KiB value is cut, and the exchange shown once for its two failures.
        assert!(text.contains("(32769 characters)"), "{text}");
        assert!(
            !text.contains(&"x".repeat(STRING_CUT_CHECK)),
            "long string not cut"
        );
        assert_eq!(text.matches("step 1: PUT").count(), 1, "{text}");
        // The setup step that went well is not shown.
        assert!(!text.contains("step 0: PUT"), "{text}");
    }

    /// Longer than the cut length of JSON strings, shorter than the value.
    const STRING_CUT_CHECK: usize = 200;

    #[test]
    fn every_failure_kind_and_errors_are_shown() {
        let text = render_report(&sample::report(), false, true);
        for kind in sample::KINDS {
            let label = kind.name().replace('_', " ");
            assert!(
                text.contains(&format!("  {label}: ")),
                "{label} missing:\n{text}"
            );
        }
        assert!(text.contains(
            "documented by: bob cannot see alice's properties \
            (fixtures/mock.toml: profiles.mock.principals.bob)"
        ));
        assert!(text.contains("  step 5: no exchange recorded\n"), "{text}");
        assert!(text.contains("    → 405 application/json;charset=UTF-8, Allow: GET, PUT\n"));
        assert!(
            text.contains("      <html>\n      … 10 more lines\n"),
            "{text}"
        );
        assert!(
            text.contains("… (body cut: only its start was kept)"),
            "{text}"
        );
        assert!(text.contains(
            "\nERROR v3::user_properties::getUserProperty::keys::no_key\n  \
             no_key behaves as documented\n  \
             error: timed out after 10 s\n  \
             step 0: GET http://127.0.0.1:41231/rest/api/3/user/properties/jcab12cd.k?accountId=557058:alice as alice\n    \
             → transport error: operation timed out\n      \
             (no byte received)\n"
        ), "{text}");
    }

    #[test]
    fn known_and_now_conforming_cases_are_listed_with_their_entry() {
        let text = render_report(&sample::report(), false, true);
        assert!(
            text.contains(&format!(
                "KNOWN v3::issue_properties::setIssueProperty::methods::post_refused\n  \
                 post_refused behaves as documented\n  \
                 known deviation: {KNOWN_REASON} ({KNOWN_LINK})\n  \
                 wrong status: POST as alice: expected 405, got 200\n"
            )),
            "{text}"
        );
        assert!(
            text.contains(&format!(
                "CONFORMS v3::issue_properties::getIssueProperty::methods::patch_refused\n  \
                 patch_refused behaves as documented\n  \
                 now conforms: listed as a known deviation ({STALE_REASON}) but the target \
                 behaves as documented; remove the entry from the fixtures\n"
            )),
            "{text}"
        );
        let coloured = render_report(&sample::report(), true, true);
        assert!(coloured.contains("\x1b[36mKNOWN"), "known in cyan");
    }

    #[test]
    fn passes_and_skips_are_listed_only_when_verbose() {
        let quiet = render_report(&sample::report(), false, false);
        assert!(!quiet.contains("PASS "), "{quiet}");
        assert!(!quiet.contains("SKIP "), "{quiet}");
        let verbose = render_report(&sample::report(), false, true);
        assert!(verbose.starts_with(
            "PASS v3::user_properties::setUserProperty::methods::put_allowed (4 ms)\n"
        ));
        assert!(verbose.contains(&format!(
            "SKIP v2::user_properties::setUserProperty::roundtrip::round: {SKIP_READ_ONLY}\n"
        )));
        assert_eq!(verbose.matches("PASS ").count(), 4);
        assert_eq!(verbose.matches("SKIP ").count(), 3);
    }

    #[test]
    fn table_counts_per_resource_and_family() {
        let text = render_report(&sample::report(), false, true);
        let header = text
            .lines()
            .find(|l| l.starts_with("resource / family"))
            .unwrap();
        assert_eq!(
            header.split_whitespace().collect::<Vec<_>>(),
            [
                "resource",
                "/",
                "family",
                "pass",
                "fail",
                "error",
                "skipped",
                "known",
                "now_conforms",
                "not_served",
                "total"
            ]
        );
        assert_eq!(
            row(&text, "v2::user_properties", "v2::user_properties"),
            [1, 0, 0, 1, 0, 0, 0, 2]
        );
        assert_eq!(
            row(&text, "v2::user_properties", "schema"),
            [1, 0, 0, 0, 0, 0, 0, 1]
        );
        assert_eq!(
            row(&text, "v2::user_properties", "roundtrip"),
            [0, 0, 0, 1, 0, 0, 0, 1]
        );
        assert_eq!(
            row(&text, "v3::issue_properties", "v3::issue_properties"),
            [1, 0, 0, 0, 1, 1, 2, 5]
        );
        assert_eq!(
            row(&text, "v3::issue_properties", "methods"),
            [1, 0, 0, 0, 1, 1, 2, 5]
        );
        assert_eq!(
            row(&text, "v3::user_properties", "v3::user_properties"),
            [2, 2, 1, 2, 0, 0, 0, 7]
        );
        assert_eq!(
            row(&text, "v3::user_properties", "methods"),
            [2, 0, 0, 0, 0, 0, 0, 2]
        );
        assert_eq!(
            row(&text, "v3::user_properties", "limits"),
            [0, 1, 0, 0, 0, 0, 0, 1]
        );
        assert_eq!(
            row(&text, "v3::user_properties", "permissions"),
            [0, 0, 0, 2, 0, 0, 0, 2]
        );
        assert_eq!(
            row(&text, "v3::user_properties", "keys"),
            [0, 0, 1, 0, 0, 0, 0, 1]
        );
        assert_eq!(
            row(&text, "v3::user_properties", "observations"),
            [0, 1, 0, 0, 0, 0, 0, 1]
        );
        assert_eq!(
            row(&text, "v3::user_properties", "total"),
            [4, 2, 1, 3, 1, 1, 2, 14]
        );

        // Resources sorted, families in `Family::ALL` order, absent families left out, columns
        // aligned (every line of the table as wide as the header, numbers right-aligned).
        let table: Vec<&str> = text[text.find(header).unwrap()..]
            .lines()
            .take_while(|l| !l.is_empty())
            .collect();
        let labels: Vec<&str> = table[1..]
            .iter()
            .map(|l| l.split(' ').next().unwrap())
            .collect();
        assert_eq!(
            labels,
            [
                "v2::user_properties",
                "",
                "",
                "v3::issue_properties",
                "",
                "v3::user_properties",
                "",
                "",
                "",
                "",
                "",
                "total"
            ]
        );
        let families: Vec<&str> = table[1..]
            .iter()
            .filter_map(|l| l.strip_prefix("  ")?.split(' ').next())
            .collect();
        assert_eq!(
            families,
            [
                "schema",
                "roundtrip",
                "methods",
                "methods",
                "limits",
                "permissions",
                "keys",
                "observations"
            ]
        );
        for line in &table {
            assert_eq!(line.chars().count(), header.len(), "{line:?}");
        }
    }

    #[test]
    fn totals_and_skip_reasons() {
        let text = render_report(&sample::report(), false, false);
        let expected = format!(
            "\n14 cases: 4 passed, 2 failed, 1 error, 3 skipped, 1 known, 1 now conforming, \
             2 not served in 1.32 s against \
             http://127.0.0.1:41231 (profile mock, spec specs/jira-conform.openapi.json)\n\
             2 skipped: {SKIP_PRINCIPAL}\n\
             1 skipped: {SKIP_READ_ONLY}\n"
        );
        assert!(text.contains(&expected), "{text}");
        // Then, last, the ids to rerun, as cargo test ends.
        let failed = text.split(&expected).nth(1).unwrap_or("");
        assert!(failed.starts_with("\nfailed:\n    "), "{failed}");
    }

    #[test]
    fn without_verbose_the_run_reads_as_fidelity_root_causes_and_not_served() {
        let text = render_report(&sample::report(), false, false);
        // No per-case block: the failed cases are counted under their causes.
        assert!(!text.contains("FAIL "), "{text}");
        assert!(!text.contains("KNOWN "), "{text}");
        assert!(!text.contains("resource / family"), "{text}");
        assert!(text.starts_with("fidelity "), "{text}");
        assert!(
            text.contains("\ntotal                      5/8  62%   7/8  87%  1 operation\n"),
            "{text}"
        );
        // The two failed cases: the limits case and the drift case, one cause per signature.
        assert!(text.contains("root causes: "), "{text}");
        assert!(
            text.contains(
                "limit not enforced: expected 400, got a success (1 case)\n    \
                 v3::user_properties::setUserProperty::limits::value_32769_bytes\n    \
                 e.g. v3::user_properties::setUserProperty::limits::value_32769_bytes: \
                 PUT as alice: expected 400, got 201\n"
            ),
            "{text}"
        );
        assert!(text.contains(&format!("    reproduce: {CURL}\n")), "{text}");
        assert!(
            text.contains(
                "not served: 1 operations\n  \
                 NOT SERVED v3::issue_properties::deleteIssueProperty (2 cases)\n"
            ),
            "{text}"
        );
        // What needs doing besides: the error and the stale known deviation, a line each.
        assert!(
            text.contains(
                "ERROR v3::user_properties::getUserProperty::keys::no_key: timed out after 10 s\n"
            ),
            "{text}"
        );
        assert!(
            text.contains(
                "CONFORMS v3::issue_properties::getIssueProperty::methods::patch_refused: "
            ),
            "{text}"
        );
        assert!(text.lines().count() < 60, "{text}");
    }

    #[test]
    fn an_empty_run_prints_only_the_totals() {
        let mut report = sample::report();
        report.verdicts.clear();
        let text = render_report(&report, false, true);
        assert_eq!(
            text,
            "0 cases: 0 passed, 0 failed, 0 errors, 0 skipped in 1.32 s against \
             http://127.0.0.1:41231 (profile mock, spec specs/jira-conform.openapi.json)\n"
        );
    }
}
