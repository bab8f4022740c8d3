//! Every report format on a real run: the suite against the embedded mock with two seeded
//! faults (a value limit not enforced, an admin check missing). The bug-report formats must name
//! each fault's discrepancy with the documentation's sentence; no format may hold a token; the
//! JSON must match `docs/report.schema.json` and the JUnit `docs/junit.xsd`.
//!
//! The expected kinds and sentences are written here from what the faults break and what the
//! spec says, not read from the generator.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::{Arc, OnceLock};

use base64::Engine as _;
use jira_conform::fixtures::{Credentials, Fixtures};
use jira_conform::mock::Fault;
use jira_conform::report::{
    failure_text, write_html, write_json, write_junit, write_markdown, write_terminal,
    TerminalOptions,
};
use jira_conform::verdict::{Outcome, RunReport};
use jira_conform::{prepare, run_suite, Config, SnapshotChoice};
use quick_junit::{NonSuccessKind, TestCaseStatus};

/// The spec's sentence on property values (`setUserProperty`'s request body).
const VALUE_LIMIT: &str = "The maximum length of the property value is 32768 bytes.";

/// The spec's sentence on the 403 of the user-property operations.
const OTHER_USER: &str = "Returned when the caller acts on another user's record without \
                          holding the permission needed for it.";

/// The run every test reads, made once.
fn report() -> &'static RunReport {
    static REPORT: OnceLock<RunReport> = OnceLock::new();
    REPORT.get_or_init(|| {
        let config = Config {
            faults: vec![Fault::ValueLimitNotEnforced, Fault::AdminCheckMissing],
            snapshots: SnapshotChoice::Off,
            ..Config::default()
        };
        let prepared = prepare(&config).expect("embedded inputs load");
        tokio::runtime::Runtime::new()
            .expect("runtime")
            .block_on(run_suite(&config, &prepared, Arc::new(|_| {})))
            .expect("suite runs")
            .report
    })
}

/// Every format's output of the run, by name.
fn outputs() -> &'static [(&'static str, String)] {
    static OUTPUTS: OnceLock<Vec<(&'static str, String)>> = OnceLock::new();
    OUTPUTS.get_or_init(|| {
        let report = report();
        let text = |bytes: Vec<u8>| String::from_utf8(bytes).expect("UTF-8 report");
        let mut terminal = Vec::new();
        write_terminal(
            report,
            &mut terminal,
            &TerminalOptions {
                color: false,
                verbose: true,
            },
        )
        .expect("terminal");
        let mut junit = Vec::new();
        write_junit(report, &mut junit).expect("junit");
        let mut json = Vec::new();
        write_json(report, &mut json).expect("json");
        let mut markdown = Vec::new();
        write_markdown(report, &mut markdown).expect("markdown");
        let mut html = Vec::new();
        write_html(report, &mut html).expect("html");
        vec![
            ("terminal", text(terminal)),
            ("junit", text(junit)),
            ("json", text(json)),
            ("markdown", text(markdown)),
            ("html", text(html)),
        ]
    })
}

fn output(name: &str) -> &'static str {
    outputs()
        .iter()
        .find(|(n, _)| *n == name)
        .map(|(_, text)| text.as_str())
        .expect("a format of that name")
}

/// The text from `heading` to the next heading of the same level (or the end).
fn markdown_section<'a>(md: &'a str, heading: &str) -> &'a str {
    let start = md
        .find(heading)
        .unwrap_or_else(|| panic!("no heading {heading:?} in the Markdown report"));
    let level = heading.split(' ').next().unwrap_or("###");
    let body = &md[start + heading.len()..];
    let end = body
        .find(&format!("\n{level} "))
        .map_or(body.len(), |i| i + 1);
    &body[..end]
}

#[test]
fn the_run_fails_on_both_faults() {
    let report = report();
    assert!(report.failed());
    let failed: Vec<&str> = report
        .verdicts
        .iter()
        .filter(|v| v.outcome == Outcome::Fail)
        .map(|v| v.case_id.as_str())
        .collect();
    assert!(
        failed
            .iter()
            .any(|id| id.ends_with("setUserProperty::limits::value_32769_bytes")),
        "{failed:?}"
    );
    assert!(
        failed
            .iter()
            .any(|id| id.contains("permissions::user_on_other_user")),
        "{failed:?}"
    );
}

