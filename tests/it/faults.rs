//! Self-tests of the harness: the faithful mock passes every case, and each seeded fault is
//! caught by a failing case of the family it breaks. The expected families are written here,
//! from what each fault breaks in the documentation, not read from the generator.

use std::path::PathBuf;
use std::sync::Arc;

use jira_conform::case::{Actor, Family, StatusExpectation};
use jira_conform::fixtures::Fixtures;
use jira_conform::mock::{Fault, MockServer};
use jira_conform::verdict::{Outcome, RunReport};
use jira_conform::{prepare, run_cases, run_suite, Config, SnapshotChoice};
use serde_json::Value;

use crate::support::shared;

fn run_with(faults: &[Fault]) -> RunReport {
    let config = Config {
        faults: faults.to_vec(),
        snapshots: SnapshotChoice::Off,
        ..Config::default()
    };
    let prepared = prepare(&config).expect("embedded inputs load");
    let runtime = tokio::runtime::Runtime::new().expect("runtime");
    runtime
        .block_on(run_suite(&config, &prepared, Arc::new(|_| {})))
        .expect("suite runs")
        .report
}

fn failing(report: &RunReport) -> Vec<(String, Family)> {
    report
        .verdicts
        .iter()
        .filter(|v| v.outcome != Outcome::Pass && v.outcome != Outcome::Skipped)
        .map(|v| (v.case_id.clone(), v.family))
        .collect()
}

/// Runs the suite with one fault and checks a failing case of `family` whose id contains every
/// fragment.
fn caught(fault: Fault, family: Family, fragments: &[&str]) {
    let report = run_with(&[fault]);
    let failed = failing(&report);
    assert!(
        failed
            .iter()
            .any(|(id, f)| *f == family && fragments.iter().all(|fr| id.contains(fr))),
        "{}: no failing {family} case matching {fragments:?}; failing: {:?}",
        fault.name(),
        failed
            .iter()
            .map(|(id, _)| id.as_str())
            .take(12)
            .collect::<Vec<_>>()
    );
}

/// Faults no suite case can catch on the documentation (the guard below does not ask for a
/// test of a fault listed here).
const CAUGHT_OUTSIDE_THE_SUITE: &[Fault] = &[
    // The documentation states no rule an empty update breaks: its case is an observation,
    // so only the recorded snapshot catches it (the test below).
    Fault::WorklogEmptyUpdateAccepted,
];

/// An empty worklog update accepted departs from the recorded reference, not from the
/// documentation (its 400 list does not name it): the observation's snapshot catches it.
#[test]
fn worklog_empty_update_accepted_is_caught_by_the_snapshot_only() {
    let config = Config {
        faults: vec![Fault::WorklogEmptyUpdateAccepted],
        snapshots: SnapshotChoice::Verify,
        ..Config::default()
    };
    let prepared = prepare(&config).expect("embedded inputs load");
    let runtime = tokio::runtime::Runtime::new().expect("runtime");
    let report = runtime
        .block_on(run_suite(&config, &prepared, Arc::new(|_| {})))
        .expect("suite runs")
        .report;
    let failed = failing(&report);
    assert!(
        failed.iter().any(|(id, f)| *f == Family::Observations
            && id.contains("updateWorklog::observations::unchanged_update")),
        "the observation did not drift: {failed:?}"
    );
    let off = run_with(&[Fault::WorklogEmptyUpdateAccepted]);
    assert!(
        failing(&off).is_empty(),
        "with snapshots off nothing documented should fail: {:?}",
        failing(&off)
    );
}

