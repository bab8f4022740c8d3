//! Body checks: values read back, keys listed or gone, a body equal to an earlier one.

use serde_json::Value;

use crate::case::substitute_value;
use crate::case::{BodyCheck, Provenance};
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
    let fail = |pointer: Option<&str>, expected: Option<Value>, got: Option<&Value>, message| {
        Failure::new(
            index,
            FailureDetail::StateMismatch {
                pointer: pointer.map(str::to_string),
                expected,
                got: got.cloned(),
                message,
            },
            Some(provenance.clone()),
        )
    };
    let mut failures = Vec::new();
    for check in checks.iter().filter(|c| !super::implied::is_implied(c)) {
        let Some(body) = &body else {
            failures.push(fail(
                None,
                None,
                None,
                "expected a JSON body to check, got none".into(),
            ));
            break;
        };
        match check {
            BodyCheck::Equals { pointer, value } => {
                let want = substitute_value(value, run_id);
                match body.pointer(pointer) {
                    Some(got) if *got == want => {}
                    Some(got) => {
                        let message =
                            format!("{pointer} is {}, expected {}", short(got), short(&want));
                        failures.push(fail(Some(pointer), Some(want), Some(got), message));
                    }
                    None => {
                        let message = format!("{pointer} is missing, expected {}", short(&want));
                        failures.push(fail(Some(pointer), Some(want), None, message));
                    }
                }
            }
            BodyCheck::ListsKey { key } => {
                let key = key.replace(crate::case::RUN_TOKEN, run_id);
                if !listed_keys(body).contains(&key) {
                    let message = format!("the key listing does not contain {key:?}");
                    failures.push(fail(Some("/keys"), Some(Value::String(key)), None, message));
                }
            }
            BodyCheck::Present { pointer } => {
                let pointer = pointer.replace(crate::case::RUN_TOKEN, run_id);
                if body.pointer(&pointer).is_none() {
                    let message = format!("{pointer} is missing");
                    failures.push(fail(Some(&pointer), None, None, message));
                }
            }
            BodyCheck::Absent { pointer } => {
                let pointer = pointer.replace(crate::case::RUN_TOKEN, run_id);
                if let Some(got) = body.pointer(&pointer) {
                    let message = format!("{pointer} is {}, expected it to be absent", short(got));
                    failures.push(fail(Some(&pointer), None, Some(got), message));
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
                        let (got, want) = (Value::Array(got), Value::Array(values.clone()));
                        let message = format!(
                            "{pointer} lists {field} {}, expected {}",
                            short(&got),
                            short(&want)
                        );
                        failures.push(fail(Some(pointer), Some(want), Some(&got), message));
                    }
                }
                None => failures.push(fail(
                    Some(pointer),
                    None,
                    body.pointer(pointer),
                    format!("{pointer} is not an array"),
                )),
            },
            BodyCheck::Page {
                start_at,
                max_results,
            } => failures.extend(
                page_departures(body, *start_at, *max_results)
                    .into_iter()
                    .map(|message| fail(None, None, None, message)),
            ),
            BodyCheck::Header { .. }
            | BodyCheck::PageLinks { .. }
            | BodyCheck::KeySelf { .. }
            | BodyCheck::Expanded { .. } => {}
            BodyCheck::OmitsKey { key } => {
                let key = key.replace(crate::case::RUN_TOKEN, run_id);
                if listed_keys(body).contains(&key) {
                    let message = format!("the key listing still contains {key:?}");
                    failures.push(fail(
                        Some("/keys"),
                        None,
                        Some(&Value::String(key)),
                        message,
                    ));
                }
            }
        }
    }
    failures
}

/// How a page departs from the paging contract: it starts at `start_at`, holds at most
/// `max_results` values, and its `total` and `isLast` agree with what it holds.
fn page_departures(body: &Value, start_at: u64, max_results: u64) -> Vec<String> {
    let mut out = Vec::new();
    let Some(values) = body.get("values").and_then(Value::as_array) else {
        return vec!["/values is not an array".into()];
    };
    let held = values.len() as u64;
    if held > max_results {
        out.push(format!(
            "/values holds {held} items, more than maxResults={max_results} asked for"
        ));
    }
    match body.get("startAt").and_then(Value::as_u64) {
        Some(s) if s == start_at => {}
        Some(s) => out.push(format!("/startAt is {s}, expected {start_at} as sent")),
        None => {}
    }
    if let Some(m) = body.get("maxResults").and_then(Value::as_u64) {
        if m > max_results {
            out.push(format!(
                "/maxResults is {m}, more than the {max_results} sent"
            ));
        }
    }
    let total = body.get("total").and_then(Value::as_u64);
    let is_last = body.get("isLast").and_then(Value::as_bool);
    if let Some(total) = total {
        let remaining = total.saturating_sub(start_at);
        if held != remaining.min(max_results) {
            out.push(format!(
                "/values holds {held} items, but total={total} from startAt={start_at} leaves {} for a page of {max_results}",
                remaining.min(max_results)
            ));
        }
        if let Some(last) = is_last {
            let really_last = start_at + held >= total;
            if last != really_last {
                out.push(format!(
                    "/isLast is {last}, but startAt={start_at} + {held} items against total={total} says {really_last}"
                ));
            }
        }
    } else if is_last == Some(false) && held < max_results {
        out.push(format!(
            "/isLast is false, yet the page holds {held} items, fewer than the {max_results} asked for"
        ));
    }
    out
}

#[cfg(test)]
mod page_tests {
    use super::page_departures;
    use serde_json::json;

    #[test]
    fn a_consistent_page_passes() {
        let page =
            json!({"startAt": 1, "maxResults": 1, "total": 3, "isLast": false, "values": [{}]});
        assert!(page_departures(&page, 1, 1).is_empty());
        let last =
            json!({"startAt": 2, "maxResults": 1, "total": 3, "isLast": true, "values": [{}]});
        assert!(page_departures(&last, 2, 1).is_empty());
    }

    #[test]
    fn each_inconsistency_is_named() {
        let too_many =
            json!({"startAt": 0, "maxResults": 1, "total": 3, "isLast": false, "values": [{}, {}]});
        assert!(page_departures(&too_many, 0, 1)[0].contains("more than maxResults=1"));
        let wrong_start = json!({"startAt": 0, "total": 3, "isLast": false, "values": [{}]});
        assert!(page_departures(&wrong_start, 1, 1)[0].contains("/startAt is 0"));
        let wrong_last = json!({"startAt": 0, "total": 3, "isLast": true, "values": [{}]});
        assert!(page_departures(&wrong_last, 0, 1)[0].contains("/isLast is true"));
        let no_values = json!({"startAt": 0});
        assert_eq!(
            page_departures(&no_values, 0, 1),
            vec!["/values is not an array"]
        );
    }
}
