//! The command line end to end, as a user runs it: a separately started mock as the target,
//! seeded faults, bad input, and secrets kept out of every output.

use std::path::PathBuf;
use std::process::{Command, Output, Stdio};

use crate::support::child::{self, text, tiny_server, MockChild};

fn bin() -> Command {
    let mut c = child::bin_in(env!("CARGO_MANIFEST_DIR"));
    c.env_remove("JIRA_ADMIN_TOKEN");
    c
}

/// A mock child with these seeded faults.
fn start_mock(faults: &[&str]) -> MockChild {
    let args: Vec<String> = faults
        .iter()
        .flat_map(|f| ["--fault".into(), f.to_string()])
        .collect();
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    start_mock_with(&args)
}

/// A mock child started with these extra arguments (`--api 3`, `--fault …`).
fn start_mock_with(args: &[&str]) -> MockChild {
    let mut cmd = bin();
    cmd.args(["mock", "--port", "0"])
        .args(args)
        .stderr(Stdio::null());
    MockChild::spawn(cmd)
}

fn totals(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout)
        .lines()
        .rev()
        .find(|l| l.contains(" cases: "))
        .map(|l| l.split(" in ").next().unwrap_or(l).to_string())
        .unwrap_or_default()
}

#[test]
fn separately_started_mock_gives_the_embedded_verdicts() {
    let embedded = bin().args(["run", "--snapshots", "off"]).output().unwrap();
    assert_eq!(embedded.status.code(), Some(0), "{}", text(&embedded));
    let mock = start_mock(&[]);
    let external = bin()
        .args(["run", "--snapshots", "off", "--target", &mock.url])
        .output()
        .unwrap();
    assert_eq!(external.status.code(), Some(0), "{}", text(&external));
    assert!(
        totals(&embedded).contains("0 failed"),
        "{}",
        totals(&embedded)
    );
    assert_eq!(totals(&embedded), totals(&external));
}

#[test]
fn a_faulty_external_mock_fails_the_right_cases_with_exit_code_1() {
    let mock = start_mock(&["post-accepted"]);
    let out = bin()
        .args([
            "run",
            "--snapshots",
            "off",
            "--target",
            &mock.url,
            "--family",
            "methods",
            // The per-case blocks are listed with -v; without it, the root causes.
            "-v",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));
    let t = text(&out);
    assert!(
        t.contains("FAIL v3::user_properties::setUserProperty::methods::post_refused"),
        "{t}"
    );
    assert!(t.contains("reproduce: curl"), "{t}");
    let fails = t.lines().filter(|l| l.starts_with("FAIL ")).count();
    assert!(
        t.lines()
            .filter(|l| l.starts_with("FAIL "))
            .all(|l| l.contains("post_refused")),
        "only POST cases may fail: {fails} FAIL lines\n{t}"
    );
}

