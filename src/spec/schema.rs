//! OpenAPI 3.0 schemas turned into JSON Schema (draft 4) and compiled for validation.
//!
//! OpenAPI 3.0's schema object is draft-4-like with extras: `nullable`, `readOnly`/`writeOnly`
//! (which change what `required` means per direction), `discriminator`, `example`. Each schema
//! is compiled with only the component schemas it reaches, so one validator never carries the
//! whole of a 2 MB spec.

use std::collections::{BTreeSet, HashMap};
use std::sync::{Arc, Mutex};

use serde_json::{Map, Value};

use super::Api;

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
    /// The schema keyword that failed (`type`, `required`…): the last segment of the schema
    /// path.
    pub keyword: Option<String>,
}

/// Converts one OpenAPI 3.0 schema to draft-4 JSON Schema. Local references are rewritten to
/// point into `definitions`: `#/components/schemas/Name` to `#/definitions/Name`, any other
/// `#/pointer` (a property of a component, say) to a definition named by the whole pointer.
pub fn convert(schema: &Value, direction: Direction) -> Value {
    Converter::new(direction).value(schema)
}

/// Conversion state: the direction, and every `$ref` met so far (as written), so the builder
/// of a standalone document knows which definitions the converted schemas need.
struct Converter {
    direction: Direction,
    /// The API version whose rich-text fields to derive (`None`: the schema as written).
    api: Option<Api>,
    refs: Vec<String>,
    /// Whether a `$ref` that is not a string was met.
    non_string_ref: bool,
}

impl Converter {
    fn new(direction: Direction) -> Converter {
        Converter {
            direction,
            api: None,
            refs: Vec::new(),
            non_string_ref: false,
        }
    }

    fn value(&mut self, schema: &Value) -> Value {
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
            super::rich_text::derive_properties(api, obj, &mut out);
        }
        drop_direction_required(obj, &mut out, self.direction);
        if obj.get("nullable").and_then(Value::as_bool) == Some(true) {
            return make_nullable(out);
        }
        Value::Object(out)
    }
}

/// Where a local `$ref` goes in the standalone document. `None` for a reference that is not
/// of the form `#/pointer` (external, an anchor, the whole document): those are left alone.
struct RefTarget {
    /// The key in `definitions`.
    key: String,
    /// JSON pointer of the referenced element in the spec (percent-decoded).
    pointer: String,
}

fn ref_target(reference: &str) -> Option<RefTarget> {
    let fragment = reference.strip_prefix('#')?;
    let pointer = percent_decode(fragment)?;
    if !pointer.starts_with('/') {
        return None;
    }
    let key = match pointer.strip_prefix(COMPONENT_PREFIX.trim_start_matches('#')) {
        Some(token) if !token.contains('/') => unescape_token(token),
        // A pointer starts with `/`; a component name (`[A-Za-z0-9._-]+` in OpenAPI) cannot:
        // the two kinds of key never collide.
        _ => pointer.clone(),
    };
    Some(RefTarget { key, pointer })
}

fn rewrite_ref(reference: &str) -> String {
    match ref_target(reference) {
        Some(target) => format!(
            "#/definitions/{}",
            percent_encode_fragment(&escape_token(&target.key))
        ),
        None => reference.to_string(),
    }
}

fn escape_token(token: &str) -> String {
    super::pointer::escape_token(token)
}

fn unescape_token(token: &str) -> String {
    token.replace("~1", "/").replace("~0", "~")
}

/// Decodes `%XX` escapes of a URI fragment; `None` if they do not decode to UTF-8.
fn percent_decode(text: &str) -> Option<String> {
    if !text.contains('%') {
        return Some(text.to_string());
    }
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = |b: u8| (b as char).to_digit(16);
        match (bytes[i], bytes.get(i + 1), bytes.get(i + 2)) {
            (b'%', Some(&h), Some(&l)) if hex(h).is_some() && hex(l).is_some() => {
                out.push((hex(h)? * 16 + hex(l)?) as u8);
                i += 3;
            }
            (b, _, _) => {
                out.push(b);
                i += 1;
            }
        }
    }
    String::from_utf8(out).ok()
}

