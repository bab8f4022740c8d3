//! Limits: documented bounds at the edge (accepted) and one past (refused with 400): the
//! property value in bytes (ASCII and multi-byte text), the key in characters, the `accountId`
//! length, empty and malformed bodies.

use serde_json::{json, Value};

use crate::case::{Actor, Body, Case, Expectation, Family, Provenance, StatusExpectation};
use crate::generate::context::{expect, run_key, CaseBuilder, Ctx, Subject};
use crate::generate::entity_property::EntityPropertyGroup;
use crate::generate::readback;

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

/// What a refused limits PUT must leave behind, read back by the keeper after it: the state
/// before the write. An accepted PUT is read back by the roundtrip family.
enum After {
    /// Accepted: no read-back here.
    Accepted,
    /// Refused on a key nobody had (the run key, or a key too long to exist): still absent.
    Absent,
    /// Refused on a key set up with this value first: the value is unchanged.
    Kept(Value),
}

/// One limits PUT: the case's name and summary, the key and body sent, the expectation of the
/// PUT, and what it must leave behind.
struct Put {
    name: String,
    summary: String,
    key: String,
    body: Body,
    expect: Expectation,
    after: After,
}

/// The value set up before a refused write of the value, which must survive it.
fn kept() -> After {
    After::Kept(json!({"set": "up"}))
}

/// Limit cases of the write operation of an entity-property group.
pub fn property(ctx: &Ctx<'_>, group: &EntityPropertyGroup, out: &mut Vec<Case>) {
    let Some(set) = group.set else { return };
    let actor = &ctx.actor;
    let Some(subject) = crate::generate::world::own_subject(ctx, group, actor) else {
        return;
    };
    let mut puts = value_puts(ctx, set);
    puts.extend(key_puts(ctx, set));
    puts.extend(body_puts(ctx, set));
    for put in puts {
        out.push(put_case(ctx, group, set, &subject, put));
    }
}

/// A value of exactly the limit in bytes (ASCII, then multi-byte) accepted, one byte more
/// refused.
fn value_puts(ctx: &Ctx<'_>, set: usize) -> Vec<Put> {
    let Some(limit) = &ctx.limits(set).value_bytes else {
        return Vec::new();
    };
    let max = limit.value;
    let p = &limit.provenance;
    vec![
        Put {
            name: format!("value_{max}_bytes"),
            summary: format!("a value of exactly {max} bytes is accepted"),
            key: run_key("value-at-limit"),
            body: raw_json(string_body(max, 'a')),
            expect: accepted(p),
            after: After::Accepted,
        },
        Put {
            name: format!("value_{}_bytes", max + 1),
            summary: format!("a value of {} bytes is refused", max + 1),
            key: run_key("value-past-limit"),
            body: raw_json(string_body(max + 1, 'a')),
            expect: refused(p),
            after: kept(),
        },
        Put {
            name: format!("value_{max}_bytes_multibyte"),
            summary: format!(
                "multi-byte text of exactly {max} bytes (fewer characters) is accepted"
            ),
            key: run_key("value-mb-at-limit"),
            body: raw_json(string_body(max, 'é')),
            expect: accepted(p),
            after: After::Accepted,
        },
        Put {
            name: format!("value_{}_bytes_multibyte", max + 1),
            summary: format!(
                "multi-byte text of {} bytes but fewer characters is refused: the limit counts bytes",
                max + 1
            ),
            key: run_key("value-mb-past-limit"),
            body: raw_json(string_body(max + 1, 'é')),
            expect: refused(p),
            after: After::Absent,
        },
    ]
}

/// A key of exactly the limit in characters accepted, one character more refused.
fn key_puts(ctx: &Ctx<'_>, set: usize) -> Vec<Put> {
    let Some(limit) = &ctx.limits(set).key_chars else {
        return Vec::new();
    };
    let max = limit.value;
    let p = &limit.provenance;
    let key_of = |len: usize| {
        let base = run_key("");
        let pad = len.saturating_sub(base.chars().count());
        format!("{base}{}", "k".repeat(pad))
    };
    vec![
        Put {
            name: format!("key_{max}_chars"),
            summary: format!("a key of exactly {max} characters is accepted"),
            key: key_of(max),
            body: Body::Json(json!(1)),
            expect: accepted(p),
            after: After::Accepted,
        },
        Put {
            name: format!("key_{}_chars", max + 1),
            summary: format!("a key of {} characters is refused", max + 1),
            key: key_of(max + 1),
            body: Body::Json(json!(1)),
            expect: refused(p),
            after: After::Absent,
        },
    ]
}

/// An empty body and one that is not JSON, both refused.
fn body_puts(ctx: &Ctx<'_>, set: usize) -> Vec<Put> {
    let Some(body) = &ctx.op(set).request_body else {
        return Vec::new();
    };
    let p = Provenance::Spec {
        file: ctx.spec.source.clone(),
        pointer: format!("{}/description", body.pointer),
        text: "the value must be a valid, non-empty JSON value".into(),
    };
    vec![
        Put {
            name: "empty_body".into(),
            summary: "an empty body is refused".into(),
            key: run_key("empty"),
            body: raw_json(String::new()),
            expect: refused(&p),
            after: After::Absent,
        },
        Put {
            name: "invalid_json".into(),
            summary: "a body that is not JSON is refused".into(),
            key: run_key("invalid"),
            body: raw_json("{\"unterminated\": ".into()),
            expect: refused(&p),
            after: kept(),
        },
    ]
}

fn refused(p: &Provenance) -> Expectation {
    expect(StatusExpectation::Exact(400), p.clone())
}

fn accepted(p: &Provenance) -> Expectation {
    expect(StatusExpectation::Success, p.clone())
}

/// The case of one PUT as the actor on its own record: the value set up first when the refusal
/// must keep it, the PUT, then the keeper's read-back when it was refused.
fn put_case(
    ctx: &Ctx<'_>,
    group: &EntityPropertyGroup,
    set: usize,
    subject: &Subject<'_>,
    put: Put,
) -> Case {
    let actor = &ctx.actor;
    let keeper = ctx.keeper(subject).unwrap_or(actor);
    let request = ctx.property_request(
        group,
        "PUT",
        Some(&put.key),
        subject,
        Actor::Principal(actor.name.clone()),
        put.body,
    );
    let setup = match &put.after {
        After::Kept(value) => ctx.setup_put(group, &put.key, subject, keeper, value.clone()),
        _ => None,
    };
    let holds = match &put.after {
        After::Accepted => None,
        After::Absent => Some(None),
        After::Kept(value) => Some(Some(value)),
    };
    let read_back = holds.and_then(|holds| {
        readback::property(
            ctx,
            group,
            &put.key,
            subject,
            keeper,
            holds,
            "a refused PUT",
        )
    });
    CaseBuilder::new(
        ctx,
        &group.resource,
        ctx.op(set),
        Family::Limits,
        &put.name,
        put.summary,
    )
    .step_opt(setup)
    .check(
        format!("PUT as {}", actor.name),
        request,
        Some(ctx.op_ref(set)),
        put.expect,
    )
    .step_opt(read_back)
    .cleanup(ctx.cleanup_delete(group, &put.key, subject, keeper))
    .skip_if(ctx.actor_missing)
    .build()
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
