//! Cross-checks the project's own spec (`specs/jira-conform.openapi.json`) against copies of the
//! spec Atlassian publishes, and keeps the documented rules in our prose from silently going away.
//!
//! The real specs are read from `specs/` of the shared data (`support::shared`: `../shared` next to
//! the repository, or the folder `JIRA_CONFORM_SHARED` names). They are data, not part of the
//! project: a missing file is skipped with a message, or fails with `JIRA_CONFORM_REQUIRE_SHARED=1`.
//!
//! Every operation of our document is compared; [`REQUIRED_OPERATIONS`] only pins the ones that
//! must be there. Each of our paths must also carry every method the newest real file documents
//! for it. How strictly each dated file is compared was decided from the data:
//!
//! * Operation facts — method, path, operationId, first tag, parameters (name, location,
//!   required, deprecated, and the schema keywords in [`SCHEMA_KEYWORDS`] such as type, format,
//!   default, enum and `maxLength`), the status set, the request body's presence, `required` and
//!   schema, the schemas of documented response bodies, whether anonymous access is allowed, and
//!   `basicAuth` among the security schemes — are compared strictly against the newest file
//!   (2025-07-30): a difference means our document is wrong, or Atlassian changed the operation
//!   and we must follow.
//! * Against the older files (2022-07-16, 2021-11-23) the same facts are compared strictly for
//!   every operation except those in [`OLDER_FILES_DIFFER`], whose differences are printed as
//!   notes. Found in the data: the five user-property and myself operations and most of the others
//!   are the same in all three files; `bulkDeleteWorklogs` and `createNotificationScheme` do not
//!   exist in the older files; `getNotificationSchemes` there has no `id`, `projectId` and
//!   `onlyDefault` parameters, integer `startAt`/`maxResults` instead of strings, and no 400;
//!   `getIssue` has no `failFast`; `editIssue` has no `returnIssue`/`expand` and no 200, 409 and
//!   422; `updateDashboard` has no `extendAdminPermissions`; `addWorklog` has no 413; and
//!   `getIssueWorklog`'s `maxResults` defaults to 1048576 instead of 5000.
//! * Request body descriptions, and with them the rule "The maximum length of the property value
//!   is 32768 bytes." (for `setUserProperty` and `setDashboardItemProperty`), exist only in the
//!   2025 file (the older ones document those bodies with no description). Component schemas grew
//!   too (e.g. `GroupName.groupId` and `ApplicationRole.groupDetails` / `defaultGroupsDetails` are
//!   absent from the 2021 file). Component schemas are compared node by node (properties, items,
//!   `additionalProperties`, `allOf`/`oneOf`/`anyOf`, and [`SCHEMA_KEYWORDS`]). These are checked
//!   strictly against the newest file only; for older files differences are printed as notes.
//! * Our document gives the error statuses 400/403/404/405 an `application/json`
//!   `ErrorCollection` body, which the real files mostly do not document (they list those statuses
//!   without content, or with content but no schema). That is a deliberate choice of the project,
//!   so it is printed as a note against every file and never fails. Likewise our 401 and 204
//!   responses never have a body, while the real files give some of them one (an
//!   `ErrorCollection` for the dashboard operations' 401, an empty `application/json` schema for
//!   some 204s): printed as notes, never failing. Any other body difference fails.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use jira_conform::spec::prose::{self, Grant};
use jira_conform::spec::{load_path, Operation, Spec};
use serde_json::Value;

use crate::support::shared;

/// The real platform specs, newest first, and whether date-dependent facts are compared strictly.
const REAL_SPECS: [(&str, bool); 3] = [
    ("jira-platform-v3.2025-07-30.json", true),
    ("jira-platform-v3.2022-07-16.json", false),
    ("jira-platform-v3.2021-11-23.json", false),
];

/// Operations our document must describe (it may describe more; all of them are compared).
const REQUIRED_OPERATIONS: [&str; 32] = [
    // User properties, Myself
    "deleteUserProperty",
    "getCurrentUser",
    "getUserProperty",
    "getUserPropertyKeys",
    "setUserProperty",
    // Issue attachments
    "getAttachmentMeta",
    "getAttachment",
    "removeAttachment",
    // Time tracking
    "getSelectedTimeTrackingImplementation",
    "selectTimeTrackingImplementation",
    // Dashboards
    "getDashboardItemPropertyKeys",
    "getDashboardItemProperty",
    "setDashboardItemProperty",
    "deleteDashboardItemProperty",
    "getDashboard",
    "updateDashboard",
    "deleteDashboard",
    // Issues
    "getIssue",
    "editIssue",
    "deleteIssue",
    // Issue worklogs
    "getIssueWorklog",
    "addWorklog",
    "bulkDeleteWorklogs",
    "getWorklog",
    "updateWorklog",
    "deleteWorklog",
    // Issue notification schemes
    "getNotificationSchemes",
    "createNotificationScheme",
    // Project roles
    "getProjectRoles",
    "getProjectRoleDetails",
    "getAllProjectRoles",
    "createProjectRole",
];

