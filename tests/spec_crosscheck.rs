//! Cross-checks the project's own spec (`specs/jira-conform.openapi.json`) against copies of the
//! spec Atlassian publishes, and keeps the documented rules in our prose from silently going away.
//!
//! The real specs are read from `../shared/specs/` next to the repository, or from the folder named
//! by `JIRA_CONFORM_SHARED_SPECS`. They are data, not part of the project: a missing file is
//! skipped with a message, never failed.
//!
//! How strictly each dated file is compared was decided from the data (for our five operations):
//!
//! * Operation facts — method, path, operationId, parameters (name, location, required,
//!   deprecated, `maxLength`), the status set, the request body's presence and `required`, the
//!   schemas of documented response bodies, and `basicAuth` among the security schemes — are the
//!   same in all three files (2021-11-23, 2022-07-16, 2025-07-30). They are compared strictly
//!   against every file: a difference means our document is wrong, or Atlassian changed the
//!   operation and we must follow.
//! * The request body's description, and with it the rule "The maximum length of the property
//!   value is 32768 bytes.", exists only in the 2025 file (the older ones document the body with no
//!   description). Component schemas grew too: `GroupName.groupId` and
//!   `ApplicationRole.groupDetails` / `defaultGroupsDetails` are absent from the 2021 file. These
//!   are checked strictly against the newest file only (2025-07-30); for older files differences
//!   are printed as notes and do not fail.
//! * Our document gives the error statuses (400/401/403/404/405) an `application/json`
//!   `ErrorCollection` body, which none of the real files documents (they list those statuses
//!   without content). That is a deliberate choice of the project, so it is printed as a note
//!   against every file and never fails.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use jira_conform::spec::{load_path, Operation, Spec};
use serde_json::Value;

/// The real platform specs, newest first, and whether date-dependent facts are compared strictly.
const REAL_SPECS: [(&str, bool); 3] = [
    ("jira-platform-v3.2025-07-30.json", true),
    ("jira-platform-v3.2022-07-16.json", false),
    ("jira-platform-v3.2021-11-23.json", false),
];

/// Every operation our document must describe.
const OUR_OPERATIONS: [&str; 5] = [
    "deleteUserProperty",
    "getCurrentUser",
    "getUserProperty",
    "getUserPropertyKeys",
    "setUserProperty",
];

/// Limits stated in our prose that must also be stated in the real spec:
/// (operationId, where, phrase). `where` is `requestBody` or `parameter:NAME`.
const PROSE_LIMITS: [(&str, &str, &str); 2] = [
    ("setUserProperty", "requestBody", "32768 bytes"),
    ("setUserProperty", "parameter:propertyKey", "255 characters"),
];

/// Schema keywords compared property by property in the component schemas.
const SCHEMA_KEYWORDS: [&str; 8] = [
    "type",
    "format",
    "readOnly",
    "enum",
    "maxLength",
    "nullable",
    "uniqueItems",
    "additionalProperties",
];

fn manifest_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn our_spec_path() -> PathBuf {
    manifest_dir().join("specs/jira-conform.openapi.json")
}

fn shared_specs_dir() -> PathBuf {
    match std::env::var_os("JIRA_CONFORM_SHARED_SPECS") {
        Some(dir) if !dir.is_empty() => PathBuf::from(dir),
        _ => Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/specs"),
    }
}

/// Failures (strict differences) and notes (reported, not failing) of one run.
#[derive(Default)]
struct Findings {
    failures: Vec<String>,
    notes: Vec<String>,
    /// `operationId status` of responses that have a body in ours and none in the real spec.
    added_bodies: Vec<String>,
}

impl Findings {
    fn differ(&mut self, strict: bool, message: String) {
        if strict {
            self.failures.push(message);
        } else {
            self.notes.push(message);
        }
    }
}

