//! `spec-diff`: what changed between two versions of a spec. The real Jira specs of
//! `../shared/specs/` (skipped with a message when absent), a small inline pair with one change
//! of each kind, the command line, and the promise that an operation the diff reports as
//! unchanged keeps the ids of its cases.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use jira_conform::case::{Api, Case};
use jira_conform::fixtures::Fixtures;
use jira_conform::spec::Spec;
use jira_conform::spec_diff::{diff, Change, ChangeKind, Detail, SpecDiff};
use serde_json::{json, Value};

use crate::support::shared;

const DATES: [&str; 3] = ["2021-11-23", "2022-07-16", "2025-07-30"];

fn real_path(date: &str) -> PathBuf {
    shared::spec_path(&format!("jira-platform-v3.{date}.json"))
}

/// The three real specs, or `None` (with a message on stderr) when one is missing.
fn real_specs(test: &str) -> Option<Vec<Spec>> {
    let mut specs = Vec::new();
    for date in DATES {
        let path = real_path(date);
        if !path.exists() {
            shared::absent(&format!("{test}: {} not found", path.display()));
            return None;
        }
        specs.push(jira_conform::spec::load_path(&path).expect("a real spec loads"));
    }
    Some(specs)
}

fn count(d: &SpecDiff, kind: ChangeKind) -> usize {
    d.changes.iter().filter(|c| c.kind() == kind).count()
}

/// How many operations `d` adds and how many it removes.
fn added_and_removed(d: &SpecDiff) -> (usize, usize) {
    (
        count(d, ChangeKind::OperationAdded),
        count(d, ChangeKind::OperationRemoved),
    )
}

/// The real specs and the diff from `DATES[from]` to `DATES[to]`, its counts printed; `None`
/// (with a message on stderr) when a spec is missing.
fn real_diff(test: &str, from: usize, to: usize) -> Option<(Vec<Spec>, SpecDiff)> {
    let specs = real_specs(test)?;
    let d = diff(&specs[from], &specs[to]);
    print_counts(&format!("{} → {}", DATES[from], DATES[to]), &d);
    Some((specs, d))
}

fn print_counts(label: &str, d: &SpecDiff) {
    eprintln!(
        "{label}: {} changes, {} operations unchanged",
        d.changes.len(),
        d.unchanged.len()
    );
    for (kind, n) in d.counts() {
        eprintln!("  {:<26} {n}", kind.name());
    }
}

/// Asserts that each of `expected` (a JSON list of changes, with their stable field names) is
/// among the changes of its operation, path-level ones excluded.
fn has_all(d: &SpecDiff, expected: Value) {
    for expected in expected.as_array().expect("a list of changes") {
        let method = expected["method"].as_str().expect("an operation's method");
        let path = expected["path"].as_str().expect("a path");
        let found: Vec<Value> = d
            .changes_of(method, path)
            .map(|c| serde_json::to_value(c).unwrap())
            .collect();
        assert!(
            found.contains(expected),
            "{method} {path}: {expected} not among {found:#?}"
        );
    }
}

#[test]
fn a_real_spec_diffed_with_itself_has_no_change() {
    let Some(specs) = real_specs("a_real_spec_diffed_with_itself_has_no_change") else {
        return;
    };
    for spec in &specs {
        let d = diff(spec, spec);
        assert!(!d.differs(), "{}: {:#?}", spec.source, d.changes);
        assert_eq!(d.unchanged.len(), spec.operations.len());
    }
}

