//! Record a reference, verify another target against it, and diff two targets live.
//!
//! Snapshots are recorded from the faithful reference mock into a temporary folder; a second
//! mock, described by fixtures with other account ids and entity ids (same principal names and
//! entity labels, another profile), is verified against them: faithful, nothing drifts; with a
//! seeded fault, the fault shows up as drift in every case whose documented expectation it
//! breaks. `diff` between the faithful mock and a faulty one lists exactly the cases whose
//! normalised exchanges differ.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use jira_conform::fixtures::EMBEDDED_MOCK_FIXTURES;
use jira_conform::mock::Fault;
use jira_conform::verdict::{FailureKind, Outcome, RunReport};
use jira_conform::{prepare, run_suite, Config, SnapshotChoice};

fn temp(name: &str) -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR"))
        .join("record_verify")
        .join(name);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("temp dir");
    dir
}

fn run(config: &Config) -> RunReport {
    let prepared = prepare(config).expect("inputs load");
    tokio::runtime::Runtime::new()
        .expect("runtime")
        .block_on(run_suite(config, &prepared, Arc::new(|_| {})))
        .expect("suite runs")
        .report
}

/// The embedded fixtures as another site would have them: another profile, other account ids,
/// every entity id moved by 50000; the same principal names and entity labels.
fn other_site(dir: &Path) -> PathBuf {
    let mut text = EMBEDDED_MOCK_FIXTURES.replace("profile = \"mock\"", "profile = \"mock-b\"");
    for (old, new) in [
        (
            "5b10a2844c20165700ede210",
            "712020:0f0f0f0f-aaaa-bbbb-cccc-000000000001",
        ),
        (
            "5b10ac8d82e05b22cc7d4ef5",
            "712020:0f0f0f0f-aaaa-bbbb-cccc-000000000002",
        ),
        (
            "5b109f2e9729b51b54dc274d",
            "712020:0f0f0f0f-aaaa-bbbb-cccc-000000000003",
        ),
    ] {
        assert!(
            text.contains(old),
            "{old} is not an account id of the embedded fixtures"
        );
        text = text.replace(old, new);
    }
    let ids = regex::Regex::new(r#"(id = |items = \[)"(\d+)""#).expect("regex");
    let text = ids.replace_all(&text, |c: &regex::Captures<'_>| {
        let n: u64 = c[2].parse().expect("numeric id");
        format!("{}\"{}\"", &c[1], n + 50000)
    });
    let path = dir.join("other-site.toml");
    std::fs::write(&path, text.as_ref()).expect("write fixtures");
    path
}

