//! The "happy path" of an operation: a request an allowed principal can make and the success
//! the documentation promises. Methods, schema and keys cases start from it.

use std::borrow::Cow;

use serde_json::json;

use super::context::{run_key, Ctx, Happy, Place, NEEDS_ADMIN};
use crate::case::encode_segment;
use crate::case::{Actor, Body, BodyCheck, Request};
use crate::spec::prose::Grant;

/// The happy path of the operation at `index`, if the generator knows how to fill it: a plain
/// operation's is built once per API version and lent to every family that asks.
pub fn happy<'c>(
    ctx: &'c Ctx<'_>,
    index: usize,
    place: Place<'_>,
    key_suffix: &str,
) -> Option<Cow<'c, Happy>> {
    let op = ctx.op(index);
    let status = ctx.create_status(index)?;
    let skip = ctx.actor_missing;
    let actor = &ctx.actor;
    match place {
        Place::Property(group) => {
            let who = Actor::Principal(actor.name.clone());
            let subject = super::world::own_subject(ctx, group, actor)?;
            let key = run_key(key_suffix);
            let value = json!({"case": key_suffix, "n": 1});
            let keeper = ctx.keeper(&subject).unwrap_or(actor);
            let mut h = Happy {
                setup: Vec::new(),
                request: ctx.property_request(
                    group,
                    &op.method,
                    Some(&key),
                    &subject,
                    who,
                    Body::None,
                ),
                status,
                checks: Vec::new(),
                cleanup: Vec::new(),
                skip,
            };
            if Some(index) == group.keys {
                h.request = ctx.property_request(
                    group,
                    "GET",
                    None,
                    &subject,
                    h.request.actor.clone(),
                    Body::None,
                );
                return Some(Cow::Owned(h));
            }
            if Some(index) == group.set {
                h.request.body = Body::Json(value);
                h.cleanup
                    .push(ctx.cleanup_delete(group, &key, &subject, keeper));
                return Some(Cow::Owned(h));
            }
            h.setup
                .extend(ctx.setup_put(group, &key, &subject, keeper, value.clone()));
            h.cleanup
                .push(ctx.cleanup_delete(group, &key, &subject, keeper));
            if Some(index) == group.get {
                h.checks.push(BodyCheck::Equals {
                    pointer: "/value".into(),
                    value,
                });
                h.checks.push(BodyCheck::Equals {
                    pointer: "/key".into(),
                    value: json!(key),
                });
            }
            Some(Cow::Owned(h))
        }
        Place::Plain => ctx
            .plain_happy(index, || plain(ctx, index, status))
            .map(Cow::Borrowed),
    }
}

/// The happy path of a plain operation: it depends on the operation and the API version only,
/// so [`Ctx::plain_happy`] keeps it for the families that ask again.
fn plain(ctx: &Ctx<'_>, index: usize, status: u16) -> Option<Happy> {
    let op = ctx.op(index);
    let skip = ctx.actor_missing;
    let actor = &ctx.actor;
    let who = Actor::Principal(actor.name.clone());
    if super::world::handles(&op.operation_id) {
        let h = super::world::happy(ctx, index);
        if h.is_none() {
            ctx.gap(
                index,
                None,
                "the fixtures' world has nothing this operation can address (see the world's settings)",
            );
        }
        return h;
    }
    let no_required = op.parameters.iter().all(|p| !p.required)
        && op.request_body.as_ref().is_none_or(|b| !b.required);
    // A write with nothing required (reset my columns, remove every dynamic module) changes
    // the site as surely as one with: neither has a generic happy path.
    if op.method != "GET" {
        ctx.gap(
            index,
            None,
            "a write outside the fixtures' world: no generic happy path, it would change the site",
        );
        return None;
    }
    // An operation only administrators may call is called as the administrator; one whose prose
    // is not recognised, or names a project permission, is called as the administrator when it
    // needs the world, as the administrator holds every permission.
    let rule = ctx.permissions(index);
    let admin_only =
        !rule.grants.is_empty() && rule.grants.iter().all(|g| g.value == Grant::AdministerJira);
    let plain_user = !rule.grants.is_empty()
        && rule.grants.iter().any(|g| {
            matches!(
                g.value,
                Grant::Anyone | Grant::AccessJira | Grant::BrowseProjects | Grant::OwnRecord
            )
        });
    let as_admin = admin_only || (!no_required && !plain_user);
    let (who, skip, principal) = match (as_admin, ctx.roles.admin) {
        (true, Some(admin)) => (Actor::Principal(admin.name.clone()), None, admin),
        (true, None) if admin_only => (who, Some(NEEDS_ADMIN), actor),
        (_, _) => (who, skip, actor),
    };
    let path = op
        .api_relative_path()
        .map_or_else(|| op.path.clone(), |rel| ctx.api_path(rel));
    let (path, query) = if no_required {
        (path, Vec::new())
    } else {
        match super::world::fill(ctx.fixtures, op, principal) {
            Ok(filled) => {
                let mut path = path;
                for (name, value) in &filled.path {
                    path = path.replace(&format!("{{{name}}}"), &encode_segment(value));
                }
                (path, filled.query)
            }
            Err(reason) => {
                ctx.gap(index, None, reason);
                return None;
            }
        }
    };
    Some(Happy {
        setup: Vec::new(),
        request: Request {
            method: op.method.clone(),
            path,
            query,
            actor: who,
            body: Body::None,
        },
        status,
        checks: Vec::new(),
        cleanup: Vec::new(),
        skip,
    })
}