#[test]
fn from_2021_to_2022() {
    let Some((specs, d)) = real_diff("from_2021_to_2022", 0, 1) else {
        return;
    };
    // Counted in the JSON files by (path, method): 26 new operations, none gone.
    assert_eq!(added_and_removed(&d), (26, 0));
    assert_eq!(
        d.unchanged.len() + d.changes_of_operations_in_both(),
        specs[0].operations.len()
    );
    has_all(
        &d,
        json!([
            // The announcement banner did not exist in 2021.
            {"path": "/rest/api/3/announcementBanner", "method": "GET",
             "operation_id": "getBanner", "kind": "operation_added"},
            // POST /issue/properties was renamed.
            {"path": "/rest/api/3/issue/properties", "method": "POST",
             "operation_id": "bulkSetIssuesPropertiesList", "kind": "operation_id_changed",
             "old": "bulkSetIssuesProperties", "new": "bulkSetIssuesPropertiesList"},
            // groupname became optional when groupId arrived.
            {"path": "/rest/api/3/group", "method": "GET", "operation_id": "getGroup",
             "kind": "parameter_changed", "in": "query", "name": "groupname",
             "field": "required", "old": true, "new": false},
            {"path": "/rest/api/3/group", "method": "GET", "operation_id": "getGroup",
             "kind": "parameter_added", "in": "query", "name": "groupId", "required": false},
            // setColumns gained a 403; getFilters lost its 401.
            {"path": "/rest/api/3/filter/{id}/columns", "method": "PUT",
             "operation_id": "setColumns", "kind": "status_added", "status": "403"},
            {"path": "/rest/api/3/filter", "method": "GET", "operation_id": "getFilters",
             "kind": "status_removed", "status": "401"},
        ]),
    );
    // /priority gained POST.
    let priority: Vec<&Change> = d
        .changes
        .iter()
        .filter(|c| c.path == "/rest/api/3/priority" && c.method.is_none())
        .collect();
    assert_eq!(priority.len(), 1, "{priority:#?}");
    assert_eq!(
        priority[0].detail,
        Detail::PathMethodsChanged {
            old: vec!["GET".into()],
            new: vec!["GET".into(), "POST".into()]
        }
    );
}

#[test]
fn from_2022_to_2025() {
    let Some((_, d)) = real_diff("from_2022_to_2025", 1, 2) else {
        return;
    };
    // Counted in the JSON files: 125 new operations (122 of them under /rest/api/), 3 gone.
    assert_eq!(added_and_removed(&d), (125, 3));
    let api = d.clone().api_only();
    assert_eq!(count(&api, ChangeKind::OperationAdded), 122);
    assert!(api.changes.iter().all(|c| c.path.starts_with("/rest/api/")));
    has_all(
        &d,
        json!([
            {"path": "/rest/api/3/filter", "method": "GET", "operation_id": "getFilters",
             "kind": "operation_removed"},
            // A worklog listing page holds at most 5000 by default now, not 1048576.
            {"path": "/rest/api/3/issue/{issueIdOrKey}/worklog", "method": "GET",
             "operation_id": "getIssueWorklog", "kind": "parameter_changed", "in": "query",
             "name": "maxResults", "field": "default", "old": 1048576, "new": 5000},
            // editIssue may answer 200 (returnIssue) and gained the parameter.
            {"path": "/rest/api/3/issue/{issueIdOrKey}", "method": "PUT",
             "operation_id": "editIssue", "kind": "status_added", "status": "200"},
            {"path": "/rest/api/3/issue/{issueIdOrKey}", "method": "PUT",
             "operation_id": "editIssue", "kind": "parameter_added", "in": "query",
             "name": "returnIssue", "required": false},
            {"path": "/rest/api/3/user/columns", "method": "PUT",
             "operation_id": "setUserColumns", "kind": "request_body_changed",
             "field": "required", "old": false, "new": true},
            {"path": "/rest/api/3/instance/license", "method": "GET",
             "operation_id": "getLicense", "kind": "tags_changed",
             "old": ["Instance information"], "new": ["License metrics"]},
            {"path": "/rest/api/3/search", "method": "GET",
             "operation_id": "searchForIssuesUsingJql", "kind": "deprecation_changed",
             "old": false, "new": true},
            // getAllPermissions became anonymous: an empty security requirement, "required: None".
            {"path": "/rest/api/3/permissions", "method": "GET",
             "operation_id": "getAllPermissions", "kind": "security_changed",
             "old": {"schemes": ["OAuth2", "basicAuth"], "anonymous": false},
             "new": {"schemes": ["OAuth2", "basicAuth"], "anonymous": true}},
            {"path": "/rest/api/3/permissions", "method": "GET",
             "operation_id": "getAllPermissions", "kind": "permissions_changed",
             "old": ["administer_jira"], "new": ["anyone"]},
            // The issue property value limit is now stated in bytes.
            {"path": "/rest/api/3/issue/{issueIdOrKey}/properties/{propertyKey}",
             "method": "PUT", "operation_id": "setIssueProperty", "kind": "limit_changed",
             "limit": {"source": "property_value_max_bytes"}, "old": null, "new": 32768},
            {"path": "/rest/api/3/filter/search", "method": "GET",
             "operation_id": "getFiltersPaginated", "kind": "limit_changed",
             "limit": {"source": "parameter", "in": "query", "name": "accountId",
                       "bound": "minLength"},
             "old": null, "new": 0},
        ]),
    );
}

