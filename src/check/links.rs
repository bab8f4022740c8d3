//! Links: a page's `self` and `nextPage` agree with `startAt` and `maxResults`, and a key
//! listing's `self` of a key is the property's own URL.

use serde_json::Value;

use crate::case::{Provenance, RUN_TOKEN};
use crate::exchange::Exchange;
use crate::verdict::{Failure, FailureDetail};

fn body_of(index: usize, exchanges: &[Exchange]) -> Option<Value> {
    exchanges.get(index)?.response.as_ref().ok()?.json()
}

fn failure(index: usize, provenance: &Provenance, message: String) -> Failure {
    Failure::new(
        index,
        FailureDetail::StateMismatch {
            pointer: None,
            expected: None,
            got: None,
            message,
        },
        Some(provenance.clone()),
    )
}

/// The query parameter `name` of a link, if the link parses and carries it.
fn param(link: &str, name: &str) -> Option<String> {
    let url = reqwest::Url::parse(link).ok()?;
    url.query_pairs()
        .find(|(n, _)| n == name)
        .map(|(_, v)| v.into_owned())
}

/// How a page's links depart from the request and from the page itself.
pub fn page_link_departures(body: &Value, start_at: u64, max_results: u64) -> Vec<String> {
    let mut out = Vec::new();
    let number = |link: &str, name: &str| param(link, name).and_then(|v| v.parse::<u64>().ok());
    if let Some(link) = body.get("self").and_then(Value::as_str) {
        for (name, want) in [("startAt", start_at), ("maxResults", max_results)] {
            match number(link, name) {
                Some(got) if got != want => {
                    out.push(format!("/self names {name}={got}, the request sent {want}"))
                }
                _ => {}
            }
        }
    }
    let is_last = body.get("isLast").and_then(Value::as_bool);
    match (body.get("nextPage").and_then(Value::as_str), is_last) {
        (Some(_), Some(true)) => {
            out.push("/nextPage is given on the last page (isLast=true)".into())
        }
        (None, Some(false)) => out.push("/nextPage is missing, yet isLast is false".into()),
        (Some(link), _) => {
            let next = start_at + max_results;
            match number(link, "startAt") {
                Some(got) if got == next => {}
                Some(got) => out.push(format!(
                    "/nextPage starts at {got}, expected startAt={start_at} + maxResults={max_results} = {next}"
                )),
                None => out.push(format!("/nextPage {link:?} names no startAt")),
            }
            if let Some(got) = number(link, "maxResults").filter(|m| *m != max_results) {
                out.push(format!(
                    "/nextPage names maxResults={got}, the request sent {max_results}"
                ));
            }
        }
        (None, _) => {}
    }
    out
}

/// Departures of a page's links (see [`page_link_departures`]).
pub fn check_page_links(
    start_at: u64,
    max_results: u64,
    index: usize,
    exchanges: &[Exchange],
    provenance: &Provenance,
) -> Vec<Failure> {
    let Some(body) = body_of(index, exchanges) else {
        return Vec::new();
    };
    page_link_departures(&body, start_at, max_results)
        .into_iter()
        .map(|m| failure(index, provenance, m))
        .collect()
}

/// Whether two property paths name the same property of what may be the same owner written
/// once by key and once by id: same API prefix, same number of segments, same words between the
/// ids, same `/properties/{key}` end.
fn same_property_path(a: &str, b: &str) -> bool {
    let (sa, sb): (Vec<&str>, Vec<&str>) = (a.split('/').collect(), b.split('/').collect());
    let Some(at) = sa.iter().position(|s| *s == "properties") else {
        return false;
    };
    sa.len() == sb.len()
        && sb.get(at) == Some(&"properties")
        && sa[at..] == sb[at..]
        && sa.iter().zip(&sb).take(at).enumerate().all(|(i, (x, y))| {
            // The API prefix (`/rest/api/N`) and the words of the path agree; the segments
            // after a word (ids or keys) may not.
            x == y || (i > 3 && sa[i - 1].chars().all(|c| c.is_ascii_lowercase()))
        })
}

