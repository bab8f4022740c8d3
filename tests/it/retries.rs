//! Rate limits and retries against local axum targets that answer from a script: 429 and 503
//! with `Retry-After` (seconds or an HTTP date) or Jira's `X-RateLimit-*` headers, what is
//! retried and what never is, the request budget, the rate limit and the deadline, and the
//! whole suite through a front that rate-limits it.
//!
//! Waits run on a virtual clock (sleeping moves it forward at once), so no test sleeps for the
//! seconds a target asks for; only the rate-limit test waits for real, about 250 ms.

use std::collections::HashSet;
use std::future::Future;
use std::pin::Pin;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant, SystemTime};

use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, HeaderName, HeaderValue, Method, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use axum::Router;
use jira_conform::case::{Actor, Body, Case, Request};
use jira_conform::exchange::CaseRun;
use jira_conform::fixtures::Fixtures;
use jira_conform::mock::MockServer;
use jira_conform::report::{write_terminal, TerminalOptions};
use jira_conform::run::http_date::{format_http_date, format_iso8601};
use jira_conform::run::{execute_with, Clock, RetryPolicy, RunOptions, Traffic};
use jira_conform::verdict::Outcome;
use jira_conform::{prepare, run_suite, Config, SnapshotChoice};
use serde_json::json;

// ---- a virtual clock --------------------------------------------------------------------------

/// Time that moves only when someone sleeps; every sleep is recorded.
#[derive(Debug)]
struct VirtualClock {
    state: Mutex<(Duration, Vec<Duration>)>,
    wall_start: SystemTime,
}

impl VirtualClock {
    fn new() -> Arc<VirtualClock> {
        Arc::new(VirtualClock {
            state: Mutex::new((Duration::ZERO, Vec::new())),
            wall_start: SystemTime::now(),
        })
    }

    fn sleeps(&self) -> Vec<Duration> {
        self.state.lock().unwrap().1.clone()
    }
}

impl Clock for VirtualClock {
    fn now(&self) -> Duration {
        self.state.lock().unwrap().0
    }

    fn wall(&self) -> SystemTime {
        self.wall_start + self.now()
    }

    fn sleep(&self, d: Duration) -> Pin<Box<dyn Future<Output = ()> + Send>> {
        let mut s = self.state.lock().unwrap();
        s.0 += d;
        s.1.push(d);
        Box::pin(async {})
    }
}

// ---- a scripted target ------------------------------------------------------------------------

