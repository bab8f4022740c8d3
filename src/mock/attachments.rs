//! Issue attachments: the attachment settings and an attachment's metadata.

use axum::extract::rejection::PathRejection;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, Method, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::any;
use axum::{Extension, Router};
use serde_json::{json, Value};

use crate::fixtures::Attachment;

use super::error::JiraError;
use super::faults::Fault;
use super::issue_visibility::{api_base, caller, not_implemented, sees_issue, user_json};
use super::links::{ApiVersion, Links};
use super::response::json;
use super::state::MockState;

/// What `Allow` says for `/attachment/meta`.
const ALLOW_META: &str = "GET";
/// What `Allow` says for `/attachment/{id}` (getAttachment and removeAttachment).
const ALLOW_ATTACHMENT: &str = "DELETE, GET";

/// The routes of this resource under one API version.
pub(crate) fn routes(version: ApiVersion) -> Router<MockState> {
    let prefix = version.prefix();
    Router::new()
        // A static segment outranks the `{id}` parameter, so `meta` is never taken for an id.
        .route(
            &format!("{prefix}/attachment/meta"),
            any(meta).layer(Extension(version)),
        )
        .route(
            &format!("{prefix}/attachment/{{id}}"),
            any(attachment).layer(Extension(version)),
        )
}

fn method_not_allowed(allow: &'static str) -> Response {
    JiraError::method_not_allowed(allow, "The method is not allowed for this resource.")
        .into_response()
}

/// `/rest/api/N/attachment/meta`: getAttachmentMeta.
async fn meta(State(state): State<MockState>, method: Method, headers: HeaderMap) -> Response {
    if method != Method::GET && method != Method::HEAD {
        return method_not_allowed(ALLOW_META);
    }
    let principal = match caller(&state, &headers) {
        Ok(p) => p,
        Err(e) => return e.into_response(),
    };
    // The doc requires no permission; only the fault restricts the settings to administrators.
    if state.has(Fault::AttachmentMetaAdminOnly) && !principal.admin {
        return JiraError::forbidden("You do not have permission to view the attachment settings.")
            .into_response();
    }
    let settings = &state.world().attachment_settings;
    json(
        StatusCode::OK,
        &json!({ "enabled": settings.enabled, "uploadLimit": settings.upload_limit }),
    )
}

/// `/rest/api/N/attachment/{id}`: getAttachment; removeAttachment is documented but not built.
async fn attachment(
    State(state): State<MockState>,
    Extension(version): Extension<ApiVersion>,
    method: Method,
    headers: HeaderMap,
    id: Result<Path<String>, PathRejection>,
) -> Response {
    let read = match method {
        Method::GET | Method::HEAD => true,
        Method::DELETE => false,
        _ => return method_not_allowed(ALLOW_ATTACHMENT),
    };
    let principal = match caller(&state, &headers) {
        Ok(p) => p,
        Err(e) => return e.into_response(),
    };
    if !read {
        return not_implemented().into_response();
    }
    let not_found =
        || JiraError::not_found("The attachment with the given id does not exist.").into_response();
    // A segment that is not UTF-8 once decoded names no attachment.
    let Ok(Path(id)) = id else {
        return not_found();
    };
    let world = state.world();
    // Disabled attachments are documented as a 404, like an unknown id.
    if !world.attachment_settings.enabled {
        return not_found();
    }
    let Some(found) = world.attachments.iter().find(|a| a.id == id) else {
        return not_found();
    };
    let visible = state.has(Fault::AttachmentSecurityIgnored)
        || world
            .issue(&found.issue)
            .is_some_and(|issue| sees_issue(world, principal, issue, true));
    if !visible {
        // Documented as 403 ("does not have the necessary permission"), unlike issues, whose
        // hidden ones are 404s.
        return JiraError::forbidden("You do not have permission to view this attachment.")
            .into_response();
    }
    let links = Links::new(&headers, version);
    json(StatusCode::OK, &metadata(&state, &links, found))
}

/// An attachment in the `AttachmentMetadata` shape, as getAttachment and the issue's
/// `attachment` field show it.
pub(crate) fn metadata(state: &MockState, links: &Links, attachment: &Attachment) -> Value {
    let api = api_base(links);
    let id = &attachment.id;
    // The schema types the id as an integer; a fixtures id that is not one is kept as text
    // rather than invented.
    let id_value = id.parse::<i64>().map_or_else(|_| json!(id), |n| json!(n));
    json!({
        "self": format!("{api}/attachment/{id}"),
        "id": id_value,
        "filename": attachment.filename,
        "author": user_json(state, links, &attachment.author),
        "created": attachment.created,
        "size": attachment.size,
        "mimeType": attachment.mime_type,
        "properties": {},
        "content": format!("{api}/attachment/content/{id}"),
    })
}
