//! The case template language: the tokens a generated request carries that only the runner
//! can fill in. Generate writes them, run fills them, check reads them back; all three take
//! them from here, so the spelling lives in one place.
//!
//! - [`RUN_TOKEN`]: the run id of the case (same length as a real run id).
//! - `{{step:N:/pointer}}` ([`step_ref`]): the value at `/pointer` of step N's JSON answer.
//! - [`SWEEP_ID`]: the id of an entity a sweep found.
//! - [`INVALID_TOKEN`]: the token sent for the invalid-credentials actor.
//! - [`encode_segment`]: how a value is written into a path segment.

use serde_json::Value;

use super::{Body, Request};

/// Stand-in for the run-unique prefix inside generated keys and bodies.
///
/// It has the same length as a real run id, so a key generated to be exactly N characters long
/// stays N characters once the runner substitutes the run id.
pub const RUN_TOKEN: &str = "jcRUNTOK";

/// Length of a run id; equal to [`RUN_TOKEN`]'s length by construction.
pub const RUN_ID_LEN: usize = RUN_TOKEN.len();

/// The API token sent for the invalid-credentials actor: well-formed, never valid.
pub const INVALID_TOKEN: &str = "jira-conform-invalid-token";

/// The placeholder in [`Sweep::delete`]'s path that the id of each entity found is put in.
pub const SWEEP_ID: &str = "{{found}}";

/// The placeholder for the value at `pointer` in the response body of step `step`.
pub fn step_ref(step: usize, pointer: &str) -> String {
    format!("{{{{step:{step}:{pointer}}}}}")
}

/// The steps whose answers `path` names (`{{step:N:/pointer}}`), in order.
pub fn referenced_steps(path: &str) -> Vec<usize> {
    path.split("{{step:")
        .skip(1)
        .filter_map(|rest| rest.split_once(':')?.0.parse().ok())
        .collect()
}

/// The request with the run token replaced by `run_id` everywhere it can appear.
pub fn substitute(request: &Request, run_id: &str) -> Request {
    // Built from the parts, each copied once (not cloned whole and then replaced).
    let swap = |text: &str| text.replace(RUN_TOKEN, run_id);
    Request {
        method: request.method.clone(),
        path: swap(&request.path),
        query: request
            .query
            .iter()
            .map(|(k, v)| (k.clone(), swap(v)))
            .collect(),
        actor: request.actor.clone(),
        body: match &request.body {
            Body::Json(v) => Body::Json(substitute_value(v, run_id)),
            Body::Raw { content_type, text } => Body::Raw {
                content_type: content_type.clone(),
                text: swap(text),
            },
            Body::None => Body::None,
        },
    }
}

/// A JSON value with the run token replaced in every string.
pub fn substitute_value(value: &Value, run_id: &str) -> Value {
    match value {
        Value::String(s) => Value::String(s.replace(RUN_TOKEN, run_id)),
        Value::Array(a) => Value::Array(a.iter().map(|v| substitute_value(v, run_id)).collect()),
        Value::Object(o) => Value::Object(
            o.iter()
                .map(|(k, v)| (k.replace(RUN_TOKEN, run_id), substitute_value(v, run_id)))
                .collect(),
        ),
        other => other.clone(),
    }
}

/// Percent-encodes a path segment (RFC 3986 unreserved characters stay).
pub fn encode_segment(text: &str) -> String {
    // Runs of unreserved bytes are copied whole and escapes written without `format!`: a spec
    // may state a limit of a million characters, and its probe keys are then megabytes long.
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut start = 0;
    for (i, &b) in bytes.iter().enumerate() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~') {
            continue;
        }
        out.extend_from_slice(&bytes[start..i]);
        out.extend_from_slice(&[b'%', HEX[usize::from(b >> 4)], HEX[usize::from(b & 0xF)]]);
        start = i + 1;
    }
    out.extend_from_slice(&bytes[start..]);
    // Only ASCII was written, so the bytes are UTF-8.
    String::from_utf8(out).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn segments_keep_unreserved_characters_and_escape_every_other_byte() {
        assert_eq!(encode_segment("aZ9-._~"), "aZ9-._~");
        assert_eq!(encode_segment("a b/é?%"), "a%20b%2F%C3%A9%3F%25");
        assert_eq!(encode_segment(""), "");
    }

    #[test]
    fn the_steps_a_path_names_are_found_in_order() {
        let path = format!(
            "/rest/api/3/role/{}/x/{}",
            step_ref(0, "/id"),
            step_ref(12, "/a/b")
        );
        assert_eq!(referenced_steps(&path), vec![0, 12]);
        assert_eq!(
            referenced_steps("/rest/api/3/role/10002"),
            Vec::<usize>::new()
        );
    }
}