trait InBoth {
    /// Operations both versions document that have at least one change.
    fn changes_of_operations_in_both(&self) -> usize;
}

impl InBoth for SpecDiff {
    fn changes_of_operations_in_both(&self) -> usize {
        let mut ops: Vec<(&str, &str)> = self
            .changes
            .iter()
            .filter(|c| {
                !matches!(
                    c.kind(),
                    ChangeKind::OperationAdded
                        | ChangeKind::OperationRemoved
                        | ChangeKind::PathMethodsChanged
                )
            })
            .filter_map(|c| Some((c.path.as_str(), c.method.as_deref()?)))
            .collect();
        ops.sort_unstable();
        ops.dedup();
        ops.len()
    }
}

fn spec_of(paths: Value, name: &str) -> Spec {
    let doc = json!({"openapi": "3.0.1", "info": {"title": "inline", "version": name},
                     "paths": paths});
    jira_conform::spec::parse(&doc.to_string(), name).unwrap()
}

fn ok() -> Value {
    json!({"200": {"description": "ok"}})
}

/// Two small specs differing by one change of each kind (two limits: a schema bound and a
/// limit stated in the prose).
fn inline_pair() -> (Spec, Spec) {
    let perm = |who: &str| format!("Reads it.\n\n**[Permissions](#permissions) required:** {who}");
    let body = |required: bool, max_bytes: u32| {
        let limit = format!(
            "The value of the property. The maximum length of the property value is {max_bytes} bytes."
        );
        json!({"put": {"operationId": "body",
            "requestBody": {"required": required, "description": limit,
                            "content": {"application/json": {"schema": {}}}},
            "responses": ok()}})
    };
    let old = json!({
        "/rest/api/3/gone": {"get": {"operationId": "gone", "responses": ok()}},
        "/rest/api/3/a": {"get": {"operationId": "getA", "responses": ok()}},
        "/rest/api/3/rename": {"get": {"operationId": "oldName", "responses": ok()}},
        "/rest/api/3/tags": {"get": {"operationId": "tagged", "tags": ["Old"], "responses": ok()}},
        "/rest/api/3/dep": {"get": {"operationId": "dep", "responses": ok()}},
        "/rest/api/3/sec": {"get": {"operationId": "sec", "security": [{"basicAuth": []}],
                                    "responses": ok()}},
        "/rest/api/3/perm": {"get": {"operationId": "perm",
            "description": perm("*Administer Jira* [global permission](https://x)."),
            "responses": ok()}},
        "/rest/api/3/params": {"get": {"operationId": "params", "parameters": [
            {"name": "kept", "in": "query", "schema": {"type": "string"}},
            {"name": "dropped", "in": "query", "schema": {"type": "string"}},
            {"name": "accountId", "in": "query", "schema": {"type": "string", "maxLength": 128}}
        ], "responses": ok()}},
        "/rest/api/3/body": body(false, 32768),
        "/rest/api/3/status": {"get": {"operationId": "status", "responses": {
            "200": {"description": "ok"}, "404": {"description": "missing"}}}},
        "/rest/other/1/untouched": {"get": {"operationId": "untouched", "responses": ok()}}
    });
    let new = json!({
        "/rest/api/3/a": {"get": {"operationId": "getA", "responses": ok()},
                          "delete": {"operationId": "deleteA", "responses": ok()}},
        "/rest/api/3/rename": {"get": {"operationId": "newName", "responses": ok()}},
        "/rest/api/3/tags": {"get": {"operationId": "tagged", "tags": ["New"], "responses": ok()}},
        "/rest/api/3/dep": {"get": {"operationId": "dep", "deprecated": true, "responses": ok()}},
        "/rest/api/3/sec": {"get": {"operationId": "sec", "security": [{"basicAuth": []}, {}],
                                    "responses": ok()}},
        "/rest/api/3/perm": {"get": {"operationId": "perm", "description": perm("None."),
                                     "responses": ok()}},
        "/rest/api/3/params": {"get": {"operationId": "params", "parameters": [
            {"name": "kept", "in": "query", "schema": {"type": "integer"}},
            {"name": "accountId", "in": "query", "schema": {"type": "string", "maxLength": 255}},
            {"name": "fresh", "in": "query", "required": true, "schema": {"type": "string"}}
        ], "responses": ok()}},
        "/rest/api/3/body": body(true, 65536),
        "/rest/api/3/status": {"get": {"operationId": "status", "responses": {
            "200": {"description": "ok", "content": {"application/json": {"schema": {}}}},
            "400": {"description": "bad"}}}},
        "/rest/other/1/untouched": {"get": {"operationId": "untouched", "responses": ok()}}
    });
    (spec_of(old, "old.json"), spec_of(new, "new.json"))
}

