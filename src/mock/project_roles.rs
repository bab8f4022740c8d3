//! Project roles: a project's roles and role details, and creating a role.
//!
//! Roles are defined once for the site, so every project lists every role; who acts in a role
//! is per project (the fixtures' actors). Roles created through the API start with no default
//! actors and no actors in any project. `GET` and `DELETE /role/{id}` are served too, so a run
//! can look at and remove what it created.

use std::collections::BTreeMap;
use std::sync::{PoisonError, RwLock, RwLockReadGuard, RwLockWriteGuard};

use axum::body::Bytes;
use axum::extract::rejection::{BytesRejection, PathRejection, QueryRejection};
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, Method, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::any;
use axum::{Extension, Router};
use serde_json::{json, Map, Value};

use crate::fixtures::{Principal, Project, World};

use super::auth::{authenticate, Authentication};
use super::dashboards::{api_root, encode_segment, not_implemented, principal};
use super::error::JiraError;
use super::faults::Fault;
use super::links::{ApiVersion, Links};
use super::response::{empty, json};
use super::state::MockState;

/// The longest role name, in characters (CreateUpdateRoleRequestBean).
const ROLE_NAME_MAX_CHARS: usize = 255;
/// The first id given to a created role when the fixtures define no numeric one.
const FIRST_ROLE_ID: u64 = 10000;

const ALLOW_PROJECT_ROLES: &str = "GET";
const ALLOW_ROLES: &str = "GET, POST";
/// `/role/{id}`: the full spec documents all four (the mock serves GET and DELETE).
const ALLOW_ROLE: &str = "DELETE, GET, POST, PUT";

/// A project role as the store keeps it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct StoredRole {
    /// The role id (numeric text, as in the fixtures).
    pub(crate) id: String,
    /// The name; unique without regard to case (unless a fault allowed a duplicate).
    pub(crate) name: String,
    /// The description.
    pub(crate) description: String,
    /// Project key → actor principals (names).
    pub(crate) actors: BTreeMap<String, Vec<String>>,
    /// Default actors (principal names): what `/role` lists as `actors`.
    pub(crate) default_actors: Vec<String>,
}

/// Why a role could not be created.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum CreateError {
    /// A role of that name (ignoring case) exists.
    Duplicate,
}

#[derive(Debug)]
struct Roles {
    /// In id order (created roles get ever larger ids).
    list: Vec<StoredRole>,
    /// The next id to give; never reused, even after a delete.
    next_id: u64,
}

/// The project roles: the fixtures' roles plus the ones created since.
///
/// One lock over all of them, so the duplicate-name check and the insert are one step and two
/// concurrent creators of a name cannot both succeed.
#[derive(Debug)]
pub(crate) struct Store {
    roles: RwLock<Roles>,
}

impl Store {
    /// The store as the fixtures' world seeds it.
    pub(crate) fn new(world: &World) -> Store {
        let list: Vec<StoredRole> = world
            .roles
            .iter()
            .map(|r| StoredRole {
                id: r.id.clone(),
                name: r.name.clone(),
                description: r.description.clone(),
                actors: r.actors.clone(),
                default_actors: Vec::new(),
            })
            .collect();
        let next_id = list
            .iter()
            .filter_map(|r| r.id.parse::<u64>().ok())
            .max()
            .map_or(FIRST_ROLE_ID, |max| max.saturating_add(1));
        Store {
            roles: RwLock::new(Roles { list, next_id }),
        }
    }

    /// Every role, in id order.
    pub(crate) fn all(&self) -> Vec<StoredRole> {
        self.read().list.clone()
    }

    /// The role with this id (`010002` names role 10002, as a number would).
    pub(crate) fn get(&self, id: &str) -> Option<StoredRole> {
        self.read()
            .list
            .iter()
            .find(|r| same_id(&r.id, id))
            .cloned()
    }

    /// Creates a role with a new id larger than any given before. A name already taken (ignoring
    /// case) is refused unless `allow_duplicate`.
    pub(crate) fn create(
        &self,
        name: &str,
        description: &str,
        default_actors: Vec<String>,
        allow_duplicate: bool,
    ) -> Result<StoredRole, CreateError> {
        let mut roles = self.write();
        let folded = name.to_lowercase();
        if !allow_duplicate && roles.list.iter().any(|r| r.name.to_lowercase() == folded) {
            return Err(CreateError::Duplicate);
        }
        let role = StoredRole {
            id: roles.next_id.to_string(),
            name: name.to_string(),
            description: description.to_string(),
            actors: BTreeMap::new(),
            default_actors,
        };
        roles.next_id = roles.next_id.saturating_add(1);
        roles.list.push(role.clone());
        Ok(role)
    }

