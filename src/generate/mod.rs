//! The generator: spec + fixtures → deterministic conformance cases, one file per family.

mod context;
mod entity_property;
mod happy;
mod keys;
mod limits;
mod methods;
mod observations;
mod permissions;
mod roundtrip;
mod schema;
mod suite;

pub use entity_property::{snake, EntityPropertyGroup, Owner};
pub use suite::{generate, GenerateError};
