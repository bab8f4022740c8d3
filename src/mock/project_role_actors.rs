//! `GET /project/{projectIdOrKey}/role/{id}`: a project role with its actors in one project,
//! sorted by display name as documented, for administrators of the project or of Jira (open to
//! anonymous callers, who administer nothing).

use axum::extract::rejection::PathRejection;
use axum::extract::Path;
use axum::http::{Method, StatusCode};
use axum::response::Response;
use axum::Router;
use serde_json::{json, Value};

use crate::fixtures::Principal;

use super::anonymous::caller_or_anonymous;
use super::caller::{Call, Methods};
use super::error::JiraError;
use super::links::{encode, ApiVersion};
use super::project_search::find_project;
use super::response::{id_value, json};
use super::state::MockState;
use super::versioned_routes::VersionedRoutes;

/// `/project/{projectIdOrKey}/role/{id}`: the documentation lists all four methods; the mock
/// serves GET.
const ROLE_IN_PROJECT: Methods = Methods::new("DELETE, GET, POST, PUT", &[Method::GET]);

/// The routes of this resource under one API version.
pub(crate) fn routes(version: ApiVersion) -> Router<MockState> {
    Router::new().versioned(
        version,
        "/project/{projectIdOrKey}/role/{id}",
        role_in_project,
    )
}

/// `/rest/api/N/project/{projectIdOrKey}/role/{id}`.
async fn role_in_project(
    call: Call,
    ids: Result<Path<(String, String)>, PathRejection>,
) -> Result<Response, JiraError> {
    let caller = &caller_or_anonymous(&ROLE_IN_PROJECT, &call)?;
    let (project, id) = ids.map(|Path(p)| p).unwrap_or_default();
    let state = &call.state;
    // A project the caller does not administer answers as one that does not exist.
    let project = find_project(state.world(), &project)
        .filter(|p| caller.admin || p.administer.contains(&caller.name))
        .ok_or_else(|| {
            JiraError::not_found(format!("No project could be found with key '{project}'."))
        })?;
    let role = state
        .roles()
        .get(&id)
        .ok_or_else(|| JiraError::not_found(format!("No project role with id '{id}' exists.")))?;
    let mut people: Vec<&Principal> = role
        .actors
        .get(&project.key)
        .into_iter()
        .flatten()
        .filter_map(|name| state.principal(name))
        .collect();
    people.sort_by(|a, b| a.display_name.cmp(&b.display_name));
    let actors: Vec<Value> = people
        .iter()
        .enumerate()
        .map(|(n, p)| {
            json!({
                "id": n + 1,
                "displayName": p.display_name,
                "type": "atlassian-user-role-actor",
                "actorUser": { "accountId": p.account_id },
            })
        })
        .collect();
    let api = call.links().api();
    Ok(json(
        StatusCode::OK,
        &json!({
            "self": format!("{api}/project/{}/role/{}", encode(&project.id), encode(&role.id)),
            "name": role.name,
            "id": id_value(&role.id),
            "description": role.description,
            "actors": actors,
        }),
    ))
}
