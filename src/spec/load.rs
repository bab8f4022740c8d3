//! Reading a spec file into the operation index.

use std::borrow::Cow;
use std::collections::{BTreeMap, HashSet};
use std::path::Path;

use serde_json::{Map, Value};

use super::error::SpecError;
use super::model::{Operation, ParamLocation, Parameter, RequestBody, Response, Spec};
use super::pointer::escape_token;

/// Name shown for the embedded spec in messages and provenance.
pub const EMBEDDED_SPEC_NAME: &str = "specs/jira-conform.openapi.json";

const EMBEDDED_SPEC: &str = include_str!("../../specs/jira-conform.openapi.json");

/// The size of the embedded spec's text, for callers that size work by the spec.
pub const EMBEDDED_SPEC_BYTES: usize = EMBEDDED_SPEC.len();

const METHODS: [&str; 8] = [
    "get", "put", "post", "delete", "options", "head", "patch", "trace",
];

/// The project's own spec, compiled into the binary.
pub fn embedded() -> Result<Spec, SpecError> {
    parse(EMBEDDED_SPEC, EMBEDDED_SPEC_NAME)
}

/// Reads a spec file (JSON, or YAML when the text does not start with `{`).
pub fn load_path(path: &Path) -> Result<Spec, SpecError> {
    let file = path.display().to_string();
    let text = std::fs::read_to_string(path).map_err(|source| SpecError::Read {
        file: file.clone(),
        source,
    })?;
    parse(&text, &file)
}

/// Parses spec text; `file` names it in errors.
pub fn parse(text: &str, file: &str) -> Result<Spec, SpecError> {
    let document = parse_document(text, file)?;
    index(document, file)
}

fn parse_document(text: &str, file: &str) -> Result<Value, SpecError> {
    if text.trim_start().starts_with('{') {
        serde_json::from_str(text).map_err(|e| SpecError::Syntax {
            file: file.to_string(),
            format: "JSON",
            message: e.to_string(),
        })
    } else {
        super::yaml::from_str(text).map_err(|e| SpecError::Syntax {
            file: file.to_string(),
            format: "YAML",
            message: e.to_string(),
        })
    }
}

/// `value[key]` for the small objects a spec is made of (path items, operations, parameters,
/// responses): looking at each key is cheaper than hashing the one asked for at these sizes,
/// and these look-ups are a good part of indexing a large spec.
fn field<'v>(value: &'v Value, key: &str) -> Option<&'v Value> {
    map_field(value.as_object()?, key)
}

/// [`field`] of a map.
fn map_field<'v>(map: &'v Map<String, Value>, key: &str) -> Option<&'v Value> {
    if map.len() <= 16 {
        map.iter().find_map(|(k, v)| (k == key).then_some(v))
    } else {
        map.get(key)
    }
}

/// `root.pointer(pointer)`, read the same way (`~1` then `~0` unescaped in each token, array
/// indices without sign or leading zero), without the new string serde_json makes for every
/// token: a large spec follows thousands of references.
fn follow<'v>(root: &'v Value, pointer: &str) -> Option<&'v Value> {
    if pointer.is_empty() {
        return Some(root);
    }
    let tokens = pointer.strip_prefix('/')?;
    let mut target = root;
    for raw in tokens.split('/') {
        let token: Cow<'_, str> = if raw.contains('~') {
            Cow::Owned(raw.replace("~1", "/").replace("~0", "~"))
        } else {
            Cow::Borrowed(raw)
        };
        target = match target {
            Value::Object(map) => map.get(token.as_ref())?,
            Value::Array(list) => {
                if token.starts_with('+') || (token.starts_with('0') && token.len() != 1) {
                    return None;
                }
                list.get(token.parse::<usize>().ok()?)?
            }
            _ => return None,
        };
    }
    Some(target)
}

struct Loader<'a> {
    file: &'a str,
    root: &'a Value,
}