#[test]
fn tokens_never_appear_in_output_or_reports() {
    let dir = std::env::temp_dir().join(format!("jc-cli-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let junit = dir.join("junit.xml");
    let json = dir.join("report.json");
    // A failing run, so failure text and curl reproductions are in the output too.
    let out = bin()
        .args([
            "run",
            "--snapshots",
            "off",
            "--fault",
            "admin-check-missing",
            "--fault",
            "wrong-content-type",
        ])
        .arg("--report")
        .arg(format!("junit={}", junit.display()))
        .arg("--report")
        .arg(format!("json={}", json.display()))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let mut everything = text(&out);
    everything.push_str(&std::fs::read_to_string(&junit).unwrap());
    everything.push_str(&std::fs::read_to_string(&json).unwrap());
    assert!(
        everything.contains("$JIRA_TOKEN_ALICE"),
        "reproductions name the variable"
    );
    for token in ["mock-admin-token", "mock-alice-token", "mock-bob-token"] {
        use base64::Engine;
        let b64 =
            base64::engine::general_purpose::STANDARD.encode(format!("alice@example.test:{token}"));
        assert!(!everything.contains(token), "{token} leaked");
        assert!(!everything.contains(&b64), "{token} leaked base64-encoded");
    }
    std::fs::remove_dir_all(&dir).unwrap();
}

fn error_of(args: &[&str]) -> (Option<i32>, String) {
    let out = bin().args(args).output().unwrap();
    assert!(out.stdout.is_empty() || args[0] == "run", "{}", text(&out));
    (
        out.status.code(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn scratch(name: &str, content: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("jc-bad-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(name);
    std::fs::write(&path, content).unwrap();
    path
}

#[test]
fn bad_input_is_one_paragraph_exit_code_2_and_no_panic() {
    let spec = scratch("bad.json", "{\"openapi\": \"3.0.1\", \"paths\": {\"/a\": {\"get\": {\"parameters\": [{\"$ref\": \"#/nope\"}]}}}}");
    let fixtures = scratch("bad.toml", "profile = \"x\"\nunknown = 1\n");
    let swagger = scratch("swagger.json", "{\"swagger\": \"2.0\"}");
    let cases: Vec<(&str, Vec<String>)> = vec![
        (
            "dangling_ref",
            vec!["list".into(), "--spec".into(), spec.display().to_string()],
        ),
        (
            "swagger_two",
            vec![
                "list".into(),
                "--spec".into(),
                swagger.display().to_string(),
            ],
        ),
        (
            "unknown_fixtures_key",
            vec![
                "list".into(),
                "--fixtures".into(),
                fixtures.display().to_string(),
            ],
        ),
        (
            "unknown_tag",
            vec!["list".into(), "--tag".into(), "Nope".into()],
        ),
        (
            "unreachable_target",
            vec!["run".into(), "--target".into(), "http://127.0.0.1:9".into()],
        ),
        (
            "not_a_url",
            vec!["run".into(), "--target".into(), "ftp://example".into()],
        ),
        (
            "fault_with_a_target",
            vec![
                "run".into(),
                "--fault".into(),
                "post-accepted".into(),
                "--target".into(),
                "http://127.0.0.1:9".into(),
            ],
        ),
        (
            "against_a_profile_without_snapshots",
            vec!["run".into(), "--against".into(), "jira-cloud".into()],
        ),
        (
            "no_case_selected",
            vec!["run".into(), "noSuchOperation::limits".into()],
        ),
    ];
    for (name, args) in cases {
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let (code, stderr) = error_of(&args);
        assert_eq!(code, Some(2), "{name}: {stderr}");
        assert!(!stderr.contains("panicked"), "{name}: {stderr}");
        let normalised = stderr.replace(
            &std::env::temp_dir()
                .join(format!("jc-bad-{}", std::process::id()))
                .display()
                .to_string(),
            "{tmp}",
        );
        insta::assert_snapshot!(name, normalised);
    }
}

#[test]
fn diff_of_two_embedded_mocks_exits_1_only_when_one_is_broken() {
    let same = bin()
        .args(["diff", "--api", "3", "--color", "never"])
        .output()
        .expect("runs");
    assert_eq!(same.status.code(), Some(0), "{}", text(&same));
    assert!(text(&same).contains("0 differ"), "{}", text(&same));
    let broken = bin()
        .args([
            "diff",
            "--api",
            "3",
            "--color",
            "never",
            "--fault-b",
            "admin-check-missing",
        ])
        .output()
        .expect("runs");
    let out = text(&broken);
    assert_eq!(broken.status.code(), Some(1), "{out}");
    assert!(out.contains("DIFFERS v3::user_properties::"), "{out}");
    assert!(!out.contains("mock-alice-token"), "{out}");
}

#[test]
fn validate_a_har_file_exits_1_on_a_discrepancy_and_2_on_bad_input() {
    let har = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/validate/session.har"
    );
    let out = bin()
        .args(["validate", "--har", har, "--color", "never"])
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));
    assert!(text(&out).contains("profile har"), "{}", text(&out));
    // With each departure declared known (with its evidence), the same recording passes;
    // entries are strict, so only the departing exchanges are named.
    let failed: Vec<String> = String::from_utf8_lossy(&out.stdout)
        .lines()
        .skip_while(|l| *l != "failed:")
        .skip(1)
        .map(|l| l.trim().to_string())
        .filter(|l| !l.is_empty())
        .collect();
    assert!(!failed.is_empty(), "{}", text(&out));
    let entries: String = failed
        .iter()
        .map(|id| {
            format!(
                "[[known_deviations]]\ncases = {id:?}\nreason = \"recorded on purpose\"\nevidence = \"tests/fixtures/validate/session.har\"\n"
            )
        })
        .collect();
    let known = scratch("known.toml", &entries);
    let out = bin()
        .args([
            "validate",
            "--har",
            har,
            "--color",
            "never",
            "--known-deviations",
        ])
        .arg(&known)
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    assert!(text(&out).contains(" known"), "{}", text(&out));
    let missing = bin()
        .args(["validate", "--har", "/nonexistent.har"])
        .output()
        .expect("runs");
    assert_eq!(missing.status.code(), Some(2), "{}", text(&missing));
    assert!(
        text(&missing).contains("/nonexistent.har"),
        "{}",
        text(&missing)
    );
}

#[test]
fn dry_run_sends_nothing_and_writes_need_consent_off_loopback() {
    // A host that does not resolve: a dry run must not even try it.
    let out = bin()
        .args(["run", "--dry-run", "--target", "https://jira.invalid"])
        .output()
        .expect("runs");
    let o = text(&out);
    assert_eq!(out.status.code(), Some(0), "{o}");
    assert!(o.contains("nothing was sent"), "{o}");
    assert!(
        o.contains("skipped: writes to a non-loopback target"),
        "{o}"
    );
    assert!(
        !o.lines()
            .any(|l| l.starts_with("PUT ") || l.starts_with("DELETE ")),
        "{o}"
    );
    assert!(
        o.lines()
            .any(|l| l.starts_with("GET https://jira.invalid/rest/api/")),
        "{o}"
    );

    let allowed = bin()
        .args([
            "run",
            "--dry-run",
            "--allow-writes",
            "--target",
            "https://jira.invalid",
        ])
        .output()
        .expect("runs");
    let a = text(&allowed);
    assert!(
        a.lines()
            .any(|l| l.starts_with("PUT https://jira.invalid/")),
        "{a}"
    );
    // With consent only the negative writes that would act on site data stay skipped.
    assert!(
        !a.contains("skipped: writes to a non-loopback target"),
        "{a}"
    );
    assert!(
        a.lines()
            .filter(|l| l.contains(" skipped: "))
            .all(|l| l.contains("a target that wrongly accepted this refused write")),
        "{a}"
    );
}

#[test]
fn read_only_runs_only_what_does_not_write() {
    let out = bin()
        .args(["run", "--read-only", "--snapshots", "off", "--api", "3"])
        .output()
        .expect("runs");
    let o = text(&out);
    assert_eq!(out.status.code(), Some(0), "{o}");
    assert!(
        o.contains("skipped: writes, and the run is --read-only"),
        "{o}"
    );
    assert!(o.contains(" 0 failed"), "{o}");
}

#[test]
fn list_coverage_prints_text_and_json_and_follows_the_selection() {
    let o = bin()
        .args(["list", "--coverage", "--why", "--tag", "Myself"])
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    let out = String::from_utf8_lossy(&o.stdout);
    assert!(
        out.contains("1 operations, 1 with at least one case (100.0%)"),
        "{out}"
    );
    assert!(
        out.contains("getCurrentUser GET /rest/api/3/myself"),
        "{out}"
    );
    assert!(out.contains("no limits"), "{out}");
    assert!(!out.contains("User properties"), "{out}");

    let o = bin()
        .args(["list", "--coverage", "--format", "json"])
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    let doc: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(doc["coverage"]["operations"], 48);

    let (code, message) = error_of(&["list", "--coverage", "--tag", "Nonsense"]);
    assert_eq!(code, Some(2));
    assert!(message.contains("Nonsense"), "{message}");
}

/// A plain static file server: `/` is a page, everything else an HTML 404.
fn static_file_server(requests: usize) -> String {
    tiny_server(requests, |head| {
        let (status, body) = if head.starts_with("GET / ") {
            (
                "200 OK",
                "<html><title>files</title><body>index</body></html>",
            )
        } else {
            (
                "404 File not found",
                "<html><body>404 not found</body></html>",
            )
        };
        format!(
            "HTTP/1.1 {status}\r\nContent-Type: text/html\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
            body.len()
        )
    })
}

#[test]
fn preflight_stops_a_run_with_one_clear_line_and_exit_2() {
    let mock = start_mock(&[]);
    let wrong_token = scratch(
        "preflight-token.toml",
        &std::fs::read_to_string("fixtures/mock.toml")
            .expect("fixtures")
            .replace("mock-bob-token", "not-bobs-token"),
    );
    let wrong_account = scratch(
        "preflight-account.toml",
        &std::fs::read_to_string("fixtures/mock.toml")
            .expect("fixtures")
            .replace("5b10ac8d82e05b22cc7d4ef5", "5b10ac8d82e05b22cc7d0000"),
    );
    let files = static_file_server(8);
    let dead = {
        // A port that was free a moment ago: nothing listens there.
        let l = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
        format!("http://{}", l.local_addr().expect("addr"))
    };
    let token = wrong_token.to_string_lossy().into_owned();
    let account = wrong_account.to_string_lossy().into_owned();
    let garbled = tiny_server(8, |_| {
        "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 2\r\nContent-Length: 7\r\nConnection: close\r\n\r\n{}".into()
    });
    let cases: [(&str, &str, &str, &str); 5] = [
        (&mock.url, &token, "principal bob: the target refused its credentials: GET /rest/api/2/myself answered 401", "wrong token"),
        (&mock.url, &account, "principal alice: the target says these credentials belong to account \"5b10ac8d82e05b22cc7d4ef5\", but principals.alice.account_id", "wrong account id"),
        (&files, "fixtures/mock.toml", "does not answer like Jira: GET /rest/api/2/myself answered 404, GET /rest/api/3/myself answered 404", "static file server"),
        (&dead, "fixtures/mock.toml", "refused the connection", "nothing listening"),
        (&garbled, "fixtures/mock.toml", "got an answer that is not valid HTTP", "two Content-Length headers"),
    ];
    for (target, fixtures, expected, what) in cases {
        let out = bin()
            .args([
                "run",
                "--target",
                target,
                "--fixtures",
                fixtures,
                "--snapshots",
                "off",
            ])
            .output()
            .expect("runs");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{what}: {}", text(&out));
        assert!(stderr.contains(expected), "{what}: {stderr}");
        assert_eq!(stderr.lines().count(), 1, "{what}: one line: {stderr}");
        assert!(out.stdout.is_empty(), "{what}: no case ran: {}", text(&out));
    }
    // --no-preflight sends the cases anyway: the wrong token fails bob's cases instead.
    let out = bin()
        .args([
            "run",
            "--target",
            &mock.url,
            "--fixtures",
            &token,
            "--snapshots",
            "off",
            "--no-preflight",
        ])
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));
}

#[test]
fn preflight_leaves_out_an_api_version_the_target_does_not_serve() {
    let mock = start_mock_with(&["--api", "3"]);
    let out = bin()
        .args([
            "run",
            "--target",
            &mock.url,
            "--fixtures",
            "fixtures/mock.toml",
            "--snapshots",
            "off",
        ])
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    let stdout = String::from_utf8_lossy(&out.stdout);
    let reason = "skipped: the target does not serve /rest/api/2 (preflight: GET /rest/api/2/myself answered 404); force it with --api 2";
    let line = stdout
        .lines()
        .find(|l| l.contains(reason))
        .unwrap_or_else(|| panic!("no left-out line in {stdout}"));
    // Every v2 case is left out (half of the suite), none of v3.
    let listed = bin().args(["list", "--api", "2"]).output().expect("lists");
    // Cases skipped for another reason keep it.
    let v2 = String::from_utf8_lossy(&listed.stdout)
        .lines()
        .filter(|l| l.starts_with("v2::") && !l.contains("(skipped: "))
        .count();
    assert!(v2 > 0);
    assert!(line.starts_with(&format!("{v2} skipped")), "{line}");
    assert!(
        totals(&out).contains("0 failed, 0 errors"),
        "{}",
        totals(&out)
    );
    // Forcing the version sends its cases, which then fail on the 404s.
    let forced = bin()
        .args([
            "run",
            "--target",
            &mock.url,
            "--fixtures",
            "fixtures/mock.toml",
            "--snapshots",
            "off",
            "--api",
            "2",
            "--family",
            "schema",
        ])
        .output()
        .expect("runs");
    assert_eq!(forced.status.code(), Some(1), "{}", text(&forced));
}

#[test]
fn fail_fast_and_max_fail_stop_starting_cases() {
    let run = |extra: &[&str]| {
        let out = bin()
            .args([
                "run",
                "--fault",
                "admin-check-missing",
                "--snapshots",
                "off",
                "--concurrency",
                "1",
            ])
            .args(extra)
            .output()
            .expect("runs");
        assert_eq!(out.status.code(), Some(1), "{}", text(&out));
        String::from_utf8_lossy(&out.stdout).into_owned()
    };
    // `854 cases: 416 passed, 4 failed, 0 errors, 434 skipped in 0.23 s …` → the number before `what`.
    let count = |stdout: &str, what: &str| -> usize {
        let line = stdout
            .lines()
            .rev()
            .find(|l| l.contains(" cases: "))
            .unwrap_or("");
        let line = line.split(" in ").next().unwrap_or("");
        let line = line.split(": ").nth(1).unwrap_or("");
        line.split(", ")
            .find_map(|part| {
                let (n, word) = part.split_once(' ')?;
                (word == what).then(|| n.parse().ok()).flatten()
            })
            .unwrap_or_else(|| panic!("no {what} count in {stdout}"))
    };
    let full = run(&[]);
    let fast = run(&["--fail-fast"]);
    let three = run(&["--max-fail", "3"]);
    let failed_full = count(&full, "failed");
    assert!(failed_full >= 4, "{full}");
    assert!(!full.contains("not run: the run stopped"), "{full}");
    // One worker judges each case before it takes the next: exactly the asked number fail.
    assert_eq!(count(&fast, "failed"), 1, "{fast}");
    assert!(
        fast.contains("not run: the run stopped once 1 cases had failed"),
        "{fast}"
    );
    assert!(count(&fast, "skipped") > count(&full, "skipped"), "{fast}");
    assert_eq!(count(&three, "failed"), 3, "{three}");
    assert!(
        count(&three, "skipped") > count(&full, "skipped"),
        "{three}"
    );
}

#[test]
fn twenty_verify_runs_against_one_long_lived_mock_never_drift() {
    // Each run creates roles the mock keeps, with ids that soon equal the ids of the world's
    // dashboard items and projects: only redaction by context keeps the snapshots stable.
    let mock = start_mock(&[]);
    for round in 1..=20 {
        let out = bin()
            .args([
                "run",
                "--target",
                &mock.url,
                "--fixtures",
                "fixtures/mock.toml",
            ])
            .output()
            .expect("runs");
        assert_eq!(out.status.code(), Some(0), "round {round}: {}", text(&out));
        assert!(
            totals(&out).contains("0 failed"),
            "round {round}: {}",
            totals(&out)
        );
    }
}

#[test]
fn report_merge_of_the_shards_gives_the_unpartitioned_run() {
    let dir = scratch("merge-marker", "").with_file_name("merge");
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("dir");
    let json = |name: &str| dir.join(name).to_string_lossy().into_owned();
    let run = |extra: &[&str], out: &str| {
        let o = bin()
            .args(["run", "--fault", "put-always-200", "--snapshots", "off"])
            .args(extra)
            .arg(format!("--report=json={}", json(out)))
            .output()
            .expect("runs");
        assert_eq!(o.status.code(), Some(1), "{}", text(&o));
    };
    run(&[], "all.json");
    for k in 1..=3 {
        run(
            &["--partition", &format!("hash:{k}/3")],
            &format!("s{k}.json"),
        );
    }
    let merged = bin()
        .args([
            "report",
            "merge",
            &json("s2.json"),
            &json("s1.json"),
            &json("s3.json"),
        ])
        .arg(format!("--report=json={}", json("merged.json")))
        .output()
        .expect("merges");
    assert_eq!(
        merged.status.code(),
        Some(1),
        "the run failed: {}",
        text(&merged)
    );
    let read = |name: &str| -> serde_json::Value {
        serde_json::from_str(&std::fs::read_to_string(dir.join(name)).expect("written"))
            .expect("JSON")
    };
    // What a verdict says, without what differs between two runs (times, ports, run ids).
    let essence = |doc: &serde_json::Value| -> Vec<String> {
        doc["verdicts"]
            .as_array()
            .expect("verdicts")
            .iter()
            .map(|v| {
                let kinds: Vec<String> = v["failures"]
                    .as_array()
                    .expect("failures")
                    .iter()
                    .map(|f| f["kind"].to_string())
                    .collect();
                format!("{} {} {}", v["case_id"], v["outcome"], kinds.join(","))
            })
            .collect()
    };
    let (all, merged_doc) = (read("all.json"), read("merged.json"));
    assert_eq!(all["totals"], merged_doc["totals"]);
    assert_eq!(essence(&all), essence(&merged_doc));
    assert!(all["totals"]["fail"].as_u64().unwrap_or(0) > 0);

    let refused = |files: &[&str], expected: &str| {
        let paths: Vec<String> = files.iter().map(|f| json(f)).collect();
        let o = bin()
            .args(["report", "merge"])
            .args(&paths)
            .output()
            .expect("runs");
        assert_eq!(o.status.code(), Some(2), "{}", text(&o));
        let stderr = String::from_utf8_lossy(&o.stderr);
        assert!(stderr.contains(expected), "{stderr}");
    };
    refused(
        &["s1.json", "s3.json"],
        "shards missing from a run of 3: 2/3",
    );
    refused(
        &["s1.json", "s2.json", "s1.json", "s3.json"],
        "shard 1/3 is given twice",
    );
    refused(
        &["all.json", "s1.json"],
        "all.json ran every case (no --partition)",
    );
}

#[test]
fn diff_names_the_level_of_each_disagreement_and_writes_reports() {
    let dir = scratch("diff-marker", "").with_file_name("diff-reports");
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("dir");
    let report = dir.join("b.json");
    // `active` as a string changes the shape of /myself, not its status.
    let diff = |level: &str| {
        bin()
            .args([
                "diff",
                "--fault-b",
                "myself-active-as-string",
                "--compare",
                level,
            ])
            .arg(format!("--report=json={}", report.display()))
            .output()
            .expect("runs")
    };
    let status = diff("status");
    assert_eq!(status.status.code(), Some(0), "{}", text(&status));
    assert!(
        text(&status).contains("at the status level: "),
        "{}",
        text(&status)
    );
    let shape = diff("shape");
    assert_eq!(shape.status.code(), Some(1), "{}", text(&shape));
    let out = text(&shape);
    let differing: Vec<&str> = out.lines().filter(|l| l.starts_with("DIFFERS ")).collect();
    assert!(!differing.is_empty(), "{out}");
    for line in &differing {
        assert!(
            line.contains("getCurrentUser") && line.ends_with("(at the shape level)"),
            "{line}"
        );
    }
    // The report is target B's run, its drift against target A's answers.
    let doc: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&report).expect("written")).expect("JSON");
    let drifted = doc["verdicts"]
        .as_array()
        .expect("verdicts")
        .iter()
        .filter(|v| {
            v["failures"]
                .as_array()
                .is_some_and(|f| f.iter().any(|f| f["kind"] == "snapshot_drift"))
        })
        .count();
    assert_eq!(drifted, differing.len());
}

