//! `jira-conform init`: the fixtures it discovers from the reference mock (plain and with every
//! id shifted) describe the mock's world, by content, and every case passes on them; it sends
//! GET requests only; and a refused token, an unreachable target and a target that is not Jira
//! each stop it with one line and exit code 2.

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::sync::{Arc, Mutex};

use jira_conform::fixtures::{Fixtures, World, EMBEDDED_MOCK_FIXTURES};
use jira_conform::init::{discover, render, Discovery, InitOptions, PrincipalSpec, Progress};
use jira_conform::mock::{MockServer, MockState};

use crate::support::child::{self, text, MockChild};

/// The token variables the tests use, with the embedded mock's tokens.
const TOKENS: [(&str, &str); 3] = [
    ("INIT_TEST_ADMIN_TOKEN", "mock-admin-token"),
    ("INIT_TEST_ALICE_TOKEN", "mock-alice-token"),
    ("INIT_TEST_BOB_TOKEN", "mock-bob-token"),
];

/// The mock's three principals as `--principal` gives them.
const PRINCIPALS: [&str; 3] = [
    "admin=admin@example.test:INIT_TEST_ADMIN_TOKEN",
    "alice=alice@example.test:INIT_TEST_ALICE_TOKEN",
    "bob=bob@example.test:INIT_TEST_BOB_TOKEN",
];

fn env(name: &str) -> Option<String> {
    TOKENS
        .iter()
        .find(|(n, _)| *n == name)
        .map(|(_, v)| v.to_string())
}

fn bin() -> Command {
    let mut c = child::bin_in(env!("CARGO_MANIFEST_DIR"));
    for (name, value) in TOKENS {
        c.env(name, value);
    }
    c
}

