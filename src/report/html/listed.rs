//! The sections that list cases one by one besides the discrepancies: known deviations, stale
//! known deviations (now conforming), cases that could not be tested, and the skip reasons.

use std::fmt::Write as _;

use super::discrepancies::tag;
use super::escape::{link_html, text};
use super::exchange::{observed, reproduce};
use crate::report::failure::kind_label;
use crate::report::findings::{detail_lines, unanswered, verdict_discrepancies, Findings, Step};
use crate::verdict::Verdict;

/// Cases that fail as the fixtures declare.
pub(super) fn known(findings: &Findings<'_>, h: &mut String) {
    if findings.known.is_empty() {
        return;
    }
    let _ = writeln!(
        h,
        "<section id=\"known\">\n<h2>Known deviations ({})</h2>\n<p class=\"lead\">These cases \
         depart from the documentation as the fixtures' known deviations declare; they do not \
         fail the run.</p>",
        findings.known.len()
    );
    for v in &findings.known {
        let _ = writeln!(
            h,
            "<article class=\"listed o-known-border\">\n<h5><code>{}</code></h5>\n\
             <p class=\"summary\">{}</p>\n<dl class=\"entry\">",
            text(&v.case_id),
            text(&v.summary)
        );
        let tags: Vec<String> = verdict_discrepancies(v).into_iter().map(tag).collect();
        if !tags.is_empty() {
            let _ = writeln!(h, "<dt>discrepancy</dt><dd>{}</dd>", tags.join(" "));
        }
        known_entry(v, h);
        for failure in &v.failures {
            let (first, _) = detail_lines(failure);
            let _ = writeln!(
                h,
                "<dt>observed</dt><dd>{}: {}</dd>",
                text(&kind_label(failure)),
                text(&first)
            );
        }
        h.push_str("</dl>\n");
        reproduce(v, h);
        h.push_str("</article>\n");
    }
    h.push_str("</section>\n");
}

/// The reason, link and pattern of the known-deviation entry, as `<dt>`/`<dd>` pairs.
fn known_entry(v: &Verdict, h: &mut String) {
    match &v.known {
        Some(k) => {
            let _ = writeln!(h, "<dt>reason</dt><dd>{}</dd>", text(&k.reason));
            if let Some(link) = &k.link {
                let _ = writeln!(h, "<dt>link</dt><dd>{}</dd>", link_html(link));
            }
            let _ = writeln!(
                h,
                "<dt>fixtures entry</dt><dd><code>{}</code></dd>",
                text(&k.cases)
            );
        }
        None => h.push_str("<dt>reason</dt><dd>(no entry recorded)</dd>\n"),
    }
}

/// Known deviations that no longer depart.
pub(super) fn now_conforming(findings: &Findings<'_>, h: &mut String) {
    if findings.now_conforms.is_empty() {
        return;
    }
    let _ = writeln!(
        h,
        "<section id=\"now-conforming\">\n<h2>Now conforming ({})</h2>\n<p class=\"lead\">These \
         cases are listed as known deviations but behave as documented: remove their entries \
         from the fixtures (the run fails until then).</p>",
        findings.now_conforms.len()
    );
    for v in &findings.now_conforms {
        let _ = writeln!(
            h,
            "<article class=\"listed o-now_conforms-border\">\n<h5><code>{}</code></h5>\n\
             <p class=\"summary\">{}</p>\n<dl class=\"entry\">",
            text(&v.case_id),
            text(&v.summary)
        );
        known_entry(v, h);
        h.push_str("</dl>\n</article>\n");
    }
    h.push_str("</section>\n");
}

/// Cases that could not be run to the end.
pub(super) fn errors(findings: &Findings<'_>, h: &mut String) {
    if findings.errors.is_empty() {
        return;
    }
    let _ = writeln!(
        h,
        "<section id=\"errors\">\n<h2>Could not test ({})</h2>\n<p class=\"lead\">These cases \
         could not be run to the end (transport error, timeout): they say nothing about \
         conformance.</p>",
        findings.errors.len()
    );
    for v in &findings.errors {
        let _ = writeln!(
            h,
            "<article class=\"listed o-error-border\">\n<h5><code>{}</code></h5>\n\
             <p class=\"summary\">{}</p>\n<pre class=\"message\">{}</pre>",
            text(&v.case_id),
            text(&v.summary),
            text(v.reason.as_deref().unwrap_or("(no reason recorded)"))
        );
        for exchange in unanswered(v) {
            observed(Step::recorded(exchange), h);
        }
        reproduce(v, h);
        h.push_str("</article>\n");
    }
    h.push_str("</section>\n");
}

/// Why cases were skipped.
pub(super) fn skipped(findings: &Findings<'_>, h: &mut String) {
    if findings.skip_reasons.is_empty() {
        return;
    }
    let total = findings.skipped();
    let _ = writeln!(
        h,
        "<section id=\"skipped\">\n<h2>Skipped ({total})</h2>\n<ul class=\"skips\">"
    );
    for (reason, n) in &findings.skip_reasons {
        let _ = writeln!(
            h,
            "<li><span class=\"badge o-skipped\">{n}</span> {}</li>",
            text(reason)
        );
    }
    h.push_str("</ul>\n</section>\n");
}