#[test]
fn markdown_names_each_discrepancy_with_the_documentation_sentence() {
    let md = output("markdown");
    let limits = markdown_section(md, "### limit not enforced — `setUserProperty` (v3)");
    assert!(limits.contains(&format!("> {VALUE_LIMIT}\n")), "{limits}");
    assert!(
        limits.contains("#### `v3::user_properties::setUserProperty::limits::value_32769_bytes`"),
        "{limits}"
    );
    assert!(limits.contains("Response: **201**"), "{limits}");
    assert!(limits.contains("```sh\ncurl "), "{limits}");

    let open = markdown_section(md, "### permission too open — `getUserProperty` (v3)");
    assert!(open.contains(OTHER_USER), "{open}");
    assert!(open.contains("Response: **200**"), "{open}");
    assert!(md.contains("| `setUserProperty` | v3 | `user_properties` | limit not enforced | 2 |"));
    assert!(md.contains("| `getUserProperty` | v3 | `user_properties` | permission too open | 1 |"));
}

#[test]
fn html_names_each_discrepancy_with_the_documentation_sentence() {
    let html = output("html");
    let escaped = |s: &str| s.replace('\'', "&#39;");
    let article = |kind: &str, case: &str| -> &str {
        let marker = format!("<code>{case}</code>");
        let at = html
            .match_indices("<article class=\"finding\"")
            .map(|(i, _)| i)
            .find(|&i| {
                let end = i + html[i..].find("</article>").expect("closed article");
                let a = &html[i..end];
                a.contains(&format!("data-kind=\"{kind}\"")) && a.contains(&marker)
            })
            .unwrap_or_else(|| panic!("no {kind} article for {case}"));
        &html[at..at + html[at..].find("</article>").unwrap()]
    };
    let limits = article(
        "limit_not_enforced",
        "v3::user_properties::setUserProperty::limits::value_32769_bytes",
    );
    assert!(
        limits.contains(&format!("<p>{VALUE_LIMIT}</p>")),
        "{limits}"
    );
    let open = article(
        "permission_too_open",
        "v3::user_properties::getUserProperty::permissions::user_on_other_user",
    );
    assert!(open.contains(&escaped(OTHER_USER)), "{open}");
    // The filters offer both kinds, and the headings name them in words.
    for (slug, label) in [
        ("limit_not_enforced", "limit not enforced"),
        ("permission_too_open", "permission too open"),
    ] {
        assert!(html.contains(&format!("value=\"{slug}\" checked> {label} ")));
        assert!(html.contains(&format!("<span class=\"tag k-{slug}\">{label}</span>")));
    }
}

/// Every secret the mock's principals authenticate with, as it could leak: the token itself and
/// the basic-auth header value built from it.
fn secrets() -> Vec<String> {
    let fixtures = Fixtures::embedded().expect("embedded fixtures");
    let mut secrets = Vec::new();
    for principal in &fixtures.principals {
        match &principal.credentials {
            Credentials::Basic { email, token } => {
                secrets.push(token.expose().to_owned());
                secrets.push(
                    base64::engine::general_purpose::STANDARD
                        .encode(format!("{email}:{}", token.expose())),
                );
            }
            Credentials::Bearer { token } => secrets.push(token.expose().to_owned()),
        }
    }
    assert!(
        secrets.iter().any(|s| s == "mock-alice-token"),
        "the fixtures changed: {} secrets",
        secrets.len()
    );
    secrets
}

#[test]
fn no_report_holds_a_token() {
    let secrets = secrets();
    for (format, text) in outputs() {
        assert!(!text.is_empty(), "{format} is empty");
        for secret in &secrets {
            assert!(
                !text.contains(secret.as_str()),
                "the {format} report holds a secret"
            );
        }
        // The reproductions name the token's variable instead.
        assert!(
            text.contains("$JIRA_TOKEN_ALICE"),
            "{format}: no token variable"
        );
    }
}

#[test]
fn json_matches_the_schema() {
    let schema: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(repo_path("docs/report.schema.json")).expect("the schema"),
    )
    .expect("the schema is JSON");
    let document: serde_json::Value =
        serde_json::from_str(output("json")).expect("the report is JSON");
    let validator = jsonschema::validator_for(&schema).expect("the schema compiles");
    let errors: Vec<String> = validator
        .iter_errors(&document)
        .take(10)
        .map(|e| format!("{}: {}", e.instance_path(), e))
        .map(|e| e.chars().take(300).collect())
        .collect();
    assert!(errors.is_empty(), "{}", errors.join("\n"));
    assert_eq!(
        document["totals"]["total"],
        serde_json::json!(report().verdicts.len())
    );
}

