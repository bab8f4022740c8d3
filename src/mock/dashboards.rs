//! Dashboards: one dashboard, visible to its owner and to those it is shared with.
//!
//! Also holds the two rules the dashboard item properties share with this resource: who may see
//! a dashboard and who owns it.

use axum::extract::rejection::PathRejection;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, Method, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::any;
use axum::{Extension, Router};
use serde_json::{json, Map, Value};

use crate::fixtures::{Dashboard, Principal, Share};

use super::auth::{authenticate, Authentication};
use super::error::JiraError;
use super::faults::Fault;
use super::links::{ApiVersion, Links};
use super::response::json;
use super::state::MockState;

/// What `Allow` says for `/dashboard/{id}`: the methods the documentation lists for the path.
const ALLOW_DASHBOARD: &str = "DELETE, GET, PUT";

/// The routes of this resource under one API version.
pub(crate) fn routes(version: ApiVersion) -> Router<MockState> {
    Router::new().route(
        &format!("{}/dashboard/{{id}}", version.prefix()),
        any(dashboard).layer(Extension(version)),
    )
}

/// `/rest/api/N/dashboard/{id}`: GET is served; PUT and DELETE are documented but not part of
/// the mock, so they answer 501 once the caller is known.
async fn dashboard(
    State(state): State<MockState>,
    Extension(version): Extension<ApiVersion>,
    method: Method,
    headers: HeaderMap,
    id: Result<Path<String>, PathRejection>,
) -> Response {
    let reading = match method {
        Method::GET | Method::HEAD => true,
        Method::PUT | Method::DELETE => false,
        _ => {
            return JiraError::method_not_allowed(
                ALLOW_DASHBOARD,
                "The method is not allowed for this resource.",
            )
            .into_response()
        }
    };
    let Authentication::User(caller) = authenticate(&state, &headers) else {
        return JiraError::unauthorized().into_response();
    };
    if !reading {
        return not_implemented().into_response();
    }
    let outcome = match id {
        Ok(Path(id)) => visible(&state, caller, &id).map(|d| {
            let links = Links::new(&headers, version);
            json(StatusCode::OK, &describe(&state, caller, d, &links))
        }),
        // Only a segment that is not UTF-8 once percent-decoded gets here: no dashboard has it.
        Err(_) => Err(JiraError::not_found("The dashboard does not exist.")),
    };
    outcome.unwrap_or_else(IntoResponse::into_response)
}

/// The dashboard with this id if `caller` may see it; a dashboard that exists but is hidden
/// answers the same 404 as one that does not, as documented, so ids cannot be probed.
pub(super) fn visible<'s>(
    state: &'s MockState,
    caller: &Principal,
    id: &str,
) -> Result<&'s Dashboard, JiraError> {
    state
        .world()
        .dashboards
        .iter()
        .find(|d| d.id == id)
        .filter(|d| may_see(state, caller, d))
        .ok_or_else(|| not_found_id(id))
}

/// Whether `caller` may see `dashboard`: the system dashboard is shared with everyone; others
/// with their owner and whoever a share permission names.
pub(super) fn may_see(state: &MockState, caller: &Principal, dashboard: &Dashboard) -> bool {
    if dashboard.system || dashboard.owner.as_deref() == Some(caller.name.as_str()) {
        return true;
    }
    if dashboard.shared_with.is_empty() && state.has(Fault::PrivateDashboardVisible) {
        return true;
    }
    let world = state.world();
    dashboard.shared_with.iter().any(|share| match share {
        // Everyone here is authenticated, so "global" and "logged in" mean the same.
        Share::Global | Share::LoggedIn => true,
        Share::User(name) => *name == caller.name,
        Share::Group(_) if state.has(Fault::DashboardGroupShareIgnored) => false,
        Share::Group(group) => world
            .group(group)
            .is_some_and(|g| g.members.contains(&caller.name)),
        Share::Project(key) => world
            .project(key)
            .is_some_and(|p| p.browse.contains(&caller.name)),
    })
}

/// Whether `caller` owns `dashboard`: its owner, or for the system dashboard anyone holding
/// *Administer Jira* (the documentation counts them as its owners).
pub(super) fn owns(caller: &Principal, dashboard: &Dashboard) -> bool {
    dashboard.owner.as_deref() == Some(caller.name.as_str()) || (dashboard.system && caller.admin)
}

