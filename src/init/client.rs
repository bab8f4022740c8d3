//! The discovery's HTTP client: GET only, as one principal at a time, paced like a run (the
//! run's [`Pace`]: a rate, a request budget, the pauses a target asks for) and retried like a
//! run ([`decide`]: 429 and 503 after `Retry-After` or a backoff with jitter).

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};
use std::time::{SystemTime, UNIX_EPOCH};

use base64::Engine as _;
use serde_json::Value;

use super::{AuthSpec, InitError, PrincipalSpec};
use crate::run::retry::{decide, read_hints, Decision, Jitter, Signal};
use crate::run::{Pace, Purpose, RetryPolicy, TokioClock};

/// The largest body read; a Jira page of projects or worklogs is far smaller.
const BODY_CAP: usize = 8 << 20;

/// One answer: its status, content type and body (JSON when it parses).
#[derive(Debug, Clone)]
pub(super) struct Answer {
    pub(super) status: u16,
    pub(super) content_type: Option<String>,
    pub(super) size: usize,
    pub(super) json: Option<Value>,
}

impl Answer {
    /// The JSON body of a 200, if that is what came back.
    pub(super) fn ok(&self) -> Option<&Value> {
        (self.status == 200).then_some(self.json.as_ref()).flatten()
    }

    /// Status, content type and size, for messages (never the body: it may echo anything).
    pub(super) fn describe(&self) -> String {
        let ct = self.content_type.as_deref().unwrap_or("no content type");
        format!("{} {ct} ({} bytes)", self.status, self.size)
    }
}

/// Sends the discovery's requests.
pub(super) struct Client {
    http: reqwest::Client,
    base: String,
    auth: BTreeMap<String, String>,
    pace: Pace,
    policy: RetryPolicy,
    jitter: Mutex<Jitter>,
}

impl Client {
    /// A client for `base` with the principals' tokens read through `env`.
    pub(super) fn new(
        base: &str,
        principals: &[PrincipalSpec],
        env: &dyn Fn(&str) -> Option<String>,
        options: &super::InitOptions,
    ) -> Result<Client, InitError> {
        let mut auth = BTreeMap::new();
        for p in principals {
            let var = p.auth.token_env();
            let token =
                env(var)
                    .filter(|t| !t.is_empty())
                    .ok_or_else(|| InitError::MissingToken {
                        principal: p.name.clone(),
                        var: var.to_string(),
                    })?;
            let header = match &p.auth {
                AuthSpec::Basic { email, .. } => format!(
                    "Basic {}",
                    base64::engine::general_purpose::STANDARD.encode(format!("{email}:{token}"))
                ),
                AuthSpec::Bearer { .. } => format!("Bearer {token}"),
            };
            auth.insert(p.name.clone(), header);
        }
        let http = reqwest::Client::builder()
            .timeout(options.timeout)
            .redirect(reqwest::redirect::Policy::none())
            .user_agent(concat!(
                "jira-conform/",
                env!("CARGO_PKG_VERSION"),
                " (init)"
            ))
            .build()
            .map_err(|e| InitError::Unreachable {
                url: base.to_string(),
                why: format!("cannot build the HTTP client: {e}"),
            })?;
        let loopback = reqwest::Url::parse(base)
            .ok()
            .and_then(|u| u.host_str().map(str::to_string))
            .is_some_and(|h| h == "localhost" || h == "[::1]" || h.starts_with("127."));
        let rps = options
            .requests_per_second
            .or((!loopback).then_some(super::DEFAULT_REMOTE_RPS));
        let seed = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_or(0, |d| d.as_nanos() as u64);
        Ok(Client {
            http,
            base: base.to_string(),
            auth,
            pace: Pace::new(
                Arc::new(TokioClock::default()),
                rps,
                Some(options.request_budget),
                None,
            ),
            policy: RetryPolicy {
                max_retries: options.max_retries,
                ..RetryPolicy::default()
            },
            jitter: Mutex::new(Jitter::new(seed)),
        })
    }

