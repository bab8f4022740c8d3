//! The findings of a run as the bug-report formats (Markdown, HTML) present them: failed cases
//! split by discrepancy kind and grouped by operation, plus the known, now-conforming, errored
//! and skipped cases. Pure: the writers only lay this out.

use std::collections::BTreeMap;

use serde_json::Value;

use super::discrepancy::{classify, expected_class, Discrepancy, ExpectedStatus};
use super::style::{clean_line, cut};
use crate::case::{Api, Provenance};
use crate::exchange::{Exchange, Received};
use crate::verdict::{Failure, FailureDetail, FailureKind, Outcome, RunReport, Verdict};

/// Characters of an offending schema value shown; enough to recognise it.
const VALUE_CHARS: usize = 200;

/// Request bodies longer than this are not inlined in the curl reproduction (it reads them from
/// `body.json`, as `check::reproduce` writes it), so the bug-report formats show how they start.
const INLINE_BODY_BYTES: usize = 2048;

/// Characters of such a body shown.
const SENT_CHARS: usize = 80;

/// The failures of one case that show one discrepancy.
#[derive(Debug, Clone)]
pub(super) struct Finding<'a> {
    /// The case.
    pub verdict: &'a Verdict,
    /// What the target does wrong.
    pub discrepancy: Discrepancy,
    /// The case's failures of this discrepancy, in the case's order.
    pub failures: Vec<&'a Failure>,
}

impl<'a> Finding<'a> {
    /// The exchanges the failures concern, each once, in step order. Snapshot drift concerns
    /// the whole case: its diff shows what changed, so no single exchange is picked.
    pub fn exchanges(&self) -> Vec<Step<'a>> {
        let mut steps: Vec<usize> = self
            .failures
            .iter()
            .filter(|f| f.kind != FailureKind::SnapshotDrift)
            .map(|f| f.step)
            .collect();
        steps.sort_unstable();
        steps.dedup();
        steps
            .into_iter()
            .map(|step| Step {
                step,
                exchange: exchange_of(self.verdict, step),
            })
            .collect()
    }

    /// The failures in order, each with the provenance to quote after it: several failures of
    /// one kind usually share their provenance (five schema violations of one body), so the
    /// words are quoted once, where they change. A drift's provenance only names the snapshot,
    /// which the diff already shows: it is never quoted and does not interrupt a run.
    pub fn failures_quoting(&self) -> Vec<(&'a Failure, Option<&'a Provenance>)> {
        let mut last_provenance = None;
        self.failures
            .iter()
            .map(|&failure| {
                let provenance = match failure.kind {
                    FailureKind::SnapshotDrift => None,
                    _ => failure.provenance.as_ref(),
                };
                let quote = provenance.filter(|p| last_provenance != Some(*p));
                if provenance.is_some() {
                    last_provenance = provenance;
                }
                (failure, quote)
            })
            .collect()
    }

    /// Where a schema violation among this finding's failures is and what is there, as
    /// [`schema_location`] reads it from the exchange of the failure's step.
    pub fn schema_location(&self, failure: &Failure) -> Option<(String, Option<String>)> {
        let exchange = self
            .exchanges()
            .into_iter()
            .find(|s| s.step == failure.step)
            .and_then(|s| s.exchange);
        schema_location(failure, exchange)
    }
}

/// A step a finding concerns, and its exchange if one was recorded.
#[derive(Debug, Clone, Copy)]
pub(super) struct Step<'a> {
    /// The step index.
    pub step: usize,
    /// What was sent and received at that step.
    pub exchange: Option<&'a Exchange>,
}

impl<'a> Step<'a> {
    /// The step of a recorded exchange.
    pub fn recorded(exchange: &'a Exchange) -> Self {
        Step {
            step: exchange.step,
            exchange: Some(exchange),
        }
    }
}

