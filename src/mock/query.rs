//! The query string as the handlers read it: name/value pairs in the order sent, repeats kept.

use axum::extract::rejection::QueryRejection;
use axum::extract::Query;

use super::error::JiraError;

/// The query string as name/value pairs, or why it could not be read.
pub(crate) type QueryPairs = Result<Query<Vec<(String, String)>>, QueryRejection>;

/// The pairs, or the 400 for a query string that cannot be read.
pub(crate) fn pairs(query: QueryPairs) -> Result<Vec<(String, String)>, JiraError> {
    match query {
        Ok(Query(pairs)) => Ok(pairs),
        Err(_) => Err(JiraError::bad_request("The query string is not valid.")),
    }
}

/// The values of `name` across its repeats, comma lists split, trimmed, empty items dropped.
pub(crate) fn list_values<'q>(pairs: &'q [(String, String)], name: &str) -> Vec<&'q str> {
    pairs
        .iter()
        .filter(|(n, _)| n == name)
        .flat_map(|(_, v)| v.split(','))
        .map(str::trim)
        .filter(|v| !v.is_empty())
        .collect()
}

/// A boolean parameter (absent: false); anything but `true`/`false` (in any case) is refused.
pub(crate) fn flag(pairs: &[(String, String)], name: &str) -> Result<bool, JiraError> {
    match pairs.iter().find(|(n, _)| n == name).map(|(_, v)| v) {
        None => Ok(false),
        Some(v) if v.eq_ignore_ascii_case("true") => Ok(true),
        Some(v) if v.eq_ignore_ascii_case("false") => Ok(false),
        Some(v) => Err(JiraError::bad_request(format!(
            "'{v}' is not a valid value. {name} must be true or false."
        ))),
    }
}

/// A count parameter: absent is `default`, anything but a non-negative integer is refused.
pub(crate) fn count(
    pairs: &[(String, String)],
    name: &str,
    default: usize,
) -> Result<usize, JiraError> {
    match pairs.iter().find(|(n, _)| n == name).map(|(_, v)| v.trim()) {
        None | Some("") => Ok(default),
        Some(v) => v
            .parse::<usize>()
            .map_err(|_| JiraError::bad_request(format!("'{v}' is not a valid value for {name}."))),
    }
}