/// One test per fault: the family it must be caught by, and fragments of the failing case's id,
/// written from what the fault breaks in the documentation.
macro_rules! fault_tests {
    ($($name:ident: $fault:ident => $family:ident, [$($fragment:expr),+ $(,)?];)+) => {
        $(
            #[test]
            fn $name() {
                caught(Fault::$fault, Family::$family, &[$($fragment),+]);
            }
        )+

        #[test]
        fn every_fault_has_its_test() {
            let tested = [$(Fault::$fault),+];
            let untested: Vec<&str> = Fault::ALL
                .iter()
                .filter(|f| !tested.contains(f) && !CAUGHT_OUTSIDE_THE_SUITE.contains(f))
                .map(|f| f.name())
                .collect();
            assert!(untested.is_empty(), "faults without a test: {untested:?}");
        }
    };
}

fault_tests! {
    post_accepted: PostAccepted => Methods, ["user_properties::", "methods::post_refused"];
    value_limit_not_enforced: ValueLimitNotEnforced => Limits, ["user_properties::", "limits::value_32769_bytes"];
    value_limit_off_by_one: ValueLimitOffByOne => Limits, ["user_properties::", "limits::value_32768_bytes"];
    value_bytes_as_chars: ValueBytesAsChars => Limits, ["user_properties::", "limits::value_32769_bytes_multibyte"];
    key_limit_not_enforced: KeyLimitNotEnforced => Limits, ["user_properties::", "limits::key_256_chars"];
    admin_check_missing: AdminCheckMissing => Permissions, ["permissions::user_on_other_user"];
    anonymous_read_allowed: AnonymousReadAllowed => Permissions, ["user_properties::", "permissions::anonymous"];
    invalid_credentials_accepted: InvalidCredentialsAccepted => Permissions, ["permissions::invalid_credentials"];
    nokey_get_404: NokeyGet404 => Keys, ["user_properties::", "keys::no_key_equals_listing"];
    put_always_200: PutAlways200 => Roundtrip, ["user_properties::", "roundtrip::create_update_read_list_delete"];
    delete_200: Delete200 => Roundtrip, ["user_properties::", "roundtrip::create_update_read_list_delete"];
    stale_key_listing: StaleKeyListing => Roundtrip, ["user_properties::", "roundtrip::create_update_read_list_delete"];
    account_id_ignored: AccountIdIgnored => Keys, ["keys::no_account_id"];
    wrong_content_type: WrongContentType => Schema, ["schema::body_200"];
    allow_header_missing: AllowHeaderMissing => Methods, ["_refused"];
    myself_active_as_string: MyselfActiveAsString => Schema, ["myself::getCurrentUser::schema::body_200"];
    delete_keeps_value: DeleteKeepsValue => Roundtrip, ["user_properties::", "roundtrip::create_update_read_list_delete"];
    missing_account_id_404: MissingAccountId404 => Keys, ["getUserPropertyKeys::keys::no_account_id"];
    attachment_security_ignored: AttachmentSecurityIgnored => Permissions, ["getAttachment::permissions::alice_on_attachment_secured"];
    attachment_meta_admin_only: AttachmentMetaAdminOnly => Permissions, ["getAttachmentMeta::permissions::alice_reads_settings"];
    timetracking_open_to_all: TimetrackingOpenToAll => Permissions, ["getSelectedTimeTrackingImplementation::permissions::alice"];
    private_dashboard_visible: PrivateDashboardVisible => Permissions, ["getDashboard::permissions::bob_on_dashboard_private"];
    dashboard_group_share_ignored: DashboardGroupShareIgnored => Permissions, ["getDashboard::permissions::bob_on_dashboard_for_reviewers"];
    item_property_shared_user_writes: ItemPropertySharedUserWrites => Permissions, ["setDashboardItemProperty::permissions::bob_on_dashboard_for_bob"];
    item_value_limit_not_enforced: ItemValueLimitNotEnforced => Limits, ["dashboard_item_properties::", "limits::value_32769_bytes"];
    item_put_always_200: ItemPutAlways200 => Roundtrip, ["dashboard_item_properties::", "roundtrip::create_update_read_list_delete"];
    issue_security_ignored: IssueSecurityIgnored => Permissions, ["getIssue::permissions::alice_on_issue_secured"];
    fields_exclusion_ignored: FieldsExclusionIgnored => Parameters, ["getIssue::parameters::fields_excluded"];
    issue_key_case_sensitive: IssueKeyCaseSensitive => Keys, ["getIssue::keys::key_lower_case"];
    worklog_visibility_ignored: WorklogVisibilityIgnored => Permissions, ["getWorklog::permissions::alice_on_worklog_restricted"];
    worklog_update_clears_unset: WorklogUpdateClearsUnset => Roundtrip, ["updateWorklog::roundtrip::partial_update_keeps_other_fields"];
    worklog_max_results_ignored: WorklogMaxResultsIgnored => Parameters, ["getIssueWorklog::parameters::max_results"];
    notification_schemes_unordered: NotificationSchemesUnordered => Parameters, ["getNotificationSchemes::parameters::ordered_by_name"];
    notification_schemes_unfiltered: NotificationSchemesUnfiltered => Permissions, ["getNotificationSchemes::permissions::bob_sees_own_schemes"];
    role_created_with_default_actors: RoleCreatedWithDefaultActors => Roundtrip, ["createProjectRole::roundtrip::create_then_listed"];
    role_duplicate_name_accepted: RoleDuplicateNameAccepted => Roundtrip, ["createProjectRole::roundtrip::create_then_listed"];
    role_create_open_to_all: RoleCreateOpenToAll => Permissions, ["createProjectRole::permissions::alice"];
    project_roles_open_to_all: ProjectRolesOpenToAll => Permissions, ["getProjectRoles::permissions::bob_on_project_conf"];
    credentials_unchecked: CredentialsUnchecked => Keys, ["setUserProperty::keys::invalid_credentials"];
    credentials_unchecked_worklog: CredentialsUnchecked => Keys, ["updateWorklog::keys::invalid_credentials"];
    credentials_unchecked_no_credentials: CredentialsUnchecked => Keys, ["createProjectRole::keys::no_credentials"];
    credentials_unchecked_anonymous_cell: CredentialsUnchecked => Permissions, ["createProjectRole::permissions::anonymous"];
    permissions_unchecked: PermissionsUnchecked => Permissions, ["setUserProperty::permissions::user_on_other_user"];
    permissions_unchecked_world: PermissionsUnchecked => Permissions, ["updateWorklog::permissions::bob_on_worklog_scratch"];
    only_user_properties: OnlyUserProperties => Methods, ["myself::getCurrentUser::methods::"];
    json_string_bodies: JsonStringBodies => Schema, ["myself::getCurrentUser::schema::body_200"];
    challenge_missing: ChallengeMissing => Keys, ["getCurrentUser::keys::no_credentials"];
    challenge_missing_on_writes: ChallengeMissing => Keys, ["setUserProperty::keys::invalid_credentials"];
    media_type_unchecked: MediaTypeUnchecked => Limits, ["setUserProperty::limits::unsupported_media_type"];
    refused_write_stored: RefusedWriteStored => Permissions, ["setUserProperty::permissions::user_on_other_user"];
    property_listing_shared: PropertyListingShared => Roundtrip, ["setUserProperty::roundtrip::isolated_"];
    next_page_repeats: NextPageRepeats => Parameters, ["getNotificationSchemes::parameters::first_page"];
    key_self_without_account: KeySelfWithoutAccount => Roundtrip, ["setUserProperty::roundtrip::create_update_read_list_delete"];
    expand_ignored: ExpandIgnored => Parameters, ["getCurrentUser::parameters::expand_groups"];
    media_type_unchecked_roles: MediaTypeUnchecked => Limits, ["createProjectRole::limits::unsupported_media_type"];
    v2_rich_text_as_adf: V2RichTextAsAdf => Schema, ["v2::", "getWorklog::schema::body_200"];
    v2_rich_text_as_adf_issue: V2RichTextAsAdf => Schema, ["v2::", "getIssue::schema::body_200"];
    key_chars_as_bytes: KeyCharsAsBytes => Limits, ["user_properties::", "limits::key_255_chars_multibyte"];
    key_chars_as_bytes_item: KeyCharsAsBytes => Limits, ["dashboard_item_properties::", "limits::key_255_chars_multibyte"];
    delete_missing_204: DeleteMissing204 => Roundtrip, ["deleteUserProperty::roundtrip::delete_missing_404"];
    issue_property_no_browse_check: IssuePropertyNoBrowseCheck => Permissions, ["issue_properties::getIssueProperty::permissions::"];
    project_property_anyone_writes: ProjectPropertyAnyoneWrites => Permissions, ["project_properties::setProjectProperty::permissions::"];
    project_key_case_ignored: ProjectKeyCaseIgnored => Keys, ["getProjectPropertyKeys::keys::owner_key_other_case"];
    comment_edit_own_ignored: CommentEditOwnIgnored => Permissions, ["setCommentProperty::permissions::alice_on_comment_bob"];
    permissions_unchecked_comments: PermissionsUnchecked => Permissions, ["setCommentProperty::permissions::bob_on_comment_admins_only"];
    over_limit_write_stored: OverLimitWriteStored => Limits, ["issue_properties::", "limits::value_32769_bytes"];
    over_limit_write_stored_project: OverLimitWriteStored => Limits, ["project_properties::", "limits::value_32769_bytes_multibyte"];
    issue_property_listing_shared: IssuePropertyListingShared => Roundtrip, ["setIssueProperty::roundtrip::isolated_from_other_issue"];
    project_property_read_shared: ProjectPropertyReadShared => Roundtrip, ["setProjectProperty::roundtrip::isolated_from_other_project"];
    refused_comment_stored: RefusedCommentStored => Limits, ["updateWorklog::limits::comment_in_the_other_format"];
}

