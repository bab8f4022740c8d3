//! The reference mock under concurrent load, over loopback HTTP: concurrent writers to one user
//! property and to many, concurrent dashboard item property writes, concurrent role creation
//! with one name, and readers in between. Every response must be well formed (a PUT answers
//! 200 or 201 with no body, anything else is a Jira JSON error with Jira's content type),
//! exactly one PUT per key answers 201 (and one POST per role name 200), and the final state
//! holds every write (no lost update). Each test is bounded in requests (at most a few
//! thousand) and in time (10 s).
//!
//! The throughput figure (20 000 GETs of `/rest/api/3/myself` from 64 concurrent clients) is
//! a benchmark: `cargo bench --bench mock_throughput`.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;
use std::time::Duration;

use jira_conform::fixtures::{Credentials, Fixtures};
use jira_conform::mock::MockServer;
use reqwest::header::CONTENT_TYPE;
use reqwest::{Client, Method, StatusCode};
use serde_json::{json, Value};

/// Jira's content type for every JSON body.
const JSON_CONTENT_TYPE: &str = "application/json;charset=UTF-8";
/// How long one load test may take, server start included.
const BOUND: Duration = Duration::from_secs(10);
const TASKS: usize = 32;
const PUTS: usize = 50;

/// The mock on a loopback port, and how to call it as a fixtures principal.
struct Load {
    server: MockServer,
    fixtures: Fixtures,
    client: Client,
}

/// One response, read completely.
#[derive(Debug)]
struct Reply {
    what: String,
    status: StatusCode,
    content_type: Option<String>,
    body: String,
}

impl Reply {
    /// Checks a successful PUT: 200 or 201, no body. Returns whether it created.
    fn put_ok(&self) -> bool {
        assert!(
            matches!(self.status, StatusCode::OK | StatusCode::CREATED),
            "{self:?}"
        );
        assert_eq!(self.body, "", "{self:?}");
        self.status == StatusCode::CREATED
    }

    /// Checks a JSON answer with this status and returns the body.
    fn json(&self, status: StatusCode) -> Value {
        assert_eq!(self.status, status, "{}: {}", self.what, self.body);
        assert_eq!(
            self.content_type.as_deref(),
            Some(JSON_CONTENT_TYPE),
            "{self:?}"
        );
        serde_json::from_str(&self.body).unwrap_or_else(|e| panic!("{e}: {self:?}"))
    }

    /// Checks Jira's error body (`errorMessages` with one message, `errors` empty).
    fn error(&self, status: StatusCode) {
        let body = self.json(status);
        assert_eq!(body["errors"], json!({}), "{self:?}");
        assert_eq!(
            body["errorMessages"].as_array().map(Vec::len),
            Some(1),
            "{self:?}"
        );
    }
}

impl Load {
    async fn start() -> Arc<Load> {
        let fixtures = Fixtures::embedded().expect("the embedded fixtures parse");
        let server = MockServer::start(&fixtures, &[])
            .await
            .expect("the mock starts");
        let client = Client::builder()
            .no_proxy()
            .pool_max_idle_per_host(64)
            .build()
            .expect("a client");
        Arc::new(Load {
            server,
            fixtures,
            client,
        })
    }

    fn account(&self, name: &str) -> String {
        self.fixtures
            .principal(name)
            .expect("a fixtures principal")
            .account_id
            .clone()
    }

