//! How the world's entities are addressed: a request to an operation with its path parameters
//! filled, the principal acting, the entity a principal owns in an entity-property group, and
//! the one-request case most world cases are.

use super::fill::fill;
use super::view::WorldView;
use crate::case::{
    encode_segment, Actor, Body, BodyCheck, Case, Expectation, Family, Provenance, Request,
    StatusExpectation, Step,
};
use crate::fixtures::Principal;
use crate::generate::context::{CaseBuilder, Ctx, Happy, Subject};
use crate::generate::entity_property::{EntityPropertyGroup, Owner};

/// An id no fixtures entity has.
pub const UNKNOWN_ID: &str = "999999999";

/// An issue key nobody has.
pub const UNKNOWN_ISSUE: &str = "NOPE-999999";

/// A request to the operation at `index` with its path parameters filled.
pub fn request(ctx: &Ctx<'_>, index: usize, params: &[(&str, &str)], actor: Actor) -> Request {
    let op = ctx.op(index);
    let mut rel = op.api_relative_path().unwrap_or(&op.path).to_string();
    for (name, value) in params {
        rel = rel.replace(&format!("{{{name}}}"), &encode_segment(value));
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

/// The record `p` owns in a group: its own user record, or the first entity the world says it
/// owns (a dashboard with an item); `None` when the fixtures have none.
pub fn own_subject<'s>(
    ctx: &Ctx<'s>,
    group: &EntityPropertyGroup,
    p: &'s Principal,
) -> Option<Subject<'s>> {
    match &group.owner {
        Owner::AccountIdQuery => Some(Subject::Of(p)),
        Owner::PathParams(names) if names == &["dashboardId", "itemId"] => {
            let (d, item) = WorldView::new(ctx.fixtures).owned_dashboard_item(p)?;
            Some(Subject::Entity {
                params: vec![
                    ("dashboardId".into(), d.id.clone()),
                    ("itemId".into(), item.to_string()),
                ],
                owner: p,
                label: format!("dashboard {} item {item}", d.id),
            })
        }
        Owner::PathParams(_) => {
            let filled = owner_params(ctx, group, p).ok()?;
            let label = filled
                .iter()
                .map(|(name, value)| format!("{name} {value}"))
                .collect::<Vec<_>>()
                .join(" ");
            Some(Subject::Entity {
                params: filled,
                owner: p,
                label,
            })
        }
    }
}

/// Another entity of the group's kind than `mine` that `p` may read, and the kind's name: a
/// second issue or project for isolation between entities. `None` for a group owned by
/// another kind (the user's own record, a dashboard item: each principal has its own) or when
/// the world has no second one.
pub fn other_subject<'s>(
    ctx: &Ctx<'s>,
    group: &EntityPropertyGroup,
    p: &'s Principal,
    mine: &Subject<'s>,
) -> Option<(Subject<'s>, &'static str)> {
    let Owner::PathParams(names) = &group.owner else {
        return None;
    };
    let [name] = names.as_slice() else {
        return None;
    };
    let Subject::Entity { params, .. } = mine else {
        return None;
    };
    let taken = params.first()?.1.as_str();
    let (view, world) = (WorldView::new(ctx.fixtures), &ctx.fixtures.world);
    let (value, kind) = match name.as_str() {
        "issueIdOrKey" | "issueKey" => world
            .issues
            .iter()
            .filter(|i| i.key != taken && i.id != taken && view.sees_issue(p, i))
            .map(|i| (i.key.clone(), "issue"))
            .next()?,
        "projectIdOrKey" | "projectKeyOrId" | "projectKey" => world
            .projects
            .iter()
            .filter(|pr| pr.key != taken && pr.id != taken && view.browses(p, &pr.key))
            .map(|pr| (pr.key.clone(), "project"))
            .next()?,
        _ => return None,
    };
    Some((
        Subject::Entity {
            params: vec![(name.clone(), value.clone())],
            owner: p,
            label: format!("{name} {value}"),
        },
        kind,
    ))
}

