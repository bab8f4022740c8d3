//! Cleanup guarantees: a real run in a real child process is interrupted with a real SIGINT
//! mid-way; it undoes what its unfinished cases created (from the journal) and nothing it
//! created is left on the target. `cleanup --journal` sends what a journal still holds.

#![cfg(unix)]

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use base64::Engine;
use serde_json::Value;

const ADMIN: (&str, &str) = ("admin@example.test", "mock-admin-token");

fn bin() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_jira-conform"));
    c.current_dir(env!("CARGO_MANIFEST_DIR"))
        .env("NO_COLOR", "1");
    c
}

/// `jira-conform mock --port 0`, killed on drop.
struct Mock {
    child: Child,
    url: String,
    _out: BufReader<std::process::ChildStdout>,
}

impl Drop for Mock {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn start_mock() -> Mock {
    let mut child = bin()
        .args(["mock", "--port", "0"])
        .stdout(Stdio::piped())
        .spawn()
        .expect("mock starts");
    let mut out = BufReader::new(child.stdout.take().expect("stdout"));
    let mut line = String::new();
    out.read_line(&mut line).expect("a line");
    let url = line
        .split_whitespace()
        .find(|w| w.starts_with("http://127.0.0.1:"))
        .expect("the mock prints its URL")
        .to_string();
    Mock {
        child,
        url,
        _out: out,
    }
}

fn temp(name: &str) -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR"))
        .join("interrupt")
        .join(name);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("temp dir");
    dir
}

async fn get(url: &str) -> Value {
    let auth = base64::engine::general_purpose::STANDARD.encode(format!("{}:{}", ADMIN.0, ADMIN.1));
    reqwest::Client::new()
        .get(url)
        .header("Authorization", format!("Basic {auth}"))
        .send()
        .await
        .expect("answers")
        .json()
        .await
        .expect("JSON")
}

/// Every run-prefixed key or role on the target (`j` + 7 characters + `.`).
async fn leftovers(base: &str) -> Vec<String> {
    let run_key = regex::Regex::new(r"^j[0-9a-z]{7}\.").expect("regex");
    let fixtures = jira_conform::fixtures::Fixtures::embedded().expect("fixtures");
    let mut found = Vec::new();
    for p in &fixtures.principals {
        let keys = get(&format!(
            "{base}/rest/api/3/user/properties?accountId={}",
            p.account_id
        ))
        .await;
        for k in keys["keys"].as_array().into_iter().flatten() {
            if let Some(key) = k["key"].as_str().filter(|k| run_key.is_match(k)) {
                found.push(format!("user {}: {key}", p.name));
            }
        }
    }
    for d in &fixtures.world.dashboards {
        for item in &d.items {
            let keys = get(&format!(
                "{base}/rest/api/3/dashboard/{}/items/{item}/properties",
                d.id
            ))
            .await;
            for k in keys["keys"].as_array().into_iter().flatten() {
                if let Some(key) = k["key"].as_str().filter(|k| run_key.is_match(k)) {
                    found.push(format!("dashboard {} item {item}: {key}", d.id));
                }
            }
        }
    }
    let roles = get(&format!("{base}/rest/api/3/role")).await;
    for r in roles.as_array().into_iter().flatten() {
        if let Some(name) = r["name"].as_str().filter(|n| run_key.is_match(n.trim())) {
            found.push(format!("role {name}"));
        }
    }
    for w in fixtures
        .world
        .worklogs
        .iter()
        .filter(|w| w.issue == "CONF-3")
    {
        let got = get(&format!(
            "{base}/rest/api/3/issue/{}/worklog/{}",
            w.issue, w.id
        ))
        .await;
        if got["timeSpentSeconds"] != serde_json::json!(w.time_spent_seconds) {
            found.push(format!(
                "worklog {} changed: {}",
                w.id, got["timeSpentSeconds"]
            ));
        }
    }
    found
}

fn pending_lines(journal: &Path) -> usize {
    std::fs::read_to_string(journal)
        .map(|t| t.lines().filter(|l| l.contains("\"pending\"")).count())
        .unwrap_or(0)
}

