//! Observations: behaviour the documentation does not decide (property keys with `/`, `%`,
//! spaces, non-ASCII). No documented verdict: the snapshot records what the target does, so a
//! change between targets or over time still shows.

use serde_json::json;

use crate::case::{Actor, Body, Case, Expectation, Family, Provenance, StatusExpectation};
use crate::generate::context::{run_key, CaseBuilder, Ctx};
use crate::generate::entity_property::EntityPropertyGroup;

/// Odd-key cases of an entity-property group: PUT, then GET, each status only observed.
pub fn property(ctx: &Ctx<'_>, group: &EntityPropertyGroup, out: &mut Vec<Case>) {
    let (Some(_), Some(set)) = (group.get, group.set) else {
        return;
    };
    let actor = &ctx.actor;
    let Some(subject) = crate::generate::world::own_subject(ctx, group, actor) else {
        return;
    };
    let keeper = ctx.keeper(&subject).unwrap_or(actor);
    let observe = || Expectation {
        status: StatusExpectation::Observe,
        body: Vec::new(),
        allow: None,
        provenance: Provenance::Standard {
            reference: "none".into(),
            text: "the documentation does not say which characters a property key may contain"
                .into(),
        },
    };
    for (name, suffix) in [
        ("key_with_slash", "a/b"),
        ("key_with_percent", "100%"),
        ("key_with_space", "two words"),
        ("key_non_ascii", "ключ-鍵"),
    ] {
        let key = run_key(suffix);
        let put = ctx.property_request(
            group,
            "PUT",
            Some(&key),
            &subject,
            Actor::Principal(actor.name.clone()),
            Body::Json(json!({"k": name})),
        );
        let read = ctx.property_request(
            group,
            "GET",
            Some(&key),
            &subject,
            Actor::Principal(actor.name.clone()),
            Body::None,
        );
        let mut b = CaseBuilder::new(
            ctx,
            &group.resource,
            ctx.op(set),
            Family::Observations,
            name,
            format!("a property key containing {suffix:?}: what the target does"),
        )
        .check("PUT", put, None, observe())
        .check("GET it back", read, None, observe())
        .cleanup(ctx.cleanup_delete(group, &key, &subject, keeper));
        b = b.skip_if(ctx.actor_missing);
        out.push(b.build());
    }
}

/// The observations of an entity-property group: property keys the documentation does not
/// decide.
pub fn group(ctx: &Ctx<'_>, group: &EntityPropertyGroup, out: &mut Vec<Case>) {
    property(ctx, group, out);
}

/// The observations of a plain operation: what a worklog update that gives no field or
/// changes nothing answers.
pub fn operation(ctx: &Ctx<'_>, resource: &str, index: usize, out: &mut Vec<Case>) {
    crate::generate::world::observations(ctx, resource, index, out);
}
