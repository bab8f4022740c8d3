//! The page as a whole, written from the sample run.

use super::escape::escape;
use super::write_html;
use crate::report::error::ReportError;
use crate::report::findings::verdict_findings;
use crate::report::sample::{self, CURL, KNOWN_LINK, KNOWN_REASON, STALE_REASON};
use crate::verdict::{Outcome, RunReport};

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
    assert!(page
        .contains("<li><strong>limit not enforced: expected 400, got a success</strong> — 1 case"));
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
    assert!(article
        .contains("<code>v3::user_properties::setUserProperty::limits::value_32769_bytes</code>"));
    assert!(article.contains("<strong>wrong status:</strong> PUT as alice: expected 400, got 201"));
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
    assert!(
        page.contains("<th scope=\"col\">reference snapshot</th><th scope=\"col\">this run</th>")
    );
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
