//! Key vs no key on an entity-property group: the property key present or absent in the path,
//! `accountId` present or absent (or replaced by the deprecated `userKey`/`username`).

use crate::case::{
    Actor, Body, BodyCheck, Case, Expectation, Family, Provenance, StatusExpectation,
};
use crate::fixtures::Principal;
use crate::generate::context::{run_key, CaseBuilder, Ctx, Subject};
use crate::generate::entity_property::EntityPropertyGroup;
use crate::generate::world::own_subject;
use crate::spec::ParamLocation;

type Query = Vec<(String, String)>;

/// No-key and no-accountId cases of an entity-property group.
pub fn property(ctx: &Ctx<'_>, group: &EntityPropertyGroup, out: &mut Vec<Case>) {
    let actor = &ctx.actor;
    let Some(subject) = own_subject(ctx, group, actor) else {
        return;
    };
    let keeper = ctx.keeper(&subject).unwrap_or(actor);
    let on = (&subject, keeper);
    no_key_listing(ctx, group, on, out);
    no_key_put(ctx, group, &subject, out);
    no_key_delete(ctx, group, &subject, out);
    without_account_id(ctx, group, on, out);
}

/// GET with an empty property key answers the key listing.
fn no_key_listing(
    ctx: &Ctx<'_>,
    group: &EntityPropertyGroup,
    (subject, keeper): (&Subject<'_>, &Principal),
    out: &mut Vec<Case>,
) {
    let actor = &ctx.actor;
    let who = || Actor::Principal(actor.name.clone());
    let (Some(get), Some(keys)) = (group.get, group.keys) else {
        return;
    };
    let op = ctx.op(get);
    let key = run_key("nokey");
    let listing = ctx.property_request(group, "GET", None, subject, who(), Body::None);
    let no_key = ctx.property_request(group, "GET", Some(""), subject, who(), Body::None);
    let provenance = Provenance::Spec {
        file: ctx.spec.source.clone(),
        pointer: format!("{}/description", op.pointer),
        text: format!(
            "{}: when no property key is given, the key listing is returned",
            op.operation_id
        ),
    };
    if let Some(list_expect) = ctx.expect_documented(keys, 200) {
        let b = CaseBuilder::new(
            ctx,
            &group.resource,
            op,
            Family::Keys,
            "no_key_equals_listing",
            "GET with an empty property key answers the key listing",
        )
        .step_opt(ctx.setup_put(group, &key, subject, keeper, serde_json::json!("k")))
        .check(
            "the key listing",
            listing,
            Some(ctx.op_ref(keys)),
            Expectation {
                body: vec![BodyCheck::ListsKey { key: key.clone() }],
                ..list_expect
            },
        )
        // Other cases write to the same record in parallel, so the two listings are compared by
        // what this case controls: both answer 200 with the listing schema and list its key.
        .check(
            "GET with no key",
            no_key,
            Some(ctx.op_ref(keys)),
            Expectation {
                status: StatusExpectation::Exact(200),
                body: vec![BodyCheck::ListsKey { key: key.clone() }],
                allow: None,
                provenance,
            },
        )
        .cleanup(ctx.cleanup_delete(group, &key, subject, keeper));
        out.push(b.skip_if(ctx.actor_missing).build());
    }
}

/// PUT with no property key is refused with 405.
fn no_key_put(
    ctx: &Ctx<'_>,
    group: &EntityPropertyGroup,
    subject: &Subject<'_>,
    out: &mut Vec<Case>,
) {
    let actor = &ctx.actor;
    let who = || Actor::Principal(actor.name.clone());
    let Some(set) = group.set else {
        return;
    };
    let op = ctx.op(set);
    if let Some(expect) = ctx.expect_documented(set, 405) {
        let req = ctx.property_request(
            group,
            "PUT",
            Some(""),
            subject,
            who(),
            Body::Json(serde_json::json!(1)),
        );
        let b = CaseBuilder::new(
            ctx,
            &group.resource,
            op,
            Family::Keys,
            "no_key_put",
            "PUT with no property key is refused with 405",
        )
        .check("PUT with no key", req, None, expect);
        out.push(b.skip_if(ctx.actor_missing).build());
    }
}

/// DELETE with no property key is refused with 405: the path names the key listing.
fn no_key_delete(
    ctx: &Ctx<'_>,
    group: &EntityPropertyGroup,
    subject: &Subject<'_>,
    out: &mut Vec<Case>,
) {
    let actor = &ctx.actor;
    let who = || Actor::Principal(actor.name.clone());
    let (Some(delete), Some(keys)) = (group.delete, group.keys) else {
        return;
    };
    let op = ctx.op(delete);
    let listing_methods = ctx
        .spec
        .methods_by_path
        .get(&ctx.op(keys).path)
        .cloned()
        .unwrap_or_default();
    let req = ctx.property_request(group, "DELETE", Some(""), subject, who(), Body::None);
    let expect = Expectation {
        status: StatusExpectation::Exact(405),
        body: Vec::new(),
        allow: None,
        provenance: Provenance::Standard {
            reference: "RFC 9110 §15.5.6".into(),
            text: format!(
                "with no key the path names the key listing, which documents only {}",
                listing_methods.join(", ")
            ),
        },
    };
    let b = CaseBuilder::new(
        ctx,
        &group.resource,
        op,
        Family::Keys,
        "no_key_delete",
        "DELETE with no property key is refused with 405",
    )
    .check("DELETE with no key", req, None, expect);
    out.push(b.skip_if(ctx.actor_missing).build());
}

/// Each operation taking `accountId`, called without it (or with a deprecated `userKey` or
/// `username` instead), is refused with 400.
fn without_account_id(
    ctx: &Ctx<'_>,
    group: &EntityPropertyGroup,
    (subject, keeper): (&Subject<'_>, &Principal),
    out: &mut Vec<Case>,
) {
    let actor = &ctx.actor;
    let who = || Actor::Principal(actor.name.clone());
    for index in group.operations() {
        let op = ctx.op(index);
        if op.parameter(ParamLocation::Query, "accountId").is_none() {
            continue;
        }
        let Some(expect) = ctx.expect_documented(index, 400) else {
            continue;
        };
        let (key, body) = ctx.property_target(group, index, "no-account");
        let mut variants: Vec<(&str, &str, Query)> =
            vec![("no_account_id", "without accountId", Vec::new())];
        for deprecated in ["userKey", "username"] {
            if op
                .parameter(ParamLocation::Query, deprecated)
                .is_some_and(|p| p.deprecated)
            {
                let name = if deprecated == "userKey" {
                    "user_key_instead_of_account_id"
                } else {
                    "username_instead_of_account_id"
                };
                variants.push((
                    name,
                    deprecated,
                    vec![(deprecated.to_string(), actor.name.clone())],
                ));
            }
        }
        for (name, what, query) in variants {
            let mut req = ctx.property_request(
                group,
                &op.method,
                key.as_deref(),
                &Subject::Missing,
                who(),
                body.clone(),
            );
            req.query = query;
            let summary = if what.starts_with("without") {
                format!("{} {what} is refused with 400", op.method)
            } else {
                format!(
                    "{} with the deprecated {what} instead of accountId is refused with 400",
                    op.method
                )
            };
            let mut b = CaseBuilder::new(ctx, &group.resource, op, Family::Keys, name, summary)
                .check(
                    format!("{} as {}", op.method, actor.name),
                    req,
                    Some(ctx.op_ref(index)),
                    expect.clone(),
                );
            if let Some(k) = &key {
                // A target that ignores the missing accountId writes to the caller's record.
                b = b.cleanup(ctx.cleanup_delete(group, k, subject, keeper));
            }
            out.push(b.skip_if(ctx.actor_missing).build());
        }
    }
}
