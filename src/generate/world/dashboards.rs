//! Dashboards (`mock/dashboards.rs`, `mock/dashboard_item_properties.rs`): a dashboard is
//! visible to its owner and those it is shared with, the system dashboard to everyone; the
//! properties of its items are read by those who see it and written by its owner.

use serde_json::json;

use super::address::{lookup, plain_happy, request, who, UNKNOWN_ID};
use super::matrix::{cell, yes_no, Cell};
use super::view::WorldView;
use crate::case::{Body, Case};
use crate::fixtures::{Dashboard, Principal};
use crate::generate::context::{run_key, Ctx, Happy, Subject};
use crate::generate::entity_property::{EntityPropertyGroup, Owner};

/// getDashboard as the actor, on the first dashboard it may see.
pub fn happy(ctx: &Ctx<'_>, index: usize) -> Option<Happy> {
    let world = WorldView::new(ctx.fixtures);
    let d = ctx
        .fixtures
        .world
        .dashboards
        .iter()
        .find(|d| world.sees_dashboard(&ctx.actor, d))?;
    Some(plain_happy(ctx, index, &[("id", &d.id)], &ctx.actor, 200))
}

/// getDashboard: every principal on every dashboard.
pub fn matrix(ctx: &Ctx<'_>, index: usize) -> Vec<Cell> {
    let view = WorldView::new(ctx.fixtures);
    let mut cells = Vec::new();
    for d in &ctx.fixtures.world.dashboards {
        for p in &ctx.fixtures.principals {
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
    cells
}

/// getDashboard: an id nobody has is 404.
pub fn lookups(ctx: &Ctx<'_>, resource: &str, index: usize, out: &mut Vec<Case>) {
    let r = request(ctx, index, &[("id", UNKNOWN_ID)], who(&ctx.actor));
    out.extend(
        lookup(
            "unknown_id",
            "a dashboard id nobody has is 404".into(),
            r,
            404,
            "an unknown dashboard is 404",
        )
        .build(ctx, resource, index),
    );
}

/// The matrix of an entity-property group owned by a dashboard item, by operation index:
/// readers are those the dashboard is visible to, writers its owner. Empty for other groups.
pub fn item_property_matrix(ctx: &Ctx<'_>, group: &EntityPropertyGroup) -> Vec<(usize, Cell)> {
    if group.owner != Owner::PathParams(vec!["dashboardId".into(), "itemId".into()]) {
        return Vec::new();
    }
    let mut cells = Vec::new();
    for d in &ctx.fixtures.world.dashboards {
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
        let subject = Subject::Entity {
            params: vec![
                ("dashboardId".into(), d.id.clone()),
                ("itemId".into(), item.clone()),
            ],
            owner,
            label: format!("dashboard {} item {item}", d.id),
        };
        for index in group.operations() {
            for p in &ctx.fixtures.principals {
                let c = item_property_cell(ctx, group, index, (d, &subject, owner), p);
                cells.push((index, c));
            }
        }
    }
    cells
}

/// The cell of `p` calling the operation at `index` on the first item of dashboard `d`
/// (`subject`, owned by `owner`): set up, checked, read back by the owner after a write, cleaned up.
fn item_property_cell(
    ctx: &Ctx<'_>,
    group: &EntityPropertyGroup,
    index: usize,
    (d, subject, owner): (&Dashboard, &Subject<'_>, &Principal),
    p: &Principal,
) -> Cell {
    let view = WorldView::new(ctx.fixtures);
    let op = ctx.op(index);
    let sees = view.sees_dashboard(p, d);
    let owns = view.owns_dashboard(p, d);
    let write = op.method != "GET";
    let key = run_key(&format!("perm-{}", p.name));
    let status = match (sees, owns, write) {
        (false, _, _) => 404,
        (true, false, true) => 403,
        (true, _, _) => ctx.create_status(index).unwrap_or(200),
    };
    let r = ctx.matrix_request(group, index, &key, subject, p);
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
    if Some(index) == group.get || Some(index) == group.delete {
        c.setup.push((
            format!("set up: {} stores property {key}", owner.name),
            ctx.property_request(
                group,
                "PUT",
                Some(&key),
                subject,
                who(owner),
                Body::Json(json!({"set": "up"})),
            ),
        ));
    }
    c.after.extend(item_read_back(
        ctx,
        group,
        index,
        (&key, subject),
        owner,
        status,
        p,
    ));
    if Some(index) != group.keys {
        c.cleanup
            .push(ctx.cleanup_delete(group, &key, subject, owner));
    }
    c
}

/// Read-back by the owner after a write: accepted, the new value (or gone after a delete);
/// refused, the state before (absent, or the value set up). `None` for a read.
fn item_read_back(
    ctx: &Ctx<'_>,
    group: &EntityPropertyGroup,
    index: usize,
    (key, subject): (&str, &Subject<'_>),
    owner: &Principal,
    status: u16,
    p: &Principal,
) -> Option<crate::case::Step> {
    let set = Some(index) == group.set;
    if !set && Some(index) != group.delete {
        return None;
    }
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
        ctx.op(index).method
    );
    crate::generate::readback::property(ctx, group, key, subject, owner, holds, &why)
}
