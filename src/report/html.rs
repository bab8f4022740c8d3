//! The HTML report: the Markdown report's content as one self-contained page (inline CSS and a
//! little inline JavaScript, no external asset, font or request), with outcome colours, filters
//! by discrepancy kind and by resource, the totals table per resource and family, and snapshot
//! drift shown side by side.
//!
//! Everything that comes from the target, the fixtures or the spec is HTML-escaped, and the
//! page's Content-Security-Policy forbids loading anything, so a hostile body can neither run
//! script nor make the reader's browser fetch a URL.

use super::fidelity::{fidelity_cells, not_served};
use super::root_causes::root_causes;
use std::fmt::Write as _;
use std::io::Write;

use super::discrepancy::Discrepancy;
use super::drift::{side_by_side, Change, Row as DriftRow};
use super::error::ReportError;
use super::excerpt::{bounded, Limits};
use super::failure::{body_excerpt, kind_label};
use super::findings::{
    detail_lines, drift_diff, findings, large_body, request_line, run_fields, totals_sentence,
    unanswered, verdict_discrepancies, Finding, Findings, Operation, Step,
};
use super::output::write_document;
use super::style::{clean, cut};
use super::terminal::table_rows;
use crate::case::Provenance;
use crate::exchange::Exchange;
use crate::verdict::{Failure, FailureKind, Outcome, RunReport, Verdict};

/// Writes the HTML report of `report` to `out`: one page, readable offline, with the same
/// content as the Markdown report plus the totals table per resource and family.
pub fn write_html(report: &RunReport, out: &mut dyn Write) -> Result<(), ReportError> {
    write_document(&render(&bounded(report, Limits::TEXT)), "HTML", out)
}

/// The whole page.
fn render(report: &RunReport) -> String {
    let findings = findings(report);
    let mut h = String::with_capacity(64 * 1024);
    let _ = write!(
        h,
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; \
         style-src 'unsafe-inline'; script-src 'unsafe-inline'\">\n\
         <meta name=\"generator\" content=\"jira-conform {}\">\n\
         <title>jira-conform report: {}</title>\n<style>{CSS}</style>\n</head>\n<body>\n",
        env!("CARGO_PKG_VERSION"),
        text(&report.target)
    );
    header(report, &mut h);
    h.push_str("<main>\n");
    fidelity_section(report, &mut h);
    root_cause_section(report, &mut h);
    not_served_section(report, &mut h);
    // The findings first, as they are what the page is read for; the table closes it, as in
    // the terminal report.
    discrepancies(&findings, &mut h);
    known(&findings, &mut h);
    now_conforming(&findings, &mut h);
    errors(&findings, &mut h);
    totals_table(report, &mut h);
    skipped(&findings, &mut h);
    h.push_str("</main>\n");
    let _ = write!(
        h,
        "<footer>Written by jira-conform {}. Tokens never appear here: reproductions read them \
         from <code>$JIRA_TOKEN_&lt;NAME&gt;</code>.</footer>\n<script>{SCRIPT}</script>\n\
         </body>\n</html>\n",
        env!("CARGO_PKG_VERSION")
    );
    h
}

/// Title, what was tested, and the totals as coloured badges.
fn header(report: &RunReport, h: &mut String) {
    h.push_str("<header>\n<h1>jira-conform report</h1>\n<dl class=\"run\">\n");
    for (label, value) in run_fields(report) {
        let _ = writeln!(h, "<dt>{label}</dt><dd><code>{}</code></dd>", text(value));
    }
    let _ = writeln!(
        h,
        "<dt>duration</dt><dd>{:.2} s</dd>\n</dl>",
        report.elapsed_ms as f64 / 1000.0
    );
    let _ = write!(
        h,
        "<p class=\"totals\"><span class=\"sentence\">{}</span>",
        text(&totals_sentence(report))
    );
    for outcome in Outcome::ALL {
        let n = report.count(outcome);
        if n > 0 {
            let _ = write!(
                h,
                " <span class=\"badge o-{}\">{n} {}</span>",
                outcome.name(),
                outcome_words(outcome)
            );
        }
    }
    h.push_str("</p>\n</header>\n");
}

