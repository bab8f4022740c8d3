//! How the operations on the fixtures' world are addressed: which entity fills a path, who may
//! call, what a successful call answers. The happy path, the permission matrix and the
//! parameter cases of these operations all start here.

use serde_json::json;

use super::context::Happy;
use super::context::{run_key, Ctx};
use super::world::WorldView;
use crate::case::step_ref;
use crate::case::{Actor, Body, Case, Request, Sweep, SWEEP_ID};
use crate::fixtures::{Principal, Worklog};

/// A request to the operation at `index` with its path parameters filled.
pub fn request(ctx: &Ctx<'_>, index: usize, params: &[(&str, &str)], actor: Actor) -> Request {
    let op = ctx.op(index);
    let mut rel = op.api_relative_path().unwrap_or(&op.path).to_string();
    for (name, value) in params {
        rel = rel.replace(
            &format!("{{{name}}}"),
            &super::context::encode_segment(value),
        );
    }
    Request {
        method: op.method.clone(),
        path: ctx.api_path(&rel),
        query: Vec::new(),
        actor,
        body: Body::None,
    }
}

/// The principal named `name` in the fixtures.
pub fn who(p: &Principal) -> Actor {
    Actor::Principal(p.name.clone())
}

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
        crate::case::Api::V2 => 0,
        crate::case::Api::V3 => 1,
    };
    scratch.get(slot % scratch.len().max(1)).copied()
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
pub fn comment_in(api: crate::case::Api, text: &str) -> serde_json::Value {
    match api {
        crate::case::Api::V2 => json!(text),
        crate::case::Api::V3 => json!({
            "type": "doc",
            "version": 1,
            "content": [{"type": "paragraph", "content": [{"type": "text", "text": text}]}]
        }),
    }
}

/// The operations [`happy`] addresses from the world's rules; a generic filling must not stand
/// in for them when the world says they have nothing to address.
pub fn handles(operation_id: &str) -> bool {
    matches!(
        operation_id,
        "getAttachment"
            | "getSelectedTimeTrackingImplementation"
            | "getDashboard"
            | "getIssue"
            | "getIssueWorklog"
            | "getWorklog"
            | "getProjectRoles"
            | "getProjectRoleDetails"
            | "createProjectRole"
    )
}

/// The happy path of a world operation, when the fixtures name what it needs.
pub fn happy(ctx: &Ctx<'_>, index: usize) -> Option<Happy> {
    let op = ctx.op(index);
    let world = WorldView::new(ctx.fixtures);
    let actor = &ctx.actor;
    let w = &ctx.fixtures.world;
    let plain = |params: &[(&str, &str)], p: &Principal, status: u16| Happy {
        setup: Vec::new(),
        request: request(ctx, index, params, who(p)),
        status,
        checks: Vec::new(),
        cleanup: Vec::new(),
        skip: ctx.actor_missing,
    };
    match op.operation_id.as_str() {
        "getAttachment" => {
            if !w.attachment_settings.enabled {
                return None;
            }
            let a = w
                .attachments
                .iter()
                .find(|a| world.sees_attachment(actor, a))?;
            Some(plain(&[("id", &a.id)], actor, 200))
        }
        "getSelectedTimeTrackingImplementation" => {
            let admin = ctx.roles.admin?;
            let status = if w.timetracking.enabled { 200 } else { 204 };
            Some(plain(&[], admin, status))
        }
        "getDashboard" => {
            let d = w
                .dashboards
                .iter()
                .find(|d| world.sees_dashboard(actor, d))?;
            Some(plain(&[("id", &d.id)], actor, 200))
        }
        // Worklogs are not served at all while time tracking is off.
        "getIssueWorklog" | "getWorklog" if !w.timetracking.enabled => None,
        "getIssue" | "getIssueWorklog" => {
            let i = world.readable_issue(actor)?;
            Some(plain(&[("issueIdOrKey", &i.key)], actor, 200))
        }
        "getWorklog" => {
            let l = w.worklogs.iter().find(|l| world.sees_worklog(actor, l))?;
            Some(plain(
                &[("issueIdOrKey", &l.issue), ("id", &l.id)],
                actor,
                200,
            ))
        }
        "getProjectRoles" | "getProjectRoleDetails" => {
            let p = w.projects.iter().find(|p| world.administers(actor, p))?;
            Some(plain(&[("projectIdOrKey", &p.key)], actor, 200))
        }
        "createProjectRole" => {
            let admin = ctx.roles.admin?;
            let mut h = plain(&[], admin, 200);
            h.request.body = Body::Json(json!({
                "name": run_key("role"),
                "description": "created by jira-conform; deleted when the case ends"
            }));
            h.cleanup.push(delete_created_role(ctx, admin, 0));
            Some(h)
        }
        _ => None,
    }
}