type ParamKey = (String, &'static str, bool, bool, Option<u64>);

fn parameter_set(op: &Operation) -> BTreeSet<ParamKey> {
    op.parameters
        .iter()
        .map(|p| {
            (
                p.name.clone(),
                p.location.name(),
                p.required,
                p.deprecated,
                p.max_length(),
            )
        })
        .collect()
}

fn compare_operation(
    ours: &Operation,
    real: &Operation,
    file: &str,
    strict_dated: bool,
    f: &mut Findings,
) {
    let id = &ours.operation_id;
    let here = format!("{file}: {id}");
    if ours.method != real.method || ours.path != real.path {
        f.failures.push(format!(
            "{here}: ours is {} {}, the real spec has {} {}",
            ours.method, ours.path, real.method, real.path
        ));
    }
    let (mine, theirs) = (parameter_set(ours), parameter_set(real));
    if mine != theirs {
        f.failures.push(format!(
            "{here}: parameters (name, in, required, deprecated, maxLength) differ\n  only ours: {:?}\n  only real: {:?}",
            mine.difference(&theirs).collect::<Vec<_>>(),
            theirs.difference(&mine).collect::<Vec<_>>()
        ));
    }
    if ours.statuses() != real.statuses() {
        f.failures.push(format!(
            "{here}: statuses differ: ours {:?}, real {:?}",
            ours.statuses(),
            real.statuses()
        ));
    }
    let body = |op: &Operation| op.request_body.as_ref().map(|b| b.required);
    if body(ours) != body(real) {
        f.failures.push(format!(
            "{here}: request body (Some(required) / None) differs: ours {:?}, real {:?}",
            body(ours),
            body(real)
        ));
    }
    if ours.security.iter().any(|s| !real.security.contains(s)) {
        f.failures.push(format!(
            "{here}: security schemes {:?} are not all among the real ones {:?}",
            ours.security, real.security
        ));
    }
    for response in &ours.responses {
        let Some(theirs) = real.responses.iter().find(|r| r.status == response.status) else {
            continue; // a missing status is reported by the status-set comparison
        };
        if theirs.content.is_empty() {
            if !response.content.is_empty() {
                f.added_bodies.push(format!("{id} {}", response.status));
            }
        } else if response.content != theirs.content {
            f.failures.push(format!(
                "{here}: {} response bodies differ: ours {:?}, real {:?}",
                response.status, response.content, theirs.content
            ));
        }
    }
    for (op_id, place, phrase) in PROSE_LIMITS {
        if op_id != id {
            continue;
        }
        let text = |op: &Operation| -> Option<String> {
            match place.strip_prefix("parameter:") {
                Some(name) => op
                    .parameters
                    .iter()
                    .find(|p| p.name == name)
                    .map(|p| p.description.clone()),
                None => op.request_body.as_ref().map(|b| b.description.clone()),
            }
        };
        if !text(ours).is_some_and(|t| t.contains(phrase)) {
            f.failures
                .push(format!("{here}: our {place} no longer states {phrase:?}"));
        }
        if !text(real).is_some_and(|t| t.contains(phrase)) {
            f.differ(
                strict_dated,
                format!("{here}: the real {place} does not state {phrase:?}"),
            );
        }
    }
}

/// Compares our component schemas with the real ones of the same name: property names and the
/// keywords in [`SCHEMA_KEYWORDS`], and the `$ref`s they point to. A property that the real spec
/// describes by `$ref` and we describe inline (the list wrappers' callbacks) is not compared.
fn compare_schemas(ours: &Value, real: &Value, file: &str, strict: bool, f: &mut Findings) {
    let Some(our_schemas) = ours
        .pointer("/components/schemas")
        .and_then(Value::as_object)
    else {
        f.failures
            .push("our document has no components.schemas".into());
        return;
    };
    for (name, mine) in our_schemas {
        let here = format!("{file}: schema {name}");
        let Some(theirs) = real.pointer(&format!("/components/schemas/{name}")) else {
            f.differ(strict, format!("{here}: not in the real spec"));
            continue;
        };
        for keyword in SCHEMA_KEYWORDS {
            if mine.get(keyword) != theirs.get(keyword) {
                f.differ(
                    strict,
                    format!(
                        "{here}: {keyword} differs: ours {:?}, real {:?}",
                        mine.get(keyword),
                        theirs.get(keyword)
                    ),
                );
            }
        }
        let props = |s: &Value| -> BTreeSet<String> {
            s.get("properties")
                .and_then(Value::as_object)
                .map(|m| m.keys().cloned().collect())
                .unwrap_or_default()
        };
        let (a, b) = (props(mine), props(theirs));
        if a != b {
            f.differ(
                strict,
                format!(
                    "{here}: properties differ; only ours {:?}, only real {:?}",
                    a.difference(&b).collect::<Vec<_>>(),
                    b.difference(&a).collect::<Vec<_>>()
                ),
            );
        }
        for prop in a.intersection(&b) {
            let p = &mine["properties"][prop.as_str()];
            let q = &theirs["properties"][prop.as_str()];
            if q.get("$ref").is_some() && p.get("$ref").is_none() {
                continue; // simplified inline on purpose
            }
            for keyword in SCHEMA_KEYWORDS.iter().chain(&["$ref"]) {
                if p.get(*keyword) != q.get(*keyword) {
                    f.differ(
                        strict,
                        format!(
                            "{here}.{prop}: {keyword} differs: ours {:?}, real {:?}",
                            p.get(*keyword),
                            q.get(*keyword)
                        ),
                    );
                }
            }
            let refs = |v: &Value| -> Vec<String> {
                let mut out = Vec::new();
                for at in ["/items/$ref", "/allOf/0/$ref"] {
                    if let Some(r) = v.pointer(at).and_then(Value::as_str) {
                        out.push(format!("{at}={r}"));
                    }
                }
                out
            };
            if refs(p) != refs(q) {
                f.differ(
                    strict,
                    format!(
                        "{here}.{prop}: references differ: ours {:?}, real {:?}",
                        refs(p),
                        refs(q)
                    ),
                );
            }
        }
    }
}

fn load(path: &Path) -> Spec {
    load_path(path).unwrap_or_else(|e| panic!("cannot load {}: {e}", path.display()))
}

#[test]
fn our_operations_match_the_real_spec() {
    let ours = load(&our_spec_path());
    let ids: BTreeSet<&str> = ours
        .operations
        .iter()
        .map(|o| o.operation_id.as_str())
        .collect();
    assert_eq!(
        ids,
        BTreeSet::from(OUR_OPERATIONS),
        "our document's operations"
    );
    let embedded = jira_conform::spec::embedded().expect("the embedded spec loads");
    assert_eq!(
        embedded.operations.len(),
        ours.operations.len(),
        "the embedded spec is our document"
    );

    let dir = shared_specs_dir();
    let mut findings = Findings::default();
    let mut compared = 0;
    for (name, strict_dated) in REAL_SPECS {
        let path = dir.join(name);
        if !path.is_file() {
            eprintln!(
                "skipped: {} not found; set JIRA_CONFORM_SHARED_SPECS to the folder holding the real Jira specs",
                path.display()
            );
            continue;
        }
        compared += 1;
        let real = load(&path);
        for op in &ours.operations {
            match real.operation(&op.operation_id) {
                Some((_, theirs)) => {
                    compare_operation(op, theirs, name, strict_dated, &mut findings)
                }
                None => findings
                    .failures
                    .push(format!("{name}: has no operation {}", op.operation_id)),
            }
        }
        compare_schemas(
            &ours.document,
            &real.document,
            name,
            strict_dated,
            &mut findings,
        );
        let added = std::mem::take(&mut findings.added_bodies);
        if !added.is_empty() {
            findings.notes.push(format!(
                "{name}: {} responses have a body in ours (the project's ErrorCollection addition) and none in the real spec: {}",
                added.len(),
                added.join(", ")
            ));
        }
    }
    if compared == 0 {
        eprintln!(
            "skipped: the whole cross-check; no real spec found in {} (set JIRA_CONFORM_SHARED_SPECS)",
            dir.display()
        );
        return;
    }
    for note in &findings.notes {
        eprintln!("note: {note}");
    }
    assert!(
        findings.failures.is_empty(),
        "our spec disagrees with the real spec:\n- {}",
        findings.failures.join("\n- ")
    );
}

// ---------------------------------------------------------------------------------------------
// The rule sentences, read with plain serde_json so that they are checked whatever the loader or
// the prose extractor do.

const KEYS: &str = "/rest/api/3/user/properties";
const KEY: &str = "/rest/api/3/user/properties/{propertyKey}";

fn our_document() -> Value {
    let path = our_spec_path();
    let text = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{} is not JSON: {e}", path.display()))
}

fn operation<'a>(doc: &'a Value, path: &str, method: &str) -> &'a Value {
    let op = &doc["paths"][path][method];
    assert!(op.is_object(), "{method} {path} is missing");
    op
}

