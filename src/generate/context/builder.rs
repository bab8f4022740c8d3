//! Naming and building cases: the case builder, the run-unique property key, a bare
//! expectation.

use super::pass::Ctx;
use crate::case::{
    Api, Case, Expectation, Family, OperationRef, Provenance, Request, StatusExpectation, Step,
    RUN_TOKEN,
};
use crate::spec::Operation;

/// An expectation of `status` with no body checks, for the rule `provenance` states.
pub fn expect(status: StatusExpectation, provenance: Provenance) -> Expectation {
    Expectation {
        status,
        body: Vec::new(),
        allow: None,
        provenance,
    }
}

/// A property key unique to the case and run: the run token, then `suffix`.
pub fn run_key(suffix: &str) -> String {
    format!("{RUN_TOKEN}.{suffix}")
}

/// `api::resource::operationId::family::name`, built in one allocation (`format!` costs more,
/// and every case needs one).
fn case_id(api: Api, resource: &str, operation_id: &str, family: Family, name: &str) -> String {
    let parts = [api.label(), resource, operation_id, family.name(), name];
    let mut id = String::with_capacity(parts.iter().map(|p| p.len() + 2).sum());
    for (i, part) in parts.into_iter().enumerate() {
        if i > 0 {
            id.push_str("::");
        }
        id.push_str(part);
    }
    id
}

/// Builds a case and names it `api::resource::operationId::family::name`.
pub struct CaseBuilder {
    case: Case,
}

impl CaseBuilder {
    /// Starts a case.
    pub fn new(
        ctx: &Ctx<'_>,
        resource: &str,
        op: &Operation,
        family: Family,
        name: &str,
        summary: impl Into<String>,
    ) -> CaseBuilder {
        CaseBuilder {
            case: Case {
                id: case_id(ctx.api, resource, &op.operation_id, family, name),
                api: ctx.api,
                resource: resource.to_string(),
                operation_id: op.operation_id.clone(),
                family,
                summary: summary.into(),
                // Most cases have one step: room for exactly one (a first push would make room
                // for four, and a step is a few hundred bytes).
                steps: Vec::with_capacity(1),
                cleanup: Vec::new(),
                sweeps: Vec::new(),
                writes: false,
                skip: None,
            },
        }
    }

    /// Adds a step.
    pub fn step(mut self, step: Step) -> CaseBuilder {
        self.case.steps.push(step);
        self
    }

    /// Adds a step if there is one (an optional setup).
    pub fn step_opt(self, step: Option<Step>) -> CaseBuilder {
        match step {
            Some(s) => self.step(s),
            None => self,
        }
    }

    /// Adds a checked step.
    pub fn check(
        self,
        label: impl Into<String>,
        request: Request,
        operation: Option<OperationRef>,
        expect: Expectation,
    ) -> CaseBuilder {
        self.step(Step {
            label: label.into(),
            setup: false,
            request,
            operation,
            expect,
        })
    }

    /// Adds a cleanup request.
    pub fn cleanup(mut self, request: Request) -> CaseBuilder {
        self.case.cleanup.push(request);
        self
    }

    /// Marks the case as not runnable when the fixtures lack what it needs (`why` is `Some`).
    pub fn skip_if(self, why: Option<&str>) -> CaseBuilder {
        match why {
            Some(reason) => self.skip(reason),
            None => self,
        }
    }

    /// Marks the case as not runnable with these fixtures.
    pub fn skip(mut self, reason: &str) -> CaseBuilder {
        self.case.skip = Some(reason.to_string());
        self
    }

    /// The finished case.
    pub fn build(mut self) -> Case {
        self.case.writes = self
            .case
            .steps
            .iter()
            .any(|s| !matches!(s.request.method.as_str(), "GET" | "HEAD" | "OPTIONS"));
        // A full spec makes thousands of cases, all kept until the run ends: no spare room.
        self.case.steps.shrink_to_fit();
        self.case.cleanup.shrink_to_fit();
        self.case
    }
}
