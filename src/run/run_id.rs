//! Run ids: every case gets its own, so mutating cases never share a key and can run in
//! parallel, and a left-over on a real site is recognisable by its `j` prefix.

use std::time::{SystemTime, UNIX_EPOCH};

use serde_json::Value;

use crate::case::{Request, RUN_ID_LEN, RUN_TOKEN};

const ALPHABET: &[u8; 36] = b"0123456789abcdefghijklmnopqrstuvwxyz";

fn base36(mut n: u64, width: usize) -> String {
    let mut out = vec![b'0'; width];
    for slot in out.iter_mut().rev() {
        *slot = ALPHABET[(n % 36) as usize];
        n /= 36;
    }
    String::from_utf8(out).unwrap_or_default()
}

/// A prefix unique to this run (three base-36 characters from the clock and process id).
pub fn run_prefix() -> String {
    let nanos = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos() as u64);
    base36(nanos ^ u64::from(std::process::id()).rotate_left(17), 3)
}

/// The run id of the case at `index`: `j` + run prefix + the index in base 36.
pub fn case_run_id(prefix: &str, index: usize) -> String {
    let id = format!(
        "j{prefix}{}",
        base36(index as u64, RUN_ID_LEN - 1 - prefix.len())
    );
    debug_assert_eq!(id.len(), RUN_ID_LEN);
    id
}

/// The request with the run token replaced by `run_id` everywhere it can appear.
pub fn substitute(request: &Request, run_id: &str) -> Request {
    let mut r = request.clone();
    r.path = r.path.replace(RUN_TOKEN, run_id);
    for (_, v) in &mut r.query {
        *v = v.replace(RUN_TOKEN, run_id);
    }
    r.body = match r.body {
        crate::case::Body::Json(v) => crate::case::Body::Json(substitute_value(&v, run_id)),
        crate::case::Body::Raw { content_type, text } => crate::case::Body::Raw {
            content_type,
            text: text.replace(RUN_TOKEN, run_id),
        },
        crate::case::Body::None => crate::case::Body::None,
    };
    r
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn run_ids_have_the_token_length_and_differ_per_case() {
        let p = run_prefix();
        let a = case_run_id(&p, 0);
        let b = case_run_id(&p, 1);
        assert_eq!(a.len(), RUN_TOKEN.len());
        assert_ne!(a, b);
        assert!(a.starts_with('j'));
    }
}
