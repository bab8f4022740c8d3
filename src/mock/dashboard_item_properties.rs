//! Dashboard item properties: keys, get, set and delete, per dashboard item.
//!
//! Reads need the dashboard to be visible to the caller; writes need the caller to own it
//! (administrators own the system dashboard). The value and key limits are those of every
//! entity property, as the user properties apply them.

use std::collections::BTreeMap;
use std::sync::{Arc, PoisonError, RwLock, RwLockReadGuard, RwLockWriteGuard};

use axum::body::Bytes;
use axum::extract::rejection::{BytesRejection, PathRejection};
use axum::extract::{Path, State};
use axum::http::{HeaderMap, Method, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::any;
use axum::{Extension, Router};
use serde_json::json;

use crate::fixtures::World;

use super::auth::{authenticate, Authentication};
use super::dashboards::{api_root, encode_segment, owns, visible};
use super::error::JiraError;
use super::faults::Fault;
use super::links::{ApiVersion, Links};
use super::response::{empty, json, json_text};
use super::state::MockState;

/// The largest property value, in bytes of the JSON text as received.
const VALUE_MAX_BYTES: usize = 32768;
/// The longest property key, in Unicode characters.
const KEY_MAX_CHARS: usize = 255;

/// What `Allow` says for a property.
const ALLOW_PROPERTY: &str = "DELETE, GET, PUT";
/// What `Allow` says for the key listing (with or without the trailing slash).
const ALLOW_LISTING: &str = "GET";

/// (dashboard id, item id) → key → the value's JSON text, as received (trimmed).
type Items = BTreeMap<(String, String), BTreeMap<String, Arc<str>>>;

/// The item properties: (dashboard id, item id) → key → JSON text.
///
/// One lock over the whole store: every operation is one critical section, so concurrent
/// writers never lose an update and of two concurrent creators of a key exactly one sees it
/// absent.
#[derive(Debug)]
pub(crate) struct Store {
    items: RwLock<Items>,
}

impl Store {
    /// The store as the fixtures' world seeds it: the fixtures describe no item properties, so
    /// it starts empty.
    pub(crate) fn new(_world: &World) -> Store {
        Store {
            items: RwLock::new(BTreeMap::new()),
        }
    }

    /// An item's property keys, sorted.
    pub(crate) fn keys(&self, dashboard: &str, item: &str) -> Vec<String> {
        self.read()
            .get(&(dashboard.to_string(), item.to_string()))
            .map(|props| props.keys().cloned().collect())
            .unwrap_or_default()
    }

    /// A property's value (JSON text).
    pub(crate) fn get(&self, dashboard: &str, item: &str, key: &str) -> Option<Arc<str>> {
        self.read()
            .get(&(dashboard.to_string(), item.to_string()))?
            .get(key)
            .cloned()
    }

    /// Sets a property; true if it was created, false if it replaced a value.
    pub(crate) fn set(&self, dashboard: &str, item: &str, key: &str, value: &str) -> bool {
        self.write()
            .entry((dashboard.to_string(), item.to_string()))
            .or_default()
            .insert(key.to_string(), Arc::from(value))
            .is_none()
    }

    /// Deletes a property; true if it existed.
    pub(crate) fn delete(&self, dashboard: &str, item: &str, key: &str) -> bool {
        let mut items = self.write();
        let slot = (dashboard.to_string(), item.to_string());
        let Some(props) = items.get_mut(&slot) else {
            return false;
        };
        let existed = props.remove(key).is_some();
        if props.is_empty() {
            items.remove(&slot);
        }
        existed
    }

    // A panic while the lock is held cannot leave a BTreeMap half-updated in a way that matters
    // here, so a poisoned lock is still used rather than failing every later request.
    fn read(&self) -> RwLockReadGuard<'_, Items> {
        self.items.read().unwrap_or_else(PoisonError::into_inner)
    }

    fn write(&self) -> RwLockWriteGuard<'_, Items> {
        self.items.write().unwrap_or_else(PoisonError::into_inner)
    }
}

/// The routes of this resource under one API version.
pub(crate) fn routes(version: ApiVersion) -> Router<MockState> {
    let base = format!(
        "{}/dashboard/{{dashboardId}}/items/{{itemId}}/properties",
        version.prefix()
    );
    Router::new()
        .route(&base, any(keys).layer(Extension(version)))
        .route(&format!("{base}/"), any(no_key).layer(Extension(version)))
        .route(
            &format!("{base}/{{propertyKey}}"),
            any(property).layer(Extension(version)),
        )
}

/// The four operations; they share the checks that come before their own.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Operation {
    ListKeys,
    Get,
    Set,
    Delete,
}

impl Operation {
    fn is_write(self) -> bool {
        matches!(self, Operation::Set | Operation::Delete)
    }
}

/// `…/items/{itemId}/properties`: the key listing; GET only.
async fn keys(
    State(state): State<MockState>,
    Extension(version): Extension<ApiVersion>,
    method: Method,
    headers: HeaderMap,
    ids: Result<Path<(String, String)>, PathRejection>,
) -> Response {
    if method != Method::GET && method != Method::HEAD {
        return JiraError::method_not_allowed(
            ALLOW_LISTING,
            "The method is not allowed for this resource.",
        )
        .into_response();
    }
    list_keys(&state, version, &headers, ids).unwrap_or_else(IntoResponse::into_response)
}

