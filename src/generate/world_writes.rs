//! The world's two writes, updateWorklog and createProjectRole: state behaves (roundtrip) and
//! invalid requests are refused (limits).
//!
//! A worklog update changes a scratch worklog of the acting user and restores it afterwards; a
//! created role carries the run token in its name and is deleted by the id the target returned.

use serde_json::json;

use super::context::{run_key, CaseBuilder, Ctx};
use super::world_ops::{
    comment, comment_in, delete_created_role, request, restore_worklog, scratch_worklog, who,
    OneStep,
};
use crate::case::{
    Body, BodyCheck, Case, Expectation, Family, Provenance, Request, StatusExpectation,
};

fn documented(ctx: &Ctx<'_>, index: usize, status: u16, rule: &str) -> Option<Expectation> {
    let op = ctx.op(index);
    ctx.status_provenance(index, status)?;
    Some(Expectation {
        status: StatusExpectation::Exact(status),
        body: Vec::new(),
        allow: None,
        provenance: Provenance::Spec {
            file: ctx.spec.source.clone(),
            pointer: format!("{}/description", op.pointer),
            text: format!("{}: {rule}", op.operation_id),
        },
    })
}

/// Roundtrip and limits cases of updateWorklog.
pub fn update_worklog(ctx: &Ctx<'_>, resource: &str, index: usize, out: &mut Vec<Case>) {
    let op = ctx.op(index);
    if op.operation_id != "updateWorklog" || !ctx.fixtures.world.timetracking.enabled {
        return;
    }
    let actor = &ctx.actor;
    let Some(l) = scratch_worklog(ctx, actor) else {
        return;
    };
    let params = [("issueIdOrKey", l.issue.as_str()), ("id", l.id.as_str())];
    let restore = || restore_worklog(ctx, index, l, actor);
    let comment_text = match ctx.api {
        crate::case::Api::V2 => "/comment",
        crate::case::Api::V3 => "/comment/content/0/content/0/text",
    };
    // Roundtrip: change only the time spent; the comment must stay as it was.
    let changed = l.time_spent_seconds + 1800;
    let mut put = request(ctx, index, &params, who(actor));
    put.body = Body::Json(json!({ "timeSpentSeconds": changed }));
    if let Some(mut expect) = documented(
        ctx,
        index,
        200,
        "only the fields given change; fields left out keep their values",
    ) {
        expect.body = vec![
            BodyCheck::Equals {
                pointer: "/timeSpentSeconds".into(),
                value: json!(changed),
            },
            BodyCheck::Equals {
                pointer: comment_text.into(),
                value: json!(l.comment),
            },
        ];
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
        .step_opt(super::readback::worklog(
            ctx,
            l,
            actor,
            vec![
                BodyCheck::Equals {
                    pointer: "/timeSpentSeconds".into(),
                    value: json!(changed),
                },
                BodyCheck::Equals {
                    pointer: comment_text.into(),
                    value: json!(l.comment),
                },
            ],
            "an accepted partial update",
        ))
        .cleanup(restore());
        out.push(b.skip_if(ctx.actor_missing).build());
    }
    // Observations: the documentation lists no rule against an update that gives no field or
    // changes nothing (its 400 list names only adjustEstimate, permission and malformed JSON),
    // so what the target does is recorded, not judged.
    let observed: [(&str, &str, serde_json::Value); 2] = [
        (
            "empty_update",
            "what an update with no fields answers",
            json!({}),
        ),
        (
            "unchanged_update",
            "what an update that changes nothing answers",
            // Only the comment: the roundtrip case changes the time spent meanwhile, never this.
            json!({ "comment": comment(ctx, &l.comment) }),
        ),
    ];
    for (name, summary, body) in observed {
        let mut r = request(ctx, index, &params, who(actor));
        r.body = Body::Json(body);
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
            r,
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
        )
        ;
        // No restore: neither body can change the worklog (no field, or the comment it has),
        // and a restore would race with the partial update's read-back on a target that
        // accepts them.
        out.push(b.skip_if(ctx.actor_missing).build());
    }
    // Limits: the one refused update the documentation names, in its own words.
    let mut r = request(ctx, index, &params, who(actor));
    r.body = Body::Json(json!({ "timeSpentSeconds": l.time_spent_seconds + 900 }));
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
        .build(ctx, resource, index),
    );
    // The comment's format follows the version: a document on v3, plain text on v2.
    let wrong = match ctx.api {
        crate::case::Api::V2 => comment_in(crate::case::Api::V3, "wrong format"),
        crate::case::Api::V3 => json!("wrong format"),
    };
    let mut r = request(ctx, index, &params, who(actor));
    r.body = Body::Json(json!({ "comment": wrong }));
    out.extend(
        OneStep {
            family: Family::Limits,
            name: "comment_in_the_other_format",
            summary: format!(
                "a comment in the other API version's format is refused with 400 (worklog {})",
                l.id
            ),
            request: r,
            status: 400,
            checks: Vec::new(),
            rule: "comment is plain text on v2 and an Atlassian Document Format document on v3",
            cleanup: vec![restore()],
        }
        .build(ctx, resource, index),
    );
}

