//! The scratch worklogs update cases may change, how a change is put back, and how a change is
//! read back.

use serde_json::json;

use crate::case::{
    Api, Body, BodyCheck, Expectation, Provenance, Request, StatusExpectation, Step,
};
use crate::fixtures::{Principal, Worklog};
use crate::generate::context::Ctx;
use crate::generate::world::address::{request, who};
use crate::generate::world::view::WorldView;

/// The worklogs update cases may change: the actor's own, unrestricted, on an issue other than
/// the one read cases use, so a change never shows in another case's answer.
fn scratch_worklogs<'a>(ctx: &Ctx<'a>, actor: &Principal) -> Vec<&'a Worklog> {
    let world = WorldView::new(ctx.fixtures);
    let read = world.readable_issue(actor).map(|i| i.key.clone());
    ctx.fixtures
        .world
        .worklogs
        .iter()
        .filter(|w| {
            w.author == actor.name
                && w.visibility.is_none()
                && Some(&w.issue) != read.as_ref()
                && world.sees_worklog(actor, w)
        })
        .collect()
}

/// The scratch worklog of this API version: one per version when there are two, so the
/// versions' cases never race on one worklog.
pub fn scratch_worklog<'a>(ctx: &Ctx<'a>, actor: &Principal) -> Option<&'a Worklog> {
    let scratch = scratch_worklogs(ctx, actor);
    let slot = match ctx.api {
        Api::V2 => 0,
        Api::V3 => 1,
    };
    scratch.get(slot % scratch.len().max(1)).copied()
}

/// The worklog the refused updates of this API version go to, and whether it is theirs alone:
/// the third and fourth scratch worklogs when the fixtures have them (no accepted update
/// touches those, so a read-back after a refusal answers the same every time), else the
/// version's scratch worklog, shared with the accepted updates.
pub fn refusal_worklog<'a>(ctx: &Ctx<'a>, actor: &Principal) -> Option<(&'a Worklog, bool)> {
    let scratch = scratch_worklogs(ctx, actor);
    let slot = match ctx.api {
        Api::V2 => 2,
        Api::V3 => 3,
    };
    match scratch.get(slot) {
        Some(l) => Some((l, true)),
        None => scratch_worklog(ctx, actor).map(|l| (l, false)),
    }
}

/// Whether an issue holds worklogs the update cases change: reads of it are left out, as their
/// answers would depend on which update is in flight.
pub fn is_scratch_issue(ctx: &Ctx<'_>, key: &str) -> bool {
    scratch_worklogs(ctx, &ctx.actor)
        .iter()
        .any(|w| w.issue == key)
}

/// A worklog comment in the version's format: plain text on v2, a document on v3.
pub fn comment(ctx: &Ctx<'_>, text: &str) -> serde_json::Value {
    comment_in(ctx.api, text)
}

/// A worklog comment in the format of `api`.
pub fn comment_in(api: Api, text: &str) -> serde_json::Value {
    match api {
        Api::V2 => json!(text),
        Api::V3 => json!({
            "type": "doc",
            "version": 1,
            "content": [{"type": "paragraph", "content": [{"type": "text", "text": text}]}]
        }),
    }
}

/// The cleanup that puts a worklog back as the fixtures describe it, sent as its author only
/// when step 0 changed it: the path names the worklog by the id step 0's answer carries, so a
/// refused update (an error body, no id) sends no restore, and a restore never hits an
/// unchanged worklog (which would itself be refused as changing nothing).
pub fn restore_worklog(ctx: &Ctx<'_>, index: usize, l: &Worklog, author: &Principal) -> Request {
    let mut r = request(
        ctx,
        index,
        &[("issueIdOrKey", l.issue.as_str()), ("id", "ID")],
        who(author),
    );
    r.path = r
        .path
        .replace("/ID", &format!("/{}", crate::case::step_ref(0, "/id")));
    r.body = Body::Json(json!({
        "timeSpentSeconds": l.time_spent_seconds,
        "comment": comment(ctx, &l.comment),
    }));
    r
}

/// The GET step reading worklog `l` back as `reader` after `why`: 200 and `checks` (the
/// fields the write must have kept or changed); `None` when the spec has no getWorklog.
pub fn read_back(
    ctx: &Ctx<'_>,
    l: &Worklog,
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
    let request = request(
        ctx,
        get,
        &[("issueIdOrKey", l.issue.as_str()), ("id", l.id.as_str())],
        who(reader),
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