/// The cleanup deleting the role a step created, by the id its response carries.
pub fn delete_created_role(ctx: &Ctx<'_>, admin: &Principal, step: usize) -> Request {
    Request {
        method: "DELETE".into(),
        path: ctx.api_path(&format!("/role/{}", step_ref(step, "/id"))),
        query: Vec::new(),
        actor: who(admin),
        body: Body::None,
    }
}

/// Gives every case that deletes a created role by the id a step returned (see
/// [`delete_created_role`]) the sweep that finds the role by its run-prefixed name when that
/// answer is lost: `GET …/role` (every role, as the deleting administrator), match `/name`,
/// `DELETE …/role/{id}`.
pub fn sweep_created_roles(cases: &mut [Case]) {
    for case in cases {
        let mut sweeps: Vec<Sweep> = Vec::new();
        for c in &case.cleanup {
            let Some((base, _)) = c.path.split_once("/role/{{step:") else {
                continue;
            };
            if c.method != "DELETE" {
                continue;
            }
            let list = Request {
                method: "GET".into(),
                path: format!("{base}/role"),
                query: Vec::new(),
                actor: c.actor.clone(),
                body: Body::None,
            };
            let sweep = Sweep {
                delete: Request {
                    method: "DELETE".into(),
                    path: format!("{base}/role/{SWEEP_ID}"),
                    ..list.clone()
                },
                list,
                items: String::new(),
                name: "/name".into(),
                id: "/id".into(),
            };
            if !sweeps.contains(&sweep) {
                sweeps.push(sweep);
            }
        }
        case.sweeps.extend(sweeps);
    }
}

/// A one-request case expecting a documented `status`; `None` when the spec does not document
/// that status for the operation (the case would state an undocumented rule).
pub struct OneStep<'r> {
    /// The case's family.
    pub family: crate::case::Family,
    /// The case's name.
    pub name: &'r str,
    /// One line saying what it shows.
    pub summary: String,
    /// The request.
    pub request: Request,
    /// The expected status.
    pub status: u16,
    /// Checks on the body.
    pub checks: Vec<crate::case::BodyCheck>,
    /// The documented rule, in our words.
    pub rule: &'r str,
    /// Cleanup requests.
    pub cleanup: Vec<Request>,
}

impl OneStep<'_> {
    /// The case, if the spec documents its status.
    pub fn build(self, ctx: &Ctx<'_>, resource: &str, index: usize) -> Option<crate::case::Case> {
        let op = ctx.op(index);
        ctx.status_provenance(index, self.status)?;
        let mut b = super::context::CaseBuilder::new(
            ctx,
            resource,
            op,
            self.family,
            self.name,
            self.summary,
        )
        .check(
            format!("{} as {}", op.method, self.request.actor),
            self.request,
            Some(ctx.op_ref(index)),
            crate::case::Expectation {
                status: crate::case::StatusExpectation::Exact(self.status),
                body: self.checks,
                allow: None,
                provenance: crate::case::Provenance::Spec {
                    file: ctx.spec.source.clone(),
                    pointer: format!("{}/description", op.pointer),
                    text: format!("{}: {}", op.operation_id, self.rule),
                },
            },
        );
        for c in self.cleanup {
            b = b.cleanup(c);
        }
        Some(b.skip_if(ctx.actor_missing).build())
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
    r.path = r.path.replace("/ID", &format!("/{}", step_ref(0, "/id")));
    r.body = Body::Json(json!({
        "timeSpentSeconds": l.time_spent_seconds,
        "comment": comment(ctx, &l.comment),
    }));
    r
}
