//! The fixtures' world drives both the reference mock and the generator's expectations. These
//! tests change one fact of the embedded world (time tracking off, attachments off, a worklog
//! restricted to a role instead of a group, a dashboard shared with a project) and show that the
//! expectations follow the fact and the faithful mock still passes every case.

use std::path::PathBuf;
use std::sync::Arc;

use jira_conform::case::{Case, StatusExpectation};
use jira_conform::fixtures::EMBEDDED_MOCK_FIXTURES;
use jira_conform::verdict::Outcome;
use jira_conform::{prepare, run_suite, Config, SnapshotChoice};

/// Runs the suite on the embedded world with `from` replaced by `to`; returns the cases and
/// the ids of those that did not pass.
fn run_variant(name: &str, from: &str, to: &str) -> (Vec<Case>, Vec<String>) {
    assert!(
        EMBEDDED_MOCK_FIXTURES.contains(from),
        "{from:?} is not in the embedded fixtures"
    );
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("world_variants");
    std::fs::create_dir_all(&dir).expect("temp dir");
    let path = dir.join(format!("{name}.toml"));
    std::fs::write(&path, EMBEDDED_MOCK_FIXTURES.replacen(from, to, 1)).expect("write fixtures");
    let config = Config {
        fixtures: Some(path),
        snapshots: SnapshotChoice::Off,
        ..Config::default()
    };
    let prepared = prepare(&config).expect("the variant loads");
    let runtime = tokio::runtime::Runtime::new().expect("runtime");
    let report = runtime
        .block_on(run_suite(&config, &prepared, Arc::new(|_| {})))
        .expect("suite runs")
        .report;
    let failed = report
        .verdicts
        .iter()
        .filter(|v| !matches!(v.outcome, Outcome::Pass | Outcome::Skipped))
        .map(|v| v.case_id.clone())
        .collect();
    (prepared.cases.to_vec(), failed)
}

/// The status the last step of a case expects.
fn expected(cases: &[Case], id: &str) -> StatusExpectation {
    let case = cases
        .iter()
        .find(|c| c.id == id)
        .unwrap_or_else(|| panic!("no case {id}"));
    case.steps.last().expect("a step").expect.status.clone()
}

#[test]
fn time_tracking_off_means_204_and_no_worklogs() {
    let (cases, failed) = run_variant(
        "timetracking_off",
        "[timetracking]\nenabled = true",
        "[timetracking]\nenabled = false",
    );
    assert_eq!(failed, Vec::<String>::new());
    assert_eq!(
        expected(
            &cases,
            "v3::time_tracking::getSelectedTimeTrackingImplementation::permissions::admin"
        ),
        StatusExpectation::Exact(204)
    );
    assert_eq!(
        expected(
            &cases,
            "v3::issue_worklogs::getIssueWorklog::permissions::alice_on_issue_open"
        ),
        StatusExpectation::Exact(404)
    );
}

#[test]
fn attachments_off_means_404_for_everyone() {
    let (cases, failed) = run_variant(
        "attachments_off",
        "[attachment_settings]\nenabled = true",
        "[attachment_settings]\nenabled = false",
    );
    assert_eq!(failed, Vec::<String>::new());
    assert_eq!(
        expected(
            &cases,
            "v3::issue_attachments::getAttachment::permissions::bob_on_attachment_secured"
        ),
        StatusExpectation::Exact(404)
    );
}

#[test]
fn a_worklog_restricted_to_a_role_follows_the_role_actors() {
    // Administrators of CONF are alice only: she now sees 10401 and bob does not.
    let (cases, failed) = run_variant(
        "worklog_role",
        "visibility = \"group:reviewers\"",
        "visibility = \"role:Administrators\"",
    );
    assert_eq!(failed, Vec::<String>::new());
    assert_eq!(
        expected(
            &cases,
            "v3::issue_worklogs::getWorklog::permissions::alice_on_worklog_restricted"
        ),
        StatusExpectation::Exact(200)
    );
    assert_eq!(
        expected(
            &cases,
            "v3::issue_worklogs::getWorklog::permissions::bob_on_worklog_restricted"
        ),
        StatusExpectation::Exact(404)
    );
}

#[test]
fn a_dashboard_shared_with_a_project_is_visible_to_its_browsers() {
    // The hidden project is browsed by the admin only: sharing alice's private board with it shows it to him.
    let (cases, failed) = run_variant(
        "dashboard_project",
        "owner = \"alice\"\nitems = [\"10010\"]",
        "owner = \"alice\"\nshared_with = [\"project:hidden\"]\nitems = [\"10010\"]",
    );
    assert_eq!(failed, Vec::<String>::new());
    assert_eq!(
        expected(
            &cases,
            "v3::dashboards::getDashboard::permissions::admin_on_dashboard_private"
        ),
        StatusExpectation::Exact(200)
    );
    assert_eq!(
        expected(
            &cases,
            "v3::dashboards::getDashboard::permissions::bob_on_dashboard_private"
        ),
        StatusExpectation::Exact(404)
    );
}