/// Asserts that `d` counts what the inline pair holds: one change of each kind, and two limit
/// changes; `direction` ends the failure message.
fn assert_inline_counts(d: &SpecDiff, direction: &str) {
    for (kind, n) in d.counts() {
        let want = if kind == ChangeKind::LimitChanged {
            2
        } else {
            1
        };
        assert_eq!(n, want, "{kind}{direction}");
    }
}

#[test]
fn one_change_of_each_kind_is_reported_exactly() {
    let (old, new) = inline_pair();
    let d = diff(&old, &new);
    let op = |path: &str, method: &str, id: &str, rest: Value| {
        let mut v = json!({"path": path, "method": method, "operation_id": id});
        v.as_object_mut()
            .unwrap()
            .extend(rest.as_object().unwrap().clone());
        v
    };
    let expected = json!([
        op("/rest/api/3/a", "DELETE", "deleteA", json!({"kind": "operation_added"})),
        op("/rest/api/3/gone", "GET", "gone", json!({"kind": "operation_removed"})),
        {"path": "/rest/api/3/a", "kind": "path_methods_changed",
         "old": ["GET"], "new": ["DELETE", "GET"]},
        op("/rest/api/3/rename", "GET", "newName",
           json!({"kind": "operation_id_changed", "old": "oldName", "new": "newName"})),
        op("/rest/api/3/tags", "GET", "tagged",
           json!({"kind": "tags_changed", "old": ["Old"], "new": ["New"]})),
        op("/rest/api/3/dep", "GET", "dep",
           json!({"kind": "deprecation_changed", "old": false, "new": true})),
        op("/rest/api/3/sec", "GET", "sec", json!({"kind": "security_changed",
           "old": {"schemes": ["basicAuth"], "anonymous": false},
           "new": {"schemes": ["basicAuth"], "anonymous": true}})),
        op("/rest/api/3/perm", "GET", "perm", json!({"kind": "permissions_changed",
           "old": ["administer_jira"], "new": ["anyone"]})),
        op("/rest/api/3/params", "GET", "params", json!({"kind": "parameter_added",
           "in": "query", "name": "fresh", "required": true})),
        op("/rest/api/3/params", "GET", "params", json!({"kind": "parameter_removed",
           "in": "query", "name": "dropped", "required": false})),
        op("/rest/api/3/params", "GET", "params", json!({"kind": "parameter_changed",
           "in": "query", "name": "kept", "field": "type", "old": "string", "new": "integer"})),
        op("/rest/api/3/body", "PUT", "body", json!({"kind": "request_body_changed",
           "field": "required", "old": false, "new": true})),
        op("/rest/api/3/status", "GET", "status",
           json!({"kind": "status_added", "status": "400"})),
        op("/rest/api/3/status", "GET", "status",
           json!({"kind": "status_removed", "status": "404"})),
        op("/rest/api/3/status", "GET", "status", json!({"kind": "response_content_changed",
           "status": "200", "old": [], "new": ["application/json"]})),
        op("/rest/api/3/body", "PUT", "body", json!({"kind": "limit_changed",
           "limit": {"source": "property_value_max_bytes"}, "old": 32768, "new": 65536})),
        op("/rest/api/3/params", "GET", "params", json!({"kind": "limit_changed",
           "limit": {"source": "parameter", "in": "query", "name": "accountId",
                     "bound": "maxLength"},
           "old": 128, "new": 255})),
    ]);
    let got = serde_json::to_value(&d.changes).unwrap();
    assert_eq!(
        got,
        expected,
        "got:\n{}",
        serde_json::to_string_pretty(&got).unwrap()
    );
    assert_inline_counts(&d, "");
    // GET /a (a path whose methods changed) and the path outside the platform API.
    let unchanged: Vec<(&str, &str)> = d
        .unchanged
        .iter()
        .map(|o| (o.method.as_str(), o.operation_id.as_str()))
        .collect();
    assert_eq!(unchanged, [("GET", "getA"), ("GET", "untouched")]);
    let api = d.clone().api_only();
    assert_eq!(api.changes, d.changes, "every change is under /rest/api/3");
    assert_eq!(api.unchanged.len(), 1);
    // The other direction mirrors every change.
    let back = diff(&new, &old);
    assert_inline_counts(&back, " backwards");
}

