//! The draft-4 document one schema needs: the converted schema and, as `definitions`, what its
//! local references reach, transitively.

use std::collections::BTreeSet;

use serde_json::{Map, Value};

use super::convert::{Converter, Direction};
use super::refs::ref_target;
use crate::spec::Api;

/// Builds the draft-4 document for `schema`: the converted schema, plus what its local
/// references reach (transitively) as `definitions`.
pub fn standalone(document: &Value, schema: &Value, direction: Direction) -> Value {
    standalone_parts(document, schema, direction, None).0
}

/// [`standalone`] for one API version: rich-text fields derived as
/// [`rich_text`](crate::spec::rich_text) says (plain strings on v2, documents on v3).
pub fn standalone_for(document: &Value, schema: &Value, direction: Direction, api: Api) -> Value {
    standalone_parts(document, schema, direction, Some(api)).0
}

/// The standalone document, and what is wrong with the references it would need (a `$ref`
/// that is not a string, not local, or points to nothing): each such problem makes the
/// compiled validator wrong or impossible, so [`compile_schema`] reports the first.
pub(super) fn standalone_parts(
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
