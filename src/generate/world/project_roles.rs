//! Projects and their roles (`mock/project_roles.rs`, `mock/project_role_actors.rs`): a
//! project's roles for those who administer it; a role created by an administrator carries the
//! run token in its name and is deleted by the id the target returned (or swept by name).

use serde_json::json;

use super::address::{documented, lookup, plain_happy, request, who, OneStep};
use super::matrix::{cell, Cell};
use super::view::WorldView;
use crate::case::{
    encode_segment, Body, BodyCheck, Case, Expectation, Family, Provenance, Request,
    StatusExpectation, Step, Sweep, SWEEP_ID,
};
use crate::fixtures::Principal;
use crate::generate::context::{run_key, CaseBuilder, Ctx, Happy};

/// getProjectRoles or getProjectRoleDetails as the actor, on the first project it administers.
pub fn happy(ctx: &Ctx<'_>, index: usize) -> Option<Happy> {
    let world = WorldView::new(ctx.fixtures);
    let p = ctx
        .fixtures
        .world
        .projects
        .iter()
        .find(|p| world.administers(&ctx.actor, p))?;
    Some(plain_happy(
        ctx,
        index,
        &[("projectIdOrKey", &p.key)],
        &ctx.actor,
        200,
    ))
}

/// createProjectRole as the administrator, a run-named role deleted when the case ends.
pub fn create_happy(ctx: &Ctx<'_>, index: usize) -> Option<Happy> {
    let admin = ctx.roles.admin?;
    let mut h = plain_happy(ctx, index, &[], admin, 200);
    h.request.body = Body::Json(json!({
        "name": run_key("role"),
        "description": "created by jira-conform; deleted when the case ends"
    }));
    h.cleanup.push(delete_created_role(ctx, admin, 0));
    Some(h)
}

/// The cleanup deleting the role a step created, by the id its response carries.
pub fn delete_created_role(ctx: &Ctx<'_>, admin: &Principal, step: usize) -> Request {
    Request {
        method: "DELETE".into(),
        path: ctx.api_path(&format!("/role/{}", crate::case::step_ref(step, "/id"))),
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

/// getProjectRoles or getProjectRoleDetails: every principal on every project.
pub fn matrix(ctx: &Ctx<'_>, index: usize) -> Vec<Cell> {
    let view = WorldView::new(ctx.fixtures);
    let op = ctx.op(index);
    let mut cells = Vec::new();
    for project in &ctx.fixtures.world.projects {
        for p in &ctx.fixtures.principals {
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
    cells
}

/// createProjectRole: every principal but the administrators is refused, and no role of the
/// name it sent exists afterwards.
pub fn create_matrix(ctx: &Ctx<'_>, index: usize) -> Vec<Cell> {
    let Some(admin) = ctx.roles.admin else {
        return Vec::new();
    };
    let mut cells = Vec::new();
    for p in ctx.fixtures.principals.iter().filter(|p| !p.admin) {
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
        c.after.extend(role_absent(ctx, &name, admin));
        c.cleanup.push(delete_created_role(ctx, admin, 0));
        cells.push(c);
    }
    cells
}

/// The GET step listing the roles of the world's first project as `reader` after a refused
/// create: no role is named `name` (`getProjectRoles` answers an object keyed by role name).
fn role_absent(ctx: &Ctx<'_>, name: &str, reader: &Principal) -> Option<Step> {
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
    let request = request(
        ctx,
        get,
        &[("projectIdOrKey", project.key.as_str())],
        who(reader),
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

/// getProjectRoles or getProjectRoleDetails: the project found by its id; a project nobody has
/// is 404.
pub fn lookups(ctx: &Ctx<'_>, resource: &str, index: usize, out: &mut Vec<Case>) {
    let (view, actor) = (WorldView::new(ctx.fixtures), &ctx.actor);
    let by = |params: &[(&str, &str)]| request(ctx, index, params, who(actor));
    let mut cases = Vec::new();
    let projects = &ctx.fixtures.world.projects;
    if let Some(p) = projects.iter().find(|p| view.administers(actor, p)) {
        cases.push(lookup(
            "by_project_id",
            format!("project {} found by its id {}", p.key, p.id),
            by(&[("projectIdOrKey", &p.id)]),
            200,
            "the project is named by id or key",
        ));
    }
    cases.push(lookup(
        "unknown_project",
        "a project nobody has is 404".into(),
        by(&[("projectIdOrKey", "NOPE")]),
        404,
        "an unknown project is 404",
    ));
    out.extend(
        cases
            .into_iter()
            .filter_map(|c| c.build(ctx, resource, index)),
    );
}

/// Roundtrip: a created role has no actors, is listed for the world's first project, and its
/// name cannot be reused.
pub fn created_role(ctx: &Ctx<'_>, resource: &str, index: usize, out: &mut Vec<Case>) {
    let (Some(admin), Some(project)) = (ctx.roles.admin, ctx.fixtures.world.projects.first())
    else {
        return;
    };
    let op = ctx.op(index);
    let name = run_key("roundtrip-role");
    let create = || {
        let mut r = request(ctx, index, &[], who(admin));
        r.body = Body::Json(json!({ "name": name, "description": "jira-conform roundtrip" }));
        r
    };
    let Some(mut created) = documented(ctx, index, 200, "a new role starts with no default actors")
    else {
        return;
    };
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
    let roles_of = Request {
        method: "GET".into(),
        path: ctx.api_path(&format!("/project/{}/role", encode_segment(&project.key))),
        query: Vec::new(),
        actor: who(admin),
        body: Body::None,
    };
    let roles_op = ctx
        .spec
        .operation("getProjectRoles")
        .map(|(i, _)| ctx.op_ref(i));
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
        roles_of,
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

/// Limits: a role with an empty name, or one with leading or trailing spaces, is refused.
pub fn refused_creates(ctx: &Ctx<'_>, resource: &str, index: usize, out: &mut Vec<Case>) {
    let Some(admin) = ctx.roles.admin else {
        return;
    };
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
