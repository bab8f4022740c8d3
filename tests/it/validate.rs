//! `validate`: recorded traffic (a HAR file or a directory of request/response pairs) checked
//! against the spec offline.
//!
//! The hand-written recordings in `tests/fixtures/validate/` hold one entry per behaviour
//! (conforming, schema violation, undocumented status, wrong content type, v2 path, unknown
//! path, no response…). The real Jira bodies of `../shared/real-responses/` (data, not part of
//! the project; skipped with a message when absent) are turned into a HAR and validated against
//! our spec and against Atlassian's 2025 spec, and the departures found are printed
//! (`cargo test --test it validate:: -- --nocapture`).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use jira_conform::case::{Api, Family};
use jira_conform::check::apply_known;
use jira_conform::fixtures::Fixtures;
use jira_conform::report::{write_json, write_junit, write_terminal, TerminalOptions};
use jira_conform::spec::{embedded, load_path, Spec};
use jira_conform::validate::{validate_har, validate_pairs, ValidateError};
use jira_conform::verdict::{FailureKind, Outcome, RunReport, Verdict};
use serde_json::{json, Value};

use crate::support::shared;

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/validate")
}

fn session() -> RunReport {
    let path = fixtures().join("session.har");
    let text = std::fs::read_to_string(&path).expect("the session fixture is readable");
    let spec = embedded().expect("our spec loads");
    validate_har(&spec, &text, "session.har").expect("the session fixture validates")
}

fn kinds(v: &Verdict) -> Vec<FailureKind> {
    v.failures.iter().map(|f| f.kind).collect()
}

/// Every value the hand-written recordings carry that is a credential.
const SECRETS: [&str; 6] = [
    "bWlhQGV4YW1wbGUuY29tOkFUQVRUU0VDUkVUSEVBREVS",
    "SECRETCOOKIEVALUE",
    "SECRETSETCOOKIE",
    "SECRETQUERYTOKEN",
    "SECRETBODYTOKEN",
    "SECRET",
];

mod har {
    use super::*;

    #[test]
    fn one_verdict_per_entry_in_recorded_order() {
        let report = session();
        let ids: Vec<&str> = report.verdicts.iter().map(|v| v.case_id.as_str()).collect();
        assert_eq!(
            ids,
            [
                "har::0::getCurrentUser",
                "har::1::getCurrentUser",
                "har::2::getCurrentUser",
                "har::3::getCurrentUser",
                "har::4::getCurrentUser",
                "har::5::unmatched",
                "har::6::getUserProperty",
                "har::7::getAttachmentMeta",
                "har::8::getCurrentUser",
                "har::9::unmatched",
                "har::10::setUserProperty",
                "har::11::unmatched",
            ]
        );
        assert_eq!(report.profile, "har");
        assert_eq!(report.target, "session.har (https://example.atlassian.net)");
        assert!(report
            .verdicts
            .iter()
            .all(|v| v.family == Family::Schema && v.known.is_none() && v.exchanges.len() == 1));
        assert!(report.failed(), "departures make the run fail");
    }

    #[test]
    fn a_conforming_response_passes() {
        let report = session();
        let v = &report.verdicts[0];
        assert_eq!(v.outcome, Outcome::Pass, "{:?}", v.failures);
        assert_eq!((v.api, v.resource.as_str()), (Api::V3, "myself"));
        assert_eq!(v.elapsed_ms, 120);
        let received = v.exchanges[0].response.as_ref().expect("a response");
        assert_eq!(received.status, 200);
        assert!(received.body.contains("Mia Krystof"));
    }

    #[test]
    fn a_body_against_the_schema_fails_with_its_pointer() {
        let report = session();
        let v = &report.verdicts[1];
        assert_eq!(v.outcome, Outcome::Fail);
        assert_eq!(kinds(v), [FailureKind::SchemaViolation]);
        assert!(
            v.failures[0].message.starts_with("at /active: "),
            "{}",
            v.failures[0].message
        );
        assert!(v.failures[0].message.contains("boolean"));
    }

    #[test]
    fn an_undocumented_status_fails() {
        let v = &session().verdicts[2];
        assert_eq!(kinds(v), [FailureKind::UndocumentedStatus]);
        assert_eq!(
            v.failures[0].message,
            "getCurrentUser does not document status 503 (documented: 200, 401)"
        );
    }

