//! Pagination: a read documented to answer a page (`startAt`, `maxResults`, `total`, `isLast`,
//! `values`) asked for one item, then for the second, answers pages that agree with the request
//! and with themselves.

use serde_json::Value;

use crate::case::{BodyCheck, Case, Expectation, Family, Provenance, StatusExpectation};
use crate::generate::context::Place;
use crate::generate::context::{CaseBuilder, Ctx};
use crate::generate::happy::happy;
use crate::spec::ParamLocation;

/// Follows `$ref`s inside the document (a few levels: component aliases).
fn resolve<'a>(document: &'a Value, mut schema: &'a Value) -> &'a Value {
    for _ in 0..8 {
        match schema
            .get("$ref")
            .and_then(Value::as_str)
            .and_then(|r| r.strip_prefix('#'))
        {
            Some(pointer) => match document.pointer(pointer) {
                Some(target) => schema = target,
                None => break,
            },
            None => break,
        }
    }
    schema
}

/// The pointer of the paged success schema, when the operation answers a page.
fn paged_schema(ctx: &Ctx<'_>, index: usize, status: u16) -> Option<String> {
    let op = ctx.op(index);
    let response = op.responses.iter().find(|r| r.code() == Some(status))?;
    let (_, schema) = response.content.iter().find(|(t, _)| t.contains("json"))?;
    let resolved = resolve(&ctx.spec.document, schema);
    let props = resolved.get("properties")?;
    let paged = ["values", "startAt", "maxResults"]
        .iter()
        .all(|k| props.get(k).is_some());
    paged.then(|| {
        schema
            .get("$ref")
            .and_then(Value::as_str)
            .and_then(|r| r.strip_prefix('#'))
            .map_or_else(|| format!("{}/content", response.pointer), str::to_string)
    })
}

/// `paging_contract_first` and `paging_contract_second` for a paged read the happy path reaches.
pub fn pages(ctx: &Ctx<'_>, resource: &str, index: usize, out: &mut Vec<Case>) {
    let op = ctx.op(index);
    if op.method != "GET"
        || op.parameter(ParamLocation::Query, "startAt").is_none()
        || op.parameter(ParamLocation::Query, "maxResults").is_none()
    {
        return;
    }
    let Some(h) = happy(ctx, index, Place::Plain, "paging") else {
        return;
    };
    let Some(pointer) = paged_schema(ctx, index, h.status) else {
        return;
    };
    for (name, start_at, what) in [
        ("paging_contract_first", 0, "the first page of one item"),
        ("paging_contract_second", 1, "the second page of one item"),
    ] {
        let mut request = h.request.clone();
        request
            .query
            .retain(|(n, _)| n != "startAt" && n != "maxResults");
        request.query.push(("startAt".into(), start_at.to_string()));
        request.query.push(("maxResults".into(), "1".into()));
        let expect = Expectation {
            status: StatusExpectation::Exact(h.status),
            body: vec![
                BodyCheck::Page {
                    start_at,
                    max_results: 1,
                },
                BodyCheck::PageLinks {
                    start_at,
                    max_results: 1,
                },
            ],
            allow: None,
            provenance: Provenance::Spec {
                file: ctx.spec.source.clone(),
                pointer: pointer.clone(),
                text: format!(
                    "{} answers a page (startAt, maxResults, total, isLast, values): it starts where asked, holds at most maxResults items, and isLast and total agree with them; its self and nextPage links agree with startAt and maxResults",
                    op.operation_id
                ),
            },
        };
        let mut b = CaseBuilder::new(
            ctx,
            resource,
            op,
            Family::Parameters,
            name,
            format!(
                "{} {} with startAt={start_at}&maxResults=1 answers {what}",
                op.method,
                ctx.shown_path(index)
            ),
        )
        .check(
            format!("{} as {}", op.method, request.actor),
            request,
            Some(ctx.op_ref(index)),
            expect,
        );
        if let Some(reason) = h.skip {
            b = b.skip(reason);
        }
        out.push(b.build());
    }
}
