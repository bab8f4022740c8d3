//! Schema: responses the documentation describes with a schema, provoked on purpose so every
//! documented body (success and error) is validated, with its content type and status set.

use crate::case::{Actor, Case, Family};
use crate::generate::context::Place;
use crate::generate::context::{CaseBuilder, Ctx, Subject};
use crate::generate::entity_property::{EntityPropertyGroup, Owner};
use crate::generate::happy::happy;

fn has_schema(ctx: &Ctx<'_>, index: usize, status: u16) -> bool {
    ctx.op(index)
        .response_for(status)
        .is_some_and(|r| !r.content.is_empty())
}

/// The success body and the 401 error body of an operation.
pub fn documented_bodies(
    ctx: &Ctx<'_>,
    resource: &str,
    index: usize,
    place: Place<'_>,
    out: &mut Vec<Case>,
) {
    let op = ctx.op(index);
    let Some(h) = happy(ctx, index, place, "schema") else {
        return;
    };
    if has_schema(ctx, index, h.status) {
        if let Some(expect) = ctx.expect_documented(index, h.status) {
            let mut b = CaseBuilder::new(
                ctx,
                resource,
                op,
                Family::Schema,
                &format!("body_{}", h.status),
                format!(
                    "the {} body matches its documented schema and content type",
                    h.status
                ),
            );
            for s in &h.setup {
                b = b.step(s.clone());
            }
            b = b.check(
                format!("{} as {}", op.method, h.request.actor),
                h.request.clone(),
                Some(ctx.op_ref(index)),
                expect,
            );
            for c in &h.cleanup {
                b = b.cleanup(c.clone());
            }
            if let Some(reason) = h.skip {
                b = b.skip(reason);
            }
            out.push(b.build());
        }
    }
    if has_schema(ctx, index, 401) && !ctx.rules(index).anonymous_by_security {
        if let Some(expect) = ctx.expect_documented(index, 401) {
            let mut request = h.request.clone();
            request.actor = Actor::InvalidCredentials;
            // A write the run cannot undo is listed, not sent: a target that wrongly accepted
            // it would change the site.
            let skip = (!crate::generate::scratch::acts_on_scratch(ctx, &request, &h.cleanup))
                .then_some(crate::generate::scratch::NO_SCRATCH);
            let mut b = CaseBuilder::new(
                ctx,
                resource,
                op,
                Family::Schema,
                "body_401",
                "the 401 error body matches the documented error schema",
            )
            .check(
                format!("{} with invalid credentials", op.method),
                request,
                Some(ctx.op_ref(index)),
                expect,
            );
            for c in &h.cleanup {
                b = b.cleanup(c.clone());
            }
            out.push(b.skip_if(skip).build());
        }
    }
}

/// Error bodies only an entity-property group can provoke: 400 (no accountId) and 404 (no such
/// user), for each operation documenting them with a schema.
pub fn property_errors(ctx: &Ctx<'_>, group: &EntityPropertyGroup, out: &mut Vec<Case>) {
    if group.owner != Owner::AccountIdQuery {
        return;
    }
    let Some(admin) = ctx.roles.admin else { return };
    for index in group.operations() {
        let op = ctx.op(index);
        let (key, body) = ctx.property_target(group, index, "schema-error");
        for (status, subject, what) in [
            (400, Subject::Missing, "no accountId"),
            (404, Subject::Unknown, "an unknown user"),
        ] {
            if !has_schema(ctx, index, status) {
                continue;
            }
            let Some(expect) = ctx.expect_documented(index, status) else {
                continue;
            };
            let req = ctx.property_request(
                group,
                &op.method,
                key.as_deref(),
                &subject,
                Actor::Principal(admin.name.clone()),
                body.clone(),
            );
            let mut b = CaseBuilder::new(
                ctx,
                &group.resource,
                op,
                Family::Schema,
                &format!("body_{status}"),
                format!("the {status} error body ({what}) matches the documented error schema"),
            )
            .check(
                format!("{} as {} with {what}", op.method, admin.name),
                req,
                Some(ctx.op_ref(index)),
                expect,
            );
            // A target that wrongly accepts the write keeps the key: on the caller's own record
            // (no accountId) or on the unknown user's.
            match (&key, &subject) {
                (Some(k), Subject::Missing) => {
                    b = b.cleanup(ctx.cleanup_delete(group, k, &Subject::Of(admin), admin));
                }
                (Some(k), Subject::Unknown) if !crate::generate::scratch::reads(&op.method) => {
                    b = b.cleanup(ctx.cleanup_delete(group, k, &subject, admin));
                }
                _ => {}
            }
            out.push(b.build());
        }
    }
}

/// The schema cases of an entity-property group: each operation's documented bodies, and the
/// documented error bodies of a user-property group provoked on purpose.
pub fn group(ctx: &Ctx<'_>, group: &EntityPropertyGroup, out: &mut Vec<Case>) {
    for index in group.operations() {
        documented_bodies(ctx, &group.resource, index, Place::Property(group), out);
    }
    property_errors(ctx, group, out);
}

/// The schema cases of a plain operation: its documented bodies.
pub fn operation(ctx: &Ctx<'_>, resource: &str, index: usize, out: &mut Vec<Case>) {
    documented_bodies(ctx, resource, index, Place::Plain, out);
}
