//! What every entity property resource shares, whatever the entity (a user, a dashboard item, an
//! issue, a project, a worklog): the operations and their methods, the key and value limits, how
//! a value is read from a PUT body and answered to a GET, the key listing's body, and the store.
//!
//! The entities whose properties live under a path of their own (`…/properties`, `…/properties/`
//! and `…/properties/{propertyKey}`) share the handlers too: [`routes`] serves them for a
//! [`PropertyOwner`], which says only how the path names its entity and who may read or write
//! its properties.

use std::borrow::Borrow;
use std::collections::BTreeMap;
use std::sync::{Arc, PoisonError, RwLock, RwLockReadGuard, RwLockWriteGuard};

use axum::body::Bytes;
use axum::extract::rejection::{BytesRejection, PathRejection};
use axum::extract::Path;
use axum::http::{Method, StatusCode};
use axum::response::Response;
use axum::Router;

use serde::de::DeserializeOwned;
use serde_json::json;

use crate::fixtures::Principal;

use super::caller::{caller, Call, Methods};
use super::error::JiraError;
use super::links::{encode, ApiVersion};
use super::response::{empty, json, json_text};
use super::router::VersionedRoutes;
use super::state::MockState;

/// The largest property value, in bytes of the JSON text as received.
pub(crate) const VALUE_MAX_BYTES: usize = 32768;
/// The longest property key, in Unicode characters.
pub(crate) const KEY_MAX_CHARS: usize = 255;

/// What `Allow` says for one property (`…/properties/{propertyKey}`): all three are served.
pub(crate) const ALLOW_PROPERTY: &str = "DELETE, GET, PUT";
/// The key listing (`…/properties`, with or without the trailing slash): GET only.
pub(crate) const LISTING: Methods = Methods::new("GET", &[Method::GET]);

/// The four operations; each resource makes its own checks before them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Operation {
    ListKeys,
    Get,
    Set,
    Delete,
}

impl Operation {
    /// The operation a method asks of one property, if [`ALLOW_PROPERTY`] names the method.
    pub(crate) fn on_property(method: &Method) -> Option<Operation> {
        match *method {
            Method::GET | Method::HEAD => Some(Operation::Get),
            Method::PUT => Some(Operation::Set),
            Method::DELETE => Some(Operation::Delete),
            _ => None,
        }
    }

    /// Whether the operation only reads.
    pub(crate) fn is_read(self) -> bool {
        matches!(self, Operation::ListKeys | Operation::Get)
    }
}

/// A request to the listing path with a trailing slash and no key: GET lists the keys, as
/// documented; PUT and DELETE name no property, and other methods are not documented at all.
pub(crate) fn keyless(method: &Method) -> Result<(), JiraError> {
    if matches!(*method, Method::PUT | Method::DELETE) {
        return Err(JiraError::method_not_allowed_because(
            "GET",
            "The property key is not specified.",
        ));
    }
    LISTING.check(method)
}

/// The 400 for a key longer than the documented limit.
pub(crate) fn check_key(key: &str) -> Result<(), JiraError> {
    if key.chars().count() > KEY_MAX_CHARS {
        return Err(JiraError::bad_request(format!(
            "The property key can't be longer than {KEY_MAX_CHARS} characters."
        )));
    }
    Ok(())
}

/// The KeyCharsAsBytes fault's check: the key's UTF-8 bytes held to the character limit.
pub(crate) fn check_key_bytes(key: &str) -> Result<(), JiraError> {
    if key.len() > KEY_MAX_CHARS {
        return Err(JiraError::bad_request(format!(
            "The property key can't be longer than {KEY_MAX_CHARS} bytes."
        )));
    }
    Ok(())
}

/// Whether a value's JSON text exceeds the documented limit: its length in bytes as received.
pub(crate) fn too_large(text: &str) -> bool {
    text.len() > VALUE_MAX_BYTES
}

