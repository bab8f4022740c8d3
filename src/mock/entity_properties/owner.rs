//! The handlers every entity whose properties live under a path of their own shares: [`routes`]
//! serves them for a [`PropertyOwner`], which says only how the path names its entity and who
//! may read or write its properties.

use axum::body::Bytes;
use axum::extract::rejection::{BytesRejection, PathRejection};
use axum::extract::Path;
use axum::http::StatusCode;
use axum::response::Response;
use axum::Router;
use serde::de::DeserializeOwned;

use crate::fixtures::Principal;
use crate::mock::caller::{caller, Call};
use crate::mock::error::JiraError;
use crate::mock::faults::Fault;
use crate::mock::links::ApiVersion;
use crate::mock::response::empty;
use crate::mock::state::MockState;
use crate::mock::versioned_routes::VersionedRoutes;

use super::operation::{keyless, Operation, ALLOW_PROPERTY, LISTING};
use super::store::Store;
use super::value::{
    check_key, check_key_bytes, key_listing, read_value, set_status, too_large, truncated,
};

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

    /// The GET of one property of an entity the caller may read (a fault may find another
    /// entity's).
    fn read(state: &MockState, id: &Self::Id, key: &str) -> Result<Response, JiraError> {
        Self::store(state).answer_get(id, key)
    }

    /// The keys the entity's listing shows: its own (a fault may show other entities' too).
    fn listed_keys(state: &MockState, id: &Self::Id) -> Vec<String> {
        Self::store(state).keys(id)
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
        Operation::Get => R::read(state, &target.id, &key),
        Operation::Set => set::<R>(state, target.id, &key, body),
        Operation::Delete if state.has(Fault::DeleteMissing204) => {
            store.delete(&target.id, &key);
            Ok(empty(StatusCode::NO_CONTENT))
        }
        Operation::Delete => store.answer_delete(&target.id, &key),
        // Not produced by `on_property`, but its meaning is plain.
        Operation::ListKeys => Ok(listing::<R>(&call, target)),
    }
}

/// PUT of one property: the key and the value checked, then stored. With the
/// OverLimitWriteStored fault a value refused as too large is stored cut short all the same.
fn set<R: PropertyOwner>(
    state: &MockState,
    id: R::Id,
    key: &str,
    body: Result<Bytes, BytesRejection>,
) -> Result<Response, JiraError> {
    check_key(key)?;
    if state.has(Fault::KeyCharsAsBytes) {
        check_key_bytes(key)?;
    }
    let store = R::store(state);
    let cut = match &body {
        Ok(bytes) if state.has(Fault::OverLimitWriteStored) => truncated(bytes),
        _ => None,
    };
    let value = match read_value(body, |text| R::too_large(state, text)) {
        Ok(value) => value,
        Err(refused) => {
            if let Some(cut) = cut {
                store.set(id, key, &cut);
            }
            return Err(refused);
        }
    };
    let created = store.set(id, key, &value);
    Ok(empty(set_status(created && R::answers_created(state))))
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
    key_listing(&base, &R::listed_keys(&call.state, &target.id))
}