/// The embedded fixtures as a real site numbers them: every kind of entity from 10000 in its
/// own sequence (in the order of its original ids), so a project, an issue, a dashboard, a
/// dashboard item and a role share the same ids.
fn kinds_share_ids(dir: &Path) -> PathBuf {
    let mut kind = String::new();
    let mut ids: std::collections::BTreeMap<String, Vec<u64>> = Default::default();
    let id_line = regex::Regex::new(r#"^(id = |items = \[)"(\d+)""#).expect("regex");
    let mut seen = |text: &str, on: &mut dyn FnMut(&str, &regex::Captures<'_>)| {
        for line in text.lines() {
            if let Some(table) = line.strip_prefix('[') {
                kind = table.split('.').next().unwrap_or("").to_string();
            }
            if let Some(c) = id_line.captures(line) {
                let k = if c[1].starts_with("items") {
                    "items".to_string()
                } else {
                    kind.clone()
                };
                on(&k, &c);
            }
        }
    };
    seen(EMBEDDED_MOCK_FIXTURES, &mut |k, c| {
        ids.entry(k.to_string())
            .or_default()
            .push(c[2].parse().expect("numeric id"));
    });
    for list in ids.values_mut() {
        list.sort_unstable();
    }
    let mut out = String::new();
    let mut renumbered = 0;
    let mut table = String::new();
    for line in EMBEDDED_MOCK_FIXTURES.lines() {
        if let Some(t) = line.strip_prefix('[') {
            table = t.split('.').next().unwrap_or("").to_string();
        }
        let replaced = id_line.captures(line).map(|c| {
            let k = if c[1].starts_with("items") {
                "items"
            } else {
                table.as_str()
            };
            let old: u64 = c[2].parse().expect("numeric id");
            let rank = ids[k].iter().position(|&i| i == old).expect("seen") as u64;
            renumbered += 1;
            line.replacen(&format!("\"{old}\""), &format!("\"{}\"", 10000 + rank), 1)
        });
        out.push_str(&replaced.unwrap_or_else(|| line.to_string()));
        out.push('\n');
    }
    assert!(renumbered >= 20, "renumbered {renumbered} ids");
    let out = out.replace("profile = \"mock\"", "profile = \"mock-shared-ids\"");
    let path = dir.join("shared-ids.toml");
    std::fs::write(&path, out).expect("write fixtures");
    path
}

fn drifted(report: &RunReport) -> BTreeSet<String> {
    report
        .verdicts
        .iter()
        .filter(|v| {
            v.failures
                .iter()
                .any(|f| f.kind == FailureKind::SnapshotDrift)
        })
        .map(|v| v.case_id.clone())
        .collect()
}

#[test]
fn a_mock_with_other_ids_verifies_against_the_recording_and_faults_drift() {
    let root = temp("snapshots");
    let record = Config {
        snapshots: SnapshotChoice::Record,
        snapshot_root: Some(root.clone()),
        ..Config::default()
    };
    let recorded = run(&record);
    assert!(!recorded.failed());
    let files = std::fs::read_dir(root.join("mock"))
        .expect("recorded set")
        .count();
    // Skipped cases (negative writes with no scratch entity) send nothing and record nothing.
    let ran = recorded
        .verdicts
        .iter()
        .filter(|v| v.outcome != Outcome::Skipped)
        .count();
    assert_eq!(files, ran, "one snapshot per case that ran");

    let fixtures = other_site(&temp("fixtures"));
    let verify = |faults: &[Fault]| {
        run(&Config {
            fixtures: Some(fixtures.clone()),
            faults: faults.to_vec(),
            snapshots: SnapshotChoice::Verify,
            snapshot_root: Some(root.clone()),
            against: Some("mock".into()),
            // Every fault must show: values, not only the shape another site is held to.
            compare: Some(jira_conform::verdict::CompareLevel::Values),
            ..Config::default()
        })
    };
    let faithful = verify(&[]);
    assert_eq!(
        drifted(&faithful),
        BTreeSet::new(),
        "the faithful mock must not drift"
    );
    assert!(!faithful.failed());
    assert!(
        !root.join("mock-b").exists(),
        "verifying against another profile writes nothing"
    );

    // These faults break operations the embedded spec does not contain, so no case can drift:
    // tests/it/mock_entity_properties.rs catches them.
    // A snapshot records the status, content type and body, not the WWW-Authenticate header:
    // a missing challenge is caught by the standard expectation alone (tests/it/faults.rs).
    let outside_the_suite = [
        Fault::IssuePropertyNoBrowseCheck,
        Fault::ProjectPropertyAnyoneWrites,
        Fault::ChallengeMissing,
    ];
    for &fault in Fault::ALL.iter().filter(|f| !outside_the_suite.contains(f)) {
        let report = verify(&[fault]);
        assert!(!drifted(&report).is_empty(), "{fault}: no drift");
        // Every case the fault breaks on the documentation drifts too: the reference recorded
        // the documented behaviour.
        let undrifted: Vec<&str> = report
            .verdicts
            .iter()
            .filter(|v| {
                v.failures
                    .iter()
                    .any(|f| f.kind != FailureKind::SnapshotDrift)
                    && !v
                        .failures
                        .iter()
                        .any(|f| f.kind == FailureKind::SnapshotDrift)
            })
            .map(|v| v.case_id.as_str())
            .collect();
        assert!(
            undrifted.is_empty(),
            "{fault}: cases failing on the documentation but not drifting: {undrifted:?}"
        );
    }
}

#[test]
fn a_world_whose_kinds_share_ids_verifies_against_the_normal_recording_without_drift() {
    let root = temp("shared-ids-snapshots");
    let recorded = run(&Config {
        snapshots: SnapshotChoice::Record,
        snapshot_root: Some(root.clone()),
        ..Config::default()
    });
    assert!(!recorded.failed());
    let fixtures = kinds_share_ids(&temp("shared-ids-fixtures"));
    let text = std::fs::read_to_string(&fixtures).expect("written");
    assert!(
        text.matches("id = \"10000\"").count() >= 5,
        "several kinds share 10000:\n{text}"
    );
    // Twice against the same mock would need a long-lived one; two runs of fresh mocks whose
    // created roles take ids of the world's other kinds show the same.
    for _ in 0..2 {
        let report = run(&Config {
            fixtures: Some(fixtures.clone()),
            snapshots: SnapshotChoice::Verify,
            snapshot_root: Some(root.clone()),
            against: Some("mock".into()),
            ..Config::default()
        });
        let drift: Vec<String> = report
            .verdicts
            .iter()
            .filter(|v| {
                v.failures
                    .iter()
                    .any(|f| f.kind == FailureKind::SnapshotDrift)
            })
            .map(|v| {
                let detail: Vec<&str> = v.failures.iter().map(|f| f.message.as_str()).collect();
                format!("{}: {}", v.case_id, detail.join(" / "))
            })
            .take(3)
            .collect();
        assert!(drift.is_empty(), "drift: {drift:#?}");
        assert!(!report.failed());
    }
}

#[test]
fn a_record_replaces_the_set_whole_and_ignores_stale_staging_folders() {
    // The staging folder another, interrupted record left must not replace or mix into the set;
    // the swap itself is two renames (see `commit_snapshots`).
    let root = temp("atomic");
    let record = Config {
        snapshots: SnapshotChoice::Record,
        snapshot_root: Some(root.clone()),
        ..Config::default()
    };
    run(&record);
    let before: Vec<_> = std::fs::read_dir(root.join("mock"))
        .expect("set")
        .map(|e| e.expect("entry").file_name())
        .collect();
    let stale = root.join(".mock.recording-1");
    std::fs::create_dir_all(&stale).expect("stale staging");
    std::fs::write(stale.join("half.snap"), "partial").expect("partial file");
    run(&record);
    let after: Vec<_> = std::fs::read_dir(root.join("mock"))
        .expect("set")
        .map(|e| e.expect("entry").file_name())
        .collect();
    assert_eq!(before.len(), after.len());
    assert!(!root.join("mock").join("half.snap").exists());
}

#[test]
fn diff_lists_exactly_the_cases_a_fault_changes() {
    let runtime = tokio::runtime::Runtime::new().expect("runtime");
    let diff = |faults_b: &[Fault]| {
        let a = Config {
            snapshots: SnapshotChoice::Off,
            ..Config::default()
        };
        let b = Config {
            faults: faults_b.to_vec(),
            // Values: some faults change only how many elements a listing has.
            compare: Some(jira_conform::verdict::CompareLevel::Values),
            ..a.clone()
        };
        let (pa, pb) = (prepare(&a).expect("A"), prepare(&b).expect("B"));
        runtime
            .block_on(jira_conform::diff::run_diff((&a, &pa), (&b, &pb)))
            .expect("diff runs")
    };
    let same = diff(&[]);
    assert!(
        !same.differs(),
        "two faithful mocks disagree: {:?}",
        same.disagreements
    );
    assert!(same.agreeing > 700);

    // The faithful mock against itself described with other ids (another site's numbering and
    // account ids): every case agrees, at the values level too.
    let other = other_site(&temp("diff-other-ids"));
    let a = Config {
        snapshots: SnapshotChoice::Off,
        ..Config::default()
    };
    let b = Config {
        fixtures: Some(other),
        compare: Some(jira_conform::verdict::CompareLevel::Values),
        ..a.clone()
    };
    let (pa, pb) = (prepare(&a).expect("A"), prepare(&b).expect("B"));
    let renamed = runtime
        .block_on(jira_conform::diff::run_diff((&a, &pa), (&b, &pb)))
        .expect("diff runs");
    let first: Vec<String> = renamed
        .disagreements
        .iter()
        .take(2)
        .map(|d| format!("{}:\n{}", d.case_id, d.diff))
        .collect();
    assert!(
        !renamed.differs(),
        "{} differ: {first:#?}",
        renamed.disagreements.len()
    );
    assert_eq!(renamed.agreeing, same.agreeing);

    // The cases the fault changes, found independently: record the faithful mock, verify the
    // faulty one against it.
    let root = temp("diff");
    run(&Config {
        snapshots: SnapshotChoice::Record,
        snapshot_root: Some(root.clone()),
        ..Config::default()
    });
    for fault in [
        Fault::AdminCheckMissing,
        Fault::WorklogMaxResultsIgnored,
        Fault::PrivateDashboardVisible,
    ] {
        let verified = run(&Config {
            faults: vec![fault],
            snapshots: SnapshotChoice::Verify,
            snapshot_root: Some(root.clone()),
            against: Some("mock".into()),
            compare: Some(jira_conform::verdict::CompareLevel::Values),
            ..Config::default()
        });
        let report = diff(&[fault]);
        let listed: BTreeSet<String> = report
            .disagreements
            .iter()
            .map(|d| d.case_id.clone())
            .collect();
        assert_eq!(listed, drifted(&verified), "{fault}");
        assert!(!listed.is_empty(), "{fault}");
    }
}