fn text<'a>(value: &'a Value, what: &str) -> &'a str {
    value
        .as_str()
        .unwrap_or_else(|| panic!("{what} is not a string"))
}

fn parameter<'a>(op: &'a Value, name: &str) -> &'a Value {
    op["parameters"]
        .as_array()
        .and_then(|list| list.iter().find(|p| p["name"] == name))
        .unwrap_or_else(|| panic!("parameter {name} is missing from {}", op["operationId"]))
}

#[test]
fn our_prose_states_the_documented_rules() {
    let doc = our_document();
    assert_eq!(doc["openapi"], "3.0.3");

    let set = operation(&doc, KEY, "put");
    let body = text(
        &set["requestBody"]["description"],
        "setUserProperty requestBody.description",
    );
    assert!(
        body.contains("The maximum length of the property value is 32768 bytes."),
        "the 32768-byte value limit sentence is gone: {body:?}"
    );
    assert!(
        body.contains("valid, non-empty JSON value"),
        "the valid, non-empty JSON rule is gone: {body:?}"
    );
    assert_eq!(set["requestBody"]["required"], true);
    let key = text(
        &parameter(set, "propertyKey")["description"],
        "propertyKey description",
    );
    assert!(
        key.contains("The maximum length is 255 characters."),
        "the 255-character key limit sentence is gone: {key:?}"
    );
    let no_key = text(
        &set["responses"]["405"]["description"],
        "setUserProperty 405",
    );
    assert!(
        no_key.contains("no property key"),
        "405 must say no key was given: {no_key:?}"
    );

    // Each user-property operation: the two permission bullets, accountId's limit, the withdrawn
    // parameters marked deprecated.
    let user_property_ops = [
        (KEYS, "get", "getUserPropertyKeys"),
        (KEY, "get", "getUserProperty"),
        (KEY, "put", "setUserProperty"),
        (KEY, "delete", "deleteUserProperty"),
    ];
    for (path, method, id) in user_property_ops {
        let op = operation(&doc, path, method);
        assert_eq!(op["operationId"], id);
        let description = text(&op["description"], "description");
        assert!(
            description.contains("Permissions required"),
            "{id}: no permissions section"
        );
        let bullets: Vec<&str> = description
            .lines()
            .filter_map(|l| l.strip_prefix(" *  "))
            .collect();
        assert!(
            bullets.iter().any(
                |b| b.starts_with("*Administer Jira* global permission, to ")
                    && b.ends_with("any user.")
            ),
            "{id}: the *Administer Jira* (any user) bullet is gone: {bullets:?}"
        );
        assert!(
            bullets.iter().any(|b| b.starts_with("Access to Jira, to ")
                && b.ends_with("the calling user's record.")),
            "{id}: the access-to-Jira (own record) bullet is gone: {bullets:?}"
        );
        assert_eq!(
            parameter(op, "accountId")["schema"]["maxLength"],
            128,
            "{id}: accountId"
        );
        for gone in ["userKey", "username"] {
            assert_eq!(
                parameter(op, gone)["deprecated"],
                true,
                "{id}: {gone} must be deprecated"
            );
        }
        assert_eq!(
            op["security"],
            serde_json::json!([{ "basicAuth": [] }]),
            "{id}: security"
        );
    }
    let description = text(&set["description"], "setUserProperty description");
    assert!(description
        .contains(" *  *Administer Jira* global permission, to set a property on any user."));
    assert!(
        description.contains(" *  Access to Jira, to set a property on the calling user's record.")
    );

    let get = text(
        &operation(&doc, KEY, "get")["description"],
        "getUserProperty description",
    );
    assert!(
        get.contains("When no property key is given, the key listing is returned"),
        "getUserProperty must say a missing key returns the key listing: {get:?}"
    );

    assert_eq!(
        doc["components"]["securitySchemes"]["basicAuth"]["type"],
        "http"
    );
    assert_eq!(
        doc["components"]["securitySchemes"]["basicAuth"]["scheme"],
        "basic"
    );
}