    /// Deletes a role; true if it existed.
    pub(crate) fn delete(&self, id: &str) -> bool {
        let mut roles = self.write();
        let before = roles.list.len();
        roles.list.retain(|r| !same_id(&r.id, id));
        roles.list.len() != before
    }

    // A panic while the lock is held cannot leave the list half-updated in a way that matters
    // here, so a poisoned lock is still used rather than failing every later request.
    fn read(&self) -> RwLockReadGuard<'_, Roles> {
        self.roles.read().unwrap_or_else(PoisonError::into_inner)
    }

    fn write(&self) -> RwLockWriteGuard<'_, Roles> {
        self.roles.write().unwrap_or_else(PoisonError::into_inner)
    }
}

fn same_id(stored: &str, given: &str) -> bool {
    stored == given
        || matches!(
            (stored.parse::<u64>(), given.parse::<u64>()),
            (Ok(a), Ok(b)) if a == b
        )
}

/// An id for a JSON body: a number, as the schemas have it, when the text is one.
pub(crate) fn id_value(id: &str) -> Value {
    id.parse::<u64>().map_or_else(|_| json!(id), Value::from)
}

/// The routes of this resource under one API version.
pub(crate) fn routes(version: ApiVersion) -> Router<MockState> {
    let prefix = version.prefix();
    Router::new()
        .route(
            &format!("{prefix}/project/{{projectIdOrKey}}/role"),
            any(project_roles).layer(Extension(version)),
        )
        .route(
            &format!("{prefix}/project/{{projectIdOrKey}}/roledetails"),
            any(project_role_details).layer(Extension(version)),
        )
        .route(
            &format!("{prefix}/role"),
            any(roles).layer(Extension(version)),
        )
        .route(
            &format!("{prefix}/role/{{id}}"),
            any(role).layer(Extension(version)),
        )
}

type QueryPairs = Result<Query<Vec<(String, String)>>, QueryRejection>;

/// `/rest/api/N/project/{projectIdOrKey}/role` (getProjectRoles): role name → role URL.
async fn project_roles(
    State(state): State<MockState>,
    Extension(version): Extension<ApiVersion>,
    method: Method,
    headers: HeaderMap,
    project: Result<Path<String>, PathRejection>,
) -> Response {
    if method != Method::GET && method != Method::HEAD {
        return JiraError::method_not_allowed(
            ALLOW_PROJECT_ROLES,
            "The method is not allowed for this resource.",
        )
        .into_response();
    }
    let outcome = administered_project(&state, &headers, project).map(|(_, project)| {
        let api = api_root(&Links::new(&headers, version));
        let mut body = Map::new();
        for role in state.roles().all() {
            body.insert(
                role.name.clone(),
                json!(role_in_project(&api, project, &role)),
            );
        }
        json(StatusCode::OK, &Value::Object(body))
    });
    outcome.unwrap_or_else(IntoResponse::into_response)
}

/// `/rest/api/N/project/{projectIdOrKey}/roledetails` (getProjectRoleDetails).
async fn project_role_details(
    State(state): State<MockState>,
    Extension(version): Extension<ApiVersion>,
    method: Method,
    headers: HeaderMap,
    project: Result<Path<String>, PathRejection>,
    query: QueryPairs,
) -> Response {
    if method != Method::GET && method != Method::HEAD {
        return JiraError::method_not_allowed(
            ALLOW_PROJECT_ROLES,
            "The method is not allowed for this resource.",
        )
        .into_response();
    }
    let outcome = administered_project(&state, &headers, project).and_then(|(caller, project)| {
        let Ok(Query(pairs)) = query else {
            return Err(JiraError::bad_request("The query string is not valid."));
        };
        let current_member = flag(&pairs, "currentMember")?;
        // Accepted and checked; the mock has no Connect apps whose roles it could leave out.
        flag(&pairs, "excludeConnectAddons")?;
        let api = api_root(&Links::new(&headers, version));
        let details: Vec<Value> = state
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
                // `admin`, `default` and `scope` are left out: the fixtures do not say which
                // role is the admin or default one, and `scope` is only for team-managed
                // projects, which the fixtures do not have.
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
    });
    outcome.unwrap_or_else(IntoResponse::into_response)
}

