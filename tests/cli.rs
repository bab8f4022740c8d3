//! The command line end to end, as a user runs it: a separately started mock as the target,
//! seeded faults, bad input, and secrets kept out of every output.

use std::io::{BufRead, BufReader};
use std::path::PathBuf;
use std::process::{Child, Command, Output, Stdio};

fn bin() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_jira-conform"));
    c.current_dir(env!("CARGO_MANIFEST_DIR"))
        .env("NO_COLOR", "1")
        .env_remove("JIRA_ADMIN_TOKEN");
    c
}

/// A `jira-conform mock --port 0` child and the URL it printed; killed on drop.
struct MockChild {
    child: Child,
    url: String,
    // Kept open so the child's later writes never hit a closed pipe.
    _stdout: BufReader<std::process::ChildStdout>,
}

impl MockChild {
    fn start(faults: &[&str]) -> MockChild {
        let mut cmd = bin();
        cmd.args(["mock", "--port", "0"]);
        for f in faults {
            cmd.args(["--fault", f]);
        }
        let mut child = cmd
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("mock starts");
        let stdout = child.stdout.take().expect("stdout piped");
        let mut line = String::new();
        let mut reader = BufReader::new(stdout);
        reader
            .read_line(&mut line)
            .expect("the mock prints its URL");
        let url = line
            .split_whitespace()
            .find(|w| w.starts_with("http://127.0.0.1:"))
            .unwrap_or_else(|| panic!("no URL in {line:?}"))
            .to_string();
        MockChild {
            child,
            url,
            _stdout: reader,
        }
    }
}

impl Drop for MockChild {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn text(o: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    )
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
    let mock = MockChild::start(&[]);
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
    let mock = MockChild::start(&["post-accepted"]);
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
    assert!(a.contains("(0 cases skipped)"), "{a}");
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
    assert_eq!(doc["coverage"]["operations"], 32);

    let (code, message) = error_of(&["list", "--coverage", "--tag", "Nonsense"]);
    assert_eq!(code, Some(2));
    assert!(message.contains("Nonsense"), "{message}");
}
