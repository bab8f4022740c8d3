//! Page checks: a page of a listing keeps the paging contract (`startAt`, `maxResults`,
//! `total`, `isLast` agree with the values it holds).

use serde_json::Value;

/// How a page departs from the paging contract: it starts at `start_at`, holds at most
/// `max_results` values, and its `total` and `isLast` agree with what it holds.
pub(super) fn page_departures(body: &Value, start_at: u64, max_results: u64) -> Vec<String> {
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
