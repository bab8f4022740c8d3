//! Property keys and values: the documented limits, how a value is read from a PUT body, and
//! how a property and a key listing are answered.

use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::http::StatusCode;
use axum::response::Response;
use serde_json::json;

use crate::mock::error::JiraError;
use crate::mock::links::encode;
use crate::mock::response::{json, json_text};

/// The largest property value, in bytes of the JSON text as received.
pub(crate) const VALUE_MAX_BYTES: usize = 32768;
/// The longest property key, in Unicode characters.
pub(crate) const KEY_MAX_CHARS: usize = 255;

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

/// What the OverLimitWriteStored fault keeps of an over-limit body: its first half (cut at a
/// character boundary) as a JSON string; `None` for a body within the limit or not UTF-8.
pub(crate) fn truncated(body: &[u8]) -> Option<String> {
    let text = std::str::from_utf8(body).ok()?;
    if !too_large(text) {
        return None;
    }
    let mut end = VALUE_MAX_BYTES / 2;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    Some(serde_json::Value::from(&text[..end]).to_string())
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
