//! Body checks: values read back or gone, arrays that list what they should in order, keys
//! listed or gone. A page's paging contract is checked in `page.rs`.

use serde_json::Value;

use super::implied::is_implied;
use super::page::page_departures;
use crate::case::substitute_value;
use crate::case::{BodyCheck, Provenance, RUN_TOKEN};
use crate::exchange::Exchange;
use crate::verdict::{Failure, FailureDetail};

fn listed_keys(body: &Value) -> Vec<String> {
    body.get("keys")
        .and_then(Value::as_array)
        .map(|keys| {
            keys.iter()
                .filter_map(|k| k.get("key").and_then(Value::as_str))
                .map(str::to_string)
                .collect()
        })
        .unwrap_or_default()
}

fn short(value: &Value) -> String {
    let text = value.to_string();
    if text.len() > 200 {
        format!(
            "{}… ({} bytes)",
            &text[..text.char_indices().nth(200).map_or(text.len(), |(i, _)| i)],
            text.len()
        )
    } else {
        text
    }
}

/// How the body departs from one check: where, what was expected, what came, and the words.
struct Departure {
    pointer: Option<String>,
    expected: Option<Value>,
    got: Option<Value>,
    message: String,
}

impl Departure {
    fn new(
        pointer: Option<&str>,
        expected: Option<Value>,
        got: Option<&Value>,
        message: String,
    ) -> Self {
        Departure {
            pointer: pointer.map(str::to_string),
            expected,
            got: got.cloned(),
            message,
        }
    }

    fn failure(self, index: usize, provenance: &Provenance) -> Failure {
        Failure::new(
            index,
            FailureDetail::StateMismatch {
                pointer: self.pointer,
                expected: self.expected,
                got: self.got,
                message: self.message,
            },
            Some(provenance.clone()),
        )
    }
}

/// Departures of the body of `exchanges[index]` from `checks`.
pub fn check_body(
    checks: &[BodyCheck],
    index: usize,
    exchanges: &[Exchange],
    run_id: &str,
    provenance: &Provenance,
) -> Vec<Failure> {
    let Some(Ok(received)) = exchanges.get(index).map(|e| &e.response) else {
        return Vec::new();
    };
    let body = received.json();
    let mut departures = Vec::new();
    for check in checks.iter().filter(|c| !is_implied(c)) {
        let Some(body) = &body else {
            departures.push(Departure::new(
                None,
                None,
                None,
                "expected a JSON body to check, got none".into(),
            ));
            break;
        };
        departures.extend(departures_from(check, body, run_id));
    }
    departures
        .into_iter()
        .map(|d| d.failure(index, provenance))
        .collect()
}

/// How `body` departs from one check (implied checks are judged elsewhere).
fn departures_from(check: &BodyCheck, body: &Value, run_id: &str) -> Vec<Departure> {
    match check {
        BodyCheck::Equals { pointer, value } => {
            equals(body, pointer, substitute_value(value, run_id))
                .into_iter()
                .collect()
        }
        BodyCheck::ListsKey { key } => {
            let key = key.replace(RUN_TOKEN, run_id);
            if listed_keys(body).contains(&key) {
                return Vec::new();
            }
            let message = format!("the key listing does not contain {key:?}");
            vec![Departure::new(
                Some("/keys"),
                Some(Value::String(key)),
                None,
                message,
            )]
        }
        BodyCheck::Present { pointer } => {
            let pointer = pointer.replace(RUN_TOKEN, run_id);
            if body.pointer(&pointer).is_some() {
                return Vec::new();
            }
            let message = format!("{pointer} is missing");
            vec![Departure::new(Some(&pointer), None, None, message)]
        }
        BodyCheck::Absent { pointer } => {
            let pointer = pointer.replace(RUN_TOKEN, run_id);
            let Some(got) = body.pointer(&pointer) else {
                return Vec::new();
            };
            let message = format!("{pointer} is {}, expected it to be absent", short(got));
            vec![Departure::new(Some(&pointer), None, Some(got), message)]
        }
        BodyCheck::Lists {
            pointer,
            field,
            values,
        } => lists(body, pointer, field, values).into_iter().collect(),
        BodyCheck::Page {
            start_at,
            max_results,
        } => page_departures(body, *start_at, *max_results)
            .into_iter()
            .map(|message| Departure::new(None, None, None, message))
            .collect(),
        BodyCheck::Header { .. }
        | BodyCheck::PageLinks { .. }
        | BodyCheck::KeySelf { .. }
        | BodyCheck::Expanded { .. } => Vec::new(),
        BodyCheck::OmitsKey { key } => {
            let key = key.replace(RUN_TOKEN, run_id);
            if !listed_keys(body).contains(&key) {
                return Vec::new();
            }
            let message = format!("the key listing still contains {key:?}");
            vec![Departure::new(
                Some("/keys"),
                None,
                Some(&Value::String(key)),
                message,
            )]
        }
    }
}

/// The value at `pointer` is `want`.
fn equals(body: &Value, pointer: &str, want: Value) -> Option<Departure> {
    match body.pointer(pointer) {
        Some(got) if *got == want => None,
        Some(got) => {
            let message = format!("{pointer} is {}, expected {}", short(got), short(&want));
            Some(Departure::new(
                Some(pointer),
                Some(want),
                Some(got),
                message,
            ))
        }
        None => {
            let message = format!("{pointer} is missing, expected {}", short(&want));
            Some(Departure::new(Some(pointer), Some(want), None, message))
        }
    }
}

/// The array at `pointer` lists `values` as its items' `field`, in order.
fn lists(body: &Value, pointer: &str, field: &str, values: &[Value]) -> Option<Departure> {
    let Some(items) = body.pointer(pointer).and_then(Value::as_array) else {
        return Some(Departure::new(
            Some(pointer),
            None,
            body.pointer(pointer),
            format!("{pointer} is not an array"),
        ));
    };
    let got: Vec<Value> = items
        .iter()
        .map(|i| i.get(field).cloned().unwrap_or(Value::Null))
        .collect();
    if got == *values {
        return None;
    }
    let (got, want) = (Value::Array(got), Value::Array(values.to_vec()));
    let message = format!(
        "{pointer} lists {field} {}, expected {}",
        short(&got),
        short(&want)
    );
    Some(Departure::new(
        Some(pointer),
        Some(want),
        Some(&got),
        message,
    ))
}
