//! Every schema a spec documents, converted and compiled ahead of any run.
//!
//! A run compiles schemas lazily, and one that cannot compile is silently skipped (the target is
//! not to blame for the spec). [`compile_all`] compiles them all up front so such a schema is
//! seen, named by its JSON pointer, instead of quietly validating nothing; [`unresolved_refs`]
//! lists the `$ref`s of a document that point nowhere.

use std::collections::{HashMap, HashSet};

use serde_json::Value;

use super::model::Spec;
use super::pointer::escape_token;
use super::schema::{compile_schema, Direction, SchemaError};

/// What [`compile_all`] found.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CompileReport {
    /// Schema locations looked at (a shared response or body counts once per direction).
    pub checked: usize,
    /// Of those, the ones that compiled.
    pub compiled: usize,
    /// The ones that did not, in the order of the operations, by pointer.
    pub failures: Vec<SchemaError>,
}

impl CompileReport {
    /// Whether every schema compiled.
    pub fn is_clean(&self) -> bool {
        self.failures.is_empty()
    }
}

/// Converts and compiles every schema the operations of `spec` document: each response's and
/// each request body's (one per media type that has a schema) and each parameter's. Response
/// schemas are compiled for [`Direction::Response`], the others for [`Direction::Request`].
///
/// Identical schemas (most are a lone `$ref` to a component) are compiled once; each location
/// is still reported by its own pointer.
pub fn compile_all(spec: &Spec) -> CompileReport {
    let document = &spec.document;
    let mut seen: HashSet<(String, Direction)> = HashSet::new();
    let mut targets: Vec<(String, Direction)> = Vec::new();
    let mut add = |pointer: String, direction: Direction| {
        // A media type without a schema documents no body shape: nothing to compile.
        if document.pointer(&pointer).is_some() && seen.insert((pointer.clone(), direction)) {
            targets.push((pointer, direction));
        }
    };
    for op in &spec.operations {
        for param in &op.parameters {
            add(format!("{}/schema", param.pointer), Direction::Request);
        }
        if let Some(body) = &op.request_body {
            for (media, _) in &body.content {
                add(media_schema(&body.pointer, media), Direction::Request);
            }
        }
        for response in &op.responses {
            for (media, _) in &response.content {
                add(media_schema(&response.pointer, media), Direction::Response);
            }
        }
    }

    // Schema text → the outcome, with the pointer it was first compiled at (a message may name
    // places under it, which for another location are the same places under that one).
    let mut outcomes: HashMap<(Direction, String), Result<(), (String, String)>> = HashMap::new();
    let mut report = CompileReport {
        checked: targets.len(),
        ..CompileReport::default()
    };
    for (pointer, direction) in targets {
        let Some(schema) = document.pointer(&pointer) else {
            continue;
        };
        let key = (direction, schema.to_string());
        let outcome = outcomes.entry(key).or_insert_with(|| {
            compile_schema(document, schema, &pointer, direction)
                .map(drop)
                .map_err(|e| (e.pointer, e.message))
        });
        match outcome {
            Ok(()) => report.compiled += 1,
            Err((first, message)) => {
                let message = if *first == pointer {
                    message.clone()
                } else {
                    message.replace(&format!("#{first}"), &format!("#{pointer}"))
                };
                report.failures.push(SchemaError { pointer, message });
            }
        }
    }
    report
}

fn media_schema(owner: &str, media: &str) -> String {
    format!("{owner}/content/{}/schema", escape_token(media))
}

/// A `$ref` that does not lead anywhere in its document.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("$ref at {pointer} ({target:?}) {message}")]
pub struct BrokenRef {
    /// JSON pointer of the `$ref` member.
    pub pointer: String,
    /// Its value, as written.
    pub target: String,
    /// What is wrong with it.
    pub message: String,
}