/// Every finding about one operation of one API version.
#[derive(Debug, Clone)]
pub(super) struct Operation<'a> {
    /// API version.
    pub api: Api,
    /// Resource, e.g. `user_properties`.
    pub resource: &'a str,
    /// The operation id.
    pub operation_id: &'a str,
    /// The findings by discrepancy, in [`Discrepancy::ALL`] order; cases in run order.
    pub kinds: Vec<(Discrepancy, Vec<Finding<'a>>)>,
}

/// What the bug-report formats show of a run.
#[derive(Debug, Clone)]
pub(super) struct Findings<'a> {
    /// Failed cases by operation, then by discrepancy. Operations whose most specific
    /// discrepancy comes first in [`Discrepancy::ALL`] come first (a limit not enforced before
    /// mere snapshot drift), then by resource, operation id and API version, so both versions
    /// of an operation usually sit together.
    pub operations: Vec<Operation<'a>>,
    /// Cases that fail as a known deviation of the fixtures says.
    pub known: Vec<&'a Verdict>,
    /// Cases listed as known deviations that now behave as documented.
    pub now_conforms: Vec<&'a Verdict>,
    /// Cases that could not be run to the end.
    pub errors: Vec<&'a Verdict>,
    /// Each distinct skip reason and how many cases it skipped, most frequent first.
    pub skip_reasons: Vec<(&'a str, usize)>,
}

impl Findings<'_> {
    /// How many cases were skipped, whatever the reason.
    pub fn skipped(&self) -> usize {
        self.skip_reasons.iter().map(|(_, n)| n).sum()
    }

    /// How many findings there are, whatever their discrepancy.
    pub fn total(&self) -> usize {
        self.counts().iter().map(|(_, n)| n).sum()
    }

    /// How many findings show each discrepancy, in [`Discrepancy::ALL`] order, absent ones out.
    pub fn counts(&self) -> Vec<(Discrepancy, usize)> {
        let mut counts: BTreeMap<Discrepancy, usize> = BTreeMap::new();
        for op in &self.operations {
            for (d, findings) in &op.kinds {
                *counts.entry(*d).or_default() += findings.len();
            }
        }
        counts.into_iter().collect()
    }
}

/// The findings of `report`.
pub(super) fn findings(report: &RunReport) -> Findings<'_> {
    type Key<'a> = (&'a str, &'a str, Api);
    let mut operations: BTreeMap<Key<'_>, BTreeMap<Discrepancy, Vec<Finding<'_>>>> =
        BTreeMap::new();
    let mut known = Vec::new();
    let mut now_conforms = Vec::new();
    let mut errors = Vec::new();
    let mut skips: BTreeMap<&str, usize> = BTreeMap::new();
    for v in &report.verdicts {
        match v.outcome {
            Outcome::Pass => {}
            Outcome::Fail => {
                let kinds = operations
                    .entry((v.resource.as_str(), v.operation_id.as_str(), v.api))
                    .or_default();
                for finding in verdict_findings(v) {
                    kinds.entry(finding.discrepancy).or_default().push(finding);
                }
            }
            // Listed once per operation, from `fidelity::not_served`.
            Outcome::NotServed => {}
            Outcome::Known => known.push(v),
            Outcome::NowConforms => now_conforms.push(v),
            Outcome::Error => errors.push(v),
            Outcome::Skipped => {
                *skips
                    .entry(v.reason.as_deref().unwrap_or("no reason recorded"))
                    .or_default() += 1;
            }
        }
    }
    let mut skip_reasons: Vec<(&str, usize)> = skips.into_iter().collect();
    // Stable sort of a reason-ordered list: ties stay alphabetical, the output deterministic.
    skip_reasons.sort_by_key(|&(_, n)| std::cmp::Reverse(n));
    let mut operations: Vec<Operation<'_>> = operations
        .into_iter()
        .map(|((resource, operation_id, api), kinds)| Operation {
            api,
            resource,
            operation_id,
            kinds: kinds.into_iter().collect(),
        })
        .collect();
    // Stable: within one leading discrepancy the name order of the map stays.
    operations.sort_by_key(|op| op.kinds.first().map(|(d, _)| *d));
    Findings {
        operations,
        known,
        now_conforms,
        errors,
        skip_reasons,
    }
}

