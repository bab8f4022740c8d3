//! The matrix principal × whose record × operation of an entity-property group owned by an
//! `accountId`, with the expected outcome taken from the "Permissions required" prose (401
//! unauthenticated, 403 forbidden, 404 unknown user).

use serde_json::{json, Value};

use crate::case::{
    Actor, Body, BodyCheck, Case, Expectation, Family, Provenance, StatusExpectation,
};
use crate::fixtures::Principal;
use crate::generate::context::{
    placeholder, run_key, CaseBuilder, Ctx, Roles, Subject, NEEDS_ADMIN, NEEDS_SECOND_USER,
    NEEDS_USER,
};
use crate::generate::entity_property::{EntityPropertyGroup, Owner};
use crate::spec::prose::Grant;

/// One cell of the matrix: who calls, on whose record, and why it cannot run.
struct Cell<'a> {
    name: &'static str,
    actor: Option<&'a Principal>,
    anonymous: Option<Actor>,
    subject: Subject<'a>,
    missing: Option<&'static str>,
}

/// The matrix for every operation of an entity-property group owned by an `accountId`.
pub fn property(ctx: &Ctx<'_>, group: &EntityPropertyGroup, out: &mut Vec<Case>) {
    if group.owner != Owner::AccountIdQuery {
        return;
    }
    let fallback = placeholder();
    let cells = cells(&ctx.roles, &fallback);
    for index in group.operations() {
        let rule = ctx.permissions(index);
        let admin_any = rule.grant(Grant::AdministerJira);
        let own = rule.grant(Grant::OwnRecord);
        let (Some(admin_any), Some(own)) = (admin_any, own) else {
            continue;
        };
        for cell in &cells {
            let Some((status, provenance)) = expectation(ctx, index, cell, admin_any, own) else {
                continue;
            };
            out.push(case(ctx, group, index, cell, (status, provenance)));
        }
    }
}

/// The cells: the administrator and a user on their own record, on another's and on an
/// unknown user's, and anonymous and invalid credentials; `fallback` stands in for the
/// principals the fixtures lack (those cells are skipped).
fn cells<'a>(r: &Roles<'a>, fallback: &'a Principal) -> [Cell<'a>; 7] {
    let need = |p: Option<&Principal>, why| if p.is_none() { Some(why) } else { None };
    let user_or = r.user.unwrap_or(fallback);
    let other_or = r.other.unwrap_or(fallback);
    [
        Cell {
            name: "admin_on_own_record",
            actor: r.admin,
            anonymous: None,
            subject: Subject::Of(r.admin.unwrap_or(fallback)),
            missing: need(r.admin, NEEDS_ADMIN),
        },
        Cell {
            name: "admin_on_other_user",
            actor: r.admin,
            anonymous: None,
            subject: Subject::Of(user_or),
            missing: need(r.admin, NEEDS_ADMIN).or(need(r.user, NEEDS_USER)),
        },
        Cell {
            name: "admin_on_unknown_user",
            actor: r.admin,
            anonymous: None,
            subject: Subject::Unknown,
            missing: need(r.admin, NEEDS_ADMIN),
        },
        Cell {
            name: "user_on_own_record",
            actor: r.user,
            anonymous: None,
            subject: Subject::Of(user_or),
            missing: need(r.user, NEEDS_USER),
        },
        Cell {
            name: "user_on_other_user",
            actor: r.user,
            anonymous: None,
            subject: Subject::Of(other_or),
            missing: need(r.user, NEEDS_USER).or(need(r.other, NEEDS_SECOND_USER)),
        },
        Cell {
            name: "anonymous",
            actor: None,
            anonymous: Some(Actor::Anonymous),
            subject: Subject::Of(user_or),
            missing: need(r.user, NEEDS_USER),
        },
        Cell {
            name: "invalid_credentials",
            actor: None,
            anonymous: Some(Actor::InvalidCredentials),
            subject: Subject::Of(user_or),
            missing: need(r.user, NEEDS_USER),
        },
    ]
}

/// The status a cell expects and the sentence that says so; `None` when the spec documents
/// neither.
fn expectation(
    ctx: &Ctx<'_>,
    index: usize,
    cell: &Cell<'_>,
    admin_any: &Provenance,
    own: &Provenance,
) -> Option<(u16, Provenance)> {
    let success = ctx.create_status(index);
    let is_admin = cell.actor.is_some_and(|p| p.admin);
    let on_own = matches!((&cell.subject, cell.actor), (Subject::Of(s), Some(a)) if s.account_id == a.account_id);
    let (status, provenance) = match (&cell.anonymous, &cell.subject) {
        (Some(_), _) => (401, ctx.status_provenance(index, 401)),
        (None, Subject::Unknown) => (404, ctx.status_provenance(index, 404)),
        _ if is_admin => (success.unwrap_or(200), Some(admin_any.clone())),
        _ if on_own => (success.unwrap_or(200), Some(own.clone())),
        _ => (
            403,
            ctx.status_provenance(index, 403)
                .or_else(|| Some(own.clone())),
        ),
    };
    Some((status, provenance?))
}

