//! Issue 7 acceptance on Atlassian's whole platform spec (`../shared/specs/`, data, not part of
//! the project), generated with the embedded fixtures:
//!
//! - the entity-property suites of the entities the reference mock implements (users, dashboard
//!   items, issues, projects, worklogs, comments) have cases in the methods, limits, keys, schema and
//!   roundtrip families on both API versions, and every one of them passes against the mock;
//! - every other entity-property group of the spec gets no case that needs the fixtures' world,
//!   and the generator reports each of its operations as a gap with a named reason: skipped,
//!   never silently dropped.
//!
//! When the spec file is absent, each test says so on stderr and passes.

use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;
use std::sync::Arc;

use jira_conform::case::{Api, Case, Family};
use jira_conform::fixtures::Fixtures;
use jira_conform::generate::{generate_with_gaps, snake, Gap};
use jira_conform::report::failure_text;
use jira_conform::select::Selection;
use jira_conform::spec::{load_path, Spec};
use jira_conform::verdict::Outcome;
use jira_conform::{prepare, run_suite, Config, SnapshotChoice};

use crate::support::shared;

const SPEC_FILE: &str = "jira-platform-v3.2025-07-30.json";

/// The entity-property resources the reference mock implements, as the generator names them.
const IMPLEMENTED: [&str; 6] = [
    "user_properties",
    "dashboard_item_properties",
    "issue_properties",
    "project_properties",
    "issue_worklog_properties",
    "comment_properties",
];

/// The listing paths (after the API prefix) of the groups in [`IMPLEMENTED`].
const IMPLEMENTED_BASES: [&str; 6] = [
    "/user/properties",
    "/dashboard/{dashboardId}/items/{itemId}/properties",
    "/issue/{issueIdOrKey}/properties",
    "/project/{projectIdOrKey}/properties",
    "/issue/{issueIdOrKey}/worklog/{worklogId}/properties",
    "/comment/{commentId}/properties",
];

/// The families every implemented resource must have cases in, on both API versions.
const REQUIRED_FAMILIES: [Family; 5] = [
    Family::Methods,
    Family::Limits,
    Family::Keys,
    Family::Schema,
    Family::Roundtrip,
];

fn shared_spec() -> Option<PathBuf> {
    shared::real_spec(SPEC_FILE)
}

/// An entity-property group of the spec: the key listing at `…/properties` and the operations
/// on `…/properties/{propertyKey}`, found as the generator finds them.
// `jira_conform::generate` does not export its `find_groups`; this is the same rule, over the
// public spec model: a GET whose path under the API prefix ends in `/properties`.
struct Group {
    /// The listing path after the API prefix.
    base: String,
    /// The group's operationIds: the listing, then those on `{propertyKey}`.
    operations: Vec<String>,
    /// The spec tag of the listing.
    tag: String,
}

fn property_groups(spec: &Spec) -> Vec<Group> {
    let mut groups = Vec::new();
    for op in &spec.operations {
        let Some(rel) = op.api_relative_path() else {
            continue;
        };
        if op.method != "GET" || !rel.ends_with("/properties") {
            continue;
        }
        let item = format!("{}/{{propertyKey}}", op.path);
        let mut operations = vec![op.operation_id.clone()];
        for method in ["GET", "PUT", "DELETE"] {
            if let Some(o) = spec
                .operations
                .iter()
                .find(|o| o.path == item && o.method == method)
            {
                operations.push(o.operation_id.clone());
            }
        }
        groups.push(Group {
            base: rel.to_string(),
            operations,
            tag: op.tag().to_string(),
        });
    }
    groups
}

fn generated(spec: &Spec) -> (Vec<Case>, Vec<Gap>) {
    let fixtures = Fixtures::embedded().expect("the embedded fixtures load");
    let g = generate_with_gaps(spec, &fixtures, &Api::ALL).expect("the spec generates");
    (g.cases, g.gaps)
}

