//! Required parameters: the happy request with one required query parameter left out, or its
//! required body left out, is refused with 400.

use crate::case::{Body, Case, Expectation, Family, Provenance, Request, StatusExpectation};
use crate::generate::context::Place;
use crate::generate::context::{CaseBuilder, Ctx};
use crate::generate::happy::happy;
use crate::spec::ParamLocation;

/// 400, with the words of the operation's documented 400 when it has one.
fn expect_400(ctx: &Ctx<'_>, index: usize, pointer: String, rule: String) -> Expectation {
    let documented = ctx
        .op(index)
        .response_for(400)
        .filter(|r| r.code() == Some(400))
        .map(|r| {
            format!(
                "; {} documents 400: {}",
                ctx.op(index).operation_id,
                r.description.trim()
            )
        })
        .unwrap_or_default();
    Expectation {
        status: StatusExpectation::Exact(400),
        body: Vec::new(),
        allow: None,
        provenance: Provenance::Spec {
            file: ctx.spec.source.clone(),
            pointer,
            text: format!("{rule}{documented}"),
        },
    }
}

/// `without_<param>` for each required query parameter and `without_body` for a required body.
pub fn omitted(ctx: &Ctx<'_>, resource: &str, index: usize, out: &mut Vec<Case>) {
    let op = ctx.op(index);
    let Some(h) = happy(ctx, index, Place::Plain, "required") else {
        return;
    };
    let mut variants: Vec<(String, String, Request, Expectation)> = Vec::new();
    for param in op
        .parameters
        .iter()
        .filter(|p| p.required && p.location == ParamLocation::Query)
    {
        let mut request = h.request.clone();
        request.query.retain(|(name, _)| name != &param.name);
        let rule = format!(
            "{}: the query parameter `{}` is required",
            op.operation_id, param.name
        );
        variants.push((
            format!(
                "without_{}",
                crate::generate::entity_property::ident(&param.name)
            ),
            format!("`{}`", param.name),
            request,
            expect_400(ctx, index, format!("{}/required", param.pointer), rule),
        ));
    }
    if let Some(body) = op.request_body.as_ref().filter(|b| b.required) {
        if !matches!(h.request.body, Body::None) {
            let mut request = h.request.clone();
            request.body = Body::None;
            let rule = format!("{}: the request body is required", op.operation_id);
            variants.push((
                "without_body".into(),
                "the body".into(),
                request,
                expect_400(ctx, index, format!("{}/required", body.pointer), rule),
            ));
        }
    }
    for (name, what, request, expect) in variants {
        let mut b = CaseBuilder::new(
            ctx,
            resource,
            op,
            Family::Keys,
            &name,
            format!(
                "{} {} without {what}, which is required, is refused with 400",
                op.method,
                ctx.shown_path(index)
            ),
        )
        .check(
            format!("{} as {} without {what}", op.method, request.actor),
            request,
            Some(ctx.op_ref(index)),
            expect,
        );
        // A target that accepts the request anyway may have created something.
        for c in &h.cleanup {
            b = b.cleanup(c.clone());
        }
        // A write the run cannot undo is listed, not sent: a target that wrongly accepted it
        // would change the site.
        let unsafe_write = !crate::generate::scratch::acts_on_scratch(ctx, &h.request, &h.cleanup);
        let why = h
            .skip
            .or(unsafe_write.then_some(crate::generate::scratch::NO_SCRATCH));
        out.push(b.skip_if(why).build());
    }
}
