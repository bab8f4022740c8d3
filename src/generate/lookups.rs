//! Keys of the world's entities: found by id and by key (issue keys in any case), and an id
//! nobody has answers 404.

use serde_json::json;

use super::context::Ctx;
use super::world::WorldView;
use super::world_ops::{request, who, OneStep};
use crate::case::{BodyCheck, Case, Family};

/// An id no fixtures entity has.
const UNKNOWN_ID: &str = "999999999";

/// The lookup cases of the operation at `index`, where it is one the generator knows.
pub fn world(ctx: &Ctx<'_>, resource: &str, index: usize, out: &mut Vec<Case>) {
    let op = ctx.op(index);
    let view = WorldView::new(ctx.fixtures);
    let actor = &ctx.actor;
    let w = &ctx.fixtures.world;
    let one = |name: &'static str,
               summary: String,
               params: &[(&str, &str)],
               status: u16,
               checks: Vec<BodyCheck>,
               rule: &'static str| {
        OneStep {
            family: Family::Keys,
            name,
            summary,
            request: request(ctx, index, params, who(actor)),
            status,
            checks,
            rule,
            cleanup: Vec::new(),
        }
        .build(ctx, resource, index)
    };
    let mut cases = Vec::new();
    match op.operation_id.as_str() {
        "getIssue" => {
            if let Some(i) = view.readable_issue(actor) {
                let key_is = || {
                    vec![BodyCheck::Equals {
                        pointer: "/key".into(),
                        value: json!(i.key),
                    }]
                };
                cases.push(one(
                    "by_id",
                    format!("{} found by its id {}", i.key, i.id),
                    &[("issueIdOrKey", &i.id)],
                    200,
                    key_is(),
                    "the issue is named by id or key",
                ));
                cases.push(one(
                    "by_key",
                    format!("{} found by its key", i.key),
                    &[("issueIdOrKey", &i.key)],
                    200,
                    vec![BodyCheck::Equals {
                        pointer: "/id".into(),
                        value: json!(i.id),
                    }],
                    "the issue is named by id or key",
                ));
                let lower = i.key.to_lowercase();
                if lower != i.key {
                    cases.push(one(
                        "key_lower_case",
                        format!("{} found by its key in lower case ({lower})", i.key),
                        &[("issueIdOrKey", &lower)],
                        200,
                        key_is(),
                        "issue keys are matched case-insensitively",
                    ));
                }
            }
            cases.push(one(
                "unknown_issue",
                "an issue nobody has is 404".into(),
                &[("issueIdOrKey", "NOPE-999999")],
                404,
                Vec::new(),
                "an unknown issue is 404",
            ));
        }
        "getAttachment" => cases.push(one(
            "unknown_id",
            "an attachment id nobody has is 404".into(),
            &[("id", UNKNOWN_ID)],
            404,
            Vec::new(),
            "an unknown attachment is 404",
        )),
        "getDashboard" => cases.push(one(
            "unknown_id",
            "a dashboard id nobody has is 404".into(),
            &[("id", UNKNOWN_ID)],
            404,
            Vec::new(),
            "an unknown dashboard is 404",
        )),
        "getIssueWorklog" => cases.push(one(
            "unknown_issue",
            "the worklogs of an issue nobody has are 404".into(),
            &[("issueIdOrKey", "NOPE-999999")],
            404,
            Vec::new(),
            "an unknown issue is 404",
        )),
        "getWorklog" => {
            if let Some(i) = view.readable_issue(actor) {
                cases.push(one(
                    "unknown_id",
                    format!("a worklog id nobody has on {} is 404", i.key),
                    &[("issueIdOrKey", &i.key), ("id", UNKNOWN_ID)],
                    404,
                    Vec::new(),
                    "an unknown worklog is 404",
                ));
                if let Some(l) = w
                    .worklogs
                    .iter()
                    .find(|l| l.issue != i.key && view.sees_worklog(actor, l))
                {
                    cases.push(one(
                        "worklog_of_another_issue",
                        format!(
                            "worklog {} asked for under {} (it belongs to {}) is 404",
                            l.id, i.key, l.issue
                        ),
                        &[("issueIdOrKey", &i.key), ("id", &l.id)],
                        404,
                        Vec::new(),
                        "a worklog is found only under its own issue",
                    ));
                }
            }
        }
        "getProjectRoles" | "getProjectRoleDetails" => {
            if let Some(p) = w.projects.iter().find(|p| view.administers(actor, p)) {
                cases.push(one(
                    "by_project_id",
                    format!("project {} found by its id {}", p.key, p.id),
                    &[("projectIdOrKey", &p.id)],
                    200,
                    Vec::new(),
                    "the project is named by id or key",
                ));
            }
            cases.push(one(
                "unknown_project",
                "a project nobody has is 404".into(),
                &[("projectIdOrKey", "NOPE")],
                404,
                Vec::new(),
                "an unknown project is 404",
            ));
        }
        _ => {}
    }
    out.extend(cases.into_iter().flatten());
}
