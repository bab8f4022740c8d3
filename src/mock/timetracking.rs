//! Time tracking: the selected implementation, administrators only.

use axum::extract::State;
use axum::http::{HeaderMap, Method, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::any;
use axum::Router;
use serde_json::json;

use super::auth::{authenticate, Authentication};
use super::dashboards::not_implemented;
use super::error::JiraError;
use super::faults::Fault;
use super::links::ApiVersion;
use super::response::{empty, json};
use super::state::MockState;

/// What `Allow` says for `/configuration/timetracking`.
const ALLOW_TIMETRACKING: &str = "GET, PUT";

/// The routes of this resource under one API version.
pub(crate) fn routes(version: ApiVersion) -> Router<MockState> {
    // Nothing in the answer depends on the version (it carries no links).
    Router::new().route(
        &format!("{}/configuration/timetracking", version.prefix()),
        any(selected),
    )
}

/// `/rest/api/N/configuration/timetracking`: GET (getSelectedTimeTrackingImplementation) is
/// served; PUT (selectTimeTrackingImplementation) is documented but not part of the mock.
async fn selected(State(state): State<MockState>, method: Method, headers: HeaderMap) -> Response {
    let reading = match method {
        Method::GET | Method::HEAD => true,
        Method::PUT => false,
        _ => {
            return JiraError::method_not_allowed(
                ALLOW_TIMETRACKING,
                "The method is not allowed for this resource.",
            )
            .into_response()
        }
    };
    let Authentication::User(caller) = authenticate(&state, &headers) else {
        return JiraError::unauthorized().into_response();
    };
    if !reading {
        return not_implemented().into_response();
    }
    if !caller.admin && !state.has(Fault::TimetrackingOpenToAll) {
        return JiraError::forbidden(
            "You are not authorized to perform this action. Administrator privileges are required.",
        )
        .into_response();
    }
    let tracking = &state.world().timetracking;
    if !tracking.enabled {
        // Documented: time tracking switched off is a success with nothing to say.
        return empty(StatusCode::NO_CONTENT);
    }
    // `url` is only sent for provider apps that declare an admin page; neither the fixtures nor
    // the recorded answers for Jira's own provider have one.
    json(
        StatusCode::OK,
        &json!({ "key": tracking.provider_key, "name": tracking.provider_name }),
    )
}