/// The owner's path parameters of a group, filled from the world for `p`; `Err` says what the
/// fixtures lack.
pub fn owner_params(
    ctx: &Ctx<'_>,
    group: &EntityPropertyGroup,
    p: &Principal,
) -> Result<Vec<(String, String)>, String> {
    let listing = group
        .operations()
        .next()
        .ok_or("the group has no operation")?;
    fill(ctx.fixtures, ctx.op(listing), p).map(|f| f.path)
}

/// A one-request case expecting a documented `status`; `None` when the spec does not document
/// that status for the operation (the case would state an undocumented rule).
pub struct OneStep<'r> {
    /// The case's family.
    pub family: Family,
    /// The case's name.
    pub name: &'r str,
    /// One line saying what it shows.
    pub summary: String,
    /// The request.
    pub request: Request,
    /// The expected status.
    pub status: u16,
    /// Checks on the body.
    pub checks: Vec<BodyCheck>,
    /// The documented rule, in our words.
    pub rule: &'r str,
    /// Cleanup requests.
    pub cleanup: Vec<Request>,
}

impl OneStep<'_> {
    /// The case, if the spec documents its status.
    pub fn build(self, ctx: &Ctx<'_>, resource: &str, index: usize) -> Option<Case> {
        self.build_then(ctx, resource, index, None)
    }

    /// The case with `after` (a read-back) following the request, if the spec documents its
    /// status.
    pub fn build_then(
        self,
        ctx: &Ctx<'_>,
        resource: &str,
        index: usize,
        after: Option<Step>,
    ) -> Option<Case> {
        let op = ctx.op(index);
        ctx.status_provenance(index, self.status)?;
        let mut b = CaseBuilder::new(ctx, resource, op, self.family, self.name, self.summary)
            .check(
                format!("{} as {}", op.method, self.request.actor),
                self.request,
                Some(ctx.op_ref(index)),
                Expectation {
                    status: StatusExpectation::Exact(self.status),
                    body: self.checks,
                    allow: None,
                    provenance: rule_provenance(ctx, index, self.rule),
                },
            )
            .step_opt(after);
        for c in self.cleanup {
            b = b.cleanup(c);
        }
        Some(b.skip_if(ctx.actor_missing).build())
    }
}

/// The provenance of a rule the operation's description states, in our words.
pub fn rule_provenance(ctx: &Ctx<'_>, index: usize, rule: &str) -> Provenance {
    let op = ctx.op(index);
    Provenance::Spec {
        file: ctx.spec.source.clone(),
        pointer: format!("{}/description", op.pointer),
        text: format!("{}: {rule}", op.operation_id),
    }
}

/// An expectation of exactly `status` with the rule the operation's description states; `None`
/// when the spec does not document that status.
pub fn documented(ctx: &Ctx<'_>, index: usize, status: u16, rule: &str) -> Option<Expectation> {
    ctx.status_provenance(index, status)?;
    Some(Expectation {
        status: StatusExpectation::Exact(status),
        body: Vec::new(),
        allow: None,
        provenance: rule_provenance(ctx, index, rule),
    })
}

/// A keys-family case asking, as the actor, for what `request` names: no checks, no cleanup.
pub fn lookup<'r>(
    name: &'r str,
    summary: String,
    request: Request,
    status: u16,
    rule: &'r str,
) -> OneStep<'r> {
    OneStep {
        family: Family::Keys,
        name,
        summary,
        request,
        status,
        checks: Vec::new(),
        rule,
        cleanup: Vec::new(),
    }
}

/// The happy path of a world operation that needs nothing around its request: `p` calls it on
/// the entity `params` name and gets `status`.
pub fn plain_happy(
    ctx: &Ctx<'_>,
    index: usize,
    params: &[(&str, &str)],
    p: &Principal,
    status: u16,
) -> Happy {
    Happy {
        setup: Vec::new(),
        request: request(ctx, index, params, who(p)),
        status,
        checks: Vec::new(),
        cleanup: Vec::new(),
        skip: ctx.actor_missing,
    }
}
