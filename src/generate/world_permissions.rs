//! The permission matrix of the world's operations: every principal against the entities the
//! fixtures describe (issues behind security, restricted worklogs, private and shared
//! dashboards, administered projects), each expectation from the documented rule applied to the
//! fixtures' facts. Anonymous and bad credentials are refused with 401.

use serde_json::{json, Value};

use super::context::{run_key, CaseBuilder, Ctx};
use super::entity_property::EntityPropertyGroup;
use super::world::WorldView;
use super::world_ops::{
    comment, delete_created_role, is_scratch_issue, request, restore_worklog, scratch_worklog, who,
};
use crate::case::{
    Actor, Body, BodyCheck, Case, Expectation, Family, Provenance, Request, StatusExpectation,
};
use crate::fixtures::Principal;
use crate::spec::prose::Grant;

/// One cell of the matrix.
struct Cell {
    name: String,
    summary: String,
    request: Request,
    status: StatusExpectation,
    checks: Vec<BodyCheck>,
    rule: String,
    setup: Vec<(String, Request)>,
    cleanup: Vec<Request>,
    /// Why the cell is listed but not run.
    skip: Option<&'static str>,
    /// Steps after the checked one: the read-back of a write.
    after: Vec<crate::case::Step>,
}

fn rule_provenance(ctx: &Ctx<'_>, index: usize, rule: &str) -> Provenance {
    let op = ctx.op(index);
    Provenance::Spec {
        file: ctx.spec.source.clone(),
        pointer: format!("{}/description", op.pointer),
        text: format!("{}: {rule}", op.operation_id),
    }
}

fn push(ctx: &Ctx<'_>, resource: &str, index: usize, cell: Cell, out: &mut Vec<Case>) {
    let op = ctx.op(index);
    let documented = match &cell.status {
        StatusExpectation::Exact(s) => ctx.status_provenance(index, *s).is_some(),
        StatusExpectation::OneOf(all) => all
            .iter()
            .all(|s| ctx.status_provenance(index, *s).is_some()),
        _ => true,
    };
    if !documented {
        return;
    }
    let mut b = CaseBuilder::new(
        ctx,
        resource,
        op,
        Family::Permissions,
        &cell.name,
        cell.summary,
    );
    for (label, req) in cell.setup {
        b = b.step(crate::case::Step {
            label,
            setup: true,
            request: req,
            operation: None,
            expect: Expectation {
                status: StatusExpectation::Success,
                body: Vec::new(),
                allow: None,
                provenance: rule_provenance(ctx, index, "set up"),
            },
        });
    }
    b = b.check(
        format!("{} as {}", op.method, cell.request.actor),
        cell.request,
        Some(ctx.op_ref(index)),
        Expectation {
            status: cell.status,
            body: cell.checks,
            allow: None,
            provenance: rule_provenance(ctx, index, &cell.rule),
        },
    );
    for s in cell.after {
        b = b.step(s);
    }
    for c in cell.cleanup {
        b = b.cleanup(c);
    }
    out.push(b.skip_if(cell.skip).build());
}

fn cell(name: String, summary: String, request: Request, status: u16, rule: String) -> Cell {
    Cell {
        name,
        summary,
        request,
        status: StatusExpectation::Exact(status),
        checks: Vec::new(),
        rule,
        setup: Vec::new(),
        cleanup: Vec::new(),
        skip: None,
        after: Vec::new(),
    }
}

fn yes_no(allowed: bool, yes: u16, no: u16) -> u16 {
    if allowed {
        yes
    } else {
        no
    }
}

/// Ids as Jira sends them: numbers where the fixtures' id is numeric.
fn id_value(id: &str) -> Value {
    id.parse::<u64>().map_or_else(|_| json!(id), |n| json!(n))
}

