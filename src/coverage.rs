//! Coverage: for every operation of the spec, which families produced cases and, for those
//! that did not, why (no fixture for a path parameter, unrecognised permission prose, an
//! unsupported media type, a rule the family does not apply to). Pure: spec, cases and gaps in,
//! a table out.

use std::collections::{BTreeMap, BTreeSet};

use serde::Serialize;

use crate::case::{Case, Family};
use crate::generate::Gap;
use crate::select::OperationFilter;
use crate::spec::{prose, Operation, Spec};

/// The coverage of one spec by one generation pass.
#[derive(Debug, Clone, Serialize)]
pub struct Coverage {
    /// The spec file.
    pub spec: String,
    /// Operations reported (after the selection).
    pub operations: usize,
    /// Of those, operations with at least one case.
    pub covered: usize,
    /// Cases of the reported operations (skipped ones included).
    pub cases: usize,
    /// Per family: cases, and operations with at least one.
    pub families: Vec<FamilyCoverage>,
    /// Per tag, in the spec's order of first appearance.
    pub tags: Vec<TagCoverage>,
}

/// One family's share.
#[derive(Debug, Clone, Serialize)]
pub struct FamilyCoverage {
    /// The family.
    pub family: Family,
    /// Its cases.
    pub cases: usize,
    /// Operations with at least one of its cases.
    pub operations: usize,
    /// The checks the documentation implies, by kind (`read_back`, `isolation`, `standard`,
    /// `links`, `expand`): how many of its steps (isolation: cases) carry each.
    pub implied: BTreeMap<&'static str, usize>,
}

/// The operations of one tag.
#[derive(Debug, Clone, Serialize)]
pub struct TagCoverage {
    /// The tag (the first of each operation).
    pub tag: String,
    /// Its operations, in path then method order.
    pub operations: Vec<OperationCoverage>,
}

/// One operation's coverage.
#[derive(Debug, Clone, Serialize)]
pub struct OperationCoverage {
    /// The operationId.
    pub operation_id: String,
    /// The method.
    pub method: String,
    /// The path as the spec writes it.
    pub path: String,
    /// Cases per family, for the families that have some.
    pub cases: BTreeMap<Family, usize>,
    /// Of its cases, those the fixtures cannot run (skipped, with their reason in `list`).
    pub skipped: usize,
    /// Families without cases, each with why.
    pub missing: Vec<Missing>,
    /// The permission statements recognised, as `grant: statement`.
    pub permissions_recognised: Vec<String>,
    /// The permission statements not recognised: listed, never guessed.
    pub permissions_unrecognised: Vec<String>,
}

/// A family without cases for an operation.
#[derive(Debug, Clone, Serialize)]
pub struct Missing {
    /// The family.
    pub family: Family,
    /// Why, as specific as the generator could say.
    pub reasons: Vec<String>,
}

/// Why a family has no case when the generator noted nothing more specific.
fn default_reason(family: Family, op: &Operation, rule: &prose::PermissionRule) -> String {
    match family {
        Family::Methods => "no call the fixtures can make and no undocumented method to probe".into(),
        Family::Limits if op.method != "GET" => {
            "no limit stated in its prose; schema bounds are probed on reads only".into()
        }
        Family::Limits => {
            "no bound (maxLength, minimum, maximum, enum, pattern, format) on its query parameters and no limit in its prose".into()
        }
        Family::Permissions if !rule.unrecognised.is_empty() => format!(
            "unrecognised permission prose: {}",
            rule.unrecognised
                .iter()
                .map(|s| format!("“{s}”"))
                .collect::<Vec<_>>()
                .join(" ")
        ),
        Family::Permissions if rule.grants.is_empty() => {
            "no permission the generator acts on is stated (see the recognised statements)".into()
        }
        Family::Permissions => {
            "the permission matrix covers entity properties and the fixtures' world operations".into()
        }
        Family::Keys => "no credential or required-parameter variation applies".into(),
        Family::Schema => "no documented response schema on a call the fixtures can make".into(),
        Family::Roundtrip => {
            "round trips cover entity properties and the fixtures' world writes".into()
        }
        Family::Parameters => {
            "no paged response (startAt, maxResults, values) and no world parameter cases".into()
        }
        Family::Observations => "observations cover entity-property keys only".into(),
    }
}

/// A request body the generator cannot send: no JSON media type among those documented.
fn unsupported_media(op: &Operation) -> Option<String> {
    let body = op.request_body.as_ref()?;
    if body.content.is_empty() || body.content.iter().any(|(t, _)| t.contains("json")) {
        return None;
    }
    let types: Vec<&str> = body.content.iter().map(|(t, _)| t.as_str()).collect();
    Some(format!(
        "unsupported request media type {} (only JSON bodies are generated)",
        types.join(", ")
    ))
}

/// Per operationId: cases per family, and how many of them are skipped.
type CaseCounts<'c> = BTreeMap<&'c str, (BTreeMap<Family, usize>, usize)>;