fn temp(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("jira-conform-init-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("temp dir");
    dir
}

/// A mock child serving the embedded fixtures, or `fixtures`.
fn start_mock(fixtures: Option<&Path>) -> MockChild {
    let mut cmd = bin();
    cmd.args(["mock", "--port", "0"]);
    if let Some(f) = fixtures {
        cmd.arg("--fixtures").arg(f);
    }
    cmd.stderr(Stdio::null());
    MockChild::spawn(cmd)
}

/// The embedded world as another site would number it: every account id and every entity id
/// different (ids shifted by 50000), names and keys the same.
fn shifted_site(dir: &Path) -> PathBuf {
    let mut text = EMBEDDED_MOCK_FIXTURES.replace("profile = \"mock\"", "profile = \"shifted\"");
    for (n, old) in [
        "5b10a2844c20165700ede210",
        "5b10ac8d82e05b22cc7d4ef5",
        "5b109f2e9729b51b54dc274d",
    ]
    .iter()
    .enumerate()
    {
        assert!(text.contains(old), "{old} is not an account id of the mock");
        text = text.replace(
            old,
            &format!("712020:00000000-1111-2222-3333-00000000000{n}"),
        );
    }
    let ids = regex::Regex::new(r#"(id = |items = \[)"(\d+)""#).expect("regex");
    let shifted = ids.replace_all(&text, |c: &regex::Captures<'_>| {
        let n: u64 = c[2].parse().expect("numeric id");
        format!("{}\"{}\"", &c[1], n + 50000)
    });
    assert_ne!(shifted, text, "no id was shifted");
    let path = dir.join("shifted.toml");
    std::fs::write(&path, shifted.as_ref()).expect("write fixtures");
    path
}

fn init_cli(url: &str, out: &Path, extra: &[&str]) -> Output {
    let mut cmd = bin();
    cmd.args(["init", "--target", url, "--out"])
        .arg(out)
        .args(extra);
    for p in PRINCIPALS {
        cmd.args(["--principal", p]);
    }
    cmd.output().expect("init runs")
}

/// `run` on `fixtures`, its cleanup journal beside them (never in the repository).
fn run_cli(url: &str, fixtures: &Path, snapshots: &[&str]) -> Output {
    let journal = fixtures.with_extension("journal.jsonl");
    bin()
        .args(["run", "--target", url, "--fixtures"])
        .arg(fixtures)
        .arg("--journal")
        .arg(&journal)
        .args(snapshots)
        .output()
        .expect("run runs")
}

/// The summary line of a run that passed every case it ran, having run enough of them.
fn passed_everything(run: &Output) {
    assert_eq!(run.status.code(), Some(0), "{}", text(run));
    let stdout = String::from_utf8_lossy(&run.stdout);
    let summary = stdout
        .lines()
        .find(|l| l.contains(" cases: "))
        .unwrap_or_else(|| panic!("no summary: {stdout}"));
    assert!(summary.contains(" 0 failed, 0 errors"), "{summary}");
    let passed: usize = summary
        .split(" cases: ")
        .nth(1)
        .and_then(|r| r.split(" passed").next())
        .and_then(|n| n.trim().parse().ok())
        .unwrap_or_else(|| panic!("no passed count: {summary}"));
    assert!(
        passed > 500,
        "too few cases ran to mean anything: {summary}"
    );
}

/// `init` as a user runs it, then `run` on what it wrote: every case passes. With the mock's
/// labels kept (`--labels-from`), every case also matches the committed mock snapshots.
fn every_case_passes_on_what_init_writes(mock: &MockChild, dir: &Path) {
    let out = dir.join("found.toml");
    let init = init_cli(&mock.url, &out, &[]);
    assert_eq!(init.status.code(), Some(0), "{}", text(&init));
    let written = std::fs::read_to_string(&out).expect("init wrote the file");
    for (var, token) in TOKENS {
        assert!(
            written.contains(&format!("token_env = \"{var}\"")),
            "{written}"
        );
        assert!(!written.contains(token), "a token in the file: {written}");
    }
    passed_everything(&run_cli(&mock.url, &out, &["--snapshots", "off"]));

    let like = dir.join("like-mock.toml");
    let init = init_cli(&mock.url, &like, &["--labels-from", "fixtures/mock.toml"]);
    assert_eq!(init.status.code(), Some(0), "{}", text(&init));
    let written = std::fs::read_to_string(&like).expect("init wrote the file");
    assert!(written.contains("[issues.secured]"), "{written}");
    passed_everything(&run_cli(&mock.url, &like, &["--against", "mock"]));
}

#[test]
fn every_case_passes_on_the_fixtures_init_discovers_from_the_mock() {
    let dir = temp("plain");
    let mock = start_mock(None);
    every_case_passes_on_what_init_writes(&mock, &dir);
}

#[test]
fn every_case_passes_on_the_fixtures_init_discovers_from_a_shifted_id_mock() {
    let dir = temp("shifted");
    let site = shifted_site(&dir);
    let mock = start_mock(Some(&site));
    every_case_passes_on_what_init_writes(&mock, &dir);
}

/// The world with its labels taken out and every list in one order: what it says, whatever the
/// file calls things.
fn content(world: &World) -> World {
    let mut w = world.clone();
    for g in &mut w.groups {
        g.members.sort();
    }
    for p in &mut w.projects {
        p.label.clear();
        p.browse.sort();
        p.administer.sort();
        p.edit_all_worklogs.sort();
        p.edit_all_comments.sort();
        // Not stated means everyone who browses; init writes who holds it.
        let mut own = p
            .edit_own_comments
            .take()
            .unwrap_or_else(|| p.browse.clone());
        own.sort();
        p.edit_own_comments = Some(own);
    }
    w.projects.sort_by(|a, b| a.key.cmp(&b.key));
    for i in &mut w.issues {
        i.label.clear();
        if let Some(s) = &mut i.security {
            s.sort();
        }
    }
    w.issues.sort_by(|a, b| a.key.cmp(&b.key));
    for a in &mut w.attachments {
        a.label.clear();
    }
    for l in &mut w.worklogs {
        l.label.clear();
    }
    for c in &mut w.comments {
        c.label.clear();
    }
    for d in &mut w.dashboards {
        d.label.clear();
    }
    for s in &mut w.notification_schemes {
        s.label.clear();
    }
    for r in &mut w.roles {
        r.label.clear();
        for a in r.actors.values_mut() {
            a.sort();
        }
    }
    w
}

/// The part of a world its principals can see through the API. A project whose *Log work*
/// field is hidden shows no worklogs to anyone, and no read says that the field is hidden.
fn visible(world: &World) -> World {
    let mut w = world.clone();
    let hidden: Vec<String> = w
        .projects
        .iter()
        .filter(|p| p.worklog_field_hidden)
        .map(|p| p.key.clone())
        .collect();
    let issue_project = |key: &str| {
        world
            .issues
            .iter()
            .find(|i| i.key == key)
            .map(|i| i.project.clone())
    };
    w.worklogs
        .retain(|l| !issue_project(&l.issue).is_some_and(|p| hidden.contains(&p)));
    for p in &mut w.projects {
        p.worklog_field_hidden = false;
    }
    w
}

fn principals() -> Vec<PrincipalSpec> {
    PRINCIPALS
        .iter()
        .map(|p| p.parse().expect("principal"))
        .collect()
}

async fn discover_from(url: &str) -> Discovery {
    let options = InitOptions::new(url, principals());
    let progress = |_: Progress| {};
    discover(&options, &env, &progress)
        .await
        .expect("discovery succeeds")
}

/// Discovers `fixtures`' mock and checks the written file describes its world by content.
async fn discovered_world_is_the_seeded_world(fixtures: &Fixtures) {
    let mock = MockServer::start(fixtures, &[]).await.expect("mock starts");
    let found = discover_from(&mock.base_url).await;
    let text = render(&found);
    let parsed = Fixtures::parse(&text, "found.toml", &env)
        .unwrap_or_else(|e| panic!("the written fixtures do not load: {e}\n{text}"));
    assert_eq!(
        content(&parsed.world),
        content(&visible(&fixtures.world)),
        "{text}"
    );
    // The principals too: account ids, names, who administers Jira.
    let who = |f: &Fixtures| {
        f.principals
            .iter()
            .map(|p| {
                (
                    p.name.clone(),
                    p.account_id.clone(),
                    p.display_name.clone(),
                    p.admin,
                )
            })
            .collect::<Vec<_>>()
    };
    assert_eq!(who(&parsed), who(fixtures));
    // Labels come from keys and names, not from the fixtures the mock was seeded with.
    assert!(text.contains("[issues.conf_1]"), "{text}");
    assert!(text.contains("[dashboards.review_board]"), "{text}");
    // What could not be learned is said.
    assert!(
        text.contains("# Note: worklog_field_hidden: not learned"),
        "{text}"
    );
    mock.stop().await;
}

#[tokio::test]
async fn the_discovered_world_equals_the_mock_world_by_content() {
    let fixtures = Fixtures::embedded().expect("embedded fixtures");
    discovered_world_is_the_seeded_world(&fixtures).await;
}

#[tokio::test]
async fn the_discovered_world_equals_a_shifted_id_world_by_content() {
    let dir = temp("content");
    let fixtures = Fixtures::load(&shifted_site(&dir)).expect("shifted fixtures");
    assert_ne!(
        fixtures.world.issues[0].id,
        Fixtures::embedded().expect("embedded").world.issues[0].id
    );
    discovered_world_is_the_seeded_world(&fixtures).await;
}

#[tokio::test]
async fn init_sends_get_requests_only() {
    let fixtures = Fixtures::embedded().expect("embedded fixtures");
    let log: Arc<Mutex<Vec<String>>> = Arc::default();
    let record = log.clone();
    let app =
        jira_conform::mock::app(MockState::new(&fixtures, &[])).layer(axum::middleware::from_fn(
            move |request: axum::extract::Request, next: axum::middleware::Next| {
                let record = record.clone();
                async move {
                    record.lock().expect("log").push(format!(
                        "{} {}",
                        request.method(),
                        request.uri().path()
                    ));
                    next.run(request).await
                }
            },
        ));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let url = format!("http://{}", listener.local_addr().expect("addr"));
    let server = tokio::spawn(async move { axum::serve(listener, app).await });
    let found = discover_from(&url).await;
    server.abort();
    let log = log.lock().expect("log").clone();
    assert!(
        log.len() > 20,
        "the discovery asked too little to mean anything: {log:?}"
    );
    assert_eq!(
        log.len() as u64,
        found.requests,
        "every request was recorded"
    );
    let other: Vec<&String> = log.iter().filter(|l| !l.starts_with("GET ")).collect();
    assert!(other.is_empty(), "not GET: {other:?}");
    // It reads every kind of resource it describes.
    for path in [
        "/myself",
        "/mypermissions",
        "/user/groups",
        "/project/search",
        "/search/jql",
        "/worklog",
        "/dashboard",
        "/gadget",
        "/notificationscheme",
        "/role/",
        "/configuration/timetracking",
        "/attachment/meta",
    ] {
        assert!(
            log.iter().any(|l| l.contains(path)),
            "never asked {path}: {log:?}"
        );
    }
}

/// A server that answers every request with `answer`, for `requests` connections.
fn tiny_server(requests: usize, answer: &'static str) -> String {
    child::tiny_server(requests, move |_| answer.to_string())
}

#[test]
fn a_refused_token_an_unreachable_target_and_a_target_that_is_not_jira_stop_init_with_one_line() {
    let dir = temp("errors");
    let mock = start_mock(None);
    let dead = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
        format!("http://{}", l.local_addr().expect("addr"))
    };
    let files = tiny_server(
        8,
        "HTTP/1.1 404 Not Found\r\nContent-Type: text/html\r\nContent-Length: 9\r\nConnection: close\r\n\r\nnot found",
    );
    let busy = tiny_server(
        8,
        "HTTP/1.1 429 Too Many Requests\r\nRetry-After: 0\r\nContent-Length: 0\r\nConnection: close\r\n\r\n",
    );
    let cases: [(&str, &str, &str, &str); 5] = [
        (
            &mock.url,
            "wrong-token",
            "principal bob: the target refused its credentials: GET /rest/api/3/myself answered 401; check the token in INIT_TEST_BOB_TOKEN",
            "refused token",
        ),
        (&dead, "mock-bob-token", "refused the connection", "nothing listening"),
        (
            &files,
            "mock-bob-token",
            "does not answer like Jira: GET /rest/api/3/myself as bob answered 404 text/html (9 bytes), not a JSON user",
            "a static file server",
        ),
        (
            &mock.url,
            "",
            "principal bob: environment variable INIT_TEST_BOB_TOKEN is not set",
            "no token",
        ),
        (
            &busy,
            "mock-bob-token",
            "discovery stopped: GET /rest/api/3/myself: still 429 Too Many Requests after 1 retry (Retry-After 0 ms)",
            "a target that stays busy",
        ),
    ];
    for (target, bob_token, expected, what) in cases {
        let out_file = dir.join("never.toml");
        let out = bin()
            .env("INIT_TEST_BOB_TOKEN", bob_token)
            .args([
                "init",
                "--target",
                target,
                "--max-retries",
                "1",
                "--principal",
                PRINCIPALS[2],
                "--out",
            ])
            .arg(&out_file)
            .output()
            .expect("init runs");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{what}: {}", text(&out));
        assert!(stderr.contains(expected), "{what}: {stderr}");
        assert_eq!(stderr.lines().count(), 1, "{what}: one line: {stderr}");
        assert!(
            !stderr.contains("wrong-token"),
            "{what}: the token shown: {stderr}"
        );
        assert!(!out_file.exists(), "{what}: a file was written");
    }
}