/// The matrix of a plain world operation.
pub fn world(ctx: &Ctx<'_>, resource: &str, index: usize, out: &mut Vec<Case>) {
    let op = ctx.op(index);
    let view = WorldView::new(ctx.fixtures);
    let w = &ctx.fixtures.world;
    let principals: &[Principal] = &ctx.fixtures.principals;
    let mut cells: Vec<Cell> = Vec::new();
    match op.operation_id.as_str() {
        "getAttachmentMeta" => {
            for p in principals {
                let r = request(ctx, index, &[], who(p));
                cells.push(cell(
                    format!("{}_reads_settings", p.name),
                    format!("{} reads the attachment settings", p.name),
                    r,
                    200,
                    "needs no permission".into(),
                ));
            }
        }
        "getAttachment" => {
            for a in &w.attachments {
                for p in principals {
                    let enabled = w.attachment_settings.enabled;
                    let ok = view.sees_attachment(p, a);
                    let r = request(ctx, index, &[("id", &a.id)], who(p));
                    cells.push(cell(
                        format!("{}_on_attachment_{}", p.name, a.label),
                        format!(
                            "{} reads attachment {} of {}: {}",
                            p.name,
                            a.id,
                            a.issue,
                            match (enabled, ok) {
                                (false, _) => "404, attachments are disabled",
                                (true, true) => "allowed",
                                (true, false) => "refused with 403",
                            }
                        ),
                        r,
                        if enabled { yes_no(ok, 200, 403) } else { 404 },
                        format!(
                            "404 when attachments are disabled; else metadata only for those who may browse the issue's project and pass its issue security ({} {} see {})",
                            p.name,
                            if ok { "may" } else { "may not" },
                            a.issue
                        ),
                    ));
                }
            }
        }
        "getSelectedTimeTrackingImplementation" => {
            for p in principals {
                let success = if w.timetracking.enabled { 200 } else { 204 };
                let r = request(ctx, index, &[], who(p));
                cells.push(cell(
                    p.name.clone(),
                    format!(
                        "{} reads the time-tracking implementation: {}",
                        p.name,
                        if p.admin {
                            "allowed"
                        } else {
                            "refused with 403"
                        }
                    ),
                    r,
                    yes_no(p.admin, success, 403),
                    "administrators only (Administer Jira)".into(),
                ));
            }
        }
        "getDashboard" => {
            for d in &w.dashboards {
                for p in principals {
                    let ok = view.sees_dashboard(p, d);
                    let r = request(ctx, index, &[("id", &d.id)], who(p));
                    cells.push(cell(
                        format!("{}_on_dashboard_{}", p.name, d.label),
                        format!(
                            "{} reads dashboard {} ({}): {}",
                            p.name,
                            d.id,
                            d.name,
                            if ok { "visible" } else { "404" }
                        ),
                        r,
                        yes_no(ok, 200, 404),
                        "visible to its owner and those it is shared with; the system dashboard is shared with everyone".into(),
                    ));
                }
            }
        }
        "getIssue" => {
            for i in w.issues.iter().filter(|i| !is_scratch_issue(ctx, &i.key)) {
                for p in principals {
                    let ok = view.sees_issue(p, i);
                    let r = request(ctx, index, &[("issueIdOrKey", &i.key)], who(p));
                    cells.push(cell(
                        format!("{}_on_issue_{}", p.name, i.label),
                        format!("{} reads {}: {}", p.name, i.key, if ok { "visible" } else { "404" }),
                        r,
                        yes_no(ok, 200, 404),
                        "Browse projects for the issue's project, and issue-level security where set".into(),
                    ));
                }
            }
        }
        "getIssueWorklog" => {
            for i in w.issues.iter().filter(|i| !is_scratch_issue(ctx, &i.key)) {
                for p in principals {
                    let ok = view.sees_issue(p, i) && w.timetracking.enabled;
                    let r = request(ctx, index, &[("issueIdOrKey", &i.key)], who(p));
                    let visible = view.visible_worklogs(p, i);
                    let mut c = cell(
                        format!("{}_on_issue_{}", p.name, i.label),
                        format!(
                            "{} lists the worklogs of {}: {}",
                            p.name,
                            i.key,
                            if ok {
                                format!("{} visible", visible.len())
                            } else {
                                "404".into()
                            }
                        ),
                        r,
                        yes_no(ok, 200, 404),
                        "worklogs only where the caller may see the issue, the Log work field is shown, and any visibility restriction admits them".into(),
                    );
                    if ok {
                        c.checks = vec![
                            BodyCheck::Lists {
                                pointer: "/worklogs".into(),
                                field: "id".into(),
                                values: visible.iter().map(|l| json!(l.id)).collect(),
                            },
                            BodyCheck::Equals {
                                pointer: "/total".into(),
                                value: json!(visible.len()),
                            },
                        ];
                    }
                    cells.push(c);
                }
            }
        }
        "getWorklog" => {
            for l in w
                .worklogs
                .iter()
                .filter(|l| !is_scratch_issue(ctx, &l.issue))
            {
                for p in principals {
                    let ok = view.sees_worklog(p, l) && w.timetracking.enabled;
                    let r = request(
                        ctx,
                        index,
                        &[("issueIdOrKey", &l.issue), ("id", &l.id)],
                        who(p),
                    );
                    cells.push(cell(
                        format!("{}_on_worklog_{}", p.name, l.label),
                        format!("{} reads worklog {} of {}: {}", p.name, l.id, l.issue, if ok { "visible" } else { "404" }),
                        r,
                        yes_no(ok, 200, 404),
                        "the issue must be visible and any visibility restriction must admit the caller".into(),
                    ));
                }
            }
        }
        "updateWorklog" => {
            let Some(l) = scratch_worklog(ctx, &ctx.actor) else {
                return;
            };
            let Some(project) = view
                .issue(&l.issue)
                .and_then(|i| ctx.fixtures.world.project(&i.project))
            else {
                return;
            };
            for (n, p) in principals.iter().enumerate() {
                let may_edit = p.name == l.author || project.edit_all_worklogs.contains(&p.name);
                // Allowed updates change the worklog; the roundtrip case covers them.
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
                    format!("{} updates {}'s worklog {}: refused", p.name, l.author, l.id),
                    r,
                    yes_no(sees, 400, 404),
                    "Edit all worklogs, or Edit own worklogs for one's own; a refused update is a 400".into(),
                );
                if let Some(author) = ctx.fixtures.principal(&l.author) {
                    c.cleanup.push(restore_worklog(ctx, index, l, author));
                }
                cells.push(c);
            }
        }
        "getNotificationSchemes" => {
            for p in principals {
                let visible = view.visible_schemes(p);
                let r = request(ctx, index, &[], who(p));
                let mut c = cell(
                    format!("{}_sees_own_schemes", p.name),
                    format!(
                        "{} lists notification schemes: {} visible",
                        p.name,
                        visible.len()
                    ),
                    r,
                    200,
                    "only schemes of projects the caller administers are returned, ordered by name"
                        .into(),
                );
                c.checks = vec![
                    BodyCheck::Lists {
                        pointer: "/values".into(),
                        field: "id".into(),
                        values: visible.iter().map(|s| id_value(&s.id)).collect(),
                    },
                    BodyCheck::Equals {
                        pointer: "/total".into(),
                        value: json!(visible.len()),
                    },
                ];
                cells.push(c);
            }
        }
        "getProjectRoles" | "getProjectRoleDetails" => {
            for project in &w.projects {
                for p in principals {
                    let ok = view.administers(p, project);
                    let r = request(ctx, index, &[("projectIdOrKey", &project.key)], who(p));
                    let mut c = cell(
                        format!("{}_on_project_{}", p.name, project.label),
                        format!(
                            "{} lists the roles of {}: {}",
                            p.name,
                            project.key,
                            if ok { "allowed" } else { "refused" }
                        ),
                        r,
                        200,
                        "Administer projects for the project, or Administer Jira".into(),
                    );
                    if !ok {
                        // getProjectRoles documents the refusal under both 401 and 404.
                        c.status = if op.operation_id == "getProjectRoles" {
                            StatusExpectation::OneOf(vec![401, 404])
                        } else {
                            StatusExpectation::Exact(404)
                        };
                    }
                    cells.push(c);
                }
            }
        }
        "createProjectRole" => {
            let Some(admin) = ctx.roles.admin else {
                return;
            };
            for p in principals {
                if p.admin {
                    continue;
                }
                let mut r = request(ctx, index, &[], who(p));
                let name = run_key(&format!("role-by-{}", p.name));
                r.body = Body::Json(json!({
                    "name": name,
                    "description": "must not be created"
                }));
                let mut c = cell(
                    p.name.clone(),
                    format!("{} creates a project role: refused with 403", p.name),
                    r,
                    403,
                    "administrators only (Administer Jira)".into(),
                );
                c.after
                    .extend(super::readback::role_absent(ctx, &name, admin));
                c.cleanup.push(delete_created_role(ctx, admin, 0));
                cells.push(c);
            }
        }
        _ => return,
    }
    // Anonymous and bad credentials ask what the first cell asks, undone as it is undone.
    let anonymous_base = cells
        .first()
        .map(|c| (c.request.clone(), c.cleanup.clone()));
    for c in cells {
        push(ctx, resource, index, c, out);
    }
    if ctx.permissions(index).grant(Grant::AccessJira).is_some() {
        return; // The access-to-Jira family already sends these.
    }
    let Some((base, undo)) = anonymous_base else {
        return;
    };
    for (name, actor) in [
        ("anonymous", Actor::Anonymous),
        ("invalid_credentials", Actor::InvalidCredentials),
    ] {
        // Where the spec allows anonymous callers, the answer depends on the site's setting.
        if actor == Actor::Anonymous && op.allows_anonymous {
            continue;
        }
        let mut r = base.clone();
        r.actor = actor;
        let mut c = cell(
            name.into(),
            format!(
                "{} {} as {name}: refused with 401",
                op.method,
                ctx.shown_path(index)
            ),
            r,
            401,
            "credentials are required".into(),
        );
        // A target that wrongly accepts the request must not keep what it made or changed (the
        // role it created, the worklog it updated); where nothing can undo it, it is not sent.
        c.cleanup.clone_from(&undo);
        if !super::scratch::acts_on_scratch(ctx, &c.request, &c.cleanup) {
            c.skip = Some(super::scratch::NO_SCRATCH);
        }
        push(ctx, resource, index, c, out);
    }
}