#[test]
fn faithful_mock_passes_every_case() {
    let report = run_with(&[]);
    assert!(
        report.verdicts.len() > 100,
        "the suite ran only {} cases",
        report.verdicts.len()
    );
    assert_eq!(
        failing(&report),
        vec![],
        "the faithful mock must have no failures"
    );
}

/// A target that does not check credentials fails every credential case that runs: each case
/// whose checked request goes without credentials, or with wrong ones, and expects the 401.
#[test]
fn credentials_unchecked_fails_every_credential_case() {
    let report = run_with(&[Fault::CredentialsUnchecked]);
    let failed: Vec<String> = failing(&report).into_iter().map(|(id, _)| id).collect();
    let prepared = prepare(&Config::default()).expect("embedded inputs load");
    let credential_cases: Vec<&str> = prepared
        .cases
        .iter()
        .filter(|c| c.skip.is_none())
        .filter(|c| {
            c.headline().is_some_and(|s| {
                matches!(
                    s.request.actor,
                    Actor::Anonymous | Actor::InvalidCredentials
                ) && s.expect.status == StatusExpectation::Exact(401)
            })
        })
        .map(|c| c.id.as_str())
        .collect();
    assert!(
        credential_cases.len() > 100,
        "only {} credential cases",
        credential_cases.len()
    );
    let passed: Vec<&&str> = credential_cases
        .iter()
        .filter(|id| !failed.iter().any(|f| f == *id))
        .collect();
    assert!(
        passed.is_empty(),
        "credential cases that did not notice: {passed:?}"
    );
}

