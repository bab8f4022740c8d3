//! User properties: list keys, get, set and delete a JSON value stored per (accountId, key).

use axum::body::Bytes;
use axum::extract::rejection::{BytesRejection, PathRejection, QueryRejection};
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, Method, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Extension;
use serde_json::json;

use super::auth::{authenticate, Authentication};
use super::error::JiraError;
use super::faults::Fault;
use super::links::{ApiVersion, Links};
use super::response::{empty, json, json_text};
use super::state::MockState;

/// The largest property value, in bytes of the JSON text as received.
const PROPERTY_VALUE_MAX_BYTES: usize = 32768;
/// The longest property key, in Unicode characters.
const PROPERTY_KEY_MAX_CHARS: usize = 255;
/// The longest `accountId`, in characters.
const ACCOUNT_ID_MAX_CHARS: usize = 128;

/// What `Allow` says for a property.
const ALLOW_PROPERTY: &str = "DELETE, GET, PUT";
/// What `Allow` says for the key listing (with or without the trailing slash).
const ALLOW_LISTING: &str = "GET";

/// The query string as name/value pairs, or why it could not be read.
type QueryPairs = Result<Query<Vec<(String, String)>>, QueryRejection>;

/// The four operations; they share the checks that come before their own.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Operation {
    ListKeys,
    Get,
    Set,
    Delete,
}

impl Operation {
    fn is_read(self) -> bool {
        matches!(self, Operation::ListKeys | Operation::Get)
    }
}

/// Who the checks act for: a principal, or (with a fault) an anonymous reader treated as admin.
#[derive(Debug, Clone, Copy)]
struct Caller<'s> {
    account_id: Option<&'s str>,
    admin: bool,
}

/// `/rest/api/N/user/properties`: the key listing; GET only.
pub(crate) async fn keys(
    State(state): State<MockState>,
    Extension(version): Extension<ApiVersion>,
    method: Method,
    headers: HeaderMap,
    query: QueryPairs,
) -> Response {
    if method == Method::GET || method == Method::HEAD {
        list_keys(&state, version, &headers, query).unwrap_or_else(IntoResponse::into_response)
    } else {
        JiraError::method_not_allowed(
            ALLOW_LISTING,
            "The method is not allowed for this resource.",
        )
        .into_response()
    }
}

