//! The generator: spec + fixtures → deterministic conformance cases, one file per family.
//!
//! Inside, imports go one way: `entity_property` and `world` (the fixtures' rules) → `context`
//! (the pass's shared state, the `Happy` and `Place` types, the case builder) → `world_ops`
//! (addressing the world's operations) → `happy` (the happy path every family starts from) →
//! the families → `suite` (the whole pass).

mod bounds;
mod context;
mod credentials;
mod entity_property;
mod expansions;
mod happy;
mod isolation;
mod keys;
mod limits;
mod methods;
mod observations;
mod paging;
mod permissions;
mod property_permissions;
mod prose_rules;
mod readback;
mod required;
mod roundtrip;
mod schema;
mod scratch;
mod standards;
mod suite;
mod world;
mod world_permissions;

pub use entity_property::{find_groups, snake, EntityPropertyGroup, Owner};
pub use suite::{generate, generate_with_gaps, Gap, GenerateError, Generated};
pub use world::WorldView;
