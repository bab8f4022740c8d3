//! A key limit the prose states in characters (see [`crate::spec::prose_rules`]): multi-byte
//! keys at the limit (more bytes than the limit) are accepted and one character past is
//! refused, and the refused key read back as absent. Each expectation quotes the sentence it
//! came from.

use crate::case::{Actor, Body, Case, Family, StatusExpectation};
use crate::generate::context::{expect, run_key, CaseBuilder, Ctx};
use crate::generate::entity_property::EntityPropertyGroup;
use crate::generate::readback;
use crate::generate::world::own_subject;

/// The two-byte character multi-byte keys are made of.
const WIDE: char = 'é';

/// A key of `chars` characters: the run prefix, then multi-byte characters.
fn wide_key(chars: usize) -> String {
    let base = run_key("");
    let pad = chars.saturating_sub(base.chars().count());
    format!("{base}{}", WIDE.to_string().repeat(pad))
}

/// Multi-byte keys at the limit and one past, on the actor's own record.
pub fn multibyte_key(ctx: &Ctx<'_>, group: &EntityPropertyGroup, out: &mut Vec<Case>) {
    let Some(set) = group.set else { return };
    let op = ctx.op(set);
    let Some(limit) = &ctx.limits(set).key_chars_stated else {
        return;
    };
    let actor = &ctx.actor;
    let Some(subject) = own_subject(ctx, group, actor) else {
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
        // Refused, the key must still be absent: the keeper reads it back.
        .step_opt(
            (chars > max)
                .then(|| {
                    readback::property(ctx, group, &key, &subject, keeper, None, "a refused PUT")
                })
                .flatten(),
        )
        .cleanup(ctx.cleanup_delete(group, &key, &subject, keeper))
        .skip_if(ctx.actor_missing);
        out.push(b.build());
    }
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
}
