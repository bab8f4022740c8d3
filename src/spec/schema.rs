//! OpenAPI 3.0 schemas turned into JSON Schema (draft 4) and compiled for validation.
//!
//! OpenAPI 3.0's schema object is draft-4-like with extras: `nullable`, `readOnly`/`writeOnly`
//! (which change what `required` means per direction), `discriminator`, `example`. Each schema
//! is compiled with only the component schemas it reaches, so one validator never carries the
//! whole of a 2 MB spec.

use std::collections::{BTreeSet, HashMap};
use std::sync::{Arc, Mutex};

use serde_json::{Map, Value};

const COMPONENT_PREFIX: &str = "#/components/schemas/";

/// Which side of the exchange a schema describes: `readOnly` properties are not required in a
/// request, `writeOnly` ones not in a response.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Direction {
    /// A request body.
    Request,
    /// A response body.
    Response,
}

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
}

/// Converts one OpenAPI 3.0 schema to draft-4 JSON Schema, component references rewritten to
/// `#/definitions/Name`.
pub fn convert(schema: &Value, direction: Direction) -> Value {
    match schema {
        Value::Object(obj) => convert_object(obj, direction),
        Value::Array(items) => Value::Array(items.iter().map(|v| convert(v, direction)).collect()),
        other => other.clone(),
    }
}

fn convert_object(obj: &Map<String, Value>, direction: Direction) -> Value {
    let mut out = Map::new();
    for (key, value) in obj {
        match key.as_str() {
            // Annotations that draft 4 does not know or that do not constrain.
            "nullable" | "example" | "examples" | "xml" | "externalDocs" | "discriminator"
            | "deprecated" | "readOnly" | "writeOnly" => {}
            k if k.starts_with("x-") => {}
            "$ref" => {
                let target = value.as_str().unwrap_or_default();
                let rewritten = match target.strip_prefix(COMPONENT_PREFIX) {
                    Some(name) => format!("#/definitions/{name}"),
                    None => target.to_string(),
                };
                out.insert(key.clone(), Value::String(rewritten));
            }
            // Maps of name → schema: convert the schemas, not the names.
            "properties" | "patternProperties" | "definitions" => {
                let converted = value
                    .as_object()
                    .map(|m| {
                        m.iter()
                            .map(|(k, v)| (k.clone(), convert(v, direction)))
                            .collect::<Map<_, _>>()
                    })
                    .map_or_else(|| value.clone(), Value::Object);
                out.insert(key.clone(), converted);
            }
            // `enum` and `default` hold data, not schemas.
            "enum" | "default" | "const" => {
                out.insert(key.clone(), value.clone());
            }
            _ => {
                out.insert(key.clone(), convert(value, direction));
            }
        }
    }
    drop_direction_required(obj, &mut out, direction);
    if obj.get("nullable").and_then(Value::as_bool) == Some(true) {
        return make_nullable(out);
    }
    Value::Object(out)
}

fn drop_direction_required(src: &Map<String, Value>, out: &mut Map<String, Value>, dir: Direction) {
    let (Some(props), Some(required)) = (
        src.get("properties").and_then(Value::as_object),
        out.get("required").and_then(Value::as_array),
    ) else {
        return;
    };
    let hidden = match dir {
        Direction::Request => "readOnly",
        Direction::Response => "writeOnly",
    };
    let kept: Vec<Value> = required
        .iter()
        .filter(|name| {
            let flagged = name
                .as_str()
                .and_then(|n| props.get(n))
                .and_then(|p| p.get(hidden))
                .and_then(Value::as_bool)
                == Some(true);
            !flagged
        })
        .cloned()
        .collect();
    if kept.is_empty() {
        out.remove("required");
    } else {
        out.insert("required".into(), Value::Array(kept));
    }
}

fn make_nullable(mut out: Map<String, Value>) -> Value {
    if let Some(Value::Array(values)) = out.get_mut("enum") {
        if !values.contains(&Value::Null) {
            values.push(Value::Null);
        }
    }
    match out.get("type").cloned() {
        Some(Value::String(t)) => {
            out.insert(
                "type".into(),
                Value::Array(vec![Value::String(t), Value::String("null".into())]),
            );
            Value::Object(out)
        }
        // No single type to widen: accept null beside whatever the schema accepts.
        _ => {
            let mut wrapper = Map::new();
            wrapper.insert(
                "anyOf".into(),
                Value::Array(vec![
                    Value::Object(out),
                    serde_json::json!({"type": "null"}),
                ]),
            );
            Value::Object(wrapper)
        }
    }
}

fn collect_refs(schema: &Value, into: &mut BTreeSet<String>) {
    match schema {
        Value::Object(obj) => {
            if let Some(name) = obj
                .get("$ref")
                .and_then(Value::as_str)
                .and_then(|r| r.strip_prefix(COMPONENT_PREFIX))
            {
                into.insert(name.to_string());
            }
            for (k, v) in obj {
                if k != "enum" && k != "example" && k != "default" {
                    collect_refs(v, into);
                }
            }
        }
        Value::Array(items) => items.iter().for_each(|v| collect_refs(v, into)),
        _ => {}
    }
}