    #[test]
    fn a_wrong_content_type_fails_and_the_json_body_is_still_checked() {
        let v = &session().verdicts[3];
        assert_eq!(kinds(v), [FailureKind::WrongContentType]);
        assert_eq!(
            v.failures[0].message,
            "content type \"text/plain;charset=UTF-8\", documented \"application/json\""
        );
    }

    #[test]
    fn a_v2_path_finds_the_v3_operation() {
        let v = &session().verdicts[4];
        assert_eq!(v.outcome, Outcome::Pass, "{:?}", v.failures);
        assert_eq!(v.api, Api::V2);
        assert_eq!(v.operation_id, "getCurrentUser");
    }

    #[test]
    fn entries_without_an_operation_are_skipped_with_the_reason() {
        let report = session();
        let reason = |i: usize| report.verdicts[i].reason.clone().unwrap_or_default();
        assert_eq!(report.verdicts[5].outcome, Outcome::Skipped);
        assert_eq!(
            reason(5),
            "no documented operation for GET /rest/api/3/unknown/thing"
        );
        assert_eq!(
            reason(9),
            "no documented operation for POST /rest/api/3/myself (the path is documented for GET)"
        );
        assert_eq!(
            reason(11),
            "no documented operation for GET /secure/Dashboard.jspa"
        );
        for i in [5, 9, 11] {
            let v = &report.verdicts[i];
            assert_eq!(v.outcome, Outcome::Skipped);
            assert_eq!(
                (v.resource.as_str(), v.operation_id.as_str()),
                ("unmatched", "none")
            );
            // Nothing is checked in them, so nothing of their bodies is copied.
            let received = v.exchanges[0].response.as_ref().expect("a response");
            assert!(received.body.is_empty());
        }
    }

    #[test]
    fn base64_bodies_and_encoded_path_segments() {
        let v = &session().verdicts[6];
        assert_eq!(v.outcome, Outcome::Pass, "{:?}", v.failures);
        let received = v.exchanges[0].response.as_ref().expect("a response");
        assert_eq!(
            serde_json::from_str::<Value>(&received.body).expect("decoded JSON"),
            json!({"key": "my/key", "value": {"theme": "dark"}})
        );
    }

    #[test]
    fn a_literal_path_wins_over_a_template() {
        let v = &session().verdicts[7];
        assert_eq!(v.operation_id, "getAttachmentMeta");
        assert_eq!(v.outcome, Outcome::Pass, "{:?}", v.failures);
    }

    #[test]
    fn an_entry_without_a_response_is_skipped() {
        let v = &session().verdicts[8];
        assert_eq!(v.outcome, Outcome::Skipped);
        assert!(v
            .reason
            .as_deref()
            .is_some_and(|r| r.starts_with("no response was recorded")));
        assert!(v.exchanges[0].response.is_err());
    }

    #[test]
    fn a_304_from_the_browser_cache_is_skipped() {
        let spec = embedded().expect("our spec loads");
        let text = json!({"log": {"entries": [{
            "request": {"method": "GET", "url": "https://x/rest/api/3/myself"},
            "response": {"status": 304, "content": {"mimeType": "x-unknown", "size": 0}}
        }]}})
        .to_string();
        let report = validate_har(&spec, &text, "cache.har").expect("validates");
        let v = &report.verdicts[0];
        assert_eq!(v.outcome, Outcome::Skipped);
        assert!(v
            .reason
            .as_deref()
            .is_some_and(|r| r.starts_with("304 Not Modified")));
    }