    async fn send(&self, method: Method, path: &str, who: &str, body: Option<String>) -> Reply {
        let what = format!("{method} {path} as {who}");
        let mut request = self
            .client
            .request(method, format!("{}{path}", self.server.base_url));
        request = match &self
            .fixtures
            .principal(who)
            .expect("a principal")
            .credentials
        {
            Credentials::Basic { email, token } => request.basic_auth(email, Some(token.expose())),
            Credentials::Bearer { token } => request.bearer_auth(token.expose()),
        };
        if let Some(body) = body {
            request = request.header(CONTENT_TYPE, "application/json").body(body);
        }
        let response = request
            .send()
            .await
            .unwrap_or_else(|e| panic!("{what}: {e}"));
        let status = response.status();
        let content_type = response
            .headers()
            .get(CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .map(str::to_string);
        let body = response.text().await.expect("a readable body");
        Reply {
            what,
            status,
            content_type,
            body,
        }
    }
}

/// Runs `test` against a fresh mock within [`BOUND`], then stops the mock.
async fn bounded<F, Fut>(test: F)
where
    F: FnOnce(Arc<Load>) -> Fut,
    Fut: std::future::Future<Output = ()>,
{
    let load = Load::start().await;
    tokio::time::timeout(BOUND, test(Arc::clone(&load)))
        .await
        .expect("the load test finishes within its bound");
}

fn user_property(key: &str, account: &str) -> String {
    format!("/rest/api/3/user/properties/{key}?accountId={account}")
}

/// The value task `t` writes in its `i`-th PUT.
fn value(t: usize, i: usize) -> String {
    json!({"task": t, "put": i, "pad": "é".repeat(i)}).to_string()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_puts_to_one_user_property_create_once_and_lose_nothing() {
    bounded(|load| async move {
        let alice = load.account("alice");
        let path = user_property("load-same", &alice);
        let mut tasks = Vec::new();
        for t in 0..TASKS {
            let (load, path) = (Arc::clone(&load), path.clone());
            tasks.push(tokio::spawn(async move {
                let mut created = 0;
                for i in 0..PUTS {
                    let reply = load
                        .send(Method::PUT, &path, "admin", Some(value(t, i)))
                        .await;
                    created += usize::from(reply.put_ok());
                    // A reader in between sees some complete value, never a torn one.
                    if i % 10 == 0 {
                        let got = load
                            .send(Method::GET, &path, "alice", None)
                            .await
                            .json(StatusCode::OK);
                        assert_eq!(got["key"], "load-same");
                        assert!(got["value"]["task"].is_u64(), "{got}");
                    }
                }
                created
            }));
        }
        let mut created = 0;
        for task in tasks {
            created += task.await.expect("no task panicked");
        }
        assert_eq!(created, 1, "exactly one PUT creates the property");
        // The last write to land is some task's last write.
        let got = load
            .send(Method::GET, &path, "admin", None)
            .await
            .json(StatusCode::OK);
        let finals: Vec<Value> = (0..TASKS)
            .map(|t| serde_json::from_str(&value(t, PUTS - 1)).expect("JSON"))
            .collect();
        assert!(finals.contains(&got["value"]), "{got}");
        let listed = load
            .send(
                Method::GET,
                &format!("/rest/api/3/user/properties?accountId={alice}"),
                "alice",
                None,
            )
            .await
            .json(StatusCode::OK);
        assert_eq!(listed["keys"].as_array().map(Vec::len), Some(1), "{listed}");
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_puts_to_different_user_properties_all_land() {
    bounded(|load| async move {
        let users = [load.account("alice"), load.account("bob")];
        let mut tasks = Vec::new();
        for t in 0..TASKS {
            let (load, account) = (Arc::clone(&load), users[t % 2].clone());
            tasks.push(tokio::spawn(async move {
                for i in 0..PUTS {
                    let key = format!("load-{t}-{i}");
                    let path = user_property(&key, &account);
                    let reply = load
                        .send(Method::PUT, &path, "admin", Some(value(t, i)))
                        .await;
                    assert!(reply.put_ok(), "a new key is created: {reply:?}");
                    // Every fifth key is written twice: the second PUT replaces (200).
                    if i % 5 == 0 {
                        let again = load
                            .send(Method::PUT, &path, "admin", Some(value(t, i)))
                            .await;
                        assert!(!again.put_ok(), "a second PUT replaces: {again:?}");
                    }
                    // And a bad PUT in between is a Jira error, not a server error.
                    if i % 7 == 0 {
                        load.send(Method::PUT, &path, "admin", Some(String::new()))
                            .await
                            .error(StatusCode::BAD_REQUEST);
                    }
                }
            }));
        }
        for task in tasks {
            task.await.expect("no task panicked");
        }
        for (u, account) in users.iter().enumerate() {
            let listed = load
                .send(
                    Method::GET,
                    &format!("/rest/api/3/user/properties?accountId={account}"),
                    "admin",
                    None,
                )
                .await
                .json(StatusCode::OK);
            let keys: BTreeSet<String> = listed["keys"]
                .as_array()
                .expect("keys")
                .iter()
                .map(|k| k["key"].as_str().expect("a key").to_string())
                .collect();
            let expected: BTreeSet<String> = (0..TASKS)
                .filter(|t| t % 2 == u)
                .flat_map(|t| (0..PUTS).map(move |i| format!("load-{t}-{i}")))
                .collect();
            assert_eq!(keys, expected, "every key written is listed, and no other");
        }
        // Every value is the one written (read concurrently).
        let mut reads = Vec::new();
        for t in 0..TASKS {
            let (load, account) = (Arc::clone(&load), users[t % 2].clone());
            reads.push(tokio::spawn(async move {
                for i in 0..PUTS {
                    let got = load
                        .send(
                            Method::GET,
                            &user_property(&format!("load-{t}-{i}"), &account),
                            "admin",
                            None,
                        )
                        .await
                        .json(StatusCode::OK);
                    let written: Value = serde_json::from_str(&value(t, i)).expect("JSON");
                    assert_eq!(got["value"], written);
                }
            }));
        }
        for read in reads {
            read.await.expect("no reader panicked");
        }
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_dashboard_item_property_writes_all_land() {
    // Owners writing their own boards' items: the admin owns 10003 (item 10030), alice owns
    // 10001 (item 10010). Half the tasks share one key per item, half write keys of their own.
    bounded(|load| async move {
        let items = [("admin", "10003", "10030"), ("alice", "10001", "10010")];
        let base = |d: &str, i: &str| format!("/rest/api/3/dashboard/{d}/items/{i}/properties");
        let mut tasks = Vec::new();
        for t in 0..TASKS {
            let load = Arc::clone(&load);
            let (who, dashboard, item) = items[t % 2];
            let base = base(dashboard, item);
            tasks.push(tokio::spawn(async move {
                let mut created: BTreeMap<String, usize> = BTreeMap::new();
                for i in 0..PUTS {
                    let key = if t % 4 < 2 {
                        "shared".to_string()
                    } else {
                        format!("own-{t}-{i}")
                    };
                    let reply = load
                        .send(
                            Method::PUT,
                            &format!("{base}/{key}"),
                            who,
                            Some(value(t, i)),
                        )
                        .await;
                    *created.entry(key).or_default() += usize::from(reply.put_ok());
                }
                (t, created)
            }));
        }
        let mut created: BTreeMap<(usize, String), usize> = BTreeMap::new();
        for task in tasks {
            let (t, counts) = task.await.expect("no task panicked");
            for (key, n) in counts {
                *created.entry((t % 2, key)).or_default() += n;
            }
        }
        for ((item, key), n) in &created {
            assert_eq!(*n, 1, "item {item} key {key}: {n} PUTs answered 201");
        }
        for (index, (who, dashboard, item)) in items.iter().enumerate() {
            let listed = load
                .send(Method::GET, &base(dashboard, item), who, None)
                .await
                .json(StatusCode::OK);
            let keys: BTreeSet<String> = listed["keys"]
                .as_array()
                .expect("keys")
                .iter()
                .map(|k| k["key"].as_str().expect("a key").to_string())
                .collect();
            let expected: BTreeSet<String> = created
                .keys()
                .filter(|(i, _)| *i == index)
                .map(|(_, k)| k.clone())
                .collect();
            assert_eq!(
                keys, expected,
                "dashboard {dashboard}: every key written is listed"
            );
            assert_eq!(keys.len(), 1 + PUTS * TASKS / 4, "{keys:?}");
            for key in keys.iter().filter(|k| k.starts_with("own-")) {
                let mut parts = key
                    .split('-')
                    .skip(1)
                    .map(|n| n.parse::<usize>().expect("a number"));
                let (t, i) = (parts.next().expect("t"), parts.next().expect("i"));
                let got = load
                    .send(
                        Method::GET,
                        &format!("{}/{key}", base(dashboard, item)),
                        who,
                        None,
                    )
                    .await
                    .json(StatusCode::OK);
                let written: Value = serde_json::from_str(&value(t, i)).expect("JSON");
                assert_eq!(got["value"], written, "{key}");
            }
        }
        // A reader who may not write (bob sees 10003 through the reviewers group) is refused
        // with a JSON error.
        load.send(
            Method::PUT,
            &format!("{}/x", base("10003", "10030")),
            "bob",
            Some("1".into()),
        )
        .await
        .error(StatusCode::FORBIDDEN);
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_role_creation_with_one_name_creates_one_role() {
    bounded(|load| async move {
        let mut tasks = Vec::new();
        for t in 0..TASKS {
            let load = Arc::clone(&load);
            tasks.push(tokio::spawn(async move {
                let body = json!({"name": "Load testers", "description": format!("task {t}")});
                load.send(
                    Method::POST,
                    "/rest/api/3/role",
                    "admin",
                    Some(body.to_string()),
                )
                .await
            }));
        }
        let mut created = 0;
        for task in tasks {
            let reply = task.await.expect("no task panicked");
            if reply.status == StatusCode::OK {
                assert_eq!(reply.json(StatusCode::OK)["name"], "Load testers");
                created += 1;
            } else {
                reply.error(StatusCode::CONFLICT);
            }
        }
        assert_eq!(created, 1, "one role per name");
        let roles = load
            .send(Method::GET, "/rest/api/3/role", "admin", None)
            .await
            .json(StatusCode::OK);
        let named = roles
            .as_array()
            .expect("a list of roles")
            .iter()
            .filter(|r| r["name"] == "Load testers")
            .count();
        assert_eq!(named, 1, "{roles}");
    })
    .await;
}