/// The value a PUT body sets, checked in Jira's order: the body readable, UTF-8, not blank, not
/// `too_large` (the resource's judgement, which faults may bend), and JSON. Returns the text to
/// store: the JSON as received, trimmed, so numbers and escapes come back as they were sent.
pub(crate) fn read_value(
    body: Result<Bytes, BytesRejection>,
    too_large: impl FnOnce(&str) -> bool,
) -> Result<String, JiraError> {
    let body = body?;
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
    if too_large(text) {
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
    Ok(text.trim().to_string())
}

/// What a successful PUT answers: 201 when it created the property, 200 when it replaced one.
pub(crate) fn set_status(created: bool) -> StatusCode {
    if created {
        StatusCode::CREATED
    } else {
        StatusCode::OK
    }
}

/// A stored property as GET answers it: `{"key": …, "value": …}`. The value is kept as the JSON
/// text received, so it is spliced in rather than re-encoded.
pub(crate) fn answer(key: &str, value: &str) -> Response {
    let key = serde_json::Value::from(key);
    json_text(
        StatusCode::OK,
        format!("{{\"key\":{key},\"value\":{value}}}"),
    )
}

/// The 404 for a key the entity has no property under.
pub(crate) fn not_found(key: &str) -> JiraError {
    JiraError::not_found(format!("The property with key '{key}' does not exist."))
}

/// The key listing's 200: `{"keys": [{"key": …, "self": …}]}`, each `self` being the property's
/// URL under `base` (the entity's `…/properties` URL), keys in the order given.
pub(crate) fn key_listing(base: &str, keys: &[String]) -> Response {
    let keys: Vec<_> = keys
        .iter()
        .map(|key| json!({ "key": key, "self": format!("{base}/{}", encode(key)) }))
        .collect();
    json(StatusCode::OK, &json!({ "keys": keys }))
}

/// Each entity with its properties (key, the value's JSON text), in order.
pub(crate) type Entries<E> = Vec<(E, Vec<(String, Arc<str>)>)>;

/// entity → key → the value's JSON text, as received (trimmed).
type Properties<E> = BTreeMap<E, BTreeMap<String, Arc<str>>>;

/// The properties of one kind of entity, `E` naming an entity (an account id; a dashboard and
/// item id pair).
///
/// One lock over the whole store: every operation is one critical section, so concurrent
/// writers never lose an update and of two concurrent creators of a key exactly one sees it
/// absent.
#[derive(Debug)]
pub(crate) struct Store<E> {
    entities: RwLock<Properties<E>>,
}

impl<E> Default for Store<E> {
    /// An empty store: the fixtures describe no properties.
    fn default() -> Store<E> {
        Store {
            entities: RwLock::new(BTreeMap::new()),
        }
    }
}

impl<E: Ord> Store<E> {
    /// An entity's property keys, sorted.
    pub(crate) fn keys<Q>(&self, entity: &Q) -> Vec<String>
    where
        E: Borrow<Q>,
        Q: Ord + ?Sized,
    {
        self.read()
            .get(entity)
            .map(|props| props.keys().cloned().collect())
            .unwrap_or_default()
    }

    /// A property's value (JSON text).
    pub(crate) fn get<Q>(&self, entity: &Q, key: &str) -> Option<Arc<str>>
    where
        E: Borrow<Q>,
        Q: Ord + ?Sized,
    {
        self.read().get(entity)?.get(key).cloned()
    }

    /// Every entity with properties and its properties (key, JSON text), in order: what
    /// `MockState::dump` shows.
    pub(crate) fn entries(&self) -> Entries<E>
    where
        E: Clone,
    {
        self.read()
            .iter()
            .map(|(entity, props)| {
                let props = props.iter().map(|(k, v)| (k.clone(), v.clone())).collect();
                (entity.clone(), props)
            })
            .collect()
    }

    /// Sets a property; true if it was created, false if it replaced a value.
    pub(crate) fn set(&self, entity: E, key: &str, value: &str) -> bool {
        self.write()
            .entry(entity)
            .or_default()
            .insert(key.to_string(), Arc::from(value))
            .is_none()
    }

    /// Deletes a property; true if it existed. An entity left without properties is dropped.
    pub(crate) fn delete<Q>(&self, entity: &Q, key: &str) -> bool
    where
        E: Borrow<Q>,
        Q: Ord + ?Sized,
    {
        let mut entities = self.write();
        let Some(props) = entities.get_mut(entity) else {
            return false;
        };
        let existed = props.remove(key).is_some();
        if props.is_empty() {
            entities.remove(entity);
        }
        existed
    }

    /// The GET of one property, once the resource's own checks passed: `{"key", "value"}`, or
    /// the 404 for a key the entity has no property under.
    pub(crate) fn answer_get<Q>(&self, entity: &Q, key: &str) -> Result<Response, JiraError>
    where
        E: Borrow<Q>,
        Q: Ord + ?Sized,
    {
        let value = self.get(entity, key).ok_or_else(|| not_found(key))?;
        Ok(answer(key, &value))
    }

    /// The DELETE of one property, once the resource's own checks passed: 204, or the 404 for a
    /// key the entity has no property under.
    pub(crate) fn answer_delete<Q>(&self, entity: &Q, key: &str) -> Result<Response, JiraError>
    where
        E: Borrow<Q>,
        Q: Ord + ?Sized,
    {
        if !self.delete(entity, key) {
            return Err(not_found(key));
        }
        Ok(empty(StatusCode::NO_CONTENT))
    }

    // A panic while the lock is held cannot leave a BTreeMap half-updated in a way that matters
    // here, so a poisoned lock is still used rather than failing every later request.
    fn read(&self) -> RwLockReadGuard<'_, Properties<E>> {
        self.entities.read().unwrap_or_else(PoisonError::into_inner)
    }

    fn write(&self) -> RwLockWriteGuard<'_, Properties<E>> {
        self.entities
            .write()
            .unwrap_or_else(PoisonError::into_inner)
    }
}

