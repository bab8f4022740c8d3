//! Self-tests of the harness: the faithful mock passes every case, and each seeded fault is
//! caught by a failing case of the family it breaks. The expected families are written here,
//! from what each fault breaks in the documentation, not read from the generator.

use std::sync::Arc;

use jira_conform::case::Family;
use jira_conform::mock::Fault;
use jira_conform::verdict::{Outcome, RunReport};
use jira_conform::{prepare, run_suite, Config, SnapshotChoice};

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

/// Faults of operations the embedded spec does not contain, so no suite case can catch them:
/// their detection tests are in tests/mock_entity_properties.rs (the `fault_` tests), and the
/// guard below does not ask for one here.
const CAUGHT_OUTSIDE_THE_SUITE: &[Fault] = &[
    Fault::IssuePropertyNoBrowseCheck,
    Fault::ProjectPropertyAnyoneWrites,
];

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
    worklog_empty_update_accepted: WorklogEmptyUpdateAccepted => Limits, ["updateWorklog::limits::unchanged_update"];
    notification_schemes_unordered: NotificationSchemesUnordered => Parameters, ["getNotificationSchemes::parameters::ordered_by_name"];
    notification_schemes_unfiltered: NotificationSchemesUnfiltered => Permissions, ["getNotificationSchemes::permissions::bob_sees_own_schemes"];
    role_created_with_default_actors: RoleCreatedWithDefaultActors => Roundtrip, ["createProjectRole::roundtrip::create_then_listed"];
    role_duplicate_name_accepted: RoleDuplicateNameAccepted => Roundtrip, ["createProjectRole::roundtrip::create_then_listed"];
    role_create_open_to_all: RoleCreateOpenToAll => Permissions, ["createProjectRole::permissions::alice"];
    project_roles_open_to_all: ProjectRolesOpenToAll => Permissions, ["getProjectRoles::permissions::bob_on_project_conf"];
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