/// The coverage of the operations `filter` keeps, from the cases and gaps of one generation.
pub fn coverage(spec: &Spec, cases: &[Case], gaps: &[Gap], filter: &OperationFilter) -> Coverage {
    let by_op = case_counts(cases);
    let mut gaps_by_op: BTreeMap<&str, Vec<&Gap>> = BTreeMap::new();
    for gap in gaps {
        gaps_by_op
            .entry(gap.operation_id.as_str())
            .or_default()
            .push(gap);
    }
    let implied = implied_by_family(spec, cases, filter);
    let mut tags: Vec<TagCoverage> = Vec::new();
    // Per family: its cases, and the operations with at least one.
    let mut family_ops: BTreeMap<Family, (usize, usize)> = BTreeMap::new();
    let (mut operations, mut covered, mut total_cases) = (0, 0, 0);
    for op in spec.operations.iter().filter(|op| filter.keeps(op)) {
        operations += 1;
        let (counts, skipped) = by_op
            .get(op.operation_id.as_str())
            .cloned()
            .unwrap_or_default();
        if !counts.is_empty() {
            covered += 1;
        }
        for (family, n) in &counts {
            let e = family_ops.entry(*family).or_default();
            e.0 += n;
            e.1 += 1;
            total_cases += n;
        }
        let op_gaps = gaps_by_op
            .get(op.operation_id.as_str())
            .cloned()
            .unwrap_or_default();
        let entry = operation_coverage(spec, op, counts, skipped, &op_gaps);
        match tags.iter_mut().find(|t| t.tag == op.tag()) {
            Some(t) => t.operations.push(entry),
            None => tags.push(TagCoverage {
                tag: op.tag().to_string(),
                operations: vec![entry],
            }),
        }
    }
    Coverage {
        spec: spec.source.clone(),
        operations,
        covered,
        cases: total_cases,
        families: family_coverage(&family_ops, implied),
        tags,
    }
}

/// Cases per family and skipped cases, per operation.
fn case_counts(cases: &[Case]) -> CaseCounts<'_> {
    let mut by_op = CaseCounts::new();
    for case in cases {
        let entry = by_op.entry(case.operation_id.as_str()).or_default();
        *entry.0.entry(case.family).or_default() += 1;
        entry.1 += usize::from(case.skip.is_some());
    }
    by_op
}

/// Per family, the implied checks its cases of the kept operations carry, by kind.
fn implied_by_family(
    spec: &Spec,
    cases: &[Case],
    filter: &OperationFilter,
) -> BTreeMap<Family, BTreeMap<&'static str, usize>> {
    let kept: BTreeSet<&str> = spec
        .operations
        .iter()
        .filter(|op| filter.keeps(op))
        .map(|op| op.operation_id.as_str())
        .collect();
    let mut implied: BTreeMap<Family, BTreeMap<&'static str, usize>> = BTreeMap::new();
    for case in cases
        .iter()
        .filter(|c| kept.contains(c.operation_id.as_str()))
    {
        let counts = implied.entry(case.family).or_default();
        for kind in implied_checks(case) {
            *counts.entry(kind).or_default() += 1;
        }
    }
    implied
}

/// Every family's share, in [`Family::ALL`]'s order.
fn family_coverage(
    family_ops: &BTreeMap<Family, (usize, usize)>,
    mut implied: BTreeMap<Family, BTreeMap<&'static str, usize>>,
) -> Vec<FamilyCoverage> {
    Family::ALL
        .into_iter()
        .map(|family| {
            let (cases, operations) = family_ops.get(&family).copied().unwrap_or_default();
            FamilyCoverage {
                family,
                cases,
                operations,
                implied: implied.remove(&family).unwrap_or_default(),
            }
        })
        .collect()
}

/// One operation's row: its cases, the families it lacks with why, and its permission prose.
fn operation_coverage(
    spec: &Spec,
    op: &Operation,
    counts: BTreeMap<Family, usize>,
    skipped: usize,
    op_gaps: &[&Gap],
) -> OperationCoverage {
    let rule = prose::permissions(op, &spec.source);
    let missing = missing(op, &counts, op_gaps, &rule);
    OperationCoverage {
        operation_id: op.operation_id.clone(),
        method: op.method.clone(),
        path: op.path.clone(),
        cases: counts,
        skipped,
        missing,
        permissions_recognised: rule
            .grants
            .iter()
            .map(|g| format!("{:?}: {}", g.value, provenance_text(&g.provenance)))
            .collect(),
        permissions_unrecognised: rule.unrecognised.clone(),
    }
}

/// The families without cases for `op`, each with why: the gaps the generator noted for it
/// (and for every family), an unsupported media type, else the family's default reason.
fn missing(
    op: &Operation,
    counts: &BTreeMap<Family, usize>,
    op_gaps: &[&Gap],
    rule: &prose::PermissionRule,
) -> Vec<Missing> {
    let media = unsupported_media(op);
    Family::ALL
        .into_iter()
        .filter(|f| !counts.contains_key(f))
        .map(|family| {
            let mut reasons: BTreeSet<String> = op_gaps
                .iter()
                .filter(|g| g.family == Some(family))
                .map(|g| g.reason.clone())
                .collect();
            reasons.extend(
                op_gaps
                    .iter()
                    .filter(|g| g.family.is_none())
                    .map(|g| g.reason.clone()),
            );
            reasons.extend(media.clone());
            if reasons.is_empty() {
                reasons.insert(default_reason(family, op, rule));
            }
            Missing {
                family,
                reasons: reasons.into_iter().collect(),
            }
        })
        .collect()
}