impl Loader<'_> {
    fn invalid(&self, pointer: &str, message: impl Into<String>) -> SpecError {
        SpecError::Invalid {
            file: self.file.to_string(),
            pointer: pointer.to_string(),
            message: message.into(),
        }
    }

    /// Follows `$ref` chains from `value` (found at `pointer` then `suffix`, joined only for an
    /// error) to the element they name. Returns the element and, when it followed a reference,
    /// the pointer the element lives at (else it lives where `value` does).
    fn resolve<'v>(
        &'v self,
        value: &'v Value,
        pointer: &str,
        suffix: &str,
    ) -> Result<(&'v Value, Option<&'v str>), SpecError> {
        let mut current = value;
        let mut moved: Option<&'v str> = None;
        // A set: a chain of n references costs n look-ups, not n² comparisons. Most chains are
        // one reference long, so the first is kept apart and the set made only for longer ones.
        let mut first: Option<&str> = None;
        let mut seen: HashSet<&str> = HashSet::new();
        while let Some(target) = field(current, "$ref") {
            let reference = |message: &str| SpecError::Reference {
                file: self.file.to_string(),
                pointer: match moved {
                    Some(at) => format!("{at}/$ref"),
                    None => format!("{pointer}{suffix}/$ref"),
                },
                target: target.to_string().trim_matches('"').to_string(),
                message: message.to_string(),
            };
            let Some(target_str) = target.as_str() else {
                return Err(reference("is not a string"));
            };
            let Some(local) = target_str.strip_prefix('#') else {
                return Err(reference(
                    "points outside this document; only local references (#/...) are supported",
                ));
            };
            let new = match first {
                None => {
                    first = Some(local);
                    true
                }
                Some(f) => f != local && seen.insert(local),
            };
            if !new {
                return Err(reference("is part of a reference cycle"));
            }
            current = follow(self.root, local)
                .ok_or_else(|| reference("points to nothing in this document"))?;
            moved = Some(local);
        }
        Ok((current, moved))
    }

    fn string(&self, value: &Value, key: &str) -> String {
        field(value, key)
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_string()
    }

    fn parameter(&self, value: &Value, pointer: String) -> Result<Parameter, SpecError> {
        let (p, moved) = self.resolve(value, &pointer, "")?;
        let at = moved.map_or(pointer, str::to_string);
        let name = field(p, "name")
            .and_then(Value::as_str)
            .ok_or_else(|| self.invalid(&at, "parameter has no name"))?;
        let location = match field(p, "in").and_then(Value::as_str) {
            Some("path") => ParamLocation::Path,
            Some("query") => ParamLocation::Query,
            Some("header") => ParamLocation::Header,
            Some("cookie") => ParamLocation::Cookie,
            other => {
                return Err(self.invalid(
                    &format!("{at}/in"),
                    format!("parameter location {other:?} is not path, query, header or cookie"),
                ))
            }
        };
        let description = self.string(p, "description");
        let schema = match field(p, "schema") {
            Some(s) => self.resolve(s, &at, "/schema")?.0.clone(),
            None => Value::Object(Map::new()),
        };
        Ok(Parameter {
            name: name.to_string(),
            location,
            required: field(p, "required")
                .and_then(Value::as_bool)
                .unwrap_or(false)
                || location == ParamLocation::Path,
            deprecated: field(p, "deprecated")
                .and_then(Value::as_bool)
                .unwrap_or(false)
                || description.contains("no longer available"),
            description,
            schema,
            pointer: at,
        })
    }

    fn content(&self, value: &Value, pointer: &str) -> Result<Vec<(String, Value)>, SpecError> {
        let Some(content) = field(value, "content") else {
            return Ok(Vec::new());
        };
        let map = content.as_object().ok_or_else(|| {
            self.invalid(&format!("{pointer}/content"), "content is not an object")
        })?;
        Ok(map
            .iter()
            .map(|(media, m)| {
                let schema = field(m, "schema")
                    .cloned()
                    .unwrap_or(Value::Object(Map::new()));
                (media.clone(), schema)
            })
            .collect())
    }

    fn operation(
        &self,
        path: &str,
        method: &str,
        op: &Value,
        pointer: &str,
        path_params: &[Parameter],
    ) -> Result<Operation, SpecError> {
        if !op.is_object() {
            return Err(self.invalid(pointer, "operation is not an object"));
        }
        let mut parameters: Vec<Parameter> = path_params.to_vec();
        if let Some(list) = field(op, "parameters") {
            let list = list.as_array().ok_or_else(|| {
                self.invalid(
                    &format!("{pointer}/parameters"),
                    "parameters is not an array",
                )
            })?;
            for (i, p) in list.iter().enumerate() {
                let param = self.parameter(p, format!("{pointer}/parameters/{i}"))?;
                // An operation's parameter overrides a path-level one with the same name and place.
                parameters.retain(|q| !(q.name == param.name && q.location == param.location));
                parameters.push(param);
            }
        }
        let request_body = match field(op, "requestBody") {
            Some(b) => {
                let here = format!("{pointer}/requestBody");
                let (body, moved) = self.resolve(b, &here, "")?;
                let at = moved.map_or(here, str::to_string);
                Some(RequestBody {
                    required: field(body, "required")
                        .and_then(Value::as_bool)
                        .unwrap_or(false),
                    description: self.string(body, "description"),
                    content: self.content(body, &at)?,
                    pointer: at,
                })
            }
            None => None,
        };
        let mut responses = Vec::new();
        if let Some(map) = field(op, "responses") {
            let map = map.as_object().ok_or_else(|| {
                self.invalid(
                    &format!("{pointer}/responses"),
                    "responses is not an object",
                )
            })?;
            for (status, r) in map {
                let here = format!("{pointer}/responses/{}", escape_token(status));
                let (resp, moved) = self.resolve(r, &here, "")?;
                let at = moved.map_or(here, str::to_string);
                responses.push(Response {
                    status: status.clone(),
                    description: self.string(resp, "description"),
                    content: self.content(resp, &at)?,
                    pointer: at,
                });
            }
        }
        let security_value = field(op, "security").or_else(|| field(self.root, "security"));
        let mut security = Vec::new();
        let mut allows_anonymous = security_value.is_none();
        if let Some(list) = security_value.and_then(Value::as_array) {
            for requirement in list {
                match requirement.as_object() {
                    Some(obj) if obj.is_empty() => allows_anonymous = true,
                    Some(obj) => security.extend(obj.keys().cloned()),
                    None => {}
                }
            }
        }
        security.sort();
        security.dedup();
        let upper = method.to_ascii_uppercase();
        Ok(Operation {
            operation_id: field(op, "operationId")
                .and_then(Value::as_str)
                .map_or_else(|| format!("{upper} {path}"), str::to_string),
            method: upper,
            path: path.to_string(),
            tags: field(op, "tags")
                .and_then(Value::as_array)
                .map(|t| {
                    t.iter()
                        .filter_map(Value::as_str)
                        .map(str::to_string)
                        .collect()
                })
                .unwrap_or_default(),
            summary: self.string(op, "summary"),
            description: self.string(op, "description"),
            deprecated: field(op, "deprecated")
                .and_then(Value::as_bool)
                .unwrap_or(false),
            parameters,
            request_body,
            responses,
            security,
            allows_anonymous,
            pointer: pointer.to_string(),
        })
    }
}