/// `…/items/{itemId}/properties/`: no key given. GET lists the keys, as the user properties do;
/// PUT and DELETE need a key.
async fn no_key(
    State(state): State<MockState>,
    Extension(version): Extension<ApiVersion>,
    method: Method,
    headers: HeaderMap,
    ids: Result<Path<(String, String)>, PathRejection>,
) -> Response {
    let outcome = match method {
        Method::GET | Method::HEAD => list_keys(&state, version, &headers, ids),
        Method::PUT | Method::DELETE => Err(JiraError::method_not_allowed(
            ALLOW_LISTING,
            "The property key is not specified.",
        )),
        _ => Err(JiraError::method_not_allowed(
            ALLOW_LISTING,
            "The method is not allowed for this resource.",
        )),
    };
    outcome.unwrap_or_else(IntoResponse::into_response)
}

/// `…/items/{itemId}/properties/{propertyKey}`: get, set or delete one property.
async fn property(
    State(state): State<MockState>,
    Extension(version): Extension<ApiVersion>,
    method: Method,
    headers: HeaderMap,
    ids: Result<Path<(String, String, String)>, PathRejection>,
    body: Result<Bytes, BytesRejection>,
) -> Response {
    let operation = match method {
        Method::GET | Method::HEAD => Operation::Get,
        Method::PUT => Operation::Set,
        Method::DELETE => Operation::Delete,
        _ => {
            return JiraError::method_not_allowed(
                ALLOW_PROPERTY,
                "The method is not allowed for this resource.",
            )
            .into_response()
        }
    };
    run(&state, version, &headers, operation, ids, body).unwrap_or_else(IntoResponse::into_response)
}

fn list_keys(
    state: &MockState,
    version: ApiVersion,
    headers: &HeaderMap,
    ids: Result<Path<(String, String)>, PathRejection>,
) -> Result<Response, JiraError> {
    let ids = ids.map(|Path((dashboard, item))| (dashboard, item, String::new()));
    let (dashboard, item, _) = target(state, headers, Operation::ListKeys, ids)?;
    let links = Links::new(headers, version);
    let base = format!(
        "{}/dashboard/{}/items/{}/properties",
        api_root(&links),
        encode_segment(&dashboard),
        encode_segment(&item)
    );
    let keys: Vec<_> = state
        .item_properties()
        .keys(&dashboard, &item)
        .iter()
        .map(|key| json!({ "self": format!("{base}/{}", encode_segment(key)), "key": key }))
        .collect();
    Ok(json(StatusCode::OK, &json!({ "keys": keys })))
}

fn run(
    state: &MockState,
    version: ApiVersion,
    headers: &HeaderMap,
    operation: Operation,
    ids: Result<Path<(String, String, String)>, PathRejection>,
    body: Result<Bytes, BytesRejection>,
) -> Result<Response, JiraError> {
    let ids = ids.map(|Path(ids)| ids);
    let (dashboard, item, key) = target(state, headers, operation, ids)?;
    let store = state.item_properties();
    match operation {
        Operation::Get => {
            let value = store
                .get(&dashboard, &item, &key)
                .ok_or_else(|| not_found_key(&key))?;
            // The value is kept as the JSON text received, so it is spliced in, not re-encoded.
            let key = serde_json::Value::from(key);
            Ok(json_text(
                StatusCode::OK,
                format!("{{\"key\":{key},\"value\":{value}}}"),
            ))
        }
        Operation::Set => set(state, &dashboard, &item, &key, body),
        Operation::Delete => {
            if !store.delete(&dashboard, &item, &key) {
                return Err(not_found_key(&key));
            }
            Ok(empty(StatusCode::NO_CONTENT))
        }
        // Not produced by `property`, but its meaning is plain.
        Operation::ListKeys => list_keys(
            state,
            version,
            headers,
            Ok(Path((dashboard.clone(), item.clone()))),
        ),
    }
}

/// The checks every operation makes, in order: authentication (401), the dashboard visible to
/// the caller and the item on it (404), and for writes ownership (403). Returns the dashboard
/// id, the item id and the key.
fn target(
    state: &MockState,
    headers: &HeaderMap,
    operation: Operation,
    ids: Result<(String, String, String), PathRejection>,
) -> Result<(String, String, String), JiraError> {
    let Authentication::User(caller) = authenticate(state, headers) else {
        return Err(JiraError::unauthorized());
    };
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
    if operation.is_write()
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
    dashboard: &str,
    item: &str,
    key: &str,
    body: Result<Bytes, BytesRejection>,
) -> Result<Response, JiraError> {
    if key.chars().count() > KEY_MAX_CHARS {
        return Err(JiraError::bad_request(format!(
            "The property key can't be longer than {KEY_MAX_CHARS} characters."
        )));
    }
    let body = body.map_err(|rejection| {
        JiraError::new(rejection.status(), "The request body could not be read.")
    })?;
    let Ok(text) = std::str::from_utf8(&body) else {
        return Err(JiraError::bad_request(
            "The property value must be valid JSON.",
        ));
    };
    if text.trim().is_empty() {
        return Err(JiraError::bad_request(
            "The property value must not be empty.",
        ));
    }
    // The limit is on the body as received, in bytes.
    if text.len() > VALUE_MAX_BYTES && !state.has(Fault::ItemValueLimitNotEnforced) {
        return Err(JiraError::bad_request(format!(
            "The property value can't be larger than {VALUE_MAX_BYTES} bytes."
        )));
    }
    // Parsed only to validate: the text itself is what is stored.
    if serde_json::from_str::<serde::de::IgnoredAny>(text).is_err() {
        return Err(JiraError::bad_request(
            "The property value must be valid JSON.",
        ));
    }
    let created = state
        .item_properties()
        .set(dashboard, item, key, text.trim());
    let status = if created && !state.has(Fault::ItemPutAlways200) {
        StatusCode::CREATED
    } else {
        StatusCode::OK
    };
    Ok(empty(status))
}

fn not_found_key(key: &str) -> JiraError {
    JiraError::not_found(format!("The property with key '{key}' does not exist."))
}