/// The conformance harness (`tests/conformance.rs`) as cargo built it, next to this test.
fn conformance_harness() -> PathBuf {
    let deps = std::env::current_exe()
        .expect("this test's path")
        .parent()
        .expect("deps folder")
        .to_path_buf();
    std::fs::read_dir(&deps)
        .expect("readable deps")
        .flatten()
        .map(|e| e.path())
        .filter(|p| {
            let name = p.file_name().and_then(|n| n.to_str()).unwrap_or("");
            name.starts_with("conformance-") && p.extension().is_none()
        })
        .max_by_key(|p| std::fs::metadata(p).and_then(|m| m.modified()).ok())
        .expect("cargo test builds the conformance harness with this test")
}

#[test]
fn run_list_skip_and_exact_select_what_libtest_selects() {
    let harness = conformance_harness();
    let selections: [&[&str]; 4] = [
        &["--skip", "limits"],
        &["setUserProperty", "--skip", "v2::"],
        &[
            "--exact",
            "v3::user_properties::setUserProperty::limits::value_32769_bytes",
        ],
        // No filter, one id skipped exactly (libtest takes a single filter).
        &[
            "--exact",
            "--skip",
            "v3::myself::getCurrentUser::schema::body_200",
        ],
    ];
    for args in selections {
        let ours = bin()
            .args(["run", "--list"])
            .args(args)
            .output()
            .expect("lists");
        assert_eq!(ours.status.code(), Some(0), "{args:?}: {}", text(&ours));
        let theirs = Command::new(&harness)
            .current_dir(env!("CARGO_MANIFEST_DIR"))
            .arg("--list")
            .args(args)
            .output()
            .expect("the harness lists");
        let lines = |o: &Output| -> Vec<String> {
            let mut l: Vec<String> = String::from_utf8_lossy(&o.stdout)
                .lines()
                .filter(|l| l.ends_with(": test"))
                // The harness prefixes each trial with its family, `[limits] `.
                .map(|l| match l.strip_prefix('[') {
                    Some(rest) => rest
                        .split_once("] ")
                        .map_or(l, |(_, name)| name)
                        .to_string(),
                    None => l.to_string(),
                })
                .collect();
            l.sort();
            l
        };
        let (ours, theirs) = (lines(&ours), lines(&theirs));
        assert!(!theirs.is_empty(), "{args:?}: the harness listed nothing");
        let only_ours: Vec<&String> = ours
            .iter()
            .filter(|l| !theirs.contains(l))
            .take(5)
            .collect();
        let only_theirs: Vec<&String> = theirs
            .iter()
            .filter(|l| !ours.contains(l))
            .take(5)
            .collect();
        assert!(
            ours == theirs,
            "{args:?}: {} vs {} listed; only ours: {only_ours:?}; only the harness: {only_theirs:?}",
            ours.len(),
            theirs.len()
        );
    }
}

