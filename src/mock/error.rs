//! Jira's error responses: `{"errorMessages": [...], "errors": {}}` with a status.

use axum::http::header::{ALLOW, WWW_AUTHENTICATE};
use axum::http::{HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use serde_json::json;

use super::response::json;

/// An error answer in the shape Jira Cloud uses for its REST API.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct JiraError {
    status: StatusCode,
    message: String,
    /// The methods the resource supports, sent as `Allow` with a 405.
    allow: Option<&'static str>,
}

impl JiraError {
    /// An error with one message.
    pub(crate) fn new(status: StatusCode, message: impl Into<String>) -> JiraError {
        JiraError {
            status,
            message: message.into(),
            allow: None,
        }
    }

    /// 400 Bad Request.
    pub(crate) fn bad_request(message: impl Into<String>) -> JiraError {
        JiraError::new(StatusCode::BAD_REQUEST, message)
    }

    /// 401: no credentials, or credentials that match nobody. The message never repeats what
    /// the client sent, so a token cannot leak back out.
    pub(crate) fn unauthorized() -> JiraError {
        JiraError::new(
            StatusCode::UNAUTHORIZED,
            "You are not authenticated. Authentication required to perform this operation.",
        )
    }

    /// 403 Forbidden.
    pub(crate) fn forbidden(message: impl Into<String>) -> JiraError {
        JiraError::new(StatusCode::FORBIDDEN, message)
    }

    /// 404 Not Found.
    pub(crate) fn not_found(message: impl Into<String>) -> JiraError {
        JiraError::new(StatusCode::NOT_FOUND, message)
    }

    /// 405 Method Not Allowed, naming the supported methods.
    pub(crate) fn method_not_allowed(allow: &'static str, message: impl Into<String>) -> JiraError {
        JiraError {
            allow: Some(allow),
            ..JiraError::new(StatusCode::METHOD_NOT_ALLOWED, message)
        }
    }
}

impl IntoResponse for JiraError {
    fn into_response(self) -> Response {
        let body = json!({ "errorMessages": [self.message], "errors": {} });
        let mut response = json(self.status, &body);
        if let Some(allow) = self.allow {
            response
                .headers_mut()
                .insert(ALLOW, HeaderValue::from_static(allow));
        }
        // RFC 9110 requires a challenge with every 401.
        if self.status == StatusCode::UNAUTHORIZED {
            response.headers_mut().insert(
                WWW_AUTHENTICATE,
                HeaderValue::from_static("Basic realm=\"jira-conform mock\""),
            );
        }
        response
    }
}
