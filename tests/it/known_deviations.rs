//! Known deviations: the fixtures list the cases a seeded fault breaks; with the fault the run
//! passes and reports them as known, without it the same entries are reported as now
//! conforming and fail the run, so the list never goes stale.

use std::path::PathBuf;
use std::sync::Arc;

use jira_conform::fixtures::EMBEDDED_MOCK_FIXTURES;
use jira_conform::mock::Fault;
use jira_conform::verdict::{Outcome, RunReport};
use jira_conform::{prepare, run_suite, Config, SnapshotChoice};

fn run(fixtures: Option<PathBuf>, faults: &[Fault]) -> RunReport {
    let config = Config {
        fixtures,
        faults: faults.to_vec(),
        snapshots: SnapshotChoice::Off,
        ..Config::default()
    };
    let prepared = prepare(&config).expect("inputs load");
    tokio::runtime::Runtime::new()
        .expect("runtime")
        .block_on(run_suite(&config, &prepared, Arc::new(|_| {})))
        .expect("suite runs")
        .report
}

fn ids(report: &RunReport, outcome: Outcome) -> Vec<String> {
    report
        .verdicts
        .iter()
        .filter(|v| v.outcome == outcome)
        .map(|v| v.case_id.clone())
        .collect()
}

#[test]
fn a_faults_cases_listed_as_known_pass_the_run_and_go_stale_on_a_faithful_target() {
    let fault = Fault::PostAccepted;
    let failing = ids(&run(None, &[fault]), Outcome::Fail);
    assert!(!failing.is_empty(), "{fault} breaks no case");

    let mut text = EMBEDDED_MOCK_FIXTURES.to_string();
    for id in &failing {
        text.push_str(&format!(
            "\n[[known_deviations]]\ncases = \"{id}\"\nreason = \"POST acts like PUT\"\nlink = \"https://example.test/BUG-1\"\n"
        ));
    }
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("known_deviations");
    std::fs::create_dir_all(&dir).expect("temp dir");
    let path = dir.join("known.toml");
    std::fs::write(&path, text).expect("write fixtures");

    let with_fault = run(Some(path.clone()), &[fault]);
    assert!(
        !with_fault.failed(),
        "known deviations must not fail the run"
    );
    assert_eq!(ids(&with_fault, Outcome::Known), failing);
    assert!(with_fault
        .verdicts
        .iter()
        .filter(|v| v.outcome == Outcome::Known)
        .all(|v| v
            .known
            .as_ref()
            .is_some_and(|k| k.reason == "POST acts like PUT")));

    let faithful = run(Some(path), &[]);
    assert_eq!(ids(&faithful, Outcome::NowConforms), failing);
    assert!(faithful.failed(), "a stale known deviation fails the run");
}

#[test]
fn a_glob_lists_every_matching_case() {
    let text = format!(
        "{EMBEDDED_MOCK_FIXTURES}\n[[known_deviations]]\ncases = \"v*::user_properties::set*::methods::post_refused\"\nreason = \"POST acts like PUT\"\n"
    );
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("known_deviations");
    std::fs::create_dir_all(&dir).expect("temp dir");
    let path = dir.join("glob.toml");
    std::fs::write(&path, text).expect("write fixtures");
    let report = run(Some(path), &[Fault::PostAccepted]);
    let known = ids(&report, Outcome::Known);
    assert_eq!(known.len(), 2, "{known:?}");
    assert!(known.iter().all(|id| id.ends_with("methods::post_refused")));
    assert!(!report.failed());
}
