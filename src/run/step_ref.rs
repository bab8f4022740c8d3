//! References from a request to an earlier step's response: a role created in step 0 is
//! deleted by its id, which only the target knows. A path segment `{{step:N:/pointer}}` is
//! replaced by the value at `/pointer` of step N's JSON response body.

use std::borrow::Cow;

use serde_json::Value;

use crate::case::Request;
use crate::exchange::Exchange;

/// The request with every step reference in its path resolved (borrowed as it is when it has
/// none), or `None` when one cannot be (the step failed, has no JSON body, or nothing is at the
/// pointer).
pub fn resolve<'a>(request: &'a Request, exchanges: &[Exchange]) -> Option<Cow<'a, Request>> {
    if !request.path.contains("{{step:") {
        return Some(Cow::Borrowed(request));
    }
    let mut path = String::new();
    let mut rest = request.path.as_str();
    while let Some(start) = rest.find("{{step:") {
        path.push_str(&rest[..start]);
        let after = &rest[start + "{{step:".len()..];
        let end = after.find("}}")?;
        let (step, pointer) = after[..end].split_once(':')?;
        let step: usize = step.parse().ok()?;
        let received = exchanges
            .iter()
            .find(|e| e.step == step)?
            .response
            .as_ref()
            .ok()?;
        let value = received.json()?.pointer(pointer)?.clone();
        match value {
            Value::String(s) => path.push_str(&crate::case::encode_segment(&s)),
            Value::Number(n) => path.push_str(&n.to_string()),
            _ => return None,
        }
        rest = &after[end + 2..];
    }
    path.push_str(rest);
    let mut resolved = request.clone();
    resolved.path = path;
    Some(Cow::Owned(resolved))
}
