//! The eight families (see [`crate::case::Family`]), one file (or folder) each: the one place
//! that assembles that family's cases, for an entity-property group (`group`) and for a plain
//! operation (`operation`), from the rules, the world and the happy path below it.

pub mod keys;
pub mod limits;
pub mod methods;
pub mod observations;
pub mod parameters;
pub mod permissions;
pub mod roundtrip;
pub mod schema;
