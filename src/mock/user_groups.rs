//! `GET /user/groups`: the groups a user belongs to.
//!
//! Every account is in the product's users group; holders of *Administer Jira* also in the
//! administrators group; and each principal in the groups the world names it in.

use axum::http::{Method, StatusCode};
use axum::response::Response;
use axum::Router;
use serde_json::{json, Value};

use super::caller::{Call, Methods};
use super::error::JiraError;
use super::links::ApiVersion;
use super::query::{self, QueryPairs};
use super::response::json;
use super::state::MockState;
use super::versioned_routes::VersionedRoutes;

/// `/user/groups`: GET only.
const USER_GROUPS: Methods = Methods::new("GET", &[Method::GET]);
/// The group of every user of the product.
const USERS_GROUP: &str = "jira-software-users";
/// The group of the site's administrators.
const ADMINS_GROUP: &str = "jira-administrators";

/// The routes of this resource under one API version.
pub(crate) fn routes(version: ApiVersion) -> Router<MockState> {
    Router::new().versioned(version, "/user/groups", groups)
}

/// `/rest/api/N/user/groups?accountId=…`.
async fn groups(call: Call, query: QueryPairs) -> Result<Response, JiraError> {
    USER_GROUPS.caller(&call)?;
    let pairs = query::pairs(query)?;
    let Some(account_id) = pairs
        .iter()
        .find(|(n, v)| n == "accountId" && !v.is_empty())
        .map(|(_, v)| v.as_str())
    else {
        // The documentation lists no 400: no account id names no user.
        return Err(JiraError::not_found(
            "The user with account ID '' does not exist.",
        ));
    };
    let state = &call.state;
    let Some(user) = state.user(account_id) else {
        return Err(JiraError::not_found(format!(
            "The user with account ID '{account_id}' does not exist."
        )));
    };
    let mut names: Vec<&str> = vec![USERS_GROUP];
    if user.admin {
        names.push(ADMINS_GROUP);
    }
    names.extend(
        state
            .world()
            .groups
            .iter()
            .filter(|g| g.members.contains(&user.name))
            .map(|g| g.name.as_str()),
    );
    names.sort_unstable();
    names.dedup();
    let links = call.links();
    let body: Vec<Value> = names
        .iter()
        .map(|name| json!({ "name": name, "self": links.group(name) }))
        .collect();
    Ok(json(StatusCode::OK, &Value::Array(body)))
}
