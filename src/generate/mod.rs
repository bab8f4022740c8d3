//! The generator: spec + fixtures → deterministic conformance cases, one file per family.
//!
//! Inside, imports go one way: `entity_property` and `world` (the fixtures' rules) → `context`
//! (the pass's shared state, the `Happy` and `Place` types, the case builder) → `world_ops`
//! (addressing the world's operations) → `happy` (the happy path every family starts from) →
//! the families → `suite` (the whole pass).

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