/// One kind of entity whose properties live under a path of its own: how the path names the
/// entity, and the rules for reaching its properties. Everything else (the methods, the order
/// of the checks, the limits, the answers) is [`routes`]'.
pub(crate) trait PropertyOwner: Send + Sync + 'static {
    /// The path parameters that name the entity.
    type Ids: Segments;
    /// The name the store keeps the entity's properties under.
    type Id: Ord + Send;

    /// The path of the entity's properties, after the version's prefix.
    const PROPERTIES: &'static str;
    /// The 404's message for a path whose entity cannot be read (a segment that is not UTF-8
    /// once percent-decoded), as the key listing answers it.
    const UNREADABLE: &'static str;
    /// The same for a path that names a property too (GET or DELETE; PUT answers such a path
    /// 400, as a key it could not store).
    const UNREADABLE_PROPERTY: &'static str = Self::UNREADABLE;

    /// Where the entity's properties are kept.
    fn store(state: &MockState) -> &Store<Self::Id>;

    /// The entity the path names, if the caller may do `operation` on its properties; otherwise
    /// the first failing check's error, in the resource's order.
    fn target(
        state: &MockState,
        caller: &Principal,
        operation: Operation,
        ids: Self::Ids,
    ) -> Result<Target<Self::Id>, JiraError>;

    /// Whether a PUT body is over the value limit (which faults may bend).
    fn too_large(_state: &MockState, text: &str) -> bool {
        too_large(text)
    }

    /// Whether a PUT that created its property says so with 201 (a fault may answer 200, as
    /// for a replaced one).
    fn answers_created(_state: &MockState) -> bool {
        true
    }
}

/// An entity whose properties the caller may act on.
pub(crate) struct Target<I> {
    /// Its name in the store.
    pub(crate) id: I,
    /// The path of its properties after the API root, the base of each `self` in the key
    /// listing.
    pub(crate) properties: String,
}

/// The path parameters that name an entity: one segment or two. A property's path adds its key.
pub(crate) trait Segments: DeserializeOwned + Send + 'static {
    /// The same parameters followed by the property key.
    type WithKey: DeserializeOwned + Send + 'static;

    /// The entity's parameters and the property key.
    fn split(with_key: Self::WithKey) -> (Self, String);
}

impl Segments for String {
    type WithKey = (String, String);

    fn split((id, key): (String, String)) -> (String, String) {
        (id, key)
    }
}

