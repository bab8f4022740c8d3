//! Conformance cases: what to send, as whom, and what the documentation says must come back.

use std::fmt;

use serde::{Deserialize, Serialize};
use serde_json::Value;

mod template;

pub use crate::spec::{Api, Provenance};
pub use template::{
    encode_segment, referenced_steps, step_ref, substitute, substitute_value, INVALID_TOKEN,
    RUN_ID_LEN, RUN_TOKEN, SWEEP_ID,
};

/// The resource part of a case id: a spec tag in snake case (`User properties` →
/// `user_properties`). Generate names cases with it and validate files recorded traffic under it.
pub fn snake(tag: &str) -> String {
    let mut out = String::new();
    for c in tag.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if !out.ends_with('_') && !out.is_empty() {
            out.push('_');
        }
    }
    out.trim_end_matches('_').to_string()
}

/// The family a case belongs to; the name appears in case ids, reports and filters.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Family {
    /// Documented methods work, undocumented ones are refused.
    Methods,
    /// Documented query parameters behave: field selection, expansion, paging, ordering.
    Parameters,
    /// Size and shape limits, at the edge and one past.
    Limits,
    /// Who may act on whose data.
    Permissions,
    /// Key vs no key: path key, `accountId`, credentials present or absent.
    Keys,
    /// Responses match their documented schema, content type and status set.
    Schema,
    /// State behaves: create, update, read back, list, delete.
    Roundtrip,
    /// Behaviour the documentation does not decide: snapshot only.
    Observations,
}

impl Family {
    /// Every family, in report order.
    pub const ALL: [Family; 8] = [
        Family::Methods,
        Family::Limits,
        Family::Permissions,
        Family::Keys,
        Family::Schema,
        Family::Roundtrip,
        Family::Parameters,
        Family::Observations,
    ];

    /// The lower-case name used in ids and on the command line.
    pub fn name(self) -> &'static str {
        match self {
            Family::Methods => "methods",
            Family::Limits => "limits",
            Family::Permissions => "permissions",
            Family::Keys => "keys",
            Family::Schema => "schema",
            Family::Roundtrip => "roundtrip",
            Family::Observations => "observations",
            Family::Parameters => "parameters",
        }
    }

    /// Parses a family name as written by [`Family::name`].
    pub fn parse(name: &str) -> Option<Family> {
        Family::ALL.into_iter().find(|f| f.name() == name)
    }
}

impl fmt::Display for Family {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// A body to send.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", content = "value", rename_all = "lowercase")]
pub enum Body {
    /// No body at all.
    None,
    /// A JSON value, serialised compactly.
    Json(Value),
    /// Exact bytes with a content type: malformed JSON, or a value whose size must be exact.
    Raw {
        /// The `Content-Type` header to send.
        content_type: String,
        /// The bytes, as UTF-8 text.
        text: String,
    },
}

impl Body {
    /// The bytes that go on the wire (before the run id is substituted; same length after).
    pub fn wire_len(&self) -> usize {
        match self {
            Body::None => 0,
            Body::Json(v) => v.to_string().len(),
            Body::Raw { text, .. } => text.len(),
        }
    }
}

/// Who sends a request: a fixtures principal by name, or one of the built-ins.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Actor {
    /// A principal of the fixtures, by name.
    Principal(String),
    /// No credentials at all.
    Anonymous,
    /// Credentials the target cannot accept.
    InvalidCredentials,
}

impl fmt::Display for Actor {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Actor::Principal(name) => f.write_str(name),
            Actor::Anonymous => f.write_str("anonymous"),
            Actor::InvalidCredentials => f.write_str("invalid-credentials"),
        }
    }
}

/// One HTTP request of a case, with the path already filled (the run token aside).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Request {
    /// Upper-case HTTP method.
    pub method: String,
    /// Path from the host root, e.g. `/rest/api/3/user/properties/jcRUNTOK.k`.
    pub path: String,
    /// Query parameters, in order, unencoded.
    pub query: Vec<(String, String)>,
    /// Who sends it.
    pub actor: Actor,
    /// What it carries.
    pub body: Body,
}

/// The status a step must answer with.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", content = "value", rename_all = "snake_case")]
pub enum StatusExpectation {
    /// Exactly this status.
    Exact(u16),
    /// Any of these statuses.
    OneOf(Vec<u16>),
    /// Any 2xx status.
    Success,
    /// Not decided by the documentation: recorded in the snapshot only.
    Observe,
}

impl StatusExpectation {
    /// Whether `status` meets the expectation.
    pub fn admits(&self, status: u16) -> bool {
        match self {
            StatusExpectation::Exact(s) => *s == status,
            StatusExpectation::OneOf(list) => list.contains(&status),
            StatusExpectation::Success => (200..300).contains(&status),
            StatusExpectation::Observe => true,
        }
    }
}

impl fmt::Display for StatusExpectation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            StatusExpectation::Exact(s) => write!(f, "{s}"),
            StatusExpectation::OneOf(list) => {
                let parts: Vec<String> = list.iter().map(u16::to_string).collect();
                write!(f, "one of {}", parts.join(", "))
            }
            StatusExpectation::Success => f.write_str("2xx"),
            StatusExpectation::Observe => f.write_str("(observed)"),
        }
    }
}

