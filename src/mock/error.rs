//! Jira's error responses: `{"errorMessages": [...], "errors": {}}` with a status.

use axum::extract::rejection::BytesRejection;
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

    /// 403 for an operation only holders of *Administer Jira* may use.
    pub(crate) fn admin_required() -> JiraError {
        JiraError::forbidden(
            "You are not authorized to perform this action. Administrator privileges are required.",
        )
    }

    /// 404 Not Found.
    pub(crate) fn not_found(message: impl Into<String>) -> JiraError {
        JiraError::new(StatusCode::NOT_FOUND, message)
    }

    /// 405 for a method the path does not document, naming in `Allow` the methods it does.
    pub(crate) fn method_not_allowed(allow: &'static str) -> JiraError {
        JiraError::method_not_allowed_because(allow, "The method is not allowed for this resource.")
    }

    /// 405 with a message of its own, naming in `Allow` the methods the path documents.
    pub(crate) fn method_not_allowed_because(
        allow: &'static str,
        message: impl Into<String>,
    ) -> JiraError {
        JiraError {
            allow: Some(allow),
            ..JiraError::new(StatusCode::METHOD_NOT_ALLOWED, message)
        }
    }

    /// 501 for an operation the documentation lists but the mock leaves out, so a client can
    /// tell "not built here" from "not allowed" (405) and from "not there" (404).
    pub(crate) fn not_implemented() -> JiraError {
        JiraError::new(
            StatusCode::NOT_IMPLEMENTED,
            "The reference mock does not implement this operation.",
        )
    }
}

/// A request body that could not be read (too large, or the connection failed), with the status
/// axum gives the failure.
impl From<BytesRejection> for JiraError {
    fn from(rejection: BytesRejection) -> JiraError {
        JiraError::new(rejection.status(), "The request body could not be read.")
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