#[test]
fn the_ci_recipe_runs_against_the_reference_mock() {
    let recipe = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/docs/ci.md"))
        .expect("docs/ci.md");
    let commands: Vec<&str> = recipe
        .lines()
        .map(str::trim)
        .filter(|l| l.starts_with("jira-conform "))
        .collect();
    assert!(commands.len() >= 3, "{commands:?}");
    let dir = scratch("ci-marker", "").with_file_name("ci");
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(dir.join("ci")).expect("dir");
    // The real-site job's site is a standalone reference mock; its fixtures, the mock's.
    std::fs::copy(
        concat!(env!("CARGO_MANIFEST_DIR"), "/fixtures/mock.toml"),
        dir.join("ci/site.toml"),
    )
    .expect("fixtures");
    let site = start_mock(&[]);
    let bin_dir = PathBuf::from(env!("CARGO_BIN_EXE_jira-conform"))
        .parent()
        .expect("bin dir")
        .to_path_buf();
    let path = format!(
        "{}:{}",
        bin_dir.display(),
        std::env::var("PATH").unwrap_or_default()
    );
    for command in commands {
        let shards: Vec<String> = if command.contains("${{ matrix.shard }}") {
            (1..=3)
                .map(|k| command.replace("${{ matrix.shard }}", &k.to_string()))
                .collect()
        } else {
            vec![command.to_string()]
        };
        for line in shards {
            let out = Command::new("sh")
                .arg("-c")
                .arg(&line)
                .current_dir(&dir)
                .env("PATH", &path)
                .env("NO_COLOR", "1")
                .env("JIRA_BASE_URL", &site.url)
                .output()
                .expect("sh runs");
            assert_eq!(out.status.code(), Some(0), "{line}: {}", text(&out));
        }
    }
    for file in ["conformance.html", "junit.xml", "site.json", "site.html"] {
        assert!(dir.join(file).is_file(), "{file} was not written");
    }
}

