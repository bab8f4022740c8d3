//! 415 for a request body in a media type the mock's operations do not take: every operation
//! the mock serves takes `application/json` bodies (RFC 9110 §15.5.16).

use axum::extract::{Request, State};
use axum::http::header::CONTENT_TYPE;
use axum::http::{Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use super::error::JiraError;
use super::faults::Fault;
use super::state::MockState;

/// Whether a `Content-Type` names JSON (`application/json`, any `+json`, parameters aside).
fn is_json(content_type: &str) -> bool {
    let essence = content_type
        .split(';')
        .next()
        .unwrap_or_default()
        .trim()
        .to_ascii_lowercase();
    essence == "application/json"
        || (essence.starts_with("application/") && essence.ends_with("+json"))
}

/// Refuses a write whose body is declared in another media type, before the handler reads it;
/// a request without a `Content-Type` is left to the handler (it reads the bytes as JSON).
pub(crate) async fn refuse_other_media_types(
    State(state): State<MockState>,
    request: Request,
    next: Next,
) -> Response {
    let writes = matches!(
        *request.method(),
        Method::PUT | Method::POST | Method::PATCH
    );
    let declared = request
        .headers()
        .get(CONTENT_TYPE)
        .map(|v| v.to_str().map(is_json).unwrap_or(false));
    if writes && declared == Some(false) && !state.has(Fault::MediaTypeUnchecked) {
        return JiraError::new(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "Unsupported media type: the request body must be application/json.",
        )
        .into_response();
    }
    next.run(request).await
}

#[cfg(test)]
mod tests {
    use super::is_json;

    #[test]
    fn json_media_types_are_recognised_with_parameters() {
        assert!(is_json("application/json"));
        assert!(is_json("Application/JSON; charset=UTF-8"));
        assert!(is_json("application/merge-patch+json"));
        assert!(!is_json("text/plain"));
        assert!(!is_json("application/x-www-form-urlencoded"));
    }
}
