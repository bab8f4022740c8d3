//! The terminal rendering of a differential run (`jira-conform diff`).

use crate::verdict::DiffReport;

/// Writes a differential run for a person: each disagreeing case with its diff (coloured when
/// `color`), then the disagreements counted per resource and family, then one summary line.
pub fn write_diff(
    report: &DiffReport,
    out: &mut dyn std::io::Write,
    color: bool,
) -> std::io::Result<()> {
    use owo_colors::OwoColorize;
    for d in &report.disagreements {
        let title = format!("DIFFERS {} (at the {} level)", d.case_id, d.level);
        if color {
            writeln!(out, "{}", title.red().bold())?;
        } else {
            writeln!(out, "{title}")?;
        }
        // A target answering megabytes makes a diff of megabytes: an excerpt shows where.
        for line in super::excerpt::excerpt(&d.diff, super::excerpt::TEXT_BODY_BYTES).lines() {
            // Text from the targets may hold escape sequences: they never reach the terminal.
            let line = super::style::clean(line);
            match line.chars().next() {
                Some('-') if color && !line.starts_with("---") => {
                    writeln!(out, "  {}", line.red())?
                }
                Some('+') if color && !line.starts_with("+++") => {
                    writeln!(out, "  {}", line.green())?
                }
                _ => writeln!(out, "  {line}")?,
            }
        }
        writeln!(out)?;
    }
    let mut groups: std::collections::BTreeMap<(String, String), usize> = Default::default();
    for d in &report.disagreements {
        *groups
            .entry((d.resource.clone(), d.family.to_string()))
            .or_default() += 1;
    }
    if !groups.is_empty() {
        writeln!(out, "disagreements by resource and family:")?;
        for ((resource, family), n) in &groups {
            writeln!(out, "  {resource:<40} {family:<14} {n}")?;
        }
    }
    for (side, ids) in [("A", &report.only_a), ("B", &report.only_b)] {
        if !ids.is_empty() {
            writeln!(
                out,
                "{} cases only for target {side} (its fixtures name what the other's do not)",
                ids.len()
            )?;
        }
    }
    writeln!(
        out,
        "{} cases compared at the {} level: {} agree, {} differ (A {}, B {})",
        report.agreeing + report.disagreements.len(),
        report.level,
        report.agreeing,
        report.disagreements.len(),
        report.target_a,
        report.target_b
    )
}
