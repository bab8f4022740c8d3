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

/// The credential cases of an operation that documents 401: `invalid_credentials` for every
/// secured operation, and `no_credentials` unless anonymous access is allowed (by the security
/// list or the prose). Both start from the happy path where there is one, else from placeholder
/// ids (secured operations only).
pub fn every_operation(
    ctx: &Ctx<'_>,
    resource: &str,
    index: usize,
    place: Place<'_>,
    out: &mut Vec<Case>,
) {
    let op = ctx.op(index);
    let secured = !op.security.is_empty();
    let Some(expect) = ctx.expect_documented(index, 401) else {
        if secured {
            ctx.gap(
                index,
                Some(Family::Keys),
                "401 is not documented for this operation: no credential case states an undocumented rule",
            );
        }
        return;
    };
    let shown = ctx.shown_path(index);
    if secured {
        let h = happy(ctx, index, place, "badcreds");
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
    }

    // Anonymous access allowed by the security list or by the prose ("can be accessed
    // anonymously"): a request without credentials is not refused for that reason.
    if op.allows_anonymous || ctx.permissions(index).anonymous.is_some() {
        return;
    }
    let (request, cleanup, skip, summary) = match happy(ctx, index, place, "nocreds") {
        Some(h) => {
            let mut r = h.request.clone();
            r.actor = Actor::Anonymous;
            (
                r,
                h.cleanup.clone(),
                h.skip,
                format!("{} {shown} without credentials is refused with 401", op.method),
            )
        }
        None if secured => (
            placeholder_request(ctx, index, Actor::Anonymous),
            Vec::new(),
            None,
            format!(
                "{} {shown} without credentials is refused with 401 (placeholder ids: authentication comes first)",
                op.method
            ),
        ),
        None => return,
    };
    let mut b = CaseBuilder::new(ctx, resource, op, Family::Keys, "no_credentials", summary).check(
        format!("{} with no credentials", op.method),
        request,
        Some(ctx.op_ref(index)),
        expect,
    );
    for c in cleanup {
        b = b.cleanup(c);
    }
    if let Some(reason) = skip {
        b = b.skip(reason);
    }
    out.push(b.build());
}
