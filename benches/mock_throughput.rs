//! `cargo bench --bench mock_throughput`: loopback throughput of the reference mock, 20 000
//! authenticated GETs of `/rest/api/3/myself` from 64 concurrent clients (each its own
//! connection pool), printed as requests per second. Bounded: it fails after 2 minutes.

use std::time::{Duration, Instant};

use jira_conform::fixtures::Fixtures;
use jira_conform::mock::MockServer;
use reqwest::{Client, StatusCode};

const REQUESTS: usize = 20_000;
const CLIENTS: usize = 64;

fn main() {
    let runtime = tokio::runtime::Runtime::new().expect("a tokio runtime");
    runtime.block_on(myself_throughput());
}

async fn myself_throughput() {
    let fixtures = Fixtures::embedded().expect("the embedded fixtures parse");
    let server = MockServer::start(&fixtures, &[])
        .await
        .expect("the mock starts");
    let url = format!("{}/rest/api/3/myself", server.base_url);
    let start = Instant::now();
    let mut tasks = Vec::new();
    for c in 0..CLIENTS {
        let url = url.clone();
        let client = Client::builder().no_proxy().build().expect("a client");
        let count = REQUESTS / CLIENTS + usize::from(c < REQUESTS % CLIENTS);
        tasks.push(tokio::spawn(async move {
            for _ in 0..count {
                let response = client
                    .get(&url)
                    .basic_auth("alice@example.test", Some("mock-alice-token"))
                    .send()
                    .await
                    .expect("the mock answers");
                assert_eq!(response.status(), StatusCode::OK);
                response.bytes().await.expect("a body");
            }
        }));
    }
    let run = async {
        for task in tasks {
            task.await.expect("no client panicked");
        }
    };
    tokio::time::timeout(Duration::from_secs(120), run)
        .await
        .expect("the measurement finishes within 2 minutes");
    let elapsed = start.elapsed();
    println!(
        "mock throughput: {REQUESTS} GETs of /rest/api/3/myself, {CLIENTS} concurrent clients: {:.0} requests/s ({elapsed:.2?})",
        REQUESTS as f64 / elapsed.as_secs_f64()
    );
    server.stop().await;
}
