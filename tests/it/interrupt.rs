//! Cleanup guarantees: a real run in a real child process is interrupted with a real SIGINT
//! mid-way; it undoes what its unfinished cases created (from the journal) and nothing it
//! created is left on the target. `cleanup --journal` sends what a journal still holds.

#![cfg(unix)]

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use base64::Engine;

use crate::support::child::{self, MockChild};
use crate::support::leftovers::{self, get, ADMIN};

fn bin() -> Command {
    child::bin_in(env!("CARGO_MANIFEST_DIR"))
}

/// `jira-conform mock --port 0`, killed on drop.
fn start_mock() -> MockChild {
    let mut command = bin();
    command.args(["mock", "--port", "0"]);
    MockChild::spawn(command)
}

fn temp(name: &str) -> PathBuf {
    child::temp_in("interrupt", name)
}

/// Every run-prefixed key or role on the target (`j` + 7 characters + `.`).
async fn leftovers(base: &str) -> Vec<String> {
    let fixtures = jira_conform::fixtures::Fixtures::embedded().expect("fixtures");
    let mut found = leftovers::run_prefixed(base, &fixtures).await;
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
