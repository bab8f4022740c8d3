//! Issue properties: keys, get, set and delete, per issue.
//!
//! The issue is named by id or by key (a key in any case, as the other issue routes accept).
//! Every operation needs the caller to see the issue: *Browse projects* in its project and, with
//! issue-level security, a place in the level. An issue the caller may not see answers the same
//! 404 as one that does not exist.
//!
//! Writes also need *Edit issues*. The world grants no such permission separately, so whoever
//! sees an issue may edit it here: no write of an issue property is ever refused with 403.
//!
//! The bulk operations documented beside them (`/issue/properties`, `/issue/properties/multi`,
//! `/issue/properties/{propertyKey}`) are outside the mock's slice. Their documentation lists
//! 401 for each, so they are routed rather than left to the fallback's 404: an undocumented
//! method answers 405, a request without a known caller 401, and a documented one 501.

use axum::body::Bytes;
use axum::extract::rejection::{BytesRejection, PathRejection};
use axum::extract::Path;
use axum::response::Response;
use axum::Router;

use crate::fixtures::{Issue, Principal};

use super::caller::{caller, Call, Methods, PathSegment};
use super::entity_properties::{
    key_listing, keyless, too_large, Operation, ALLOW_PROPERTY, LISTING,
};
use super::error::JiraError;
use super::faults::Fault;
use super::issue_visibility::{find_issue, issue_not_found, sees_issue};
use super::links::{encode, ApiVersion};
use super::router::VersionedRoutes;
use super::state::MockState;

/// The path of an issue's properties, after the version's prefix.
const PROPERTIES: &str = "/issue/{issueIdOrKey}/properties";

/// `/issue/properties`: bulkSetIssuesPropertiesList (POST), not served by the mock.
const BULK_BY_LIST: Methods = Methods::new("POST", &[]);
/// `/issue/properties/multi`: bulkSetIssuePropertiesByIssue (POST), not served by the mock.
const BULK_BY_ISSUE: Methods = Methods::new("POST", &[]);
/// `/issue/properties/{propertyKey}`: bulkSetIssueProperty (PUT) and bulkDeleteIssueProperty
/// (DELETE), not served by the mock.
const BULK_ONE_KEY: Methods = Methods::new("DELETE, PUT", &[]);

/// The routes of this resource under one API version.
pub(crate) fn routes(version: ApiVersion) -> Router<MockState> {
    Router::new()
        .versioned(version, PROPERTIES, keys)
        .versioned(version, &format!("{PROPERTIES}/"), no_key)
        .versioned(version, &format!("{PROPERTIES}/{{propertyKey}}"), property)
        .versioned(version, "/issue/properties", bulk_by_list)
        .versioned(version, "/issue/properties/multi", bulk_by_issue)
        .versioned(version, "/issue/properties/{propertyKey}", bulk_one_key)
}

/// `/issue/properties` (bulkSetIssuesPropertiesList): 405 for a method other than POST, 401
/// without a known caller ("Returned if the authentication credentials are incorrect"; the
/// operation "can be accessed anonymously", but the world grants anonymous callers nothing, and
/// every other operation of the mock answers them 401 too), then 501.
async fn bulk_by_list(call: Call) -> JiraError {
    not_served(BULK_BY_LIST, &call)
}

/// `/issue/properties/multi` (bulkSetIssuePropertiesByIssue): 405, 401 ("Returned if the
/// authentication credentials are incorrect"; no anonymous access is documented), then 501.
async fn bulk_by_issue(call: Call) -> JiraError {
    not_served(BULK_BY_ISSUE, &call)
}

/// `/issue/properties/{propertyKey}` (bulkSetIssueProperty, bulkDeleteIssueProperty): 405, 401
/// ("Returned if the authentication credentials are incorrect or missing"), then 501.
async fn bulk_one_key(call: Call) -> JiraError {
    not_served(BULK_ONE_KEY, &call)
}

/// What a path whose documented methods the mock does not serve answers: 405, 401 or 501.
fn not_served(methods: Methods, call: &Call) -> JiraError {
    match methods.caller(call) {
        Err(e) => e,
        Ok(_) => JiraError::not_implemented(),
    }
}

/// `/issue/{issueIdOrKey}/properties` (getIssuePropertyKeys): GET only.
async fn keys(call: Call, issue: PathSegment) -> Result<Response, JiraError> {
    let caller = LISTING.caller(&call)?;
    list(&call, caller, issue)
}

/// `/issue/{issueIdOrKey}/properties/`: no key given. GET lists the keys, as for the other
/// entities; PUT and DELETE need a key.
async fn no_key(call: Call, issue: PathSegment) -> Result<Response, JiraError> {
    keyless(&call.method)?;
    let caller = caller(&call)?;
    list(&call, caller, issue)
}

/// `/issue/{issueIdOrKey}/properties/{propertyKey}`: getIssueProperty, setIssueProperty and
/// deleteIssueProperty.
async fn property(
    call: Call,
    ids: Result<Path<(String, String)>, PathRejection>,
    body: Result<Bytes, BytesRejection>,
) -> Result<Response, JiraError> {
    let operation = Operation::on_property(&call.method)
        .ok_or_else(|| JiraError::method_not_allowed(ALLOW_PROPERTY))?;
    let caller = caller(&call)?;
    let state = &call.state;
    // Only a segment that is not UTF-8 once percent-decoded fails: no issue or stored key has
    // such a name, and a key that cannot be stored is a bad request for PUT.
    let Ok(Path((issue, key))) = ids else {
        return Err(if operation == Operation::Set {
            JiraError::bad_request("The property key is not valid UTF-8 text.")
        } else {
            issue_not_found()
        });
    };
    let issue = target(state, caller, operation, &issue)?;
    let store = state.issue_properties();
    match operation {
        Operation::Get => store.answer_get(issue.id.as_str(), &key),
        Operation::Set => store.answer_set(issue.id.clone(), &key, body, too_large),
        Operation::Delete => store.answer_delete(issue.id.as_str(), &key),
        // Not produced by `on_property`, but its meaning is plain.
        Operation::ListKeys => Ok(listing(&call, issue)),
    }
}

fn list(call: &Call, caller: &Principal, issue: PathSegment) -> Result<Response, JiraError> {
    let Ok(Path(issue)) = issue else {
        return Err(issue_not_found());
    };
    let issue = target(&call.state, caller, Operation::ListKeys, &issue)?;
    Ok(listing(call, issue))
}

/// The key listing of a found issue; each `self` names the issue by its key.
fn listing(call: &Call, issue: &Issue) -> Response {
    let base = format!(
        "{}/issue/{}/properties",
        call.links().api(),
        encode(&issue.key)
    );
    key_listing(
        &base,
        &call.state.issue_properties().keys(issue.id.as_str()),
    )
}

/// The issue the path names, if the caller may act on its properties: it exists and the caller
/// sees it (404 otherwise, for reads and writes alike). With the `IssuePropertyNoBrowseCheck`
/// fault, reads skip the visibility check.
fn target<'s>(
    state: &'s MockState,
    caller: &Principal,
    operation: Operation,
    id_or_key: &str,
) -> Result<&'s Issue, JiraError> {
    let issue = find_issue(state, id_or_key).ok_or_else(issue_not_found)?;
    let unchecked = operation.is_read() && state.has(Fault::IssuePropertyNoBrowseCheck);
    if !unchecked && !sees_issue(state.world(), caller, issue, true) {
        return Err(issue_not_found());
    }
    Ok(issue)
}