#[test]
fn mock_prints_its_principals_and_writes_fixtures_that_run_against_it() {
    let file = scratch("mock-out-marker", "").with_file_name("mock-out.toml");
    let file_arg = file.to_string_lossy().into_owned();
    let mock = start_mock_with(&["--fixtures-out", &file_arg]);
    let written = std::fs::read_to_string(&file).expect("the mock wrote its fixtures");
    assert!(
        written.contains(&format!("base_url = \"{}\"", mock.url)),
        "{written}"
    );
    let out = bin()
        .args(["run", "--fixtures", &file_arg, "--snapshots", "off"])
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    assert!(totals(&out).contains("0 failed"), "{}", totals(&out));
    assert!(
        String::from_utf8_lossy(&out.stdout).contains(&mock.url),
        "the run went to the mock"
    );
}

#[test]
fn a_printed_reproduction_replays_against_a_mock_with_the_same_fault() {
    let dir = scratch("replay-marker", "").with_file_name("replay");
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("dir");
    let report = dir.join("run.json");
    let out = bin()
        .args([
            "run",
            "--fault",
            "post-accepted",
            "--snapshots",
            "off",
            "--family",
            "methods",
        ])
        .arg(format!("--report=json={}", report.display()))
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));
    let doc: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&report).expect("written")).expect("JSON");
    let failing = doc["verdicts"]
        .as_array()
        .expect("verdicts")
        .iter()
        .find(|v| v["outcome"] == "fail" && v["reproduce"].is_string())
        .expect("a failing case with a reproduction");
    let command = failing["reproduce"].as_str().expect("string");
    assert!(command.contains("\"$JIRA_BASE\"'/rest/api/"), "{command}");
    let step = failing["failures"][0]["step"].as_u64().expect("step") as usize;
    let exchange = &failing["exchanges"]
        .as_array()
        .expect("exchanges")
        .iter()
        .find(|e| e["step"].as_u64() == Some(step as u64))
        .expect("the failing step's exchange")["response"];
    let recorded = exchange["received"]["status"]
        .as_u64()
        .or(exchange["status"].as_u64())
        .expect("the recorded status");

    let mock = start_mock(&["post-accepted"]);
    let replay = Command::new("sh")
        .arg("-c")
        .arg(command)
        .env("JIRA_BASE", &mock.url)
        .env("JIRA_TOKEN_ADMIN", "mock-admin-token")
        .env("JIRA_TOKEN_ALICE", "mock-alice-token")
        .env("JIRA_TOKEN_BOB", "mock-bob-token")
        .output()
        .expect("sh runs curl (curl must be installed: .ci/run installs it)");
    assert_eq!(
        replay.status.code(),
        Some(0),
        "{command}: {}",
        text(&replay)
    );
    let head = String::from_utf8_lossy(&replay.stdout);
    let status: u64 = head
        .lines()
        .next()
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| panic!("no status line in {head}"));
    assert_eq!(status, recorded, "{} replayed: {head}", failing["case_id"]);
}

