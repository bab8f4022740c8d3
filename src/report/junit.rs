//! JUnit XML for CI: one test suite per `api::resource`, one test case per verdict, in the
//! layout of the Ant/Jenkins JUnit schema (`docs/junit.xsd` describes what is written).

use std::collections::BTreeMap;
use std::io::Write;
use std::time::Duration;

use quick_junit::{NonSuccessKind, Report, TestCase, TestCaseStatus, TestSuite};

use super::error::ReportError;
use super::excerpt::{bounded, Limits};
use super::failure::{failure_text, headline};
use crate::case::Api;
use crate::verdict::{Outcome, RunReport, Verdict};

/// Writes `report` as JUnit XML to `out`.
///
/// The report is named `jira-conform`; suites are `v3::user_properties` and the like (API then
/// resource, sorted); each test case is named by the case id with class name
/// `api::resource::operation_id::family`. A failure's message is its first failure line and its
/// text is [`failure_text`](super::failure_text); errors and skips carry their reason.
pub fn write_junit(report: &RunReport, out: &mut dyn Write) -> Result<(), ReportError> {
    let report = &*bounded(report, Limits::TEXT);
    let mut suites: BTreeMap<(Api, &str), Vec<&Verdict>> = BTreeMap::new();
    for v in &report.verdicts {
        suites
            .entry((v.api, v.resource.as_str()))
            .or_default()
            .push(v);
    }

    let mut junit = Report::new("jira-conform");
    junit.set_time(Duration::from_millis(report.elapsed_ms));
    for ((api, resource), verdicts) in suites {
        let mut suite = TestSuite::new(format!("{api}::{resource}"));
        // CI viewers show suite properties; these say what the verdicts were measured against.
        suite.add_property(("profile", report.profile.as_str()));
        suite.add_property(("target", report.target.as_str()));
        suite.add_property(("spec", report.spec.as_str()));
        suite.set_time(Duration::from_millis(
            verdicts.iter().map(|v| v.elapsed_ms).sum(),
        ));
        // quick-junit writes skips as `disabled` only; Jenkins, GitLab and the Ant schema read
        // `skipped` for the skipped total of a suite.
        let skipped = verdicts
            .iter()
            .filter(|v| matches!(v.outcome, Outcome::Skipped | Outcome::Known))
            .count();
        suite
            .extra
            .insert("skipped".into(), skipped.to_string().into());
        suite.add_test_cases(verdicts.into_iter().map(test_case));
        junit.add_test_suite(suite);
    }

    // Serialised to memory first so a failure to build the XML and a failure to write it are
    // reported as what they are.
    let xml = junit.to_string().map_err(ReportError::Junit)?;
    out.write_all(xml.as_bytes())
        .and_then(|()| out.flush())
        .map_err(|source| ReportError::Io {
            format: "JUnit",
            source,
        })
}

/// The test case of one verdict.
fn test_case(v: &Verdict) -> TestCase {
    let status = match v.outcome {
        Outcome::Pass => TestCaseStatus::success(),
        Outcome::Fail | Outcome::Error | Outcome::NowConforms | Outcome::NotServed => {
            let (kind, ty) = match (v.outcome, v.failures.first()) {
                (Outcome::Fail, Some(first)) => (NonSuccessKind::Failure, first.kind.name()),
                (Outcome::Fail, None) => (NonSuccessKind::Failure, "fail"),
                (Outcome::NowConforms, _) => (NonSuccessKind::Failure, "now_conforms"),
                // It fails the run, so CI shows it as a failure, typed apart.
                (Outcome::NotServed, _) => (NonSuccessKind::Failure, "not_served"),
                _ => (NonSuccessKind::Error, "error"),
            };
            let mut status = TestCaseStatus::non_success(kind);
            status
                .set_message(headline(v))
                .set_type(ty)
                .set_description(failure_text(v));
            status
        }
        // JUnit has no expected failure: a known deviation is a skip that says why.
        Outcome::Skipped | Outcome::Known => {
            let mut status = TestCaseStatus::skipped();
            status.set_message(headline(v));
            if v.outcome == Outcome::Known {
                status.set_description(failure_text(v));
            }
            status
        }
    };
    let mut case = TestCase::new(v.case_id.as_str(), status);
    case.set_classname(format!(
        "{}::{}::{}::{}",
        v.api, v.resource, v.operation_id, v.family
    ))
    .set_time(Duration::from_millis(v.elapsed_ms));
    case
}

#[cfg(test)]
mod tests {
    use quick_junit::Report;

    use super::*;
    use crate::report::failure::failure_text;
    use crate::report::sample::{self, SKIP_READ_ONLY};

