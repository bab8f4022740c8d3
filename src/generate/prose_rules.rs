//! Cases from the prose rules of [`crate::spec::prose_rules`], for an entity-property group:
//!
//! - a key limit stated in characters: multi-byte keys at the limit (more bytes than the limit)
//!   accepted and one character past refused (limits family);
//! - a DELETE whose 404 says "the property is not found": deleting a key the entity has no
//!   property under answers 404 (roundtrip family);
//! - a path parameter documented as case sensitive: the entity named with the value's case
//!   swapped is another entity, which does not exist (keys family).
//!
//! Each expectation quotes the sentence it came from.

use super::context::{run_key, CaseBuilder, Ctx, Subject};
use super::entity_property::EntityPropertyGroup;
use crate::case::{Actor, Body, Case, Expectation, Family, Provenance, StatusExpectation};
use crate::spec::prose_rules::{
    case_sensitive_params, delete_missing_404, key_limit_in_characters,
};

/// The two-byte character multi-byte keys are made of.
const WIDE: char = 'é';

fn expect(status: StatusExpectation, provenance: Provenance) -> Expectation {
    Expectation {
        status,
        body: Vec::new(),
        allow: None,
        provenance,
    }
}

/// Every prose-rule case of `group`.
pub fn property(ctx: &Ctx<'_>, group: &EntityPropertyGroup, out: &mut Vec<Case>) {
    multibyte_key(ctx, group, out);
    delete_missing(ctx, group, out);
    owner_case(ctx, group, out);
}

/// A key of `chars` characters: the run prefix, then multi-byte characters.
fn wide_key(chars: usize) -> String {
    let base = run_key("");
    let pad = chars.saturating_sub(base.chars().count());
    format!("{base}{}", WIDE.to_string().repeat(pad))
}

fn multibyte_key(ctx: &Ctx<'_>, group: &EntityPropertyGroup, out: &mut Vec<Case>) {
    let Some(set) = group.set else { return };
    let op = ctx.op(set);
    let Some(limit) = key_limit_in_characters(op, &ctx.spec.source) else {
        return;
    };
    let actor = &ctx.actor;
    let Some(subject) = super::world::own_subject(ctx, group, actor) else {
        return;
    };
    let keeper = ctx.keeper(&subject).unwrap_or(actor);
    let max = limit.value;
    for (chars, status, summary) in [
        (
            max,
            StatusExpectation::Success,
            format!(
                "a key of exactly {max} multi-byte characters ({} bytes) is accepted: the limit counts characters",
                wide_key(max).len()
            ),
        ),
        (
            max + 1,
            StatusExpectation::Exact(400),
            format!("a key of {} multi-byte characters is refused", max + 1),
        ),
    ] {
        let key = wide_key(chars);
        let request = ctx.property_request(
            group,
            "PUT",
            Some(&key),
            &subject,
            Actor::Principal(actor.name.clone()),
            Body::Json(serde_json::json!(1)),
        );
        let b = CaseBuilder::new(
            ctx,
            &group.resource,
            op,
            Family::Limits,
            &format!("key_{chars}_chars_multibyte"),
            summary,
        )
        .check(
            format!("PUT as {}", actor.name),
            request,
            Some(ctx.op_ref(set)),
            expect(status, limit.provenance.clone()),
        )
        .cleanup(ctx.cleanup_delete(group, &key, &subject, keeper))
        .skip_if(ctx.actor_missing);
        out.push(b.build());
    }
}

fn delete_missing(ctx: &Ctx<'_>, group: &EntityPropertyGroup, out: &mut Vec<Case>) {
    let Some(delete) = group.delete else { return };
    let op = ctx.op(delete);
    let Some(provenance) = delete_missing_404(op, &ctx.spec.source) else {
        return;
    };
    let actor = &ctx.actor;
    let Some(subject) = super::world::own_subject(ctx, group, actor) else {
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

fn owner_case(ctx: &Ctx<'_>, group: &EntityPropertyGroup, out: &mut Vec<Case>) {
    let Some(keys) = group.keys else { return };
    let op = ctx.op(keys);
    let Some(rule) = case_sensitive_params(op, &ctx.spec.source)
        .into_iter()
        .next()
    else {
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
    }) = super::world::own_subject(ctx, group, actor)
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
        expect(StatusExpectation::Exact(404), rule.provenance),
    )
    .skip_if(ctx.actor_missing);
    out.push(b.build());
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_are_counted_in_characters() {
        let key = wide_key(255);
        assert_eq!(key.chars().count(), 255);
        assert!(key.len() > 255);
    }

    #[test]
    fn case_swaps_only_when_it_changes_something() {
        assert_eq!(swap_case("CONF").as_deref(), Some("conf"));
        assert_eq!(swap_case("10000"), None);
    }
}
