//! The generator on Atlassian's own spec (`../shared/specs/`, data, not part of the project):
//! with the embedded fixtures it generates cases for every operation of the brief, in at least
//! the families it gets from our spec. Skipped with a message when the file is absent.

use std::collections::BTreeSet;

use jira_conform::case::{Api, Family};
use jira_conform::fixtures::Fixtures;
use jira_conform::generate::generate;
use jira_conform::spec::{embedded, load_path};

use crate::support::shared;

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
    let Some(path) = shared::real_spec(shared::SPEC_2025) else {
        return;
    };
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

fn real_2025() -> Option<jira_conform::spec::Spec> {
    let path = shared::real_spec(shared::SPEC_2025)?;
    Some(load_path(&path).expect("the real spec loads"))
}

/// The 405 cases of the real spec that send `method` to `path`.
fn refused_at(cases: &[jira_conform::case::Case], method: &str, path: &str) -> Vec<String> {
    cases
        .iter()
        .filter(|c| {
            c.steps.iter().any(|s| {
                s.request.method == method
                    && s.request.path == path
                    && s.expect.status == jira_conform::case::StatusExpectation::Exact(405)
            })
        })
        .map(|c| c.id.clone())
        .collect()
}

/// Regression: `DELETE /dashboard/gadgets` is deleteDashboard for id `gadgets` and
/// `PUT /issue/createmeta` is editIssue for issue `createmeta`; neither is an undocumented
/// method, although the literal template beside them documents only GET.
#[test]
fn a_method_another_matching_template_documents_is_not_refused() {
    let Some(real) = real_2025() else { return };
    let fixtures = Fixtures::embedded().expect("embedded fixtures");
    let cases = generate(&real, &fixtures, &[Api::V3]).expect("generates");
    // The literal templates do produce refused cases (so the check below is not vacuous).
    assert!(
        !refused_at(&cases, "POST", "/rest/api/3/dashboard/gadgets").is_empty(),
        "POST /dashboard/gadgets is documented by no template and must stay a 405 case"
    );
    for (method, path) in [
        ("DELETE", "/rest/api/3/dashboard/gadgets"),
        ("PUT", "/rest/api/3/dashboard/gadgets"),
        ("PUT", "/rest/api/3/issue/createmeta"),
        ("DELETE", "/rest/api/3/issue/createmeta"),
    ] {
        let wrong = refused_at(&cases, method, path);
        assert!(
            wrong.is_empty(),
            "{method} {path} is documented by a matching template, yet expected 405 by {wrong:?}"
        );
    }
    // The Allow header the remaining 405 cases expect is the literal resource's.
    let post = cases
        .iter()
        .flat_map(|c| &c.steps)
        .find(|s| s.request.method == "POST" && s.request.path == "/rest/api/3/dashboard/gadgets")
        .expect("the POST probe");
    let allow = post.expect.allow.clone().expect("an Allow expectation");
    assert_eq!(allow, ["GET"]);
}

/// Regression: updateWorklog's documented 400 causes do not include "at least one field must
/// be given and change"; no expectation may quote a rule the spec does not state, so those
/// updates are observations and the one limits case quotes the spec's own words.
#[test]
fn update_worklog_expectations_quote_the_spec() {
    let Some(real) = real_2025() else { return };
    let fixtures = Fixtures::embedded().expect("embedded fixtures");
    let cases = generate(&real, &fixtures, &[Api::V3]).expect("generates");
    let worklog: Vec<_> = cases
        .iter()
        .filter(|c| c.operation_id == "updateWorklog")
        .collect();
    assert!(
        !worklog.is_empty(),
        "no updateWorklog case from the real spec"
    );
    for case in &worklog {
        for step in &case.steps {
            let text = step.expect.provenance.to_string();
            assert!(
                !text.contains("at least one field must be given"),
                "{} quotes a rule the spec does not state: {text}",
                case.id
            );
        }
    }
    let (_, op) = real.operation("updateWorklog").expect("updateWorklog");
    let bad_request = op
        .responses
        .iter()
        .find(|r| r.status == "400")
        .expect("a documented 400");
    let limits = worklog
        .iter()
        .find(|c| c.id.ends_with("::limits::new_estimate_missing"))
        .expect("the estimate case");
    let jira_conform::case::Provenance::Spec { text, .. } = &limits.steps[0].expect.provenance
    else {
        panic!("the estimate case cites the spec");
    };
    let quoted = text.split_once("Returned if: ").expect("a quotation").1;
    let quoted = quoted.trim_end_matches('.');
    assert!(
        bad_request.description.contains(quoted),
        "{quoted:?} is not in the documented 400: {:?}",
        bad_request.description
    );
    for name in ["empty_update", "unchanged_update"] {
        let case = worklog
            .iter()
            .find(|c| c.id.ends_with(&format!("::observations::{name}")))
            .unwrap_or_else(|| panic!("{name} is an observation"));
        assert_eq!(
            case.steps[0].expect.status,
            jira_conform::case::StatusExpectation::Observe
        );
    }
}