/// Builds the draft-4 document for `schema`: the converted schema, plus the component schemas
/// it reaches (transitively) as `definitions`.
pub fn standalone(document: &Value, schema: &Value, direction: Direction) -> Value {
    let components = document
        .pointer("/components/schemas")
        .and_then(Value::as_object);
    let mut wanted = BTreeSet::new();
    collect_refs(schema, &mut wanted);
    let mut done = BTreeSet::new();
    let mut definitions = Map::new();
    while let Some(name) = wanted.pop_first() {
        if !done.insert(name.clone()) {
            continue;
        }
        let token = name.replace("~1", "/").replace("~0", "~");
        if let Some(def) = components.and_then(|c| c.get(&token)) {
            let mut more = BTreeSet::new();
            collect_refs(def, &mut more);
            wanted.extend(more.into_iter().filter(|n| !done.contains(n)));
            definitions.insert(token, convert(def, direction));
        }
    }
    let mut root = match convert(schema, direction) {
        Value::Object(obj) => obj,
        // A boolean schema or other oddity: wrap so `definitions` has a place to live.
        other => {
            let mut m = Map::new();
            m.insert("allOf".into(), Value::Array(vec![other]));
            m
        }
    };
    if !definitions.is_empty() {
        root.insert("definitions".into(), Value::Object(definitions));
    }
    Value::Object(root)
}

type Compiled = Result<Arc<jsonschema::Validator>, SchemaError>;

/// Compiled validators, built the first time a schema is needed and shared after.
#[derive(Default)]
pub struct SchemaCache {
    compiled: Mutex<HashMap<(String, Direction), Compiled>>,
}

impl SchemaCache {
    /// An empty cache.
    pub fn new() -> SchemaCache {
        SchemaCache::default()
    }

    /// The validator for the schema at `pointer` in `document` (an OpenAPI schema object).
    pub fn validator(&self, document: &Value, pointer: &str, direction: Direction) -> Compiled {
        let key = (pointer.to_string(), direction);
        if let Ok(map) = self.compiled.lock() {
            if let Some(found) = map.get(&key) {
                return found.clone();
            }
        }
        let compiled = compile(document, pointer, direction);
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
        let validator = self.validator(document, pointer, direction)?;
        Ok(validator
            .iter_errors(body)
            .map(|e| Violation {
                instance_pointer: e.instance_path().to_string(),
                message: e.to_string(),
            })
            .collect())
    }
}

fn compile(document: &Value, pointer: &str, direction: Direction) -> Compiled {
    let schema = document.pointer(pointer).ok_or_else(|| SchemaError {
        pointer: pointer.to_string(),
        message: "no schema at this pointer".into(),
    })?;
    let standalone = standalone(document, schema, direction);
    jsonschema::draft4::options()
        // Jira's timestamps (`2021-01-17T12:34:00.000+0000`) are not RFC 3339; checking formats
        // would report every real body.
        .should_validate_formats(false)
        .build(&standalone)
        .map(Arc::new)
        .map_err(|e| SchemaError {
            pointer: pointer.to_string(),
            message: e.to_string(),
        })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn nullable_widens_type_and_enum() {
        let s = convert(
            &json!({"type": "string", "enum": ["a"], "nullable": true}),
            Direction::Response,
        );
        assert_eq!(s, json!({"type": ["string", "null"], "enum": ["a", null]}));
    }

    #[test]
    fn write_only_is_not_required_in_responses_but_is_in_requests() {
        let schema = json!({"type": "object", "required": ["a", "b"],
            "properties": {"a": {"type": "string", "writeOnly": true}, "b": {"type": "string"}}});
        assert_eq!(
            convert(&schema, Direction::Response)["required"],
            json!(["b"])
        );
        assert_eq!(
            convert(&schema, Direction::Request)["required"],
            json!(["a", "b"])
        );
    }

    #[test]
    fn only_reached_components_are_included_and_cycles_terminate() {
        let doc = json!({"components": {"schemas": {
            "Node": {"type": "object", "properties": {"children": {"type": "array", "items": {"$ref": "#/components/schemas/Node"}}}},
            "Unused": {"type": "string"}
        }}, "s": {"$ref": "#/components/schemas/Node"}});
        let out = standalone(&doc, &doc["s"], Direction::Response);
        assert!(out["definitions"].get("Node").is_some());
        assert!(out["definitions"].get("Unused").is_none());
        let cache = SchemaCache::new();
        let ok = cache.validate(
            &doc,
            "/s",
            Direction::Response,
            &json!({"children": [{"children": []}]}),
        );
        assert_eq!(ok.unwrap(), vec![]);
        let bad = cache
            .validate(
                &doc,
                "/s",
                Direction::Response,
                &json!({"children": [{"children": 3}]}),
            )
            .unwrap();
        assert_eq!(bad.len(), 1);
        assert_eq!(bad[0].instance_pointer, "/children/0/children");
    }
}
