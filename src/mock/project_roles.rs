//! Project roles: a project's roles and role details, and creating a role.
//!
//! Roles are defined once for the site, so every project lists every role; who acts in a role
//! is per project (the fixtures' actors). Roles created through the API start with no default
//! actors and no actors in any project. `GET` and `DELETE /role/{id}` are served too, so a run
//! can look at and remove what it created.

use std::collections::BTreeMap;
use std::sync::{PoisonError, RwLock, RwLockReadGuard, RwLockWriteGuard};

use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::extract::Path;
use axum::http::{Method, StatusCode};
use axum::response::Response;
use axum::Router;
use serde_json::{json, Map, Value};

use crate::fixtures::{Principal, Project, World};

use super::caller::{Call, Methods, PathSegment};
use super::error::JiraError;
use super::faults::Fault;
use super::links::{encode, ApiVersion, Links};
use super::query::{self, flag, QueryPairs};
use super::response::{empty, json};
use super::router::VersionedRoutes;
use super::state::MockState;

/// The longest role name, in characters (CreateUpdateRoleRequestBean).
const ROLE_NAME_MAX_CHARS: usize = 255;
/// The first id given to a created role when the fixtures define no numeric one.
const FIRST_ROLE_ID: u64 = 10000;

/// `/project/{projectIdOrKey}/role` and `…/roledetails`: GET only.
const PROJECT_ROLES: Methods = Methods::new("GET", &[Method::GET]);
/// `/role`: getAllProjectRoles and createProjectRole, both served.
const ROLES: Methods = Methods::new("GET, POST", &[Method::GET, Method::POST]);
/// `/role/{id}`: the full spec documents all four; the mock serves GET and DELETE, so runs can
/// clean up, and leaves out the two updates.
const ROLE: Methods = Methods::new("DELETE, GET, POST, PUT", &[Method::GET, Method::DELETE]);

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

    /// Every role, in id order, as JSON: what `MockState::dump` shows. The next id to give is
    /// left out: a role created and deleted again moves it on, as in Jira, and leaves nothing.
    pub(crate) fn dump(&self) -> Value {
        let roles: Vec<Value> = self
            .read()
            .list
            .iter()
            .map(|r| {
                json!({
                    "id": r.id,
                    "name": r.name,
                    "description": r.description,
                    "actors": r.actors,
                    "defaultActors": r.default_actors,
                })
            })
            .collect();
        Value::Array(roles)
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
