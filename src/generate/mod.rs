//! The generator: spec + fixtures → deterministic conformance cases, one file per family.

mod context;
mod happy;
mod entity_property;
mod keys;
mod limits;
mod methods;
mod observations;
mod permissions;
mod roundtrip;
mod schema;
mod suite;

pub use entity_property::{EntityPropertyGroup, Owner};
pub use suite::{generate, GenerateError};