#[test]
fn the_text_report_names_every_change() {
    let (old, new) = inline_pair();
    let d = diff(&old, &new);
    let mut out = Vec::new();
    jira_conform::report::spec_diff::write_text(&d, &mut out, false).unwrap();
    let text = String::from_utf8(out).unwrap();
    for line in [
        "operations added (1)\n  /rest/api/3/a\n    + DELETE deleteA\n",
        "    ~ GET operationId oldName → newName\n",
        "    ~ GET params: query kept type: \"string\" → \"integer\"\n",
        "    ~ GET params: query accountId maxLength: 128 → 255\n",
        "    ~ PUT body: property value maximum (bytes, prose): 32768 → 65536\n",
        "    ~ GET perm: permission grants administer_jira → anyone\n",
        "    + GET status: status 400\n",
    ] {
        assert!(text.contains(line), "{line:?} not in:\n{text}");
    }
    assert!(!text.contains('\x1b'));
}

/// `jira-conform spec-diff {options} {old} {new}`, run to the end.
fn spec_diff(options: &[&str], old: &Path, new: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_jira-conform"))
        .arg("spec-diff")
        .args(options)
        .arg(old)
        .arg(new)
        .output()
        .unwrap()
}

#[test]
fn the_command_exits_0_1_or_2() {
    let dir = std::env::temp_dir().join(format!("jira-conform-spec-diff-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let (old, new) = inline_pair();
    let write = |name: &str, spec: &Spec| {
        let path = dir.join(name);
        std::fs::write(&path, spec.document.to_string()).unwrap();
        path
    };
    let (a, b) = (write("old.json", &old), write("new.json", &new));
    let same = spec_diff(&[], &a, &a);
    assert_eq!(same.status.code(), Some(0), "{same:?}");
    assert!(String::from_utf8_lossy(&same.stdout).contains("no change"));
    let differs = spec_diff(&["--format", "json"], &a, &b);
    assert_eq!(differs.status.code(), Some(1), "{differs:?}");
    let doc: Value = serde_json::from_slice(&differs.stdout).unwrap();
    assert_eq!(doc["format_version"], 1);
    assert_eq!(doc["total_changes"], 17);
    assert_eq!(doc["counts"]["limit_changed"], 2);
    assert_eq!(doc["unchanged_operations"], 2);
    assert_eq!(doc["old"]["operations"], 11);
    let only_api = spec_diff(&["--api-only", "--format", "json"], &a, &b);
    let doc: Value = serde_json::from_slice(&only_api.stdout).unwrap();
    assert_eq!(doc["unchanged_operations"], 1);
    let text = spec_diff(&["--color", "never"], &a, &b);
    assert_eq!(text.status.code(), Some(1));
    assert!(!String::from_utf8_lossy(&text.stdout).contains('\x1b'));
    let missing = spec_diff(&[], &a, &dir.join("absent.json"));
    assert_eq!(missing.status.code(), Some(2), "{missing:?}");
    assert!(String::from_utf8_lossy(&missing.stderr).starts_with("error: "));
    let _ = std::fs::remove_dir_all(&dir);
}

fn ids<'a>(cases: &'a [Case], operation_id: &str, keep: impl Fn(&Case) -> bool) -> Vec<&'a str> {
    cases
        .iter()
        .filter(|c| c.operation_id == operation_id && keep(c))
        .map(|c| c.id.as_str())
        .collect()
}

