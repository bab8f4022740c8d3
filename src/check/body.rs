//! Body checks: values read back, keys listed or gone, a body equal to an earlier one.

use serde_json::Value;

use crate::case::{BodyCheck, Provenance};
use crate::exchange::Exchange;
use crate::run::substitute_value;
use crate::verdict::{Failure, FailureKind};

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
    let fail = |message: String| Failure {
        kind: FailureKind::StateMismatch,
        step: index,
        message,
        provenance: Some(provenance.clone()),
    };
    let mut failures = Vec::new();
    for check in checks {
        let Some(body) = &body else {
            failures.push(fail("expected a JSON body to check, got none".into()));
            break;
        };
        match check {
            BodyCheck::Equals { pointer, value } => {
                let want = substitute_value(value, run_id);
                match body.pointer(pointer) {
                    Some(got) if *got == want => {}
                    Some(got) => failures.push(fail(format!(
                        "{pointer} is {}, expected {}",
                        short(got),
                        short(&want)
                    ))),
                    None => failures.push(fail(format!(
                        "{pointer} is missing, expected {}",
                        short(&want)
                    ))),
                }
            }
            BodyCheck::ListsKey { key } => {
                let key = key.replace(crate::case::RUN_TOKEN, run_id);
                if !listed_keys(body).contains(&key) {
                    failures.push(fail(format!("the key listing does not contain {key:?}")));
                }
            }
            BodyCheck::Present { pointer } => {
                let pointer = pointer.replace(crate::case::RUN_TOKEN, run_id);
                if body.pointer(&pointer).is_none() {
                    failures.push(fail(format!("{pointer} is missing")));
                }
            }
            BodyCheck::Absent { pointer } => {
                let pointer = pointer.replace(crate::case::RUN_TOKEN, run_id);
                if let Some(got) = body.pointer(&pointer) {
                    failures.push(fail(format!(
                        "{pointer} is {}, expected it to be absent",
                        short(got)
                    )));
                }
            }
            BodyCheck::Lists {
                pointer,
                field,
                values,
            } => match body.pointer(pointer).and_then(Value::as_array) {
                Some(items) => {
                    let got: Vec<Value> = items
                        .iter()
                        .map(|i| i.get(field).cloned().unwrap_or(Value::Null))
                        .collect();
                    if got != *values {
                        failures.push(fail(format!(
                            "{pointer} lists {field} {}, expected {}",
                            short(&Value::Array(got)),
                            short(&Value::Array(values.clone()))
                        )));
                    }
                }
                None => failures.push(fail(format!("{pointer} is not an array"))),
            },
            BodyCheck::OmitsKey { key } => {
                let key = key.replace(crate::case::RUN_TOKEN, run_id);
                if listed_keys(body).contains(&key) {
                    failures.push(fail(format!("the key listing still contains {key:?}")));
                }
            }
        }
    }
    failures
}
