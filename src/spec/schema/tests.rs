//! Conversion, standalone documents and compiled validators, on schemas written for the tests.

use super::*;
use serde_json::{json, Value};

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
