//! `GET /search/jql`: issues found by a JQL query, a page at a time (the enhanced search).
//!
//! The mock understands the slice of JQL a client needs to list a project's issues: clauses
//! `project = X`, `project in (X, Y)`, `key = X-1` and `issuekey in (…)` joined by `AND`, and an
//! `ORDER BY` on `key`, `id` or `created` (ascending or descending). Anything else is a 400, as
//! Jira answers a query it cannot parse. Only issues the caller may see are found (browse
//! permission and issue security), as documented; an anonymous caller finds none.

use std::cmp::Ordering;

use axum::http::{Method, StatusCode};
use axum::response::Response;
use axum::Router;
use serde_json::{json, Map, Value};

use crate::fixtures::Issue;

use super::anonymous::caller_or_anonymous;
use super::caller::{Call, Methods};
use super::error::JiraError;
use super::issue_visibility::sees_issue;
use super::links::{encode, ApiVersion};
use super::query::{self, count, list_values, QueryPairs};
use super::response::json;
use super::state::MockState;
use super::versioned_routes::VersionedRoutes;

/// `/search/jql`: GET and POST are documented; the mock serves GET.
const SEARCH: Methods = Methods::new("GET, POST", &[Method::GET]);
/// The documented default page size.
const DEFAULT_MAX_RESULTS: usize = 50;
/// The documented largest page.
const MAX_MAX_RESULTS: usize = 5000;

/// The routes of this resource under one API version.
pub(crate) fn routes(version: ApiVersion) -> Router<MockState> {
    Router::new().versioned(version, "/search/jql", search)
}

/// One condition of the query.
#[derive(Debug)]
enum Clause {
    /// The issue's project (key or id) is one of these.
    Project(Vec<String>),
    /// The issue's key (or id) is one of these.
    Key(Vec<String>),
}

/// What the query asks: conditions, all of which hold, and an order.
#[derive(Debug)]
struct Query {
    clauses: Vec<Clause>,
    order: (String, bool),
}

fn jql_error(message: impl std::fmt::Display) -> JiraError {
    JiraError::bad_request(format!("Error in the JQL Query: {message}"))
}

/// A value: bare or in double quotes.
fn value(text: &str) -> String {
    text.trim().trim_matches('"').trim().to_string()
}

/// `= X` or `in (X, Y)` after a field name.
fn values(rest: &str) -> Result<Vec<String>, JiraError> {
    let rest = rest.trim();
    if let Some(v) = rest.strip_prefix('=') {
        return Ok(vec![value(v)]);
    }
    let lower = rest.to_ascii_lowercase();
    if lower.starts_with("in") {
        let list = rest[2..].trim();
        if let Some(inner) = list.strip_prefix('(').and_then(|l| l.strip_suffix(')')) {
            return Ok(inner
                .split(',')
                .map(value)
                .filter(|v| !v.is_empty())
                .collect());
        }
    }
    Err(jql_error(format!(
        "the operator in '{rest}' is not supported"
    )))
}

/// Splits on a keyword, case-insensitively, outside quotes.
fn split_keyword<'t>(text: &'t str, keyword: &str) -> Vec<&'t str> {
    let lower = text.to_ascii_lowercase();
    let needle = format!(" {keyword} ");
    let mut parts = Vec::new();
    let mut start = 0;
    let mut from = 0;
    while let Some(at) = lower[from..].find(&needle) {
        let at = from + at;
        if lower[start..at].matches('"').count() % 2 == 0 {
            parts.push(&text[start..at]);
            start = at + needle.len();
        }
        from = at + needle.len();
    }
    parts.push(&text[start..]);
    parts
}

fn parse(jql: &str) -> Result<Query, JiraError> {
    let lower = jql.to_ascii_lowercase();
    let (filter, order) = match lower.find("order by") {
        Some(at) => (&jql[..at], Some(&jql[at + "order by".len()..])),
        None => (jql, None),
    };
    let order = match order.map(str::trim) {
        None => ("key".to_string(), true),
        Some(o) => {
            let mut words = o.split_whitespace();
            let field = words.next().unwrap_or("key").to_ascii_lowercase();
            let ascending = match words.next().map(str::to_ascii_lowercase).as_deref() {
                None | Some("asc") => true,
                Some("desc") => false,
                Some(other) => return Err(jql_error(format!("'{other}' is not an order"))),
            };
            if !matches!(field.as_str(), "key" | "issuekey" | "id" | "created") {
                return Err(jql_error(format!("ordering by '{field}' is not supported")));
            }
            (field, ascending)
        }
    };
    let mut clauses = Vec::new();
    if !filter.trim().is_empty() {
        for part in split_keyword(filter.trim(), "and") {
            let part = part.trim();
            let end = part
                .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
                .unwrap_or(part.len());
            let (field, rest) = part.split_at(end);
            match field.to_ascii_lowercase().as_str() {
                "project" => clauses.push(Clause::Project(values(rest)?)),
                "key" | "issuekey" | "id" => clauses.push(Clause::Key(values(rest)?)),
                _ => {
                    return Err(jql_error(format!(
                        "the field '{field}' is not supported in this query"
                    )))
                }
            }
        }
    }
    Ok(Query { clauses, order })
}

