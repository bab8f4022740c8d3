//! The permission matrix of the entity properties of issues, projects and worklogs: every
//! principal against every such entity of the world, read and (for issues and projects)
//! written, expected as each operation's documentation words it:
//!
//! - issue properties: *Browse projects* (and a place in the issue's security level) to read;
//!   *Edit issues* to write, which the fixtures' world grants with *Browse projects*; an issue
//!   the caller cannot see is "not found" (404);
//! - project properties: *Browse projects* to read, else 403 ("no permission to view the
//!   project"); *Administer projects* or *Administer Jira* to write, else 403;
//! - worklog properties: reading needs the worklog to be visible to the caller, else 404.

use serde_json::json;

use super::context::{run_key, CaseBuilder, Ctx, Subject};
use super::entity_property::{EntityPropertyGroup, Owner};
use super::world::WorldView;
use crate::case::{Case, Expectation, Family, Provenance, StatusExpectation, Step};
use crate::fixtures::Principal;

/// The kinds of owner this matrix knows.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Kind {
    Issue,
    Project,
    Worklog,
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
        _ => None,
    }
}

/// One entity of the world as an owner: its path parameters, label, and who may read and write.
struct Owned {
    params: Vec<(String, String)>,
    label: String,
    what: String,
}

/// The matrix for an issue, project or worklog property group; a no-op for other groups.
pub fn owned_entities(ctx: &Ctx<'_>, group: &EntityPropertyGroup, out: &mut Vec<Case>) {
    let Some(kind) = kind(group) else {
        return;
    };
    let Some(keeper) = ctx.roles.admin else {
        for index in group.operations() {
            ctx.gap(
                index,
                Some(Family::Permissions),
                "the permission matrix needs an administrator principal to set up properties",
            );
        }
        return;
    };
    let view = WorldView::new(ctx.fixtures);
    let w = &ctx.fixtures.world;
    // (entity, may p read, may p write) per principal.
    type Rule<'r> = Box<dyn Fn(&Principal) -> (bool, Option<bool>) + 'r>;
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
            if !w.timetracking.enabled {
                for index in group.operations() {
                    ctx.gap(
                        index,
                        Some(Family::Permissions),
                        "time tracking is off in the fixtures' world: no worklog to name",
                    );
                }
                return;
            }
            for l in &w.worklogs {
                if !view.sees_worklog(keeper, l) {
                    continue;
                }
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
    }
    for (owned, rule) in &entities {
        let subject = Subject::Entity {
            params: owned.params.clone(),
            owner: keeper,
            label: owned.what.clone(),
        };
        for index in group.operations() {
            let op = ctx.op(index);
            let write = op.method != "GET";
            for p in &ctx.fixtures.principals {
                let (reads, writes) = rule(p);
                let allowed = match (write, writes) {
                    (false, _) => reads,
                    (true, Some(w)) => reads && w,
                    (true, None) => continue,
                };
                // A project hides nothing: refusals are 403. An issue or worklog the caller
                // cannot see does not exist for it: 404.
                let status = if allowed {
                    match ctx.create_status(index) {
                        Some(s) => s,
                        None => continue,
                    }
                } else if kind == Kind::Project {
                    403
                } else {
                    404
                };
                let Some(provenance) = ctx.status_provenance(index, status) else {
                    continue;
                };
                let is_keys = Some(index) == group.keys;
                let key = run_key(&format!("perm-{}", p.name));
                let request = ctx.matrix_request(group, index, &key, &subject, p);
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
                    if let Some(step) =
                        ctx.setup_put(group, &key, &subject, keeper, json!({"set": "up"}))
                    {
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
                            Provenance::Spec { file, pointer, text } => Provenance::Spec {
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
                // Read-back of a write by the keeper: accepted, the new value (or gone after a
                // delete); refused, the state before (absent, or the value set up).
                let set = Some(index) == group.set;
                if set || Some(index) == group.delete {
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
                    b = b.step_opt(super::readback::property(
                        ctx, group, &key, &subject, keeper, holds, &why,
                    ));
                }
                if !is_keys {
                    b = b.cleanup(ctx.cleanup_delete(group, &key, &subject, keeper));
                }
                out.push(b.skip_if(ctx.actor_missing).build());
            }
        }
    }
}