/// The REST API root (`http://host/rest/api/N`) for `self` links.
///
/// `Links` builds only user, group and user-property links; the root is recovered from a user
/// link so that the `Host` header is filtered in one place only.
pub(super) fn api_root(links: &Links) -> String {
    let user = links.user("");
    match user.strip_suffix("/user?accountId=") {
        Some(root) => root.to_string(),
        // `Links::user` always ends so; kept total rather than panicking.
        None => user,
    }
}

/// A user as Jira's `UserBean` describes one (owners, users a dashboard is shared with).
pub(super) fn user_bean(principal: &Principal, links: &Links) -> Value {
    let id = principal.account_id.as_str();
    json!({
        "self": links.user(id),
        "accountId": id,
        "displayName": principal.display_name,
        "active": true,
        "avatarUrls": {
            "48x48": links.avatar(id, "large"),
            "24x24": links.avatar(id, "small"),
            "16x16": links.avatar(id, "xsmall"),
            "32x32": links.avatar(id, "medium"),
        },
    })
}

/// A principal by fixtures name.
pub(super) fn principal<'s>(state: &'s MockState, name: &str) -> Option<&'s Principal> {
    state.users().iter().find(|p| p.name == name)
}

fn describe(state: &MockState, caller: &Principal, dashboard: &Dashboard, links: &Links) -> Value {
    let api = api_root(links);
    let shares: Vec<Value> = dashboard
        .shared_with
        .iter()
        .map(|s| share(state, caller, s, links, &api))
        .collect();
    let mut body = Map::new();
    body.insert("id".into(), json!(dashboard.id));
    body.insert("isFavourite".into(), json!(false));
    body.insert("name".into(), json!(dashboard.name));
    // The system dashboard has no owner: administrators own it collectively.
    if let Some(owner) = dashboard.owner.as_deref().and_then(|o| principal(state, o)) {
        body.insert("owner".into(), user_bean(owner, links));
    }
    body.insert("popularity".into(), json!(0));
    body.insert(
        "self".into(),
        json!(format!("{api}/dashboard/{}", encode_segment(&dashboard.id))),
    );
    body.insert("sharePermissions".into(), Value::Array(shares));
    // The fixtures do not describe edit permissions; only the owner edits.
    body.insert("editPermissions".into(), json!([]));
    // Jira Cloud answers with the site-relative path of the dashboard page.
    body.insert(
        "view".into(),
        json!(format!(
            "/jira/dashboards/{}",
            encode_segment(&dashboard.id)
        )),
    );
    body.insert("isWritable".into(), json!(owns(caller, dashboard)));
    body.insert("systemDashboard".into(), json!(dashboard.system));
    Value::Object(body)
}

/// One `SharePermission`. Share permissions have ids in Jira, but the fixtures give none and the
/// schema does not require one, so none is invented.
fn share(state: &MockState, caller: &Principal, share: &Share, links: &Links, api: &str) -> Value {
    match share {
        Share::Global => json!({ "type": "global" }),
        Share::LoggedIn => json!({ "type": "loggedin" }),
        Share::User(name) => match principal(state, name) {
            Some(p) => json!({ "type": "user", "user": user_bean(p, links) }),
            None => json!({ "type": "user" }),
        },
        Share::Group(name) => json!({
            "type": "group",
            "group": { "name": name, "self": links.group(name) },
        }),
        // As documented: a project the caller may not browse is named only as unknown.
        Share::Project(key) => match state.world().project(key) {
            Some(p) if p.browse.contains(&caller.name) => json!({
                "type": "project",
                "project": {
                    "self": format!("{api}/project/{}", encode_segment(&p.id)),
                    "id": p.id,
                    "key": p.key,
                    "name": p.name,
                },
            }),
            _ => json!({ "type": "project-unknown" }),
        },
    }
}

/// Percent-encodes all but RFC 3986's unreserved characters, for ids and keys put in paths.
pub(super) fn encode_segment(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for byte in text.bytes() {
        if byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'.' | b'_' | b'~') {
            out.push(char::from(byte));
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

fn not_found_id(id: &str) -> JiraError {
    JiraError::not_found(format!("The dashboard with id '{id}' does not exist."))
}

/// 501 for a documented operation the mock leaves out.
pub(super) fn not_implemented() -> JiraError {
    JiraError::new(
        StatusCode::NOT_IMPLEMENTED,
        "The reference mock does not implement this operation.",
    )
}
