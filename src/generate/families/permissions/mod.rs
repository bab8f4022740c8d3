//! Permissions: who may act on whose data. An `accountId`-owned property group's matrix of
//! principal × whose record (`account_records`), the properties of the world's issues,
//! projects and worklogs (`owned_entities`), the world's operations and dashboard items
//! (`world`, from the cells `world/` fills), and operations any user with access to Jira may
//! call (`access_jira`).

mod access_jira;
mod account_records;
mod owned_entities;
mod world;

use crate::case::Case;
use crate::generate::context::Ctx;
use crate::generate::entity_property::EntityPropertyGroup;

/// The permissions cases of an entity-property group.
pub fn group(ctx: &Ctx<'_>, group: &EntityPropertyGroup, out: &mut Vec<Case>) {
    account_records::property(ctx, group, out);
    world::dashboard_items(ctx, group, out);
    owned_entities::owned_entities(ctx, group, out);
}

/// The permissions cases of a plain operation.
pub fn operation(ctx: &Ctx<'_>, resource: &str, index: usize, out: &mut Vec<Case>) {
    access_jira::access_jira(ctx, resource, index, out);
    world::world(ctx, resource, index, out);
}
