//! The run's scheduling against a loopback target that keeps itself full: it holds every
//! request and lets the oldest go only when another arrives with as many as the concurrency
//! already in flight. A run that sends more at once than its concurrency is seen doing it; one
//! that sends fewer never fills the target (and fails after a bounded wait). Every case runs
//! once, and the runs come back in the order of the cases. A run that is dropped (its caller
//! gave up) leaves no case sending on its own.

use std::collections::HashSet;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::extract::State;
use axum::http::Uri;
use axum::response::IntoResponse;
use axum::Router;
use jira_conform::case::{Actor, Body, Case, Request};
use jira_conform::fixtures::Fixtures;
use jira_conform::run::{execute, RunOptions};
use tokio::sync::Semaphore;

/// What the target saw, and the requests it holds.
struct Gate {
    /// Requests being answered now.
    in_flight: AtomicUsize,
    /// The most seen at once.
    most: AtomicUsize,
    /// Requests held longer than 5 s: the run never filled the target.
    timed_out: AtomicUsize,
    /// Every path asked for.
    paths: Mutex<Vec<String>>,
    /// One permit lets the oldest held request go (first come, first served).
    release: Semaphore,
    /// The requests the run will send: the last one lets every held request go.
    total: usize,
    /// In flight together when a request arrives: the oldest goes.
    wanted: usize,
}

/// Holds the request until it is let go (see [`Gate`]), then answers 200.
async fn held(State(gate): State<Arc<Gate>>, uri: Uri) -> impl IntoResponse {
    let seen = {
        let mut paths = gate.paths.lock().unwrap();
        paths.push(uri.path().to_string());
        paths.len()
    };
    let now = gate.in_flight.fetch_add(1, Ordering::SeqCst) + 1;
    gate.most.fetch_max(now, Ordering::SeqCst);
    if seen >= gate.total {
        gate.release.add_permits(gate.total);
    } else if now >= gate.wanted {
        gate.release.add_permits(1);
    }
    match tokio::time::timeout(Duration::from_secs(5), gate.release.acquire()).await {
        Ok(Ok(permit)) => permit.forget(),
        Ok(Err(_)) => {}
        Err(_) => {
            // Counted, and everything let go, so that a run that never fills the target fails
            // in seconds.
            gate.timed_out.fetch_add(1, Ordering::SeqCst);
            gate.release.add_permits(gate.total);
        }
    }
    gate.in_flight.fetch_sub(1, Ordering::SeqCst);
    axum::Json(serde_json::json!({"ok": true}))
}

fn case(n: usize) -> Case {
    let request = Request {
        method: "GET".into(),
        path: format!("/rest/api/3/held/{n}"),
        query: Vec::new(),
        actor: Actor::Anonymous,
        body: Body::None,
    };
    let mut case = crate::support::cases::one_step(
        format!("scheduling::held::{n:03}"),
        "scheduling",
        request,
        "the gate answers 200",
    );
    case.skip = (n % 7 == 3).then(|| "skipped by the test".to_string());
    case
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_run_reaches_its_concurrency_never_exceeds_it_and_keeps_the_case_order() {
    let concurrency = 4;
    let cases: Vec<Case> = (0..50).map(case).collect();
    let running = cases.iter().filter(|c| c.skip.is_none()).count();
    let gate = Arc::new(Gate {
        in_flight: AtomicUsize::new(0),
        most: AtomicUsize::new(0),
        timed_out: AtomicUsize::new(0),
        paths: Mutex::new(Vec::new()),
        release: Semaphore::new(0),
        total: running,
        wanted: concurrency,
    });
    let base =
        crate::support::loopback::serve(Router::new().fallback(held).with_state(gate.clone()))
            .await;
    let options = RunOptions {
        concurrency,
        timeout: Duration::from_secs(10),
        run_prefix: "sch".into(),
    };
    let fixtures = Fixtures::embedded().unwrap();
    let runs = execute(&cases, &base, &fixtures, &options, Arc::new(|_| {})).await;

    assert_eq!(
        gate.most.load(Ordering::SeqCst),
        concurrency,
        "at most, and at once"
    );
    assert_eq!(
        gate.timed_out.load(Ordering::SeqCst),
        0,
        "the target was kept full"
    );
    assert_eq!(runs.len(), cases.len());
    for (case, run) in cases.iter().zip(&runs) {
        match (&case.skip, run) {
            (Some(_), None) => {}
            (None, Some(run)) => {
                assert_eq!(run.case_id, case.id, "runs are aligned with the cases");
                let status = run.exchanges[0].response.as_ref().map(|r| r.status);
                assert_eq!(status, Ok(200), "{}", case.id);
            }
            (skip, run) => panic!("{}: skip {skip:?} but run {:?}", case.id, run.is_some()),
        }
    }
    let paths = gate.paths.lock().unwrap();
    let distinct: HashSet<&String> = paths.iter().collect();
    assert_eq!(paths.len(), running, "each case sent once");
    assert_eq!(distinct.len(), running);
}

/// What the stalling target saw.
#[derive(Default)]
struct Stalled {
    /// First steps being held.
    held: AtomicUsize,
    /// Second steps that arrived.
    second: AtomicUsize,
    full: tokio::sync::Notify,
    release: tokio::sync::Notify,
    released: std::sync::atomic::AtomicBool,
}

/// `/first/…` is held until the release; `/second/…` is counted and answered.
async fn stalling(State(seen): State<Arc<Stalled>>, uri: Uri) -> impl IntoResponse {
    if uri.path().contains("/second/") {
        seen.second.fetch_add(1, Ordering::SeqCst);
    } else {
        let release = seen.release.notified();
        tokio::pin!(release);
        release.as_mut().enable();
        if seen.held.fetch_add(1, Ordering::SeqCst) + 1 == 4 {
            seen.full.notify_one();
        }
        if !seen.released.load(Ordering::SeqCst) {
            release.await;
        }
    }
    axum::Json(serde_json::json!({"ok": true}))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_run_given_up_leaves_no_case_sending() {
    let cases: Vec<Case> = (0..12)
        .map(|n| {
            let mut case = case(n);
            case.skip = None;
            let mut second = case.steps[0].clone();
            second.request.path = format!("/rest/api/3/second/{n}");
            case.steps[0].request.path = format!("/rest/api/3/first/{n}");
            case.steps.push(second);
            case
        })
        .collect();
    let seen = Arc::new(Stalled::default());
    let base =
        crate::support::loopback::serve(Router::new().fallback(stalling).with_state(seen.clone()))
            .await;
    let options = RunOptions {
        concurrency: 4,
        timeout: Duration::from_secs(30),
        run_prefix: "sch".into(),
    };
    let fixtures = Fixtures::embedded().unwrap();
    // The run is dropped once its four first requests are held: as a caller giving up does.
    tokio::select! {
        _ = execute(&cases, &base, &fixtures, &options, Arc::new(|_| {})) => {
            panic!("the run ended while its requests were held")
        }
        () = seen.full.notified() => {}
    }
    seen.released.store(true, Ordering::SeqCst);
    seen.release.notify_waiters();
    // A case still running gets its held answer now and sends its second step at once; a
    // case dropped with the run closed its connection, and its held request is never answered.
    // Nothing to wait for but an absence: a bounded look.
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert_eq!(seen.held.load(Ordering::SeqCst), 4);
    assert_eq!(
        seen.second.load(Ordering::SeqCst),
        0,
        "a case kept sending after the run was dropped"
    );
}
