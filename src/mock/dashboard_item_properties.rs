//! Dashboard item properties: keys, get, set and delete, per dashboard item.
//!
//! Reads need the dashboard to be visible to the caller; writes need the caller to own it
//! (administrators own the system dashboard). The value and key limits are those of every
//! entity property, as the user properties apply them.

use axum::body::Bytes;
use axum::extract::rejection::{BytesRejection, PathRejection};
use axum::extract::Path;
use axum::http::StatusCode;
use axum::response::Response;
use axum::Router;
use serde_json::json;

use crate::fixtures::Principal;

use super::caller::{caller, Call};
use super::dashboards::{owns, visible};
use super::entity_properties::{
    self, check_key, keyless, read_value, set_status, too_large, Operation, ALLOW_PROPERTY, LISTING,
};
use super::error::JiraError;
use super::faults::Fault;
use super::links::{encode, ApiVersion};
use super::response::{empty, json};
use super::router::VersionedRoutes;
use super::state::MockState;

/// The path of an item's properties, after the version's prefix.
const PROPERTIES: &str = "/dashboard/{dashboardId}/items/{itemId}/properties";

/// The dashboard and item ids of a path.
type ItemIds = Result<Path<(String, String)>, PathRejection>;

/// The routes of this resource under one API version.
pub(crate) fn routes(version: ApiVersion) -> Router<MockState> {
    Router::new()
        .versioned(version, PROPERTIES, keys)
        .versioned(version, &format!("{PROPERTIES}/"), no_key)
        .versioned(version, &format!("{PROPERTIES}/{{propertyKey}}"), property)
}

/// `…/items/{itemId}/properties`: the key listing; GET only.
async fn keys(call: Call, ids: ItemIds) -> Result<Response, JiraError> {
    let caller = LISTING.caller(&call)?;
    list_keys(&call, caller, ids)
}

/// `…/items/{itemId}/properties/`: no key given. GET lists the keys, as the user properties do;
/// PUT and DELETE need a key.
async fn no_key(call: Call, ids: ItemIds) -> Result<Response, JiraError> {
    keyless(&call.method)?;
    let caller = caller(&call)?;
    list_keys(&call, caller, ids)
}

/// `…/items/{itemId}/properties/{propertyKey}`: get, set or delete one property.
async fn property(
    call: Call,
    ids: Result<Path<(String, String, String)>, PathRejection>,
    body: Result<Bytes, BytesRejection>,
) -> Result<Response, JiraError> {
    let operation = Operation::on_property(&call.method)
        .ok_or_else(|| JiraError::method_not_allowed(ALLOW_PROPERTY))?;
    let caller = caller(&call)?;
    let state = &call.state;
    let (dashboard, item, key) = target(state, caller, operation, ids.map(|Path(ids)| ids))?;
    let store = state.item_properties();
    let entity = (dashboard, item);
    match operation {
        Operation::Get => {
            let value = store
                .get(&entity, &key)
                .ok_or_else(|| entity_properties::not_found(&key))?;
            Ok(entity_properties::answer(&key, &value))
        }
        Operation::Set => set(state, entity, &key, body),
        Operation::Delete => {
            if !store.delete(&entity, &key) {
                return Err(entity_properties::not_found(&key));
            }
            Ok(empty(StatusCode::NO_CONTENT))
        }
        // Not produced by `on_property`, but its meaning is plain.
        Operation::ListKeys => list_keys(&call, caller, Ok(Path(entity))),
    }
}

fn list_keys(call: &Call, caller: &Principal, ids: ItemIds) -> Result<Response, JiraError> {
    let state = &call.state;
    let ids = ids.map(|Path((dashboard, item))| (dashboard, item, String::new()));
    let (dashboard, item, _) = target(state, caller, Operation::ListKeys, ids)?;
    let base = format!(
        "{}/dashboard/{}/items/{}/properties",
        call.links().api(),
        encode(&dashboard),
        encode(&item)
    );
    let keys: Vec<_> = state
        .item_properties()
        .keys(&(dashboard, item))
        .iter()
        .map(|key| json!({ "self": format!("{base}/{}", encode(key)), "key": key }))
        .collect();
    Ok(json(StatusCode::OK, &json!({ "keys": keys })))
}

/// The checks every operation makes after authentication, in order: the dashboard visible to
/// the caller and the item on it (404), and for writes ownership (403). Returns the dashboard
/// id, the item id and the key.
fn target(
    state: &MockState,
    caller: &Principal,
    operation: Operation,
    ids: Result<(String, String, String), PathRejection>,
) -> Result<(String, String, String), JiraError> {
    // Only a segment that is not UTF-8 once percent-decoded fails here. No dashboard, item or
    // stored key has such a name; a key that cannot be stored is a bad request for PUT.
    let Ok((dashboard_id, item_id, key)) = ids else {
        return Err(if operation == Operation::Set {
            JiraError::bad_request("The property key is not valid UTF-8 text.")
        } else {
            JiraError::not_found("The dashboard item or property does not exist.")
        });
    };
    let dashboard = visible(state, caller, &dashboard_id)?;
    if !dashboard.items.contains(&item_id) {
        return Err(JiraError::not_found(format!(
            "The dashboard item with id '{item_id}' does not exist."
        )));
    }
    if !operation.is_read()
        && !owns(caller, dashboard)
        && !state.has(Fault::ItemPropertySharedUserWrites)
    {
        return Err(JiraError::forbidden(
            "You can't change the properties of this dashboard item: the user is not the owner of the dashboard.",
        ));
    }
    Ok((dashboard_id, item_id, key))
}

fn set(
    state: &MockState,
    entity: (String, String),
    key: &str,
    body: Result<Bytes, BytesRejection>,
) -> Result<Response, JiraError> {
    check_key(key)?;
    // The limit is on the body as received, in bytes.
    let value = read_value(body, |text| {
        too_large(text) && !state.has(Fault::ItemValueLimitNotEnforced)
    })?;
    let created = state.item_properties().set(entity, key, &value);
    Ok(empty(set_status(
        created && !state.has(Fault::ItemPutAlways200),
    )))
}
