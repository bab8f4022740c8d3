//! Parameter variants: a query on a world operation's base request and what the answer must
//! show, each a parameters-family case where the operation documents the parameters.

use serde_json::Value;

use super::address::OneStep;
use crate::case::{BodyCheck, Case, Family, Request};
use crate::generate::context::Ctx;
use crate::spec::ParamLocation;

/// The member at `p` is present.
pub fn present(p: &str) -> BodyCheck {
    BodyCheck::Present { pointer: p.into() }
}

/// The member at `p` is absent.
pub fn absent(p: &str) -> BodyCheck {
    BodyCheck::Absent { pointer: p.into() }
}

/// The array at `pointer` lists these values of `field`, in order.
pub fn lists(pointer: &str, field: &str, values: Vec<Value>) -> BodyCheck {
    BodyCheck::Lists {
        pointer: pointer.into(),
        field: field.into(),
        values,
    }
}

/// The member at `pointer` equals `value`.
pub fn equals(pointer: &str, value: Value) -> BodyCheck {
    BodyCheck::Equals {
        pointer: pointer.into(),
        value,
    }
}

fn has_param(ctx: &Ctx<'_>, index: usize, name: &str) -> bool {
    ctx.op(index)
        .parameters
        .iter()
        .any(|p| p.name == name && p.location == ParamLocation::Query)
}

/// One parameter case: a query on the base request and what the answer must show.
pub struct Variant {
    name: &'static str,
    summary: String,
    query: Vec<(String, String)>,
    checks: Vec<BodyCheck>,
    rule: &'static str,
}

/// A variant named `name`: the base request with `query`, answered 200 with `checks`.
pub fn variant(
    name: &'static str,
    summary: impl Into<String>,
    query: &[(&str, &str)],
    checks: Vec<BodyCheck>,
    rule: &'static str,
) -> Variant {
    Variant {
        name,
        summary: summary.into(),
        query: query
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect(),
        checks,
        rule,
    }
}

/// The cases of `variants` on `base`, skipping those whose parameters the operation lacks.
pub fn emit(
    ctx: &Ctx<'_>,
    resource: &str,
    index: usize,
    base: &Request,
    variants: Vec<Variant>,
    out: &mut Vec<Case>,
) {
    for v in variants {
        if v.query.iter().any(|(k, _)| !has_param(ctx, index, k)) {
            continue;
        }
        let mut r = base.clone();
        r.query = v.query;
        out.extend(
            OneStep {
                family: Family::Parameters,
                name: v.name,
                summary: v.summary,
                request: r,
                status: 200,
                checks: v.checks,
                rule: v.rule,
                cleanup: Vec::new(),
            }
            .build(ctx, resource, index),
        );
    }
}