/// The two faults of a target that checks nothing: any request, with wrong credentials or none,
/// is served as an administrator, and every principal may do everything.
const CHECKS_NOTHING: [Fault; 2] = [Fault::CredentialsUnchecked, Fault::PermissionsUnchecked];

/// A dump with what a change-and-restore legitimately leaves: a worklog's last-update time
/// (the roundtrip and permission cases update the scratch worklogs and restore their content,
/// as they would on real Jira, where `updated` moves on too).
fn comparable(mut dump: Value) -> Value {
    if let Some(worklogs) = dump.get_mut("worklogs").and_then(Value::as_array_mut) {
        for w in worklogs {
            if let Some(w) = w.as_object_mut() {
                w.remove("updated");
            }
        }
    }
    dump
}

/// Runs every case of `spec` (`None`: the embedded spec) with the mock's fixtures against a
/// mock that checks nothing; returns its dumps before and after, and how many steps it accepted
/// although they were sent without valid credentials.
fn run_against_a_mock_that_checks_nothing(
    spec: Option<PathBuf>,
    name: &str,
) -> (Value, Value, usize) {
    let runtime = tokio::runtime::Runtime::new().expect("runtime");
    runtime.block_on(async {
        let fixtures = Fixtures::embedded().expect("embedded fixtures");
        let mock = MockServer::start(&fixtures, &CHECKS_NOTHING)
            .await
            .expect("mock starts");
        let before = mock.dump();
        let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("checks_nothing");
        std::fs::create_dir_all(&dir).expect("temp dir");
        let config = Config {
            spec,
            target: Some(mock.base_url.clone()),
            snapshots: SnapshotChoice::Off,
            journal: Some(dir.join(format!("journal-{name}.jsonl"))),
            ..Config::default()
        };
        let prepared = prepare(&config).expect("inputs load");
        let (_, runs) = run_cases(&config, &prepared, Arc::new(|_| {}))
            .await
            .expect("the run runs");
        let after = mock.dump();
        let sent = runs
            .iter()
            .flatten()
            .filter(|r| !r.exchanges.is_empty())
            .count();
        eprintln!(
            "{name}: {} cases, {sent} sent at least one request",
            prepared.cases.len()
        );
        // What the faults let through: steps sent as nobody (or with a wrong token) that the
        // mock accepted, so the test shows the negative cases did reach a careless target.
        let accepted = prepared
            .cases
            .iter()
            .zip(&runs)
            .filter_map(|(case, run)| Some((case, run.as_ref()?)))
            .flat_map(|(case, run)| {
                run.exchanges.iter().filter(move |ex| {
                    let step = &case.steps[ex.step];
                    matches!(
                        step.request.actor,
                        Actor::Anonymous | Actor::InvalidCredentials
                    ) && ex
                        .response
                        .as_ref()
                        .is_ok_and(|r| (200..300).contains(&r.status))
                })
            })
            .count();
        eprintln!("{name}: {accepted} steps without valid credentials accepted");
        mock.stop().await;
        (before, after, accepted)
    })
}

