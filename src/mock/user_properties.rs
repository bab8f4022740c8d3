//! User properties: list keys, get, set and delete a JSON value stored per (accountId, key).

use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::extract::Path;
use axum::http::{Method, StatusCode};
use axum::response::Response;
use axum::Router;
use serde_json::json;

use super::auth::{authenticate, Authentication};
use super::caller::{Call, PathSegment};
use super::entity_properties::{
    self, check_key, keyless, read_value, set_status, Operation, ALLOW_PROPERTY, LISTING,
    VALUE_MAX_BYTES,
};
use super::error::JiraError;
use super::faults::Fault;
use super::links::ApiVersion;
use super::query::{self, QueryPairs};
use super::response::{empty, json};
use super::state::MockState;
use super::versioned_routes::VersionedRoutes;

/// The longest `accountId`, in characters.
const ACCOUNT_ID_MAX_CHARS: usize = 128;

/// Who the checks act for: a principal, or (with a fault) an anonymous reader treated as admin.
#[derive(Debug, Clone, Copy)]
struct Caller<'s> {
    account_id: Option<&'s str>,
    admin: bool,
}

/// The routes of this resource under one API version.
pub(crate) fn routes(version: ApiVersion) -> Router<MockState> {
    Router::new()
        .versioned(version, "/user/properties", keys)
        .versioned(version, "/user/properties/", no_key)
        .versioned(version, "/user/properties/{key}", property)
}

/// `/rest/api/N/user/properties`: the key listing; GET only.
async fn keys(call: Call, query: QueryPairs) -> Result<Response, JiraError> {
    LISTING.check(&call.method)?;
    list_keys(&call, query)
}

/// `/rest/api/N/user/properties/`: no key given. GET lists the keys, as documented; PUT and
/// DELETE need a key.
async fn no_key(call: Call, query: QueryPairs) -> Result<Response, JiraError> {
    keyless(&call.method)?;
    if call.state.has(Fault::NokeyGet404) {
        return Err(JiraError::not_found(
            "The requested resource does not exist.",
        ));
    }
    list_keys(&call, query)
}

/// `/rest/api/N/user/properties/{propertyKey}`: get, set or delete one property.
async fn property(
    call: Call,
    key: PathSegment,
    query: QueryPairs,
    body: Result<Bytes, BytesRejection>,
) -> Result<Response, JiraError> {
    let state = &call.state;
    let operation = Operation::on_property(&call.method)
        .or_else(|| {
            (call.method == Method::POST && state.has(Fault::PostAccepted))
                .then_some(Operation::Set)
        })
        .ok_or_else(|| JiraError::method_not_allowed(ALLOW_PROPERTY))?;
    let (account_id, permitted) = target(&call, query, operation)?;
    // The router only matches a non-empty segment; decoding fails only on bytes that are not
    // UTF-8 once percent-decoded.
    let Ok(Path(key)) = key else {
        return Err(JiraError::bad_request(
            "The property key is not valid UTF-8 text.",
        ));
    };
    match operation {
        Operation::Get => state.user_properties().answer_get(&account_id, &key),
        Operation::Set if !permitted => {
            // The seeded fault: the refusal is answered, but the value was stored first.
            set(state, &account_id, &key, body)?;
            Err(forbidden())
        }
        Operation::Set => set(state, &account_id, &key, body),
        Operation::Delete => delete(state, &account_id, &key),
        // Not produced by `on_property`, but its meaning is plain.
        Operation::ListKeys => list(&call, &account_id),
    }
}

fn list_keys(call: &Call, query: QueryPairs) -> Result<Response, JiraError> {
    let (account_id, _) = target(call, query, Operation::ListKeys)?;
    list(call, &account_id)
}

