//! A path parameter documented as case sensitive (see [`crate::spec::prose_rules`]): the
//! entity named with the value's case swapped is another entity, which does not exist. The
//! expectation quotes the sentence it came from.

use crate::case::{Actor, Body, Case, Family, StatusExpectation};
use crate::generate::context::{expect, CaseBuilder, Ctx, Subject};
use crate::generate::entity_property::EntityPropertyGroup;
use crate::generate::world::own_subject;

/// `value` with the case of every letter swapped, if that changes it.
fn swap_case(value: &str) -> Option<String> {
    let swapped: String = value
        .chars()
        .map(|c| {
            if c.is_uppercase() {
                c.to_lowercase().collect::<String>()
            } else {
                c.to_uppercase().collect::<String>()
            }
        })
        .collect();
    (swapped != value).then_some(swapped)
}

/// The owner named with its case swapped is 404.
pub fn owner_case(ctx: &Ctx<'_>, group: &EntityPropertyGroup, out: &mut Vec<Case>) {
    let Some(keys) = group.keys else { return };
    let op = ctx.op(keys);
    let Some(rule) = ctx.rules(keys).case_sensitive.first() else {
        return;
    };
    // The 404 the listing documents for an entity that does not exist.
    if !op.documents(404) {
        return;
    }
    let actor = &ctx.actor;
    let Some(Subject::Entity {
        params,
        owner,
        label,
    }) = own_subject(ctx, group, actor)
    else {
        return;
    };
    let Some(value) = params
        .iter()
        .find(|(name, _)| *name == rule.value)
        .map(|(_, v)| v.clone())
    else {
        return;
    };
    let Some(swapped) = swap_case(&value) else {
        return;
    };
    let params = params
        .into_iter()
        .map(|(name, v)| {
            let v = if name == rule.value {
                swapped.clone()
            } else {
                v
            };
            (name, v)
        })
        .collect();
    let other = Subject::Entity {
        params,
        owner,
        label: label.clone(),
    };
    let request = ctx.property_request(
        group,
        "GET",
        None,
        &other,
        Actor::Principal(actor.name.clone()),
        Body::None,
    );
    let b = CaseBuilder::new(
        ctx,
        &group.resource,
        op,
        Family::Keys,
        "owner_key_other_case",
        format!(
            "{} {swapped:?} (the case of {value:?} swapped) names no entity: the key is case sensitive",
            rule.value
        ),
    )
    .check(
        format!("GET as {}", actor.name),
        request,
        Some(ctx.op_ref(keys)),
        expect(StatusExpectation::Exact(404), rule.provenance.clone()),
    )
    .skip_if(ctx.actor_missing);
    out.push(b.build());
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn case_swaps_only_when_it_changes_something() {
        assert_eq!(swap_case("CONF").as_deref(), Some("conf"));
        assert_eq!(swap_case("10000"), None);
    }
}
