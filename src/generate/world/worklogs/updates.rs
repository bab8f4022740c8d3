//! Updating a worklog (updateWorklog), always on the scratch worklog of this API version and
//! restored afterwards: who may not update it, a partial update keeps the other fields, what
//! an update that changes nothing answers, and the refused updates the documentation names
//! (each read back as unchanged, on a worklog of their own).

use serde_json::json;

use super::scratch::{
    comment, comment_in, read_back, refusal_worklog, restore_worklog, scratch_worklog,
};
use crate::case::{Api, Body, BodyCheck, Case, Expectation, Family, Provenance, StatusExpectation};
use crate::fixtures::{Principal, Worklog};
use crate::generate::context::{CaseBuilder, Ctx};
use crate::generate::world::address::{documented, request, who, OneStep};
use crate::generate::world::matrix::{cell, yes_no, Cell};
use crate::generate::world::view::WorldView;

/// Every principal who may not edit the scratch worklog updates it: refused (allowed updates
/// change the worklog; the roundtrip case covers them).
pub fn matrix(ctx: &Ctx<'_>, index: usize) -> Vec<Cell> {
    let (view, w) = (WorldView::new(ctx.fixtures), &ctx.fixtures.world);
    let Some(l) = scratch_worklog(ctx, &ctx.actor) else {
        return Vec::new();
    };
    let Some(project) = view
        .issue(&l.issue)
        .and_then(|i| ctx.fixtures.world.project(&i.project))
    else {
        return Vec::new();
    };
    let mut cells = Vec::new();
    for (n, p) in ctx.fixtures.principals.iter().enumerate() {
        let may_edit = p.name == l.author || project.edit_all_worklogs.contains(&p.name);
        if may_edit {
            continue;
        }
        let sees = view.sees_worklog(p, l) && w.timetracking.enabled;
        let mut r = request(
            ctx,
            index,
            &[("issueIdOrKey", &l.issue), ("id", &l.id)],
            who(p),
        );
        r.body = Body::Json(json!({
            "timeSpentSeconds": l.time_spent_seconds + 60 * (n as u64 + 11),
            "comment": comment(ctx, "an update the caller may not make"),
        }));
        let mut c = cell(
            format!("{}_on_worklog_{}", p.name, l.label),
            format!(
                "{} updates {}'s worklog {}: refused",
                p.name, l.author, l.id
            ),
            r,
            yes_no(sees, 400, 404),
            "Edit all worklogs, or Edit own worklogs for one's own; a refused update is a 400"
                .into(),
        );
        if let Some(author) = ctx.fixtures.principal(&l.author) {
            c.cleanup.push(restore_worklog(ctx, index, l, author));
        }
        cells.push(c);
    }
    cells
}

/// The actor's scratch worklog, when update cases can run (time tracking on).
fn scratch<'a>(ctx: &Ctx<'a>) -> Option<&'a Worklog> {
    if !ctx.fixtures.world.timetracking.enabled {
        return None;
    }
    scratch_worklog(ctx, &ctx.actor)
}

/// A request updating `l` as `actor` with `body`.
fn update(
    ctx: &Ctx<'_>,
    index: usize,
    l: &Worklog,
    actor: &Principal,
    body: Body,
) -> crate::case::Request {
    let params = [("issueIdOrKey", l.issue.as_str()), ("id", l.id.as_str())];
    let mut r = request(ctx, index, &params, who(actor));
    r.body = body;
    r
}

/// Roundtrip: change only the time spent; the comment must stay as it was, in the answer and
/// read back.
pub fn partial_update(ctx: &Ctx<'_>, resource: &str, index: usize, out: &mut Vec<Case>) {
    let Some(l) = scratch(ctx) else {
        return;
    };
    let (op, actor) = (ctx.op(index), &ctx.actor);
    let comment_text = comment_pointer(ctx.api);
    let changed = l.time_spent_seconds + 1800;
    let put = update(
        ctx,
        index,
        l,
        actor,
        Body::Json(json!({ "timeSpentSeconds": changed })),
    );
    let Some(mut expect) = documented(
        ctx,
        index,
        200,
        "only the fields given change; fields left out keep their values",
    ) else {
        return;
    };
    let checks = || {
        vec![
            BodyCheck::Equals {
                pointer: "/timeSpentSeconds".into(),
                value: json!(changed),
            },
            BodyCheck::Equals {
                pointer: comment_text.into(),
                value: json!(l.comment),
            },
        ]
    };
    expect.body = checks();
    let b = CaseBuilder::new(
        ctx,
        resource,
        op,
        Family::Roundtrip,
        "partial_update_keeps_other_fields",
        format!(
            "updating only timeSpentSeconds of worklog {} keeps its comment",
            l.id
        ),
    )
    .check(
        format!("PUT timeSpentSeconds as {}", actor.name),
        put,
        Some(ctx.op_ref(index)),
        expect,
    )
    .step_opt(read_back(
        ctx,
        l,
        actor,
        checks(),
        "an accepted partial update",
    ))
    .cleanup(restore_worklog(ctx, index, l, actor));
    out.push(b.skip_if(ctx.actor_missing).build());
}

