//! The OpenAPI spec: loading (JSON or YAML, local `$ref`s), the operation index, schema
//! conversion for validation, and the documented rules found in the prose.

pub mod compile;
mod error;
mod load;
mod model;
mod pointer;
pub mod prose;
mod provenance;
pub mod rich_text;
pub mod schema;
mod yaml;

pub use compile::{compile_all, unresolved_refs, BrokenRef, CompileReport};
pub use error::SpecError;
pub use load::{embedded, load_path, parse, EMBEDDED_SPEC_BYTES, EMBEDDED_SPEC_NAME};
pub use model::{Operation, ParamLocation, Parameter, RequestBody, Response, Spec};
pub use pointer::escape_token;
pub use provenance::{Api, Provenance};

/// The prose rules beside the limits and permissions, at the path callers know them by.
pub mod prose_rules {
    pub use super::prose::{
        case_sensitive_params, delete_missing_404, key_limit_in_characters, stated_limits,
        LimitSubject, LimitUnit, StatedLimit,
    };
}
