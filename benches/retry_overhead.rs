//! `cargo bench --bench retry_overhead`: cases per second of the whole embedded suite against
//! the embedded mock with retries off, with the default retries, and with the default retries
//! and a limit of 200 requests per second: what the retry and pacing machinery costs when the
//! target never asks for either.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use jira_conform::exchange::CaseRun;
use jira_conform::mock::MockServer;
use jira_conform::prepare;
use jira_conform::run::{execute_with, RetryPolicy, RunOptions, Traffic};
use jira_conform::Config;

fn main() {
    let runtime = tokio::runtime::Runtime::new().expect("a tokio runtime");
    let prepared = prepare(&Config::default()).expect("the embedded spec and fixtures load");
    let ran = prepared.cases.iter().filter(|c| c.skip.is_none()).count();
    for (label, retry, rps) in [
        ("retries off, no rate limit", RetryPolicy::never(), None),
        ("retries on, no rate limit", RetryPolicy::default(), None),
        (
            "retries on, 200 requests/s",
            RetryPolicy::default(),
            Some(200.0),
        ),
    ] {
        let (elapsed, sent) = runtime.block_on(async {
            let mock = MockServer::start(&prepared.fixtures, &[])
                .await
                .expect("the mock starts");
            let traffic = Traffic {
                retry,
                requests_per_second: rps,
                ..Traffic::default()
            };
            let requests = Arc::new(AtomicUsize::new(0));
            let counted = requests.clone();
            let started = Instant::now();
            let runs = execute_with(
                &prepared.cases,
                &mock.base_url,
                &prepared.fixtures,
                &RunOptions {
                    concurrency: prepared.fixtures.run.concurrency,
                    timeout: Duration::from_secs(10),
                    run_prefix: jira_conform::run::run_prefix(),
                },
                &traffic,
                Arc::new(move |run: &CaseRun| {
                    counted.fetch_add(run.exchanges.len(), Ordering::SeqCst);
                }),
            )
            .await;
            let elapsed = started.elapsed();
            mock.stop().await;
            assert!(runs.iter().flatten().all(|r| r.retries.is_empty()));
            (elapsed, requests.load(Ordering::SeqCst))
        });
        println!(
            "{label}: {ran} cases ({sent} step requests) in {:.2} s = {:.0} cases/s",
            elapsed.as_secs_f64(),
            ran as f64 / elapsed.as_secs_f64()
        );
    }
}