#[test]
fn init_keeps_to_its_request_budget() {
    let dir = temp("budget");
    let mock = start_mock(None);
    let out = dir.join("never.toml");
    let init = init_cli(&mock.url, &out, &["--request-budget", "10"]);
    let stderr = String::from_utf8_lossy(&init.stderr);
    assert_eq!(init.status.code(), Some(2), "{}", text(&init));
    assert!(
        stderr.contains(
            "discovery stopped: not sent: the request budget (10 requests to this target) is spent"
        ),
        "{stderr}"
    );
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    assert!(!out.exists());
    // The default budget is ample for the mock; stdout gets the file without --out.
    let mut cmd = bin();
    cmd.args(["init", "--target", &mock.url]);
    for p in PRINCIPALS {
        cmd.args(["--principal", p]);
    }
    let full = cmd.output().expect("init runs");
    assert_eq!(full.status.code(), Some(0), "{}", text(&full));
    let written = String::from_utf8_lossy(&full.stdout);
    let sent: u64 = written
        .lines()
        .find_map(|l| {
            l.split('(')
                .nth(1)?
                .split(" GET requests")
                .next()?
                .parse()
                .ok()
        })
        .unwrap_or_else(|| panic!("no request count: {written}"));
    assert!(sent > 10 && sent < 200, "{sent} requests");
    // An existing file is not overwritten without --force.
    std::fs::write(&out, "keep").expect("write");
    let again = init_cli(&mock.url, &out, &[]);
    assert_eq!(again.status.code(), Some(2), "{}", text(&again));
    assert_eq!(std::fs::read_to_string(&out).expect("read"), "keep");
}

