//! The generator on Atlassian's own spec (`../shared/specs/`, data, not part of the project):
//! with the embedded fixtures it generates cases for every operation of the brief, in at least
//! the families it gets from our spec. Skipped with a message when the file is absent.

use std::collections::BTreeSet;
use std::path::Path;

use jira_conform::case::{Api, Family};
use jira_conform::fixtures::Fixtures;
use jira_conform::generate::generate;
use jira_conform::spec::{embedded, load_path};

const BRIEF: [&str; 17] = [
    "getAttachmentMeta",
    "getAttachment",
    "getSelectedTimeTrackingImplementation",
    "getDashboard",
    "getDashboardItemPropertyKeys",
    "getDashboardItemProperty",
    "setDashboardItemProperty",
    "deleteDashboardItemProperty",
    "getIssue",
    "getIssueWorklog",
    "getWorklog",
    "updateWorklog",
    "getNotificationSchemes",
    "getProjectRoles",
    "getProjectRoleDetails",
    "createProjectRole",
    "getCurrentUser",
];

#[test]
fn the_real_spec_yields_cases_for_every_operation_of_the_brief() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../shared/specs/jira-platform-v3.2025-07-30.json");
    if !path.exists() {
        eprintln!(
            "skipped: {} not found (the real Jira spec lives in ../shared/specs)",
            path.display()
        );
        return;
    }
    let real = load_path(&path).expect("the real spec loads");
    let ours = embedded().expect("our spec loads");
    let fixtures = Fixtures::embedded().expect("embedded fixtures");
    let real_cases = generate(&real, &fixtures, &[Api::V3]).expect("generates");
    let our_cases = generate(&ours, &fixtures, &[Api::V3]).expect("generates");
    let families = |cases: &[jira_conform::case::Case], op: &str| -> BTreeSet<Family> {
        cases
            .iter()
            .filter(|c| c.operation_id == op)
            .map(|c| c.family)
            .collect()
    };
    for op in BRIEF {
        let real_families = families(&real_cases, op);
        assert!(
            !real_families.is_empty(),
            "no case for {op} from the real spec"
        );
        // The real spec may give more (it documents a JSON body on some 204s); never fewer.
        let ours = families(&our_cases, op);
        assert!(
            ours.is_subset(&real_families),
            "{op}: our spec gives {ours:?}, the real one only {real_families:?}"
        );
    }
}
