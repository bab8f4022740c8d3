//! Every real spec in `../shared/specs/` generates in every family it can, and the coverage
//! report accounts for every operation: cases, or a reason for each family without any.

use jira_conform::case::{Api, Family};
use jira_conform::coverage::{coverage, Coverage};
use jira_conform::fixtures::Fixtures;
use jira_conform::generate::generate_with_gaps;
use jira_conform::report::write_coverage;
use jira_conform::select::{operation_filter, Selection};

use crate::support::shared;

fn coverage_of(file: &str) -> Option<Coverage> {
    let path = shared::real_spec(file)?;
    let spec = jira_conform::spec::load_path(&path).expect("the spec loads");
    let fixtures = Fixtures::embedded().unwrap();
    let generated = generate_with_gaps(&spec, &fixtures, &Api::ALL).expect("generation works");
    let again = generate_with_gaps(&spec, &fixtures, &Api::ALL).unwrap();
    assert!(
        generated
            .cases
            .iter()
            .map(|c| &c.id)
            .eq(again.cases.iter().map(|c| &c.id)),
        "generating twice gives other ids or another order"
    );
    let selection = Selection::default();
    let filter = operation_filter(&spec, &selection).unwrap();
    Some(coverage(&spec, &generated.cases, &generated.gaps, &filter))
}

/// Checks what every spec must satisfy and prints the counts for the issue note.
fn check(c: &Coverage, families: &[Family], min_share: f64) {
    let mut text = Vec::new();
    write_coverage(&mut text, c, false, false).unwrap();
    let text = String::from_utf8(text).unwrap();
    assert!(text.starts_with("Coverage of "), "{text}");
    eprintln!(
        "{}: {} of {} operations with cases ({:.1}%), {} cases",
        c.spec,
        c.covered,
        c.operations,
        c.covered as f64 * 100.0 / c.operations as f64,
        c.cases
    );
    for f in &c.families {
        eprintln!(
            "  {:<13} {:>5} cases on {:>4} operations",
            f.family.name(),
            f.cases,
            f.operations
        );
    }
    for family in families {
        let f = c.families.iter().find(|f| f.family == *family).unwrap();
        assert!(f.cases > 0, "no {family} case from {}", c.spec);
    }
    let share = c.covered as f64 / c.operations as f64;
    assert!(
        share >= min_share,
        "only {share:.3} of operations have cases"
    );
    // Never silently dropped: each operation lists its cases, and each family without cases
    // says why.
    for op in c.tags.iter().flat_map(|t| &t.operations) {
        assert_eq!(
            op.cases.len() + op.missing.len(),
            Family::ALL.len(),
            "{}",
            op.operation_id
        );
        for m in &op.missing {
            assert!(
                !m.reasons.is_empty() && m.reasons.iter().all(|r| !r.trim().is_empty()),
                "{} has no reason for {}",
                op.operation_id,
                m.family
            );
        }
    }
}

#[test]
fn platform_2021_11_23() {
    if let Some(c) = coverage_of("jira-platform-v3.2021-11-23.json") {
        check(&c, &Family::ALL, 0.85);
    }
}

#[test]
fn platform_2022_07_16() {
    if let Some(c) = coverage_of("jira-platform-v3.2022-07-16.json") {
        check(&c, &Family::ALL, 0.85);
    }
}

#[test]
fn platform_2025_07_30() {
    if let Some(c) = coverage_of("jira-platform-v3.2025-07-30.json") {
        check(&c, &Family::ALL, 0.85);
        let op = |id: &str| {
            c.tags
                .iter()
                .flat_map(|t| &t.operations)
                .find(|o| o.operation_id == id)
                .unwrap_or_else(|| panic!("{id} is in the 2025 spec"))
        };
        // Entity properties whose owner the fixtures' world has get the property families.
        for id in [
            "setIssueProperty",
            "setProjectProperty",
            "setWorklogProperty",
            "setCommentProperty",
        ] {
            let cases = &op(id).cases;
            for family in [Family::Limits, Family::Roundtrip, Family::Keys] {
                assert!(cases.contains_key(&family), "{id} has no {family} case");
            }
        }
        // Those whose owner it lacks are listed with the missing fixture, not dropped.
        let issue_type = op("setIssueTypeProperty");
        assert!(!issue_type.cases.contains_key(&Family::Roundtrip));
        let why = &issue_type
            .missing
            .iter()
            .find(|m| m.family == Family::Roundtrip)
            .unwrap()
            .reasons;
        assert!(
            why.iter().any(|r| r == "no fixture for `{issueTypeId}`"),
            "{why:?}"
        );
    }
}

#[test]
fn software_agile_2022_07_16() {
    // No entity the agile API addresses (boards, sprints) is in the fixtures' world, so its
    // cases are the ones that need none: credentials, methods and bounds of parameterless
    // reads.
    if let Some(c) = coverage_of("jira-software-agile.2022-07-16.json") {
        check(
            &c,
            &[
                Family::Methods,
                Family::Keys,
                Family::Schema,
                Family::Limits,
            ],
            0.5,
        );
    }
}