#[test]
fn unchanged_operations_keep_their_case_ids() {
    let Some(specs) = real_specs("unchanged_operations_keep_their_case_ids") else {
        return;
    };
    let fixtures = Fixtures::embedded().unwrap();
    let generate = |spec: &Spec| {
        jira_conform::generate::generate(spec, &fixtures, &Api::ALL).expect("generation works")
    };
    let cases: Vec<Vec<Case>> = specs.iter().map(generate).collect();
    // Generation itself is deterministic, so any difference below is a spec difference.
    let twice: Vec<String> = generate(&specs[2]).into_iter().map(|c| c.id).collect();
    let once: Vec<&String> = cases[2].iter().map(|c| &c.id).collect();
    assert!(
        twice.iter().eq(once.iter().copied()),
        "generation is not deterministic"
    );
    for (i, pair) in specs.windows(2).enumerate() {
        let (old, new) = (&pair[0], &pair[1]);
        let d = diff(old, new);
        let (mut compared, mut with_cases) = (0, 0);
        let mut failures = Vec::new();
        for op in &d.unchanged {
            if old.methods_by_path.get(&op.path) != new.methods_by_path.get(&op.path) {
                continue;
            }
            compared += 1;
            // Every case counts, the probes of a path's undocumented methods included: they are
            // named by the path's methods alone, so a sibling's change does not move them.
            let a = ids(&cases[i], &op.operation_id, |_| true);
            let b = ids(&cases[i + 1], &op.operation_id, |_| true);
            if !a.is_empty() {
                with_cases += 1;
            }
            if a != b {
                failures.push(format!(
                    "{} {} ({}):\n  old {a:?}\n  new {b:?}",
                    op.method, op.path, op.operation_id
                ));
            }
        }
        eprintln!(
            "{} → {}: {compared} unchanged operations compared ({with_cases} with cases)",
            DATES[i],
            DATES[i + 1],
        );
        assert!(compared > 300, "{compared}");
        assert!(
            failures.is_empty(),
            "{} unchanged operations changed case ids:\n{}",
            failures.len(),
            failures.join("\n")
        );
    }
}