/// Every `$ref` of `document` that is not a string or does not point to an element of the same
/// document. `example` values and `x-` extensions hold data, not references, and are skipped.
pub fn unresolved_refs(document: &Value) -> Vec<BrokenRef> {
    let mut broken = Vec::new();
    let mut stack: Vec<(&Value, String)> = vec![(document, String::new())];
    while let Some((value, at)) = stack.pop() {
        match value {
            Value::Object(obj) => {
                for (key, child) in obj {
                    if key == "example" || key.starts_with("x-") {
                        continue;
                    }
                    let here = format!("{at}/{}", escape_token(key));
                    if key == "$ref" {
                        if let Some(message) = ref_problem(document, child) {
                            broken.push(BrokenRef {
                                pointer: here,
                                target: child
                                    .as_str()
                                    .map_or_else(|| child.to_string(), str::to_string),
                                message: message.into(),
                            });
                        }
                    } else {
                        stack.push((child, here));
                    }
                }
            }
            Value::Array(items) => {
                for (i, child) in items.iter().enumerate() {
                    stack.push((child, format!("{at}/{i}")));
                }
            }
            _ => {}
        }
    }
    broken.sort_by(|a, b| a.pointer.cmp(&b.pointer));
    broken
}

fn ref_problem(document: &Value, target: &Value) -> Option<&'static str> {
    let Some(target) = target.as_str() else {
        return Some("is not a string");
    };
    let Some(local) = target.strip_prefix('#') else {
        return Some("points outside this document");
    };
    if document.pointer(local).is_none() {
        return Some("points to nothing in this document");
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn spec(doc: Value) -> Spec {
        super::super::parse(&doc.to_string(), "t.json").expect("loads")
    }

    #[test]
    fn shared_and_identical_schemas_each_count_by_location() {
        let doc = json!({"openapi": "3.0.1", "paths": {
            "/a": {"get": {"responses": {
                "200": {"description": "", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/A"}}}},
                "401": {"$ref": "#/components/responses/Err"}}}},
            "/b": {"put": {
                "parameters": [{"name": "q", "in": "query", "schema": {"type": "string"}}],
                "requestBody": {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/A"}}, "text/plain": {}}},
                "responses": {
                "200": {"description": "", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/A"}}}},
                "401": {"$ref": "#/components/responses/Err"}}}}},
            "components": {
                "schemas": {"A": {"type": "object", "properties": {"id": {"type": "string", "readOnly": true}}, "required": ["id"]}},
                "responses": {"Err": {"description": "", "content": {"application/json": {"schema": {"type": "object"}}}}}}});
        let report = compile_all(&spec(doc));
        // Two 200s, the shared 401 once, the request body's JSON schema (not the schemaless
        // text/plain) and the parameter.
        assert_eq!(report.checked, 5, "{report:?}");
        assert_eq!(report.compiled, 5);
        assert!(report.is_clean());
    }

    #[test]
    fn a_bad_schema_is_reported_at_every_location_using_it() {
        let bad =
            json!({"description": "", "content": {"application/json": {"schema": {"type": 12}}}});
        let doc = json!({"openapi": "3.0.1", "paths": {
            "/a": {"get": {"responses": {"200": bad.clone()}}},
            "/b": {"get": {"responses": {"200": bad}}}}});
        let report = compile_all(&spec(doc));
        let pointers: Vec<&str> = report.failures.iter().map(|f| f.pointer.as_str()).collect();
        assert_eq!(
            pointers,
            [
                "/paths/~1a/get/responses/200/content/application~1json/schema",
                "/paths/~1b/get/responses/200/content/application~1json/schema"
            ]
        );
        assert_eq!(report.compiled, 0);
        // Compiled once, but each message names its own location.
        for failure in &report.failures {
            assert!(
                failure
                    .message
                    .ends_with(&format!("(at #{}/type)", failure.pointer)),
                "{failure:?}"
            );
        }
    }

    #[test]
    fn refs_are_checked_outside_example_values() {
        let doc = json!({"a": {"$ref": "#/b"}, "b": {"c": {"$ref": "#/nope"}, "d": {"$ref": 3}},
            "e": {"example": {"$ref": "#/nope"}, "x-data": {"$ref": "#/nope"}}});
        let broken = unresolved_refs(&doc);
        let pointers: Vec<&str> = broken.iter().map(|b| b.pointer.as_str()).collect();
        assert_eq!(pointers, ["/b/c/$ref", "/b/d/$ref"]);
        assert_eq!(broken[0].message, "points to nothing in this document");
        assert_eq!(broken[1].message, "is not a string");
    }
}
