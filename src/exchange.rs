//! What was sent and what came back, with secrets already removed.

use serde::Serialize;

/// A request as sent. Holds no credential: the actor is named, never its token.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
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
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Received {
    /// Status code.
    pub status: u16,
    /// The `Content-Type` header.
    pub content_type: Option<String>,
    /// The `Allow` header, if any.
    pub allow: Option<String>,
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
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Exchange {
    /// Index of the step in the case (cleanup requests are not recorded).
    pub step: usize,
    /// The request.
    pub request: SentRequest,
    /// The response, or the transport error.
    pub response: Result<Received, String>,
}

/// What running one case produced: its exchanges in order, then timing.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
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
}
