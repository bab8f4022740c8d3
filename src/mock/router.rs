//! The mock's routes: both API versions, the same handlers.

use axum::middleware::map_response_with_state;
use axum::Router;

use super::error::JiraError;
use super::links::ApiVersion;
use super::response_faults::{any_response_fault, apply_response_faults};
use super::state::MockState;
use super::{
    attachments, comment_properties, comments, dashboard_gadgets, dashboard_item_properties,
    dashboard_listing, dashboards, issue_properties, issue_search, issues, mypermissions, myself,
    notification_schemes, project_properties, project_role_actors, project_roles, project_search,
    timetracking, user_groups, user_properties, worklog_properties, worklogs,
};

/// The mock as an axum application over the given state.
///
/// Routes accept every method and answer unsupported ones themselves, so 405s carry Jira's
/// error body and the documented `Allow` header.
pub fn app(state: MockState) -> Router {
    app_serving(state, &ApiVersion::ALL)
}

/// The mock serving only the given API versions: paths under the others answer Jira's 404, as
/// a partial mock or a site behind a proxy that passes one version would.
pub fn app_serving(state: MockState, versions: &[ApiVersion]) -> Router {
    let mut router = Router::new();
    if state.has(super::faults::Fault::OnlyUserProperties) {
        // A partial mock: everything else falls through to the route-level 404 below.
        for &version in versions {
            router = router.merge(user_properties::routes(version));
        }
        return finish(router, state);
    }
    for &version in versions {
        router = router
            .merge(user_properties::routes(version))
            .merge(myself::routes(version))
            .merge(attachments::routes(version))
            .merge(timetracking::routes(version))
            .merge(dashboards::routes(version))
            .merge(dashboard_item_properties::routes(version))
            .merge(issues::routes(version))
            .merge(worklogs::routes(version))
            .merge(notification_schemes::routes(version))
            .merge(project_roles::routes(version))
            .merge(issue_properties::routes(version))
            .merge(project_properties::routes(version))
            .merge(worklog_properties::routes(version))
            .merge(comment_properties::routes(version))
            .merge(comments::routes(version))
            .merge(mypermissions::routes(version))
            .merge(project_search::routes(version))
            .merge(user_groups::routes(version))
            .merge(issue_search::routes(version))
            .merge(dashboard_listing::routes(version))
            .merge(dashboard_gadgets::routes(version))
            .merge(project_role_actors::routes(version));
    }
    finish(router, state)
}

/// The fallback 404 and the response faults around the routes.
fn finish(router: Router<MockState>, state: MockState) -> Router {
    // The media type is checked on routes only: a path nothing serves is a 404 whatever it is
    // sent, as on Jira.
    let router = router
        .route_layer(axum::middleware::from_fn_with_state(
            state.clone(),
            super::media_type::refuse_other_media_types,
        ))
        .fallback(not_found);
    let router = if any_response_fault(&state) {
        router.layer(map_response_with_state(
            state.clone(),
            apply_response_faults,
        ))
    } else {
        router
    };
    router.with_state(state)
}

/// The route-level 404. The body is read first: answering before the request's body was
/// consumed makes hyper close the kept-alive connection, and a client that had already taken
/// it from its pool for the next request sees it closed without an answer.
async fn not_found(_body: axum::body::Bytes) -> JiraError {
    JiraError::not_found("The requested resource does not exist.")
}