#[test]
fn implemented_entity_property_suites_pass_against_the_mock() {
    let Some(path) = shared_spec() else {
        return;
    };
    let config = Config {
        spec: Some(path),
        selection: Selection {
            filters: IMPLEMENTED.iter().map(|r| format!("::{r}::")).collect(),
            ..Selection::default()
        },
        snapshots: SnapshotChoice::Off,
        ..Config::default()
    };
    let prepared = prepare(&config).expect("the spec and the embedded fixtures load");
    let cases = &prepared.cases;
    assert!(
        cases
            .iter()
            .all(|c| IMPLEMENTED.contains(&c.resource.as_str())),
        "a filter selected a case of another resource"
    );
    // Generation is deterministic: a second pass yields the same cases, requests included.
    let again = prepare(&config).expect("the spec loads again");
    assert!(again.cases == *cases, "two generations differ");

    // Coverage: cases per resource, API version and family.
    let mut counts: BTreeMap<(&str, Api, Family), usize> = BTreeMap::new();
    for c in cases.iter() {
        *counts
            .entry((c.resource.as_str(), c.api, c.family))
            .or_default() += 1;
    }
    let mut missing = Vec::new();
    for resource in IMPLEMENTED {
        for api in Api::ALL {
            let row: Vec<String> = Family::ALL
                .iter()
                .map(|f| {
                    let n = counts.get(&(resource, api, *f)).copied().unwrap_or(0);
                    format!("{f} {n}")
                })
                .collect();
            eprintln!("{api}::{resource}: {}", row.join(", "));
            for family in REQUIRED_FAMILIES {
                if !counts.contains_key(&(resource, api, family)) {
                    missing.push(format!("{api}::{resource} has no {family} case"));
                }
            }
        }
    }
    // Every operation of the six groups (listing, get, set, delete) is exercised.
    for group in property_groups(&prepared.spec)
        .iter()
        .filter(|g| IMPLEMENTED_BASES.contains(&g.base.as_str()))
    {
        assert_eq!(
            group.operations.len(),
            4,
            "{}: {:?}",
            group.base,
            group.operations
        );
        for op in &group.operations {
            for api in Api::ALL {
                if !cases.iter().any(|c| c.api == api && &c.operation_id == op) {
                    missing.push(format!("{api}::{op} ({}) has no case", group.base));
                }
            }
        }
    }
    assert!(missing.is_empty(), "{}", missing.join("\n"));

    let runtime = tokio::runtime::Runtime::new().expect("a tokio runtime");
    let report = runtime
        .block_on(run_suite(&config, &prepared, Arc::new(|_| {})))
        .expect("the suite runs against the embedded mock")
        .report;
    assert_eq!(report.verdicts.len(), cases.len());

    let mut failures = Vec::new();
    let mut passed = 0;
    let mut skipped = 0;
    for v in &report.verdicts {
        match v.outcome {
            Outcome::Pass => passed += 1,
            Outcome::Skipped => {
                let reason = v.reason.clone().unwrap_or_default();
                eprintln!("skipped: {} ({reason})", v.case_id);
                if reason.trim().is_empty() {
                    failures.push(format!("{}: skipped without a reason", v.case_id));
                }
                skipped += 1;
            }
            Outcome::Error => failures.push(format!(
                "ERROR {}: {}",
                v.case_id,
                v.reason.clone().unwrap_or_default()
            )),
            Outcome::Fail | Outcome::Known | Outcome::NowConforms | Outcome::NotServed => {
                failures.push(format!(
                    "{:?} {}\n{}",
                    v.outcome,
                    v.case_id,
                    failure_text(v)
                ));
            }
        }
    }
    eprintln!(
        "{} cases: {passed} passed, {skipped} skipped, {} did not pass",
        cases.len(),
        failures.len()
    );
    assert!(
        failures.is_empty(),
        "{} case(s) did not pass against the reference mock:\n\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[test]
fn other_entity_property_groups_are_gaps_with_a_reason() {
    let Some(path) = shared_spec() else {
        return;
    };
    let spec = load_path(&path).expect("the spec loads");
    let groups = property_groups(&spec);
    let bases: BTreeSet<&str> = groups.iter().map(|g| g.base.as_str()).collect();
    for base in IMPLEMENTED_BASES {
        assert!(bases.contains(base), "no entity-property group at {base}");
    }
    let others: Vec<&Group> = groups
        .iter()
        .filter(|g| !IMPLEMENTED_BASES.contains(&g.base.as_str()))
        .collect();
    // The spec has these at least; a new one in another spec version is checked the same way.
    for base in [
        "/issuetype/{issueTypeId}/properties",
        "/workflow/transitions/{transitionId}/properties",
    ] {
        assert!(
            others.iter().any(|g| g.base == base),
            "no entity-property group at {base}"
        );
    }

    let (cases, gaps) = generated(&spec);
    // The implemented groups reach their happy path: no operation of theirs is a gap for every
    // family.
    for group in groups
        .iter()
        .filter(|g| IMPLEMENTED_BASES.contains(&g.base.as_str()))
    {
        for op in &group.operations {
            let whole: Vec<&Gap> = gaps
                .iter()
                .filter(|g| &g.operation_id == op && g.family.is_none())
                .collect();
            assert!(
                whole.is_empty(),
                "{op} of the implemented group {} is a gap: {whole:?}",
                group.base
            );
            // What a family could not build is said, not dropped.
            for gap in gaps.iter().filter(|g| &g.operation_id == op) {
                if let Some(family) = gap.family {
                    eprintln!("not generated: {op} {family}: {}", gap.reason);
                }
            }
        }
    }

    let mut problems = Vec::new();
    for group in others {
        // The operations of the group and those sharing its tag (the workflow transition
        // properties are written by POST and PUT on the listing path).
        let mut operations: BTreeSet<&str> = group.operations.iter().map(String::as_str).collect();
        operations.extend(
            spec.operations
                .iter()
                .filter(|o| o.api_relative_path().is_some() && o.tag() == group.tag)
                .map(|o| o.operation_id.as_str()),
        );
        let resources: BTreeSet<&str> = cases
            .iter()
            .filter(|c| operations.contains(c.operation_id.as_str()))
            .map(|c| c.resource.as_str())
            .collect();
        for resource in &resources {
            assert!(
                !IMPLEMENTED.contains(resource),
                "{}: its cases are named {resource}, an implemented resource, so the suite above would select them",
                group.base
            );
        }
        // The only cases are the credential checks, which need no entity (placeholder ids:
        // authentication is decided before the path is resolved). Nothing that needs the world
        // (methods, limits, permissions, keys with a property, schema, roundtrip) is built.
        for c in cases
            .iter()
            .filter(|c| operations.contains(c.operation_id.as_str()))
        {
            let name = c.id.rsplit("::").next().unwrap_or_default();
            let credential_check = c.family == Family::Keys
                && matches!(name, "invalid_credentials" | "no_credentials");
            if !credential_check {
                problems.push(format!(
                    "{}: generated {} although the group cannot be reached",
                    group.base, c.id
                ));
            }
        }
        for op in &operations {
            let reasons: Vec<&str> = gaps
                .iter()
                .filter(|g| g.operation_id == *op && g.family.is_none())
                .map(|g| g.reason.as_str())
                .collect();
            if reasons.is_empty() || reasons.iter().any(|r| r.trim().is_empty()) {
                problems.push(format!(
                    "{}: {op} is not reported as a gap with a reason ({reasons:?})",
                    group.base
                ));
                continue;
            }
            let name = resources
                .iter()
                .next()
                .map_or_else(|| snake(&group.tag), |r| (*r).to_string());
            eprintln!("skipped {name}: {op}: {}", reasons.join("; "));
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

/// The failing case ids of the implemented property suites against a mock playing `fault`.
fn failing_with(fault: jira_conform::mock::Fault, path: PathBuf) -> Vec<String> {
    let config = Config {
        spec: Some(path),
        selection: Selection {
            filters: IMPLEMENTED.iter().map(|r| format!("::{r}::")).collect(),
            ..Selection::default()
        },
        snapshots: SnapshotChoice::Off,
        faults: vec![fault],
        ..Config::default()
    };
    let prepared = prepare(&config).expect("the spec loads");
    let runtime = tokio::runtime::Runtime::new().expect("a tokio runtime");
    let report = runtime
        .block_on(run_suite(&config, &prepared, Arc::new(|_| {})))
        .expect("the suite runs")
        .report;
    report
        .verdicts
        .iter()
        .filter(|v| v.outcome == Outcome::Fail)
        .map(|v| v.case_id.clone())
        .collect()
}

#[test]
fn the_permission_matrix_of_issue_and_project_properties_catches_their_faults() {
    use jira_conform::mock::Fault;
    let Some(path) = shared_spec() else {
        return;
    };
    let expected = [
        // Reads of an issue's properties without the check that the issue is visible.
        (
            Fault::IssuePropertyNoBrowseCheck,
            "::issue_properties::",
            "getIssueProperty::permissions::alice_on_issue_secured",
        ),
        // Project properties written by anyone.
        (
            Fault::ProjectPropertyAnyoneWrites,
            "::project_properties::",
            "setProjectProperty::permissions::bob_on_project_conf",
        ),
        // Comment properties written on other people's comments without Edit all comments.
        (
            Fault::CommentEditOwnIgnored,
            "::comment_properties::",
            "setCommentProperty::permissions::alice_on_comment_bob",
        ),
    ];
    for (fault, resource, example) in expected {
        let failing = failing_with(fault, path.clone());
        assert!(!failing.is_empty(), "{fault:?} went unnoticed");
        for id in &failing {
            assert!(
                id.contains(resource) && id.contains("::permissions::"),
                "{id} fails under {fault:?} but is not a {resource} permission case"
            );
        }
        assert!(
            failing.iter().any(|id| id.ends_with(example)),
            "{fault:?}: {example} does not fail: {failing:?}"
        );
    }
}