    /// Requests sent so far (retries included).
    pub(super) fn sent(&self) -> u64 {
        self.pace.sent()
    }

    fn jitter(&self) -> f64 {
        self.jitter
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .next_fraction()
    }

    /// `GET <base><path>` as principal `who`: the answer, or why there is none.
    pub(super) async fn get(&self, who: &str, path: &str) -> Result<Answer, InitError> {
        let url = format!("{}{path}", self.base);
        let mut retries = 0;
        loop {
            self.pace
                .admit(Purpose::Step(0))
                .await
                .map_err(|why| self.stopped(why))?;
            let mut request = self.http.get(&url);
            if let Some(header) = self.auth.get(who) {
                request = request.header(reqwest::header::AUTHORIZATION, header);
            }
            let (signal, outcome) = match request.send().await {
                Ok(response) => {
                    let status = response.status().as_u16();
                    let hints = read_hints(response.headers(), self.pace.clock().wall());
                    if hints.remaining == Some(0) {
                        if let Some(reset) = &hints.reset {
                            self.pace
                                .hold_for(reset.wait.min(self.policy.retry_after_cap));
                        }
                    }
                    let content_type = response
                        .headers()
                        .get(reqwest::header::CONTENT_TYPE)
                        .and_then(|v| v.to_str().ok())
                        .map(str::to_string);
                    let outcome = read(response).await.map(|body| Answer {
                        status,
                        content_type,
                        size: body.len(),
                        json: serde_json::from_slice(&body).ok(),
                    });
                    (Signal::Answered { status, hints }, outcome)
                }
                Err(e) => {
                    let signal = if e.is_connect() && refused(&e) {
                        Signal::Refused
                    } else {
                        Signal::Broken
                    };
                    (signal, Err(e))
                }
            };
            match decide(&self.policy, "GET", retries, &signal, self.jitter()) {
                Decision::Retry {
                    wait, from_target, ..
                } => {
                    retries += 1;
                    if from_target {
                        self.pace.hold_for(wait);
                    } else {
                        self.pace.clock().sleep(wait).await;
                    }
                }
                Decision::GiveUp(why) if matches!(signal, Signal::Answered { .. }) => {
                    return Err(self.stopped(format!("GET {path}: {why}")))
                }
                Decision::GiveUp(_) | Decision::Done => {
                    return outcome.map_err(|e| self.transport(path, &e))
                }
            }
        }
    }

    fn stopped(&self, why: String) -> InitError {
        InitError::Stopped {
            url: self.base.clone(),
            why,
        }
    }

    /// A transport failure in words, never with the URL's user information or a body.
    fn transport(&self, path: &str, e: &reqwest::Error) -> InitError {
        let unreachable = |why: String| InitError::Unreachable {
            url: self.base.clone(),
            why,
        };
        if e.is_timeout() {
            return unreachable(format!("GET {path} did not answer in time"));
        }
        if e.is_connect() {
            if refused(e) {
                return unreachable("refused the connection".into());
            }
            return unreachable(format!("could not connect ({})", innermost(e)));
        }
        InitError::NotJira {
            url: self.base.clone(),
            answered: format!(
                "GET {path} got an answer that is not valid HTTP ({})",
                innermost(e)
            ),
        }
    }
}

fn innermost(e: &reqwest::Error) -> String {
    use std::error::Error as _;
    let mut inner = e.to_string();
    let mut source = e.source();
    while let Some(s) = source {
        inner = s.to_string();
        source = s.source();
    }
    inner
}

fn refused(e: &reqwest::Error) -> bool {
    innermost(e).to_ascii_lowercase().contains("refused")
}

async fn read(mut response: reqwest::Response) -> reqwest::Result<Vec<u8>> {
    let mut body = Vec::new();
    while let Some(chunk) = response.chunk().await? {
        let room = BODY_CAP - body.len();
        body.extend_from_slice(&chunk[..chunk.len().min(room)]);
        if body.len() >= BODY_CAP {
            break;
        }
    }
    Ok(body)
}