    fn xml() -> String {
        let mut out = Vec::new();
        write_junit(&sample::report(), &mut out).unwrap();
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn counts_of_cases_failures_errors_and_skips() {
        let xml = xml();
        assert!(xml.starts_with("<?xml"), "{xml}");
        assert_eq!(xml.matches("<testsuite ").count(), 3, "{xml}");
        assert_eq!(xml.matches("<testcase ").count(), 14, "{xml}");
        // Failures: 2 failed cases, the now-conforming one and the 2 cases of the operation not
        // served (they fail the run); skips: 3 skipped cases and the known deviation.
        assert_eq!(xml.matches("<failure ").count(), 5, "{xml}");
        assert_eq!(xml.matches("<error ").count(), 1, "{xml}");
        assert_eq!(xml.matches("<skipped ").count(), 4, "{xml}");
        assert!(
            xml.contains(r#"<testsuites name="jira-conform" tests="14" failures="5" errors="1""#)
        );
        assert!(!xml.contains('\x1b'));
        assert!(
            xml.contains(
                r#"<testsuite name="v3::issue_properties" tests="5" disabled="1" errors="0" failures="3" time="0.015" skipped="1">"#
            ),
            "{xml}"
        );
        assert!(xml.contains(r#"time="10.028" skipped="2">"#), "{xml}");
    }

    #[test]
    fn parses_back_with_names_classes_and_texts() {
        let report = Report::deserialize_from_str(&xml()).expect("valid JUnit XML");
        assert_eq!(report.name.as_str(), "jira-conform");
        let names: Vec<&str> = report.test_suites.iter().map(|s| s.name.as_str()).collect();
        assert_eq!(
            names,
            [
                "v2::user_properties",
                "v3::issue_properties",
                "v3::user_properties"
            ]
        );

        let sample = sample::report();
        let cases: Vec<&TestCase> = report
            .test_suites
            .iter()
            .flat_map(|s| &s.test_cases)
            .collect();
        assert_eq!(cases.len(), sample.verdicts.len());
        for v in &sample.verdicts {
            let case = cases
                .iter()
                .find(|c| c.name.as_str() == v.case_id)
                .unwrap_or_else(|| panic!("{} missing", v.case_id));
            let classname = format!(
                "{}::{}::{}::{}",
                v.api, v.resource, v.operation_id, v.family
            );
            assert_eq!(
                case.classname.as_ref().map(|c| c.as_str()),
                Some(classname.as_str())
            );
            assert_eq!(case.time, Some(Duration::from_millis(v.elapsed_ms)));
            match (&case.status, v.outcome) {
                (TestCaseStatus::Success { .. }, Outcome::Pass) => {}
                (
                    TestCaseStatus::NonSuccess {
                        kind,
                        message,
                        description,
                        ..
                    },
                    Outcome::Fail | Outcome::Error,
                ) => {
                    let expected = if v.outcome == Outcome::Fail {
                        NonSuccessKind::Failure
                    } else {
                        NonSuccessKind::Error
                    };
                    assert_eq!(*kind, expected);
                    assert_eq!(message.as_deref(), Some(headline(v).as_str()));
                    assert_eq!(description.as_deref(), Some(failure_text(v).as_str()));
                }
                (
                    TestCaseStatus::NonSuccess {
                        kind: NonSuccessKind::Failure,
                        message,
                        ty,
                        description,
                        ..
                    },
                    Outcome::NowConforms | Outcome::NotServed,
                ) => {
                    assert_eq!(ty.as_deref(), Some(v.outcome.name()));
                    assert_eq!(message.as_deref(), Some(headline(v).as_str()));
                    assert_eq!(description.as_deref(), Some(failure_text(v).as_str()));
                }
                (
                    TestCaseStatus::Skipped { message, .. },
                    Outcome::Skipped | Outcome::NotServed,
                ) => {
                    assert_eq!(message.as_deref(), v.reason.as_deref());
                }
                (
                    TestCaseStatus::Skipped {
                        message,
                        description,
                        ..
                    },
                    Outcome::Known,
                ) => {
                    assert_eq!(message.as_deref(), Some(headline(v).as_str()));
                    assert_eq!(description.as_deref(), Some(failure_text(v).as_str()));
                }
                (status, outcome) => panic!("{}: {outcome:?} written as {status:?}", v.case_id),
            }
        }
        let round = cases.iter().find(|c| c.name.ends_with("::round")).unwrap();
        assert!(matches!(
            &round.status,
            TestCaseStatus::Skipped { message: Some(m), .. } if m.as_str() == SKIP_READ_ONLY
        ));
    }

    #[test]
    fn a_write_error_names_the_format() {
        struct Refuse;
        impl Write for Refuse {
            fn write(&mut self, _: &[u8]) -> std::io::Result<usize> {
                Err(std::io::Error::other("disk full"))
            }
            fn flush(&mut self) -> std::io::Result<()> {
                Ok(())
            }
        }
        let error = write_junit(&sample::report(), &mut Refuse).unwrap_err();
        assert!(matches!(
            error,
            ReportError::Io {
                format: "JUnit",
                ..
            }
        ));
        assert_eq!(
            error.to_string(),
            "cannot write the JUnit report: disk full"
        );
    }
}
