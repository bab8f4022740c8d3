//! Limits: documented bounds at the edge (accepted) and one past (refused with 400): the
//! property value in bytes (ASCII and multi-byte text), the key in characters, the `accountId`
//! length, empty and malformed bodies.

use crate::case::{Actor, Body, Case, Expectation, Family, Provenance, StatusExpectation};
use crate::generate::context::{run_key, CaseBuilder, Ctx, Subject};
use crate::generate::entity_property::EntityPropertyGroup;

/// A JSON string body of exactly `bytes` bytes, made of `unit` repeated, padded with ASCII.
fn string_body(bytes: usize, unit: char) -> String {
    let inner = bytes.saturating_sub(2);
    let n = inner / unit.len_utf8();
    let pad = inner - n * unit.len_utf8();
    let mut s = String::with_capacity(bytes);
    s.push('"');
    s.extend(std::iter::repeat_n('a', pad));
    // These bodies are tens of kilobytes: they are copied a block of units at a time (a
    // character at a time showed in the generator's profile).
    let unit = unit.encode_utf8(&mut [0; 4]).to_string();
    let block = unit.repeat(64);
    for _ in 0..n / 64 {
        s.push_str(&block);
    }
    for _ in 0..n % 64 {
        s.push_str(&unit);
    }
    s.push('"');
    s
}

fn raw_json(text: String) -> Body {
    Body::Raw {
        content_type: "application/json".into(),
        text,
    }
}

/// Limit cases of the write operation of an entity-property group.
pub fn property(ctx: &Ctx<'_>, group: &EntityPropertyGroup, out: &mut Vec<Case>) {
    let Some(set) = group.set else { return };
    let op = ctx.op(set);
    let actor = &ctx.actor;
    let Some(subject) = crate::generate::world::own_subject(ctx, group, actor) else {
        return;
    };
    let keeper = ctx.keeper(&subject).unwrap_or(actor);
    let resource = &group.resource;
    let refused = |p: &Provenance| Expectation {
        status: StatusExpectation::Exact(400),
        body: Vec::new(),
        allow: None,
        provenance: p.clone(),
    };
    let accepted = |p: &Provenance| Expectation {
        status: StatusExpectation::Success,
        body: Vec::new(),
        allow: None,
        provenance: p.clone(),
    };
    let mut push = |name: &str, summary: String, key: String, body: Body, expect: Expectation| {
        let request = ctx.property_request(
            group,
            "PUT",
            Some(&key),
            &subject,
            Actor::Principal(actor.name.clone()),
            body,
        );
        let mut b = CaseBuilder::new(ctx, resource, op, Family::Limits, name, summary)
            .check(
                format!("PUT as {}", actor.name),
                request,
                Some(ctx.op_ref(set)),
                expect,
            )
            .cleanup(ctx.cleanup_delete(group, &key, &subject, keeper));
        b = b.skip_if(ctx.actor_missing);
        out.push(b.build());
    };
    if let Some(limit) = &ctx.limits(set).value_bytes {
        let max = limit.value;
        let p = &limit.provenance;
        push(
            &format!("value_{max}_bytes"),
            format!("a value of exactly {max} bytes is accepted"),
            run_key("value-at-limit"),
            raw_json(string_body(max, 'a')),
            accepted(p),
        );
        push(
            &format!("value_{}_bytes", max + 1),
            format!("a value of {} bytes is refused", max + 1),
            run_key("value-past-limit"),
            raw_json(string_body(max + 1, 'a')),
            refused(p),
        );
        push(
            &format!("value_{max}_bytes_multibyte"),
            format!("multi-byte text of exactly {max} bytes (fewer characters) is accepted"),
            run_key("value-mb-at-limit"),
            raw_json(string_body(max, 'é')),
            accepted(p),
        );
        push(&format!("value_{}_bytes_multibyte", max + 1), format!("multi-byte text of {} bytes but fewer characters is refused: the limit counts bytes", max + 1), run_key("value-mb-past-limit"), raw_json(string_body(max + 1, 'é')), refused(p));
    }
    if let Some(limit) = &ctx.limits(set).key_chars {
        let max = limit.value;
        let p = &limit.provenance;
        let key_of = |len: usize| {
            let base = run_key("");
            let pad = len.saturating_sub(base.chars().count());
            format!("{base}{}", "k".repeat(pad))
        };
        push(
            &format!("key_{max}_chars"),
            format!("a key of exactly {max} characters is accepted"),
            key_of(max),
            Body::Json(serde_json::json!(1)),
            accepted(p),
        );
        push(
            &format!("key_{}_chars", max + 1),
            format!("a key of {} characters is refused", max + 1),
            key_of(max + 1),
            Body::Json(serde_json::json!(1)),
            refused(p),
        );
    }
    if let Some(body) = &op.request_body {
        let p = Provenance::Spec {
            file: ctx.spec.source.clone(),
            pointer: format!("{}/description", body.pointer),
            text: "the value must be a valid, non-empty JSON value".into(),
        };
        push(
            "empty_body",
            "an empty body is refused".into(),
            run_key("empty"),
            raw_json(String::new()),
            refused(&p),
        );
        push(
            "invalid_json",
            "a body that is not JSON is refused".into(),
            run_key("invalid"),
            raw_json("{\"unterminated\": ".into()),
            refused(&p),
        );
    }
}

