//! One OpenAPI 3.0 schema as draft-4 JSON Schema: annotations dropped, references rewritten,
//! `nullable` widened, `required` adjusted to the direction, rich-text fields derived per API.

use serde_json::{Map, Value};

use super::refs::rewrite_ref;
use crate::spec::Api;

/// Which side of the exchange a schema describes: `readOnly` properties are not required in a
/// request, `writeOnly` ones not in a response.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Direction {
    /// A request body.
    Request,
    /// A response body.
    Response,
}

/// Converts one OpenAPI 3.0 schema to draft-4 JSON Schema. Local references are rewritten to
/// point into `definitions`: `#/components/schemas/Name` to `#/definitions/Name`, any other
/// `#/pointer` (a property of a component, say) to a definition named by the whole pointer.
pub fn convert(schema: &Value, direction: Direction) -> Value {
    Converter::new(direction).value(schema)
}

/// Conversion state: the direction, and every `$ref` met so far (as written), so the builder
/// of a standalone document knows which definitions the converted schemas need.
pub(super) struct Converter {
    pub(super) direction: Direction,
    /// The API version whose rich-text fields to derive (`None`: the schema as written).
    pub(super) api: Option<Api>,
    pub(super) refs: Vec<String>,
    /// Whether a `$ref` that is not a string was met.
    pub(super) non_string_ref: bool,
}

impl Converter {
    pub(super) fn new(direction: Direction) -> Converter {
        Converter {
            direction,
            api: None,
            refs: Vec::new(),
            non_string_ref: false,
        }
    }

    pub(super) fn value(&mut self, schema: &Value) -> Value {
        match schema {
            Value::Object(obj) => self.object(obj),
            Value::Array(items) => Value::Array(items.iter().map(|v| self.value(v)).collect()),
            other => other.clone(),
        }
    }

    fn object(&mut self, obj: &Map<String, Value>) -> Value {
        let mut out = Map::new();
        for (key, value) in obj {
            match key.as_str() {
                // Annotations that draft 4 does not know or that do not constrain.
                "nullable" | "example" | "examples" | "xml" | "externalDocs" | "discriminator"
                | "deprecated" | "readOnly" | "writeOnly" => {}
                // Not OpenAPI 3.0 keywords. In draft 4 `id` would change the base URI every
                // `$ref` below it resolves against, and `definitions` is where the standalone
                // document puts what references reach (a reference into a schema's own
                // `definitions` gets a definition of its own, like any other).
                "id" | "$id" | "$schema" | "definitions" => {}
                k if k.starts_with("x-") => {}
                "$ref" => {
                    let rewritten = match value.as_str() {
                        Some(target) => {
                            self.refs.push(target.to_string());
                            Value::String(rewrite_ref(target))
                        }
                        // Kept as it is and reported (turned into a string, it would be a
                        // reference to something).
                        None => {
                            self.non_string_ref = true;
                            value.clone()
                        }
                    };
                    out.insert(key.clone(), rewritten);
                }
                // Maps of name → schema: convert the schemas, not the names.
                "properties" | "patternProperties" => {
                    let converted = match value.as_object() {
                        Some(m) => Value::Object(
                            m.iter()
                                .map(|(k, v)| (k.clone(), self.value(v)))
                                .collect::<Map<_, _>>(),
                        ),
                        None => value.clone(),
                    };
                    out.insert(key.clone(), converted);
                }
                // `enum` and `default` hold data, not schemas.
                "enum" | "default" | "const" => {
                    out.insert(key.clone(), value.clone());
                }
                _ => {
                    let converted = self.value(value);
                    out.insert(key.clone(), converted);
                }
            }
        }
        if let Some(api) = self.api {
            crate::spec::rich_text::derive_properties(api, obj, &mut out);
        }
        drop_direction_required(obj, &mut out, self.direction);
        if obj.get("nullable").and_then(Value::as_bool) == Some(true) {
            return make_nullable(out);
        }
        Value::Object(out)
    }
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