impl Segments for (String, String) {
    type WithKey = (String, String, String);

    fn split((first, second, key): (String, String, String)) -> ((String, String), String) {
        ((first, second), key)
    }
}

/// The path parameters of the entity, or why they could not be read.
type Ids<R> = Result<Path<<R as PropertyOwner>::Ids>, PathRejection>;
/// The path parameters of the entity and the property key, or why they could not be read.
type PropertyIds<R> = Result<Path<<<R as PropertyOwner>::Ids as Segments>::WithKey>, PathRejection>;

/// The routes of `R`'s properties under one API version.
pub(crate) fn routes<R: PropertyOwner>(version: ApiVersion) -> Router<MockState> {
    Router::new()
        .versioned(version, R::PROPERTIES, keys::<R>)
        .versioned(version, &format!("{}/", R::PROPERTIES), no_key::<R>)
        .versioned(
            version,
            &format!("{}/{{propertyKey}}", R::PROPERTIES),
            property::<R>,
        )
}

/// `…/properties`: the key listing; GET only.
async fn keys<R: PropertyOwner>(call: Call, ids: Ids<R>) -> Result<Response, JiraError> {
    let caller = LISTING.caller(&call)?;
    list::<R>(&call, caller, ids)
}

/// `…/properties/`: no key given. GET lists the keys, as the user properties do; PUT and DELETE
/// need a key.
async fn no_key<R: PropertyOwner>(call: Call, ids: Ids<R>) -> Result<Response, JiraError> {
    keyless(&call.method)?;
    let caller = caller(&call)?;
    list::<R>(&call, caller, ids)
}

/// `…/properties/{propertyKey}`: get, set or delete one property.
async fn property<R: PropertyOwner>(
    call: Call,
    ids: PropertyIds<R>,
    body: Result<Bytes, BytesRejection>,
) -> Result<Response, JiraError> {
    let operation = Operation::on_property(&call.method)
        .ok_or_else(|| JiraError::method_not_allowed(ALLOW_PROPERTY))?;
    let caller = caller(&call)?;
    let state = &call.state;
    // Only a segment that is not UTF-8 once percent-decoded fails: no entity or stored key has
    // such a name, and a key that cannot be stored is a bad request for PUT.
    let Ok(Path(ids)) = ids else {
        return Err(if operation == Operation::Set {
            JiraError::bad_request("The property key is not valid UTF-8 text.")
        } else {
            JiraError::not_found(R::UNREADABLE_PROPERTY)
        });
    };
    let (ids, key) = R::Ids::split(ids);
    let target = R::target(state, caller, operation, ids)?;
    let store = R::store(state);
    match operation {
        Operation::Get => store.answer_get(&target.id, &key),
        Operation::Set => {
            check_key(&key)?;
            if state.has(super::faults::Fault::KeyCharsAsBytes) {
                check_key_bytes(&key)?;
            }
            let value = read_value(body, |text| R::too_large(state, text))?;
            let created = store.set(target.id, &key, &value);
            Ok(empty(set_status(created && R::answers_created(state))))
        }
        Operation::Delete if state.has(super::faults::Fault::DeleteMissing204) => {
            store.delete(&target.id, &key);
            Ok(empty(StatusCode::NO_CONTENT))
        }
        Operation::Delete => store.answer_delete(&target.id, &key),
        // Not produced by `on_property`, but its meaning is plain.
        Operation::ListKeys => Ok(listing::<R>(&call, target)),
    }
}

fn list<R: PropertyOwner>(
    call: &Call,
    caller: &Principal,
    ids: Ids<R>,
) -> Result<Response, JiraError> {
    let Ok(Path(ids)) = ids else {
        return Err(JiraError::not_found(R::UNREADABLE));
    };
    let target = R::target(&call.state, caller, Operation::ListKeys, ids)?;
    Ok(listing::<R>(call, target))
}

/// The key listing of an entity the caller may read.
fn listing<R: PropertyOwner>(call: &Call, target: Target<R::Id>) -> Response {
    let base = format!("{}{}", call.links().api(), target.properties);
    key_listing(&base, &R::store(&call.state).keys(&target.id))
}