/// The case of one cell on the operation at `index`: set up, checked, read back, cleaned up.
fn case(
    ctx: &Ctx<'_>,
    group: &EntityPropertyGroup,
    index: usize,
    cell: &Cell<'_>,
    (status, provenance): (u16, Provenance),
) -> Case {
    let op = ctx.op(index);
    let actor = cell.anonymous.clone().unwrap_or_else(|| {
        Actor::Principal(cell.actor.map_or("missing".into(), |p| p.name.clone()))
    });
    let key = run_key("perm");
    let value = json!({"perm": cell.name});
    let item_key = if Some(index) == group.keys {
        None
    } else {
        Some(key.as_str())
    };
    let body = if Some(index) == group.set {
        Body::Json(value.clone())
    } else {
        Body::None
    };
    let request = ctx.property_request(
        group,
        &op.method,
        item_key,
        &cell.subject,
        actor.clone(),
        body,
    );
    let keeper = ctx.keeper(&cell.subject);
    let mut checks = Vec::new();
    let allowed = (200..300).contains(&status);
    let mut b = CaseBuilder::new(
        ctx,
        &group.resource,
        op,
        Family::Permissions,
        cell.name,
        format!(
            "{} {} as {}: {}",
            op.method,
            ctx.shown_path(index),
            cell.name.replace('_', " "),
            if allowed { "allowed" } else { "refused" }
        ),
    );
    // Reads and deletes need something to read or delete, so a refusal is about the
    // permission and not about a missing property.
    if Some(index) != group.set && !matches!(cell.subject, Subject::Unknown) {
        if let Some(keeper) = keeper {
            b = b.step_opt(ctx.setup_put(group, &key, &cell.subject, keeper, value.clone()));
        }
        if Some(index) == group.get && allowed {
            checks.push(BodyCheck::Equals {
                pointer: "/value".into(),
                value: value.clone(),
            });
        }
    }
    if Some(index) == group.keys && allowed && keeper.is_some() {
        // The listing must answer for the subject, not merely 200.
        checks.push(BodyCheck::ListsKey { key: key.clone() });
    }
    b = b.check(
        format!("{} as {actor}", op.method),
        request,
        Some(ctx.op_ref(index)),
        Expectation {
            status: StatusExpectation::Exact(status),
            body: checks,
            allow: None,
            provenance,
        },
    );
    b = read_back(ctx, group, index, cell, (&key, &value), allowed, b);
    // On an unknown user only the write needs undoing (a target that wrongly accepts it
    // keeps the key): nothing else was set up there.
    let unknown = matches!(cell.subject, Subject::Unknown);
    if let Some(keeper) = keeper.filter(|_| !unknown || Some(index) == group.set) {
        b = b.cleanup(ctx.cleanup_delete(group, &key, &cell.subject, keeper));
    }
    if let Some(why) = cell.missing {
        b = b.skip(why);
    }
    b.build()
}

/// Read-back: a write's answer is not trusted; the keeper reads the property after it
/// (accepted: the new value, or gone after a delete; refused: as before).
fn read_back(
    ctx: &Ctx<'_>,
    group: &EntityPropertyGroup,
    index: usize,
    cell: &Cell<'_>,
    (key, value): (&str, &Value),
    allowed: bool,
    b: CaseBuilder,
) -> CaseBuilder {
    let writes = Some(index) == group.set || Some(index) == group.delete;
    let keeper = ctx.keeper(&cell.subject);
    let Some(keeper) = keeper.filter(|_| writes && !matches!(cell.subject, Subject::Unknown))
    else {
        return b;
    };
    let set = Some(index) == group.set;
    let holds = match (set, allowed) {
        (true, true) | (false, false) => Some(value),
        _ => None,
    };
    let why = format!(
        "{} {} {}",
        if allowed { "an accepted" } else { "a refused" },
        ctx.op(index).method,
        if allowed || set {
            ""
        } else {
            "(the property set up stays)"
        }
    );
    b.step_opt(crate::generate::readback::property(
        ctx,
        group,
        key,
        &cell.subject,
        keeper,
        holds,
        why.trim_end(),
    ))
}
