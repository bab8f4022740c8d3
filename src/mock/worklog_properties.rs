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

use axum::body::Bytes;
use axum::extract::rejection::{BytesRejection, PathRejection};
use axum::extract::Path;
use axum::response::Response;
use axum::Router;

use crate::fixtures::{Issue, Principal};

use super::caller::{caller, Call};
use super::entity_properties::{
    key_listing, keyless, too_large, Operation, ALLOW_PROPERTY, LISTING,
};
use super::error::JiraError;
use super::issue_visibility::{admitted, find_issue, issue_not_found, sees_issue};
use super::links::{encode, ApiVersion};
use super::router::VersionedRoutes;
use super::state::MockState;
use super::worklogs::Entry;

/// The path of a worklog's properties, after the version's prefix. The worklog id's parameter
/// has the name the worklog routes give it, as routes sharing a position must.
const PROPERTIES: &str = "/issue/{issueIdOrKey}/worklog/{id}/properties";

const WORKLOG_NOT_FOUND: &str =
    "The worklog does not exist or you do not have permission to see it.";

/// The issue id or key and the worklog id of a path.
type WorklogIds = Result<Path<(String, String)>, PathRejection>;

/// The routes of this resource under one API version.
pub(crate) fn routes(version: ApiVersion) -> Router<MockState> {
    Router::new()
        .versioned(version, PROPERTIES, keys)
        .versioned(version, &format!("{PROPERTIES}/"), no_key)
        .versioned(version, &format!("{PROPERTIES}/{{propertyKey}}"), property)
}

/// `…/worklog/{worklogId}/properties` (getWorklogPropertyKeys): GET only.
async fn keys(call: Call, ids: WorklogIds) -> Result<Response, JiraError> {
    let caller = LISTING.caller(&call)?;
    list(&call, caller, ids)
}

/// `…/worklog/{worklogId}/properties/`: no key given. GET lists the keys, as for the other
/// entities; PUT and DELETE need a key.
async fn no_key(call: Call, ids: WorklogIds) -> Result<Response, JiraError> {
    keyless(&call.method)?;
    let caller = caller(&call)?;
    list(&call, caller, ids)
}

/// `…/worklog/{worklogId}/properties/{propertyKey}`: getWorklogProperty, setWorklogProperty and
/// deleteWorklogProperty.
async fn property(
    call: Call,
    ids: Result<Path<(String, String, String)>, PathRejection>,
    body: Result<Bytes, BytesRejection>,
) -> Result<Response, JiraError> {
    let operation = Operation::on_property(&call.method)
        .ok_or_else(|| JiraError::method_not_allowed(ALLOW_PROPERTY))?;
    let caller = caller(&call)?;
    let state = &call.state;
    // Only a segment that is not UTF-8 once percent-decoded fails: no issue, worklog or stored
    // key has such a name, and a key that cannot be stored is a bad request for PUT.
    let Ok(Path((issue, worklog, key))) = ids else {
        return Err(if operation == Operation::Set {
            JiraError::bad_request("The property key is not valid UTF-8 text.")
        } else {
            JiraError::not_found(WORKLOG_NOT_FOUND)
        });
    };
    let (issue, entry) = target(state, caller, operation, &issue, &worklog)?;
    let store = state.worklog_properties();
    match operation {
        Operation::Get => store.answer_get(entry.id.as_str(), &key),
        Operation::Set => store.answer_set(entry.id.clone(), &key, body, too_large),
        Operation::Delete => store.answer_delete(entry.id.as_str(), &key),
        // Not produced by `on_property`, but its meaning is plain.
        Operation::ListKeys => Ok(listing(&call, issue, &entry)),
    }
}

fn list(call: &Call, caller: &Principal, ids: WorklogIds) -> Result<Response, JiraError> {
    let Ok(Path((issue, worklog))) = ids else {
        return Err(JiraError::not_found(WORKLOG_NOT_FOUND));
    };
    let (issue, entry) = target(&call.state, caller, Operation::ListKeys, &issue, &worklog)?;
    Ok(listing(call, issue, &entry))
}

/// The key listing of a found worklog; each `self` names the issue by id, as a worklog's own
/// `self` does.
fn listing(call: &Call, issue: &Issue, entry: &Entry) -> Response {
    let base = format!(
        "{}/issue/{}/worklog/{}/properties",
        call.links().api(),
        encode(&issue.id),
        encode(&entry.id)
    );
    key_listing(
        &base,
        &call.state.worklog_properties().keys(entry.id.as_str()),
    )
}

/// The worklog the path names, if the caller may do `operation` on its properties, checked in
/// this order: the worklog id a number (400); time tracking on, the issue visible, its *Log
/// work* field shown, the worklog on that issue and admitting the caller (404); for writes, the
/// caller its author or a holder of *Edit all worklogs* (403).
fn target<'s>(
    state: &'s MockState,
    caller: &Principal,
    operation: Operation,
    issue_id_or_key: &str,
    worklog_id: &str,
) -> Result<(&'s Issue, Entry), JiraError> {
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
    let issue = find_issue(state, issue_id_or_key)
        .filter(|i| sees_issue(world, caller, i, true))
        .ok_or_else(issue_not_found)?;
    let project = world.project(&issue.project);
    if project.is_some_and(|p| p.worklog_field_hidden) {
        return Err(JiraError::not_found(WORKLOG_NOT_FOUND));
    }
    let entry = state
        .worklogs()
        .get(worklog_id)
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
    Ok((issue, entry))
}
