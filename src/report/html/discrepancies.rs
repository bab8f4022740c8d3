//! The discrepancies section: the filters, then per operation a block per discrepancy kind
//! and an article per case, with the failure, the documentation's words, what the target
//! answered and the reproduction.

use std::fmt::Write as _;

use super::escape::{attr, text};
use super::exchange::{observed, reproduce};
use crate::case::Provenance;
use crate::report::discrepancy::Discrepancy;
use crate::report::drift::{side_by_side, Change, Row as DriftRow};
use crate::report::failure::kind_label;
use crate::report::findings::{detail_lines, drift_diff, Finding, Findings, Operation};
use crate::verdict::{Failure, FailureKind};

/// The filters and the findings, by operation then discrepancy.
pub(super) fn discrepancies(findings: &Findings<'_>, h: &mut String) {
    let total = findings.total();
    let _ = writeln!(
        h,
        "<section id=\"discrepancies\">\n<h2>Discrepancies <span class=\"count\" \
         id=\"shown\">{total} of {total} shown</span></h2>"
    );
    if findings.operations.is_empty() {
        h.push_str(
            "<p class=\"clean\">No discrepancy: every case that ran behaved as documented.</p>\n\
             </section>\n",
        );
        return;
    }
    filters(findings, h);
    for op in &findings.operations {
        operation(op, h);
    }
    h.push_str(
        "<p id=\"none\" class=\"clean\" hidden>No discrepancy matches the filters.</p>\n\
         </section>\n",
    );
}

/// Checkboxes per discrepancy kind present, and a resource select.
fn filters(findings: &Findings<'_>, h: &mut String) {
    h.push_str(
        "<form id=\"filters\" class=\"filters\">\n<fieldset>\n<legend>Discrepancy kind \
         <button type=\"button\" data-check=\"all\">all</button>\
         <button type=\"button\" data-check=\"none\">none</button></legend>\n",
    );
    for (discrepancy, n) in findings.counts() {
        let _ = writeln!(
            h,
            "<label class=\"k-{slug}\"><input type=\"checkbox\" name=\"kind\" value=\"{slug}\" \
             checked> {} <span class=\"n\">{n}</span></label>",
            discrepancy.label(),
            slug = discrepancy.slug()
        );
    }
    h.push_str(
        "</fieldset>\n<label class=\"resource\">Resource <select id=\"resource\" \
         name=\"resource\">\n<option value=\"\">all resources</option>\n",
    );
    let mut resources: Vec<&str> = findings.operations.iter().map(|o| o.resource).collect();
    resources.sort_unstable();
    resources.dedup();
    for resource in resources {
        let value = attr(resource);
        let _ = writeln!(h, "<option value=\"{value}\">{}</option>", text(resource));
    }
    h.push_str("</select></label>\n</form>\n");
}

/// One operation: a block per discrepancy kind, an article per case.
fn operation(op: &Operation<'_>, h: &mut String) {
    let _ = writeln!(
        h,
        "<section class=\"op\" data-resource=\"{}\">\n<h3><code>{}</code> \
         <span class=\"api\">{}</span> <span class=\"res\">{}</span></h3>",
        attr(op.resource),
        text(op.operation_id),
        op.api,
        text(op.resource)
    );
    for (discrepancy, entries) in &op.kinds {
        let _ = writeln!(
            h,
            "<div class=\"kind\" data-kind=\"{}\">\n<h4>{} <span class=\"expl\">{}</span></h4>",
            discrepancy.slug(),
            tag(*discrepancy),
            discrepancy.explanation()
        );
        for finding in entries {
            entry(finding, op.resource, h);
        }
        h.push_str("</div>\n");
    }
    h.push_str("</section>\n");
}

/// The coloured label of a discrepancy kind.
pub(super) fn tag(discrepancy: Discrepancy) -> String {
    format!(
        "<span class=\"tag k-{}\">{}</span>",
        discrepancy.slug(),
        discrepancy.label()
    )
}

