//! The project role resources: a project's roles and role details, the site's roles, creating
//! and deleting one.

use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::extract::Path;
use axum::http::{Method, StatusCode};
use axum::response::Response;
use axum::Router;
use serde_json::{json, Map, Value};

use crate::fixtures::{Principal, Project};
use crate::mock::caller::{Call, Methods, PathSegment};
use crate::mock::error::JiraError;
use crate::mock::faults::Fault;
use crate::mock::links::{encode, ApiVersion, Links};
use crate::mock::query::{self, flag, QueryPairs};
use crate::mock::response::{empty, id_value, json};
use crate::mock::state::MockState;
use crate::mock::versioned_routes::VersionedRoutes;

use super::store::{CreateError, StoredRole};

/// The longest role name, in characters (CreateUpdateRoleRequestBean).
const ROLE_NAME_MAX_CHARS: usize = 255;

/// `/project/{projectIdOrKey}/role` and `…/roledetails`: GET only.
const PROJECT_ROLES: Methods = Methods::new("GET", &[Method::GET]);
/// `/role`: getAllProjectRoles and createProjectRole, both served.
const ROLES: Methods = Methods::new("GET, POST", &[Method::GET, Method::POST]);
/// `/role/{id}`: the full spec documents all four; the mock serves GET and DELETE, so runs can
/// clean up, and leaves out the two updates.
const ROLE: Methods = Methods::new("DELETE, GET, POST, PUT", &[Method::GET, Method::DELETE]);

/// The routes of this resource under one API version.
pub(crate) fn routes(version: ApiVersion) -> Router<MockState> {
    Router::new()
        .versioned(version, "/project/{projectIdOrKey}/role", project_roles)
        .versioned(
            version,
            "/project/{projectIdOrKey}/roledetails",
            project_role_details,
        )
        .versioned(version, "/role", roles)
        .versioned(version, "/role/{id}", role)
}

/// `/rest/api/N/project/{projectIdOrKey}/role` (getProjectRoles): role name → role URL.
async fn project_roles(call: Call, project: PathSegment) -> Result<Response, JiraError> {
    let caller = PROJECT_ROLES.caller(&call)?;
    let project = administered_project(&call.state, caller, project)?;
    let api = call.links().api();
    let mut body = Map::new();
    for role in call.state.roles().all() {
        body.insert(
            role.name.clone(),
            json!(role_in_project(&api, project, &role)),
        );
    }
    Ok(json(StatusCode::OK, &Value::Object(body)))
}

/// `/rest/api/N/project/{projectIdOrKey}/roledetails` (getProjectRoleDetails).
async fn project_role_details(
    call: Call,
    project: PathSegment,
    query: QueryPairs,
) -> Result<Response, JiraError> {
    let caller = PROJECT_ROLES.caller(&call)?;
    let project = administered_project(&call.state, caller, project)?;
    let pairs = query::pairs(query)?;
    let current_member = flag(&pairs, "currentMember")?;
    // Accepted and checked; the mock has no Connect apps whose roles it could leave out.
    flag(&pairs, "excludeConnectAddons")?;
    let api = call.links().api();
    let details: Vec<Value> = call
        .state
        .roles()
        .all()
        .iter()
        .filter(|r| {
            !current_member
                || r.actors
                    .get(&project.key)
                    .is_some_and(|a| a.contains(&caller.name))
        })
        .map(|r| {
            // `admin`, `default` and `scope` are left out: the fixtures do not say which role is
            // the admin or default one, and `scope` is only for team-managed projects, which the
            // fixtures do not have.
            json!({
                "self": role_in_project(&api, project, r),
                "name": r.name,
                "id": id_value(&r.id),
                "description": r.description,
                "roleConfigurable": true,
                "translatedName": r.name,
            })
        })
        .collect();
    Ok(json(StatusCode::OK, &Value::Array(details)))
}

/// `/rest/api/N/role`: GET (getAllProjectRoles) and POST (createProjectRole).
async fn roles(call: Call, body: Result<Bytes, BytesRejection>) -> Result<Response, JiraError> {
    let caller = ROLES.caller(&call)?;
    if call.method == Method::POST {
        return create(&call, caller, body);
    }
    let (state, links) = (&call.state, call.links());
    if !caller.admin {
        return Err(JiraError::admin_required());
    }
    let all: Vec<Value> = state
        .roles()
        .all()
        .iter()
        .map(|r| project_role(state, r, &links))
        .collect();
    Ok(json(StatusCode::OK, &Value::Array(all)))
}

