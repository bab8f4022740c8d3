//! Read-back: after a write, accepted or refused, a GET whose expectation is the state after
//! (accepted: the new value is kept, a delete is gone; refused: the state before, unchanged),
//! a step of the case with its own provenance. The world's resources read their own writes back
//! (`world/worklogs`, `world/project_roles`). A write's answer alone is never trusted.

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