/// Escapes what may not appear literally in a URI fragment (RFC 3986: unreserved, sub-delims,
/// `:`, `@`, `/`, `?` may).
fn percent_encode_fragment(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for b in text.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~!$&'()*+,;=:@/?".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
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

/// Builds the draft-4 document for `schema`: the converted schema, plus what its local
/// references reach (transitively) as `definitions`.
pub fn standalone(document: &Value, schema: &Value, direction: Direction) -> Value {
    standalone_parts(document, schema, direction, None).0
}

/// [`standalone`] for one API version: rich-text fields derived as
/// [`rich_text`](super::rich_text) says (plain strings on v2, documents on v3).
pub fn standalone_for(document: &Value, schema: &Value, direction: Direction, api: Api) -> Value {
    standalone_parts(document, schema, direction, Some(api)).0
}

/// The standalone document, and what is wrong with the references it would need (a `$ref`
/// that is not a string, not local, or points to nothing): each such problem makes the
/// compiled validator wrong or impossible, so [`compile_schema`] reports the first.
fn standalone_parts(
    document: &Value,
    schema: &Value,
    direction: Direction,
    api: Option<Api>,
) -> (Value, Vec<String>) {
    let mut converter = Converter::new(direction);
    converter.api = api;
    let converted = converter.value(schema);
    let mut problems = Vec::new();
    if std::mem::take(&mut converter.non_string_ref) {
        problems.push("a $ref in this schema is not a string".to_string());
    }
    // (references still to place, the definition they were found in), depth first.
    let mut pending: Vec<(String, String)> = converter
        .refs
        .drain(..)
        .rev()
        .map(|r| (r, "this schema".to_string()))
        .collect();
    let mut done: BTreeSet<String> = BTreeSet::new();
    let mut definitions = Map::new();
    while let Some((reference, found_in)) = pending.pop() {
        let Some(target) = ref_target(&reference) else {
            problems.push(format!(
                "$ref {reference:?} in {found_in} is not a local reference to an element of \
                 the spec (#/...): only those are supported"
            ));
            continue;
        };
        if !done.insert(target.key.clone()) {
            continue;
        }
        let Some(def) = document.pointer(&target.pointer) else {
            problems.push(format!(
                "$ref {reference:?} in {found_in} points to nothing in the spec"
            ));
            continue;
        };
        let converted_def = converter.value(def);
        if std::mem::take(&mut converter.non_string_ref) {
            problems.push(format!("a $ref in #{} is not a string", target.pointer));
        }
        let here = format!("#{}", target.pointer);
        pending.extend(converter.refs.drain(..).rev().map(|r| (r, here.clone())));
        definitions.insert(target.key, converted_def);
    }
    let mut root = match converted {
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
    (Value::Object(root), problems)
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

/// Where in the spec a place of the standalone document comes from (`/definitions/Name/type` →
/// `#/components/schemas/Name/type`), for a compiler message that names a place. `None` for
/// the root of the schema, which the error's pointer already names. The path is that of the
/// converted schema: a `nullable` one gains an `anyOf` level the spec does not have.
fn spec_location(path: &str, pointer: &str) -> Option<String> {
    if path.is_empty() {
        return None;
    }
    let Some(rest) = path.strip_prefix("/definitions/") else {
        return Some(format!("#{pointer}{path}"));
    };
    let (token, tail) = rest.split_once('/').map_or((rest, ""), |(t, r)| (t, r));
    let key = unescape_token(token);
    let tail = if tail.is_empty() {
        String::new()
    } else {
        format!("/{tail}")
    };
    Some(if key.starts_with('/') {
        format!("#{key}{tail}")
    } else {
        format!("{COMPONENT_PREFIX}{}{tail}", escape_token(&key))
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

    /// A spec whose `/s` schema is `schema`, with components `A`, `A B`, `Obj` (a nullable
    /// object without `type`) and `Int`.
    fn doc_with(schema: Value) -> Value {
        json!({"components": {"schemas": {
            "A": {"type": "string"},
            "A B": {"type": "boolean"},
            "Obj": {"nullable": true, "properties": {"n": {"type": "integer"}}},
            "Int": {"type": "integer"}
        }}, "s": schema})
    }

    fn check(schema: Value, body: Value) -> Result<usize, String> {
        let doc = doc_with(schema);
        SchemaCache::new()
            .validate(&doc, "/s", Direction::Response, &body)
            .map(|v| v.len())
            .map_err(|e| e.message)
    }

    #[test]
    fn a_ref_that_is_not_a_string_is_an_error_not_a_self_reference() {
        // It used to become `"$ref": ""`, a reference to the whole schema: anything passed.
        let e = check(json!({"properties": {"a": {"$ref": 12}}}), json!({})).unwrap_err();
        assert!(e.contains("not a string"), "{e}");
    }

    #[test]
    fn refs_that_are_not_local_pointers_are_errors() {
        for r in [
            "",
            "#",
            "#anchor",
            "other.json#/A",
            "https://example.com/s.json",
        ] {
            let e = check(json!({"$ref": r}), json!(1)).unwrap_err();
            assert!(e.contains("not a local reference"), "{r}: {e}");
        }
    }

    #[test]
    fn a_missing_component_is_named() {
        let e = check(
            json!({"items": {"$ref": "#/components/schemas/Gone"}}),
            json!([]),
        )
        .unwrap_err();
        assert_eq!(
            e,
            "$ref \"#/components/schemas/Gone\" in this schema points to nothing in the spec"
        );
    }

    #[test]
    fn properties_named_like_data_keywords_still_bring_their_components() {
        // `default`, `example` and `enum` are also ordinary property names.
        let schema = json!({"properties": {
            "default": {"$ref": "#/components/schemas/Int"},
            "example": {"$ref": "#/components/schemas/Int"},
            "enum": {"$ref": "#/components/schemas/A"}}});
        assert_eq!(
            check(schema.clone(), json!({"default": 1, "enum": "x"})),
            Ok(0)
        );
        assert_eq!(
            check(schema, json!({"default": "1", "example": "2"})),
            Ok(2)
        );
    }

    #[test]
    fn percent_encoded_names_and_refs_into_a_component_resolve() {
        assert_eq!(
            check(json!({"$ref": "#/components/schemas/A%20B"}), json!(true)),
            Ok(0)
        );
        assert_eq!(
            check(json!({"$ref": "#/components/schemas/A%20B"}), json!(1)),
            Ok(1)
        );
        // Into a nullable component, whose conversion wraps it in an `anyOf`: the reference
        // gets the property's own definition.
        let into = json!({"$ref": "#/components/schemas/Obj/properties/n"});
        assert_eq!(check(into.clone(), json!(3)), Ok(0));
        assert_eq!(check(into, json!("3")), Ok(1));
    }

    #[test]
    fn an_id_member_does_not_move_the_base_of_references() {
        let schema = json!({"id": "https://example.com/x", "properties": {
            "a": {"$ref": "#/components/schemas/Int"}}});
        assert_eq!(check(schema, json!({"a": "no"})), Ok(1));
    }

    #[test]
    fn compiler_messages_name_the_place_in_the_spec() {
        let doc = json!({"components": {"schemas": {"Bad": {"properties": {"p": {"type": 12}}}}},
            "s": {"items": {"$ref": "#/components/schemas/Bad"}}});
        let e = SchemaCache::new()
            .validator(&doc, "/s", Direction::Response)
            .unwrap_err();
        assert_eq!(e.pointer, "/s");
        assert!(
            e.message
                .ends_with("(at #/components/schemas/Bad/properties/p/type)"),
            "{}",
            e.message
        );
    }
}
