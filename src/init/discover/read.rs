//! Reading Jira's answers: ids and text out of its JSON, its orders of keys and ids, and the
//! percent-encoding of what goes into a path or a query.

use serde_json::Value;

/// Percent-encodes all but RFC 3986's unreserved characters (safe in a path or a query value).
pub(super) fn enc(text: &str) -> String {
    let mut out = String::new();
    for b in text.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~') {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// An id as text: Jira gives some as numbers, some as strings.
pub(super) fn id_text(v: Option<&Value>) -> Option<String> {
    match v? {
        Value::String(s) if !s.is_empty() => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

pub(super) fn text(v: Option<&Value>) -> Option<String> {
    v.and_then(Value::as_str).map(str::to_string)
}

/// Issue keys in Jira's order: project key, then number.
pub(super) fn key_order(key: &str) -> (String, u64) {
    match key.rsplit_once('-') {
        Some((p, n)) => (p.to_string(), n.parse().unwrap_or(u64::MAX)),
        None => (key.to_string(), u64::MAX),
    }
}

/// Ids in numeric order where they are numbers.
pub(super) fn id_order(id: &str) -> (u64, String) {
    (id.parse().unwrap_or(u64::MAX), id.to_string())
}
