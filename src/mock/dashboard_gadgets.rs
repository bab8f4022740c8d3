//! `GET /dashboard/{dashboardId}/gadget`: the gadgets (items) of a dashboard the caller may see,
//! optionally only those with the given ids.
//!
//! The world knows a gadget by its id only; the other documented fields are given stable
//! values: a generic module key, blue, one column in item order, a title naming the id.

use axum::extract::Path;
use axum::http::{Method, StatusCode};
use axum::response::Response;
use axum::Router;
use serde_json::{json, Value};

use crate::fixtures::Share;

use super::anonymous::{caller_or_anonymous, is_anonymous};
use super::caller::{Call, Methods, PathSegment};
use super::dashboards::visible;
use super::error::JiraError;
use super::links::ApiVersion;
use super::query::{self, list_values, QueryPairs};
use super::response::{id_value, json};
use super::state::MockState;
use super::versioned_routes::VersionedRoutes;

/// `/dashboard/{dashboardId}/gadget`: getAllGadgets is served; addGadget (POST) is not built.
const GADGETS: Methods = Methods::new("GET, POST", &[Method::GET]);
/// The module key every gadget of the world has.
const MODULE_KEY: &str = "com.atlassian.jira.gadgets:filter-results-gadget";

/// The routes of this resource under one API version.
pub(crate) fn routes(version: ApiVersion) -> Router<MockState> {
    Router::new().versioned(version, "/dashboard/{dashboardId}/gadget", gadgets)
}

/// `/rest/api/N/dashboard/{dashboardId}/gadget`.
async fn gadgets(call: Call, id: PathSegment, query: QueryPairs) -> Result<Response, JiraError> {
    let caller = &caller_or_anonymous(&GADGETS, &call)?;
    let Ok(Path(id)) = id else {
        return Err(JiraError::not_found("The dashboard does not exist."));
    };
    let dashboard = visible(&call.state, caller, &id)?;
    // Anonymous callers see only what is shared with everyone.
    if is_anonymous(caller) && !(dashboard.system || dashboard.shared_with.contains(&Share::Global))
    {
        return Err(JiraError::not_found(format!(
            "The dashboard with id '{id}' does not exist."
        )));
    }
    let pairs = query::pairs(query)?;
    let wanted = list_values(&pairs, "gadgetId");
    let gadgets: Vec<Value> = dashboard
        .items
        .iter()
        .enumerate()
        .filter(|(_, item)| wanted.is_empty() || wanted.contains(&item.as_str()))
        .map(|(row, item)| {
            json!({
                "id": id_value(item),
                "moduleKey": MODULE_KEY,
                "color": "blue",
                "position": { "row": row, "column": 0 },
                "title": format!("Gadget {item}"),
            })
        })
        .collect();
    Ok(json(StatusCode::OK, &json!({ "gadgets": gadgets })))
}
