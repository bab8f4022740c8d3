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

/// The family each fault must be caught by, and a case-id fragment at least one failing case
/// must contain.
fn expected(fault: Fault) -> (Family, &'static str) {
    match fault {
        Fault::PostAccepted => (Family::Methods, "methods::post_refused"),
        Fault::ValueLimitNotEnforced => (Family::Limits, "limits::value_32769_bytes"),
        Fault::ValueLimitOffByOne => (Family::Limits, "limits::value_32768_bytes"),
        Fault::ValueBytesAsChars => (Family::Limits, "limits::value_32769_bytes_multibyte"),
        Fault::KeyLimitNotEnforced => (Family::Limits, "limits::key_256_chars"),
        Fault::AdminCheckMissing => (Family::Permissions, "permissions::user_on_other_user"),
        Fault::AnonymousReadAllowed => (Family::Permissions, "permissions::anonymous"),
        Fault::InvalidCredentialsAccepted => {
            (Family::Permissions, "permissions::invalid_credentials")
        }
        Fault::NokeyGet404 => (Family::Keys, "keys::no_key_equals_listing"),
        Fault::PutAlways200 => (
            Family::Roundtrip,
            "roundtrip::create_update_read_list_delete",
        ),
        Fault::Delete200 => (
            Family::Roundtrip,
            "roundtrip::create_update_read_list_delete",
        ),
        Fault::StaleKeyListing => (
            Family::Roundtrip,
            "roundtrip::create_update_read_list_delete",
        ),
        Fault::AccountIdIgnored => (Family::Keys, "keys::no_account_id"),
        Fault::WrongContentType => (Family::Schema, "schema::body_200"),
        Fault::AllowHeaderMissing => (Family::Methods, "_refused"),
        Fault::MyselfActiveAsString => (Family::Schema, "myself::getCurrentUser::schema::body_200"),
        Fault::DeleteKeepsValue => (
            Family::Roundtrip,
            "roundtrip::create_update_read_list_delete",
        ),
        Fault::MissingAccountId404 => (Family::Keys, "getUserPropertyKeys::keys::no_account_id"),
    }
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

#[test]
fn every_seeded_fault_is_caught_by_its_family() {
    let mut missed = Vec::new();
    for &fault in Fault::ALL {
        let (family, fragment) = expected(fault);
        let report = run_with(&[fault]);
        let failed = failing(&report);
        if !failed
            .iter()
            .any(|(id, f)| *f == family && id.contains(fragment))
        {
            missed.push(format!(
                "{}: no failing {family} case matching {fragment:?}; failing: {:?}",
                fault.name(),
                failed
                    .iter()
                    .map(|(id, _)| id.as_str())
                    .take(8)
                    .collect::<Vec<_>>()
            ));
        }
    }
    assert!(
        missed.is_empty(),
        "faults not caught:\n{}",
        missed.join("\n")
    );
}

#[test]
fn there_are_at_least_twelve_faults() {
    assert!(Fault::ALL.len() >= 12);
}
