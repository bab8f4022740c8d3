//! Compiled validators: a schema converted, made standalone and compiled (each once, cached),
//! and a body checked against it.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use serde_json::Value;

use super::convert::Direction;
use super::refs::spec_location;
use super::standalone::standalone_parts;
use crate::spec::Api;

/// A schema that would not compile, named by where it came from.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("schema at {pointer} cannot be used for validation: {message}")]
pub struct SchemaError {
    /// JSON pointer of the schema in the spec.
    pub pointer: String,
    /// The compiler's message.
    pub message: String,
}

/// One way a body departs from its schema.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Violation {
    /// JSON pointer into the body.
    pub instance_pointer: String,
    /// What the schema says, from the validator.
    pub message: String,
    /// The schema keyword that failed (`type`, `required`…): the last segment of the schema
    /// path.
    pub keyword: Option<String>,
}

type Compiled = Result<Arc<jsonschema::Validator>, SchemaError>;

/// A compiled schema's identity: where it is, the direction, the API version it was derived for.
type CacheKey = (String, Direction, Option<Api>);

/// Compiled validators, built the first time a schema is needed and shared after.
#[derive(Default)]
pub struct SchemaCache {
    compiled: Mutex<HashMap<CacheKey, Compiled>>,
}

impl SchemaCache {
    /// An empty cache.
    pub fn new() -> SchemaCache {
        SchemaCache::default()
    }

    /// The validator for the schema at `pointer` in `document` (an OpenAPI schema object).
    pub fn validator(&self, document: &Value, pointer: &str, direction: Direction) -> Compiled {
        self.validator_for(document, pointer, direction, None)
    }

    /// The validator for the schema at `pointer` as API version `api` documents it (rich-text
    /// fields derived per version); `None` is the schema as written.
    pub fn validator_for(
        &self,
        document: &Value,
        pointer: &str,
        direction: Direction,
        api: Option<Api>,
    ) -> Compiled {
        let key = (pointer.to_string(), direction, api);
        if let Ok(map) = self.compiled.lock() {
            if let Some(found) = map.get(&key) {
                return found.clone();
            }
        }
        let compiled = compile(document, pointer, direction, api);
        if let Ok(mut map) = self.compiled.lock() {
            map.insert(key, compiled.clone());
        }
        compiled
    }

    /// Validates `body` against the schema at `pointer`; an empty list means it conforms.
    pub fn validate(
        &self,
        document: &Value,
        pointer: &str,
        direction: Direction,
        body: &Value,
    ) -> Result<Vec<Violation>, SchemaError> {
        self.validate_for(document, pointer, direction, None, body)
    }

    /// [`SchemaCache::validate`] as API version `api` documents the schema (see
    /// [`SchemaCache::validator_for`]).
    pub fn validate_for(
        &self,
        document: &Value,
        pointer: &str,
        direction: Direction,
        api: Option<Api>,
        body: &Value,
    ) -> Result<Vec<Violation>, SchemaError> {
        let validator = self.validator_for(document, pointer, direction, api)?;
        Ok(validator
            .iter_errors(body)
            .map(|e| Violation {
                instance_pointer: e.instance_path().to_string(),
                message: e.to_string(),
                keyword: e
                    .schema_path()
                    .to_string()
                    .rsplit('/')
                    .next()
                    .filter(|k| !k.is_empty())
                    .map(str::to_string),
            })
            .collect())
    }
}

fn compile(document: &Value, pointer: &str, direction: Direction, api: Option<Api>) -> Compiled {
    let schema = document.pointer(pointer).ok_or_else(|| SchemaError {
        pointer: pointer.to_string(),
        message: "no schema at this pointer".into(),
    })?;
    compile_schema_for(document, schema, pointer, direction, api).map(Arc::new)
}

/// Converts and compiles `schema` (an OpenAPI schema object of `document`, found at `pointer`,
/// which only names it in the error).
pub fn compile_schema(
    document: &Value,
    schema: &Value,
    pointer: &str,
    direction: Direction,
) -> Result<jsonschema::Validator, SchemaError> {
    compile_schema_for(document, schema, pointer, direction, None)
}

/// [`compile_schema`] for one API version (`None`: the schema as written).
pub fn compile_schema_for(
    document: &Value,
    schema: &Value,
    pointer: &str,
    direction: Direction,
    api: Option<Api>,
) -> Result<jsonschema::Validator, SchemaError> {
    let (standalone, problems) = standalone_parts(document, schema, direction, api);
    if let Some(first) = problems.into_iter().next() {
        return Err(SchemaError {
            pointer: pointer.to_string(),
            message: first,
        });
    }
    let build = || {
        jsonschema::draft4::options()
            // Jira's timestamps (`2021-01-17T12:34:00.000+0000`) are not RFC 3339; checking
            // formats would report every real body.
            .should_validate_formats(false)
            .build(&standalone)
    };
    // No input is known to make the compiler panic; should one, it is this schema's failure,
    // not the end of the run.
    let built = std::panic::catch_unwind(build).map_err(|panic| SchemaError {
        pointer: pointer.to_string(),
        message: format!(
            "the schema compiler panicked: {}",
            panic
                .downcast_ref::<&str>()
                .copied()
                .or_else(|| panic.downcast_ref::<String>().map(String::as_str))
                .unwrap_or("no message")
        ),
    })?;
    built.map_err(|e| SchemaError {
        pointer: pointer.to_string(),
        message: match spec_location(e.instance_path().as_str(), pointer) {
            Some(at) => format!("{e} (at {at})"),
            None => e.to_string(),
        },
    })
}
