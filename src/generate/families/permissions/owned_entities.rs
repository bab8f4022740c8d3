//! The permission matrix of the entity properties of issues, projects, worklogs and comments:
//! every principal against every such entity of the world, read and (for issues, projects and
//! comments) written, expected as each operation's documentation words it:
//!
//! - issue properties: *Browse projects* (and a place in the issue's security level) to read;
//!   *Edit issues* to write, which the fixtures' world grants with *Browse projects*; an issue
//!   the caller cannot see is "not found" (404);
//! - project properties: *Browse projects* to read, else 403 ("no permission to view the
//!   project"); *Administer projects* or *Administer Jira* to write, else 403;
//! - worklog properties: reading needs the worklog to be visible to the caller, else 404;
//! - comment properties: reading needs the comment to be visible to the caller (its issue, and
//!   its group or role restriction), else 404; writing needs *Edit all comments*, or *Edit own
//!   comments* on a comment the caller wrote, else 403.

use serde_json::json;

use crate::case::{Case, Expectation, Family, Provenance, StatusExpectation, Step};
use crate::fixtures::Principal;
use crate::generate::context::{run_key, CaseBuilder, Ctx, Subject};
use crate::generate::entity_property::{EntityPropertyGroup, Owner};
use crate::generate::world::WorldView;

/// The kinds of owner this matrix knows.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Kind {
    Issue,
    Project,
    Worklog,
    Comment,
}

fn kind(group: &EntityPropertyGroup) -> Option<Kind> {
    let Owner::PathParams(names) = &group.owner else {
        return None;
    };
    let names: Vec<&str> = names.iter().map(String::as_str).collect();
    match names.as_slice() {
        ["issueIdOrKey"] => Some(Kind::Issue),
        ["projectIdOrKey"] => Some(Kind::Project),
        ["issueIdOrKey", "worklogId"] => Some(Kind::Worklog),
        ["commentId"] => Some(Kind::Comment),
        _ => None,
    }
}

/// One entity of the world as an owner: its path parameters, label, and who may read and write.
struct Owned {
    params: Vec<(String, String)>,
    label: String,
    what: String,
}

/// Whether `p` may read an entity, and write it (`None`: writes are not part of the matrix).
type Rule<'r> = Box<dyn Fn(&Principal) -> (bool, Option<bool>) + 'r>;

/// The matrix for an issue, project, worklog or comment property group; a no-op for other
/// groups.
pub fn owned_entities(ctx: &Ctx<'_>, group: &EntityPropertyGroup, out: &mut Vec<Case>) {
    let Some(kind) = kind(group) else {
        return;
    };
    let Some(keeper) = ctx.roles.admin else {
        gap(
            ctx,
            group,
            "the permission matrix needs an administrator principal to set up properties",
        );
        return;
    };
    if kind == Kind::Worklog && !ctx.fixtures.world.timetracking.enabled {
        gap(
            ctx,
            group,
            "time tracking is off in the fixtures' world: no worklog to name",
        );
        return;
    }
    for (owned, rule) in &entities(ctx, kind, keeper) {
        let subject = Subject::Entity {
            params: owned.params.clone(),
            owner: keeper,
            label: owned.what.clone(),
        };
        for index in group.operations() {
            for p in &ctx.fixtures.principals {
                let Some(status) = expected_status(ctx, index, kind, rule(p)) else {
                    continue;
                };
                let cell = (owned, &subject, keeper);
                out.extend(case(ctx, group, index, cell, p, status));
            }
        }
    }
}

/// Notes that the group's operations get no matrix, and why.
fn gap(ctx: &Ctx<'_>, group: &EntityPropertyGroup, why: &str) {
    for index in group.operations() {
        ctx.gap(index, Some(Family::Permissions), why);
    }
}