/// `/rest/api/N/user/properties/`: no key given. GET lists the keys, as documented; PUT and
/// DELETE need a key.
pub(crate) async fn no_key(
    State(state): State<MockState>,
    Extension(version): Extension<ApiVersion>,
    method: Method,
    headers: HeaderMap,
    query: QueryPairs,
) -> Response {
    let outcome = match method {
        Method::GET | Method::HEAD if state.has(Fault::NokeyGet404) => Err(JiraError::not_found(
            "The requested resource does not exist.",
        )),
        Method::GET | Method::HEAD => list_keys(&state, version, &headers, query),
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

/// `/rest/api/N/user/properties/{propertyKey}`: get, set or delete one property.
pub(crate) async fn property(
    State(state): State<MockState>,
    Extension(version): Extension<ApiVersion>,
    method: Method,
    headers: HeaderMap,
    key: Result<Path<String>, PathRejection>,
    query: QueryPairs,
    body: Result<Bytes, BytesRejection>,
) -> Response {
    let operation = match method {
        Method::GET | Method::HEAD => Operation::Get,
        Method::PUT => Operation::Set,
        Method::DELETE => Operation::Delete,
        Method::POST if state.has(Fault::PostAccepted) => Operation::Set,
        _ => {
            return JiraError::method_not_allowed(
                ALLOW_PROPERTY,
                "The method is not allowed for this resource.",
            )
            .into_response()
        }
    };
    run(&state, version, &headers, operation, key, query, body)
        .unwrap_or_else(IntoResponse::into_response)
}

fn run(
    state: &MockState,
    version: ApiVersion,
    headers: &HeaderMap,
    operation: Operation,
    key: Result<Path<String>, PathRejection>,
    query: QueryPairs,
    body: Result<Bytes, BytesRejection>,
) -> Result<Response, JiraError> {
    let account_id = target(state, headers, query, operation)?;
    // The router only matches a non-empty segment; decoding fails only on bytes that are not
    // UTF-8 once percent-decoded.
    let Ok(Path(key)) = key else {
        return Err(JiraError::bad_request(
            "The property key is not valid UTF-8 text.",
        ));
    };
    match operation {
        Operation::Get => get(state, &account_id, &key),
        Operation::Set => set(state, &account_id, &key, body),
        Operation::Delete => delete(state, &account_id, &key),
        // Not produced by `property`, but its meaning is plain.
        Operation::ListKeys => list(state, version, headers, &account_id),
    }
}

fn list_keys(
    state: &MockState,
    version: ApiVersion,
    headers: &HeaderMap,
    query: QueryPairs,
) -> Result<Response, JiraError> {
    let account_id = target(state, headers, query, Operation::ListKeys)?;
    list(state, version, headers, &account_id)
}

/// The checks every operation makes, in Jira's order: authentication, `accountId` present and
/// not too long, permission, and the user's existence. Returns the target account id.
fn target(
    state: &MockState,
    headers: &HeaderMap,
    query: QueryPairs,
    operation: Operation,
) -> Result<String, JiraError> {
    let caller = match authenticate(state, headers) {
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
    let Ok(Query(pairs)) = query else {
        return Err(JiraError::bad_request("The query string is not valid."));
    };
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
    if !(caller.admin || own || state.has(Fault::AdminCheckMissing)) {
        return Err(JiraError::forbidden(
            "You do not have permission to access the properties of this user.",
        ));
    }
    if state.user(&account_id).is_none() {
        return Err(JiraError::not_found(format!(
            "The user with accountId '{account_id}' does not exist."
        )));
    }
    Ok(account_id)
}

fn list(
    state: &MockState,
    version: ApiVersion,
    headers: &HeaderMap,
    account_id: &str,
) -> Result<Response, JiraError> {
    let links = Links::new(headers, version);
    let keys = if state.has(Fault::StaleKeyListing) {
        // The store is empty at start, so "as of start" is always empty.
        Vec::new()
    } else {
        state.property_keys(account_id)
    };
    let keys: Vec<_> = keys
        .iter()
        .map(|key| json!({ "key": key, "self": links.property(key, account_id) }))
        .collect();
    Ok(json(StatusCode::OK, &json!({ "keys": keys })))
}

fn get(state: &MockState, account_id: &str, key: &str) -> Result<Response, JiraError> {
    let value = state
        .property(account_id, key)
        .ok_or_else(|| not_found(key))?;
    // The value is kept as the JSON text received, so it is spliced in rather than re-encoded.
    let key = serde_json::Value::from(key);
    Ok(json_text(
        StatusCode::OK,
        format!("{{\"key\":{key},\"value\":{value}}}"),
    ))
}

fn set(
    state: &MockState,
    account_id: &str,
    key: &str,
    body: Result<Bytes, BytesRejection>,
) -> Result<Response, JiraError> {
    if key.chars().count() > PROPERTY_KEY_MAX_CHARS && !state.has(Fault::KeyLimitNotEnforced) {
        return Err(JiraError::bad_request(format!(
            "The property key can't be longer than {PROPERTY_KEY_MAX_CHARS} characters."
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
    if value_too_large(state, text) {
        return Err(JiraError::bad_request(format!(
            "The property value can't be larger than {PROPERTY_VALUE_MAX_BYTES} bytes."
        )));
    }
    // Parsed only to validate: the text itself is what is stored.
    if serde_json::from_str::<serde::de::IgnoredAny>(text).is_err() {
        return Err(JiraError::bad_request(
            "The property value must be valid JSON.",
        ));
    }
    let created = state.set_property(account_id, key, text.trim());
    let status = if created && !state.has(Fault::PutAlways200) {
        StatusCode::CREATED
    } else {
        StatusCode::OK
    };
    Ok(empty(status))
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
        PROPERTY_VALUE_MAX_BYTES - 1
    } else {
        PROPERTY_VALUE_MAX_BYTES
    };
    size > limit
}

fn delete(state: &MockState, account_id: &str, key: &str) -> Result<Response, JiraError> {
    let existed = if state.has(Fault::DeleteKeepsValue) {
        state.property(account_id, key).is_some()
    } else {
        state.delete_property(account_id, key)
    };
    if !existed {
        return Err(not_found(key));
    }
    Ok(empty(if state.has(Fault::Delete200) {
        StatusCode::OK
    } else {
        StatusCode::NO_CONTENT
    }))
}

fn not_found(key: &str) -> JiraError {
    JiraError::not_found(format!("The property with key '{key}' does not exist."))
}