/// How faithful the target is, per resource: the page opens with it.
fn fidelity_section(report: &RunReport, h: &mut String) {
    if report.verdicts.is_empty() {
        return;
    }
    let (header, rows) = fidelity_cells(report);
    h.push_str(
        "<section id=\"fidelity\">\n<h2>Fidelity</h2>\n<table class=\"totals\">\n<thead><tr>",
    );
    for column in header {
        let _ = write!(h, "<th scope=\"col\">{}</th>", text(column));
    }
    h.push_str("</tr></thead>\n<tbody>\n");
    for cells in rows {
        let _ = write!(h, "<tr><th scope=\"row\">{}</th>", text(&cells[0]));
        for cell in &cells[1..] {
            let _ = write!(h, "<td>{}</td>", text(cell));
        }
        h.push_str("</tr>\n");
    }
    h.push_str("</tbody>\n</table>\n</section>\n");
}

/// Characters of a root cause's example failure shown (a violation may quote a whole body).
const EXAMPLE_CHARS: usize = 200;

/// The root causes, most cases first, each with one reproducible example.
fn root_cause_section(report: &RunReport, h: &mut String) {
    let causes = root_causes(report);
    if causes.is_empty() {
        return;
    }
    let _ = writeln!(
        h,
        "<section id=\"root-causes\">\n<h2>Root causes ({})</h2>\n<ol>",
        causes.len()
    );
    for cause in &causes {
        let example = &cause.example;
        let first = example.failure.lines().next().unwrap_or("");
        let _ = write!(
            h,
            "<li><strong>{}</strong> — {} {}<br>e.g. <code>{}</code>: {}",
            text(&cause.title),
            cause.count,
            if cause.count == 1 { "case" } else { "cases" },
            text(&example.case_id),
            text(&cut(first, EXAMPLE_CHARS))
        );
        if let Some(curl) = &example.reproduce {
            let _ = write!(h, "<pre class=\"curl\">{}</pre>", text(curl));
        }
        h.push_str("</li>\n");
    }
    h.push_str("</ol>\n</section>\n");
}

/// The operations the target does not serve, once each.
fn not_served_section(report: &RunReport, h: &mut String) {
    let ops = not_served(report);
    if ops.is_empty() {
        return;
    }
    let _ = writeln!(
        h,
        "<section id=\"not-served\">\n<h2>Not served ({} operations)</h2>\n<ul>",
        ops.len()
    );
    for op in &ops {
        let _ = writeln!(
            h,
            "<li><code>{}::{}::{}</code> — {} cases: {}</li>",
            op.api,
            text(&op.resource),
            text(&op.operation_id),
            op.cases,
            text(&op.reason)
        );
    }
    h.push_str("</ul>\n</section>\n");
}

/// How an outcome is said next to a count.
fn outcome_words(outcome: Outcome) -> &'static str {
    match outcome {
        Outcome::Pass => "passed",
        Outcome::Fail => "failed",
        Outcome::Error => "errored",
        Outcome::Skipped => "skipped",
        Outcome::Known => "known",
        Outcome::NowConforms => "now conforming",
        Outcome::NotServed => "not served",
    }
}

/// The outcome counts per resource and family, as in the terminal report.
fn totals_table(report: &RunReport, h: &mut String) {
    if report.verdicts.is_empty() {
        return;
    }
    // The known-deviation columns appear only in runs that have some, as in the terminal.
    let shown: Vec<Outcome> = Outcome::ALL
        .into_iter()
        .filter(|o| {
            !matches!(
                o,
                Outcome::Known | Outcome::NowConforms | Outcome::NotServed
            ) || report.count(*o) > 0
        })
        .collect();
    h.push_str(
        "<section id=\"totals\">\n<h2>Results per resource and family</h2>\n\
         <table class=\"totals\">\n<thead><tr><th scope=\"col\">resource / family</th>",
    );
    for outcome in &shown {
        let _ = write!(
            h,
            "<th scope=\"col\">{}</th>",
            outcome.name().replace('_', " ")
        );
    }
    h.push_str("<th scope=\"col\">total</th></tr></thead>\n<tbody>\n");
    for row in table_rows(report) {
        let class = if row.strong { " class=\"strong\"" } else { "" };
        let label = row.label.trim_start();
        let indent = if label.len() < row.label.len() {
            " class=\"family\""
        } else {
            ""
        };
        let _ = write!(
            h,
            "<tr{class}><th scope=\"row\"{indent}>{}</th>",
            text(label)
        );
        for outcome in &shown {
            let n = row.counts.get(*outcome);
            // Only non-zero cells are coloured, so the eye finds the failures.
            if n > 0 {
                let _ = write!(h, "<td class=\"o-{}\">{n}</td>", outcome.name());
            } else {
                h.push_str("<td class=\"zero\">0</td>");
            }
        }
        let _ = writeln!(h, "<td>{}</td></tr>", row.counts.total());
    }
    h.push_str("</tbody>\n</table>\n</section>\n");
}