/// A check on the body of a response.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum BodyCheck {
    /// The value at `pointer` equals `value` (the run token substituted in both).
    Equals {
        /// JSON pointer into the response body.
        pointer: String,
        /// The expected value.
        value: Value,
    },
    /// The key listing (`/keys/*/key`) contains `key`.
    ListsKey {
        /// The property key.
        key: String,
    },
    /// The key listing does not contain `key`.
    OmitsKey {
        /// The property key.
        key: String,
    },
    /// Something is at `pointer` (a field selected, an expansion made).
    Present {
        /// JSON pointer into the response body.
        pointer: String,
    },
    /// Nothing is at `pointer` (a field excluded, a restricted item hidden).
    Absent {
        /// JSON pointer into the response body.
        pointer: String,
    },
    /// A page of a paged listing (`startAt`, `maxResults`, `total`, `isLast`, `values`) agrees
    /// with itself and with the request: it starts where asked, holds at most `max_results`
    /// items, and `isLast` and `total` agree with the items it holds.
    Page {
        /// The `startAt` sent.
        start_at: u64,
        /// The `maxResults` sent.
        max_results: u64,
    },
    /// The array at `pointer` lists exactly these values of `field`, in this order (paging,
    /// ordering, filtering by visibility).
    Lists {
        /// JSON pointer to the array.
        pointer: String,
        /// The member of each element compared, e.g. `id`.
        field: String,
        /// The expected values, in order.
        values: Vec<Value>,
    },
    /// The response carries the header `name` (any value): a standard expectation, judged
    /// with its own provenance (the RFC section), whatever the body is.
    Header {
        /// The header's name, as written in the standard (`WWW-Authenticate`).
        name: String,
        /// Where the rule comes from (an RFC section, for a standard expectation).
        provenance: Provenance,
    },
    /// A page's links agree with the request and with the page: `self` names the `startAt`
    /// and `maxResults` sent; `nextPage`, present exactly when the page is not the last,
    /// starts `maxResults` further on.
    PageLinks {
        /// The `startAt` sent.
        start_at: u64,
        /// The `maxResults` sent.
        max_results: u64,
    },
    /// An expansion was made: the value at `pointer` is present and differs from the value at
    /// the same pointer in the answer to step `step` (the same read without the expansion).
    Expanded {
        /// The step that read without the expansion.
        step: usize,
        /// JSON pointer of the expanded member.
        pointer: String,
    },
    /// In a key listing, the entry of `key` has a `self` link naming the property's own URL:
    /// this path (run token substituted) and exactly these query parameters.
    KeySelf {
        /// The property key.
        key: String,
        /// The property's path, as a GET of it is sent.
        path: String,
        /// The property's query parameters (`accountId`), unencoded.
        query: Vec<(String, String)>,
    },
}

/// What a step's response must satisfy.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Expectation {
    /// The status.
    pub status: StatusExpectation,
    /// Checks on the body.
    pub body: Vec<BodyCheck>,
    /// An `Allow` header must list exactly these methods (405 responses, RFC 9110).
    pub allow: Option<Vec<String>>,
    /// Where the expectation comes from.
    pub provenance: Provenance,
}

/// The documented operation a request exercises, for schema and status-set checks.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct OperationRef {
    /// The operation's id in the spec.
    pub operation_id: String,
    /// Index of the operation in [`crate::spec::Spec::operations`].
    pub index: usize,
}

/// One request of a case and what must come back.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Step {
    /// Why this step is here (shown in failures).
    pub label: String,
    /// Setup steps prepare state; a setup failure fails the case as "could not set up".
    pub setup: bool,
    /// The request.
    pub request: Request,
    /// The documented operation it exercises, if any (undocumented methods have none).
    pub operation: Option<OperationRef>,
    /// What the response must satisfy.
    pub expect: Expectation,
}

/// A conformance case: a stable id, steps, and what to clean up afterwards.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Case {
    /// Stable id, e.g. `v3::user_properties::setUserProperty::limits::value_32769_bytes`.
    pub id: String,
    /// API version.
    pub api: Api,
    /// Resource (the spec tag in snake case), e.g. `user_properties`.
    pub resource: String,
    /// The operation the case is about.
    pub operation_id: String,
    /// The family.
    pub family: Family,
    /// One line saying what the case shows.
    pub summary: String,
    /// The requests, in order.
    pub steps: Vec<Step>,
    /// Requests sent after the steps whatever happened (deleting what the case created).
    pub cleanup: Vec<Request>,
    /// How to find what the case created by its run-prefixed name when a cleanup request
    /// cannot be filled in (the answer naming the new id was lost).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub sweeps: Vec<Sweep>,
    /// Whether any step writes to the target.
    pub writes: bool,
    /// Why the case cannot run with these fixtures, if it cannot.
    pub skip: Option<String>,
}

impl Case {
    /// The expectation of the case's main (last non-setup) step, for listings.
    pub fn headline(&self) -> Option<&Step> {
        self.steps.iter().rev().find(|s| !s.setup)
    }
}

/// How to find and remove what a case created when the answer to its create was lost (a
/// timeout, a reset): list the entities, keep those whose name (trimmed) starts with the case's
/// run id, and delete each by its id. Created names always start with the run id, so a sweep
/// only ever removes what its own case made.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Sweep {
    /// The request listing the entities (a GET; the run token may appear and is substituted).
    pub list: Request,
    /// JSON pointer of the array of entities in the listing's body (`""`: the body is the
    /// array).
    pub items: String,
    /// JSON pointer of an entity's name, within the entity.
    pub name: String,
    /// JSON pointer of an entity's id, within the entity.
    pub id: String,
    /// The request deleting one entity; [`SWEEP_ID`] in its path stands for the id found.
    pub delete: Request,
}
