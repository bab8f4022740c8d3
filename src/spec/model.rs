//! The operation index: what the rest of the pipeline knows about a spec.

use std::collections::BTreeMap;

use serde_json::Value;

/// Where a parameter goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum ParamLocation {
    /// In the path template.
    Path,
    /// In the query string.
    Query,
    /// A request header.
    Header,
    /// A cookie.
    Cookie,
}

impl ParamLocation {
    /// The OpenAPI name of the location.
    pub fn name(self) -> &'static str {
        match self {
            ParamLocation::Path => "path",
            ParamLocation::Query => "query",
            ParamLocation::Header => "header",
            ParamLocation::Cookie => "cookie",
        }
    }
}

/// A parameter of an operation, `$ref`s resolved.
#[derive(Debug, Clone, PartialEq)]
pub struct Parameter {
    /// The name.
    pub name: String,
    /// Where it goes.
    pub location: ParamLocation,
    /// Whether the operation requires it.
    pub required: bool,
    /// Whether the spec marks it deprecated (or says it is no longer available).
    pub deprecated: bool,
    /// Its documentation.
    pub description: String,
    /// Its schema (OpenAPI 3.0 dialect, `$ref`s resolved at the top level only).
    pub schema: Value,
    /// JSON pointer of the parameter in the spec file.
    pub pointer: String,
}

impl Parameter {
    /// `maxLength` of a string parameter, when it is one the cases can test (at most
    /// [`MAX_TESTABLE_LIMIT`](super::prose::MAX_TESTABLE_LIMIT)).
    pub fn max_length(&self) -> Option<u64> {
        self.schema
            .get("maxLength")
            .and_then(Value::as_u64)
            .filter(|&n| n <= super::prose::MAX_TESTABLE_LIMIT as u64)
    }
}

/// The request body of an operation.
#[derive(Debug, Clone, PartialEq)]
pub struct RequestBody {
    /// Whether a body is required.
    pub required: bool,
    /// Its documentation.
    pub description: String,
    /// Media type → schema (OpenAPI dialect), in the spec's order.
    pub content: Vec<(String, Value)>,
    /// JSON pointer of the body in the spec file.
    pub pointer: String,
}

/// A documented response.
#[derive(Debug, Clone, PartialEq)]
pub struct Response {
    /// Status code as written (`200`, `4XX`, `default`).
    pub status: String,
    /// Its documentation.
    pub description: String,
    /// Media type → schema (OpenAPI dialect, `$ref`s kept), in the spec's order.
    pub content: Vec<(String, Value)>,
    /// JSON pointer of the response in the spec file.
    pub pointer: String,
}

impl Response {
    /// The numeric status, if the response is for one status.
    pub fn code(&self) -> Option<u16> {
        self.status.parse().ok()
    }
}

/// One documented operation (method + path).
#[derive(Debug, Clone, PartialEq)]
pub struct Operation {
    /// Upper-case method.
    pub method: String,
    /// The path as the spec writes it, e.g. `/rest/api/3/user/properties/{propertyKey}`.
    pub path: String,
    /// The operationId (or `METHOD path` when the spec gives none).
    pub operation_id: String,
    /// Tags, in order; the first names the resource.
    pub tags: Vec<String>,
    /// One-line summary.
    pub summary: String,
    /// The documentation prose.
    pub description: String,
    /// Whether the operation is deprecated.
    pub deprecated: bool,
    /// Parameters: path-level ones merged with the operation's.
    pub parameters: Vec<Parameter>,
    /// The request body, if one is documented.
    pub request_body: Option<RequestBody>,
    /// Responses in the spec's order.
    pub responses: Vec<Response>,
    /// Names of the security schemes that may authenticate it (empty: anonymous allowed).
    pub security: Vec<String>,
    /// Whether the spec allows anonymous access (an empty requirement `{}` among the options).
    pub allows_anonymous: bool,
    /// JSON pointer of the operation in the spec file.
    pub pointer: String,
}

impl Operation {
    /// The numeric statuses documented for this operation, ascending.
    pub fn statuses(&self) -> Vec<u16> {
        let mut s: Vec<u16> = self.responses.iter().filter_map(Response::code).collect();
        s.sort_unstable();
        s.dedup();
        s
    }

    /// The response documented for a status (exact code first, then `4XX`-style, then default).
    pub fn response_for(&self, status: u16) -> Option<&Response> {
        let exact = status.to_string();
        let class = format!("{}XX", status / 100);
        self.responses
            .iter()
            .find(|r| r.status == exact)
            .or_else(|| {
                self.responses
                    .iter()
                    .find(|r| r.status.eq_ignore_ascii_case(&class))
            })
            .or_else(|| self.responses.iter().find(|r| r.status == "default"))
    }

    /// Whether `status` is documented (exactly, by class, or by `default`).
    pub fn documents(&self, status: u16) -> bool {
        self.response_for(status).is_some()
    }

    /// A parameter by location and name.
    pub fn parameter(&self, location: ParamLocation, name: &str) -> Option<&Parameter> {
        self.parameters
            .iter()
            .find(|p| p.location == location && p.name == name)
    }

    /// The first tag, or `untagged`.
    pub fn tag(&self) -> &str {
        self.tags.first().map_or("untagged", String::as_str)
    }

    /// The path relative to the API version prefix (`/user/properties/{propertyKey}`) when the
    /// path is a platform path (`/rest/api/2|3/...`).
    pub fn api_relative_path(&self) -> Option<&str> {
        ["/rest/api/3", "/rest/api/2"]
            .iter()
            .find_map(|p| self.path.strip_prefix(p))
            .filter(|rest| rest.is_empty() || rest.starts_with('/'))
    }
}

/// A loaded spec: operations indexed, the raw document kept for schema references.
#[derive(Debug, Clone)]
pub struct Spec {
    /// The file it was read from (or the embedded name).
    pub source: String,
    /// `info.title`.
    pub title: String,
    /// `info.version`.
    pub version: String,
    /// Operations sorted by path, then method.
    pub operations: Vec<Operation>,
    /// The whole document, for `$ref` targets.
    pub document: Value,
    /// Documented methods per path, for "undocumented method" cases.
    pub methods_by_path: BTreeMap<String, Vec<String>>,
}

impl Spec {
    /// An operation by id.
    pub fn operation(&self, operation_id: &str) -> Option<(usize, &Operation)> {
        self.operations
            .iter()
            .enumerate()
            .find(|(_, op)| op.operation_id == operation_id)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_untestably_large_max_length_is_ignored() {
        // Found by fuzzing: the accountId limit cases allocate an id of maxLength characters.
        let param = |max: u64| Parameter {
            name: "accountId".into(),
            location: ParamLocation::Query,
            required: true,
            deprecated: false,
            description: String::new(),
            schema: serde_json::json!({"type": "string", "maxLength": max}),
            pointer: "/p".into(),
        };
        assert_eq!(param(128).max_length(), Some(128));
        assert_eq!(param(1 << 40).max_length(), None);
    }
}
