//! A DELETE whose documented 404 says "the property is not found" (see
//! [`crate::spec::prose_rules`]): deleting a key the entity has no property under answers 404.
//! The expectation quotes the sentence it came from.

use crate::case::{Actor, Body, Case, Family, StatusExpectation};
use crate::generate::context::{expect, run_key, CaseBuilder, Ctx};
use crate::generate::entity_property::EntityPropertyGroup;
use crate::generate::world::own_subject;

/// Deleting a key nobody stored on the actor's own record is 404.
pub fn delete_missing(ctx: &Ctx<'_>, group: &EntityPropertyGroup, out: &mut Vec<Case>) {
    let Some(delete) = group.delete else { return };
    let op = ctx.op(delete);
    let Some(provenance) = ctx.rules(delete).delete_missing_404.clone() else {
        return;
    };
    let actor = &ctx.actor;
    let Some(subject) = own_subject(ctx, group, actor) else {
        return;
    };
    // The keeper may delete the subject's properties: a 403 would not say anything about the
    // missing key.
    let keeper = ctx.keeper(&subject).unwrap_or(actor);
    let key = run_key("never-set");
    let request = ctx.property_request(
        group,
        "DELETE",
        Some(&key),
        &subject,
        Actor::Principal(keeper.name.clone()),
        Body::None,
    );
    let b = CaseBuilder::new(
        ctx,
        &group.resource,
        op,
        Family::Roundtrip,
        "delete_missing_404",
        "DELETE of a key the entity has no property under answers 404",
    )
    .check(
        format!("DELETE as {}", keeper.name),
        request,
        Some(ctx.op_ref(delete)),
        expect(StatusExpectation::Exact(404), provenance),
    )
    .skip_if(ctx.actor_missing);
    out.push(b.build());
}