/// `list --coverage` counts, per family, the checks the documentation implies (read-back,
/// isolation, standard expectations, links) on every real spec, as on ours.
#[test]
fn coverage_counts_the_implied_checks_on_every_real_spec() {
    let mut specs: Vec<Option<std::path::PathBuf>> = vec![None];
    for file in [shared::SPEC_2021, shared::SPEC_2022, shared::SPEC_2025] {
        if let Some(path) = shared::real_spec(file) {
            specs.push(Some(path));
        }
    }
    for spec in specs {
        let config = jira_conform::Config {
            spec: spec.clone(),
            ..jira_conform::Config::default()
        };
        let coverage = jira_conform::coverage(&config).expect("coverage");
        let count = |family: Family, kind: &str| {
            coverage
                .families
                .iter()
                .find(|f| f.family == family)
                .and_then(|f| f.implied.get(kind).copied())
                .unwrap_or(0)
        };
        let name = spec.map_or("ours".into(), |p| p.display().to_string());
        for (family, kind) in [
            (Family::Permissions, "read_back"),
            (Family::Roundtrip, "read_back"),
            (Family::Roundtrip, "isolation"),
            (Family::Roundtrip, "links"),
            (Family::Parameters, "links"),
            (Family::Parameters, "expand"),
            (Family::Keys, "standard"),
            (Family::Limits, "standard"),
        ] {
            assert!(
                count(family, kind) > 0,
                "{name}: no {kind} check counted in {family}"
            );
        }
    }
}

/// Standard expectations cite their RFC section, and `[standards]` in the fixtures turns each
/// off for a site known to depart.
#[test]
fn standard_expectations_cite_the_rfc_and_can_be_turned_off() {
    use jira_conform::case::{BodyCheck, Provenance, StatusExpectation};
    let ours = embedded().expect("our spec loads");
    let count = |fixtures: &Fixtures| {
        let cases = generate(&ours, fixtures, &[Api::V3]).expect("generates");
        let mut challenges = 0;
        let mut media = 0;
        for step in cases.iter().flat_map(|c| &c.steps) {
            for check in &step.expect.body {
                if let BodyCheck::Header { name, provenance } = check {
                    assert_eq!(name, "WWW-Authenticate");
                    assert!(
                        matches!(provenance, Provenance::Standard { reference, .. } if reference == "RFC 9110 §11.6.1")
                    );
                    challenges += 1;
                }
            }
            if step.expect.status == StatusExpectation::Exact(415) {
                assert!(
                    matches!(&step.expect.provenance, Provenance::Standard { reference, .. } if reference == "RFC 9110 §15.5.16"),
                    "{:?}",
                    step.expect.provenance
                );
                media += 1;
            }
        }
        (challenges, media)
    };
    let on = Fixtures::embedded().expect("embedded fixtures");
    let (challenges, media) = count(&on);
    assert!(
        challenges > 0 && media > 0,
        "{challenges} challenges, {media} 415 cases"
    );
    let text = format!(
        "{}\n[standards]\nwww_authenticate = false\nunsupported_media_type = false\n",
        jira_conform::fixtures::EMBEDDED_MOCK_FIXTURES
    );
    let off = Fixtures::parse(&text, "off.toml", &|_| None).expect("fixtures with [standards]");
    assert_eq!(count(&off), (0, 0));
}