/// Issue keys in Jira's order: by project key, then by number.
fn key_order(a: &Issue, b: &Issue) -> Ordering {
    let split = |key: &str| -> (String, u64) {
        match key.rsplit_once('-') {
            Some((p, n)) => (p.to_string(), n.parse().unwrap_or(0)),
            None => (key.to_string(), 0),
        }
    };
    split(&a.key).cmp(&split(&b.key))
}

/// `/rest/api/N/search/jql`.
async fn search(call: Call, query: QueryPairs) -> Result<Response, JiraError> {
    let caller = &caller_or_anonymous(&SEARCH, &call)?;
    let pairs = query::pairs(query)?;
    let jql = pairs
        .iter()
        .find(|(n, _)| n == "jql")
        .map_or("", |(_, v)| v.as_str());
    let parsed = parse(jql)?;
    let max_results = count(&pairs, "maxResults", DEFAULT_MAX_RESULTS)?.min(MAX_MAX_RESULTS);
    // The token is opaque to clients; the mock's is the offset of the page.
    let start_at = match pairs
        .iter()
        .find(|(n, v)| n == "nextPageToken" && !v.is_empty())
    {
        None => 0,
        Some((_, token)) => token
            .parse::<usize>()
            .map_err(|_| JiraError::bad_request("The nextPageToken is not valid."))?,
    };
    let fields = list_values(&pairs, "fields");
    let state = &call.state;
    let world = state.world();
    let mut found: Vec<&Issue> = world
        .issues
        .iter()
        .filter(|i| sees_issue(world, caller, i, true))
        .filter(|i| {
            parsed.clauses.iter().all(|c| match c {
                Clause::Project(ps) => {
                    let project = world.project(&i.project);
                    ps.iter().any(|p| {
                        p.eq_ignore_ascii_case(&i.project) || project.is_some_and(|pr| pr.id == *p)
                    })
                }
                Clause::Key(ks) => ks
                    .iter()
                    .any(|k| k.eq_ignore_ascii_case(&i.key) || *k == i.id),
            })
        })
        .collect();
    match parsed.order.0.as_str() {
        "id" => found.sort_by_key(|i| i.id.parse::<u64>().unwrap_or(u64::MAX)),
        // Every issue of the world was created at one time: created order is key order.
        _ => found.sort_by(|a, b| key_order(a, b)),
    }
    if !parsed.order.1 {
        found.reverse();
    }
    let api = call.links().api();
    let wants = |f: &str| {
        fields
            .iter()
            .any(|x| *x == f || *x == "*all" || *x == "*navigable")
            && !fields.iter().any(|x| x.strip_prefix('-') == Some(f))
    };
    let issues: Vec<Value> = found
        .iter()
        .skip(start_at)
        .take(max_results)
        .map(|i| {
            let mut fields = Map::new();
            if wants("summary") {
                fields.insert("summary".into(), json!(i.summary));
            }
            if wants("project") {
                if let Some(p) = world.project(&i.project) {
                    fields.insert(
                        "project".into(),
                        json!({
                            "self": format!("{api}/project/{}", encode(&p.id)),
                            "id": p.id,
                            "key": p.key,
                            "name": p.name,
                        }),
                    );
                }
            }
            let mut body = Map::new();
            body.insert("id".into(), json!(i.id));
            body.insert(
                "self".into(),
                json!(format!("{api}/issue/{}", encode(&i.id))),
            );
            body.insert("key".into(), json!(i.key));
            if !fields.is_empty() {
                body.insert("fields".into(), Value::Object(fields));
            }
            Value::Object(body)
        })
        .collect();
    let next = start_at.saturating_add(issues.len());
    let is_last = next >= found.len() || max_results == 0;
    let mut page = Map::new();
    page.insert("issues".into(), Value::Array(issues));
    if !is_last {
        page.insert("nextPageToken".into(), json!(next.to_string()));
    }
    page.insert("isLast".into(), json!(is_last));
    Ok(json(StatusCode::OK, &Value::Object(page)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_supported_jql_parses_and_the_rest_is_refused() {
        let q = parse("project = \"CONF\" AND key in (CONF-1, CONF-2) ORDER BY key DESC")
            .expect("supported");
        assert_eq!(q.clauses.len(), 2);
        assert_eq!(q.order, ("key".to_string(), false));
        assert!(parse("").is_ok_and(|q| q.clauses.is_empty()));
        assert!(parse("assignee = currentUser()").is_err());
        assert!(parse("project ~ CONF").is_err());
        assert!(parse("project = CONF ORDER BY priority").is_err());
    }
}