/// The matrix of an entity-property group owned by a dashboard item: readers are those the
/// dashboard is visible to, writers its owner.
pub fn dashboard_items(ctx: &Ctx<'_>, group: &EntityPropertyGroup, out: &mut Vec<Case>) {
    if group.owner
        != super::entity_property::Owner::PathParams(vec!["dashboardId".into(), "itemId".into()])
    {
        return;
    }
    let view = WorldView::new(ctx.fixtures);
    let w = &ctx.fixtures.world;
    for d in &w.dashboards {
        let Some(item) = d.items.first() else {
            continue;
        };
        let owner = if d.system {
            ctx.roles.admin
        } else {
            d.owner.as_deref().and_then(|o| ctx.fixtures.principal(o))
        };
        let Some(owner) = owner else {
            continue;
        };
        let subject = super::context::Subject::Entity {
            params: vec![
                ("dashboardId".into(), d.id.clone()),
                ("itemId".into(), item.clone()),
            ],
            owner,
            label: format!("dashboard {} item {item}", d.id),
        };
        for index in group.operations() {
            let op = ctx.op(index);
            for p in &ctx.fixtures.principals {
                let sees = view.sees_dashboard(p, d);
                let owns = view.owns_dashboard(p, d);
                let write = op.method != "GET";
                let key = run_key(&format!("perm-{}", p.name));
                let is_keys = Some(index) == group.keys;
                let status = match (sees, owns, write) {
                    (false, _, _) => 404,
                    (true, false, true) => 403,
                    (true, _, _) => ctx.create_status(index).unwrap_or(200),
                };
                let r = ctx.matrix_request(group, index, &key, &subject, p);
                let needs_value = Some(index) == group.get || Some(index) == group.delete;
                let mut c = cell(
                    format!("{}_on_dashboard_{}", p.name, d.label),
                    format!(
                        "{} {} an item property of dashboard {} ({}): {}",
                        p.name,
                        op.method,
                        d.id,
                        d.name,
                        match status {
                            404 => "404, not visible",
                            403 => "403, not the owner",
                            _ => "allowed",
                        }
                    ),
                    r,
                    status,
                    if write {
                        "only the dashboard's owner may write; administrators own the system dashboard".into()
                    } else {
                        "readable by the owner and those the dashboard is shared with".into()
                    },
                );
                if needs_value {
                    c.setup.push((
                        format!("set up: {} stores property {key}", owner.name),
                        ctx.property_request(
                            group,
                            "PUT",
                            Some(&key),
                            &subject,
                            who(owner),
                            Body::Json(json!({"set": "up"})),
                        ),
                    ));
                }
                // Read-back by the owner after a write: accepted, the new value (or gone after
                // a delete); refused, the state before (absent, or the value set up).
                let set = Some(index) == group.set;
                if set || Some(index) == group.delete {
                    let allowed = (200..300).contains(&status);
                    let sent = json!({"by": p.name});
                    let kept = json!({"set": "up"});
                    let holds = match (set, allowed) {
                        (true, true) => Some(&sent),
                        (false, false) => Some(&kept),
                        _ => None,
                    };
                    let why = format!(
                        "{} {}",
                        if allowed { "an accepted" } else { "a refused" },
                        op.method
                    );
                    c.after.extend(super::readback::property(
                        ctx, group, &key, &subject, owner, holds, &why,
                    ));
                }
                if !is_keys {
                    c.cleanup
                        .push(ctx.cleanup_delete(group, &key, &subject, owner));
                }
                push(ctx, &group.resource, index, c, out);
            }
        }
    }
}
