//! `GET /rest/api/N/myself`: the calling user.

use axum::extract::rejection::QueryRejection;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, Method, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Extension;
use serde_json::{json, Value};

use crate::fixtures::{Credentials, Principal};

use super::auth::{authenticate, Authentication};
use super::error::JiraError;
use super::faults::Fault;
use super::links::{ApiVersion, Links};
use super::response::json;
use super::state::MockState;

/// Every user's group: the product's users.
const USERS_GROUP: &str = "jira-software-users";
/// The administrators' extra group.
const ADMINS_GROUP: &str = "jira-administrators";

/// `/rest/api/N/myself`; GET only.
pub(crate) async fn current_user(
    State(state): State<MockState>,
    Extension(version): Extension<ApiVersion>,
    method: Method,
    headers: HeaderMap,
    query: Result<Query<Vec<(String, String)>>, QueryRejection>,
) -> Response {
    if method != Method::GET && method != Method::HEAD {
        return JiraError::method_not_allowed(
            "GET",
            "The method is not allowed for this resource.",
        )
        .into_response();
    }
    let Authentication::User(principal) = authenticate(&state, &headers) else {
        return JiraError::unauthorized().into_response();
    };
    // An unreadable query string only loses the expansion; the user is still known.
    let expand_groups = query.is_ok_and(|Query(pairs)| {
        pairs
            .iter()
            .filter(|(name, _)| name == "expand")
            .flat_map(|(_, value)| value.split(','))
            .any(|item| item.trim() == "groups")
    });
    let links = Links::new(&headers, version);
    json(
        StatusCode::OK,
        &user(&state, principal, &links, expand_groups),
    )
}

fn user(state: &MockState, principal: &Principal, links: &Links, expand_groups: bool) -> Value {
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
    body.insert(
        "avatarUrls".into(),
        json!({
            "48x48": links.avatar(id, "large"),
            "24x24": links.avatar(id, "small"),
            "16x16": links.avatar(id, "xsmall"),
            "32x32": links.avatar(id, "medium"),
        }),
    );
    body.insert("displayName".into(), json!(principal.display_name));
    body.insert("active".into(), active);
    body.insert("timeZone".into(), json!("UTC"));
    body.insert("locale".into(), json!("en_US"));
    body.insert(
        "groups".into(),
        json!({ "size": groups.len(), "items": group_items }),
    );
    body.insert("applicationRoles".into(), json!({ "size": 1, "items": [] }));
    body.insert("expand".into(), json!("groups,applicationRoles"));
    Value::Object(body)
}