/// One scripted answer: status and headers (a 200 carries a small JSON body).
#[derive(Clone)]
struct Answer(u16, Vec<(&'static str, String)>);

fn ok() -> Answer {
    Answer(200, Vec::new())
}

fn status(code: u16, headers: &[(&'static str, &str)]) -> Answer {
    Answer(
        code,
        headers.iter().map(|(k, v)| (*k, v.to_string())).collect(),
    )
}

/// What a scripted target saw.
#[derive(Default)]
struct Seen {
    /// Method, path and arrival time of each request.
    requests: Mutex<Vec<(String, String, Instant)>>,
    count: AtomicUsize,
}

struct Script {
    /// Answers per path, in order; the last one repeats.
    answers: Vec<(&'static str, Vec<Answer>)>,
    seen: Seen,
}

async fn scripted(State(script): State<Arc<Script>>, method: Method, uri: Uri) -> Response {
    let path = uri.path().to_string();
    let n = {
        let mut requests = script.seen.requests.lock().unwrap();
        let n = requests.iter().filter(|(_, p, _)| *p == path).count();
        requests.push((method.to_string(), path.clone(), Instant::now()));
        n
    };
    script.seen.count.fetch_add(1, Ordering::SeqCst);
    let Some((_, answers)) = script.answers.iter().find(|(p, _)| *p == path) else {
        return StatusCode::NOT_FOUND.into_response();
    };
    let Answer(code, headers) = answers[n.min(answers.len() - 1)].clone();
    let mut response = if code == 200 {
        axum::Json(json!({"ok": true})).into_response()
    } else {
        (StatusCode::from_u16(code).unwrap(), "{}").into_response()
    };
    for (k, v) in headers {
        response.headers_mut().insert(
            HeaderName::from_static(k),
            HeaderValue::from_str(&v).unwrap(),
        );
    }
    response
}

/// Serves `answers` on a loopback port; returns the base URL and the script (to read what it saw).
async fn serve(answers: Vec<(&'static str, Vec<Answer>)>) -> (String, Arc<Script>) {
    let script = Arc::new(Script {
        answers,
        seen: Seen::default(),
    });
    let url = crate::support::loopback::serve(
        Router::new().fallback(scripted).with_state(script.clone()),
    )
    .await;
    (url, script)
}

// ---- hand-built cases -------------------------------------------------------------------------

/// A one-step case: `method path` as anonymous, expecting 200.
fn case(method: &str, path: &str) -> Case {
    let request = Request {
        method: method.into(),
        path: path.into(),
        query: Vec::new(),
        actor: Actor::Anonymous,
        body: if method == "POST" {
            Body::Json(json!({"name": "x"}))
        } else {
            Body::None
        },
    };
    let id = format!(
        "retries::{}::{}",
        method.to_lowercase(),
        path.trim_start_matches('/')
    );
    crate::support::cases::one_step(id, "retries", request, "the script answers 200")
}

fn options(concurrency: usize) -> RunOptions {
    RunOptions {
        concurrency,
        timeout: Duration::from_secs(5),
        run_prefix: "rty".into(),
    }
}

/// Default retries on `clock`, the jitter seeded.
fn traffic(clock: &Arc<VirtualClock>) -> Traffic {
    Traffic {
        clock: clock.clone(),
        jitter_seed: Some(42),
        ..Traffic::default()
    }
}

async fn run(base: &str, cases: &[Case], concurrency: usize, traffic: &Traffic) -> Vec<CaseRun> {
    let fixtures = Fixtures::embedded().unwrap();
    execute_with(
        cases,
        base,
        &fixtures,
        &options(concurrency),
        traffic,
        Arc::new(|_| {}),
    )
    .await
    .into_iter()
    .map(|r| r.expect("ran"))
    .collect()
}

/// The status the case ended with, or its error.
fn outcome(run: &CaseRun) -> Result<u16, String> {
    run.exchanges
        .last()
        .expect("an exchange")
        .response
        .clone()
        .map(|r| r.status)
}

// ---- tests ------------------------------------------------------------------------------------

#[tokio::test]
async fn a_429_with_retry_after_seconds_waits_that_long_then_passes() {
    let (url, script) = serve(vec![(
        "/limited",
        vec![status(429, &[("retry-after", "1")]), ok()],
    )])
    .await;
    let clock = VirtualClock::new();
    let runs = run(&url, &[case("GET", "/limited")], 1, &traffic(&clock)).await;
    assert_eq!(outcome(&runs[0]), Ok(200));
    assert_eq!(script.seen.count.load(Ordering::SeqCst), 2);
    assert_eq!(clock.sleeps(), [Duration::from_secs(1)]);
    assert_eq!(
        runs[0].retry_summary().as_deref(),
        Some("retried 1 time (429 Retry-After 1 s)")
    );
}

#[tokio::test]
async fn a_429_with_an_http_date_waits_until_that_date() {
    let clock = VirtualClock::new();
    let date = format_http_date(clock.wall() + Duration::from_secs(3));
    let (url, script) = serve(vec![(
        "/dated",
        vec![status(429, &[("retry-after", &date)]), ok()],
    )])
    .await;
    let runs = run(&url, &[case("GET", "/dated")], 1, &traffic(&clock)).await;
    assert_eq!(outcome(&runs[0]), Ok(200));
    assert_eq!(script.seen.count.load(Ordering::SeqCst), 2);
    // The date has whole seconds: the wait is between 2 and 3 s.
    let waited = clock.sleeps()[0];
    assert!(
        (Duration::from_secs(2)..=Duration::from_secs(3)).contains(&waited),
        "{waited:?}"
    );
    let summary = runs[0].retry_summary().unwrap();
    assert!(
        summary.starts_with("retried 1 time (429 Retry-After ") && summary.contains("(HTTP date)"),
        "{summary}"
    );
}

#[tokio::test]
async fn a_429_with_only_jira_reset_waits_until_the_reset() {
    let clock = VirtualClock::new();
    let reset = format_iso8601(clock.wall() + Duration::from_secs(21));
    let (url, _) = serve(vec![(
        "/reset",
        vec![
            status(
                429,
                &[
                    ("x-ratelimit-reset", &reset),
                    ("x-ratelimit-limit", "100"),
                    ("x-ratelimit-remaining", "0"),
                    ("ratelimit-reason", "jira-burst-based"),
                ],
            ),
            ok(),
        ],
    )])
    .await;
    let runs = run(&url, &[case("GET", "/reset")], 1, &traffic(&clock)).await;
    assert_eq!(outcome(&runs[0]), Ok(200));
    let waited = clock.sleeps()[0];
    assert!(
        (Duration::from_secs(20)..=Duration::from_secs(21)).contains(&waited),
        "{waited:?}"
    );
    let summary = runs[0].retry_summary().unwrap();
    assert!(
        summary.starts_with("retried 1 time (429 X-RateLimit-Reset in "),
        "{summary}"
    );
}

#[tokio::test]
async fn a_503_then_200_is_retried_with_backoff() {
    let (url, script) = serve(vec![("/flaky", vec![status(503, &[]), ok()])]).await;
    let clock = VirtualClock::new();
    let runs = run(&url, &[case("GET", "/flaky")], 1, &traffic(&clock)).await;
    assert_eq!(outcome(&runs[0]), Ok(200));
    assert_eq!(script.seen.count.load(Ordering::SeqCst), 2);
    // The first backoff: 250 ms, its upper half jitter.
    let waited = clock.sleeps()[0];
    assert!(
        (Duration::from_millis(125)..=Duration::from_millis(250)).contains(&waited),
        "{waited:?}"
    );
    assert_eq!(
        runs[0].retry_summary(),
        Some(format!(
            "retried 1 time (503, backoff {} ms)",
            waited.as_millis()
        ))
    );
}

#[tokio::test]
async fn a_post_getting_503_is_not_retried() {
    let (url, script) = serve(vec![("/create", vec![status(503, &[]), ok()])]).await;
    let clock = VirtualClock::new();
    let runs = run(&url, &[case("POST", "/create")], 1, &traffic(&clock)).await;
    assert_eq!(
        outcome(&runs[0]),
        Err(
            "503 Service Unavailable; not retried: the POST may already have been processed".into()
        )
    );
    assert_eq!(script.seen.count.load(Ordering::SeqCst), 1);
    assert!(runs[0].retries.is_empty());
    assert!(clock.sleeps().is_empty());
}

#[tokio::test]
async fn a_post_getting_429_is_retried_as_it_was_not_processed() {
    let (url, script) = serve(vec![(
        "/create",
        vec![status(429, &[("retry-after", "2")]), ok()],
    )])
    .await;
    let clock = VirtualClock::new();
    let runs = run(&url, &[case("POST", "/create")], 1, &traffic(&clock)).await;
    assert_eq!(outcome(&runs[0]), Ok(200));
    assert_eq!(script.seen.count.load(Ordering::SeqCst), 2);
    assert_eq!(clock.sleeps(), [Duration::from_secs(2)]);
}

#[tokio::test]
async fn a_retry_after_over_the_cap_gives_up_at_once() {
    let (url, script) = serve(vec![(
        "/closed",
        vec![status(429, &[("retry-after", "3600")])],
    )])
    .await;
    let clock = VirtualClock::new();
    let runs = run(&url, &[case("GET", "/closed")], 1, &traffic(&clock)).await;
    assert_eq!(
        outcome(&runs[0]),
        Err(
            "429 Too Many Requests with Retry-After 3600 s, more than the 60 s the runner waits \
             at most; gave up"
                .into()
        )
    );
    assert_eq!(script.seen.count.load(Ordering::SeqCst), 1);
    assert!(clock.sleeps().is_empty());
}

#[tokio::test]
async fn a_429_that_persists_gives_up_after_the_retries() {
    let (url, script) = serve(vec![("/busy", vec![status(429, &[("retry-after", "1")])])]).await;
    let clock = VirtualClock::new();
    let runs = run(&url, &[case("GET", "/busy")], 1, &traffic(&clock)).await;
    assert_eq!(
        outcome(&runs[0]),
        Err("still 429 Too Many Requests after 3 retries (Retry-After 1 s)".into())
    );
    assert_eq!(script.seen.count.load(Ordering::SeqCst), 4);
    assert_eq!(clock.sleeps(), [Duration::from_secs(1); 3]);
    assert_eq!(
        runs[0].retry_summary().as_deref(),
        Some("retried 3 times (429 Retry-After 1 s)")
    );
}

#[tokio::test]
async fn retries_off_means_one_request() {
    let (url, script) = serve(vec![("/flaky", vec![status(503, &[]), ok()])]).await;
    let clock = VirtualClock::new();
    let traffic = Traffic {
        retry: RetryPolicy::never(),
        ..traffic(&clock)
    };
    let runs = run(&url, &[case("GET", "/flaky")], 1, &traffic).await;
    assert_eq!(
        outcome(&runs[0]),
        Err("503 Service Unavailable; retries are off".into())
    );
    assert_eq!(script.seen.count.load(Ordering::SeqCst), 1);
}

#[tokio::test]
async fn the_budget_stops_sending_after_n_requests() {
    let paths = ["/a", "/b", "/c", "/d", "/e"];
    let (url, script) = serve(paths.iter().map(|p| (*p, vec![ok()])).collect()).await;
    let clock = VirtualClock::new();
    let traffic = Traffic {
        budget: Some(3),
        ..traffic(&clock)
    };
    let cases: Vec<Case> = paths.iter().map(|p| case("GET", p)).collect();
    let runs = run(&url, &cases, 2, &traffic).await;
    assert_eq!(script.seen.count.load(Ordering::SeqCst), 3);
    let refused: Vec<String> = runs.iter().filter_map(|r| outcome(r).err()).collect();
    assert_eq!(
        refused,
        vec!["not sent: the request budget (3 requests to this target) is spent".to_string(); 2]
    );
}

#[tokio::test]
async fn retries_count_towards_the_budget() {
    let (url, script) = serve(vec![("/busy", vec![status(429, &[("retry-after", "1")])])]).await;
    let clock = VirtualClock::new();
    let traffic = Traffic {
        budget: Some(2),
        ..traffic(&clock)
    };
    let runs = run(&url, &[case("GET", "/busy")], 1, &traffic).await;
    assert_eq!(script.seen.count.load(Ordering::SeqCst), 2);
    assert_eq!(
        outcome(&runs[0]),
        Err(
            "not sent: the request budget (2 requests to this target) is spent (while retrying \
             after 429 Retry-After 1 s)"
                .into()
        )
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_rps_limit_spaces_requests() {
    let paths = ["/a", "/b", "/c", "/d", "/e", "/f"];
    let (url, script) = serve(paths.iter().map(|p| (*p, vec![ok()])).collect()).await;
    // The real clock: 20 requests per second is one every 50 ms.
    let traffic = Traffic {
        requests_per_second: Some(20.0),
        ..Traffic::default()
    };
    let cases: Vec<Case> = paths.iter().map(|p| case("GET", p)).collect();
    let started = Instant::now();
    let runs = run(&url, &cases, 6, &traffic).await;
    assert!(runs.iter().all(|r| outcome(r) == Ok(200)));
    let mut times: Vec<Instant> = script
        .seen
        .requests
        .lock()
        .unwrap()
        .iter()
        .map(|(_, _, t)| *t)
        .collect();
    times.sort();
    let gaps: Vec<Duration> = times.windows(2).map(|w| w[1] - w[0]).collect();
    // Six cases in flight at once send about 50 ms apart. Loosely: connecting adds a few
    // milliseconds of its own to each arrival, and the timer may fire late, never early.
    assert!(
        gaps.iter().all(|g| *g >= Duration::from_millis(25)),
        "{gaps:?}"
    );
    assert!(
        times[5] - times[0] >= Duration::from_millis(200),
        "{gaps:?}"
    );
    // Without the limit they would all arrive within a few milliseconds.
    assert!(started.elapsed() < Duration::from_secs(2));
}

#[tokio::test]
async fn the_deadline_refuses_waits_and_steps_past_it() {
    let (url, script) = serve(vec![
        (
            "/slow-limit",
            vec![status(429, &[("retry-after", "30")]), ok()],
        ),
        ("/a", vec![ok()]),
    ])
    .await;
    let clock = VirtualClock::new();
    let traffic = Traffic {
        deadline: Some(Duration::from_secs(10)),
        ..traffic(&clock)
    };
    let runs = run(
        &url,
        &[case("GET", "/slow-limit"), case("GET", "/a")],
        1,
        &traffic,
    )
    .await;
    assert_eq!(
        outcome(&runs[0]),
        Err(
            "gave up after 429 Retry-After 30 s: waiting 30 s to retry would pass the run's \
             deadline (10 s)"
                .into()
        )
    );
    assert_eq!(outcome(&runs[1]), Ok(200));
    // Once the deadline has passed, no step is sent.
    let late = Traffic {
        deadline: Some(Duration::ZERO),
        ..traffic.clone()
    };
    let runs = run(&url, &[case("GET", "/a")], 1, &late).await;
    assert_eq!(
        outcome(&runs[0]),
        Err("not sent: the run's deadline (0 ms) has passed".into())
    );
    assert_eq!(script.seen.count.load(Ordering::SeqCst), 2);
}

#[tokio::test]
async fn remaining_zero_holds_every_request_until_the_reset() {
    let clock = VirtualClock::new();
    let reset = format_iso8601(clock.wall() + Duration::from_secs(15));
    let (url, script) = serve(vec![
        (
            "/last",
            vec![status(
                200,
                &[
                    ("x-ratelimit-remaining", "0"),
                    ("x-ratelimit-reset", &reset),
                    ("x-ratelimit-nearlimit", "true"),
                ],
            )],
        ),
        ("/next", vec![ok()]),
    ])
    .await;
    let runs = run(
        &url,
        &[case("GET", "/last"), case("GET", "/next")],
        1,
        &traffic(&clock),
    )
    .await;
    assert!(runs.iter().all(|r| outcome(r) == Ok(200)));
    assert!(runs.iter().all(|r| r.retries.is_empty()));
    // The second request waited for the reset, though nothing was refused.
    let waited = clock.sleeps();
    assert_eq!(waited.len(), 1, "{waited:?}");
    assert!(
        (Duration::from_secs(14)..=Duration::from_secs(15)).contains(&waited[0]),
        "{waited:?}"
    );
    assert_eq!(script.seen.count.load(Ordering::SeqCst), 2);
}

// ---- the whole suite through a rate-limiting front ---------------------------------------------

/// A front for the embedded mock that answers the first request of every method and path with
/// 429 (`Retry-After: 0`) and forwards the rest.
struct Front {
    mock: String,
    client: reqwest::Client,
    seen: Mutex<HashSet<String>>,
    limited: AtomicUsize,
}

async fn front(
    State(front): State<Arc<Front>>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let key = format!("{method} {uri}");
    if front.seen.lock().unwrap().insert(key) {
        front.limited.fetch_add(1, Ordering::SeqCst);
        return (
            StatusCode::TOO_MANY_REQUESTS,
            [
                ("retry-after", "0"),
                ("ratelimit-reason", "jira-burst-based"),
            ],
        )
            .into_response();
    }
    let url = format!("{}{uri}", front.mock);
    let mut request = front
        .client
        .request(
            reqwest::Method::from_bytes(method.as_str().as_bytes()).unwrap(),
            url,
        )
        .body(body.to_vec());
    for name in ["authorization", "content-type"] {
        if let Some(v) = headers.get(name) {
            request = request.header(name, v.as_bytes());
        }
    }
    let answer = request.send().await.expect("the mock answers");
    let mut response = Response::builder().status(answer.status().as_u16());
    for (name, value) in answer.headers() {
        if !matches!(
            name.as_str(),
            "content-length" | "transfer-encoding" | "connection"
        ) {
            response = response.header(name.as_str(), value.as_bytes());
        }
    }
    let bytes = answer.bytes().await.expect("a body");
    response.body(axum::body::Body::from(bytes)).unwrap()
}

#[test]
fn the_whole_suite_passes_through_a_rate_limiting_front_and_says_it_retried() {
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let config = Config {
        snapshots: SnapshotChoice::Off,
        ..Config::default()
    };
    let prepared = prepare(&config).unwrap();
    let (report, limited) = runtime.block_on(async {
        let mock = MockServer::start(&prepared.fixtures, &[]).await.unwrap();
        let state = Arc::new(Front {
            mock: mock.base_url.trim_end_matches('/').to_string(),
            client: reqwest::Client::builder()
                .redirect(reqwest::redirect::Policy::none())
                .build()
                .unwrap(),
            seen: Mutex::new(HashSet::new()),
            limited: AtomicUsize::new(0),
        });
        let url = crate::support::loopback::serve(
            Router::new().fallback(front).with_state(state.clone()),
        )
        .await;
        let config = Config {
            target: Some(url),
            ..config.clone()
        };
        let output = run_suite(&config, &prepared, Arc::new(|_| {}))
            .await
            .unwrap();
        mock.stop().await;
        (output.report, state.limited.load(Ordering::SeqCst))
    });
    let not_passed: Vec<String> = report
        .verdicts
        .iter()
        .filter(|v| !matches!(v.outcome, Outcome::Pass | Outcome::Skipped))
        .map(|v| format!("{}: {:?} {:?}", v.case_id, v.outcome, v.reason))
        .collect();
    assert_eq!(not_passed, Vec::<String>::new());
    let retried = report
        .verdicts
        .iter()
        .filter(|v| {
            v.reason
                .as_deref()
                .is_some_and(|r| r.starts_with("retried 1 time (429 Retry-After 0 ms)"))
        })
        .count();
    assert!(retried > 100 && limited > retried, "{retried} of {limited}");
    let mut out = Vec::new();
    write_terminal(
        &report,
        &mut out,
        &TerminalOptions {
            color: false,
            verbose: true,
        },
    )
    .unwrap();
    let text = String::from_utf8(out).unwrap();
    assert!(
        text.lines().any(|l| l.starts_with("PASS ")
            && l.ends_with(" ms; retried 1 time (429 Retry-After 0 ms))")),
        "{}",
        &text[..2000.min(text.len())]
    );
}
