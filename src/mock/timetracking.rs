//! Time tracking: the selected implementation, administrators only.

use axum::http::{Method, StatusCode};
use axum::response::Response;
use axum::Router;
use serde_json::json;

use super::caller::{Call, Methods};
use super::error::JiraError;
use super::faults::Fault;
use super::links::ApiVersion;
use super::response::{empty, json};
use super::state::MockState;
use super::versioned_routes::VersionedRoutes;

/// `/configuration/timetracking`: GET (getSelectedTimeTrackingImplementation) is served; PUT
/// (selectTimeTrackingImplementation) is documented but not part of the mock.
const TIMETRACKING: Methods = Methods::new("GET, PUT", &[Method::GET]);

/// The routes of this resource under one API version. Nothing in the answer depends on the
/// version (it carries no links).
pub(crate) fn routes(version: ApiVersion) -> Router<MockState> {
    Router::new().versioned(version, "/configuration/timetracking", selected)
}

/// `/rest/api/N/configuration/timetracking`: the selected implementation.
async fn selected(call: Call) -> Result<Response, JiraError> {
    let caller = TIMETRACKING.caller(&call)?;
    let state = &call.state;
    if !caller.admin && !state.has(Fault::TimetrackingOpenToAll) {
        return Err(JiraError::admin_required());
    }
    let tracking = &state.world().timetracking;
    if !tracking.enabled {
        // Documented: time tracking switched off is a success with nothing to say.
        return Ok(empty(StatusCode::NO_CONTENT));
    }
    // `url` is only sent for provider apps that declare an admin page; neither the fixtures nor
    // the recorded answers for Jira's own provider have one.
    Ok(json(
        StatusCode::OK,
        &json!({ "key": tracking.provider_key, "name": tracking.provider_name }),
    ))
}