/// `/rest/api/N/role/{id}`: GET (getProjectRoleById) and DELETE (deleteProjectRole).
async fn role(call: Call, id: PathSegment) -> Result<Response, JiraError> {
    let caller = ROLE.caller(&call)?;
    let state = &call.state;
    // Administrators only, checked before the id so others cannot probe which roles exist.
    if !caller.admin {
        return Err(JiraError::admin_required());
    }
    let not_found = || JiraError::not_found("Role with given id not found.");
    let Ok(Path(id)) = id else {
        return Err(not_found());
    };
    if call.method == Method::DELETE {
        // `swap` is accepted and not needed: nothing the mock stores refers to a role by id.
        if state.roles().delete(&id) {
            return Ok(empty(StatusCode::NO_CONTENT));
        }
        return Err(not_found());
    }
    let role = state.roles().get(&id).ok_or_else(not_found)?;
    Ok(json(
        StatusCode::OK,
        &project_role(state, &role, &call.links()),
    ))
}

/// createProjectRole: administrators only; then the body; then the name's uniqueness.
fn create(
    call: &Call,
    caller: &Principal,
    body: Result<Bytes, BytesRejection>,
) -> Result<Response, JiraError> {
    let state = &call.state;
    if !caller.admin && !state.has(Fault::RoleCreateOpenToAll) {
        return Err(JiraError::admin_required());
    }
    let body = body?;
    let Ok(Value::Object(fields)) = serde_json::from_slice::<Value>(&body) else {
        return Err(JiraError::bad_request(
            "The request body must be a JSON object with the role's name and description.",
        ));
    };
    // Unknown fields are ignored: the bean has only these two.
    let name = match fields.get("name") {
        Some(Value::String(name)) if !name.is_empty() => name.as_str(),
        Some(Value::String(_)) | Some(Value::Null) | None => {
            return Err(JiraError::bad_request(
                "The name of the project role must be given.",
            ))
        }
        Some(_) => return Err(JiraError::bad_request("The name must be a string.")),
    };
    if name.trim() != name {
        return Err(JiraError::bad_request(
            "The name of the project role cannot start or end with whitespace.",
        ));
    }
    if name.chars().count() > ROLE_NAME_MAX_CHARS {
        return Err(JiraError::bad_request(format!(
            "The name of the project role can't be longer than {ROLE_NAME_MAX_CHARS} characters."
        )));
    }
    let description = match fields.get("description") {
        Some(Value::String(d)) => d.as_str(),
        Some(Value::Null) | None => "",
        Some(_) => return Err(JiraError::bad_request("The description must be a string.")),
    };
    // As documented, a new role has no default actors; the fault makes the caller one.
    let default_actors = if state.has(Fault::RoleCreatedWithDefaultActors) {
        vec![caller.name.clone()]
    } else {
        Vec::new()
    };
    let allow_duplicate = state.has(Fault::RoleDuplicateNameAccepted);
    match state
        .roles()
        .create(name, description, default_actors, allow_duplicate)
    {
        Ok(role) => Ok(json(
            StatusCode::OK,
            &project_role(state, &role, &call.links()),
        )),
        Err(CreateError::Duplicate) => Err(JiraError::new(
            StatusCode::CONFLICT,
            format!("A project role with name '{name}' already exists."),
        )),
    }
}

/// The project named by the path, when the caller may read its roles: an administrator of Jira
/// or of the project (or anyone, with the fault).
///
/// Everyone else gets the same 404 as for a project that does not exist. Both operations
/// document 404 for "no administrative permission" (getProjectRoles also 401, but 401 means
/// the credentials are missing or wrong, which they are not, and tells the client to
/// re-authenticate); 404 also does not reveal which projects exist.
fn administered_project<'s>(
    state: &'s MockState,
    caller: &Principal,
    project: PathSegment,
) -> Result<&'s Project, JiraError> {
    let given = project.map(|Path(p)| p).unwrap_or_default();
    let found = state
        .world()
        .projects
        .iter()
        .find(|p| p.id == given || p.key.eq_ignore_ascii_case(&given))
        .filter(|p| {
            caller.admin
                || p.administer.contains(&caller.name)
                || state.has(Fault::ProjectRolesOpenToAll)
        });
    found.ok_or_else(|| {
        JiraError::not_found(format!("No project could be found with key '{given}'."))
    })
}

/// A role's URL within a project.
fn role_in_project(api: &str, project: &Project, role: &StoredRole) -> String {
    format!(
        "{api}/project/{}/role/{}",
        encode(&project.id),
        encode(&role.id)
    )
}

/// A `ProjectRole` as `/role` describes it: site-wide, `actors` being the default actors.
fn project_role(state: &MockState, role: &StoredRole, links: &Links) -> Value {
    let actors: Vec<Value> = role
        .default_actors
        .iter()
        .filter_map(|name| state.principal(name))
        .map(|p| {
            json!({
                "displayName": p.display_name,
                "type": "atlassian-user-role-actor",
                "actorUser": { "accountId": p.account_id },
            })
        })
        .collect();
    json!({
        "self": format!("{}/role/{}", links.api(), encode(&role.id)),
        "name": role.name,
        "id": id_value(&role.id),
        "description": role.description,
        "actors": actors,
    })
}
