//! Isolation: a property written on one subject (a user's record, a dashboard item, an issue…)
//! shows on that subject only. Per entity-property group and per ordered pair of principals
//! whose own subjects differ: the first stores a run-unique key on its subject; the second's
//! GET of that key on its own subject is 404 and its listing omits the key, while the first's
//! listing holds it. Only this case's own key is compared, in both directions, so the checks
//! need no filter of other cases' keys and a real leak cannot hide.

use serde_json::json;

use super::context::{run_key, CaseBuilder, Ctx, Subject};
use super::entity_property::EntityPropertyGroup;
use crate::case::{
    Actor, Body, BodyCheck, Case, Expectation, Family, Provenance, StatusExpectation, Step,
};

fn params(subject: &Subject<'_>) -> Option<Vec<(String, String)>> {
    match subject {
        Subject::Of(p) => Some(vec![("accountId".into(), p.account_id.clone())]),
        Subject::Entity { params, .. } => Some(params.clone()),
        _ => None,
    }
}

fn who(subject: &Subject<'_>) -> String {
    match subject {
        Subject::Of(p) => format!("{}'s record", p.name),
        Subject::Entity { label, .. } => label.clone(),
        _ => "?".into(),
    }
}

/// The isolation cases of one group (named after its set operation).
pub fn property(ctx: &Ctx<'_>, group: &EntityPropertyGroup, out: &mut Vec<Case>) {
    let (Some(set), Some(get), Some(keys)) = (group.set, group.get, group.keys) else {
        return;
    };
    let (Some(created), Some(missing), Some(listed)) = (
        ctx.create_status(set),
        ctx.status_provenance(get, 404),
        ctx.status_provenance(keys, 200),
    ) else {
        return;
    };
    let Some(stored) = ctx.status_provenance(set, created) else {
        return;
    };
    let isolation = |base: Provenance, what: &str| match base {
        Provenance::Spec {
            file,
            pointer,
            text,
        } => Provenance::Spec {
            file,
            pointer,
            text: format!("a property belongs to its entity: {what} ({text})"),
        },
        other => other,
    };
    let principals = &ctx.fixtures.principals;
    for writer in principals {
        let Some(mine) = super::world::own_subject(ctx, group, writer) else {
            continue;
        };
        for reader in principals.iter().filter(|r| r.name != writer.name) {
            let Some(theirs) = super::world::own_subject(ctx, group, reader) else {
                continue;
            };
            if params(&mine).is_none() || params(&mine) == params(&theirs) {
                continue;
            }
            let key = run_key("iso");
            let as_ = |p: &crate::fixtures::Principal| Actor::Principal(p.name.clone());
            let put = ctx.property_request(
                group,
                "PUT",
                Some(&key),
                &mine,
                as_(writer),
                Body::Json(json!({"isolated": writer.name})),
            );
            let expect = |status, body, provenance| Expectation {
                status: StatusExpectation::Exact(status),
                body,
                allow: None,
                provenance,
            };
            let b = CaseBuilder::new(
                ctx,
                &group.resource,
                ctx.op(set),
                Family::Roundtrip,
                &format!("isolated_{}_from_{}", writer.name, reader.name),
                format!(
                    "a property {} stores on {} is not seen on {}",
                    writer.name,
                    who(&mine),
                    who(&theirs)
                ),
            )
            .step(Step {
                // Labels are in snapshots: principals only, never entity ids.
                label: format!("{} stores the key on its own entity", writer.name),
                setup: false,
                request: put,
                operation: Some(ctx.op_ref(set)),
                expect: expect(created, Vec::new(), stored.clone()),
            })
            .step(Step {
                label: format!("{} reads the key on its own entity", reader.name),
                setup: false,
                request: ctx.property_request(
                    group,
                    "GET",
                    Some(&key),
                    &theirs,
                    as_(reader),
                    Body::None,
                ),
                operation: Some(ctx.op_ref(get)),
                expect: expect(
                    404,
                    Vec::new(),
                    isolation(
                        missing.clone(),
                        "another entity's GET of the key finds nothing",
                    ),
                ),
            })
            .step(Step {
                label: format!("{} lists the keys of its own entity", reader.name),
                setup: false,
                request: ctx.property_request(group, "GET", None, &theirs, as_(reader), Body::None),
                operation: Some(ctx.op_ref(keys)),
                expect: expect(
                    200,
                    vec![BodyCheck::OmitsKey { key: key.clone() }],
                    isolation(listed.clone(), "another entity's listing omits the key"),
                ),
            })
            .step(Step {
                label: format!("{} lists the keys of its own entity", writer.name),
                setup: false,
                request: ctx.property_request(group, "GET", None, &mine, as_(writer), Body::None),
                operation: Some(ctx.op_ref(keys)),
                expect: expect(
                    200,
                    vec![BodyCheck::ListsKey { key: key.clone() }],
                    isolation(listed.clone(), "its own entity's listing holds the key"),
                ),
            })
            .cleanup(ctx.cleanup_delete(group, &key, &mine, writer));
            out.push(b.build());
        }
    }
}