#[test]
fn junit_has_a_case_per_verdict_in_suites_per_resource_with_the_terminal_text() {
    let junit =
        quick_junit::Report::deserialize_from_str(output("junit")).expect("JUnit XML parses");
    let report = report();
    let cases: usize = junit.test_suites.iter().map(|s| s.test_cases.len()).sum();
    assert_eq!(cases, report.verdicts.len());
    for suite in &junit.test_suites {
        for case in &suite.test_cases {
            let v = report
                .verdicts
                .iter()
                .find(|v| v.case_id == case.name.as_str())
                .expect("a verdict per test case");
            assert_eq!(
                suite.name.as_str(),
                format!("{}::{}", v.api, v.resource),
                "suite of {}",
                v.case_id
            );
            assert!(case.time.is_some(), "{} has no time", v.case_id);
            if v.outcome == Outcome::Fail {
                match &case.status {
                    TestCaseStatus::NonSuccess {
                        kind: NonSuccessKind::Failure,
                        description,
                        ..
                    } => assert_eq!(
                        description.as_deref(),
                        Some(failure_text(v).as_str()),
                        "{}",
                        v.case_id
                    ),
                    other => panic!("{}: {other:?}", v.case_id),
                }
            }
        }
    }
    let xml = output("junit");
    assert!(xml.contains("<testsuite name=\"v3::user_properties\""));
    assert!(xml.contains(" time=\""));
}

/// `xmllint --schema docs/junit.xsd FILE`: `Some(true)` valid, `Some(false)` invalid (with the
/// message printed), `None` when xmllint is not installed.
fn xmllint(file: &Path) -> Option<bool> {
    let result = Command::new("xmllint")
        .arg("--noout")
        .arg("--schema")
        .arg(repo_path("docs/junit.xsd"))
        .arg(file)
        .output();
    match result {
        Ok(out) => {
            if !out.status.success() {
                eprintln!("{}", String::from_utf8_lossy(&out.stderr));
            }
            Some(out.status.success())
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
        Err(e) => panic!("cannot run xmllint: {e}"),
    }
}

#[test]
fn junit_validates_against_the_junit_xsd() {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("report_formats");
    std::fs::create_dir_all(&dir).expect("temp dir");
    let valid = dir.join("junit.xml");
    std::fs::write(&valid, output("junit")).expect("write the report");
    let Some(ok) = xmllint(&valid) else {
        println!(
            "skipped: xmllint not found (Debian: apt-get install libxml2-utils); \
             the JUnit report was not checked against docs/junit.xsd"
        );
        return;
    };
    assert!(ok, "the JUnit report does not match docs/junit.xsd");

    // The schema must bite: each of these departures is refused.
    let xml = output("junit");
    let first_failure = xml.find("</failure>").expect("a failure") + "</failure>".len();
    let departures = [
        (
            "a test case without a name",
            xml.replacen("<testcase name=", "<testcase title=", 1),
        ),
        ("a negative time", xml.replacen(" time=\"", " time=\"-", 1)),
        (
            "a failure and a skip on one case",
            format!(
                "{}<skipped/>{}",
                &xml[..first_failure],
                &xml[first_failure..]
            ),
        ),
        (
            "an unknown element",
            xml.replacen("<properties>", "<props/><properties>", 1),
        ),
    ];
    for (what, broken) in departures {
        let file = dir.join("junit-broken.xml");
        std::fs::write(&file, broken).expect("write");
        assert_eq!(xmllint(&file), Some(false), "docs/junit.xsd accepts {what}");
    }
}

#[test]
fn the_command_writes_markdown_and_html_reports() {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("report_formats_cli");
    std::fs::create_dir_all(&dir).expect("temp dir");
    let md = dir.join("report.md");
    let html = dir.join("report.html");
    let out = Command::new(env!("CARGO_BIN_EXE_jira-conform"))
        .args([
            "run",
            "--snapshots",
            "off",
            "--color",
            "never",
            "--fault",
            "value-limit-not-enforced",
            "--family",
            "limits",
        ])
        .arg("--report")
        .arg(format!("markdown={}", md.display()))
        .arg("--report")
        .arg(format!("html={}", html.display()))
        .output()
        .expect("the command runs");
    assert_eq!(
        out.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let md = std::fs::read_to_string(md).expect("the Markdown report");
    assert!(md.contains("### limit not enforced — `setUserProperty` (v3)"));
    assert!(md.contains(VALUE_LIMIT));
    let html = std::fs::read_to_string(html).expect("the HTML report");
    assert!(html.starts_with("<!DOCTYPE html>"));
    assert!(html.contains("<span class=\"tag k-limit_not_enforced\">limit not enforced</span>"));

    let out = Command::new(env!("CARGO_BIN_EXE_jira-conform"))
        .args(["run", "--report", "pdf=x.pdf"])
        .output()
        .expect("the command runs");
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("use junit, json, markdown or html"),
        "{stderr}"
    );
}

fn repo_path(relative: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(relative)
}

/// No report reads text back out of a failure message: every report renders from the typed
/// detail. Checked on the source, outside the test modules: the helpers that parsed messages are
/// gone and nothing reads `message` but the excerpt, which only bounds its size.
#[test]
fn no_report_reads_text_out_of_a_failure_message() {
    let dir = repo_path("src/report");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .expect("src/report")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "rs"))
        .collect();
    files.sort();
    assert!(files.len() > 10, "{files:?}");
    let mut offences = Vec::new();
    for file in &files {
        let source = std::fs::read_to_string(file).expect("readable");
        let code = source.split("#[cfg(test)]").next().unwrap_or("");
        let name = file.file_name().and_then(|n| n.to_str()).unwrap_or("");
        let mut forbidden = vec![
            "expected_from_message",
            "diff_of(",
            "message_lines(",
            ".message.",
        ];
        if name != "excerpt.rs" {
            forbidden.extend(["failure.message", "f.message", ".message)"]);
        }
        for pattern in forbidden {
            for (n, line) in code.lines().enumerate() {
                if line.contains(pattern) && !line.trim_start().starts_with("//") {
                    offences.push(format!("{name}:{}: {pattern}: {}", n + 1, line.trim()));
                }
            }
        }
    }
    assert!(offences.is_empty(), "{}", offences.join("\n"));
}