#[test]
fn the_readme_points_at_real_jira_with_init_first() {
    let readme = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("README.md"))
        .expect("README");
    let section = readme
        .split("## Pointing it at real Jira")
        .nth(1)
        .expect("the section exists");
    let first_step = section
        .lines()
        .find(|l| !l.trim().is_empty())
        .expect("the section has text");
    assert!(
        first_step.contains("jira-conform init") || first_step.contains("`init`"),
        "the section starts with: {first_step}"
    );
}

/// GET `path` of the mock as `who` (an index into [`PRINCIPALS`]): status and JSON body.
async fn ask(
    base: &str,
    who: usize,
    method: reqwest::Method,
    path: &str,
) -> (u16, serde_json::Value) {
    let spec: PrincipalSpec = PRINCIPALS[who].parse().expect("principal");
    let email = match &spec.auth {
        jira_conform::init::AuthSpec::Basic { email, .. } => email.clone(),
        jira_conform::init::AuthSpec::Bearer { .. } => unreachable!("basic principals"),
    };
    let response = reqwest::Client::new()
        .request(method, format!("{base}/rest/api/3{path}"))
        .basic_auth(email, env(spec.auth.token_env()))
        .send()
        .await
        .expect("the mock answers");
    let status = response.status().as_u16();
    let body = response.json().await.unwrap_or(serde_json::Value::Null);
    (status, body)
}

