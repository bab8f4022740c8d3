//! Atlassian's whole specs (`../shared/specs/`, data, not part of the project) through the loader
//! and the schema compiler: each loads, has its operations, every `$ref` resolves and every
//! documented schema compiles for validation. A test whose file is absent says so on stderr and
//! passes. The last test proves the checks detect a broken schema.

use std::time::Instant;

use jira_conform::spec::{compile_all, load_path, parse, unresolved_refs};

use crate::support::shared;

/// Loads `file`, checks its operation count, its references and every schema; panics with the
/// full list of whatever is wrong.
fn check_full_spec(file: &str, expected_operations: usize) {
    let Some(path) = shared::real_spec(file) else {
        return;
    };
    let started = Instant::now();
    let spec = load_path(&path).unwrap_or_else(|e| panic!("{file} does not load: {e}"));
    let operations = spec.operations.len();
    eprintln!("{file}: {operations} operations");
    assert!(operations > 0, "{file}: no operations");
    assert_eq!(operations, expected_operations, "{file}: operation count");

    let broken = unresolved_refs(&spec.document);
    let broken_list: Vec<String> = broken.iter().map(ToString::to_string).collect();
    assert!(
        broken.is_empty(),
        "{file}: {} $ref(s) do not resolve:\n{}",
        broken.len(),
        broken_list.join("\n")
    );

    let report = compile_all(&spec);
    eprintln!(
        "{file}: {} schemas checked, {} compiled, {} failed ({:.1} s)",
        report.checked,
        report.compiled,
        report.failures.len(),
        started.elapsed().as_secs_f64()
    );
    assert!(report.checked > 0, "{file}: no schema found to compile");
    let failures: Vec<String> = report
        .failures
        .iter()
        .map(|f| format!("  {}: {}", f.pointer, f.message))
        .collect();
    assert!(
        report.failures.is_empty(),
        "{file}: {} schema(s) do not compile:\n{}",
        failures.len(),
        failures.join("\n")
    );
    assert_eq!(report.compiled, report.checked);
}

#[test]
fn platform_2021_11_23() {
    check_full_spec("jira-platform-v3.2021-11-23.json", 442);
}

#[test]
fn platform_2022_07_16() {
    check_full_spec("jira-platform-v3.2022-07-16.json", 468);
}

#[test]
fn platform_2025_07_30() {
    check_full_spec("jira-platform-v3.2025-07-30.json", 590);
}

#[test]
fn software_agile_2022_07_16() {
    check_full_spec("jira-software-agile.2022-07-16.json", 74);
}

#[test]
fn broken_schemas_are_reported_by_pointer_not_panicked_on() {
    let text = r##"{
      "openapi": "3.0.1",
      "paths": {"/thing": {"get": {"responses": {
        "200": {"description": "missing component",
                "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Missing"}}}},
        "400": {"description": "a number for a type",
                "content": {"application/json": {"schema": {"type": 12}}}},
        "404": {"description": "a loop that is fine",
                "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Node"}}}}
      }}}},
      "components": {"schemas": {"Node": {"type": "object", "nullable": true,
        "properties": {"next": {"$ref": "#/components/schemas/Node"}}}}}
    }"##;
    let spec = parse(text, "broken.json").expect("the operation index does not look into schemas");

    let broken = unresolved_refs(&spec.document);
    assert_eq!(broken.len(), 1, "{broken:?}");
    assert_eq!(
        broken[0].pointer,
        "/paths/~1thing/get/responses/200/content/application~1json/schema/$ref"
    );

    let report = compile_all(&spec);
    assert_eq!(report.checked, 3, "{report:?}");
    assert_eq!(report.compiled, 1, "{report:?}");
    let pointers: Vec<&str> = report.failures.iter().map(|f| f.pointer.as_str()).collect();
    assert_eq!(
        pointers,
        [
            "/paths/~1thing/get/responses/200/content/application~1json/schema",
            "/paths/~1thing/get/responses/400/content/application~1json/schema",
        ]
    );
    assert!(
        report.failures[0].message.contains("Missing"),
        "{}",
        report.failures[0].message
    );
    for failure in &report.failures {
        assert!(!failure.message.is_empty());
    }
}