/// The JSON report opens with the fidelity table and the root causes, both computed from the
/// verdicts: one row per resource and a total, and each failed case under at least one cause.
#[test]
fn json_leads_with_fidelity_and_root_causes() {
    let json: serde_json::Value = serde_json::from_str(output("json")).expect("JSON");
    let keys: Vec<&str> = json
        .as_object()
        .expect("object")
        .keys()
        .map(String::as_str)
        .collect();
    let verdicts = keys.iter().position(|k| *k == "verdicts");
    for key in ["fidelity", "root_causes", "not_served"] {
        let at = keys.iter().position(|k| *k == key);
        assert!(
            at.is_some() && at < verdicts,
            "{key} before verdicts: {keys:?}"
        );
    }
    let rows = json["fidelity"].as_array().expect("rows");
    let total = rows.last().expect("a total row");
    assert_eq!(total["resource"], "total");
    let report = report();
    let judged = report
        .verdicts
        .iter()
        .filter(|v| {
            matches!(
                v.outcome,
                Outcome::Pass | Outcome::Fail | Outcome::Known | Outcome::NowConforms
            )
        })
        .count();
    assert_eq!(total["judged"], judged);
    assert_eq!(
        total["agree_documentation"],
        report.count(Outcome::Pass) + report.count(Outcome::NowConforms)
    );
    let causes = json["root_causes"].as_array().expect("causes");
    for v in report
        .verdicts
        .iter()
        .filter(|v| v.outcome == Outcome::Fail)
    {
        assert!(
            causes.iter().any(|c| c["cases"]
                .as_array()
                .is_some_and(|ids| ids.iter().any(|id| id == v.case_id.as_str()))),
            "{} under no root cause",
            v.case_id
        );
    }
    // The two faults are two causes: the value limit and the admin check.
    let titles: Vec<&str> = causes.iter().filter_map(|c| c["title"].as_str()).collect();
    assert!(
        titles.iter().any(|t| t.starts_with("limit not enforced")),
        "{titles:?}"
    );
    assert!(
        titles.iter().any(|t| t.starts_with("permission too open")),
        "{titles:?}"
    );
    let failures = json["verdicts"]
        .as_array()
        .expect("verdicts")
        .iter()
        .flat_map(|v| v["failures"].as_array().cloned().unwrap_or_default());
    for failure in failures {
        assert_eq!(failure["detail"]["type"], failure["kind"], "{failure}");
    }
}
