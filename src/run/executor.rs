//! Sends cases: steps in order within a case, cases in parallel up to a bound, cleanup always.

use std::sync::Arc;
use std::time::{Duration, Instant};

use tokio::sync::Semaphore;
use tokio::task::JoinSet;

use super::auth::authorization;
use super::run_id::{case_run_id, substitute};
use crate::case::{Body, Case, Request};
use crate::exchange::{CaseRun, Exchange, Received, SentRequest};
use crate::fixtures::Fixtures;

/// Response bodies are read up to this many bytes; the rest is dropped and the cut is noted.
pub const BODY_CAP_BYTES: usize = 8 * 1024 * 1024;

/// How to run.
#[derive(Debug, Clone)]
pub struct RunOptions {
    /// Cases in flight at once.
    pub concurrency: usize,
    /// Per-request timeout.
    pub timeout: Duration,
    /// The run prefix of run ids (see [`super::run_prefix`]).
    pub run_prefix: String,
}

/// Runs every case that is not skipped; the result is aligned with `cases` (`None` for the
/// skipped ones). `progress` is called once per finished case, from any thread.
pub async fn execute(
    cases: &[Case],
    base_url: &str,
    fixtures: &Fixtures,
    options: &RunOptions,
    progress: Arc<dyn Fn(&CaseRun) + Send + Sync>,
) -> Vec<Option<CaseRun>> {
    let client = match reqwest::Client::builder()
        .timeout(options.timeout)
        // Credentials must never follow a redirect to another host; and a redirect is itself
        // an answer worth seeing.
        .redirect(reqwest::redirect::Policy::none())
        .user_agent(concat!("jira-conform/", env!("CARGO_PKG_VERSION")))
        .build()
    {
        Ok(c) => c,
        Err(e) => {
            let message = format!("cannot build the HTTP client: {e}");
            return cases
                .iter()
                .map(|c| c.skip.is_none().then(|| failed_run(c, &message)))
                .collect();
        }
    };
    let shared = Arc::new(Shared {
        client,
        base: base_url.trim_end_matches('/').to_string(),
        fixtures: fixtures.clone(),
    });
    let limit = Arc::new(Semaphore::new(options.concurrency.max(1)));
    let mut set = JoinSet::new();
    for (index, case) in cases.iter().enumerate() {
        if case.skip.is_some() {
            continue;
        }
        let case = case.clone();
        let shared = shared.clone();
        let limit = limit.clone();
        let progress = progress.clone();
        let run_id = case_run_id(&options.run_prefix, index);
        set.spawn(async move {
            let _permit = limit.acquire_owned().await;
            let run = run_case(&shared, &case, run_id).await;
            progress(&run);
            (index, run)
        });
    }
    let mut out: Vec<Option<CaseRun>> = vec![None; cases.len()];
    while let Some(joined) = set.join_next().await {
        // A panic inside a case task is a bug; its slot stays empty and is reported as an
        // error below rather than taking the run down.
        if let Ok((index, run)) = joined {
            out[index] = Some(run);
        }
    }
    for (slot, case) in out.iter_mut().zip(cases) {
        if slot.is_none() && case.skip.is_none() {
            *slot = Some(failed_run(case, "the case's task ended abnormally"));
        }
    }
    out
}

fn failed_run(case: &Case, message: &str) -> CaseRun {
    CaseRun {
        case_id: case.id.clone(),
        run_id: String::new(),
        exchanges: vec![Exchange {
            step: 0,
            request: SentRequest {
                method: String::new(),
                url: String::new(),
                actor: String::new(),
                content_type: None,
                body: None,
            },
            response: Err(message.to_string()),
        }],
        elapsed_ms: 0,
        cleanup_failures: Vec::new(),
    }
}

struct Shared {
    client: reqwest::Client,
    base: String,
    fixtures: Fixtures,
}

