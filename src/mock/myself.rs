//! `GET /rest/api/N/myself`: the calling user.

use axum::http::{Method, StatusCode};
use axum::response::Response;
use axum::Router;
use serde_json::{json, Value};

use crate::fixtures::{Credentials, Principal};

use super::caller::{Call, Methods};
use super::error::JiraError;
use super::faults::Fault;
use super::links::{ApiVersion, Links};
use super::query::{self, QueryPairs};
use super::response::json;
use super::state::MockState;
use super::user_json::avatar_urls;
use super::versioned_routes::VersionedRoutes;

/// Every user's group: the product's users.
const USERS_GROUP: &str = "jira-software-users";
/// The administrators' extra group.
const ADMINS_GROUP: &str = "jira-administrators";

/// `/myself`: GET only.
const MYSELF: Methods = Methods::new("GET", &[Method::GET]);

/// The routes of this resource under one API version.
pub(crate) fn routes(version: ApiVersion) -> Router<MockState> {
    Router::new().versioned(version, "/myself", current_user)
}

/// `/rest/api/N/myself`: the calling user.
async fn current_user(call: Call, query: QueryPairs) -> Result<Response, JiraError> {
    let principal = MYSELF.caller(&call)?;
    // An unreadable query string only loses the expansion; the user is still known.
    let (groups, roles) = query::pairs(query).map_or((false, false), |pairs| {
        let asked = query::list_values(&pairs, "expand");
        (
            asked.contains(&"groups"),
            asked.contains(&"applicationRoles"),
        )
    });
    let expand = Expand {
        // The seeded fault: the groups are never expanded.
        groups: groups && !call.state.has(Fault::ExpandIgnored),
        roles,
    };
    Ok(json(
        StatusCode::OK,
        &user(&call.state, principal, &call.links(), expand),
    ))
}

/// The collections of the user the request asked to expand.
struct Expand {
    groups: bool,
    roles: bool,
}

fn user(state: &MockState, principal: &Principal, links: &Links, expand: Expand) -> Value {
    let expand_groups = expand.groups;
    let id = principal.account_id.as_str();
    let groups: Vec<&str> = if principal.admin {
        vec![ADMINS_GROUP, USERS_GROUP]
    } else {
        vec![USERS_GROUP]
    };
    let group_items: Vec<Value> = if expand_groups {
        groups
            .iter()
            .map(|name| json!({ "name": name, "self": links.group(name) }))
            .collect()
    } else {
        Vec::new()
    };
    let active = if state.has(Fault::MyselfActiveAsString) {
        json!("true")
    } else {
        json!(true)
    };
    let mut body = serde_json::Map::new();
    body.insert("self".into(), json!(links.user(id)));
    body.insert("accountId".into(), json!(id));
    body.insert("accountType".into(), json!("atlassian"));
    // Only basic principals have a known address; a bearer token says nothing about one.
    if let Credentials::Basic { email, .. } = &principal.credentials {
        body.insert("emailAddress".into(), json!(email));
    }
    body.insert("avatarUrls".into(), avatar_urls(links, id));
    body.insert("displayName".into(), json!(principal.display_name));
    body.insert("active".into(), active);
    body.insert("timeZone".into(), json!("UTC"));
    body.insert("locale".into(), json!("en_US"));
    body.insert(
        "groups".into(),
        json!({ "size": groups.len(), "items": group_items }),
    );
    // Every principal of the world uses Jira itself: one application role.
    let roles: Vec<Value> = if expand.roles {
        vec![json!({ "key": "jira-software", "name": "Jira Software" })]
    } else {
        Vec::new()
    };
    body.insert(
        "applicationRoles".into(),
        json!({ "size": 1, "items": roles }),
    );
    body.insert("expand".into(), json!("groups,applicationRoles"));
    Value::Object(body)
}
