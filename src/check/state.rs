//! Checks against an earlier answer of the same case: an expansion adds to what the same read
//! without it answered.

use serde_json::Value;

use crate::case::Provenance;
use crate::exchange::Exchange;
use crate::verdict::{Failure, FailureDetail};

fn short(value: Option<&Value>) -> String {
    let text = value.map_or_else(|| "absent".to_string(), Value::to_string);
    match text.char_indices().nth(160) {
        Some((cut, _)) => format!("{}… ({} bytes)", &text[..cut], text.len()),
        None => text,
    }
}

/// How the expanded answer departs: the member at `pointer` is missing, or equal to what the
/// unexpanded answer held there (nothing was expanded).
pub fn expanded_departure(
    before: Option<&Value>,
    after: Option<&Value>,
    pointer: &str,
) -> Option<String> {
    let got = after.and_then(|v| v.pointer(pointer));
    let was = before.and_then(|v| v.pointer(pointer));
    match got {
        None => Some(format!("{pointer} is missing: the expansion was not made")),
        Some(g) if Some(g) == was => Some(format!(
            "{pointer} is {} with the expansion, as without it: nothing was expanded",
            short(Some(g))
        )),
        Some(_) => None,
    }
}

/// The failure when `exchanges[index]` did not expand `pointer` beyond step `step`'s answer.
pub fn check_expanded(
    step: usize,
    pointer: &str,
    index: usize,
    exchanges: &[Exchange],
    provenance: &Provenance,
) -> Option<Failure> {
    let after = exchanges.get(index)?.response.as_ref().ok()?.json();
    let before = exchanges
        .iter()
        .find(|e| e.step == step)?
        .response
        .as_ref()
        .ok()?
        .json();
    expanded_departure(before.as_ref(), after.as_ref(), pointer).map(|message| {
        Failure::new(
            index,
            FailureDetail::StateMismatch {
                pointer: Some(pointer.to_string()),
                expected: None,
                got: None,
                message,
            },
            Some(provenance.clone()),
        )
    })
}

#[cfg(test)]
mod tests {
    use super::expanded_departure;
    use serde_json::json;

    #[test]
    fn an_expansion_must_add_something() {
        let plain = json!({"groups": {"size": 1, "items": []}});
        let expanded = json!({"groups": {"size": 1, "items": [{"name": "g"}]}});
        assert!(expanded_departure(Some(&plain), Some(&expanded), "/groups").is_none());
        assert!(expanded_departure(Some(&plain), Some(&plain), "/groups")
            .unwrap()
            .contains("nothing was expanded"));
        assert!(
            expanded_departure(Some(&json!({})), Some(&json!({})), "/properties")
                .unwrap()
                .contains("missing")
        );
        assert!(expanded_departure(
            Some(&json!({})),
            Some(&json!({"properties": []})),
            "/properties"
        )
        .is_none());
    }
}