/// Without `-v` a faulty target reads as its root cause: the case ids under it and one curl
/// command, no per-case block.
#[test]
fn without_verbose_a_faulty_mock_reads_as_its_root_cause() {
    let mock = start_mock(&["post-accepted"]);
    let out = bin()
        .args([
            "run",
            "--snapshots",
            "off",
            "--target",
            &mock.url,
            "--family",
            "methods",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));
    let t = text(&out);
    assert!(!t.lines().any(|l| l.starts_with("FAIL ")), "{t}");
    assert!(t.starts_with("fidelity "), "{t}");
    assert!(t.contains("root causes: 1 behind "), "{t}");
    assert!(
        t.contains("method accepted that should be refused: expected 405, got "),
        "{t}"
    );
    assert!(t.contains("post_refused"), "{t}");
    assert!(t.contains("    reproduce: curl"), "{t}");
}

/// A mock serving only the user-property operations: each other operation is one `NOT SERVED`
/// line (and fails the run: the documentation has it), and the user-property cases pass.
#[test]
fn a_partial_mock_reads_as_operations_not_served() {
    let mock = start_mock(&["only-user-properties"]);
    // The preflight asks /myself, which this mock does not serve either.
    let out = bin()
        .args([
            "run",
            "--snapshots",
            "off",
            "--no-preflight",
            "--target",
            &mock.url,
        ])
        .output()
        .unwrap();
    let t = text(&out);
    assert_eq!(out.status.code(), Some(1), "{t}");
    let not_served: Vec<&str> = t
        .lines()
        .filter(|l| l.trim_start().starts_with("NOT SERVED "))
        .collect();
    assert!(not_served.len() > 10, "{t}");
    assert!(
        not_served
            .iter()
            .all(|l| !l.contains("::user_properties::")),
        "{t}"
    );
    assert!(!t.contains("root causes"), "{t}");
    // Every judged case agrees: the served operations are faithful.
    assert!(
        t.lines()
            .any(|l| l.starts_with("total") && l.contains("100%")),
        "{t}"
    );
    assert!(t.contains(" not served in "), "{t}");
    assert!(t.contains(" 0 failed, "), "{t}");
    // Restricted to the operations it serves, the partial mock passes.
    let served = bin()
        .args([
            "run",
            "--snapshots",
            "off",
            "--no-preflight",
            "--target",
            &mock.url,
            "::user_properties::",
        ])
        .output()
        .unwrap();
    assert_eq!(served.status.code(), Some(0), "{}", text(&served));
}

