//! Issue attachments: the attachment settings and an attachment's metadata.

use axum::extract::Path;
use axum::http::{Method, StatusCode};
use axum::response::Response;
use axum::Router;
use serde_json::{json, Value};

use crate::fixtures::Attachment;

use super::caller::{Call, Methods, PathSegment};
use super::error::JiraError;
use super::faults::Fault;
use super::issue_visibility::sees_issue;
use super::links::{ApiVersion, Links};
use super::response::json;
use super::state::MockState;
use super::user_json::user_details;
use super::versioned_routes::VersionedRoutes;

/// `/attachment/meta`: getAttachmentMeta.
const META: Methods = Methods::new("GET", &[Method::GET]);
/// `/attachment/{id}`: getAttachment is served; removeAttachment is documented but not built.
const ATTACHMENT: Methods = Methods::new("DELETE, GET", &[Method::GET]);

/// The routes of this resource under one API version.
pub(crate) fn routes(version: ApiVersion) -> Router<MockState> {
    // A static segment outranks the `{id}` parameter, so `meta` is never taken for an id.
    Router::new()
        .versioned(version, "/attachment/meta", meta)
        .versioned(version, "/attachment/{id}", attachment)
}

/// `/rest/api/N/attachment/meta`: the attachment settings.
async fn meta(call: Call) -> Result<Response, JiraError> {
    let principal = META.caller(&call)?;
    let state = &call.state;
    // The doc requires no permission; only the fault restricts the settings to administrators.
    if state.has(Fault::AttachmentMetaAdminOnly) && !principal.admin {
        return Err(JiraError::forbidden(
            "You do not have permission to view the attachment settings.",
        ));
    }
    let settings = &state.world().attachment_settings;
    Ok(json(
        StatusCode::OK,
        &json!({ "enabled": settings.enabled, "uploadLimit": settings.upload_limit }),
    ))
}

/// `/rest/api/N/attachment/{id}`: one attachment's metadata.
async fn attachment(call: Call, id: PathSegment) -> Result<Response, JiraError> {
    let principal = ATTACHMENT.caller(&call)?;
    let state = &call.state;
    let not_found = || JiraError::not_found("The attachment with the given id does not exist.");
    // A segment that is not UTF-8 once decoded names no attachment.
    let Ok(Path(id)) = id else {
        return Err(not_found());
    };
    let world = state.world();
    // Disabled attachments are documented as a 404, like an unknown id.
    if !world.attachment_settings.enabled {
        return Err(not_found());
    }
    let Some(found) = world.attachments.iter().find(|a| a.id == id) else {
        return Err(not_found());
    };
    let visible = state.has(Fault::AttachmentSecurityIgnored)
        || world
            .issue(&found.issue)
            .is_some_and(|issue| sees_issue(world, principal, issue, true));
    if !visible {
        // Documented as 403 ("does not have the necessary permission"), unlike issues, whose
        // hidden ones are 404s.
        return Err(JiraError::forbidden(
            "You do not have permission to view this attachment.",
        ));
    }
    Ok(json(StatusCode::OK, &metadata(state, &call.links(), found)))
}

/// An attachment in the `AttachmentMetadata` shape, as getAttachment and the issue's
/// `attachment` field show it.
pub(crate) fn metadata(state: &MockState, links: &Links, attachment: &Attachment) -> Value {
    let api = links.api();
    let id = &attachment.id;
    // The schema types the id as an integer; a fixtures id that is not one is kept as text
    // rather than invented.
    let id_value = id.parse::<i64>().map_or_else(|_| json!(id), |n| json!(n));
    json!({
        "self": format!("{api}/attachment/{id}"),
        "id": id_value,
        "filename": attachment.filename,
        "author": user_details(state, links, &attachment.author),
        "created": attachment.created,
        "size": attachment.size,
        "mimeType": attachment.mime_type,
        "properties": {},
        "content": format!("{api}/attachment/content/{id}"),
    })
}
