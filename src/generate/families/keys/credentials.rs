//! Credentials for every operation: an invalid credential is refused with 401 by every secured
//! operation, and a missing one by every operation that does not allow anonymous access. Where
//! no happy path exists (the world cannot fill the path), the request names placeholder ids:
//! authentication is decided before the path is resolved.

use serde_json::json;

use crate::case::encode_segment;
use crate::case::{Actor, Body, Case, Family, Request, Step};
use crate::generate::context::{run_key, CaseBuilder, Ctx};
use crate::generate::context::{Happy, Place};
use crate::generate::happy::happy;
use crate::generate::scratch;

/// The id a placeholder request names where the world has no entity for a path parameter.
const PLACEHOLDER_ID: &str = "10000";

/// The operation's request with every path parameter filled (from the world where it can,
/// else a placeholder id), no query, a JSON object body for methods that carry one.
fn placeholder_request(ctx: &Ctx<'_>, index: usize, actor: Actor) -> Request {
    let op = ctx.op(index);
    let mut path = op
        .api_relative_path()
        .map_or_else(|| op.path.clone(), |rel| ctx.api_path(rel));
    if let Ok(filled) = crate::generate::world::fill(ctx.fixtures, op, &ctx.actor) {
        for (name, value) in &filled.path {
            path = path.replace(&format!("{{{name}}}"), &encode_segment(value));
        }
    }
    // A property key of the run's own: a target that wrongly accepts the write touches only a
    // property the run made (and its cleanup removes), never one of the site.
    path = path.replace("{propertyKey}", &encode_segment(&run_key("credentials")));
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

/// The cleanup of a placeholder PUT of a run-prefixed property: the administrator deletes it
/// (a target that wrongly accepted the PUT stored it on whatever entity the placeholder names).
fn run_property_undo(ctx: &Ctx<'_>, placeholder: &Request) -> Option<Request> {
    let admin = ctx.roles.admin?;
    (placeholder.method == "PUT" && placeholder.path.contains(crate::case::RUN_TOKEN)).then(|| {
        Request {
            method: "DELETE".into(),
            path: placeholder.path.clone(),
            query: Vec::new(),
            actor: Actor::Principal(admin.name.clone()),
            body: Body::None,
        }
    })
}

/// What a credential case sends: the happy path's setup (so what the request names exists and
/// the credentials are the only reason to refuse it), the request, the cleanup that undoes it
/// if a target wrongly accepts it, and why the case is skipped.
struct Attempt {
    setup: Vec<Step>,
    request: Request,
    cleanup: Vec<Request>,
    skip: Option<&'static str>,
}

/// The attempt of a credential case as `actor`: the happy path where there is one, else a
/// write on a scratch entity of the world, else the placeholder request. A write that acts on
/// nothing the run made is kept in the listing but skipped ([`scratch::NO_SCRATCH`]).
fn attempt(ctx: &Ctx<'_>, index: usize, h: Option<&Happy>, actor: Actor) -> Attempt {
    let scratch_write = || scratch::write(ctx, index);
    let (setup, mut request, cleanup) = match (h, scratch_write()) {
        (Some(h), _) if scratch::acts_on_scratch(ctx, &h.request, &h.cleanup) => {
            (h.setup.clone(), h.request.clone(), h.cleanup.clone())
        }
        (_, Some((r, c))) => (Vec::new(), r, c),
        (Some(h), None) => (h.setup.clone(), h.request.clone(), h.cleanup.clone()),
        (None, None) => {
            let r = placeholder_request(ctx, index, actor.clone());
            let undo = run_property_undo(ctx, &r).into_iter().collect();
            (Vec::new(), r, undo)
        }
    };
    request.actor = actor;
    let skip = (!scratch::acts_on_scratch(ctx, &request, &cleanup)).then_some(scratch::NO_SCRATCH);
    Attempt {
        setup,
        request,
        cleanup,
        skip,
    }
}

/// The credential cases of an operation that documents 401: `invalid_credentials` for every
/// secured operation, and `no_credentials` unless anonymous access is allowed (by the security
/// list or the prose). Both start from the happy path where there is one, else from a scratch
/// entity or placeholder ids (secured operations only); on a write, only where the request acts
/// on something the run made (else the case is skipped, with the reason).
pub fn every_operation(
    ctx: &Ctx<'_>,
    resource: &str,
    index: usize,
    place: Place<'_>,
    out: &mut Vec<Case>,
) {
    let op = ctx.op(index);
    let secured = !op.security.is_empty();
    let Some(mut expect) = ctx.expect_documented(index, 401) else {
        if secured {
            ctx.gap(
                index,
                Some(Family::Keys),
                "401 is not documented for this operation: no credential case states an undocumented rule",
            );
        }
        return;
    };
    expect
        .body
        .extend(crate::generate::standards::challenge(ctx));
    let shown = ctx.shown_path(index);
    if secured {
        let h = happy(ctx, index, place, "badcreds");
        let a = attempt(ctx, index, h.as_deref(), Actor::InvalidCredentials);
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
        );
        for s in a.setup {
            b = b.step(s);
        }
        b = b.check(
            format!("{} with invalid credentials", op.method),
            a.request,
            Some(ctx.op_ref(index)),
            expect.clone(),
        );
        // A target that wrongly accepts the request may have stored something: remove it.
        for c in a.cleanup {
            b = b.cleanup(c);
        }
        out.push(b.skip_if(a.skip).build());
    }

    // Anonymous access allowed by the security list or by the prose ("can be accessed
    // anonymously"): a request without credentials is not refused for that reason.
    if ctx.rules(index).anonymous() {
        return;
    }
    let h = happy(ctx, index, place, "nocreds");
    let placeholder = h.is_none() && scratch::write(ctx, index).is_none();
    if placeholder && !secured {
        return;
    }
    let a = attempt(ctx, index, h.as_deref(), Actor::Anonymous);
    let summary = if placeholder {
        format!(
            "{} {shown} without credentials is refused with 401 (placeholder ids: authentication comes first)",
            op.method
        )
    } else {
        format!(
            "{} {shown} without credentials is refused with 401",
            op.method
        )
    };
    let mut b = CaseBuilder::new(ctx, resource, op, Family::Keys, "no_credentials", summary);
    for s in a.setup {
        b = b.step(s);
    }
    b = b.check(
        format!("{} with no credentials", op.method),
        a.request,
        Some(ctx.op_ref(index)),
        expect,
    );
    for c in a.cleanup {
        b = b.cleanup(c);
    }
    // The fixtures lacking the acting principal, then the write having no scratch entity.
    let why = h.as_ref().and_then(|h| h.skip).or(a.skip);
    out.push(b.skip_if(why).build());
}
