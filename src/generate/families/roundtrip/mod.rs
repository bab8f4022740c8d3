//! Roundtrip: state behaves. A property's lifecycle and every JSON type (`property`), a
//! property seen on its own entity only (`isolation`), deleting a missing key (`delete_missing`),
//! and the world's writes read back (`world/`).

mod delete_missing;
mod isolation;
mod property;

use crate::case::Case;
use crate::generate::context::Ctx;
use crate::generate::entity_property::EntityPropertyGroup;

/// The roundtrip cases of an entity-property group.
pub fn group(ctx: &Ctx<'_>, group: &EntityPropertyGroup, out: &mut Vec<Case>) {
    property::property(ctx, group, out);
    isolation::property(ctx, group, out);
    delete_missing::delete_missing(ctx, group, out);
}

/// The roundtrip cases of a plain operation.
pub fn operation(ctx: &Ctx<'_>, resource: &str, index: usize, out: &mut Vec<Case>) {
    crate::generate::world::roundtrip(ctx, resource, index, out);
}
