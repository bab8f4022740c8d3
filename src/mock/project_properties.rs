//! Project properties: keys, get, set and delete, per project.
//!
//! The project is named by id or by key; the key is case-sensitive, as the parameter's
//! documentation says. Reads need *Browse projects* in the project; writes need *Administer
//! Jira* or *Administer projects* in it. Unlike issues, a project the caller may not read is
//! not hidden: the documentation answers it with 403, and only a project that does not exist
//! with 404.

use axum::response::Response;
use axum::Router;

use crate::fixtures::Principal;

use super::entity_properties::{self, Operation, PropertyOwner, Store, Target};
use super::error::JiraError;
use super::faults::Fault;
use super::issue_visibility::browses;
use super::links::{encode, ApiVersion};
use super::state::MockState;

/// The routes of this resource under one API version.
pub(crate) fn routes(version: ApiVersion) -> Router<MockState> {
    entity_properties::routes::<ProjectProperties>(version)
}

/// The properties of projects: getProjectPropertyKeys, getProjectProperty, setProjectProperty
/// and deleteProjectProperty.
struct ProjectProperties;

impl PropertyOwner for ProjectProperties {
    type Ids = String;
    type Id = String;

    const PROPERTIES: &'static str = "/project/{projectIdOrKey}/properties";
    const UNREADABLE: &'static str = "The project does not exist.";
    const UNREADABLE_PROPERTY: &'static str = "The project or property does not exist.";

    fn store(state: &MockState) -> &Store<String> {
        state.project_properties()
    }

    /// The project the path names, if the caller may do `operation` on its properties, checked
    /// in this order: the project exists (404), then for reads *Browse projects* and for writes
    /// *Administer Jira* or *Administer projects* (403; the `ProjectPropertyAnyoneWrites` fault
    /// lets every write through). The key listing's `self` names the project by its key.
    fn target(
        state: &MockState,
        caller: &Principal,
        operation: Operation,
        id_or_key: String,
    ) -> Result<Target<String>, JiraError> {
        let world = state.world();
        let project = world
            .projects
            .iter()
            .find(|p| {
                p.id == id_or_key
                    || p.key == id_or_key
                    || (state.has(Fault::ProjectKeyCaseIgnored)
                        && p.key.eq_ignore_ascii_case(&id_or_key))
            })
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
        Ok(Target {
            id: project.id.clone(),
            properties: format!("/project/{}/properties", encode(&project.key)),
        })
    }

    /// The project's property; with the ProjectPropertyReadShared fault, the first project's
    /// that has the key.
    fn read(state: &MockState, id: &String, key: &str) -> Result<Response, JiraError> {
        let store = state.project_properties();
        if !state.has(Fault::ProjectPropertyReadShared) || store.get(id, key).is_some() {
            return store.answer_get(id, key);
        }
        let holder = store
            .entries()
            .into_iter()
            .find(|(_, props)| props.iter().any(|(k, _)| k == key));
        match holder {
            Some((other, _)) => store.answer_get(&other, key),
            None => store.answer_get(id, key),
        }
    }
}