/// Issue 14: on a target that does not check credentials, a credential case deleted a world
/// issue and another created a worklog. Every case of the embedded spec, run against a mock
/// that checks neither credentials nor permissions, leaves its world as it began.
#[test]
fn negative_cases_leave_a_mock_that_checks_nothing_as_it_began() {
    let (before, after, accepted) = run_against_a_mock_that_checks_nothing(None, "embedded");
    assert!(
        accepted > 20,
        "only {accepted} steps without valid credentials were accepted: the faults did not act"
    );
    assert_eq!(comparable(after), comparable(before));
}

/// The same with every case of the real 2025 platform spec and the mock's fixtures.
#[test]
fn negative_cases_of_the_full_spec_leave_a_mock_that_checks_nothing_as_it_began() {
    let Some(spec) = shared::real_spec(shared::SPEC_2025) else {
        return;
    };
    let (before, after, accepted) = run_against_a_mock_that_checks_nothing(Some(spec), "2025");
    assert!(
        accepted > 20,
        "only {accepted} steps without valid credentials were accepted"
    );
    assert_eq!(comparable(after), comparable(before));
}

/// The dump the tests above compare notices a write: a property stored with wrong credentials
/// on a mock that does not check them.
#[test]
fn the_dump_shows_a_write_let_through() {
    let runtime = tokio::runtime::Runtime::new().expect("runtime");
    runtime.block_on(async {
        let fixtures = Fixtures::embedded().expect("embedded fixtures");
        let mock = MockServer::start(&fixtures, &CHECKS_NOTHING)
            .await
            .expect("mock starts");
        let before = mock.dump();
        let alice = &fixtures.principal("alice").expect("alice").account_id;
        let response = reqwest::Client::new()
            .put(format!(
                "{}/rest/api/3/user/properties/left-behind?accountId={alice}",
                mock.base_url
            ))
            .basic_auth("nobody@example.test", Some("wrong"))
            .header("Content-Type", "application/json")
            .body("1")
            .send()
            .await
            .expect("the mock answers");
        assert_eq!(response.status().as_u16(), 201);
        let after = mock.dump();
        assert_ne!(comparable(after.clone()), comparable(before));
        assert_eq!(after["user_properties"][alice]["left-behind"], 1);
        mock.stop().await;
    });
}

