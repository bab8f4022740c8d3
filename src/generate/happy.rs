//! The "happy path" of an operation: a request an allowed principal can make and the success
//! the documentation promises. Methods, schema and keys cases start from it.

use serde_json::json;

use super::context::{run_key, Ctx, NEEDS_ADMIN};
use super::entity_property::EntityPropertyGroup;
use crate::case::{Actor, Body, BodyCheck, Request, Step};
use crate::spec::prose::Grant;

/// A request that should succeed, with what it needs around it.
pub struct Happy {
    /// Steps that prepare state.
    pub setup: Vec<Step>,
    /// The request itself.
    pub request: Request,
    /// The documented success status.
    pub status: u16,
    /// Checks on the success body.
    pub checks: Vec<BodyCheck>,
    /// Cleanup requests.
    pub cleanup: Vec<Request>,
    /// Why it cannot run with these fixtures.
    pub skip: Option<&'static str>,
}

/// Where an operation sits: in an entity-property group, or on its own.
#[derive(Clone, Copy)]
pub enum Place<'g> {
    /// Part of an entity-property group.
    Property(&'g EntityPropertyGroup),
    /// A plain operation.
    Plain,
}

/// The happy path of the operation at `index`, if the generator knows how to fill it.
pub fn happy(ctx: &Ctx<'_>, index: usize, place: Place<'_>, key_suffix: &str) -> Option<Happy> {
    let op = ctx.op(index);
    let status = ctx.create_status(index)?;
    let skip = ctx.actor_missing;
    let actor = &ctx.actor;
    let who = Actor::Principal(actor.name.clone());
    match place {
        Place::Property(group) => {
            let subject = ctx.own_subject(group, actor)?;
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
                return Some(h);
            }
            if Some(index) == group.set {
                h.request.body = Body::Json(value);
                h.cleanup
                    .push(ctx.cleanup_delete(group, &key, &subject, keeper));
                return Some(h);
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
            Some(h)
        }
        Place::Plain => {
            if let Some(h) = super::world_ops::happy(ctx, index) {
                return Some(h);
            }
            let fillable = op.parameters.iter().all(|p| !p.required)
                && op.request_body.as_ref().is_none_or(|b| !b.required);
            if !fillable {
                return None;
            }
            // An operation only administrators may call is called as the administrator.
            let rule = ctx.permissions(index);
            let admin_only = !rule.grants.is_empty()
                && rule.grants.iter().all(|g| g.value == Grant::AdministerJira);
            let (who, skip) = match (admin_only, ctx.roles.admin) {
                (true, Some(admin)) => (Actor::Principal(admin.name.clone()), None),
                (true, None) => (who, Some(NEEDS_ADMIN)),
                (false, _) => (who, skip),
            };
            Some(Happy {
                setup: Vec::new(),
                request: Request {
                    method: op.method.clone(),
                    path: op
                        .api_relative_path()
                        .map_or_else(|| op.path.clone(), |rel| ctx.api_path(rel)),
                    query: Vec::new(),
                    actor: who,
                    body: Body::None,
                },
                status,
                checks: Vec::new(),
                cleanup: Vec::new(),
                skip,
            })
        }
    }
}