/// One case's failures of one discrepancy.
fn entry(finding: &Finding<'_>, resource: &str, h: &mut String) {
    let v = finding.verdict;
    let _ = writeln!(
        h,
        "<article class=\"finding\" data-kind=\"{}\" data-resource=\"{}\">\n\
         <h5><code>{}</code></h5>\n<p class=\"summary\">{}</p>",
        finding.discrepancy.slug(),
        attr(resource),
        text(&v.case_id),
        text(&v.summary)
    );
    if finding.failures.is_empty() {
        h.push_str("<p>The case failed without a recorded failure.</p>\n");
    }
    for (failure, quote) in finding.failures_quoting() {
        failure_block(finding, failure, h);
        if let Some(provenance) = quote {
            documented_by(provenance, h);
        }
    }
    for step in finding.exchanges() {
        observed(step, h);
    }
    reproduce(v, h);
    h.push_str("</article>\n");
}

/// The kind and message of a failure; drift side by side; a schema violation's value.
fn failure_block(finding: &Finding<'_>, failure: &Failure, h: &mut String) {
    let (first, rest) = detail_lines(failure);
    let _ = writeln!(
        h,
        "<p class=\"failure\"><strong>{}:</strong> {}</p>",
        text(&kind_label(failure)),
        text(&first)
    );
    if failure.kind == FailureKind::SnapshotDrift {
        if let Some(diff) = drift_diff(failure) {
            drift_table(diff, h);
            return;
        }
    }
    if !rest.is_empty() {
        let _ = writeln!(h, "<pre class=\"message\">{}</pre>", text(&rest.join("\n")));
    }
    if failure.kind == FailureKind::SchemaViolation {
        if let Some((pointer, value)) = finding.schema_location(failure) {
            let value = match value {
                Some(value) => format!("<code class=\"value\">{}</code>", text(&value)),
                None => "nothing".to_owned(),
            };
            let _ = writeln!(
                h,
                "<p class=\"location\">At <code>{}</code> the body holds {value}.</p>",
                text(&pointer)
            );
        }
    }
}

/// The reference snapshot and this run's exchange in two columns.
fn drift_table(diff: &str, h: &mut String) {
    h.push_str(
        "<table class=\"drift\">\n<thead><tr><th scope=\"col\">reference snapshot</th>\
         <th scope=\"col\">this run</th></tr></thead>\n<tbody>\n",
    );
    for row in side_by_side(diff) {
        match row {
            DriftRow::Hunk(header) => {
                let _ = writeln!(
                    h,
                    "<tr class=\"hunk\"><td colspan=\"2\">{}</td></tr>",
                    text(header)
                );
            }
            DriftRow::Pair { left, right } => {
                h.push_str("<tr>");
                for side in [left, right] {
                    match side {
                        Some((change, line)) => {
                            let class = match change {
                                Change::Same => "same",
                                Change::Removed => "removed",
                                Change::Added => "added",
                            };
                            let _ = write!(h, "<td class=\"{class}\">{}</td>", text(line));
                        }
                        None => h.push_str("<td class=\"pad\"></td>"),
                    }
                }
                h.push_str("</tr>\n");
            }
        }
    }
    h.push_str("</tbody>\n</table>\n");
}

/// The documentation's words, quoted, and where they are written.
fn documented_by(provenance: &Provenance, h: &mut String) {
    let (source, words) = match provenance {
        Provenance::Spec {
            file,
            pointer,
            text: words,
        } => (
            format!("<code>{}#{}</code>", text(file), text(pointer)),
            words,
        ),
        Provenance::Fixtures {
            file,
            key,
            text: words,
        } => (
            format!(
                "the fixtures, <code>{}</code> key <code>{}</code>",
                text(file),
                text(key)
            ),
            words,
        ),
        Provenance::Standard {
            reference,
            text: words,
        } => (text(reference), words),
    };
    let _ = writeln!(
        h,
        "<blockquote class=\"doc\"><p>{}</p><footer>documented by {source}</footer></blockquote>",
        text(words).replace('\n', "<br>")
    );
}