/// `/rest/api/N/role`: GET (getAllProjectRoles) and POST (createProjectRole).
async fn roles(
    State(state): State<MockState>,
    Extension(version): Extension<ApiVersion>,
    method: Method,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Response {
    let creating = match method {
        Method::GET | Method::HEAD => false,
        Method::POST => true,
        _ => {
            return JiraError::method_not_allowed(
                ALLOW_ROLES,
                "The method is not allowed for this resource.",
            )
            .into_response()
        }
    };
    let Authentication::User(caller) = authenticate(&state, &headers) else {
        return JiraError::unauthorized().into_response();
    };
    let links = Links::new(&headers, version);
    let outcome = if creating {
        create(&state, caller, &links, body)
    } else if caller.admin {
        let all: Vec<Value> = state
            .roles()
            .all()
            .iter()
            .map(|r| project_role(&state, r, &links))
            .collect();
        Ok(json(StatusCode::OK, &Value::Array(all)))
    } else {
        Err(admin_required())
    };
    outcome.unwrap_or_else(IntoResponse::into_response)
}

/// `/rest/api/N/role/{id}`: GET (getProjectRoleById) and DELETE (deleteProjectRole), served so
/// runs can clean up; the two update operations are documented but not part of the mock.
async fn role(
    State(state): State<MockState>,
    Extension(version): Extension<ApiVersion>,
    method: Method,
    headers: HeaderMap,
    id: Result<Path<String>, PathRejection>,
) -> Response {
    let deleting = match method {
        Method::GET | Method::HEAD => false,
        Method::DELETE => true,
        Method::POST | Method::PUT => {
            return match authenticate(&state, &headers) {
                Authentication::User(_) => not_implemented(),
                Authentication::Anonymous | Authentication::Rejected => JiraError::unauthorized(),
            }
            .into_response()
        }
        _ => {
            return JiraError::method_not_allowed(
                ALLOW_ROLE,
                "The method is not allowed for this resource.",
            )
            .into_response()
        }
    };
    let Authentication::User(caller) = authenticate(&state, &headers) else {
        return JiraError::unauthorized().into_response();
    };
    // Administrators only, checked before the id so others cannot probe which roles exist.
    if !caller.admin {
        return admin_required().into_response();
    }
    let not_found = || JiraError::not_found("Role with given id not found.");
    let Ok(Path(id)) = id else {
        return not_found().into_response();
    };
    if deleting {
        // `swap` is accepted and not needed: nothing the mock stores refers to a role by id.
        if state.roles().delete(&id) {
            return empty(StatusCode::NO_CONTENT);
        }
        return not_found().into_response();
    }
    match state.roles().get(&id) {
        Some(role) => json(
            StatusCode::OK,
            &project_role(&state, &role, &Links::new(&headers, version)),
        ),
        None => not_found().into_response(),
    }
}

/// createProjectRole: administrators only; then the body; then the name's uniqueness.
fn create(
    state: &MockState,
    caller: &Principal,
    links: &Links,
    body: Result<Bytes, BytesRejection>,
) -> Result<Response, JiraError> {
    if !caller.admin && !state.has(Fault::RoleCreateOpenToAll) {
        return Err(admin_required());
    }
    let body = body.map_err(|rejection| {
        JiraError::new(rejection.status(), "The request body could not be read.")
    })?;
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
        Ok(role) => Ok(json(StatusCode::OK, &project_role(state, &role, links))),
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
    headers: &HeaderMap,
    project: Result<Path<String>, PathRejection>,
) -> Result<(&'s Principal, &'s Project), JiraError> {
    let Authentication::User(caller) = authenticate(state, headers) else {
        return Err(JiraError::unauthorized());
    };
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
    match found {
        Some(project) => Ok((caller, project)),
        None => Err(JiraError::not_found(format!(
            "No project could be found with key '{given}'."
        ))),
    }
}

/// A role's URL within a project.
fn role_in_project(api: &str, project: &Project, role: &StoredRole) -> String {
    format!(
        "{api}/project/{}/role/{}",
        encode_segment(&project.id),
        encode_segment(&role.id)
    )
}

/// A `ProjectRole` as `/role` describes it: site-wide, `actors` being the default actors.
fn project_role(state: &MockState, role: &StoredRole, links: &Links) -> Value {
    let actors: Vec<Value> = role
        .default_actors
        .iter()
        .filter_map(|name| principal(state, name))
        .map(|p| {
            json!({
                "displayName": p.display_name,
                "type": "atlassian-user-role-actor",
                "actorUser": { "accountId": p.account_id },
            })
        })
        .collect();
    json!({
        "self": format!("{}/role/{}", api_root(links), encode_segment(&role.id)),
        "name": role.name,
        "id": id_value(&role.id),
        "description": role.description,
        "actors": actors,
    })
}

/// A boolean query parameter (absent: false); anything but `true`/`false` is refused.
fn flag(pairs: &[(String, String)], name: &str) -> Result<bool, JiraError> {
    match pairs.iter().find(|(n, _)| n == name).map(|(_, v)| v) {
        None => Ok(false),
        Some(v) if v.eq_ignore_ascii_case("true") => Ok(true),
        Some(v) if v.eq_ignore_ascii_case("false") => Ok(false),
        Some(v) => Err(JiraError::bad_request(format!(
            "'{v}' is not a valid value. {name} must be true or false."
        ))),
    }
}

fn admin_required() -> JiraError {
    JiraError::forbidden(
        "You are not authorized to perform this action. Administrator privileges are required.",
    )
}
