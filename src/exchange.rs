//! What was sent and what came back, with secrets already removed.

use serde::{Deserialize, Serialize};

/// The most a run keeps of one response body, in bytes of text: real Jira answers are far
/// smaller (a 32768-byte property value comes back in ~33 KB, a large listing in a few hundred
/// KB); the rest is dropped unread and the verdict says so.
pub const BODY_CAP_BYTES: usize = 2 * 1024 * 1024;

/// A request as sent. Holds no credential: the actor is named, never its token.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SentRequest {
    /// Upper-case method.
    pub method: String,
    /// The full URL as sent (run id substituted).
    pub url: String,
    /// Who sent it (principal name, `anonymous` or `invalid-credentials`).
    pub actor: String,
    /// The `Content-Type` sent, if a body was sent.
    pub content_type: Option<String>,
    /// The body as sent, as text (bodies are JSON or text here).
    pub body: Option<String>,
}

/// A response as received.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Received {
    /// Status code.
    pub status: u16,
    /// The `Content-Type` header.
    pub content_type: Option<String>,
    /// The `Allow` header, if any.
    pub allow: Option<String>,
    /// The `WWW-Authenticate` challenge, if any (checked on 401 answers, RFC 9110 §11.6.1).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub www_authenticate: Option<String>,
    /// The body as text (lossy UTF-8), capped in size by the runner.
    pub body: String,
    /// Whether the body was cut at the runner's cap.
    pub truncated: bool,
    /// Milliseconds from sending to the end of the body.
    pub elapsed_ms: u64,
}

impl Received {
    /// The body parsed as JSON, if it is JSON.
    pub fn json(&self) -> Option<serde_json::Value> {
        if self.body.trim().is_empty() {
            return None;
        }
        serde_json::from_str(&self.body).ok()
    }
}

/// One step of a case: the request and what came back, or why nothing came back.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Exchange {
    /// Index of the step in the case (cleanup requests are not recorded).
    pub step: usize,
    /// The request.
    pub request: SentRequest,
    /// The response, or the transport error. Written `{"received": …}` or `{"error": "…"}`.
    #[serde(with = "response_json")]
    pub response: Result<Received, String>,
}

#[cfg(test)]
impl Exchange {
    /// A GET answered with `status` and a JSON `body`, for the checks' and reports' tests.
    pub(crate) fn answered(
        step: usize,
        url: &str,
        actor: &str,
        status: u16,
        body: &str,
    ) -> Exchange {
        Exchange {
            step,
            request: SentRequest {
                method: "GET".into(),
                url: url.into(),
                actor: actor.into(),
                content_type: None,
                body: None,
            },
            response: Ok(Received {
                status,
                content_type: Some("application/json".into()),
                allow: None,
                www_authenticate: None,
                body: body.into(),
                truncated: false,
                elapsed_ms: 1,
            }),
        }
    }
}

/// What running one case produced: its exchanges in order, then timing.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, serde::Deserialize)]
pub struct CaseRun {
    /// The case id.
    pub case_id: String,
    /// The run id substituted for [`crate::case::RUN_TOKEN`].
    pub run_id: String,
    /// One exchange per step that was sent (the run stops at a transport error).
    pub exchanges: Vec<Exchange>,
    /// Wall time of the case, steps and cleanup.
    pub elapsed_ms: u64,
    /// Cleanup requests that did not succeed (left-overs on the target).
    pub cleanup_failures: Vec<String>,
    /// Requests the runner sent again (rate limits, a target briefly unavailable), in order.
    pub retries: Vec<Retry>,
    /// What the runner noticed beyond the exchanges, one line each: a body cut at the size
    /// cap, a redirect to another host not followed.
    pub notes: Vec<String>,
}

/// One request sent again.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, serde::Deserialize)]
pub struct Retry {
    /// The step whose request was sent again; `None` for a cleanup request.
    pub step: Option<usize>,
    /// Why: `429 Retry-After 1 s`, `503`, `connection refused`.
    pub cause: String,
    /// Whether the target chose the wait (`Retry-After`, `X-RateLimit-Reset`) rather than the
    /// runner's backoff.
    pub target_chose_wait: bool,
    /// How long the runner waited before sending it again, in milliseconds.
    pub waited_ms: u64,
}

impl CaseRun {
    /// `retried 2 times (429 Retry-After 1 s)`, or `None` when nothing was sent again. Causes
    /// are listed once each, in order; backoff waits are added up.
    pub fn retry_summary(&self) -> Option<String> {
        if self.retries.is_empty() {
            return None;
        }
        let mut causes: Vec<(&str, bool, u64)> = Vec::new();
        for r in &self.retries {
            match causes
                .iter_mut()
                .find(|(c, chosen, _)| *c == r.cause && *chosen == r.target_chose_wait)
            {
                Some(entry) => entry.2 += r.waited_ms,
                None => causes.push((&r.cause, r.target_chose_wait, r.waited_ms)),
            }
        }
        let causes: Vec<String> = causes
            .into_iter()
            .map(|(cause, chosen, waited)| {
                if chosen {
                    cause.to_string()
                } else {
                    format!("{cause}, backoff {waited} ms")
                }
            })
            .collect();
        let n = self.retries.len();
        Some(format!(
            "retried {n} {} ({})",
            if n == 1 { "time" } else { "times" },
            causes.join("; ")
        ))
    }
}

/// The JSON spelling of an exchange's outcome: `{"received": …}` or `{"error": "…"}`, the
/// tool's own words rather than Rust's `Ok`/`Err`.
mod response_json {
    use serde::{Deserialize, Deserializer, Serialize, Serializer};

    use super::Received;

    #[derive(Serialize)]
    #[serde(rename_all = "snake_case")]
    enum Shown<'a> {
        Received(&'a Received),
        Error(&'a str),
    }

    #[derive(Deserialize)]
    #[serde(rename_all = "snake_case")]
    enum Read {
        Received(Received),
        Error(String),
    }

    pub fn serialize<S: Serializer>(
        response: &Result<Received, String>,
        serializer: S,
    ) -> Result<S::Ok, S::Error> {
        match response {
            Ok(r) => Shown::Received(r),
            Err(e) => Shown::Error(e),
        }
        .serialize(serializer)
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(
        deserializer: D,
    ) -> Result<Result<Received, String>, D::Error> {
        Ok(match Read::deserialize(deserializer)? {
            Read::Received(r) => Ok(r),
            Read::Error(e) => Err(e),
        })
    }
}
