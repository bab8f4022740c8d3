//! Hand-built cases for tests that drive the runner against targets of their own: one step,
//! expected to answer 200.

use jira_conform::case::{
    Api, Case, Expectation, Family, Provenance, Request, StatusExpectation, Step,
};

/// A case `id` of one step sending `request`, expecting 200 because `why`.
pub fn one_step(id: String, resource: &str, request: Request, why: &str) -> Case {
    let line = format!("{} {}", request.method, request.path);
    Case {
        id,
        api: Api::V3,
        resource: resource.into(),
        operation_id: "scripted".into(),
        family: Family::Observations,
        summary: format!("{line} answers 200"),
        writes: !matches!(request.method.as_str(), "GET" | "HEAD" | "OPTIONS"),
        steps: vec![Step {
            label: line,
            setup: false,
            request,
            operation: None,
            expect: Expectation {
                status: StatusExpectation::Exact(200),
                body: Vec::new(),
                allow: None,
                provenance: Provenance::Standard {
                    reference: "test".into(),
                    text: why.into(),
                },
            },
        }],
        cleanup: Vec::new(),
        sweeps: Vec::new(),
        skip: None,
    }
}