/// Observations: the documentation lists no rule against an update that gives no field or
/// changes nothing (its 400 list names only adjustEstimate, permission and malformed JSON), so
/// what the target does is recorded, not judged.
pub fn observed_updates(ctx: &Ctx<'_>, resource: &str, index: usize, out: &mut Vec<Case>) {
    let Some(l) = scratch(ctx) else {
        return;
    };
    let (op, actor) = (ctx.op(index), &ctx.actor);
    let observed: [(&str, &str, serde_json::Value); 2] = [
        (
            "empty_update",
            "what an update with no fields answers",
            json!({}),
        ),
        (
            "unchanged_update",
            "what an update that changes nothing answers",
            // Only the start: the roundtrip case changes the time spent meanwhile and the refused
            // comment's read-back owns the comment; no case changes the start.
            json!({ "started": l.started }),
        ),
    ];
    for (name, summary, body) in observed {
        let b = CaseBuilder::new(
            ctx,
            resource,
            op,
            Family::Observations,
            name,
            format!("{summary} (worklog {})", l.id),
        )
        .check(
            format!("PUT as {}", actor.name),
            update(ctx, index, l, actor, Body::Json(body)),
            Some(ctx.op_ref(index)),
            Expectation {
                status: StatusExpectation::Observe,
                body: Vec::new(),
                allow: None,
                provenance: Provenance::Spec {
                    file: ctx.spec.source.clone(),
                    pointer: format!("{}/responses/400", op.pointer),
                    text: format!(
                        "{}: the documented 400 causes do not include an update that gives no field or changes nothing",
                        op.operation_id
                    ),
                },
            },
        );
        // No restore: neither body can change the worklog (no field, or the comment it has),
        // and a restore would race with the partial update's read-back on a target that
        // accepts them.
        out.push(b.skip_if(ctx.actor_missing).build());
    }
}

/// Limits: the one refused update the documentation names, in its own words, and a comment in
/// the other API version's format (a document on v3, plain text on v2), each read back as
/// unchanged. They go to the version's refusal worklog (`scratch::refusal_worklog`).
pub fn refused_updates(ctx: &Ctx<'_>, resource: &str, index: usize, out: &mut Vec<Case>) {
    if !ctx.fixtures.world.timetracking.enabled {
        return;
    }
    let actor = &ctx.actor;
    let Some((l, alone)) = refusal_worklog(ctx, actor) else {
        return;
    };
    let restore = || restore_worklog(ctx, index, l, actor);
    let mut r = update(
        ctx,
        index,
        l,
        actor,
        Body::Json(json!({ "timeSpentSeconds": l.time_spent_seconds + 900 })),
    );
    r.query = vec![("adjustEstimate".into(), "new".into())];
    out.extend(
        OneStep {
            family: Family::Limits,
            name: "new_estimate_missing",
            summary: format!(
                "adjustEstimate=new without newEstimate is refused with 400 (worklog {})",
                l.id
            ),
            request: r,
            status: 400,
            checks: Vec::new(),
            rule: "Returned if: `adjustEstimate` is set to `new` but `newEstimate` is not provided or is invalid.",
            cleanup: vec![restore()],
        }
        .build_then(ctx, resource, index, time_spent_kept(ctx, l, actor, alone)),
    );
    let wrong = match ctx.api {
        Api::V2 => comment_in(Api::V3, "wrong format"),
        Api::V3 => json!("wrong format"),
    };
    out.extend(
        OneStep {
            family: Family::Limits,
            name: "comment_in_the_other_format",
            summary: format!(
                "a comment in the other API version's format is refused with 400 (worklog {})",
                l.id
            ),
            request: update(
                ctx,
                index,
                l,
                actor,
                Body::Json(json!({ "comment": wrong })),
            ),
            status: 400,
            checks: Vec::new(),
            rule: "comment is plain text on v2 and an Atlassian Document Format document on v3",
            cleanup: vec![restore()],
        }
        .build_then(ctx, resource, index, comment_kept(ctx, l, actor)),
    );
}

/// The read-back after the refused estimate: the time spent unchanged. Only on a worklog the
/// refusals have alone: on a shared one the partial update changes the time spent meanwhile.
fn time_spent_kept(
    ctx: &Ctx<'_>,
    l: &Worklog,
    actor: &Principal,
    alone: bool,
) -> Option<crate::case::Step> {
    if !alone {
        return None;
    }
    read_back(
        ctx,
        l,
        actor,
        vec![BodyCheck::Equals {
            pointer: "/timeSpentSeconds".into(),
            value: json!(l.time_spent_seconds),
        }],
        "a refused update",
    )
}

/// The read-back after the refused comment: the worklog keeps the comment it had. Race-free
/// even on a shared worklog: no accepted update changes the comment (the partial update
/// changes the time spent, the observation the start, and a restore puts back the same comment).
fn comment_kept(ctx: &Ctx<'_>, l: &Worklog, actor: &Principal) -> Option<crate::case::Step> {
    read_back(
        ctx,
        l,
        actor,
        vec![BodyCheck::Equals {
            pointer: comment_pointer(ctx.api).into(),
            value: json!(l.comment),
        }],
        "a refused update",
    )
}

/// Where a worklog's comment text is in an answer of the version: the plain string on v2, the
/// first paragraph's text on v3.
fn comment_pointer(api: Api) -> &'static str {
    match api {
        Api::V2 => "/comment",
        Api::V3 => "/comment/content/0/content/0/text",
    }
}
