//! `GET /project/search`: the projects visible to the caller, a page at a time.
//!
//! As documented, a project is listed where the caller holds *Browse projects* or *Administer
//! projects* in it, or holds *Administer Jira*. Also holds the lookup of a project by id or key
//! that the other project-scoped reads share.

use axum::http::{Method, StatusCode};
use axum::response::Response;
use axum::Router;
use serde_json::{json, Map, Value};

use crate::fixtures::{Principal, Project, World};

use super::anonymous::caller_or_anonymous;
use super::caller::{Call, Methods};
use super::error::JiraError;
use super::links::{encode, ApiVersion};
use super::query::{self, count, list_values, QueryPairs};
use super::response::json;
use super::state::MockState;
use super::versioned_routes::VersionedRoutes;

/// `/project/search`: GET only.
const SEARCH: Methods = Methods::new("GET", &[Method::GET]);
/// The documented default page size.
const DEFAULT_MAX_RESULTS: usize = 50;
/// The documented largest page size.
const MAX_MAX_RESULTS: usize = 100;

/// The routes of this resource under one API version.
pub(crate) fn routes(version: ApiVersion) -> Router<MockState> {
    Router::new().versioned(version, "/project/search", search)
}

/// Whether `caller` may see the project at all (what the search lists).
pub(crate) fn sees_project(caller: &Principal, project: &Project) -> bool {
    // The anonymous caller's empty name is in no list.
    caller.admin
        || project.browse.contains(&caller.name)
        || project.administer.contains(&caller.name)
}

/// A project by id, or by key without regard to case.
pub(crate) fn find_project<'w>(world: &'w World, id_or_key: &str) -> Option<&'w Project> {
    world
        .projects
        .iter()
        .find(|p| p.id == id_or_key || p.key.eq_ignore_ascii_case(id_or_key))
}

/// A project as the search lists it.
pub(crate) fn project_json(api: &str, project: &Project) -> Value {
    json!({
        "expand": "description,lead,issueTypes,url,projectKeys,permissions,insight",
        "self": format!("{api}/project/{}", encode(&project.id)),
        "id": project.id,
        "key": project.key,
        "name": project.name,
        "projectTypeKey": "software",
        "simplified": false,
        "style": "classic",
        "isPrivate": false,
        "properties": {},
    })
}

/// The documented values of the enumerated parameters, and `categoryId` a number: anything
/// else is the documented 400.
fn check_parameters(pairs: &[(String, String)]) -> Result<(), JiraError> {
    let bad = |name: &str, value: &str| {
        Err(JiraError::bad_request(format!(
            "'{value}' is not a valid value for {name}."
        )))
    };
    for (name, value) in pairs {
        let ok = match name.as_str() {
            "orderBy" => ORDER_BY.contains(&value.trim_start_matches(['+', '-'])),
            "action" => matches!(value.as_str(), "view" | "browse" | "edit" | "create"),
            "categoryId" => value.trim().parse::<i64>().is_ok(),
            "status" => value
                .split(',')
                .all(|s| matches!(s.trim(), "live" | "archived" | "deleted")),
            _ => true,
        };
        if !ok {
            return bad(name, value);
        }
    }
    Ok(())
}

/// The orders the documentation lists (each also with `+` or `-`).
const ORDER_BY: [&str; 8] = [
    "category",
    "key",
    "name",
    "owner",
    "issueCount",
    "lastIssueUpdatedDate",
    "archivedDate",
    "deletedDate",
];

/// `/rest/api/N/project/search`.
async fn search(call: Call, query: QueryPairs) -> Result<Response, JiraError> {
    let caller = &caller_or_anonymous(&SEARCH, &call)?;
    let pairs = query::pairs(query)?;
    let start_at = count(&pairs, "startAt", 0)?;
    let max_results = count(&pairs, "maxResults", DEFAULT_MAX_RESULTS)?;
    if max_results > MAX_MAX_RESULTS {
        return Err(JiraError::bad_request(format!(
            "maxResults must be at most {MAX_MAX_RESULTS}."
        )));
    }
    check_parameters(&pairs)?;
    let keys = list_values(&pairs, "keys");
    let ids = list_values(&pairs, "id");
    let text = pairs
        .iter()
        .find(|(n, _)| n == "query")
        .map(|(_, v)| v.to_lowercase());
    let order = pairs
        .iter()
        .find(|(n, _)| n == "orderBy")
        .map_or("key", |(_, v)| v.as_str());
    let world = call.state.world();
    let mut projects: Vec<&Project> = world
        .projects
        .iter()
        .filter(|p| sees_project(caller, p))
        .filter(|p| keys.is_empty() || keys.iter().any(|k| k.eq_ignore_ascii_case(&p.key)))
        .filter(|p| ids.is_empty() || ids.contains(&p.id.as_str()))
        .filter(|p| {
            text.as_deref().is_none_or(|t| {
                p.key.to_lowercase().contains(t) || p.name.to_lowercase().contains(t)
            })
        })
        .collect();
    // The documented orders the world can tell apart; the others keep key order.
    match order.trim_start_matches('+') {
        "name" => projects.sort_by(|a, b| a.name.cmp(&b.name)),
        "-name" => projects.sort_by(|a, b| b.name.cmp(&a.name)),
        "-key" => projects.sort_by(|a, b| b.key.cmp(&a.key)),
        _ => projects.sort_by(|a, b| a.key.cmp(&b.key)),
    }
    let api = call.links().api();
    let total = projects.len();
    let values: Vec<Value> = projects
        .iter()
        .skip(start_at)
        .take(max_results)
        .map(|p| project_json(&api, p))
        .collect();
    let is_last = start_at.saturating_add(values.len()) >= total;
    let page_url =
        |at: usize| format!("{api}/project/search?maxResults={max_results}&startAt={at}");
    let mut page = Map::new();
    page.insert("self".into(), json!(page_url(start_at)));
    if !is_last && max_results > 0 {
        page.insert("nextPage".into(), json!(page_url(start_at + max_results)));
    }
    page.insert("maxResults".into(), json!(max_results));
    page.insert("startAt".into(), json!(start_at));
    page.insert("total".into(), json!(total));
    page.insert("isLast".into(), json!(is_last));
    page.insert("values".into(), Value::Array(values));
    Ok(json(StatusCode::OK, &Value::Object(page)))
}