/// The world's entities of this kind (worklogs and comments: those the keeper sees), each with
/// who may read and write it.
fn entities<'w>(ctx: &Ctx<'w>, kind: Kind, keeper: &'w Principal) -> Vec<(Owned, Rule<'w>)> {
    let view = WorldView::new(ctx.fixtures);
    let w = &ctx.fixtures.world;
    let mut entities: Vec<(Owned, Rule<'_>)> = Vec::new();
    match kind {
        Kind::Issue => {
            for i in &w.issues {
                entities.push((
                    Owned {
                        params: vec![("issueIdOrKey".into(), i.key.clone())],
                        label: format!("issue_{}", i.label),
                        what: format!("issue {}", i.key),
                    },
                    Box::new(move |p| {
                        let sees = view.sees_issue(p, i);
                        (sees, Some(sees))
                    }),
                ));
            }
        }
        Kind::Project => {
            for pr in &w.projects {
                entities.push((
                    Owned {
                        params: vec![("projectIdOrKey".into(), pr.key.clone())],
                        label: format!("project_{}", pr.label),
                        what: format!("project {}", pr.key),
                    },
                    Box::new(move |p| (view.browses(p, &pr.key), Some(view.administers(p, pr)))),
                ));
            }
        }
        Kind::Worklog => {
            for l in w.worklogs.iter().filter(|l| view.sees_worklog(keeper, l)) {
                entities.push((
                    Owned {
                        params: vec![
                            ("issueIdOrKey".into(), l.issue.clone()),
                            ("worklogId".into(), l.id.clone()),
                        ],
                        label: format!("worklog_{}", l.label),
                        what: format!("worklog {} of {}", l.id, l.issue),
                    },
                    Box::new(move |p| (view.sees_worklog(p, l), None)),
                ));
            }
        }
        Kind::Comment => {
            for c in w.comments.iter().filter(|c| view.edits_comment(keeper, c)) {
                entities.push((
                    Owned {
                        params: vec![("commentId".into(), c.id.clone())],
                        label: format!("comment_{}", c.label),
                        what: format!("comment {} on {}", c.id, c.issue),
                    },
                    Box::new(move |p| (view.sees_comment(p, c), Some(view.edits_comment(p, c)))),
                ));
            }
        }
    }
    entities
}

/// The status the operation at `index` answers a principal who may read and write as given;
/// `None` when the matrix has no cell for it (a write it does not cover, no documented success).
fn expected_status(
    ctx: &Ctx<'_>,
    index: usize,
    kind: Kind,
    (reads, writes): (bool, Option<bool>),
) -> Option<u16> {
    let write = ctx.op(index).method != "GET";
    let allowed = match (write, writes) {
        (false, _) => reads,
        (true, Some(w)) => reads && w,
        (true, None) => return None,
    };
    // A project hides nothing: refusals are 403. An issue, worklog or comment the caller
    // cannot see does not exist for it: 404; one it sees but may not change is a 403.
    if allowed {
        ctx.create_status(index)
    } else if kind == Kind::Project || reads {
        Some(403)
    } else {
        Some(404)
    }
}

/// The case of `p` calling the operation at `index` on an entity (`subject`, whose properties
/// `keeper` sets up and cleans up); `None` when the spec does not document `status`.
fn case(
    ctx: &Ctx<'_>,
    group: &EntityPropertyGroup,
    index: usize,
    (owned, subject, keeper): (&Owned, &Subject<'_>, &Principal),
    p: &Principal,
    status: u16,
) -> Option<Case> {
    let op = ctx.op(index);
    let provenance = ctx.status_provenance(index, status)?;
    let allowed = (200..300).contains(&status);
    let key = run_key(&format!("perm-{}", p.name));
    let request = ctx.matrix_request(group, index, &key, subject, p);
    let verdict = if allowed { "allowed" } else { "refused" };
    let mut b = CaseBuilder::new(
        ctx,
        &group.resource,
        op,
        Family::Permissions,
        &format!("{}_on_{}", p.name, owned.label),
        format!(
            "{} {} a property of {}: {verdict} ({status})",
            p.name, op.method, owned.what
        ),
    );
    if Some(index) == group.get || Some(index) == group.delete {
        if let Some(step) = ctx.setup_put(group, &key, subject, keeper, json!({"set": "up"})) {
            b = b.step(step);
        }
    }
    b = b.step(Step {
        label: format!("{} as {}", op.method, p.name),
        setup: false,
        request,
        operation: Some(ctx.op_ref(index)),
        expect: Expectation {
            status: StatusExpectation::Exact(status),
            body: Vec::new(),
            allow: None,
            provenance: match provenance {
                Provenance::Spec {
                    file,
                    pointer,
                    text,
                } => Provenance::Spec {
                    file,
                    pointer,
                    text: format!(
                        "{text} (the documented permissions of {}, over the fixtures' world)",
                        op.operation_id
                    ),
                },
                other => other,
            },
        },
    });
    b = b.step_opt(read_back(
        ctx,
        group,
        index,
        (&key, subject, keeper),
        p,
        allowed,
    ));
    if Some(index) != group.keys {
        b = b.cleanup(ctx.cleanup_delete(group, &key, subject, keeper));
    }
    Some(b.skip_if(ctx.actor_missing).build())
}

/// Read-back of a write by the keeper: accepted, the new value (or gone after a delete);
/// refused, the state before (absent, or the value set up). `None` for a read.
fn read_back(
    ctx: &Ctx<'_>,
    group: &EntityPropertyGroup,
    index: usize,
    (key, subject, keeper): (&str, &Subject<'_>, &Principal),
    p: &Principal,
    allowed: bool,
) -> Option<Step> {
    let set = Some(index) == group.set;
    if !set && Some(index) != group.delete {
        return None;
    }
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
        ctx.op(index).method
    );
    crate::generate::readback::property(ctx, group, key, subject, keeper, holds, &why)
}