/// Roundtrip and limits cases of createProjectRole.
pub fn create_role(ctx: &Ctx<'_>, resource: &str, index: usize, out: &mut Vec<Case>) {
    let op = ctx.op(index);
    if op.operation_id != "createProjectRole" {
        return;
    }
    let Some(admin) = ctx.roles.admin else {
        return;
    };
    let name = run_key("roundtrip-role");
    let create = || {
        let mut r = request(ctx, index, &[], who(admin));
        r.body = Body::Json(json!({ "name": name, "description": "jira-conform roundtrip" }));
        r
    };
    let project = ctx.fixtures.world.projects.first();
    let roles_of = |p: &str| Request {
        method: "GET".into(),
        path: ctx.api_path(&format!("/project/{}/role", crate::case::encode_segment(p))),
        query: Vec::new(),
        actor: who(admin),
        body: Body::None,
    };
    let roles_op = ctx
        .spec
        .operation("getProjectRoles")
        .map(|(i, _)| ctx.op_ref(i));
    if let (Some(mut created), Some(project)) = (
        documented(ctx, index, 200, "a new role starts with no default actors"),
        project,
    ) {
        created.body = vec![
            BodyCheck::Equals {
                pointer: "/name".into(),
                value: json!(name),
            },
            BodyCheck::Equals {
                pointer: "/actors".into(),
                value: json!([]),
            },
        ];
        let listed = Expectation {
            status: StatusExpectation::Exact(200),
            body: vec![BodyCheck::Present {
                pointer: format!("/{name}"),
            }],
            allow: None,
            provenance: Provenance::Spec {
                file: ctx.spec.source.clone(),
                pointer: format!("{}/description", op.pointer),
                text: "createProjectRole: project roles are shared by all projects".into(),
            },
        };
        let mut b = CaseBuilder::new(
            ctx,
            resource,
            op,
            Family::Roundtrip,
            "create_then_listed_then_duplicate_refused",
            format!(
                "a created role has no actors, is listed for {} and its name cannot be reused",
                project.key
            ),
        )
        .check(
            "create the role",
            create(),
            Some(ctx.op_ref(index)),
            created,
        )
        .check(
            format!("the roles of {} list it", project.key),
            roles_of(&project.key),
            roles_op,
            listed,
        );
        if let Some(dup) = documented(
            ctx,
            index,
            409,
            "a role with the name of an existing one is refused",
        ) {
            b = b.check("create it again", create(), Some(ctx.op_ref(index)), dup);
        }
        // A faulty target may have created the duplicate too; delete both.
        b = b
            .cleanup(delete_created_role(ctx, admin, 0))
            .cleanup(delete_created_role(ctx, admin, 2));
        out.push(b.build());
    }
    for (case, summary, role_name) in [
        (
            "blank_name",
            "a role with an empty name is refused with 400",
            String::new(),
        ),
        (
            "padded_name",
            "a role name with leading or trailing spaces is refused with 400",
            format!(" {} ", run_key("padded")),
        ),
    ] {
        let mut r = request(ctx, index, &[], who(admin));
        r.body = Body::Json(json!({ "name": role_name, "description": "must not be created" }));
        out.extend(
            OneStep {
                family: Family::Limits,
                name: case,
                summary: summary.into(),
                request: r,
                status: 400,
                checks: Vec::new(),
                rule: "the name cannot be empty or start or end with whitespace",
                cleanup: vec![delete_created_role(ctx, admin, 0)],
            }
            .build(ctx, resource, index),
        );
    }
}