/// A verdict's failures split by discrepancy, in [`Discrepancy::ALL`] order. A failed case
/// without any recorded failure still gets a finding (a wrong status with no failure listed), so
/// it is not lost from the report.
pub(super) fn verdict_findings(v: &Verdict) -> Vec<Finding<'_>> {
    let mut by_kind: BTreeMap<Discrepancy, Vec<&Failure>> = BTreeMap::new();
    for failure in &v.failures {
        by_kind
            .entry(discrepancy_of(v, failure))
            .or_default()
            .push(failure);
    }
    if by_kind.is_empty() && v.outcome == Outcome::Fail {
        by_kind.insert(Discrepancy::WrongStatus, Vec::new());
    }
    by_kind
        .into_iter()
        .map(|(discrepancy, failures)| Finding {
            verdict: v,
            discrepancy,
            failures,
        })
        .collect()
}

/// The discrepancies a verdict shows, in [`Discrepancy::ALL`] order (for the known deviations,
/// whose failures are not listed by discrepancy).
pub(super) fn verdict_discrepancies(v: &Verdict) -> Vec<Discrepancy> {
    verdict_findings(v).iter().map(|f| f.discrepancy).collect()
}

/// The exchanges of `v` that got no response (why a case could not be run to the end).
pub(super) fn unanswered(v: &Verdict) -> impl Iterator<Item = &Exchange> {
    v.exchanges.iter().filter(|e| e.response.is_err())
}

/// A failure's text (its detail's `Display`): the first line and the lines after it.
pub(super) fn detail_lines(failure: &Failure) -> (String, Vec<String>) {
    let text = failure.detail.to_string();
    let mut lines = text.lines().map(str::to_string);
    let first = lines.next().unwrap_or_default();
    (first, lines.collect())
}

/// The unified diff of a snapshot drift, when there is a reference to differ from.
pub(super) fn drift_diff(failure: &Failure) -> Option<&str> {
    match &failure.detail {
        FailureDetail::SnapshotDrift {
            diff: Some(diff), ..
        } => Some(diff),
        _ => None,
    }
}

