//! Limits: documented bounds at the edge (accepted) and one past (refused with 400), and
//! requests the operation cannot take: the property value in bytes and the key in characters
//! (`property`, `multibyte_key`), the `accountId` length, empty and malformed bodies, the
//! schema bounds of query parameters (`bounds`), a body in another media type (`media_type`),
//! and the refused writes the world's resources name (`world/`).

mod bounds;
mod media_type;
mod multibyte_key;
mod property;

use crate::case::Case;
use crate::generate::context::{Ctx, Place};
use crate::generate::entity_property::EntityPropertyGroup;

/// The limits cases of an entity-property group.
pub fn group(ctx: &Ctx<'_>, group: &EntityPropertyGroup, out: &mut Vec<Case>) {
    for index in group.operations() {
        let place = Place::Property(group);
        media_type::unsupported_media_type(ctx, &group.resource, index, place, out);
    }
    property::property(ctx, group, out);
    property::account_id(ctx, group, out);
    multibyte_key::multibyte_key(ctx, group, out);
}

/// The limits cases of a plain operation.
pub fn operation(ctx: &Ctx<'_>, resource: &str, index: usize, out: &mut Vec<Case>) {
    media_type::unsupported_media_type(ctx, resource, index, Place::Plain, out);
    bounds::query_parameters(ctx, resource, index, out);
    crate::generate::world::limits(ctx, resource, index, out);
}
