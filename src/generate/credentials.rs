//! Credentials for every operation: an invalid credential is refused with 401 by every secured
//! operation, and a missing one by every operation that does not allow anonymous access. Where
//! no happy path exists (the world cannot fill the path), the request names placeholder ids:
//! authentication is decided before the path is resolved.

use serde_json::json;

use super::context::{encode_segment, CaseBuilder, Ctx};
use super::happy::{happy, Place};
use crate::case::{Actor, Body, Case, Family, Request};

/// The id a placeholder request names where the world has no entity for a path parameter.
const PLACEHOLDER_ID: &str = "10000";

/// The operation's request with every path parameter filled (from the world where it can,
/// else a placeholder id), no query, a JSON object body for methods that carry one.
fn placeholder_request(ctx: &Ctx<'_>, index: usize, actor: Actor) -> Request {
    let op = ctx.op(index);
    let mut path = op
        .api_relative_path()
        .map_or_else(|| op.path.clone(), |rel| ctx.api_path(rel));
    if let Ok(filled) = super::fill::fill(ctx.fixtures, op, &ctx.actor) {
        for (name, value) in &filled.path {
            path = path.replace(&format!("{{{name}}}"), &encode_segment(value));
        }
    }
    while let (Some(open), Some(close)) = (path.find('{'), path.find('}')) {
        if close < open {
            break;
        }
        path.replace_range(open..=close, PLACEHOLDER_ID);
    }
    let body = if op.request_body.is_some() {
        Body::Json(json!({}))
    } else {
        Body::None
    };
    Request {
        method: op.method.clone(),
        path,
        query: Vec::new(),
        actor,
        body,
    }
}

/// `invalid_credentials` for every secured operation, and `no_credentials` for those the happy
/// path could not reach (the keys family covers the others).
pub fn every_operation(
    ctx: &Ctx<'_>,
    resource: &str,
    index: usize,
    place: Place<'_>,
    out: &mut Vec<Case>,
) {
    let op = ctx.op(index);
    if op.security.is_empty() {
        return;
    }
    let Some(expect) = ctx.expect_documented(index, 401) else {
        ctx.gap(
            index,
            Some(Family::Keys),
            "401 is not documented for this operation: no credential case states an undocumented rule",
        );
        return;
    };
    let h = happy(ctx, index, place, "badcreds");
    let shown = ctx.shown_path(index);
    let (request, cleanup) = match &h {
        Some(h) => {
            let mut r = h.request.clone();
            r.actor = Actor::InvalidCredentials;
            (r, h.cleanup.clone())
        }
        None => (
            placeholder_request(ctx, index, Actor::InvalidCredentials),
            Vec::new(),
        ),
    };
    let mut b = CaseBuilder::new(
        ctx,
        resource,
        op,
        Family::Keys,
        "invalid_credentials",
        format!(
            "{} {shown} with credentials the target cannot accept is refused with 401",
            op.method
        ),
    )
    .check(
        format!("{} with invalid credentials", op.method),
        request,
        Some(ctx.op_ref(index)),
        expect.clone(),
    );
    // A target that wrongly accepts the request may have stored something: remove it.
    for c in cleanup {
        b = b.cleanup(c);
    }
    out.push(b.build());

    // Anonymous access allowed by the security list or by the prose ("can be accessed
    // anonymously"): a request without credentials is not refused for that reason.
    if h.is_some() || op.allows_anonymous || ctx.permissions(index).anonymous.is_some() {
        return;
    }
    let b = CaseBuilder::new(
        ctx,
        resource,
        op,
        Family::Keys,
        "no_credentials",
        format!(
            "{} {shown} without credentials is refused with 401 (placeholder ids: authentication comes first)",
            op.method
        ),
    )
    .check(
        format!("{} with no credentials", op.method),
        placeholder_request(ctx, index, Actor::Anonymous),
        Some(ctx.op_ref(index)),
        expect,
    );
    out.push(b.build());
}
