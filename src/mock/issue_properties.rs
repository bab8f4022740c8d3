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

use axum::Router;

use crate::fixtures::Principal;

use super::caller::{Call, Methods};
use super::entity_properties::{self, Operation, PropertyOwner, Store, Target};
use super::error::JiraError;
use super::faults::Fault;
use super::issue_visibility::{find_issue, issue_not_found, sees_issue, ISSUE_NOT_FOUND};
use super::links::{encode, ApiVersion};
use super::state::MockState;
use super::versioned_routes::VersionedRoutes;

/// `/issue/properties`: bulkSetIssuesPropertiesList (POST), not served by the mock.
const BULK_BY_LIST: Methods = Methods::new("POST", &[]);
/// `/issue/properties/multi`: bulkSetIssuePropertiesByIssue (POST), not served by the mock.
const BULK_BY_ISSUE: Methods = Methods::new("POST", &[]);
/// `/issue/properties/{propertyKey}`: bulkSetIssueProperty (PUT) and bulkDeleteIssueProperty
/// (DELETE), not served by the mock.
const BULK_ONE_KEY: Methods = Methods::new("DELETE, PUT", &[]);

/// The routes of this resource under one API version.
pub(crate) fn routes(version: ApiVersion) -> Router<MockState> {
    entity_properties::routes::<IssueProperties>(version)
        .versioned(version, "/issue/properties", bulk_by_list)
        .versioned(version, "/issue/properties/multi", bulk_by_issue)
        .versioned(version, "/issue/properties/{propertyKey}", bulk_one_key)
}

/// The properties of issues: getIssuePropertyKeys, getIssueProperty, setIssueProperty and
/// deleteIssueProperty.
struct IssueProperties;

impl PropertyOwner for IssueProperties {
    type Ids = String;
    type Id = String;

    const PROPERTIES: &'static str = "/issue/{issueIdOrKey}/properties";
    const UNREADABLE: &'static str = ISSUE_NOT_FOUND;

    fn store(state: &MockState) -> &Store<String> {
        state.issue_properties()
    }

    /// The issue the path names, if the caller may act on its properties: it exists and the
    /// caller sees it (404 otherwise, for reads and writes alike). With the
    /// `IssuePropertyNoBrowseCheck` fault, reads skip the visibility check. The key listing's
    /// `self` names the issue by its key.
    fn target(
        state: &MockState,
        caller: &Principal,
        operation: Operation,
        id_or_key: String,
    ) -> Result<Target<String>, JiraError> {
        let issue = find_issue(state, &id_or_key).ok_or_else(issue_not_found)?;
        let unchecked = operation.is_read() && state.has(Fault::IssuePropertyNoBrowseCheck);
        if !unchecked && !sees_issue(state.world(), caller, issue, true) {
            return Err(issue_not_found());
        }
        Ok(Target {
            id: issue.id.clone(),
            properties: format!("/issue/{}/properties", encode(&issue.key)),
        })
    }

    /// The issue's keys; with the IssuePropertyListingShared fault, every issue's keys.
    fn listed_keys(state: &MockState, id: &String) -> Vec<String> {
        let store = state.issue_properties();
        if !state.has(Fault::IssuePropertyListingShared) {
            return store.keys(id);
        }
        let mut keys: Vec<String> = store
            .entries()
            .into_iter()
            .flat_map(|(_, props)| props.into_iter().map(|(key, _)| key))
            .collect();
        keys.sort();
        keys.dedup();
        keys
    }
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
