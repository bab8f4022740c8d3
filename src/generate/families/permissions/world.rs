//! The permission matrix of the world's operations: every principal against the entities the
//! fixtures describe (issues behind security, restricted worklogs, private and shared
//! dashboards, administered projects), each expectation from the documented rule applied to the
//! fixtures' facts. Anonymous and bad credentials are refused with 401.

use crate::case::{Actor, Case, Expectation, Family, StatusExpectation};
use crate::generate::context::{CaseBuilder, Ctx};
use crate::generate::entity_property::EntityPropertyGroup;
use crate::generate::world::{cell, rule_provenance, Cell};
use crate::spec::prose::Grant;

/// The case of one cell of the operation at `index`, when the spec documents every status
/// the cell admits.
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

/// The matrix of a plain world operation.
pub fn world(ctx: &Ctx<'_>, resource: &str, index: usize, out: &mut Vec<Case>) {
    let op = ctx.op(index);
    let cells = crate::generate::world::matrix(ctx, index);
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
        if actor == Actor::Anonymous && ctx.rules(index).anonymous_by_security {
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
        if !crate::generate::scratch::acts_on_scratch(ctx, &c.request, &c.cleanup) {
            c.skip = Some(crate::generate::scratch::NO_SCRATCH);
        }
        push(ctx, resource, index, c, out);
    }
}

/// The matrix of an entity-property group owned by a dashboard item: readers are those the
/// dashboard is visible to, writers its owner.
pub fn dashboard_items(ctx: &Ctx<'_>, group: &EntityPropertyGroup, out: &mut Vec<Case>) {
    for (index, c) in crate::generate::world::item_property_matrix(ctx, group) {
        push(ctx, &group.resource, index, c, out);
    }
}
