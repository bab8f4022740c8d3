//! OpenAPI 3.0 schemas turned into JSON Schema (draft 4) and compiled for validation.
//!
//! OpenAPI 3.0's schema object is draft-4-like with extras: `nullable`, `readOnly`/`writeOnly`
//! (which change what `required` means per direction), `discriminator`, `example`. Each schema
//! is compiled with only the component schemas it reaches, so one validator never carries the
//! whole of a 2 MB spec.
//!
//! `convert` turns one schema into draft 4, `refs` maps references to definition keys and back,
//! `standalone` builds the document a schema needs, `validator` compiles and caches it.

mod convert;
mod refs;
mod standalone;
#[cfg(test)]
mod tests;
mod validator;

pub use convert::{convert, Direction};
pub use standalone::{standalone, standalone_for};
pub use validator::{compile_schema, compile_schema_for, SchemaCache, SchemaError, Violation};
