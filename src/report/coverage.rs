//! `list --coverage`: the coverage table for people (per family, then per tag and operation,
//! each family without cases grouped by its reason) and as JSON for tools.

use std::collections::BTreeMap;
use std::io::{self, Write};

use owo_colors::Style;

use super::style::{clean_line, Paint};
use crate::coverage::Coverage;

/// Version of the coverage JSON document; bumped on an incompatible change.
pub const COVERAGE_JSON_VERSION: u32 = 1;

fn percent(part: usize, whole: usize) -> String {
    if whole == 0 {
        "0.0%".into()
    } else {
        format!("{:.1}%", part as f64 * 100.0 / whole as f64)
    }
}

/// Writes the coverage for a terminal (`color`) or a file. `all_reasons` also lists the
/// families missing from operations that have cases; without it only operations with no case
/// at all explain themselves, so the listing stays readable on a full spec.
pub fn write_coverage(
    out: &mut dyn Write,
    c: &Coverage,
    color: bool,
    all_reasons: bool,
) -> io::Result<()> {
    let paint = Paint::new(color);
    writeln!(
        out,
        "{} {}: {} operations, {} with at least one case ({}), {} cases",
        paint.bold("Coverage of"),
        clean_line(&c.spec),
        c.operations,
        c.covered,
        percent(c.covered, c.operations),
        c.cases
    )?;
    writeln!(out)?;
    writeln!(
        out,
        "  {:<14}{:>7}  {:>10}",
        "family", "cases", "operations"
    )?;
    for f in &c.families {
        // The checks the documentation implies, per kind, after the family's counts.
        let implied: Vec<String> = f
            .implied
            .iter()
            .map(|(kind, n)| format!("{} {n}", kind.replace('_', "-")))
            .collect();
        let implied = if implied.is_empty() {
            String::new()
        } else {
            format!("  implied: {}", implied.join(" · "))
        };
        writeln!(
            out,
            "  {:<14}{:>7}  {:>10}  {}{implied}",
            f.family.name(),
            f.cases,
            f.operations,
            paint.dim(&percent(f.operations, c.operations))
        )?;
    }
    for tag in &c.tags {
        let covered = tag
            .operations
            .iter()
            .filter(|o| !o.cases.is_empty())
            .count();
        writeln!(out)?;
        writeln!(
            out,
            "{} {}",
            paint.bold(&clean_line(&tag.tag)),
            paint.dim(&format!("({covered}/{} operations)", tag.operations.len()))
        )?;
        for op in &tag.operations {
            let families: Vec<String> = op
                .cases
                .iter()
                .map(|(f, n)| format!("{} {n}", f.name()))
                .collect();
            let summary = if families.is_empty() {
                paint.apply("no cases", Style::new().yellow())
            } else {
                let skipped = if op.skipped > 0 {
                    paint.dim(&format!(" ({} skipped)", op.skipped))
                } else {
                    String::new()
                };
                format!("{}{skipped}", families.join(" · "))
            };
            writeln!(
                out,
                "  {} {} {}  {summary}",
                clean_line(&op.operation_id),
                paint.dim(&op.method),
                clean_line(&op.path)
            )?;
            if !families.is_empty() && !all_reasons {
                continue;
            }
            // One line per reason, naming every family it holds back.
            let mut by_reason: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
            for m in &op.missing {
                for r in &m.reasons {
                    by_reason
                        .entry(r.as_str())
                        .or_default()
                        .push(m.family.name());
                }
            }
            for (reason, families) in by_reason {
                writeln!(
                    out,
                    "      {} {}",
                    paint.dim(&format!("no {}:", families.join(", "))),
                    clean_line(reason)
                )?;
            }
        }
    }
    writeln!(out)?;
    writeln!(
        out,
        "{} of {} operations have cases ({}); `list --coverage --why` explains every missing family",
        c.covered,
        c.operations,
        percent(c.covered, c.operations)
    )
}

/// Writes the coverage as a versioned JSON document.
pub fn write_coverage_json(out: &mut dyn Write, c: &Coverage) -> io::Result<()> {
    let doc = serde_json::json!({
        "format_version": COVERAGE_JSON_VERSION,
        "coverage": c,
    });
    serde_json::to_writer_pretty(&mut *out, &doc)?;
    writeln!(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::coverage::tests::embedded;

    #[test]
    fn the_text_names_each_tag_operation_and_reason() {
        let c = embedded();
        let mut out = Vec::new();
        write_coverage(&mut out, &c, false, true).unwrap();
        let text = String::from_utf8(out).unwrap();
        assert!(text.contains("48 operations, 47 with at least one case (97.9%)"));
        assert!(text.contains("removeAttachment DELETE /rest/api/3/attachment/{id}  no cases"));
        assert!(text.contains("a write outside the fixtures' world"));
        assert!(text.contains("User properties"));
        assert!(text.contains("setUserProperty PUT /rest/api/3/user/properties/{propertyKey}"));
        assert!(text.contains("no roundtrip"), "{text}");
        assert!(!text.contains('\u{1b}'));
    }

    #[test]
    fn the_json_is_versioned_and_complete() {
        let c = embedded();
        let mut out = Vec::new();
        write_coverage_json(&mut out, &c).unwrap();
        let v: serde_json::Value = serde_json::from_slice(&out).unwrap();
        assert_eq!(v["format_version"], COVERAGE_JSON_VERSION);
        assert_eq!(v["coverage"]["operations"], 48);
        assert!(v["coverage"]["tags"][0]["operations"][0]["missing"].is_array());
    }
}
