//! `GET /dashboard`: the dashboards owned by or shared with the caller, a page at a time,
//! optionally only the caller's own (`filter=my`) or favourites (`filter=favourite`). Open to
//! anonymous callers, as documented.

use axum::http::{Method, StatusCode};
use axum::response::Response;
use axum::Router;
use serde_json::{json, Map, Value};

use crate::fixtures::{Dashboard, Share};

use super::anonymous::{caller_or_anonymous, is_anonymous};
use super::caller::{Call, Methods};
use super::dashboards::{describe, may_see};
use super::error::JiraError;
use super::links::ApiVersion;
use super::query::{self, count, QueryPairs};
use super::response::json;
use super::state::MockState;
use super::versioned_routes::VersionedRoutes;

/// `/dashboard`: getAllDashboards is served; createDashboard (POST) is documented but not built.
const LISTING: Methods = Methods::new("GET, POST", &[Method::GET]);
/// The documented default page size.
const DEFAULT_MAX_RESULTS: usize = 20;
/// The largest page the mock gives.
const MAX_MAX_RESULTS: usize = 1000;

/// The routes of this resource under one API version.
pub(crate) fn routes(version: ApiVersion) -> Router<MockState> {
    Router::new().versioned(version, "/dashboard", listing)
}

/// `/rest/api/N/dashboard`.
async fn listing(call: Call, query: QueryPairs) -> Result<Response, JiraError> {
    let caller = &caller_or_anonymous(&LISTING, &call)?;
    let pairs = query::pairs(query)?;
    let start_at = count(&pairs, "startAt", 0)?;
    let max_results = count(&pairs, "maxResults", DEFAULT_MAX_RESULTS)?.min(MAX_MAX_RESULTS);
    let filter = pairs
        .iter()
        .find(|(n, v)| n == "filter" && !v.is_empty())
        .map(|(_, v)| v.as_str());
    let state = &call.state;
    let mine = |d: &Dashboard| d.owner.as_deref() == Some(caller.name.as_str());
    let chosen: Vec<&Dashboard> = match filter {
        // Anonymous callers see what is shared with everyone (not with logged-in users only).
        None if is_anonymous(caller) => state
            .world()
            .dashboards
            .iter()
            .filter(|d| d.system || d.shared_with.contains(&Share::Global))
            .collect(),
        None => state
            .world()
            .dashboards
            .iter()
            .filter(|d| may_see(state, caller, d))
            .collect(),
        Some("my") => state
            .world()
            .dashboards
            .iter()
            .filter(|d| mine(d))
            .collect(),
        // Nobody of the world has marked a favourite.
        Some("favourite") => Vec::new(),
        Some(other) => {
            return Err(JiraError::bad_request(format!(
                "'{other}' is not a valid filter: use 'my' or 'favourite'."
            )))
        }
    };
    let links = call.links();
    let api = links.api();
    let total = chosen.len();
    let dashboards: Vec<Value> = chosen
        .iter()
        .skip(start_at)
        .take(max_results)
        .map(|d| describe(state, caller, d, &links))
        .collect();
    let shown_end = start_at.saturating_add(dashboards.len());
    let page_url = |at: usize| {
        let filter = filter.map_or(String::new(), |f| format!("&filter={f}"));
        format!("{api}/dashboard?maxResults={max_results}&startAt={at}{filter}")
    };
    let mut page = Map::new();
    page.insert("startAt".into(), json!(start_at));
    page.insert("maxResults".into(), json!(max_results));
    page.insert("total".into(), json!(total));
    if start_at > 0 {
        page.insert(
            "prev".into(),
            json!(page_url(start_at.saturating_sub(max_results))),
        );
    }
    if shown_end < total && max_results > 0 {
        page.insert("next".into(), json!(page_url(shown_end)));
    }
    page.insert("dashboards".into(), Value::Array(dashboards));
    Ok(json(StatusCode::OK, &Value::Object(page)))
}