/// The filters and the findings, by operation then discrepancy.
fn discrepancies(findings: &Findings<'_>, h: &mut String) {
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
fn tag(discrepancy: Discrepancy) -> String {
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

/// What the target answered at a step.
fn observed(step: Step<'_>, h: &mut String) {
    h.push_str("<div class=\"observed\">\n");
    match step.exchange {
        None => {
            let _ = writeln!(
                h,
                "<p class=\"request\">No exchange was recorded for step {}.</p>",
                step.step
            );
        }
        Some(exchange) => {
            let _ = writeln!(
                h,
                "<p class=\"request\">step {}: <code>{}</code></p>",
                step.step,
                text(&request_line(exchange))
            );
            if let Some((start, bytes)) = large_body(exchange) {
                let _ = writeln!(
                    h,
                    "<p class=\"request\">The {bytes} bytes sent (the curl command reads them \
                     from <code>body.json</code>) start with <code>{}</code>.</p>",
                    text(&start)
                );
            }
            response(exchange, h);
        }
    }
    h.push_str("</div>\n");
}

/// The response of an exchange (status, content type, Allow, body excerpt) or its error.
fn response(exchange: &Exchange, h: &mut String) {
    match &exchange.response {
        Ok(received) => {
            let class = match received.status {
                200..=299 => "s2",
                300..=399 => "s3",
                400..=499 => "s4",
                _ => "s5",
            };
            let content_type = received.content_type.as_deref().map_or_else(
                || "no content type".to_owned(),
                |c| format!("<code>{}</code>", text(c)),
            );
            let _ = write!(
                h,
                "<p class=\"response\"><span class=\"status {class}\">{}</span> {content_type}",
                received.status
            );
            if let Some(allow) = &received.allow {
                let _ = write!(h, ", Allow: <code>{}</code>", text(allow));
            }
            h.push_str("</p>\n");
            if received.body.trim().is_empty() {
                h.push_str("<p class=\"empty\">Empty body.</p>\n");
            } else {
                let _ = writeln!(
                    h,
                    "<pre class=\"body\">{}</pre>",
                    text(&body_excerpt(received).join("\n"))
                );
            }
        }
        Err(error) => {
            let _ = writeln!(
                h,
                "<p class=\"response\"><span class=\"status s5\">no response</span> transport \
                 error</p>\n<pre class=\"body\">{}</pre>",
                text(error)
            );
        }
    }
}

/// The curl reproduction, if the case has one.
fn reproduce(v: &Verdict, h: &mut String) {
    if let Some(curl) = &v.reproduce {
        let _ = writeln!(
            h,
            "<details class=\"repro\" open><summary>Reproduce (tokens are read from the \
             environment)</summary><pre>{}</pre></details>",
            text(curl)
        );
    }
}

/// Cases that fail as the fixtures declare.
fn known(findings: &Findings<'_>, h: &mut String) {
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
fn now_conforming(findings: &Findings<'_>, h: &mut String) {
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
fn errors(findings: &Findings<'_>, h: &mut String) {
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
fn skipped(findings: &Findings<'_>, h: &mut String) {
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

/// A link from the fixtures: a live link only for a plain http(s) URL, so a `javascript:` value
/// stays inert text.
fn link_html(link: &str) -> String {
    let plain = (link.starts_with("https://") || link.starts_with("http://"))
        && !link.chars().any(|c| c.is_whitespace() || c.is_control());
    if plain {
        format!(
            "<a href=\"{}\" rel=\"noopener noreferrer\">{}</a>",
            attr(link),
            text(link)
        )
    } else {
        text(link)
    }
}

/// Text for an element's content: control characters defused, then HTML-escaped.
fn text(s: &str) -> String {
    escape(&clean(s))
}

/// Text for a quoted attribute value; [`text`] escapes quotes too, so it serves both.
fn attr(s: &str) -> String {
    text(s)
}

/// `&`, `<`, `>`, `"` and `'` as entities: safe in element content and in quoted attributes.
fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// The page's style: system fonts only (no download), outcome colours, a readable measure.
const CSS: &str = r#"
:root{--fg:#1f2328;--muted:#59636e;--line:#d1d9e0;--bg:#fff;--soft:#f6f8fa;
--pass:#1a7f37;--fail:#cf222e;--error:#8250df;--skipped:#9a6700;--known:#0969da;--now:#bc4c00}
*{box-sizing:border-box}[hidden]{display:none!important}
body{margin:0;color:var(--fg);background:var(--bg);
font:15px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif}
header,main,body>footer{max-width:1200px;margin:0 auto;padding:0 24px}
header{padding-top:24px;border-bottom:1px solid var(--line)}
h1{font-size:26px;margin:0 0 12px}h2{font-size:20px;margin:32px 0 12px;padding-bottom:6px;border-bottom:1px solid var(--line)}
h3{font-size:17px;margin:28px 0 8px}h4{font-size:15px;margin:18px 0 8px;font-weight:600}h5{font-size:14px;margin:0 0 4px}
code,pre,.drift td{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,"DejaVu Sans Mono","Liberation Mono",monospace;font-size:13px}
code{background:var(--soft);border-radius:4px;padding:1px 4px;overflow-wrap:anywhere}
pre{background:var(--soft);border:1px solid var(--line);border-radius:6px;padding:8px 10px;margin:6px 0;
overflow:auto;max-height:360px;white-space:pre-wrap;overflow-wrap:anywhere}
pre code{background:none;padding:0}
dl.run{display:grid;grid-template-columns:max-content 1fr;gap:2px 16px;margin:0 0 12px}
dl.run dt{color:var(--muted)}dl.run dd{margin:0}
.totals .sentence{display:block;font-weight:600;margin-bottom:6px}
.badge{display:inline-block;border-radius:999px;padding:1px 10px;font-size:13px;font-weight:600;color:#fff;margin:0 4px 4px 0}
.o-pass.badge{background:var(--pass)}.o-fail.badge{background:var(--fail)}.o-error.badge{background:var(--error)}
.o-skipped.badge{background:var(--skipped)}.o-known.badge{background:var(--known)}.o-now_conforms.badge{background:var(--now)}
table.totals{border-collapse:collapse;font-variant-numeric:tabular-nums;min-width:520px}
table.totals th,table.totals td{padding:3px 12px;border-bottom:1px solid var(--line);text-align:right}
table.totals th[scope=row]{text-align:left;font-weight:400}table.totals th.family{padding-left:28px;color:var(--muted)}
table.totals tr.strong th,table.totals tr.strong td{font-weight:700}table.totals thead th{font-weight:600;color:var(--muted)}
td.zero{color:#afb8c1}td.o-pass{color:var(--pass)}td.o-fail{color:var(--fail);font-weight:700}td.o-error{color:var(--error);font-weight:700}
td.o-skipped{color:var(--skipped)}td.o-known{color:var(--known)}td.o-now_conforms{color:var(--now);font-weight:700}
.count{font-size:14px;font-weight:400;color:var(--muted);margin-left:8px}
form.filters{background:var(--soft);border:1px solid var(--line);border-radius:8px;padding:10px 14px;margin:0 0 12px;
position:sticky;top:0;z-index:1}
form.filters fieldset{border:0;margin:0;padding:0}form.filters legend{font-weight:600;padding:0;margin-bottom:4px}
form.filters label{display:inline-block;margin:2px 14px 2px 0;white-space:nowrap}
form.filters .n{color:var(--muted);font-size:13px}form.filters label.resource{margin-top:8px}
button{font:inherit;font-size:12px;margin-left:6px;padding:0 8px;border:1px solid var(--line);border-radius:4px;background:#fff;cursor:pointer}
select{font:inherit}
section.op{margin-top:20px;padding-top:4px;border-top:1px solid var(--line)}section.op h3 code{font-size:16px;background:none;padding:0}
section.op h3 .api,section.op h3 .res{font-size:13px;font-weight:400;color:var(--muted);margin-left:6px}
.tag{display:inline-block;border-radius:4px;padding:0 8px;font-size:13px;font-weight:600;color:#fff;background:var(--fail)}
.tag.k-snapshot_drift{background:#6e7781}.tag.k-setup_failed{background:var(--error)}
.tag.k-wrong_content_type,.tag.k-allow_header,.tag.k-schema_violation,.tag.k-undocumented_status,.tag.k-wrong_status{background:#bc4c00}
.expl{font-weight:400;color:var(--muted);font-size:13px;margin-left:6px}
article{border:1px solid var(--line);border-left:4px solid var(--fail);border-radius:6px;padding:10px 14px;margin:10px 0;background:#fff}
article[data-kind=snapshot_drift]{border-left-color:#6e7781}
article.o-known-border{border-left-color:var(--known)}article.o-now_conforms-border{border-left-color:var(--now)}
article.o-error-border{border-left-color:var(--error)}
article .summary{margin:0 0 8px;color:var(--muted)}article p{margin:6px 0}
blockquote.doc{margin:6px 0 10px;padding:6px 12px;border-left:3px solid var(--known);background:#ddf4ff;border-radius:0 6px 6px 0}
blockquote.doc p{margin:0;font-style:italic}blockquote.doc footer{font-size:12px;color:var(--muted);margin-top:2px}
.observed{margin-top:8px}.request{color:var(--muted);font-size:13px}
.status{display:inline-block;font-weight:700;border-radius:4px;padding:0 6px;color:#fff}
.s2{background:var(--pass)}.s3{background:var(--known)}.s4{background:var(--skipped)}.s5{background:var(--error)}
.empty{color:var(--muted);font-style:italic}
table.drift{width:100%;border-collapse:collapse;table-layout:fixed;margin:6px 0;border:1px solid var(--line)}
table.drift th{background:var(--soft);text-align:left;font-size:13px;padding:4px 8px;border-bottom:1px solid var(--line)}
table.drift td{vertical-align:top;padding:1px 8px;white-space:pre-wrap;overflow-wrap:anywhere;border-right:1px solid var(--line)}
table.drift td.removed{background:#ffebe9}table.drift td.added{background:#dafbe1}table.drift td.pad{background:#f6f8fa}
table.drift tr.hunk td{background:#ddf4ff;color:var(--muted)}
details.repro summary{cursor:pointer;color:var(--muted);font-size:13px}
dl.entry{display:grid;grid-template-columns:max-content 1fr;gap:2px 14px;margin:6px 0}dl.entry dt{color:var(--muted)}dl.entry dd{margin:0}
p.clean{font-weight:600;color:var(--pass)}p.lead{color:var(--muted)}
ul.skips{padding-left:0;list-style:none}
body>footer{color:var(--muted);font-size:13px;margin-top:40px;padding-bottom:32px;border-top:1px solid var(--line);padding-top:12px}
"#;

/// Filters: show the findings whose kind is checked and whose resource is selected; hide the
/// blocks left empty. Without JavaScript every finding shows.
const SCRIPT: &str = r#"
(function () {
  var form = document.getElementById('filters');
  if (!form) return;
  var boxes = form.querySelectorAll('input[name=kind]');
  var select = document.getElementById('resource');
  var findings = document.querySelectorAll('#discrepancies article.finding');
  function apply() {
    var kinds = {};
    boxes.forEach(function (b) { if (b.checked) kinds[b.value] = true; });
    var resource = select.value, shown = 0;
    findings.forEach(function (a) {
      var ok = kinds[a.dataset.kind] === true && (!resource || a.dataset.resource === resource);
      a.hidden = !ok;
      if (ok) shown++;
    });
    document.querySelectorAll('#discrepancies .kind, #discrepancies .op').forEach(function (el) {
      el.hidden = !el.querySelector('article.finding:not([hidden])');
    });
    document.getElementById('shown').textContent = shown + ' of ' + findings.length + ' shown';
    document.getElementById('none').hidden = shown > 0;
  }
  form.addEventListener('change', apply);
  form.querySelectorAll('button[data-check]').forEach(function (button) {
    button.addEventListener('click', function () {
      var on = button.dataset.check === 'all';
      boxes.forEach(function (b) { b.checked = on; });
      apply();
    });
  });
  apply();
})();
"#;

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::findings::verdict_findings;
    use crate::report::sample::{self, CURL, KNOWN_LINK, KNOWN_REASON, STALE_REASON};

    fn html(report: &RunReport) -> String {
        let mut out = Vec::new();
        write_html(report, &mut out).unwrap();
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn the_page_opens_with_fidelity_root_causes_and_not_served() {
        let page = html(&sample::report());
        let at = |id: &str| {
            page.find(&format!("<section id=\"{id}\">"))
                .unwrap_or_else(|| panic!("{id} missing"))
        };
        assert!(at("fidelity") < at("root-causes"));
        assert!(at("root-causes") < at("not-served"));
        assert!(page.contains(
            "<tr><th scope=\"row\">total</th><td>5/8 (62 %)</td><td>7/8 (87 %)</td>\
             <td>1 operation (2 cases)</td></tr>"
        ));
        assert!(page.contains("<h2>Root causes (9)</h2>"));
        assert!(page.contains(
            "<li><strong>limit not enforced: expected 400, got a success</strong> — 1 case"
        ));
        assert!(page.contains(
            "<li><code>v3::issue_properties::deleteIssueProperty</code> — 2 cases: the target does not serve"
        ));
    }

    #[test]
    fn one_self_contained_page() {
        let page = html(&sample::report());
        assert!(page.starts_with("<!DOCTYPE html>\n<html lang=\"en\">"));
        assert!(page.ends_with("</html>\n"));
        // Nothing is loaded from anywhere: no link, no src, no url(), no import.
        for forbidden in [
            "<link",
            " src=",
            "url(",
            "@import",
            "http-equiv=\"refresh\"",
        ] {
            assert!(!page.contains(forbidden), "{forbidden} in the page");
        }
        assert!(page.contains("default-src 'none'"));
        assert_eq!(page.matches("<script>").count(), 1);
        assert_eq!(page.matches("<style>").count(), 1);
    }

    #[test]
    fn header_totals_and_table() {
        let page = html(&sample::report());
        assert!(page.contains("<dt>target</dt><dd><code>http://127.0.0.1:41231</code></dd>"));
        assert!(page.contains(
            "14 cases: 4 passed, 2 failed, 1 error, 3 skipped, 1 known, 1 now conforming, 2 not served"
        ));
        assert!(page.contains("<span class=\"badge o-fail\">2 failed</span>"));
        assert!(page.contains("<span class=\"badge o-now_conforms\">1 now conforming</span>"));
        // The table as in the terminal: a row per resource, families indented, a total.
        assert!(
            page.contains(
                "<tr class=\"strong\"><th scope=\"row\">v3::user_properties</th>\
             <td class=\"o-pass\">2</td><td class=\"o-fail\">2</td><td class=\"o-error\">1</td>\
             <td class=\"o-skipped\">2</td><td class=\"zero\">0</td><td class=\"zero\">0</td>\
             <td class=\"zero\">0</td><td>7</td></tr>"
            ),
            "{page}"
        );
        assert!(page.contains("<th scope=\"row\" class=\"family\">limits</th>"));
        assert!(page.contains("<th scope=\"row\">total</th>"));
        assert!(page.contains("<th scope=\"col\">now conforms</th>"));
    }

    #[test]
    fn findings_carry_kind_resource_words_response_and_reproduction() {
        let page = html(&sample::report());
        assert!(page.contains(
            "<label class=\"k-limit_not_enforced\"><input type=\"checkbox\" name=\"kind\" \
             value=\"limit_not_enforced\" checked> limit not enforced <span class=\"n\">1</span></label>"
        ));
        assert!(page.contains("<option value=\"user_properties\">user_properties</option>"));
        let start = page
            .find("<article class=\"finding\" data-kind=\"limit_not_enforced\" data-resource=\"user_properties\">")
            .expect("the limits finding");
        let article = &page[start..start + page[start..].find("</article>").unwrap()];
        assert!(article.contains(
            "<code>v3::user_properties::setUserProperty::limits::value_32769_bytes</code>"
        ));
        assert!(
            article.contains("<strong>wrong status:</strong> PUT as alice: expected 400, got 201")
        );
        assert!(article.contains(
            "<blockquote class=\"doc\"><p>The value must be at most 32768 bytes</p>\
             <footer>documented by <code>specs/jira-conform.openapi.json#/paths/~1rest~1api~13~1user~1properties~1{propertyKey}/put/responses/400</code></footer></blockquote>"
        ));
        assert!(article.contains("<span class=\"status s2\">201</span>"));
        assert!(article.contains("&quot;key&quot;: &quot;k&quot;"));
        assert!(article.contains(&escape(CURL)));
        // Every failed case's discrepancies have their block.
        let report = sample::report();
        for v in report
            .verdicts
            .iter()
            .filter(|v| v.outcome == Outcome::Fail)
        {
            for finding in verdict_findings(v) {
                let div = format!(
                    "<div class=\"kind\" data-kind=\"{}\">",
                    finding.discrepancy.slug()
                );
                assert!(page.contains(&div), "{div} missing");
            }
        }
    }

    #[test]
    fn drift_is_side_by_side_and_escaped() {
        let page = html(&sample::report());
        assert!(page
            .contains("<th scope=\"col\">reference snapshot</th><th scope=\"col\">this run</th>"));
        assert!(page.contains("<tr class=\"hunk\"><td colspan=\"2\">@@ -1,4 +1,3 @@</td></tr>"));
        assert!(
            page.contains(
                "<tr><td class=\"removed\">→ 400 application/json;charset=utf-8</td>\
             <td class=\"added\">→ 405 application/json;charset=utf-8 allow: GET, PUT</td></tr>"
            ),
            "{page}"
        );
        assert!(page.contains(
            "<tr><td class=\"removed\">{&quot;errorMessages&quot;: [&quot;&lt;b&gt;no&lt;/b&gt;&quot;]}</td>\
             <td class=\"pad\"></td></tr>"
        ));
        assert!(!page.contains("<b>no</b>"));
    }

    #[test]
    fn everything_from_the_target_and_fixtures_is_escaped() {
        let mut report = sample::report();
        let hostile = "<script>alert('x')</script>\"&";
        report.target = hostile.into();
        report.profile = hostile.into();
        for v in &mut report.verdicts {
            v.summary = hostile.into();
            v.resource = hostile.into();
            for f in &mut v.failures {
                *f = crate::verdict::Failure::new(
                    f.step,
                    crate::verdict::FailureDetail::SchemaViolation {
                        pointer: Some(hostile.into()),
                        keyword: Some(hostile.into()),
                        message: hostile.into(),
                    },
                    f.provenance.clone(),
                );
            }
            for e in &mut v.exchanges {
                if let Ok(r) = &mut e.response {
                    r.body = hostile.into();
                    r.content_type = Some(hostile.into());
                }
            }
            if let Some(k) = &mut v.known {
                k.reason = hostile.into();
                k.link = Some("javascript:alert(1)".into());
            }
        }
        let page = html(&report);
        assert_eq!(
            page.matches("<script>").count(),
            1,
            "only the page's own script"
        );
        assert!(!page.contains("alert('x')"));
        assert!(page.contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;&quot;&amp;"));
        assert!(!page.contains("href=\"javascript:"));
    }

    #[test]
    fn known_now_conforming_errors_and_skips() {
        let page = html(&sample::report());
        assert!(page.contains("<h2>Known deviations (1)</h2>"));
        assert!(page.contains(&format!("<dt>reason</dt><dd>{}</dd>", escape(KNOWN_REASON))));
        assert!(page.contains(&format!(
            "<dt>link</dt><dd><a href=\"{KNOWN_LINK}\" rel=\"noopener noreferrer\">{KNOWN_LINK}</a></dd>"
        )));
        assert!(page.contains(
            "<span class=\"tag k-method_accepted\">method accepted that should be refused</span>"
        ));
        assert!(page.contains("<h2>Now conforming (1)</h2>"));
        assert!(page.contains(&format!("<dt>reason</dt><dd>{STALE_REASON}</dd>")));
        assert!(page.contains("<h2>Could not test (1)</h2>"));
        assert!(page.contains("<span class=\"status s5\">no response</span>"));
        assert!(page.contains("<h2>Skipped (3)</h2>"));
    }

    #[test]
    fn a_clean_run_says_so() {
        let mut report = sample::report();
        report.verdicts.retain(|v| v.outcome == Outcome::Pass);
        let page = html(&report);
        assert!(page.contains("No discrepancy: every case that ran behaved as documented."));
        assert!(!page.contains("<form"));
    }

    #[test]
    fn a_write_error_names_the_format() {
        let mut full = [0u8; 16];
        let error = write_html(&sample::report(), &mut &mut full[..]).unwrap_err();
        assert!(matches!(error, ReportError::Io { format: "HTML", .. }));
    }
}
