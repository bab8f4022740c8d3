//! The OpenAPI spec: loading (JSON or YAML, local `$ref`s), the operation index, schema
//! conversion for validation, and the documented rules found in the prose.

pub mod compile;
mod error;
mod load;
mod model;
mod pointer;
pub mod prose;
pub mod prose_rules;
mod provenance;
pub mod rich_text;
pub mod schema;
mod yaml;

pub use compile::{compile_all, unresolved_refs, BrokenRef, CompileReport};
pub use error::SpecError;
pub use load::{embedded, load_path, parse, EMBEDDED_SPEC_NAME};
pub use model::{Operation, ParamLocation, Parameter, RequestBody, Response, Spec};
pub use pointer::escape_token;
pub use provenance::{Api, Provenance};
