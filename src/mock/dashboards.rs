//! Dashboards: one dashboard, visible to its owner and to those it is shared with.
//!
//! Also holds the two rules the dashboard item properties share with this resource: who may see
//! a dashboard and who owns it.

use axum::extract::Path;
use axum::http::{Method, StatusCode};
use axum::response::Response;
use axum::Router;
use serde_json::{json, Map, Value};

use crate::fixtures::{Dashboard, Principal, Share};

use super::caller::{Call, Methods, PathSegment};
use super::error::JiraError;
use super::faults::Fault;
use super::links::{encode, ApiVersion, Links};
use super::response::json;
use super::state::MockState;
use super::user_json::user_bean;
use super::versioned_routes::VersionedRoutes;

/// `/dashboard/{id}`: the documentation lists GET, PUT and DELETE; the mock serves GET.
const DASHBOARD: Methods = Methods::new("DELETE, GET, PUT", &[Method::GET]);

/// The routes of this resource under one API version.
pub(crate) fn routes(version: ApiVersion) -> Router<MockState> {
    Router::new().versioned(version, "/dashboard/{id}", dashboard)
}

/// `/rest/api/N/dashboard/{id}`: GET is served; PUT and DELETE are documented but not part of
/// the mock, so they answer 501 once the caller is known.
async fn dashboard(call: Call, id: PathSegment) -> Result<Response, JiraError> {
    let caller = DASHBOARD.caller(&call)?;
    // Only a segment that is not UTF-8 once percent-decoded fails: no dashboard has it.
    let Ok(Path(id)) = id else {
        return Err(JiraError::not_found("The dashboard does not exist."));
    };
    let dashboard = visible(&call.state, caller, &id)?;
    Ok(json(
        StatusCode::OK,
        &describe(&call.state, caller, dashboard, &call.links()),
    ))
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

/// A dashboard as getDashboard and the listing show it to `caller`.
pub(super) fn describe(
    state: &MockState,
    caller: &Principal,
    dashboard: &Dashboard,
    links: &Links,
) -> Value {
    let api = links.api();
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
    if let Some(owner) = dashboard.owner.as_deref().and_then(|o| state.principal(o)) {
        body.insert("owner".into(), user_bean(owner, links));
    }
    body.insert("popularity".into(), json!(0));
    body.insert(
        "self".into(),
        json!(format!("{api}/dashboard/{}", encode(&dashboard.id))),
    );
    body.insert("sharePermissions".into(), Value::Array(shares));
    // The fixtures do not describe edit permissions; only the owner edits.
    body.insert("editPermissions".into(), json!([]));
    // Jira Cloud answers with the site-relative path of the dashboard page.
    body.insert(
        "view".into(),
        json!(format!("/jira/dashboards/{}", encode(&dashboard.id))),
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
        Share::User(name) => match state.principal(name) {
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
                    "self": format!("{api}/project/{}", encode(&p.id)),
                    "id": p.id,
                    "key": p.key,
                    "name": p.name,
                },
            }),
            _ => json!({ "type": "project-unknown" }),
        },
    }
}

fn not_found_id(id: &str) -> JiraError {
    JiraError::not_found(format!("The dashboard with id '{id}' does not exist."))
}