#[tokio::test]
async fn the_mock_reads_init_relies_on_answer_as_documented() {
    use reqwest::Method;
    let fixtures = Fixtures::embedded().expect("embedded fixtures");
    let mock = MockServer::start(&fixtures, &[])
        .await
        .expect("mock starts");
    let base = mock.base_url.as_str();
    let (admin, alice, bob) = (0, 1, 2);
    let get = |who: usize, path: &'static str| ask(base, who, Method::GET, path);
    let keys = |body: &serde_json::Value, list: &str, field: &str| -> Vec<String> {
        body[list]
            .as_array()
            .expect("a list")
            .iter()
            .map(|v| v[field].to_string().trim_matches('"').to_string())
            .collect()
    };

    // mypermissions: the permissions parameter is required and checked; project permissions
    // are per project; a project the caller cannot see is a 404.
    assert_eq!(get(alice, "/mypermissions").await.0, 400);
    assert_eq!(get(alice, "/mypermissions?permissions=BOGUS").await.0, 400);
    let (s, b) = get(admin, "/mypermissions?permissions=ADMINISTER").await;
    assert_eq!(
        (s, &b["permissions"]["ADMINISTER"]["havePermission"]),
        (200, &true.into())
    );
    let (_, b) = get(alice, "/mypermissions?permissions=ADMINISTER").await;
    assert_eq!(b["permissions"]["ADMINISTER"]["havePermission"], false);
    let (_, b) = get(
        alice,
        "/mypermissions?projectKey=CONF&permissions=ADMINISTER_PROJECTS",
    )
    .await;
    assert_eq!(
        b["permissions"]["ADMINISTER_PROJECTS"]["havePermission"],
        true
    );
    let (_, b) = get(
        bob,
        "/mypermissions?projectKey=CONF&permissions=ADMINISTER_PROJECTS",
    )
    .await;
    assert_eq!(
        b["permissions"]["ADMINISTER_PROJECTS"]["havePermission"],
        false
    );
    assert_eq!(
        get(
            alice,
            "/mypermissions?projectKey=HID&permissions=BROWSE_PROJECTS"
        )
        .await
        .0,
        404
    );

    // Project search: what the caller may browse or administer, paged.
    let (_, b) = get(alice, "/project/search").await;
    assert_eq!(keys(&b, "values", "key"), ["CONF", "QUIET"]);
    for bad in [
        "maxResults=101",
        "orderBy=bogus",
        "action=bogus",
        "categoryId=x",
    ] {
        let path = format!("{base}/rest/api/3/project/search?{bad}");
        let status = reqwest::Client::new()
            .get(path)
            .basic_auth("alice@example.test", Some("mock-alice-token"))
            .send()
            .await
            .expect("answer")
            .status();
        assert_eq!(status, 400, "{bad}");
    }
    let (_, b) = get(admin, "/project/search?maxResults=1").await;
    assert_eq!(
        (b["total"].as_u64(), b["isLast"].as_bool()),
        (Some(3), Some(false))
    );
    assert!(b["nextPage"].is_string(), "{b}");

    // A user's groups.
    let (s, b) = get(alice, "/user/groups?accountId=5b109f2e9729b51b54dc274d").await;
    assert_eq!(s, 200);
    let groups: Vec<&str> = b
        .as_array()
        .expect("a list of groups")
        .iter()
        .filter_map(|g| g["name"].as_str())
        .collect();
    assert!(groups.contains(&"reviewers"), "{b}");
    assert_eq!(get(alice, "/user/groups").await.0, 404);

    // JQL search: issue security hides CONF-2 from alice; pages by token; bad JQL is a 400.
    let (_, b) = get(alice, "/search/jql?jql=project%20%3D%20CONF").await;
    assert_eq!(keys(&b, "issues", "key"), ["CONF-1", "CONF-3"]);
    let (_, b) = get(
        bob,
        "/search/jql?jql=project%20%3D%20CONF%20ORDER%20BY%20key%20DESC",
    )
    .await;
    assert_eq!(keys(&b, "issues", "key"), ["CONF-3", "CONF-2", "CONF-1"]);
    let (_, b) = get(bob, "/search/jql?jql=project%20%3D%20CONF&maxResults=2").await;
    assert_eq!(
        (b["isLast"].as_bool(), b["nextPageToken"].is_string()),
        (Some(false), true)
    );
    assert_eq!(
        get(bob, "/search/jql?jql=assignee%20%3D%20currentUser()")
            .await
            .0,
        400
    );
    assert_eq!(ask(base, bob, Method::POST, "/search/jql").await.0, 501);
    assert_eq!(ask(base, bob, Method::PATCH, "/search/jql").await.0, 405);

    // Dashboards: owned by or shared with the caller; gadgets of a visible one only.
    let (_, b) = get(bob, "/dashboard").await;
    assert_eq!(keys(&b, "dashboards", "id"), ["10000", "10002", "10003"]);
    let (_, b) = get(alice, "/dashboard?filter=my").await;
    assert_eq!(keys(&b, "dashboards", "id"), ["10001", "10002"]);
    assert_eq!(get(bob, "/dashboard?filter=bogus").await.0, 400);
    assert_eq!(get(bob, "/dashboard/10001/gadget").await.0, 404);
    let (_, b) = get(alice, "/dashboard/10001/gadget").await;
    assert_eq!(keys(&b, "gadgets", "id"), ["10010"]);

    // A role's actors in a project: for its administrators, sorted by display name.
    let (s, b) = get(alice, "/project/CONF/role/10003").await;
    assert_eq!(s, 200);
    let names: Vec<&str> = b["actors"]
        .as_array()
        .expect("actors")
        .iter()
        .filter_map(|a| a["displayName"].as_str())
        .collect();
    assert_eq!(names, ["Alice Able", "Bob Baker"]);
    assert_eq!(get(bob, "/project/CONF/role/10003").await.0, 404);
    assert_eq!(
        ask(base, alice, Method::PUT, "/project/CONF/role/10003")
            .await
            .0,
        501
    );
    mock.stop().await;
}