async fn run_case(shared: &Shared, case: &Case, run_id: String) -> CaseRun {
    let started = Instant::now();
    let mut exchanges = Vec::new();
    for (step, s) in case.steps.iter().enumerate() {
        let request = substitute(&s.request, &run_id);
        let Some(request) = super::step_ref::resolve(&request, &exchanges) else {
            exchanges.push(Exchange {
                step,
                request: SentRequest {
                    method: request.method.clone(),
                    url: url_for(&shared.base, &request),
                    actor: request.actor.to_string(),
                    content_type: None,
                    body: None,
                },
                response: Err("not sent: it names a value an earlier step did not return".into()),
            });
            break;
        };
        let exchange = send(shared, step, &request).await;
        let stop = exchange.response.is_err();
        exchanges.push(exchange);
        if stop {
            break;
        }
    }
    let mut cleanup_failures = Vec::new();
    for c in &case.cleanup {
        let request = substitute(c, &run_id);
        // Nothing to clean up when the step that would have created it returned no id.
        let Some(request) = super::step_ref::resolve(&request, &exchanges) else {
            continue;
        };
        let ex = send(shared, usize::MAX, &request).await;
        match &ex.response {
            Ok(r) if (200..300).contains(&r.status) || r.status == 404 => {}
            Ok(r) => cleanup_failures.push(format!(
                "{} {} → {}",
                ex.request.method, ex.request.url, r.status
            )),
            Err(e) => {
                cleanup_failures.push(format!("{} {} → {e}", ex.request.method, ex.request.url))
            }
        }
    }
    CaseRun {
        case_id: case.id.clone(),
        run_id,
        exchanges,
        elapsed_ms: started.elapsed().as_millis() as u64,
        cleanup_failures,
    }
}

/// The URL for a request: base + path + encoded query.
pub fn url_for(base: &str, request: &Request) -> String {
    let mut url = format!("{base}{}", request.path);
    if !request.query.is_empty() {
        let query: Vec<String> = request
            .query
            .iter()
            .map(|(k, v)| format!("{}={}", encode_query(k), encode_query(v)))
            .collect();
        url.push('?');
        url.push_str(&query.join("&"));
    }
    url
}

fn encode_query(text: &str) -> String {
    let mut out = String::new();
    for b in text.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~' | b':') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

async fn send(shared: &Shared, step: usize, request: &Request) -> Exchange {
    let url = url_for(&shared.base, request);
    let (content_type, body_text) = match &request.body {
        Body::None => (None, None),
        Body::Json(v) => (Some("application/json".to_string()), Some(v.to_string())),
        Body::Raw { content_type, text } => (Some(content_type.clone()), Some(text.clone())),
    };
    let sent = SentRequest {
        method: request.method.clone(),
        url: url.clone(),
        actor: request.actor.to_string(),
        content_type: content_type.clone(),
        body: body_text.clone(),
    };
    let response = async {
        let method = reqwest::Method::from_bytes(request.method.as_bytes())
            .map_err(|_| format!("{:?} is not an HTTP method", request.method))?;
        let mut builder = shared.client.request(method, &url);
        if let Some(auth) = authorization(&request.actor, &shared.fixtures)? {
            builder = builder.header(reqwest::header::AUTHORIZATION, auth);
        }
        if let (Some(ct), Some(body)) = (content_type, body_text) {
            builder = builder.header(reqwest::header::CONTENT_TYPE, ct).body(body);
        }
        let started = Instant::now();
        let mut response = builder.send().await.map_err(describe)?;
        let header = |name: reqwest::header::HeaderName| {
            response
                .headers()
                .get(name)
                .and_then(|v| v.to_str().ok())
                .map(str::to_string)
        };
        let content_type = header(reqwest::header::CONTENT_TYPE);
        let allow = header(reqwest::header::ALLOW);
        let status = response.status().as_u16();
        let mut body = Vec::new();
        let mut truncated = false;
        while let Some(chunk) = response.chunk().await.map_err(describe)? {
            let room = BODY_CAP_BYTES.saturating_sub(body.len());
            if chunk.len() > room {
                body.extend_from_slice(&chunk[..room]);
                truncated = true;
                break;
            }
            body.extend_from_slice(&chunk);
        }
        Ok::<_, String>(Received {
            status,
            content_type,
            allow,
            body: String::from_utf8_lossy(&body).into_owned(),
            truncated,
            elapsed_ms: started.elapsed().as_millis() as u64,
        })
    }
    .await;
    Exchange {
        step,
        request: sent,
        response,
    }
}

/// A transport error in words, without the URL's query (which could carry user input) repeated.
fn describe(e: reqwest::Error) -> String {
    let kind = if e.is_timeout() {
        "timed out"
    } else if e.is_connect() {
        "could not connect"
    } else if e.is_body() || e.is_decode() {
        "the body could not be read"
    } else {
        "request failed"
    };
    let mut source: Option<&dyn std::error::Error> = std::error::Error::source(&e);
    let mut detail = String::new();
    while let Some(s) = source {
        detail = s.to_string();
        source = s.source();
    }
    if detail.is_empty() {
        kind.to_string()
    } else {
        format!("{kind}: {detail}")
    }
}