/// The terminal text with what changes from run to run (time, port, run prefix) replaced.
fn stable(text: &str) -> String {
    let time = regex::Regex::new(r" in \d+\.\d+ s against http://127\.0\.0\.1:\d+").expect("re");
    let run = regex::Regex::new(r"\bj[0-9a-z]{3}[0-9a-z]{4}\b").expect("re");
    let text = time.replace_all(text, " in {time} against {mock}");
    run.replace_all(&text, "{run}").into_owned()
}

#[test]
fn a_passing_run_is_its_totals_and_a_failing_one_ends_with_the_failed_ids() {
    let passing = bin()
        .args(["run", "--family", "schema"])
        .output()
        .expect("runs");
    assert_eq!(passing.status.code(), Some(0), "{}", text(&passing));
    insta::assert_snapshot!(
        "passing_run",
        stable(&String::from_utf8_lossy(&passing.stdout))
    );
    let failing = bin()
        .args([
            "run",
            "--family",
            "methods",
            "--fault",
            "post-accepted",
            "--snapshots",
            "off",
        ])
        .output()
        .expect("runs");
    assert_eq!(failing.status.code(), Some(1), "{}", text(&failing));
    let out = stable(&String::from_utf8_lossy(&failing.stdout));
    assert!(
        out.trim_end()
            .lines()
            .last()
            .is_some_and(|l| l.starts_with("    v3::")),
        "{out}"
    );
    insta::assert_snapshot!("failing_run", out);
    let help = bin().args(["run", "--help"]).output().expect("help");
    assert_eq!(help.status.code(), Some(0));
    insta::assert_snapshot!("run_help", String::from_utf8_lossy(&help.stdout));
}