/// The checks every operation makes, in Jira's order: authentication, `accountId` present and
/// not too long, permission, and the user's existence. Returns the target account id, and
/// whether the caller may act on it (always, but under the `refused-write-stored` fault).
fn target(
    call: &Call,
    query: QueryPairs,
    operation: Operation,
) -> Result<(String, bool), JiraError> {
    let state = &call.state;
    let caller = match authenticate(state, &call.headers) {
        Authentication::User(p) => Caller {
            account_id: Some(&p.account_id),
            admin: p.admin,
        },
        Authentication::Anonymous
            if operation.is_read() && state.has(Fault::AnonymousReadAllowed) =>
        {
            Caller {
                account_id: None,
                admin: true,
            }
        }
        Authentication::Anonymous | Authentication::Rejected => {
            return Err(JiraError::unauthorized())
        }
    };
    let pairs = query::pairs(query)?;
    // Only accountId names the user: the deprecated userKey and username are ignored.
    let given = pairs
        .into_iter()
        .find(|(name, _)| name == "accountId")
        .map(|(_, value)| value)
        .filter(|value| !value.is_empty());
    let account_id = match (given, caller.account_id) {
        (Some(id), _) => id,
        (None, Some(own)) if state.has(Fault::AccountIdIgnored) => own.to_string(),
        (None, _) if operation == Operation::ListKeys && state.has(Fault::MissingAccountId404) => {
            return Err(JiraError::not_found("The user does not exist."))
        }
        (None, _) => {
            return Err(JiraError::bad_request(
                "The accountId query parameter needs to be provided.",
            ))
        }
    };
    if account_id.chars().count() > ACCOUNT_ID_MAX_CHARS {
        return Err(JiraError::bad_request(format!(
            "The accountId can't be longer than {ACCOUNT_ID_MAX_CHARS} characters."
        )));
    }
    let own = caller.account_id == Some(account_id.as_str());
    let permitted = caller.admin || own || state.has(Fault::AdminCheckMissing);
    // Under the seeded fault a refused PUT goes on to store the value (and then answers 403).
    let stored_anyway = operation == Operation::Set && state.has(Fault::RefusedWriteStored);
    if !(permitted || stored_anyway) {
        return Err(forbidden());
    }
    if state.user(&account_id).is_none() {
        return Err(JiraError::not_found(format!(
            "The user with accountId '{account_id}' does not exist."
        )));
    }
    Ok((account_id, permitted))
}

fn forbidden() -> JiraError {
    JiraError::forbidden("You do not have permission to access the properties of this user.")
}

fn list(call: &Call, account_id: &str) -> Result<Response, JiraError> {
    let state = &call.state;
    let links = call.links();
    let keys = if state.has(Fault::StaleKeyListing) {
        // The store is empty at start, so "as of start" is always empty.
        Vec::new()
    } else if state.has(Fault::PropertyListingShared) {
        // The seeded fault: every user's keys in every user's listing.
        let mut all: Vec<_> = state
            .users()
            .iter()
            .flat_map(|u| state.user_properties().keys(&u.account_id))
            .collect();
        all.sort();
        all.dedup();
        all
    } else {
        state.user_properties().keys(account_id)
    };
    let keys: Vec<_> = keys
        .iter()
        .map(|key| {
            let own = links.property(key, account_id);
            // The seeded fault: the link loses the accountId that names whose property it is.
            let link = if state.has(Fault::KeySelfWithoutAccount) {
                own.split('?').next().unwrap_or_default().to_string()
            } else {
                own
            };
            json!({ "key": key, "self": link })
        })
        .collect();
    Ok(json(StatusCode::OK, &json!({ "keys": keys })))
}

fn set(
    state: &MockState,
    account_id: &str,
    key: &str,
    body: Result<Bytes, BytesRejection>,
) -> Result<Response, JiraError> {
    if !state.has(Fault::KeyLimitNotEnforced) {
        check_key(key)?;
    }
    if state.has(Fault::KeyCharsAsBytes) {
        entity_properties::check_key_bytes(key)?;
    }
    let value = read_value(body, |text| value_too_large(state, text))?;
    let created = state
        .user_properties()
        .set(account_id.to_string(), key, &value);
    Ok(empty(set_status(
        created && !state.has(Fault::PutAlways200),
    )))
}

/// The documented limit: the body's length in bytes. Three faults each bend it one way.
fn value_too_large(state: &MockState, text: &str) -> bool {
    if state.has(Fault::ValueLimitNotEnforced) {
        return false;
    }
    let size = if state.has(Fault::ValueBytesAsChars) {
        text.chars().count()
    } else {
        text.len()
    };
    let limit = if state.has(Fault::ValueLimitOffByOne) {
        VALUE_MAX_BYTES - 1
    } else {
        VALUE_MAX_BYTES
    };
    size > limit
}

fn delete(state: &MockState, account_id: &str, key: &str) -> Result<Response, JiraError> {
    let existed = if state.has(Fault::DeleteKeepsValue) {
        state.user_properties().get(account_id, key).is_some()
    } else {
        state.user_properties().delete(account_id, key)
    };
    if !existed && !state.has(Fault::DeleteMissing204) {
        return Err(entity_properties::not_found(key));
    }
    Ok(empty(if state.has(Fault::Delete200) {
        StatusCode::OK
    } else {
        StatusCode::NO_CONTENT
    }))
}