/// A mock that serves only the user-property operations: every other operation reads as one
/// `not_served` entry, none of its cases as a failure of its family, and the terminal names each
/// such operation on one line and nowhere else.
#[test]
fn only_user_properties_leaves_every_other_operation_not_served() {
    let report = run_with(&[Fault::OnlyUserProperties]);
    let mut others: Vec<String> = Vec::new();
    for v in &report.verdicts {
        if v.resource == "user_properties" {
            assert!(
                matches!(v.outcome, Outcome::Pass | Outcome::Skipped),
                "{} is {:?}: {:?}",
                v.case_id,
                v.outcome,
                v.failures
            );
        } else if v.outcome != Outcome::Skipped {
            assert_eq!(
                v.outcome,
                Outcome::NotServed,
                "{}: {:?} {:?}",
                v.case_id,
                v.reason,
                v.exchanges.iter().map(|e| &e.response).collect::<Vec<_>>()
            );
            assert!(v.failures.is_empty(), "{}", v.case_id);
            others.push(format!("{}::{}::{}", v.api, v.resource, v.operation_id));
        }
    }
    others.sort();
    others.dedup();
    assert!(others.len() > 10, "only {} operations", others.len());
    let listed = jira_conform::report::not_served(&report);
    assert_eq!(listed.len(), others.len());
    let mut out = Vec::new();
    // Verbose: one line per operation not served, however many there are.
    jira_conform::report::write_terminal(
        &report,
        &mut out,
        &jira_conform::report::TerminalOptions {
            verbose: true,
            ..Default::default()
        },
    )
    .expect("terminal");
    let text = String::from_utf8(out).expect("UTF-8");
    // One line per operation, or, past the terminal's limit, one per resource.
    for op in &others {
        let resource = op.rsplit_once("::").map_or(op.as_str(), |x| x.0);
        let lines: Vec<&str> = text
            .lines()
            .filter(|l| l.contains("NOT SERVED"))
            .filter(|l| l.contains(&format!("{op} ")) || l.contains(&format!("{op}::")))
            .collect();
        let lines = if lines.is_empty() {
            text.lines()
                .filter(|l| l.contains("NOT SERVED") && l.contains(&format!("{resource}:")))
                .collect()
        } else {
            lines
        };
        assert_eq!(lines.len(), 1, "{op}: {lines:?}\n{text}");
        assert!(lines[0].contains("NOT SERVED"), "{}", lines[0]);
    }
    assert!(!text.contains("root causes"), "{text}");
}

/// The suite with these faults, one case at a time: with several at once, a write served
/// despite wrong credentials may change a scratch worklog while another case reads it.
fn run_sequentially(faults: &[Fault]) -> RunReport {
    let config = Config {
        faults: faults.to_vec(),
        snapshots: SnapshotChoice::Off,
        concurrency: Some(1),
        ..Config::default()
    };
    let prepared = prepare(&config).expect("embedded inputs load");
    let runtime = tokio::runtime::Runtime::new().expect("runtime");
    runtime
        .block_on(run_suite(&config, &prepared, Arc::new(|_| {})))
        .expect("suite runs")
        .report
}

