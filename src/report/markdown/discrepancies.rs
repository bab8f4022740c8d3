//! A section per operation, a subsection per discrepancy kind, an entry per case: the failure,
//! the documentation's words, what the target answered and the reproduction.

use std::fmt::Write as _;

use super::escape::{code, fence, inline};
use super::exchange::{observed, reproduce};
use crate::case::Provenance;
use crate::report::failure::kind_label;
use crate::report::findings::{detail_lines, drift_diff, Finding, Operation};
use crate::report::style::clean;
use crate::verdict::{Failure, FailureKind};

/// One operation: a subsection per discrepancy kind, an entry per case.
pub(super) fn operation(op: &Operation<'_>, md: &mut String) {
    let _ = writeln!(
        md,
        "## {} ({}, {})\n",
        code(op.operation_id),
        op.api,
        code(op.resource)
    );
    for (discrepancy, entries) in &op.kinds {
        let _ = writeln!(
            md,
            "### {} — {} ({})\n",
            discrepancy.label(),
            code(op.operation_id),
            op.api
        );
        let _ = writeln!(md, "*{}*\n", discrepancy.explanation());
        for finding in entries {
            entry(finding, md);
        }
    }
}

/// One case's failures of one discrepancy, with what backs them and how to see it again.
fn entry(finding: &Finding<'_>, md: &mut String) {
    let v = finding.verdict;
    let _ = writeln!(md, "#### {}\n", code(&v.case_id));
    let _ = writeln!(md, "Case: {}\n", inline(&v.summary));
    if finding.failures.is_empty() {
        md.push_str("The case failed without a recorded failure.\n\n");
    }
    for (failure, quote) in finding.failures_quoting() {
        failure_block(finding, failure, md);
        if let Some(provenance) = quote {
            documented_by(provenance, md);
        }
    }
    for step in finding.exchanges() {
        observed(step, md);
    }
    reproduce(v, md);
    md.push_str("---\n\n");
}

/// `**wrong status:** message`, extra lines fenced; drift as a diff; schema values named.
fn failure_block(finding: &Finding<'_>, failure: &Failure, md: &mut String) {
    let (first, rest) = detail_lines(failure);
    let _ = writeln!(md, "**{}:** {}\n", kind_label(failure), inline(&first));
    if failure.kind == FailureKind::SnapshotDrift {
        if let Some(diff) = drift_diff(failure) {
            md.push_str(&fence("diff", &clean(diff)));
            return;
        }
    }
    if !rest.is_empty() {
        md.push_str(&fence("text", &clean(&rest.join("\n"))));
    }
    if failure.kind == FailureKind::SchemaViolation {
        if let Some((pointer, value)) = finding.schema_location(failure) {
            match value {
                Some(value) => {
                    let _ = writeln!(
                        md,
                        "At {} the body holds {}.\n",
                        code(&pointer),
                        code(&value)
                    );
                }
                None => {
                    let _ = writeln!(md, "At {} the body holds nothing.\n", code(&pointer));
                }
            }
        }
    }
}

/// The documentation's words, quoted, and where they are written.
fn documented_by(provenance: &Provenance, md: &mut String) {
    let (source, text) = match provenance {
        Provenance::Spec {
            file,
            pointer,
            text,
        } => (code(&format!("{file}#{pointer}")), text),
        Provenance::Fixtures { file, key, text } => (
            format!("the fixtures, {} key {}", code(file), code(key)),
            text,
        ),
        Provenance::Standard { reference, text } => (inline(reference), text),
    };
    let _ = writeln!(md, "Documented by {source}:\n");
    for line in clean(text).lines() {
        let _ = writeln!(md, "> {}", inline(line));
    }
    md.push('\n');
}
