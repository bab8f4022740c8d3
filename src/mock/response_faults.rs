//! The faults that concern every response alike (headers, the body's encoding), applied around
//! the routes after the handlers ran, so the handlers stay free of them.

use axum::extract::State;
use axum::http::header::{ALLOW, CONTENT_LENGTH, CONTENT_TYPE, WWW_AUTHENTICATE};
use axum::http::{HeaderValue, StatusCode};
use axum::response::Response;

use super::faults::Fault;
use super::response::JSON_CONTENT_TYPE;
use super::state::MockState;

/// The faults [`apply_response_faults`] applies.
const RESPONSE_FAULTS: [Fault; 4] = [
    Fault::WrongContentType,
    Fault::AllowHeaderMissing,
    Fault::JsonStringBodies,
    Fault::ChallengeMissing,
];

/// Whether the mock was given any fault of [`RESPONSE_FAULTS`]: without one, the layer that
/// applies them is left out (a faithful mock pays nothing per response for it).
pub(crate) fn any_response_fault(state: &MockState) -> bool {
    RESPONSE_FAULTS.iter().any(|&fault| state.has(fault))
}

/// Applies the faults that concern every response alike (headers), after the handlers ran; the
/// handlers stay free of them.
pub(crate) async fn apply_response_faults(
    State(state): State<MockState>,
    mut response: Response,
) -> Response {
    let headers = response.headers_mut();
    if state.has(Fault::WrongContentType)
        && headers.get(CONTENT_TYPE).map(HeaderValue::as_bytes)
            == Some(JSON_CONTENT_TYPE.as_bytes())
    {
        headers.insert(
            CONTENT_TYPE,
            HeaderValue::from_static("text/plain;charset=UTF-8"),
        );
    }
    if state.has(Fault::AllowHeaderMissing) && response.status() == StatusCode::METHOD_NOT_ALLOWED {
        response.headers_mut().remove(ALLOW);
    }
    if state.has(Fault::JsonStringBodies) && response.status().is_success() {
        response = double_encoded(response).await;
    }
    if state.has(Fault::ChallengeMissing) && response.status() == StatusCode::UNAUTHORIZED {
        response.headers_mut().remove(WWW_AUTHENTICATE);
    }
    response
}

/// The response with a JSON object body replaced by a JSON string holding the object's text.
async fn double_encoded(response: Response) -> Response {
    let (mut parts, body) = response.into_parts();
    // The mock's own bodies are small; a body it cannot read is passed on empty.
    let bytes = axum::body::to_bytes(body, usize::MAX)
        .await
        .unwrap_or_default();
    let replaced = match serde_json::from_slice::<serde_json::Value>(&bytes) {
        Ok(value) if value.is_object() => {
            serde_json::to_vec(&serde_json::Value::String(value.to_string())).ok()
        }
        _ => None,
    };
    let bytes = match replaced {
        Some(new) => {
            parts.headers.remove(CONTENT_LENGTH);
            axum::body::Bytes::from(new)
        }
        None => bytes,
    };
    Response::from_parts(parts, axum::body::Body::from(bytes))
}