    #[test]
    fn secrets_are_out_of_the_request_and_every_report() {
        let report = session();
        let v = &report.verdicts[6];
        assert_eq!(
            v.exchanges[0].request.url,
            "https://example.atlassian.net/rest/api/3/user/properties/my%2Fkey\
             ?accountId=5b10ac8d82e05b22cc7d4ef5&access_token={redacted}"
        );
        assert_eq!(v.exchanges[0].request.actor, "recorded");
        let put = &report.verdicts[10].exchanges[0].request;
        assert_eq!(
            put.body.as_deref(),
            Some(r#"{"color":"dark","apiToken":"{redacted}"}"#)
        );
        assert_eq!(put.content_type.as_deref(), Some("application/json"));

        let mut rendered = serde_json::to_string(&report).expect("serialises");
        let mut out = Vec::new();
        write_json(&report, &mut out).expect("json report");
        write_junit(&report, &mut out).expect("junit report");
        let opts = TerminalOptions {
            color: false,
            verbose: true,
        };
        write_terminal(&report, &mut out, &opts).expect("terminal report");
        rendered.push_str(&String::from_utf8_lossy(&out));
        for secret in SECRETS {
            assert!(!rendered.contains(secret), "{secret} leaked");
        }
        for header in ["Authorization", "Cookie"] {
            assert!(!rendered.contains(header), "{header} leaked");
        }
        assert!(rendered.contains("har::1::getCurrentUser"));
    }

    #[test]
    fn unreadable_entries_name_the_file_and_pointer() {
        let spec = embedded().expect("our spec loads");
        let bad = json!({"log": {"entries": [
            {"request": {"method": "GET", "url": "https://x/rest/api/3/myself"},
             "response": {"status": 200, "content": {"text": "not base64!", "encoding": "base64"}}}
        ]}})
        .to_string();
        let err = validate_har(&spec, &bad, "bad.har").expect_err("invalid base64");
        assert!(matches!(err, ValidateError::Invalid { .. }));
        assert!(
            err.to_string()
                .starts_with("bad.har#/log/entries/0/response/content/text: "),
            "{err}"
        );
        let err = validate_har(&spec, "[]", "bad.har").expect_err("not an object");
        assert_eq!(
            err.to_string(),
            "bad.har#: expected an object, found an array"
        );
        let empty = validate_har(&spec, r#"{"log":{"entries":[]}}"#, "empty.har")
            .expect("an empty recording is valid");
        assert!(empty.verdicts.is_empty());
    }
}

mod pairs {
    use super::*;

    #[test]
    fn each_pair_file_gets_a_verdict_in_file_name_order() {
        let spec = embedded().expect("our spec loads");
        let report = validate_pairs(&spec, &fixtures().join("pairs")).expect("pairs validate");
        let summary: Vec<(&str, Outcome, Vec<FailureKind>)> = report
            .verdicts
            .iter()
            .map(|v| (v.case_id.as_str(), v.outcome, kinds(v)))
            .collect();
        assert_eq!(
            summary,
            [
                ("pairs::01-myself::getCurrentUser", Outcome::Pass, vec![]),
                (
                    "pairs::02-myself-v2-bad::getCurrentUser",
                    Outcome::Fail,
                    vec![FailureKind::SchemaViolation]
                ),
                (
                    "pairs::03-dashboard-html::getDashboard",
                    Outcome::Fail,
                    vec![FailureKind::WrongContentType, FailureKind::SchemaViolation]
                ),
                ("pairs::04-unknown::unmatched", Outcome::Skipped, vec![]),
            ]
        );
        assert_eq!(report.verdicts[1].api, Api::V2);
        assert!(report.verdicts[1].failures[0]
            .message
            .starts_with("at /accountType: "));
        assert_eq!(
            report.verdicts[2].failures[1].message,
            "the body is not valid JSON"
        );
        assert_eq!(report.profile, "pairs");
    }

    #[test]
    fn bad_directories_and_files_are_named() {
        let spec = embedded().expect("our spec loads");
        let err = validate_pairs(&spec, &fixtures().join("bad-pairs")).expect_err("a typo");
        let text = err.to_string();
        assert!(text.contains("typo.json#/stauts: unknown member"), "{text}");
        // The fixtures folder itself has no *.json file at its top level.
        let err = validate_pairs(&spec, &fixtures()).expect_err("no pairs");
        assert!(matches!(err, ValidateError::Empty { .. }), "{err}");
        let err = validate_pairs(&spec, &fixtures().join("no-such-dir")).expect_err("missing");
        assert!(matches!(err, ValidateError::Read { .. }), "{err}");
    }
}

/// The recorded real Jira bodies, as one HAR.
mod real_corpus {
    use super::*;

    /// One INDEX.md row usable as a recorded exchange.
    struct Row {
        file: String,
        method: String,
        /// The endpoint's template, query removed (`/rest/api/2/issue/{issueIdOrKey}`).
        template: String,
        status: u16,
    }

    /// The rows whose endpoint is one concrete method and path, with a numeric status and a
    /// whole body (LIST ITEM rows are list elements, not responses).
    fn rows(index: &str) -> Vec<Row> {
        let mut rows = Vec::new();
        for line in index.lines().filter(|l| l.starts_with("| `")) {
            let cells: Vec<&str> = line.split('|').map(str::trim).collect();
            let [_, file, endpoint, status, _deploy, _api, kind, ..] = cells.as_slice() else {
                continue;
            };
            let Some((method, path)) = endpoint.split_once(' ') else {
                continue;
            };
            let path = path.split('?').next().unwrap_or_default();
            let concrete = ["GET", "PUT", "POST", "DELETE", "PATCH"].contains(&method)
                && path.starts_with("/rest/")
                && !path.contains(char::is_whitespace);
            let (Ok(status), true, true) = (
                status.parse::<u16>(),
                concrete,
                kind.starts_with("whole body"),
            ) else {
                continue;
            };
            rows.push(Row {
                file: file.trim_matches('`').to_string(),
                method: method.to_string(),
                template: path.to_string(),
                status,
            });
        }
        rows
    }

    /// `/a/{x}/b` → `/a/X-1/b`.
    fn fill(template: &str) -> String {
        template
            .split('/')
            .map(|s| {
                if s.starts_with('{') && s.ends_with('}') {
                    "X-1"
                } else {
                    s
                }
            })
            .collect::<Vec<_>>()
            .join("/")
    }

    /// A template with parameter names and the API version removed, to find the operation a
    /// row is for independently of the matcher.
    fn shape(template: &str) -> String {
        let t = template.replacen("/rest/api/2/", "/rest/api/3/", 1);
        t.split('/')
            .map(|s| {
                if s.starts_with('{') && s.ends_with('}') {
                    "{}"
                } else {
                    s
                }
            })
            .collect::<Vec<_>>()
            .join("/")
    }

    fn har(dir: &Path, rows: &[Row]) -> String {
        let entries: Vec<Value> = rows
            .iter()
            .map(|row| {
                let body = std::fs::read_to_string(dir.join(&row.file)).unwrap_or_default();
                json!({
                    "startedDateTime": "2025-07-30T10:00:00.000Z",
                    "time": 1,
                    "request": {
                        "method": row.method,
                        "url": format!("https://example.atlassian.net{}", fill(&row.template)),
                        "headers": [{"name": "Authorization", "value": "Basic Q09SUFVTU0VDUkVU"}],
                    },
                    "response": {
                        "status": row.status,
                        // The corpus does not record content types: Jira answers JSON.
                        "headers": [{"name": "Content-Type", "value": "application/json;charset=UTF-8"}],
                        "content": {"mimeType": "application/json", "text": body},
                    },
                })
            })
            .collect();
        json!({"log": {"version": "1.2", "entries": entries}}).to_string()
    }

    /// Validates the corpus HAR against `spec`, checks every row that maps to an operation got
    /// a pass or fail verdict for it, and prints the departures.
    fn validate_corpus(spec: &Spec, label: &str, dir: &Path, rows: &[Row]) {
        let report = validate_har(spec, &har(dir, rows), "real-responses.har")
            .unwrap_or_else(|e| panic!("{label}: {e}"));
        assert_eq!(report.verdicts.len(), rows.len());
        let mut by_kind: BTreeMap<&str, usize> = BTreeMap::new();
        let mut lines = Vec::new();
        let mut skipped = Vec::new();
        // Passes where the spec documents the status but no body: only the status was checked.
        let mut status_only = Vec::new();
        for (row, v) in rows.iter().zip(&report.verdicts) {
            let documented = spec
                .operations
                .iter()
                .find(|op| op.method == row.method && shape(&op.path) == shape(&row.template));
            match documented {
                Some(op) => {
                    assert!(
                        matches!(v.outcome, Outcome::Pass | Outcome::Fail),
                        "{label}: {} ({} {}) should be checked against {}, got {:?} {:?}",
                        row.file,
                        row.method,
                        row.template,
                        op.operation_id,
                        v.outcome,
                        v.reason
                    );
                    assert_eq!(v.operation_id, op.operation_id, "{label}: {}", row.file);
                    let documents_body = op
                        .response_for(row.status)
                        .is_some_and(|r| !r.content.is_empty());
                    if v.outcome == Outcome::Pass && !documents_body {
                        status_only.push(row.file.as_str());
                    }
                }
                None => {
                    assert_eq!(v.outcome, Outcome::Skipped, "{label}: {}", row.file);
                    assert!(v
                        .reason
                        .as_deref()
                        .is_some_and(|r| r.starts_with("no documented operation for ")));
                    skipped.push(format!("{} {}", row.method, row.template));
                }
            }
            for f in &v.failures {
                *by_kind.entry(f.kind.name()).or_default() += 1;
                let message: String = f.message.chars().take(150).collect();
                lines.push(format!(
                    "  {} [{}] {} {}: {message}",
                    row.file,
                    v.operation_id,
                    row.status,
                    f.kind.name()
                ));
            }
        }
        let rendered = serde_json::to_string(&report).expect("serialises");
        assert!(!rendered.contains("Q09SUFVTU0VDUkVU"), "credentials leaked");
        println!(
            "{label} ({}): {} rows: {} passed, {} failed, {} skipped (no documented operation)",
            spec.source,
            rows.len(),
            report.count(Outcome::Pass),
            report.count(Outcome::Fail),
            report.count(Outcome::Skipped),
        );
        println!(
            "  passes that checked the status only (no body documented for it): {}",
            status_only.len()
        );
        for file in &status_only {
            println!("    {file}");
        }
        println!("  failures by kind: {by_kind:?}");
        for line in lines {
            println!("{line}");
        }
        skipped.sort();
        skipped.dedup();
        if !skipped.is_empty() {
            println!("  not in this spec: {}", skipped.join("; "));
        }
    }

    #[test]
    fn real_jira_bodies_validate_against_our_spec_and_atlassians() {
        let dir = shared::real_responses_dir();
        let Ok(index) = std::fs::read_to_string(dir.join("INDEX.md")) else {
            shared::absent(&format!(
                "the real-response corpus is not at {}",
                dir.display()
            ));
            return;
        };
        let rows = rows(&index);
        assert!(
            rows.len() >= 20,
            "INDEX.md yielded only {} usable rows; has its table changed?",
            rows.len()
        );
        let ours = embedded().expect("our spec loads");
        validate_corpus(&ours, "embedded spec", &dir, &rows);
        if let Some(real) = shared::real_spec(shared::SPEC_2025) {
            let spec = load_path(&real).expect("the 2025 spec loads");
            validate_corpus(&spec, "Atlassian 2025-07-30 spec", &dir, &rows);
        }
    }
}

/// The real Jira Cloud negative answers (`../shared/real-responses/negative/`, data, not part
/// of the project), turned into request/response pairs: the Cloud rows whose request names one
/// concrete `/rest/api/...` path, with the content type as sent (the corpus's comments after
/// it dropped). `None` when the corpus is absent. Returns the directory and the rows' names.
fn negative_corpus_as_pairs() -> Option<(PathBuf, Vec<String>)> {
    let corpus = shared::real_responses_dir().join("negative");
    if !corpus.join("INDEX.md").exists() {
        shared::absent(&format!("{} not found", corpus.display()));
        return None;
    }
    let out = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("negative-pairs");
    let _ = std::fs::remove_dir_all(&out);
    std::fs::create_dir_all(&out).expect("temp dir");
    let mut names = Vec::new();
    let mut statuses: Vec<PathBuf> = std::fs::read_dir(&corpus)
        .expect("corpus readable")
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.is_dir())
        .collect();
    statuses.sort();
    for status_dir in statuses {
        let mut files: Vec<PathBuf> = std::fs::read_dir(&status_dir)
            .expect("status folder readable")
            .filter_map(Result::ok)
            .map(|e| e.path())
            .filter(|p| p.extension().is_some_and(|x| x == "json"))
            .collect();
        files.sort();
        for file in files {
            let row: Value =
                serde_json::from_str(&std::fs::read_to_string(&file).expect("corpus row readable"))
                    .expect("corpus row is JSON");
            let deploy = row["deploy"].as_str().unwrap_or("");
            let path = row["path"]
                .as_str()
                .unwrap_or("")
                .split_whitespace()
                .next()
                .unwrap_or("");
            // The query does not decide the operation, and the corpus elides some with `…`.
            let path = path.split('?').next().unwrap_or(path);
            let one_method = row["method"]
                .as_str()
                .is_some_and(|m| !m.is_empty() && m.chars().all(|c| c.is_ascii_uppercase()));
            if !deploy.starts_with("Cloud")
                || !one_method
                || !path.starts_with("/rest/api/")
                || path.contains('…')
                || path.contains("...")
            {
                continue;
            }
            let content_type = row["content_type"]
                .as_str()
                .and_then(|c| c.split_whitespace().next())
                .filter(|c| c.contains('/'));
            let name = file
                .file_stem()
                .and_then(|s| s.to_str())
                .expect("file name")
                .to_string();
            let mut pair = json!({
                "method": row["method"],
                "url": path,
                "status": row["status"],
                "body": row["body"],
            });
            if let Some(c) = content_type {
                pair["content_type"] = json!(c);
            }
            std::fs::write(
                out.join(format!("{name}.json")),
                serde_json::to_string_pretty(&pair).expect("serialises"),
            )
            .expect("pair written");
            names.push(name);
        }
    }
    Some((out, names))
}

/// The departures the negative corpus documents that a pair can show, by corpus file: each must
/// be reported, by a failure of this kind.
const DOCUMENTED_DEPARTURES: [(&str, FailureKind); 7] = [
    // RFC 7807 bodies on 405, 415 and an unknown path's 404.
    (
        "cloud-v3-post-issue-key-rfc7807-allow-backlot-measured",
        FailureKind::WrongContentType,
    ),
    (
        "cloud-v3-put-search-jql-allow-backlot-measured",
        FailureKind::WrongContentType,
    ),
    (
        "cloud-v3-post-search-jql-no-content-type-backlot-measured",
        FailureKind::WrongContentType,
    ),
    (
        "cloud-v3-no-endpoint-rfc7807-backlot-measured",
        FailureKind::WrongContentType,
    ),
    // The plain-text 401 of user properties and /myself.
    (
        "cloud-v3-myself-no-credential-backlot-measured",
        FailureKind::WrongContentType,
    ),
    (
        "cloud-v3-user-properties-no-credential-backlot-measured",
        FailureKind::WrongContentType,
    ),
    (
        "cloud-v3-user-property-key-put-no-credential-backlot-list",
        FailureKind::WrongContentType,
    ),
];

/// Issue 17, item 8: `validate --pairs` over the real negative corpus reports every documented
/// departure; with the shipped Jira Cloud known-deviations file taken in by a fixtures file's
/// one line, each is reported as known and nothing fails.
#[test]
fn real_negative_answers_report_jira_clouds_documented_departures() {
    let Some((dir, names)) = negative_corpus_as_pairs() else {
        return;
    };
    let Some(path) = shared::real_spec(shared::SPEC_2025) else {
        return;
    };
    let Ok(spec) = load_path(&path) else {
        shared::absent(&format!(
            "the 2025 spec at {} does not load",
            path.display()
        ));
        return;
    };
    let mut report = validate_pairs(&spec, &dir).expect("the pairs validate");
    eprintln!("{} pairs from the corpus", names.len());
    let verdict_of = |report: &RunReport, name: &str| {
        report
            .verdicts
            .iter()
            .find(|v| v.case_id.starts_with(&format!("pairs::{name}::")))
            .cloned()
            .unwrap_or_else(|| panic!("no verdict for {name}"))
    };
    for (name, kind) in DOCUMENTED_DEPARTURES {
        let v = verdict_of(&report, name);
        assert_eq!(v.outcome, Outcome::Fail, "{name} not reported: {v:?}");
        assert!(kinds(&v).contains(&kind), "{name}: {:?}", v.failures);
    }
    let failing: Vec<String> = report
        .verdicts
        .iter()
        .filter(|v| v.outcome == Outcome::Fail)
        .map(|v| v.case_id.clone())
        .collect();
    eprintln!("reported departures: {failing:#?}");

    // A real-site fixtures file takes the shipped list in with one line.
    let known =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/jira-cloud.known-deviations.toml");
    let site = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("jira-cloud-site.toml");
    std::fs::write(
        &site,
        format!(
            "profile = \"jira-cloud\"\nknown_deviations_file = {:?}\n",
            known.display().to_string()
        ),
    )
    .expect("fixtures written");
    let fixtures = Fixtures::load(&site).expect("the site fixtures load with the list");
    assert!(
        fixtures.known_deviations.len() >= 10,
        "{:?}",
        fixtures.known_deviations
    );
    assert!(fixtures
        .known_deviations
        .iter()
        .all(|k| k.reason.contains("(evidence: ")));
    apply_known(&mut report.verdicts, &fixtures.known_deviations);
    for id in &failing {
        let v = report
            .verdicts
            .iter()
            .find(|v| &v.case_id == id)
            .expect("still there");
        assert_eq!(
            v.outcome,
            Outcome::Known,
            "{id} is not known: {:?}",
            v.failures
        );
    }
    let still: Vec<(&str, Outcome)> = report
        .verdicts
        .iter()
        .filter(|v| !matches!(v.outcome, Outcome::Pass | Outcome::Known | Outcome::Skipped))
        .map(|v| (v.case_id.as_str(), v.outcome))
        .collect();
    assert!(still.is_empty(), "with the list: {still:?}");
}
