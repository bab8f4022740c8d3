//! Worklog properties: keys, get, set and delete, per worklog.
//!
//! Every operation needs the caller to see the worklog: the issue visible to them (*Browse
//! projects*, issue-level security) and the worklog's restriction, if any, admitting them (a
//! member of its group, a holder of its role). A worklog the caller may not see answers the same
//! 404 as one that does not exist, and so does one the worklog resource itself does not show
//! (time tracking off, or the project hiding the *Log work* field). Writes also need the right
//! to edit the worklog: its author (*Edit own worklogs*) or a holder of *Edit all worklogs* in
//! the project; anyone else gets 403.
//!
//! Worklog ids are numbers; a path whose worklog id is not one is a bad request.
//!
//! These properties are kept apart from the `properties` an updateWorklog body sets and
//! getWorklog's `expand=properties` shows.

use axum::Router;

use crate::fixtures::Principal;

use super::entity_properties::{self, Operation, PropertyOwner, Store, Target};
use super::error::JiraError;
use super::issue_visibility::{admitted, find_issue, issue_not_found, sees_issue};
use super::links::{encode, ApiVersion};
use super::state::MockState;

const WORKLOG_NOT_FOUND: &str =
    "The worklog does not exist or you do not have permission to see it.";

/// The routes of this resource under one API version.
pub(crate) fn routes(version: ApiVersion) -> Router<MockState> {
    entity_properties::routes::<WorklogProperties>(version)
}

/// The properties of worklogs: getWorklogPropertyKeys, getWorklogProperty, setWorklogProperty
/// and deleteWorklogProperty.
struct WorklogProperties;

impl PropertyOwner for WorklogProperties {
    /// The issue id or key and the worklog id.
    type Ids = (String, String);
    type Id = String;

    /// The worklog id's parameter has the name the worklog routes give it, as routes sharing a
    /// position must.
    const PROPERTIES: &'static str = "/issue/{issueIdOrKey}/worklog/{id}/properties";
    const UNREADABLE: &'static str = WORKLOG_NOT_FOUND;

    fn store(state: &MockState) -> &Store<String> {
        state.worklog_properties()
    }

    /// The worklog the path names, if the caller may do `operation` on its properties, checked in
    /// this order: the worklog id a number (400); time tracking on, the issue visible, its *Log
    /// work* field shown, the worklog on that issue and admitting the caller (404); for writes, the
    /// caller its author or a holder of *Edit all worklogs* (403). The key listing's `self` names
    /// the issue by id, as a worklog's own `self` does.
    fn target(
        state: &MockState,
        caller: &Principal,
        operation: Operation,
        (issue_id_or_key, worklog_id): (String, String),
    ) -> Result<Target<String>, JiraError> {
        if worklog_id.is_empty()
            || !worklog_id.bytes().all(|b| b.is_ascii_digit())
            || worklog_id.parse::<i64>().is_err()
        {
            return Err(JiraError::bad_request("The worklog id must be a number."));
        }
        let world = state.world();
        if !world.timetracking.enabled {
            return Err(JiraError::not_found(WORKLOG_NOT_FOUND));
        }
        let issue = find_issue(state, &issue_id_or_key)
            .filter(|i| sees_issue(world, caller, i, true))
            .ok_or_else(issue_not_found)?;
        let project = world.project(&issue.project);
        if project.is_some_and(|p| p.worklog_field_hidden) {
            return Err(JiraError::not_found(WORKLOG_NOT_FOUND));
        }
        let entry = state
            .worklogs()
            .get(&worklog_id)
            .filter(|e| e.issue == issue.key)
            .filter(|e| admitted(world, caller, &issue.project, e.visibility.as_ref()))
            .ok_or_else(|| JiraError::not_found(WORKLOG_NOT_FOUND))?;
        let edits = entry.author == caller.name
            || project.is_some_and(|p| p.edit_all_worklogs.contains(&caller.name));
        if !operation.is_read() && !edits {
            return Err(JiraError::forbidden(
                "You do not have the permission to edit this worklog.",
            ));
        }
        Ok(Target {
            properties: format!(
                "/issue/{}/worklog/{}/properties",
                encode(&issue.id),
                encode(&entry.id)
            ),
            id: entry.id,
        })
    }
}
