//! Project properties: keys, get, set and delete, per project.
//!
//! The project is named by id or by key; the key is case-sensitive, as the parameter's
//! documentation says. Reads need *Browse projects* in the project; writes need *Administer
//! Jira* or *Administer projects* in it. Unlike issues, a project the caller may not read is
//! not hidden: the documentation answers it with 403, and only a project that does not exist
//! with 404.

use axum::body::Bytes;
use axum::extract::rejection::{BytesRejection, PathRejection};
use axum::extract::Path;
use axum::response::Response;
use axum::Router;

use crate::fixtures::{Principal, Project};

use super::caller::{caller, Call, PathSegment};
use super::entity_properties::{
    key_listing, keyless, too_large, Operation, ALLOW_PROPERTY, LISTING,
};
use super::error::JiraError;
use super::faults::Fault;
use super::issue_visibility::browses;
use super::links::{encode, ApiVersion};
use super::router::VersionedRoutes;
use super::state::MockState;

/// The path of a project's properties, after the version's prefix.
const PROPERTIES: &str = "/project/{projectIdOrKey}/properties";

/// The routes of this resource under one API version.
pub(crate) fn routes(version: ApiVersion) -> Router<MockState> {
    Router::new()
        .versioned(version, PROPERTIES, keys)
        .versioned(version, &format!("{PROPERTIES}/"), no_key)
        .versioned(version, &format!("{PROPERTIES}/{{propertyKey}}"), property)
}

/// `/project/{projectIdOrKey}/properties` (getProjectPropertyKeys): GET only.
async fn keys(call: Call, project: PathSegment) -> Result<Response, JiraError> {
    let caller = LISTING.caller(&call)?;
    list(&call, caller, project)
}

/// `/project/{projectIdOrKey}/properties/`: no key given. GET lists the keys, as for the other
/// entities; PUT and DELETE need a key.
async fn no_key(call: Call, project: PathSegment) -> Result<Response, JiraError> {
    keyless(&call.method)?;
    let caller = caller(&call)?;
    list(&call, caller, project)
}

/// `/project/{projectIdOrKey}/properties/{propertyKey}`: getProjectProperty, setProjectProperty
/// and deleteProjectProperty.
async fn property(
    call: Call,
    ids: Result<Path<(String, String)>, PathRejection>,
    body: Result<Bytes, BytesRejection>,
) -> Result<Response, JiraError> {
    let operation = Operation::on_property(&call.method)
        .ok_or_else(|| JiraError::method_not_allowed(ALLOW_PROPERTY))?;
    let caller = caller(&call)?;
    let state = &call.state;
    // Only a segment that is not UTF-8 once percent-decoded fails: no project or stored key has
    // such a name, and a key that cannot be stored is a bad request for PUT.
    let Ok(Path((project, key))) = ids else {
        return Err(if operation == Operation::Set {
            JiraError::bad_request("The property key is not valid UTF-8 text.")
        } else {
            JiraError::not_found("The project or property does not exist.")
        });
    };
    let project = target(state, caller, operation, &project)?;
    let store = state.project_properties();
    match operation {
        Operation::Get => store.answer_get(project.id.as_str(), &key),
        Operation::Set => store.answer_set(project.id.clone(), &key, body, too_large),
        Operation::Delete => store.answer_delete(project.id.as_str(), &key),
        // Not produced by `on_property`, but its meaning is plain.
        Operation::ListKeys => Ok(listing(&call, project)),
    }
}

fn list(call: &Call, caller: &Principal, project: PathSegment) -> Result<Response, JiraError> {
    let Ok(Path(project)) = project else {
        return Err(JiraError::not_found("The project does not exist."));
    };
    let project = target(&call.state, caller, Operation::ListKeys, &project)?;
    Ok(listing(call, project))
}

/// The key listing of a found project; each `self` names the project by its key.
fn listing(call: &Call, project: &Project) -> Response {
    let base = format!(
        "{}/project/{}/properties",
        call.links().api(),
        encode(&project.key)
    );
    key_listing(
        &base,
        &call.state.project_properties().keys(project.id.as_str()),
    )
}

/// The project the path names, if the caller may do `operation` on its properties, checked in
/// this order: the project exists (404), then for reads *Browse projects* and for writes
/// *Administer Jira* or *Administer projects* (403; the `ProjectPropertyAnyoneWrites` fault lets
/// every write through).
fn target<'s>(
    state: &'s MockState,
    caller: &Principal,
    operation: Operation,
    id_or_key: &str,
) -> Result<&'s Project, JiraError> {
    let world = state.world();
    let project = world
        .projects
        .iter()
        .find(|p| p.id == id_or_key || p.key == id_or_key)
        .ok_or_else(|| {
            JiraError::not_found(format!("No project could be found with key '{id_or_key}'."))
        })?;
    if operation.is_read() {
        if !browses(world, caller, &project.key) {
            return Err(JiraError::forbidden(
                "You do not have permission to view this project.",
            ));
        }
    } else if !(caller.admin
        || project.administer.contains(&caller.name)
        || state.has(Fault::ProjectPropertyAnyoneWrites))
    {
        return Err(JiraError::forbidden(
            "You do not have permission to administer this project.",
        ));
    }
    Ok(project)
}
