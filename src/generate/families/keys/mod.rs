//! Keys: key vs no key. Credentials present, invalid or absent on every operation
//! (`credentials`); the property key and `accountId` present or absent (`property`); required
//! parameters and bodies left out (`required`); an owner named in the other case
//! (`owner_case`); and the world's entities found by id and key (`world/`).

mod credentials;
mod owner_case;
mod property;
mod required;

use crate::case::Case;
use crate::generate::context::{Ctx, Place};
use crate::generate::entity_property::EntityPropertyGroup;

/// The keys cases of an entity-property group.
pub fn group(ctx: &Ctx<'_>, group: &EntityPropertyGroup, out: &mut Vec<Case>) {
    for index in group.operations() {
        let place = Place::Property(group);
        credentials::every_operation(ctx, &group.resource, index, place, out);
    }
    property::property(ctx, group, out);
    owner_case::owner_case(ctx, group, out);
}

/// The keys cases of a plain operation.
pub fn operation(ctx: &Ctx<'_>, resource: &str, index: usize, out: &mut Vec<Case>) {
    credentials::every_operation(ctx, resource, index, Place::Plain, out);
    required::omitted(ctx, resource, index, out);
    crate::generate::world::lookups(ctx, resource, index, out);
}