/// A target that checks no credentials, double-encodes its JSON objects and keeps deleted
/// values reads as exactly those root causes, each with its cases, in a screenful of output.
#[test]
fn a_broken_target_reads_as_its_root_causes_in_few_lines() {
    let faults = [
        Fault::CredentialsUnchecked,
        Fault::JsonStringBodies,
        Fault::DeleteKeepsValue,
    ];
    let report = run_sequentially(&faults);
    let causes = jira_conform::report::root_causes(&report);
    let keys: Vec<(&str, usize)> = causes.iter().map(|c| (c.key.as_str(), c.count)).collect();
    let mut names: Vec<&str> = keys.iter().map(|(k, _)| *k).collect();
    names.sort_unstable();
    assert_eq!(
        names,
        [
            "credentials_not_checked",
            "json_string_bodies",
            "state_not_kept"
        ],
        "{keys:?}"
    );
    let cause = |key: &str| {
        causes
            .iter()
            .find(|c| c.key == key)
            .unwrap_or_else(|| panic!("{key}: {keys:?}"))
    };
    // Each fault measured on its own: the cases it fails are the cases of its cause.
    let alone = |fault: Fault| -> Vec<String> {
        failing(&run_sequentially(&[fault]))
            .into_iter()
            .map(|(id, _)| id)
            .collect()
    };
    let credentials = alone(Fault::CredentialsUnchecked);
    assert_eq!(cause("credentials_not_checked").cases, credentials);
    let state = alone(Fault::DeleteKeepsValue);
    assert_eq!(cause("state_not_kept").cases, state);
    // Double encoding breaks every object a 2xx carries: the cases it breaks alone, and the
    // credential cases whose refusal became a served (double-encoded) body.
    let strings = alone(Fault::JsonStringBodies);
    let json = &cause("json_string_bodies").cases;
    assert!(strings.iter().all(|id| json.contains(id)));
    let strays: Vec<&String> = json
        .iter()
        // A read-back that finds a deleted value double-encoded shows both faults.
        .filter(|id| !strings.contains(id) && !credentials.contains(id) && !state.contains(id))
        .collect();
    assert!(strays.is_empty(), "{strays:#?}");
    // Every failed case is under one of the three.
    let failed = report.count(Outcome::Fail);
    assert!(failed > 300, "only {failed} failed cases");
    for v in report
        .verdicts
        .iter()
        .filter(|v| v.outcome == Outcome::Fail)
    {
        assert!(
            causes.iter().any(|c| c.cases.contains(&v.case_id)),
            "{} under no cause",
            v.case_id
        );
    }
    let mut out = Vec::new();
    jira_conform::report::write_terminal(
        &report,
        &mut out,
        &jira_conform::report::TerminalOptions::default(),
    )
    .expect("terminal");
    let text = String::from_utf8(out).expect("UTF-8");
    let lines = text.lines().count();
    assert!(lines <= 120, "{lines} lines:\n{text}");
    for title in [
        "does not check credentials",
        "answers JSON strings instead of objects",
        "keeps no state",
    ] {
        assert!(text.contains(title), "{title}:\n{text}");
    }
    assert!(text.contains("reproduce: curl"), "{text}");
}

#[test]
fn live_failures_count_what_the_report_counts() {
    use std::sync::atomic::{AtomicUsize, Ordering};
    let counter = Arc::new(AtomicUsize::new(0));
    let config = Config {
        faults: vec![Fault::AdminCheckMissing],
        snapshots: SnapshotChoice::Off,
        live_failures: Some(counter.clone()),
        ..Config::default()
    };
    let prepared = prepare(&config).expect("inputs load");
    let report = tokio::runtime::Runtime::new()
        .expect("runtime")
        .block_on(run_suite(&config, &prepared, Arc::new(|_| {})))
        .expect("suite runs")
        .report;
    let failed = report.count(Outcome::Fail) + report.count(Outcome::Error);
    assert!(failed > 0);
    assert_eq!(counter.load(Ordering::SeqCst), failed);
}
