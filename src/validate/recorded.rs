//! One recorded exchange, whatever file it came from: what the HAR and pairs readers produce
//! and the checks consume.

/// A request and its response as recorded (secrets still in; they are removed when the
/// exchange is turned into a verdict).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Recorded {
    /// The case id prefix, `har::<index>` or `pairs::<file stem>`.
    pub id: String,
    /// Upper-case method.
    pub method: String,
    /// The URL as recorded, host and query included.
    pub url: String,
    /// The request's `Content-Type`, if a body was sent.
    pub request_content_type: Option<String>,
    /// The request body as text, if one was sent.
    pub request_body: Option<String>,
    /// The response status; 0 when no response was recorded (a failed or blocked request).
    pub status: u16,
    /// The response `Content-Type`.
    pub content_type: Option<String>,
    /// The response `Allow` header.
    pub allow: Option<String>,
    /// The response body as text (empty when none was recorded).
    pub body: String,
    /// How long the exchange took, as recorded.
    pub elapsed_ms: u64,
}