/// How the `self` of `key` in a key listing departs from the property's URL (`path`, `query`).
pub fn key_self_departure(
    body: &Value,
    key: &str,
    path: &str,
    query: &[(String, String)],
) -> Option<String> {
    let entry = body
        .get("keys")
        .and_then(Value::as_array)?
        .iter()
        .find(|k| k.get("key").and_then(Value::as_str) == Some(key))?;
    let Some(link) = entry.get("self").and_then(Value::as_str) else {
        return Some(format!("the listing's entry of {key:?} has no self link"));
    };
    let Ok(url) = reqwest::Url::parse(link) else {
        return Some(format!("the self link of {key:?} is not a URL: {link:?}"));
    };
    let mut got: Vec<(String, String)> = url
        .query_pairs()
        .map(|(n, v)| (n.into_owned(), v.into_owned()))
        .collect();
    let mut want = query.to_vec();
    got.sort();
    want.sort();
    // The owner may be named by its key in the request and by its id in the link (Jira writes
    // ids): the same API, the same shape of path and the same property are what must agree.
    let same_path = url.path() == path || same_property_path(url.path(), path);
    (!same_path || got != want).then(|| {
        format!("the self link of {key:?} is {link:?}, not the property's own URL {path} {want:?}")
    })
}

/// The failure when the `self` of `key` in the listing is not the property's own URL.
pub fn check_key_self(
    key: &str,
    path: &str,
    query: &[(String, String)],
    index: usize,
    exchanges: &[Exchange],
    run_id: &str,
    provenance: &Provenance,
) -> Option<Failure> {
    let body = body_of(index, exchanges)?;
    let key = key.replace(RUN_TOKEN, run_id);
    let path = path.replace(RUN_TOKEN, run_id);
    let query: Vec<(String, String)> = query
        .iter()
        .map(|(n, v)| (n.clone(), v.replace(RUN_TOKEN, run_id)))
        .collect();
    key_self_departure(&body, &key, &path, &query).map(|m| failure(index, provenance, m))
}

#[cfg(test)]
mod tests {
    use super::{key_self_departure, page_link_departures};
    use serde_json::json;

    #[test]
    fn page_links_agree_with_the_request() {
        let good = json!({"self": "http://h/x?startAt=1&maxResults=1", "nextPage": "http://h/x?startAt=2&maxResults=1", "isLast": false});
        assert!(page_link_departures(&good, 1, 1).is_empty());
        let last = json!({"self": "http://h/x?startAt=2&maxResults=1", "isLast": true});
        assert!(page_link_departures(&last, 2, 1).is_empty());
        let wrong_next = json!({"nextPage": "http://h/x?startAt=1&maxResults=1", "isLast": false});
        assert!(page_link_departures(&wrong_next, 1, 1)[0].contains("/nextPage starts at 1"));
        let next_on_last = json!({"nextPage": "http://h/x?startAt=3", "isLast": true});
        assert!(page_link_departures(&next_on_last, 2, 1)[0].contains("last page"));
        let wrong_self = json!({"self": "http://h/x?startAt=0&maxResults=50"});
        assert_eq!(page_link_departures(&wrong_self, 1, 1).len(), 2);
    }

    #[test]
    fn a_key_self_must_be_the_property_url() {
        let listing = json!({"keys": [{"key": "k.1", "self": "http://h/rest/api/3/user/properties/k.1?accountId=a%3Ab"}]});
        let q = vec![("accountId".to_string(), "a:b".to_string())];
        assert!(
            key_self_departure(&listing, "k.1", "/rest/api/3/user/properties/k.1", &q).is_none()
        );
        assert!(
            key_self_departure(&listing, "k.1", "/rest/api/3/user/properties/k.1", &[]).is_some()
        );
        assert!(
            key_self_departure(&listing, "k.1", "/rest/api/2/user/properties/k.1", &q).is_some()
        );
        // The owner by key in the request, by id in the link (as Jira writes it): the same.
        let by_id = json!({"keys": [{"key": "k.1", "self": "http://h/rest/api/3/issue/10200/properties/k.1"}]});
        assert!(key_self_departure(
            &by_id,
            "k.1",
            "/rest/api/3/issue/CONF-1/properties/k.1",
            &[]
        )
        .is_none());
        assert!(key_self_departure(
            &by_id,
            "k.1",
            "/rest/api/3/project/CONF/properties/k.1",
            &[]
        )
        .is_some());
    }
}