#[tokio::test]
async fn bounded_discovery_keeps_the_informative_projects_and_issues_and_says_what_it_left_out() {
    let fixtures = Fixtures::embedded().expect("embedded fixtures");
    let mock = MockServer::start(&fixtures, &[])
        .await
        .expect("mock starts");
    let mut options = InitOptions::new(mock.base_url.clone(), principals());
    options.max_projects = 2;
    options.max_issues = 2;
    let progress = |_: Progress| {};
    let found = discover(&options, &env, &progress)
        .await
        .expect("discovery");
    let keys = |v: Vec<&str>| v.into_iter().map(str::to_string).collect::<Vec<_>>();
    // One project everyone sees, one some cannot; in it one issue everyone browsing sees and
    // one behind issue security.
    assert_eq!(
        found
            .world
            .projects
            .iter()
            .map(|p| p.key.clone())
            .collect::<Vec<_>>(),
        keys(vec!["CONF", "HID"])
    );
    let conf: Vec<&jira_conform::fixtures::Issue> = found
        .world
        .issues
        .iter()
        .filter(|i| i.project == "CONF")
        .collect();
    assert_eq!(conf.len(), 2);
    assert!(conf[0].security.is_none());
    assert_eq!(conf[1].security, Some(keys(vec!["admin", "bob"])));
    let notes: Vec<&str> = found.notes.iter().map(|n| n.text.as_str()).collect();
    for expected in [
        "1 more visible projects left out (--max-projects 2)",
        "CONF: 1 more issues left out (--max-issues 2)",
        "scratch worklogs for update cases: none found; add two on an issue you own",
    ] {
        assert!(
            notes.iter().any(|n| n.contains(expected)),
            "{expected}: {notes:?}"
        );
    }
    let text = render(&found);
    assert!(
        text.contains("# Note: scratch worklogs for update cases: none found"),
        "{text}"
    );
    mock.stop().await;
}
