//! Roundtrip on an entity-property group: state behaves. PUT creates (201) then updates (200),
//! GET returns what was put, the listing has the key, DELETE (204) removes it, a second GET is
//! 404 and the listing no longer has it; and every JSON type survives the trip.

use serde_json::{json, Value};

use crate::case::{Actor, Body, BodyCheck, Case, Expectation, Family};
use crate::generate::context::{run_key, CaseBuilder, Ctx, Subject};
use crate::generate::entity_property::EntityPropertyGroup;
use crate::generate::world::own_subject;

/// The operations of a group with all four: listing, GET, PUT, DELETE.
type Four = (usize, usize, usize, usize);

/// The lifecycle case and the value-type cases of an entity-property group.
pub fn property(ctx: &Ctx<'_>, group: &EntityPropertyGroup, out: &mut Vec<Case>) {
    let (Some(keys), Some(get), Some(set), Some(delete)) =
        (group.keys, group.get, group.set, group.delete)
    else {
        return;
    };
    let Some(subject) = own_subject(ctx, group, &ctx.actor) else {
        return;
    };
    let ops = (keys, get, set, delete);
    // Without every documented status of the lifecycle, the value types are left out too.
    let Some(case) = lifecycle(ctx, group, &subject, ops) else {
        return;
    };
    out.push(case);
    value_types(ctx, group, &subject, ops, out);
}

/// Create, update, read back, list, delete, read again: one case; `None` when the spec leaves a
/// status of it undocumented.
fn lifecycle(
    ctx: &Ctx<'_>,
    group: &EntityPropertyGroup,
    subject: &Subject<'_>,
    (keys, get, set, delete): Four,
) -> Option<Case> {
    let actor = &ctx.actor;
    let who = || Actor::Principal(actor.name.clone());
    let expect = |index: usize, status: u16, body: Vec<BodyCheck>| {
        ctx.expect_documented(index, status)
            .map(|e| Expectation { body, ..e })
    };
    let req = |method: &str, k: Option<&str>, body: Body| {
        ctx.property_request(group, method, k, subject, who(), body)
    };
    let key = run_key("roundtrip");
    let first = json!({"version": 1, "tags": ["a", "b"]});
    let second = json!({"version": 2, "nested": {"ok": true}});
    // The property's own URL, which the listing's `self` of the key must name.
    let own = req("GET", Some(&key), Body::None);
    let steps = [
        (
            "PUT creates the property",
            req("PUT", Some(&key), Body::Json(first)),
            set,
            expect(set, 201, vec![]),
        ),
        (
            "PUT again updates it",
            req("PUT", Some(&key), Body::Json(second.clone())),
            set,
            expect(set, 200, vec![]),
        ),
        (
            "GET returns the updated value",
            req("GET", Some(&key), Body::None),
            get,
            expect(
                get,
                200,
                vec![
                    BodyCheck::Equals {
                        pointer: "/value".into(),
                        value: second,
                    },
                    BodyCheck::Equals {
                        pointer: "/key".into(),
                        value: json!(key),
                    },
                ],
            ),
        ),
        (
            "the listing has the key, its self link the property's URL",
            req("GET", None, Body::None),
            keys,
            expect(
                keys,
                200,
                vec![
                    BodyCheck::ListsKey { key: key.clone() },
                    BodyCheck::KeySelf {
                        key: key.clone(),
                        path: own.path.clone(),
                        query: own.query.clone(),
                    },
                ],
            ),
        ),
        (
            "DELETE removes it",
            req("DELETE", Some(&key), Body::None),
            delete,
            expect(delete, 204, vec![]),
        ),
        (
            "GET after DELETE is 404",
            req("GET", Some(&key), Body::None),
            get,
            expect(get, 404, vec![]),
        ),
        (
            "the listing no longer has the key",
            req("GET", None, Body::None),
            keys,
            expect(keys, 200, vec![BodyCheck::OmitsKey { key: key.clone() }]),
        ),
    ];
    let op = ctx.op(set);
    let mut b = CaseBuilder::new(
        ctx,
        &group.resource,
        op,
        Family::Roundtrip,
        "create_update_read_list_delete",
        "create (201), update (200), read back, list, delete (204), read again (404)",
    );
    for (label, request, index, expectation) in steps {
        b = b.check(label, request, Some(ctx.op_ref(index)), expectation?);
    }
    b = b.cleanup(ctx.cleanup_delete(group, &key, subject, ctx.keeper(subject).unwrap_or(actor)));
    b = b.skip_if(ctx.actor_missing);
    Some(b.build())
}

/// Every JSON type (object, array, string, number, boolean, null) is stored and read back
/// unchanged: a case each.
fn value_types(
    ctx: &Ctx<'_>,
    group: &EntityPropertyGroup,
    subject: &Subject<'_>,
    (_, get, set, _): Four,
    out: &mut Vec<Case>,
) {
    let actor = &ctx.actor;
    let who = || Actor::Principal(actor.name.clone());
    let expect = |index: usize, status: u16, body: Vec<BodyCheck>| {
        ctx.expect_documented(index, status)
            .map(|e| Expectation { body, ..e })
    };
    let req = |method: &str, k: Option<&str>, body: Body| {
        ctx.property_request(group, method, k, subject, who(), body)
    };
    let op = ctx.op(set);
    let values: [(&str, Value); 6] = [
        ("object", json!({"a": {"b": [1, 2, {"c": null}]}})),
        ("array", json!([1, "two", 3.5, false])),
        ("string", json!("plain text with ünïcödé")),
        ("number", json!(42.125)),
        ("boolean", json!(true)),
        ("null", Value::Null),
    ];
    for (name, value) in values {
        let key = run_key(&format!("type-{name}"));
        let (Some(put_expect), Some(get_expect)) = (
            ctx.expect_documented(set, 201),
            expect(
                get,
                200,
                vec![BodyCheck::Equals {
                    pointer: "/value".into(),
                    value: value.clone(),
                }],
            ),
        ) else {
            continue;
        };
        let mut b = CaseBuilder::new(
            ctx,
            &group.resource,
            op,
            Family::Roundtrip,
            &format!("value_type_{name}"),
            format!("a JSON {name} value is stored and read back unchanged"),
        )
        .check(
            format!("PUT a {name}"),
            req("PUT", Some(&key), Body::Json(value)),
            Some(ctx.op_ref(set)),
            put_expect,
        )
        .check(
            "GET it back",
            req("GET", Some(&key), Body::None),
            Some(ctx.op_ref(get)),
            get_expect,
        )
        .cleanup(ctx.cleanup_delete(
            group,
            &key,
            subject,
            ctx.keeper(subject).unwrap_or(actor),
        ));
        b = b.skip_if(ctx.actor_missing);
        out.push(b.build());
    }
}