#[test]
fn a_json_report_on_stdout_is_valid_and_the_summary_moves_to_stderr() {
    let out = bin()
        .args(["run", "--family", "limits", "--report", "json=-"])
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    let document: serde_json::Value =
        serde_json::from_slice(&out.stdout).expect("stdout is the JSON report alone");
    let schema: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/docs/report.schema.json"
        ))
        .expect("schema"),
    )
    .expect("schema JSON");
    let validator = jsonschema::validator_for(&schema).expect("the schema compiles");
    let errors: Vec<String> = validator
        .iter_errors(&document)
        .take(5)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .collect();
    assert!(errors.is_empty(), "{errors:#?}");
    assert_eq!(document["verdicts"][0]["api"], "v2");
    assert!(
        String::from_utf8_lossy(&out.stderr).contains(" cases: "),
        "{}",
        text(&out)
    );
    // And `python3 -m json.tool` reads it, as the README shows.
    let mut tool = Command::new("python3")
        .args(["-m", "json.tool"])
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .spawn()
        .expect("python3 runs");
    use std::io::Write as _;
    tool.stdin
        .take()
        .expect("stdin")
        .write_all(&out.stdout)
        .expect("piped");
    assert!(tool.wait().expect("ends").success());
}

/// The writing end of a pipe whose reading end is already closed: every write to it fails
/// (EPIPE), as a `| head -1` that has stopped reading does to a command's stdout.
#[cfg(unix)]
fn closed_pipe() -> std::os::fd::OwnedFd {
    use std::os::fd::{FromRawFd, OwnedFd};
    let mut fds = [0; 2];
    // SAFETY: `fds` has room for the two descriptors pipe(2) writes.
    assert_eq!(unsafe { libc::pipe(fds.as_mut_ptr()) }, 0, "a pipe");
    // SAFETY: both descriptors were just opened by pipe(2) and are owned here alone.
    let (reading, writing) =
        unsafe { (OwnedFd::from_raw_fd(fds[0]), OwnedFd::from_raw_fd(fds[1])) };
    drop(reading);
    writing
}

/// `list` and `list --coverage` into a closed pipe end quietly: exit 0, nothing on stderr
/// (their output is buffered now, so the failed write comes at the flush).
#[cfg(unix)]
#[test]
fn list_into_a_closed_pipe_ends_quietly() {
    for args in [
        &["list"][..],
        &["list", "--coverage"],
        &["list", "--format", "json"],
    ] {
        let output = bin()
            .args(args)
            .stdout(Stdio::from(closed_pipe()))
            .output()
            .expect("list runs");
        assert_eq!(
            output.status.code(),
            Some(0),
            "{args:?}: {}",
            String::from_utf8_lossy(&output.stderr)
        );
        assert_eq!(String::from_utf8_lossy(&output.stderr), "", "{args:?}");
    }
}

/// A mock whose stdout is closed before it writes its greeting (a harness that stopped reading
/// after the URL, `| head -1`) still serves: the greeting's failed write is not a panic.
#[cfg(unix)]
#[test]
fn the_mock_keeps_serving_when_its_stdout_is_closed() {
    use std::io::{Read, Write};
    use std::net::{TcpListener, TcpStream};
    use std::time::{Duration, Instant};

    let writing = closed_pipe();
    // A free loopback port for the mock (the greeting that would name it cannot be read).
    let port = TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("a free port")
        .port();
    let mut command = bin();
    command
        .args(["mock", "--port", &port.to_string()])
        .stdout(Stdio::from(writing))
        .stderr(Stdio::piped());
    let mut mock = command.spawn().expect("the mock starts");
    let deadline = Instant::now() + Duration::from_secs(20);
    let answer = loop {
        if let Some(status) = mock.try_wait().expect("the mock's status") {
            let mut stderr = String::new();
            let _ = mock
                .stderr
                .take()
                .map(|mut e| e.read_to_string(&mut stderr));
            panic!("the mock stopped ({status}): {stderr}");
        }
        if let Ok(mut stream) = TcpStream::connect(("127.0.0.1", port)) {
            stream
                .write_all(
                    b"GET /rest/api/3/serverInfo HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
                )
                .expect("the request is sent");
            let mut answer = String::new();
            let _ = stream.read_to_string(&mut answer);
            break answer;
        }
        assert!(
            Instant::now() < deadline,
            "the mock never listened on {port}"
        );
        // Polling for the listener: nothing on stdout can say when it is up.
        std::thread::sleep(Duration::from_millis(20));
    };
    let _ = mock.kill();
    let _ = mock.wait();
    assert!(answer.starts_with("HTTP/1.1 "), "{answer}");
}