/// Operations whose facts differ in (or that are missing from) the older real files; against
/// those files their differences are notes. Every other operation is compared strictly against
/// every file.
const OLDER_FILES_DIFFER: [&str; 8] = [
    "addWorklog",
    "bulkDeleteWorklogs",
    "createNotificationScheme",
    "editIssue",
    "getIssue",
    "getIssueWorklog",
    "getNotificationSchemes",
    "updateDashboard",
];

/// Statuses whose body our document deliberately sets: an `ErrorCollection` for errors ...
const ERROR_BODY_STATUSES: [&str; 4] = ["400", "403", "404", "405"];
/// ... and no body at all.
const NO_BODY_STATUSES: [&str; 2] = ["204", "401"];

/// Limits stated in our prose that must also be stated in the real spec:
/// (operationId, where, phrase). `where` is `requestBody` or `parameter:NAME`.
const PROSE_LIMITS: [(&str, &str, &str); 4] = [
    ("setUserProperty", "requestBody", "32768 bytes"),
    ("setUserProperty", "parameter:propertyKey", "255 characters"),
    ("setDashboardItemProperty", "requestBody", "32768 bytes"),
    (
        "setDashboardItemProperty",
        "parameter:propertyKey",
        "255 characters",
    ),
];

/// Schema keywords compared at every schema node (component schemas and parameter schemas).
/// `properties`, `items`, `additionalProperties` and `allOf`/`oneOf`/`anyOf` are walked.
const SCHEMA_KEYWORDS: [&str; 12] = [
    "type",
    "format",
    "readOnly",
    "writeOnly",
    "enum",
    "maxLength",
    "nullable",
    "uniqueItems",
    "required",
    "default",
    "$ref",
    "deprecated",
];

fn manifest_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn our_spec_path() -> PathBuf {
    manifest_dir().join("specs/jira-conform.openapi.json")
}

