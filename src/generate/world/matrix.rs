//! A cell of a world operation's permission matrix: one principal's request and the answer the
//! documented rule, applied to the fixtures' facts, gives it. Each resource fills its cells; the
//! permissions family turns them into cases.

use serde_json::{json, Value};

use crate::case::{BodyCheck, Request, StatusExpectation, Step};

/// One cell of the matrix.
pub struct Cell {
    /// The case's name.
    pub name: String,
    /// One line saying what it shows.
    pub summary: String,
    /// The checked request.
    pub request: Request,
    /// The expected status.
    pub status: StatusExpectation,
    /// Checks on the answer's body.
    pub checks: Vec<BodyCheck>,
    /// The documented rule, in our words.
    pub rule: String,
    /// Set-up requests, each with its label.
    pub setup: Vec<(String, Request)>,
    /// Cleanup requests.
    pub cleanup: Vec<Request>,
    /// Why the cell is listed but not run.
    pub skip: Option<&'static str>,
    /// Steps after the checked one: the read-back of a write.
    pub after: Vec<Step>,
}

/// A cell expecting exactly `status`, with nothing around its request.
pub fn cell(name: String, summary: String, request: Request, status: u16, rule: String) -> Cell {
    Cell {
        name,
        summary,
        request,
        status: StatusExpectation::Exact(status),
        checks: Vec::new(),
        rule,
        setup: Vec::new(),
        cleanup: Vec::new(),
        skip: None,
        after: Vec::new(),
    }
}

/// `yes` when allowed, else `no`.
pub fn yes_no(allowed: bool, yes: u16, no: u16) -> u16 {
    if allowed {
        yes
    } else {
        no
    }
}

/// Ids as Jira sends them: numbers where the fixtures' id is numeric.
pub fn id_value(id: &str) -> Value {
    id.parse::<u64>().map_or_else(|_| json!(id), |n| json!(n))
}
