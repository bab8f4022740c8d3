//! Read-back: after a write, accepted or refused, a GET whose expectation is the state after
//! (accepted: the new value is kept, a delete is gone; refused: the state before, unchanged),
//! a step of the case with its own provenance. A write's answer alone is never trusted.

use serde_json::Value;

use super::context::{Ctx, Subject};
use super::entity_property::EntityPropertyGroup;
use crate::case::{Actor, Body, BodyCheck, Expectation, Provenance, StatusExpectation, Step};
use crate::fixtures::Principal;

/// The GET step reading property `key` of `subject` back as `keeper`: it must hold `holds`
/// (200 and that `/value`), or be absent (404) when `holds` is `None`. `why` says what the
/// write was (`a refused PUT`, `an accepted DELETE`); `None` when the group has no GET or the
/// spec documents neither status.
pub fn property(
    ctx: &Ctx<'_>,
    group: &EntityPropertyGroup,
    key: &str,
    subject: &Subject<'_>,
    keeper: &Principal,
    holds: Option<&Value>,
    why: &str,
) -> Option<Step> {
    let get = group.get?;
    let status = if holds.is_some() { 200 } else { 404 };
    let Provenance::Spec {
        file,
        pointer,
        text,
    } = ctx.status_provenance(get, status)?
    else {
        return None;
    };
    let state = match holds {
        Some(_) => "the property holds the value stored",
        None => "the property is absent",
    };
    let body = holds
        .map(|v| {
            vec![BodyCheck::Equals {
                pointer: "/value".into(),
                value: v.clone(),
            }]
        })
        .unwrap_or_default();
    Some(Step {
        label: format!("read back as {} after {why}", keeper.name),
        setup: false,
        request: ctx.property_request(
            group,
            "GET",
            Some(key),
            subject,
            Actor::Principal(keeper.name.clone()),
            Body::None,
        ),
        operation: Some(ctx.op_ref(get)),
        expect: Expectation {
            status: StatusExpectation::Exact(status),
            body,
            allow: None,
            provenance: Provenance::Spec {
                file,
                pointer,
                text: format!("read-back after {why}: {state} ({text})"),
            },
        },
    })
}

/// The GET step reading worklog `l` back as `reader` after `why`: 200 and `checks` (the
/// fields the write must have kept or changed); `None` when the spec has no getWorklog.
pub fn worklog(
    ctx: &Ctx<'_>,
    l: &crate::fixtures::Worklog,
    reader: &Principal,
    checks: Vec<BodyCheck>,
    why: &str,
) -> Option<Step> {
    let (get, _) = ctx.spec.operation("getWorklog")?;
    let Provenance::Spec {
        file,
        pointer,
        text,
    } = ctx.status_provenance(get, 200)?
    else {
        return None;
    };
    let request = super::world_ops::request(
        ctx,
        get,
        &[("issueIdOrKey", l.issue.as_str()), ("id", l.id.as_str())],
        super::world_ops::who(reader),
    );
    Some(Step {
        // Labels are in snapshots: no entity id.
        label: format!("read back the worklog as {} after {why}", reader.name),
        setup: false,
        request,
        operation: Some(ctx.op_ref(get)),
        expect: Expectation {
            status: StatusExpectation::Exact(200),
            body: checks,
            allow: None,
            provenance: Provenance::Spec {
                file,
                pointer,
                text: format!("read-back after {why}: the worklog holds what it must ({text})"),
            },
        },
    })
}

/// The GET step listing the roles of the world's first project as `reader` after a refused
/// create: no role is named `name` (`getProjectRoles` answers an object keyed by role name).
pub fn role_absent(ctx: &Ctx<'_>, name: &str, reader: &Principal) -> Option<Step> {
    let (get, _) = ctx.spec.operation("getProjectRoles")?;
    let project = ctx.fixtures.world.projects.first()?;
    let Provenance::Spec {
        file,
        pointer,
        text,
    } = ctx.status_provenance(get, 200)?
    else {
        return None;
    };
    let request = super::world_ops::request(
        ctx,
        get,
        &[("projectIdOrKey", project.key.as_str())],
        super::world_ops::who(reader),
    );
    let escaped = name.replace('~', "~0").replace('/', "~1");
    Some(Step {
        label: format!(
            "read back the project's roles as {} after a refused create",
            reader.name
        ),
        setup: false,
        request,
        operation: Some(ctx.op_ref(get)),
        expect: Expectation {
            status: StatusExpectation::Exact(200),
            body: vec![BodyCheck::Absent {
                pointer: format!("/{escaped}"),
            }],
            allow: None,
            provenance: Provenance::Spec {
                file,
                pointer,
                text: format!(
                    "read-back after a refused create: no role of that name exists ({text})"
                ),
            },
        },
    })
}