/// Failures (strict differences) and notes (reported, not failing) of one run.
#[derive(Default)]
struct Findings {
    failures: Vec<String>,
    notes: Vec<String>,
    /// `operationId status` of error responses that have a body in ours and none in the real spec.
    added_bodies: Vec<String>,
    /// `operationId status` of 204/401 responses that have no body in ours and one in the real spec.
    omitted_bodies: Vec<String>,
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

/// Compares two schema nodes: [`SCHEMA_KEYWORDS`], then the nested schemas. A node the real spec
/// describes by `$ref` and we describe inline (the list wrappers' callbacks) is not compared.
fn compare_node(mine: &Value, theirs: &Value, here: &str, strict: bool, f: &mut Findings) {
    if theirs.get("$ref").is_some() && mine.get("$ref").is_none() {
        return; // simplified inline on purpose
    }
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
    let props = |s: &Value| -> BTreeMap<String, Value> {
        s.get("properties")
            .and_then(Value::as_object)
            .map(|m| m.iter().map(|(k, v)| (k.clone(), v.clone())).collect())
            .unwrap_or_default()
    };
    let (a, b) = (props(mine), props(theirs));
    let (ka, kb): (BTreeSet<&String>, BTreeSet<&String>) = (a.keys().collect(), b.keys().collect());
    if ka != kb {
        f.differ(
            strict,
            format!(
                "{here}: properties differ; only ours {:?}, only real {:?}",
                ka.difference(&kb).collect::<Vec<_>>(),
                kb.difference(&ka).collect::<Vec<_>>()
            ),
        );
    }
    for (name, p) in &a {
        if let Some(q) = b.get(name) {
            compare_node(p, q, &format!("{here}.{name}"), strict, f);
        }
    }
    for keyword in ["items", "additionalProperties"] {
        match (mine.get(keyword), theirs.get(keyword)) {
            (Some(p), Some(q)) if p.is_object() && q.is_object() => {
                compare_node(p, q, &format!("{here}/{keyword}"), strict, f)
            }
            (p, q) if p != q => f.differ(
                strict,
                format!("{here}: {keyword} differs: ours {p:?}, real {q:?}"),
            ),
            _ => {}
        }
    }
    for keyword in ["allOf", "oneOf", "anyOf"] {
        let list = |s: &Value| s.get(keyword).and_then(Value::as_array).cloned();
        match (list(mine), list(theirs)) {
            (Some(p), Some(q)) if p.len() == q.len() => {
                for (i, (x, y)) in p.iter().zip(&q).enumerate() {
                    compare_node(x, y, &format!("{here}/{keyword}/{i}"), strict, f);
                }
            }
            (None, None) => {}
            (p, q) => f.differ(
                strict,
                format!(
                    "{here}: {keyword} differs: ours {} entries, real {}",
                    p.map_or(0, |l| l.len()),
                    q.map_or(0, |l| l.len())
                ),
            ),
        }
    }
}

type ParamKey = (String, &'static str, bool, bool);

fn parameter_set(op: &Operation) -> BTreeSet<ParamKey> {
    op.parameters
        .iter()
        .map(|p| (p.name.clone(), p.location.name(), p.required, p.deprecated))
        .collect()
}

/// A real response body that documents nothing: no content, or content without a schema.
fn no_documented_body(content: &[(String, Value)]) -> bool {
    content
        .iter()
        .all(|(_, schema)| schema.as_object().is_some_and(|o| o.is_empty()))
}

fn compare_operation(
    ours: &Operation,
    real: &Operation,
    file: &str,
    strict_facts: bool,
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
    if ours.tag() != real.tag() {
        f.differ(
            strict_facts,
            format!(
                "{here}: first tag ours {:?}, real {:?}",
                ours.tag(),
                real.tag()
            ),
        );
    }
    let (mine, theirs) = (parameter_set(ours), parameter_set(real));
    if mine != theirs {
        f.differ(
            strict_facts,
            format!(
                "{here}: parameters (name, in, required, deprecated) differ\n  only ours: {:?}\n  only real: {:?}",
                mine.difference(&theirs).collect::<Vec<_>>(),
                theirs.difference(&mine).collect::<Vec<_>>()
            ),
        );
    }
    for p in &ours.parameters {
        if let Some(q) = real
            .parameters
            .iter()
            .find(|q| q.name == p.name && q.location == p.location)
        {
            let mut sub = Findings::default();
            compare_node(
                &p.schema,
                &q.schema,
                &format!("{here}: parameter {}", p.name),
                strict_facts,
                &mut sub,
            );
            f.failures.append(&mut sub.failures);
            f.notes.append(&mut sub.notes);
        }
    }
    if ours.statuses() != real.statuses() {
        f.differ(
            strict_facts,
            format!(
                "{here}: statuses differ: ours {:?}, real {:?}",
                ours.statuses(),
                real.statuses()
            ),
        );
    }
    let body = |op: &Operation| op.request_body.as_ref().map(|b| b.required);
    if body(ours) != body(real) {
        f.differ(
            strict_facts,
            format!(
                "{here}: request body (Some(required) / None) differs: ours {:?}, real {:?}",
                body(ours),
                body(real)
            ),
        );
    }
    if let (Some(a), Some(b)) = (&ours.request_body, &real.request_body) {
        if a.content != b.content {
            f.differ(
                strict_facts,
                format!(
                    "{here}: request body schemas differ: ours {:?}, real {:?}",
                    a.content, b.content
                ),
            );
        }
    }
    if ours.security.iter().any(|s| !real.security.contains(s)) {
        f.failures.push(format!(
            "{here}: security schemes {:?} are not all among the real ones {:?}",
            ours.security, real.security
        ));
    }
    if ours.allows_anonymous != real.allows_anonymous {
        f.differ(
            strict_facts,
            format!(
                "{here}: anonymous access: ours {}, real {}",
                ours.allows_anonymous, real.allows_anonymous
            ),
        );
    }
    for response in &ours.responses {
        let Some(theirs) = real.responses.iter().find(|r| r.status == response.status) else {
            continue; // a missing status is reported by the status-set comparison
        };
        let status = response.status.as_str();
        if response.content == theirs.content {
            continue;
        }
        if ERROR_BODY_STATUSES.contains(&status) && no_documented_body(&theirs.content) {
            f.added_bodies.push(format!("{id} {status}"));
        } else if NO_BODY_STATUSES.contains(&status) && response.content.is_empty() {
            f.omitted_bodies.push(format!("{id} {status}"));
        } else {
            f.differ(
                strict_facts,
                format!(
                    "{here}: {status} response bodies differ: ours {:?}, real {:?}",
                    response.content, theirs.content
                ),
            );
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

/// Compares our component schemas with the real ones of the same name, node by node.
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
        compare_node(mine, theirs, &here, strict, f);
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
        ids.len(),
        ours.operations.len(),
        "operationIds are unique in our document"
    );
    let missing: Vec<&str> = REQUIRED_OPERATIONS
        .iter()
        .copied()
        .filter(|id| !ids.contains(id))
        .collect();
    assert!(
        missing.is_empty(),
        "our document lacks required operations: {missing:?}"
    );
    for id in OLDER_FILES_DIFFER {
        assert!(
            ids.contains(id),
            "OLDER_FILES_DIFFER names {id}, which we do not describe"
        );
    }
    let embedded = jira_conform::spec::embedded().expect("the embedded spec loads");
    assert_eq!(
        embedded.operations.len(),
        ours.operations.len(),
        "the embedded spec is our document"
    );

    let dir = shared::specs_dir();
    let mut findings = Findings::default();
    let mut compared = 0;
    for (name, strict_dated) in REAL_SPECS {
        let path = dir.join(name);
        if !path.is_file() {
            shared::absent(&format!("{} not found", path.display()));
            continue;
        }
        compared += 1;
        let real = load(&path);
        for op in &ours.operations {
            let strict_facts =
                strict_dated || !OLDER_FILES_DIFFER.contains(&op.operation_id.as_str());
            match real.operation(&op.operation_id) {
                Some((_, theirs)) => {
                    compare_operation(op, theirs, name, strict_facts, strict_dated, &mut findings)
                }
                None => findings.differ(
                    strict_facts,
                    format!("{name}: has no operation {}", op.operation_id),
                ),
            }
        }
        // Every method the real file documents on one of our paths is in our document.
        for (path, methods) in &ours.methods_by_path {
            let theirs = real.methods_by_path.get(path).cloned().unwrap_or_default();
            if &theirs != methods {
                let strict = strict_dated
                    || ours
                        .operations
                        .iter()
                        .filter(|o| &o.path == path)
                        .all(|o| !OLDER_FILES_DIFFER.contains(&o.operation_id.as_str()));
                findings.differ(
                    strict,
                    format!("{name}: {path}: methods ours {methods:?}, real {theirs:?}"),
                );
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
                "{name}: {} error responses have an ErrorCollection body in ours (the project's addition) and no documented body in the real spec: {}",
                added.len(),
                added.join(", ")
            ));
        }
        let omitted = std::mem::take(&mut findings.omitted_bodies);
        if !omitted.is_empty() {
            findings.notes.push(format!(
                "{name}: {} responses (204/401) have no body in ours (the project's convention) and one in the real spec: {}",
                omitted.len(),
                omitted.join(", ")
            ));
        }
    }
    if compared == 0 {
        shared::absent(&format!(
            "the whole cross-check; no real spec found in {}",
            dir.display()
        ));
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

/// Each operation's "Permissions required" bullets, as the generator's parser reads them: the
/// grants recognised and how many bullets are left unrecognised (listed, never guessed).
#[test]
fn our_permission_bullets_are_read_as_intended() {
    use Grant::*;
    let expected: [(&str, &[Grant], usize); 32] = [
        ("getUserPropertyKeys", &[AdministerJira, OwnRecord], 0),
        ("getUserProperty", &[AdministerJira, OwnRecord], 0),
        ("setUserProperty", &[AdministerJira, OwnRecord], 0),
        ("deleteUserProperty", &[AdministerJira, OwnRecord], 0),
        ("getCurrentUser", &[AccessJira], 0),
        ("getAttachmentMeta", &[Anyone], 0),
        ("getAttachment", &[BrowseProjects], 0),
        // *Delete all attachments* / *Delete own attachments*: project permissions, recognised
        // but not among the grants the generator acts on.
        ("removeAttachment", &[], 0),
        (
            "getSelectedTimeTrackingImplementation",
            &[AdministerJira],
            0,
        ),
        ("selectTimeTrackingImplementation", &[AdministerJira], 0),
        ("getDashboardItemPropertyKeys", &[Anyone, AdministerJira], 0),
        ("getDashboardItemProperty", &[Anyone, AdministerJira], 0),
        ("setDashboardItemProperty", &[Anyone, AdministerJira], 0),
        ("deleteDashboardItemProperty", &[Anyone, AdministerJira], 0),
        ("getDashboard", &[Anyone, AdministerJira], 0),
        ("updateDashboard", &[Anyone], 0),
        ("deleteDashboard", &[Anyone], 0),
        ("getIssue", &[BrowseProjects], 0),
        ("editIssue", &[BrowseProjects], 0),
        ("deleteIssue", &[BrowseProjects], 0),
        ("getIssueWorklog", &[BrowseProjects], 0),
        ("addWorklog", &[BrowseProjects], 0),
        // *Delete all worklogs*: a project permission outside the generator's grants.
        ("bulkDeleteWorklogs", &[BrowseProjects], 0),
        ("getWorklog", &[BrowseProjects], 0),
        // *Edit all worklogs* / *Edit own worklogs*: project permissions outside the grants.
        ("updateWorklog", &[BrowseProjects], 0),
        // *Delete all worklogs* / *Delete own worklogs*: project permissions outside the grants.
        ("deleteWorklog", &[BrowseProjects], 0),
        ("getNotificationSchemes", &[AccessJira], 0),
        ("createNotificationScheme", &[AdministerJira], 0),
        ("getProjectRoles", &[AdministerProjects, AdministerJira], 0),
        (
            "getProjectRoleDetails",
            &[AdministerJira, AdministerProjects],
            0,
        ),
        ("getAllProjectRoles", &[AdministerJira], 0),
        ("createProjectRole", &[AdministerJira], 0),
    ];
    let ours = load(&our_spec_path());
    for (id, grants, unrecognised) in expected {
        let (_, op) = ours
            .operation(id)
            .unwrap_or_else(|| panic!("{id} is missing"));
        let rule = prose::permissions(op, "ours");
        let found: Vec<Grant> = rule.grants.iter().map(|g| g.value).collect();
        assert_eq!(found, grants, "{id}: recognised grants ({rule:?})");
        assert_eq!(
            rule.unrecognised.len(),
            unrecognised,
            "{id}: unrecognised statements {:?}",
            rule.unrecognised
        );
    }
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

const ITEM_KEYS: &str = "/rest/api/3/dashboard/{dashboardId}/items/{itemId}/properties";
const ITEM_KEY: &str =
    "/rest/api/3/dashboard/{dashboardId}/items/{itemId}/properties/{propertyKey}";
const TIME_TRACKING: &str = "/rest/api/3/configuration/timetracking";

#[test]
fn our_prose_states_the_dashboard_item_and_time_tracking_rules() {
    let doc = our_document();

    let set = operation(&doc, ITEM_KEY, "put");
    let body = text(
        &set["requestBody"]["description"],
        "setDashboardItemProperty requestBody.description",
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
    // The parser falls back to the operation's prose for limits: no other limit may be stated
    // there (Atlassian's own prose says "32768 characters" in the description of this operation).
    for (path, method) in [
        (ITEM_KEYS, "get"),
        (ITEM_KEY, "get"),
        (ITEM_KEY, "put"),
        (ITEM_KEY, "delete"),
    ] {
        let description = text(&operation(&doc, path, method)["description"], "description");
        assert!(
            !description.to_ascii_lowercase().contains("maximum length"),
            "{method} {path}: limits belong in the parameter and body descriptions"
        );
    }

    let tt = operation(&doc, TIME_TRACKING, "get");
    let no_content = text(
        &tt["responses"]["204"]["description"],
        "getSelectedTimeTrackingImplementation 204",
    );
    assert!(
        no_content.contains("time tracking is disabled"),
        "204 must say time tracking is disabled: {no_content:?}"
    );
}

/// The project's response-body conventions hold for every operation: error statuses carry an
/// `ErrorCollection`, 401 and 204 carry no body; every operation takes basic authentication.
#[test]
fn every_operation_follows_the_body_conventions() {
    let doc = our_document();
    let error = serde_json::json!({
        "application/json": { "schema": { "$ref": "#/components/schemas/ErrorCollection" } }
    });
    let paths = doc["paths"].as_object().expect("paths");
    for (path, item) in paths {
        for (method, op) in item.as_object().expect("path item") {
            let id = &op["operationId"];
            for (status, response) in op["responses"].as_object().expect("responses") {
                match status.as_str() {
                    "400" | "403" | "404" | "405" => assert_eq!(
                        response["content"], error,
                        "{method} {path} ({id}) {status}: ErrorCollection body"
                    ),
                    "204" | "401" => assert!(
                        response.get("content").is_none(),
                        "{method} {path} ({id}) {status}: no body"
                    ),
                    _ => {}
                }
            }
            assert_eq!(
                op["security"][0],
                serde_json::json!({ "basicAuth": [] }),
                "{method} {path} ({id}): basic authentication"
            );
        }
    }
}
