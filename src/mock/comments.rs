//! `GET /issue/{issueIdOrKey}/comment`: an issue's comments, a page at a time, as the caller
//! may see them (the issue visible to them, and each comment's group or role restriction
//! admitting them). The fixtures' comments are read-only: adding comments (POST) is documented
//! but not built. `init` reads this listing to describe a site's comments.

use axum::extract::Path;
use axum::http::{Method, StatusCode};
use axum::response::Response;
use axum::Router;
use serde_json::{json, Map, Value};

use crate::fixtures::{Comment, Issue, Visibility};

use super::adf::adf_document;
use super::caller::{Call, Methods, PathSegment};
use super::error::JiraError;
use super::faults::Fault;
use super::issue_visibility::{admitted, find_issue, issue_not_found, sees_issue};
use super::links::{ApiVersion, Links};
use super::query::{self, count, QueryPairs};
use super::response::json;
use super::state::MockState;
use super::user_json::user_details;
use super::versioned_routes::VersionedRoutes;

/// `/issue/{issueIdOrKey}/comment`: getComments is served; addComment is documented but not
/// built.
const LISTING: Methods = Methods::new("GET, POST", &[Method::GET]);
/// getComments' documented default page size.
const DEFAULT_MAX_RESULTS: usize = 5000;
/// When the fixtures' comments were written: the world records no time for them.
const WRITTEN: &str = "2026-01-05T12:00:00.000+0000";

/// The routes of this resource under one API version.
pub(crate) fn routes(version: ApiVersion) -> Router<MockState> {
    Router::new().versioned(version, "/issue/{issueIdOrKey}/comment", listing)
}

/// `/rest/api/N/issue/{issueIdOrKey}/comment`: the comments the caller may see, in id order.
async fn listing(call: Call, key: PathSegment, query: QueryPairs) -> Result<Response, JiraError> {
    let caller = LISTING.caller(&call)?;
    let state = &call.state;
    let pairs = query::pairs(query)?;
    let start_at = count(&pairs, "startAt", 0)?;
    let max_results = count(&pairs, "maxResults", DEFAULT_MAX_RESULTS)?;
    let Ok(Path(key)) = key else {
        return Err(issue_not_found());
    };
    let world = state.world();
    let issue = find_issue(state, &key)
        .filter(|i| sees_issue(world, caller, i, true))
        .ok_or_else(issue_not_found)?;
    let visible: Vec<&Comment> = world
        .comments
        .iter()
        .filter(|c| c.issue == issue.key)
        .filter(|c| admitted(world, caller, &issue.project, c.visibility.as_ref()))
        .collect();
    let links = call.links();
    let comments: Vec<Value> = visible
        .iter()
        .skip(start_at)
        .take(max_results)
        .map(|c| comment_json(state, &links, call.version, issue, c))
        .collect();
    Ok(json(
        StatusCode::OK,
        &json!({
            "startAt": start_at,
            "maxResults": max_results,
            "total": visible.len(),
            "comments": comments,
        }),
    ))
}

/// A comment in the `Comment` shape: the body plain text under `/rest/api/2`, a document under
/// `/rest/api/3`; the restriction only where there is one.
fn comment_json(
    state: &MockState,
    links: &Links,
    version: ApiVersion,
    issue: &Issue,
    comment: &Comment,
) -> Value {
    let author = user_details(state, links, &comment.author);
    let body = match version {
        ApiVersion::V2 if !state.has(Fault::V2RichTextAsAdf) => json!(comment.body),
        ApiVersion::V2 | ApiVersion::V3 => adf_document(&comment.body),
    };
    let mut out = Map::new();
    out.insert(
        "self".into(),
        json!(format!(
            "{}/issue/{}/comment/{}",
            links.api(),
            issue.id,
            comment.id
        )),
    );
    out.insert("id".into(), json!(comment.id));
    out.insert("author".into(), author.clone());
    out.insert("body".into(), body);
    out.insert("updateAuthor".into(), author);
    out.insert("created".into(), json!(WRITTEN));
    out.insert("updated".into(), json!(WRITTEN));
    match &comment.visibility {
        Some(Visibility::Group(g)) => {
            out.insert(
                "visibility".into(),
                json!({ "type": "group", "value": g, "identifier": g }),
            );
        }
        Some(Visibility::Role(r)) => {
            out.insert("visibility".into(), json!({ "type": "role", "value": r }));
        }
        None => {}
    }
    out.insert("jsdPublic".into(), json!(true));
    Value::Object(out)
}
