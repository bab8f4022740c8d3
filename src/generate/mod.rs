//! The generator: spec + fixtures → deterministic conformance cases, one file (or folder) per
//! family.
//!
//! A pass runs in this order, and imports go the same one way (a module imports only those
//! before it):
//!
//! 1. `entity_property`: the entity-property groups a spec has (user, issue, dashboard-item…
//!    properties), found once.
//! 2. `rules`: the rules step, per operation before any family runs: documented statuses, the
//!    permission rule and anonymous access from the prose, limits with the fixtures' overrides.
//! 3. `context`: the pass's state for one API version (rules, principals by role, gaps), the
//!    case builder, requests to a property record, the shape of a happy path; `readback` and
//!    `standards` build steps and checks from it.
//! 4. `world/`: the fixtures' world per resource, mirroring `mock/<resource>.rs`: how each
//!    operation is addressed, its happy path, permission matrix, lookups, parameters, writes.
//! 5. `happy`: the happy path every family starts from (the world's, or a generic filling);
//!    `scratch`: keeps negative writes on what the run made.
//! 6. `families/`: one place per family (`methods`, `limits`, `permissions`, `keys`, `schema`,
//!    `roundtrip`, `parameters`, `observations`), each with a `group` and an `operation` entry.
//! 7. `suite`: the whole pass, every family for every group and operation, per API version,
//!    sorted by id.

mod context;
mod entity_property;
mod families;
mod happy;
mod readback;
mod rules;
mod scratch;
mod standards;
mod suite;
mod world;

pub use entity_property::{find_groups, snake, EntityPropertyGroup, Owner};
pub use suite::{generate, generate_with_gaps, Gap, GenerateError, Generated};
pub use world::WorldView;