/// The implied checks a case carries, once per step that carries each (an isolation case
/// counts once): read-back after a write, isolation between subjects, standard (RFC 9110)
/// expectations, paging and `self` links, expansions.
fn implied_checks(case: &Case) -> Vec<&'static str> {
    use crate::case::{BodyCheck, Provenance};
    let mut out = Vec::new();
    if case.id.contains("::isolated_") {
        out.push("isolation");
    }
    for step in &case.steps {
        if step.label.starts_with("read back") {
            out.push("read_back");
        }
        let checks = &step.expect.body;
        if matches!(step.expect.provenance, Provenance::Standard { .. })
            && step.expect.status == crate::case::StatusExpectation::Exact(415)
            || checks.iter().any(|c| matches!(c, BodyCheck::Header { .. }))
        {
            out.push("standard");
        }
        if checks
            .iter()
            .any(|c| matches!(c, BodyCheck::PageLinks { .. } | BodyCheck::KeySelf { .. }))
        {
            out.push("links");
        }
        if checks
            .iter()
            .any(|c| matches!(c, BodyCheck::Expanded { .. }))
        {
            out.push("expand");
        }
    }
    out
}

fn provenance_text(p: &crate::case::Provenance) -> String {
    match p {
        crate::case::Provenance::Spec { text, .. }
        | crate::case::Provenance::Fixtures { text, .. }
        | crate::case::Provenance::Standard { text, .. } => text.clone(),
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::case::Api;
    use crate::fixtures::Fixtures;
    use crate::select::{operation_filter, Selection};

    /// The coverage of our spec with the embedded fixtures (shared with the report's tests).
    pub(crate) fn embedded() -> Coverage {
        let spec = crate::spec::embedded().unwrap();
        let fixtures = Fixtures::embedded().unwrap();
        let g = crate::generate::generate_with_gaps(&spec, &fixtures, &Api::ALL).unwrap();
        let selection = Selection::default();
        let filter = operation_filter(&spec, &selection).unwrap();
        coverage(&spec, &g.cases, &g.gaps, &filter)
    }

    #[test]
    fn every_operation_of_our_spec_has_cases_and_the_counts_add_up() {
        let c = embedded();
        assert_eq!(c.operations, 48);
        // removeAttachment would delete one of the world's attachments, and documents no 401.
        assert_eq!(c.covered, 47);
        let uncovered: Vec<&str> = c
            .tags
            .iter()
            .flat_map(|t| &t.operations)
            .filter(|o| o.cases.is_empty())
            .map(|o| o.operation_id.as_str())
            .collect();
        assert_eq!(uncovered, ["removeAttachment"]);
        let per_family: usize = c.families.iter().map(|f| f.cases).sum();
        assert_eq!(per_family, c.cases);
        let per_op: usize = c
            .tags
            .iter()
            .flat_map(|t| &t.operations)
            .map(|o| o.cases.values().sum::<usize>())
            .sum();
        assert_eq!(per_op, c.cases);
    }

    #[test]
    fn a_missing_family_says_why() {
        let c = embedded();
        let op = c
            .tags
            .iter()
            .flat_map(|t| &t.operations)
            .find(|o| o.operation_id == "getCurrentUser")
            .unwrap();
        let roundtrip = op
            .missing
            .iter()
            .find(|m| m.family == Family::Roundtrip)
            .expect("getCurrentUser has no round trip");
        assert!(roundtrip.reasons[0].contains("round trips cover"));
        assert!(op.missing.iter().all(|m| !m.reasons.is_empty()));
    }

    #[test]
    fn an_unfillable_path_parameter_is_named() {
        let mut spec = crate::spec::embedded().unwrap();
        let (index, _) = spec.operation("getIssue").unwrap();
        spec.operations[index].path =
            "/rest/api/3/issue/{issueIdOrKey}/reaction/{reactionId}".into();
        spec.operations[index].operation_id = "getReactionLike".into();
        let fixtures = Fixtures::embedded().unwrap();
        let g = crate::generate::generate_with_gaps(&spec, &fixtures, &Api::ALL).unwrap();
        let selection = Selection {
            operation_ids: vec!["getReactionLike".into()],
            ..Selection::default()
        };
        let filter = operation_filter(&spec, &selection).unwrap();
        let c = coverage(&spec, &g.cases, &g.gaps, &filter);
        let op = &c.tags[0].operations[0];
        let schema = op
            .missing
            .iter()
            .find(|m| m.family == Family::Schema)
            .unwrap();
        assert!(
            schema
                .reasons
                .iter()
                .any(|r| r == "no fixture for `{reactionId}`"),
            "{:?}",
            schema.reasons
        );
    }
}
