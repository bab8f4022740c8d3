//! Rich-text fields per API version: plain strings on `/rest/api/2`, Atlassian Document Format
//! objects on `/rest/api/3`.
//!
//! The Jira spec is written for `/rest/api/3` and leaves such fields untyped, with a description
//! that says the value is "in Atlassian Document Format". Jira documents `/rest/api/2` as the
//! same API with rich text as plain text, so a v2 schema is derived from the v3 one: a property
//! the documentation describes as ADF is a `string` on v2 and an `object` on v3. The issue
//! `fields` map, which the spec leaves open, gets the same treatment for the rich-text system
//! fields Jira names (`description`, `environment`).

use serde_json::{json, Map, Value};

use super::Api;

/// The words that mark a property as Atlassian Document Format in a description.
pub const ADF_MARKER: &str = "Atlassian Document Format";

/// The issue system fields that hold rich text (the spec's "rich text fields like
/// `description`, `environment`").
pub const RICH_ISSUE_FIELDS: [&str; 2] = ["description", "environment"];

/// Whether a property schema documents an ADF value: its description names the format and it
/// constrains no type of its own (a typed one, like a list of rich-text field holders, is not a
/// document itself).
pub fn is_adf_property(schema: &Value) -> bool {
    let Some(obj) = schema.as_object() else {
        return false;
    };
    let described = obj
        .get("description")
        .and_then(Value::as_str)
        .is_some_and(|d| d.contains(ADF_MARKER));
    described
        && !["type", "$ref", "allOf", "anyOf", "oneOf", "items"]
            .iter()
            .any(|k| obj.contains_key(*k))
}

/// The schema of a rich-text value on `api` (draft 4): a string on v2, a document (an object)
/// on v3. `nullable` admits null, as Jira answers an empty description.
pub fn rich_schema(api: Api, nullable: bool) -> Value {
    let kind = match api {
        Api::V2 => "string",
        Api::V3 => "object",
    };
    if nullable {
        json!({"type": [kind, "null"]})
    } else {
        json!({ "type": kind })
    }
}

/// Rewrites the `properties` of one converted (draft-4) schema object for `api`: ADF-described
/// properties become [`rich_schema`], and an open `fields` map gains the rich issue fields.
/// `original` is the OpenAPI object the properties were converted from.
pub fn derive_properties(api: Api, original: &Map<String, Value>, out: &mut Map<String, Value>) {
    let Some(source) = original.get("properties").and_then(Value::as_object) else {
        return;
    };
    let Some(Value::Object(props)) = out.get_mut("properties") else {
        return;
    };
    for (name, schema) in source {
        if is_adf_property(schema) {
            props.insert(name.clone(), rich_schema(api, false));
        } else if name == "fields" && is_open_map(schema) {
            if let Some(Value::Object(fields)) = props.get_mut(name) {
                add_rich_fields(api, fields);
            }
        }
    }
}

fn is_open_map(schema: &Value) -> bool {
    schema.get("type").and_then(Value::as_str) == Some("object")
        && schema.get("additionalProperties").is_some()
        && schema.get("properties").is_none()
}

fn add_rich_fields(api: Api, fields: &mut Map<String, Value>) {
    let mut props = Map::new();
    for name in RICH_ISSUE_FIELDS {
        props.insert(name.to_string(), rich_schema(api, true));
    }
    fields.insert("properties".into(), Value::Object(props));
}

/// The API version a request path names: `V2` under `/rest/api/2`, else `V3` (the version the
/// spec is written for).
pub fn api_of_path(path: &str) -> Api {
    let v2 = path
        .find("/rest/api/2")
        .map(|at| &path[at + "/rest/api/2".len()..])
        .is_some_and(|rest| rest.is_empty() || rest.starts_with('/'));
    if v2 {
        Api::V2
    } else {
        Api::V3
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_untyped_property_described_as_adf_is_rich_text() {
        assert!(is_adf_property(
            &json!({"description": "The comment text in [Atlassian Document Format](https://x)."})
        ));
        assert!(!is_adf_property(
            &json!({"description": "in Atlassian Document Format", "type": "array", "items": {}})
        ));
        assert!(!is_adf_property(&json!({"description": "A comment."})));
    }

    #[test]
    fn a_v3_document_fails_a_v2_answer_and_passes_a_v3_one() {
        use crate::spec::schema::{Direction, SchemaCache};
        let doc = json!({"components": {"schemas": {
            "Worklog": {"type": "object", "properties": {
                "comment": {"description": "A comment in Atlassian Document Format."}}},
            "IssueBean": {"type": "object", "properties": {
                "fields": {"type": "object", "additionalProperties": {}}}}}},
            "w": {"$ref": "#/components/schemas/Worklog"},
            "i": {"$ref": "#/components/schemas/IssueBean"}});
        let adf = json!({"type": "doc", "version": 1, "content": []});
        let cache = SchemaCache::new();
        let errors = |pointer: &str, api: Option<Api>, body: &Value| {
            cache
                .validate_for(&doc, pointer, Direction::Response, api, body)
                .expect("compiles")
                .len()
        };
        let worklog = |c: &Value| json!({ "comment": c });
        assert_eq!(errors("/w", Some(Api::V2), &worklog(&adf)), 1);
        assert_eq!(errors("/w", Some(Api::V2), &worklog(&json!("text"))), 0);
        assert_eq!(errors("/w", Some(Api::V3), &worklog(&adf)), 0);
        assert_eq!(errors("/w", Some(Api::V3), &worklog(&json!("text"))), 1);
        // As written, the spec constrains nothing.
        assert_eq!(errors("/w", None, &worklog(&adf)), 0);
        let issue = |d: &Value| json!({"fields": {"description": d, "summary": "s"}});
        assert_eq!(errors("/i", Some(Api::V2), &issue(&adf)), 1);
        assert_eq!(errors("/i", Some(Api::V2), &issue(&Value::Null)), 0);
        assert_eq!(errors("/i", Some(Api::V3), &issue(&adf)), 0);
    }

    #[test]
    fn paths_name_their_version() {
        assert_eq!(api_of_path("/rest/api/2/issue/X-1"), Api::V2);
        assert_eq!(api_of_path("/jira/rest/api/2"), Api::V2);
        assert_eq!(api_of_path("/rest/api/3/issue/X-1"), Api::V3);
        assert_eq!(api_of_path("/rest/api/20/x"), Api::V3);
        assert_eq!(api_of_path("/rest/agile/1.0/board"), Api::V3);
    }
}