#[test]
fn a_run_interrupted_by_sigint_leaves_nothing_on_the_target() {
    let mock = start_mock();
    let dir = temp("sigint");
    let journal = dir.join("journal.jsonl");
    // Slowed down so the signal lands mid-way, with writing cases in flight.
    let mut run = bin()
        .args([
            "run",
            "--snapshots",
            "off",
            "--rps",
            "150",
            "--concurrency",
            "8",
            "--target",
        ])
        .arg(&mock.url)
        .arg("--journal")
        .arg(&journal)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run starts");
    let started = Instant::now();
    while pending_lines(&journal) < 10 {
        assert!(
            started.elapsed() < Duration::from_secs(30),
            "the run wrote no journal"
        );
        assert!(
            run.try_wait().expect("alive?").is_none(),
            "the run ended before the signal"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
    let kill = Command::new("kill")
        .args(["-INT", &run.id().to_string()])
        .status()
        .expect("kill runs");
    assert!(kill.success());
    let out = run.wait_with_output().expect("the run ends");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(130), "{stderr}");
    assert!(
        stderr.contains("interrupted (SIGINT): cleaned up"),
        "{stderr}"
    );

    let runtime = tokio::runtime::Runtime::new().expect("runtime");
    let left = runtime.block_on(leftovers(&mock.url));
    assert_eq!(left, Vec::<String>::new(), "left on the target; {stderr}");
    assert!(
        !journal.exists() || pending_lines(&journal) == 0 || {
            // Whatever the journal still holds, `cleanup` must be able to finish.
            let c = bin()
                .args(["cleanup", "--journal"])
                .arg(&journal)
                .args(["--target", &mock.url])
                .output()
                .expect("cleanup runs");
            c.status.success()
        }
    );
}

#[test]
fn cleanup_sends_what_a_journal_still_holds() {
    let mock = start_mock();
    let dir = temp("cleanup");
    let journal = dir.join("journal.jsonl");
    let fixtures = jira_conform::fixtures::Fixtures::embedded().expect("fixtures");
    let alice = fixtures
        .principal("alice")
        .expect("alice")
        .account_id
        .clone();
    let key = "jzz00001.left-behind";
    let runtime = tokio::runtime::Runtime::new().expect("runtime");
    runtime.block_on(async {
        let auth =
            base64::engine::general_purpose::STANDARD.encode(format!("{}:{}", ADMIN.0, ADMIN.1));
        let put = reqwest::Client::new()
            .put(format!(
                "{}/rest/api/3/user/properties/{key}?accountId={alice}",
                mock.url
            ))
            .header("Authorization", format!("Basic {auth}"))
            .header("Content-Type", "application/json")
            .body("1")
            .send()
            .await
            .expect("answers");
        assert_eq!(put.status().as_u16(), 201);
    });
    let j = jira_conform::run::journal::Journal::open(&journal).expect("journal");
    j.append(&jira_conform::run::journal::Entry::Pending {
        case: "v3::user_properties::setUserProperty::methods::documented_put".into(),
        run: "jzz00001".into(),
        cleanup: vec![jira_conform::case::Request {
            method: "DELETE".into(),
            path: format!("/rest/api/3/user/properties/{key}"),
            query: vec![("accountId".into(), alice)],
            actor: jira_conform::case::Actor::Principal("admin".into()),
            body: jira_conform::case::Body::None,
        }],
        sweeps: Vec::new(),
    })
    .expect("append");
    drop(j);
    assert_eq!(
        runtime.block_on(leftovers(&mock.url)),
        vec![format!("user alice: {key}")]
    );

    let out = bin()
        .args(["cleanup", "--journal"])
        .arg(&journal)
        .args(["--target", &mock.url])
        .output()
        .expect("cleanup runs");
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{text}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        text.contains("cleaned up 1 unfinished cases; nothing is left"),
        "{text}"
    );
    assert_eq!(runtime.block_on(leftovers(&mock.url)), Vec::<String>::new());
    assert!(!journal.exists(), "an emptied journal is removed");
}