fn index(document: Value, file: &str) -> Result<Spec, SpecError> {
    let unsupported = |message: String| SpecError::Unsupported {
        file: file.to_string(),
        message,
    };
    if !document.is_object() {
        return Err(unsupported("the document is not a JSON/YAML object".into()));
    }
    if let Some(v) = document.get("swagger") {
        return Err(unsupported(format!(
            "this is a Swagger {} document; jira-conform reads OpenAPI 3.0.x (convert it first, e.g. with swagger2openapi)",
            v.as_str().unwrap_or("2.x")
        )));
    }
    let version = document
        .get("openapi")
        .and_then(Value::as_str)
        .ok_or_else(|| {
            unsupported("no \"openapi\" field: this is not an OpenAPI 3.0.x document".into())
        })?;
    if !version.starts_with("3.0") {
        return Err(unsupported(format!(
            "OpenAPI {version} is not supported; jira-conform reads OpenAPI 3.0.x (Jira publishes 3.0)"
        )));
    }
    let loader = Loader {
        file,
        root: &document,
    };
    let paths = document
        .get("paths")
        .and_then(Value::as_object)
        .ok_or_else(|| loader.invalid("/paths", "the document has no paths object"))?;
    let mut operations = Vec::new();
    let mut methods_by_path = BTreeMap::new();
    for (path, item) in paths {
        let item_pointer = format!("/paths/{}", escape_token(path));
        let (item, moved) = loader.resolve(item, &item_pointer, "")?;
        let item_at = moved.map_or(item_pointer, str::to_string);
        let item_obj = item
            .as_object()
            .ok_or_else(|| loader.invalid(&item_at, "path item is not an object"))?;
        let mut path_params = Vec::new();
        if let Some(list) = map_field(item_obj, "parameters").and_then(Value::as_array) {
            for (i, p) in list.iter().enumerate() {
                path_params.push(loader.parameter(p, format!("{item_at}/parameters/{i}"))?);
            }
        }
        let mut methods = Vec::new();
        for method in METHODS {
            if let Some(op) = map_field(item_obj, method) {
                let at = format!("{item_at}/{method}");
                operations.push(loader.operation(path, method, op, &at, &path_params)?);
                methods.push(method.to_ascii_uppercase());
            }
        }
        methods.sort();
        methods_by_path.insert(path.clone(), methods);
    }
    operations.sort_by(|a, b| a.path.cmp(&b.path).then(a.method.cmp(&b.method)));
    let info = document.get("info");
    let text = |key: &str| {
        info.and_then(|i| i.get(key))
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_string()
    };
    Ok(Spec {
        source: file.to_string(),
        title: text("title"),
        version: text("version"),
        operations,
        methods_by_path,
        document,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn err(text: &str) -> String {
        parse(text, "t.json").unwrap_err().to_string()
    }

    #[test]
    fn embedded_spec_loads_with_user_property_operations() {
        let spec = embedded().expect("embedded spec loads");
        for id in [
            "getUserPropertyKeys",
            "getUserProperty",
            "setUserProperty",
            "deleteUserProperty",
            "getCurrentUser",
        ] {
            assert!(spec.operation(id).is_some(), "{id} missing");
        }
    }

    #[test]
    fn references_are_followed_as_serde_json_reads_a_pointer() {
        let doc = serde_json::json!({
            "a": {"b/c": {"d~e": [10, {"f": 1}]}, "": {"g": 2}},
            "list": [0, 1, 2], "0": "zero"
        });
        for pointer in [
            "",
            "/",
            "/a",
            "/a/b~1c/d~0e/1/f",
            "/a/b~1c/d~0e/01",
            "/a/b~1c/d~0e/+1",
            "/a/b~1c/d~0e/0",
            "/a//g",
            "/list/2",
            "/list/3",
            "/list/-1",
            "/0",
            "/a/b~01",
            "a",
            "/nope/x",
        ] {
            assert_eq!(follow(&doc, pointer), doc.pointer(pointer), "{pointer:?}");
        }
    }

    #[test]
    fn swagger_two_is_refused_by_name() {
        assert!(err(r#"{"swagger":"2.0","paths":{}}"#).contains("Swagger 2.0"));
    }

    #[test]
    fn openapi_three_one_is_refused() {
        assert!(err(r#"{"openapi":"3.1.0","paths":{}}"#).contains("3.1.0 is not supported"));
    }

    #[test]
    fn dangling_ref_names_its_pointer() {
        let text = r##"{"openapi":"3.0.1","paths":{"/a":{"get":{"parameters":[{"$ref":"#/components/parameters/nope"}],"responses":{}}}}}"##;
        let e = err(text);
        assert!(e.contains("t.json#/paths/~1a/get/parameters/0/$ref"), "{e}");
        assert!(e.contains("points to nothing"), "{e}");
    }

    #[test]
    fn ref_cycle_is_an_error_not_a_hang() {
        let text = r##"{"openapi":"3.0.1","components":{"parameters":{"a":{"$ref":"#/components/parameters/b"},"b":{"$ref":"#/components/parameters/a"}}},"paths":{"/a":{"get":{"parameters":[{"$ref":"#/components/parameters/a"}],"responses":{}}}}}"##;
        assert!(err(text).contains("cycle"));
    }

    #[test]
    fn a_long_ref_chain_resolves_in_linear_time() {
        // Found by fuzzing: 20 000 chained references took 2 s (quadratic cycle check).
        let n = 50_000;
        let mut params = serde_json::Map::new();
        for i in 0..n {
            let next = format!("#/components/parameters/p{}", i + 1);
            params.insert(format!("p{i}"), serde_json::json!({ "$ref": next }));
        }
        params.insert(
            format!("p{n}"),
            serde_json::json!({"name": "x", "in": "query"}),
        );
        let doc = serde_json::json!({"openapi": "3.0.1", "components": {"parameters": params},
            "paths": {"/a": {"get": {"parameters": [{"$ref": "#/components/parameters/p0"}], "responses": {}}}}});
        let start = std::time::Instant::now();
        let spec = parse(&doc.to_string(), "t.json").unwrap();
        assert_eq!(spec.operations[0].parameters[0].name, "x");
        assert!(
            start.elapsed() < std::time::Duration::from_secs(2),
            "{:?}",
            start.elapsed()
        );
    }

    #[test]
    fn json_syntax_error_names_file_and_line() {
        let e = err("{\n \"openapi\": \n}");
        assert!(e.starts_with("t.json: not a valid JSON document"), "{e}");
        assert!(e.contains("line 3"), "{e}");
    }

    #[test]
    fn yaml_alias_expansion_bomb_is_an_error_naming_the_file() {
        let n = 3000;
        let text = format!(
            "openapi: 3.0.0\na: &a [{}1]\nb: [{}*a]\npaths: {{}}\n",
            "1,".repeat(n),
            "*a,".repeat(n)
        );
        let e = parse(&text, "t.yaml").unwrap_err().to_string();
        assert!(e.starts_with("t.yaml: not a valid YAML document"), "{e}");
        assert!(e.contains("expands to more than"), "{e}");
    }

    #[test]
    fn yaml_is_read() {
        let text = "openapi: 3.0.0\ninfo: {title: t, version: '1'}\npaths:\n  /a:\n    get:\n      operationId: getA\n      responses:\n        '200': {description: ok}\n";
        let spec = parse(text, "t.yaml").unwrap();
        assert_eq!(spec.operations[0].operation_id, "getA");
        assert_eq!(spec.operations[0].statuses(), vec![200]);
    }
}
