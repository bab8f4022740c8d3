//! Isolation: a property written on one subject (a user's record, a dashboard item, an issue…)
//! shows on that subject only. Per entity-property group and per ordered pair of principals
//! whose own subjects differ: the first stores a run-unique key on its subject; the second's
//! GET of that key on its own subject is 404 and its listing omits the key, while the first's
//! listing holds it. Only this case's own key is compared, in both directions, so the checks
//! need no filter of other cases' keys and a real leak cannot hide.
//!
//! Issue and project properties belong to an entity every principal may share, so isolation
//! between principals says little there; what matters is isolation between entities: the
//! actor stores a key on one issue (project) and reads another one it may see, whose GET is
//! 404 and whose listing omits the key.

use serde_json::json;

use crate::case::{
    Actor, Body, BodyCheck, Case, Expectation, Family, Provenance, StatusExpectation, Step,
};
use crate::fixtures::Principal;
use crate::generate::context::{run_key, CaseBuilder, Ctx, Subject};
use crate::generate::entity_property::EntityPropertyGroup;
use crate::generate::world::{other_subject, own_subject};

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

/// What the spec documents for a group's isolation case: the operations, the status a store
/// answers, and the provenance of each expectation.
struct Documented {
    set: usize,
    get: usize,
    keys: usize,
    created: u16,
    stored: Provenance,
    missing: Provenance,
    listed: Provenance,
}

/// The isolation cases of one group (named after its set operation).
pub fn property(ctx: &Ctx<'_>, group: &EntityPropertyGroup, out: &mut Vec<Case>) {
    let Some(d) = documented(ctx, group) else {
        return;
    };
    let principals = &ctx.fixtures.principals;
    for writer in principals {
        let Some(mine) = own_subject(ctx, group, writer) else {
            continue;
        };
        for reader in principals.iter().filter(|r| r.name != writer.name) {
            let Some(theirs) = own_subject(ctx, group, reader) else {
                continue;
            };
            if params(&mine).is_none() || params(&mine) == params(&theirs) {
                continue;
            }
            let sides = Sides {
                name: format!("isolated_{}_from_{}", writer.name, reader.name),
                summary: format!(
                    "a property {} stores on {} is not seen on {}",
                    writer.name,
                    who(&mine),
                    who(&theirs)
                ),
                writer: (writer, &mine, "its own entity"),
                reader: (reader, &theirs, "its own entity"),
            };
            out.push(case(ctx, group, &d, sides).build());
        }
    }
    between_entities(ctx, group, &d, out);
}

/// The actor stores a key on its issue (project) and does not see it on another one.
fn between_entities(
    ctx: &Ctx<'_>,
    group: &EntityPropertyGroup,
    d: &Documented,
    out: &mut Vec<Case>,
) {
    let actor = &ctx.actor;
    let Some(mine) = own_subject(ctx, group, actor) else {
        return;
    };
    let Some((theirs, kind)) = other_subject(ctx, group, actor, &mine) else {
        return;
    };
    let (one, another) = (format!("one {kind}"), format!("another {kind}"));
    let sides = Sides {
        name: format!("isolated_from_other_{kind}"),
        summary: format!(
            "a property {} stores on {} is not seen on {}",
            actor.name,
            who(&mine),
            who(&theirs)
        ),
        writer: (actor, &mine, &one),
        reader: (actor, &theirs, &another),
    };
    out.push(
        case(ctx, group, d, sides)
            .skip_if(ctx.actor_missing)
            .build(),
    );
}

/// One isolation case: the case's name and summary, and for the writer and the reader the
/// principal, its subject and how labels name the subject (principals and words only: labels
/// are in snapshots, entity ids never are).
struct Sides<'a, 's> {
    name: String,
    summary: String,
    writer: (&'a Principal, &'a Subject<'s>, &'a str),
    reader: (&'a Principal, &'a Subject<'s>, &'a str),
}

/// The group's operations and documented statuses; `None` when it lacks one.
fn documented(ctx: &Ctx<'_>, group: &EntityPropertyGroup) -> Option<Documented> {
    let (set, get, keys) = (group.set?, group.get?, group.keys?);
    let (created, missing, listed) = (
        ctx.create_status(set)?,
        ctx.status_provenance(get, 404)?,
        ctx.status_provenance(keys, 200)?,
    );
    let stored = ctx.status_provenance(set, created)?;
    Some(Documented {
        set,
        get,
        keys,
        created,
        stored,
        missing,
        listed,
    })
}

/// The provenance `base` restated as the isolation rule: `what` shows it.
fn isolation(base: Provenance, what: &str) -> Provenance {
    match base {
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
    }
}

/// The writer stores a key on its subject (`mine`); the reader does not see it on its own
/// (`theirs`), while the writer's listing holds it.
fn case(
    ctx: &Ctx<'_>,
    group: &EntityPropertyGroup,
    d: &Documented,
    sides: Sides<'_, '_>,
) -> CaseBuilder {
    let (writer, mine, mine_words) = sides.writer;
    let (reader, theirs, theirs_words) = sides.reader;
    let key = run_key("iso");
    let as_ = |p: &Principal| Actor::Principal(p.name.clone());
    let put = ctx.property_request(
        group,
        "PUT",
        Some(&key),
        mine,
        as_(writer),
        Body::Json(json!({"isolated": writer.name})),
    );
    let expect = |status, body, provenance| Expectation {
        status: StatusExpectation::Exact(status),
        body,
        allow: None,
        provenance,
    };
    CaseBuilder::new(
        ctx,
        &group.resource,
        ctx.op(d.set),
        Family::Roundtrip,
        &sides.name,
        sides.summary,
    )
    .step(Step {
        // Labels are in snapshots: principals only, never entity ids.
        label: format!("{} stores the key on {mine_words}", writer.name),
        setup: false,
        request: put,
        operation: Some(ctx.op_ref(d.set)),
        expect: expect(d.created, Vec::new(), d.stored.clone()),
    })
    .step(Step {
        label: format!("{} reads the key on {theirs_words}", reader.name),
        setup: false,
        request: ctx.property_request(group, "GET", Some(&key), theirs, as_(reader), Body::None),
        operation: Some(ctx.op_ref(d.get)),
        expect: expect(
            404,
            Vec::new(),
            isolation(
                d.missing.clone(),
                "another entity's GET of the key finds nothing",
            ),
        ),
    })
    .step(Step {
        label: format!("{} lists the keys of {theirs_words}", reader.name),
        setup: false,
        request: ctx.property_request(group, "GET", None, theirs, as_(reader), Body::None),
        operation: Some(ctx.op_ref(d.keys)),
        expect: expect(
            200,
            vec![BodyCheck::OmitsKey { key: key.clone() }],
            isolation(d.listed.clone(), "another entity's listing omits the key"),
        ),
    })
    .step(Step {
        label: format!("{} lists the keys of {mine_words}", writer.name),
        setup: false,
        request: ctx.property_request(group, "GET", None, mine, as_(writer), Body::None),
        operation: Some(ctx.op_ref(d.keys)),
        expect: expect(
            200,
            vec![BodyCheck::ListsKey { key: key.clone() }],
            isolation(d.listed.clone(), "its own entity's listing holds the key"),
        ),
    })
    .cleanup(ctx.cleanup_delete(group, &key, mine, writer))
}