/// What was tested, as `(label, value)`: target, profile and spec.
pub(super) fn run_fields(report: &RunReport) -> [(&'static str, &str); 3] {
    [
        ("target", report.target.as_str()),
        ("profile", report.profile.as_str()),
        ("spec", report.spec.as_str()),
    ]
}

/// The discrepancy of one failure of `v`.
pub(super) fn discrepancy_of(v: &Verdict, failure: &Failure) -> Discrepancy {
    let (observed, expected) = match failure.detail.status() {
        Some((expected, got)) => (Some(got), expected_class(expected)),
        None => (
            exchange_of(v, failure.step)
                .and_then(|e| e.response.as_ref().ok())
                .map(|r| r.status),
            ExpectedStatus::Unknown,
        ),
    };
    classify(failure.kind, v.family, observed, expected)
}

/// The exchange recorded for `step`.
fn exchange_of(v: &Verdict, step: usize) -> Option<&Exchange> {
    v.exchanges.iter().find(|e| e.step == step)
}

/// Where a schema violation is and what is there: `(pointer, value)`, the value compact JSON
/// cut to a readable length; `None` when the violation has no location.
///
/// The value is read from the body of the exchange the failure concerns, which holds no
/// credential (the runner never records one).
pub(super) fn schema_location(
    failure: &Failure,
    exchange: Option<&Exchange>,
) -> Option<(String, Option<String>)> {
    let FailureDetail::SchemaViolation {
        pointer: Some(pointer),
        ..
    } = &failure.detail
    else {
        return None;
    };
    let pointer = pointer.as_str();
    let value = exchange
        .and_then(|e| e.response.as_ref().ok())
        .and_then(Received::json)
        .and_then(|body| {
            // The checks write the root as `/`, which RFC 6901 reads as the key "".
            if pointer == "/" {
                Some(body)
            } else {
                body.pointer(pointer).cloned()
            }
        })
        .map(|value| cut(&clean_line(&compact(&value)), VALUE_CHARS));
    Some((clean_line(pointer), value))
}

/// A JSON value on one line.
fn compact(value: &Value) -> String {
    serde_json::to_string(value).unwrap_or_else(|_| value.to_string())
}

/// `PUT http://…/x as alice (sent 12 bytes, application/json)`: the request of an exchange on
/// one line, control characters escaped.
pub(super) fn request_line(exchange: &Exchange) -> String {
    let request = &exchange.request;
    let mut line = format!(
        "{} {} as {}",
        clean_line(&request.method),
        clean_line(&request.url),
        clean_line(&request.actor)
    );
    if let Some(body) = &request.body {
        // The size is what limits cases are about; the body itself is in the curl command.
        let content_type = request.content_type.as_deref().unwrap_or("no content type");
        line.push_str(&format!(
            " (sent {} bytes, {})",
            body.len(),
            clean_line(content_type)
        ));
    }
    line
}

/// The start of a request body too large for the curl command, and its size in bytes.
pub(super) fn large_body(exchange: &Exchange) -> Option<(String, usize)> {
    let body = exchange.request.body.as_ref()?;
    (body.len() > INLINE_BODY_BYTES).then(|| (cut(&clean_line(body), SENT_CHARS), body.len()))
}

/// `3 passed`: a count and its word, singular or plural.
pub(super) fn counted(n: usize, singular: &str, plural: &str) -> String {
    format!("{n} {}", if n == 1 { singular } else { plural })
}

/// The totals sentence shared by the Markdown and HTML headers: `10 cases: 4 passed, 2 failed,
/// 1 error, 3 skipped` (known and now-conforming counts only when there are some).
pub(super) fn totals_sentence(report: &RunReport) -> String {
    let mut parts = vec![
        counted(report.count(Outcome::Pass), "passed", "passed"),
        counted(report.count(Outcome::Fail), "failed", "failed"),
        counted(report.count(Outcome::Error), "error", "errors"),
        counted(report.count(Outcome::Skipped), "skipped", "skipped"),
    ];
    for (outcome, word) in [
        (Outcome::Known, "known"),
        (Outcome::NowConforms, "now conforming"),
        (Outcome::NotServed, "not served"),
    ] {
        let n = report.count(outcome);
        if n > 0 {
            parts.push(format!("{n} {word}"));
        }
    }
    format!(
        "{}: {}",
        counted(report.verdicts.len(), "case", "cases"),
        parts.join(", ")
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::sample;

    #[test]
    fn failed_cases_are_grouped_by_operation_then_discrepancy() {
        let report = sample::report();
        let findings = findings(&report);
        let ops: Vec<(String, &str)> = findings
            .operations
            .iter()
            .map(|o| (format!("{}::{}", o.api, o.resource), o.operation_id))
            .collect();
        assert_eq!(ops, [("v3::user_properties".to_owned(), "setUserProperty")]);
        let kinds: Vec<Discrepancy> = findings.operations[0]
            .kinds
            .iter()
            .map(|(d, _)| *d)
            .collect();
        // The limits case: 400 expected, 201 observed; the drift case: one finding per kind.
        assert_eq!(kinds[0], Discrepancy::LimitNotEnforced);
        assert!(kinds.contains(&Discrepancy::SnapshotDrift));
        assert!(kinds.contains(&Discrepancy::AllowHeader));
        assert!(kinds.contains(&Discrepancy::SchemaViolation));
        let mut sorted = kinds.clone();
        sorted.sort();
        assert_eq!(kinds, sorted, "kinds in report order");
        assert_eq!(findings.known.len(), report.count(Outcome::Known));
        assert_eq!(
            findings.now_conforms.len(),
            report.count(Outcome::NowConforms)
        );
        assert_eq!(findings.errors.len(), 1);
        assert_eq!(
            findings.skip_reasons,
            [(sample::SKIP_PRINCIPAL, 2), (sample::SKIP_READ_ONLY, 1)]
        );
        let counted: usize = findings.counts().iter().map(|(_, n)| n).sum();
        let listed: usize = findings
            .operations
            .iter()
            .flat_map(|o| &o.kinds)
            .map(|(_, f)| f.len())
            .sum();
        assert_eq!(counted, listed);
    }

    #[test]
    fn operations_with_specific_discrepancies_come_first() {
        let mut report = sample::report();
        for v in &mut report.verdicts {
            if v.case_id.ends_with("::drift") {
                // Alphabetically first, but only drifting.
                v.operation_id = "aDriftingOperation".into();
                v.failures.retain(|f| f.kind == FailureKind::SnapshotDrift);
            }
        }
        let findings = findings(&report);
        let order: Vec<&str> = findings.operations.iter().map(|o| o.operation_id).collect();
        assert_eq!(order, ["setUserProperty", "aDriftingOperation"]);
    }

    #[test]
    fn a_finding_shows_the_exchanges_of_its_steps_once() {
        let report = sample::report();
        let limits = report
            .verdicts
            .iter()
            .find(|v| v.case_id.ends_with("value_32769_bytes"))
            .unwrap();
        let findings = verdict_findings(limits);
        // Wrong status (limit not enforced) and a schema violation, both on step 1.
        assert_eq!(findings.len(), 2);
        for finding in &findings {
            let steps = finding.exchanges();
            assert_eq!(steps.len(), 1);
            assert_eq!(steps[0].step, 1);
            assert_eq!(steps[0].exchange.unwrap().step, 1);
        }
    }

    #[test]
    fn schema_locations_name_the_pointer_and_the_value() {
        let report = sample::report();
        let limits = report
            .verdicts
            .iter()
            .find(|v| v.case_id.ends_with("value_32769_bytes"))
            .unwrap();
        let exchange = limits.exchanges.iter().find(|e| e.step == 1);
        let violation = |pointer: Option<&str>, message: &str| {
            Failure::new(
                1,
                FailureDetail::SchemaViolation {
                    pointer: pointer.map(str::to_string),
                    keyword: None,
                    message: message.into(),
                },
                None,
            )
        };
        assert_eq!(
            schema_location(
                &violation(Some("/key"), "\"k\" is not of type \"integer\""),
                exchange
            ),
            Some(("/key".to_owned(), Some("\"k\"".to_owned())))
        );
        let (_, value) = schema_location(&violation(Some("/value"), "too long"), exchange).unwrap();
        assert!(value.unwrap().ends_with('…'), "long values are cut");
        assert_eq!(
            schema_location(&violation(Some("/missing"), "required"), exchange),
            Some(("/missing".to_owned(), None))
        );
        // A message that merely reads like a location is not one: only the data counts.
        assert_eq!(
            schema_location(
                &violation(None, "at /key: the body is not valid JSON"),
                exchange
            ),
            None
        );
    }

    #[test]
    fn a_failed_case_without_failures_is_kept() {
        let mut report = sample::report();
        report.verdicts.retain(|v| v.outcome == Outcome::Fail);
        report.verdicts.truncate(1);
        report.verdicts[0].failures.clear();
        let findings = findings(&report);
        assert_eq!(findings.operations[0].kinds.len(), 1);
        assert_eq!(findings.operations[0].kinds[0].0, Discrepancy::WrongStatus);
    }

    #[test]
    fn totals_sentence_counts_every_outcome() {
        let mut report = sample::report();
        assert_eq!(
            totals_sentence(&report),
            "14 cases: 4 passed, 2 failed, 1 error, 3 skipped, 1 known, 1 now conforming, 2 not served"
        );
        report.verdicts.truncate(1);
        assert_eq!(
            totals_sentence(&report),
            "1 case: 1 passed, 0 failed, 0 errors, 0 skipped"
        );
    }
}