/// `accountId` at its documented maximum length (passes validation: unknown user, 404) and one
/// past it (400), for every operation of the group.
pub fn account_id(ctx: &Ctx<'_>, group: &EntityPropertyGroup, out: &mut Vec<Case>) {
    let Some(admin) = ctx.roles.admin else { return };
    for index in group.operations() {
        let op = ctx.op(index);
        let Some(limit) = &ctx.limits(index).account_id_chars else {
            continue;
        };
        let max = limit.value;
        let (key, body) = ctx.property_target(group, index, "account-limit");
        let at_limit = Subject::Raw("x".repeat(max));
        let past = Subject::Raw("x".repeat(max + 1));
        let actor = || Actor::Principal(admin.name.clone());
        // A target that wrongly accepts a write keeps the key on a user nobody is: removed.
        let undo = |subject: &Subject<'_>| {
            key.as_deref()
                .filter(|_| op.method == "PUT")
                .map(|k| ctx.cleanup_delete(group, k, subject, admin))
        };
        if let Some(expect) = ctx.expect_documented(index, 404) {
            let req = ctx.property_request(
                group,
                &op.method,
                key.as_deref(),
                &at_limit,
                actor(),
                body.clone(),
            );
            let mut b = CaseBuilder::new(
                ctx,
                &group.resource,
                op,
                Family::Limits,
                &format!("account_id_{max}_chars"),
                format!("an accountId of {max} characters passes validation (no such user: 404)"),
            );
            b = b.check(
                format!("{} as {}", op.method, admin.name),
                req,
                Some(ctx.op_ref(index)),
                Expectation {
                    provenance: limit.provenance.clone(),
                    ..expect
                },
            );
            if let Some(c) = undo(&at_limit) {
                b = b.cleanup(c);
            }
            out.push(b.build());
        }
        let undo_past = undo(&past);
        let req = ctx.property_request(group, &op.method, key.as_deref(), &past, actor(), body);
        let mut b = CaseBuilder::new(
            ctx,
            &group.resource,
            op,
            Family::Limits,
            &format!("account_id_{}_chars", max + 1),
            format!("an accountId of {} characters is refused", max + 1),
        )
        .check(
            format!("{} as {}", op.method, admin.name),
            req,
            Some(ctx.op_ref(index)),
            Expectation {
                status: StatusExpectation::Exact(400),
                body: Vec::new(),
                allow: None,
                provenance: limit.provenance.clone(),
            },
        );
        if let Some(c) = undo_past {
            b = b.cleanup(c);
        }
        out.push(b.build());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn string_bodies_have_exact_byte_lengths() {
        for n in [2, 3, 32768, 32769] {
            assert_eq!(string_body(n, 'a').len(), n);
            assert_eq!(string_body(n, 'é').len(), n);
        }
        let mb = string_body(32769, 'é');
        assert!(
            mb.chars().count() < 32768,
            "multi-byte body must have fewer characters than the limit"
        );
        assert!(serde_json::from_str::<String>(&mb).is_ok());
    }
}
