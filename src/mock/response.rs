//! How the mock writes responses: every JSON body carries Jira's content type.

use axum::http::header::CONTENT_TYPE;
use axum::http::{HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use serde_json::Value;

/// The content type Jira Cloud sends with every JSON body.
pub(crate) const JSON_CONTENT_TYPE: &str = "application/json;charset=UTF-8";

/// A JSON response built from a value.
pub(crate) fn json(status: StatusCode, body: &Value) -> Response {
    // Serialised straight into a buffer: `Value`'s `Display` goes through the formatting
    // machinery, a write call per token (same bytes, several times the work).
    json_text(status, serde_json::to_string(body).unwrap_or_default())
}

/// A JSON response whose body is already JSON text (a stored property value is kept as
/// received, so numbers and escapes come back exactly as they were sent).
pub(crate) fn json_text(status: StatusCode, body: String) -> Response {
    let mut response = body.into_response();
    *response.status_mut() = status;
    response
        .headers_mut()
        .insert(CONTENT_TYPE, HeaderValue::from_static(JSON_CONTENT_TYPE));
    response
}

/// A response without a body (201/200 after a PUT, 204 after a DELETE).
pub(crate) fn empty(status: StatusCode) -> Response {
    status.into_response()
}

/// An id for a JSON body: a number, as the schemas have it, when the text is one.
pub(crate) fn id_value(id: &str) -> Value {
    id.parse::<u64>()
        .map_or_else(|_| serde_json::json!(id), Value::from)
}
