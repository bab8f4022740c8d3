//! Selection: which generated cases a run keeps (API version, tag, operation, family, name).

use crate::case::{Api, Case, Family};
use crate::generate::snake;
use crate::spec::Spec;

/// What to keep; empty lists keep everything.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Selection {
    /// API versions.
    pub apis: Vec<Api>,
    /// Spec tags, as written in the spec (`User properties`).
    pub tags: Vec<String>,
    /// operationIds.
    pub operation_ids: Vec<String>,
    /// Families.
    pub families: Vec<Family>,
    /// Substrings of case ids (as `cargo test NAME` filters).
    pub filters: Vec<String>,
}

impl Selection {
    /// Whether the selection keeps every case.
    pub fn is_everything(&self) -> bool {
        *self == Selection::default()
    }
}

/// A filter that names nothing in the spec.
#[derive(Debug, thiserror::Error)]
#[error("{what} {name:?} is not in {spec}; known: {known}")]
pub struct SelectError {
    /// `tag` or `operationId`.
    pub what: &'static str,
    /// The name given.
    pub name: String,
    /// The spec.
    pub spec: String,
    /// What the spec has (a short list).
    pub known: String,
}

fn known(mut names: Vec<String>) -> String {
    names.sort();
    names.dedup();
    let total = names.len();
    let mut shown: Vec<String> = names.into_iter().take(12).collect();
    if total > shown.len() {
        shown.push(format!("… ({total} in all)"));
    }
    shown.join(", ")
}

/// Keeps the cases the selection names; unknown tags or operationIds are errors.
pub fn select(
    cases: Vec<Case>,
    spec: &Spec,
    selection: &Selection,
) -> Result<Vec<Case>, SelectError> {
    for tag in &selection.tags {
        if !spec
            .operations
            .iter()
            .any(|o| o.tags.iter().any(|t| t.eq_ignore_ascii_case(tag)))
        {
            return Err(SelectError {
                what: "tag",
                name: tag.clone(),
                spec: spec.source.clone(),
                known: known(
                    spec.operations
                        .iter()
                        .flat_map(|o| o.tags.clone())
                        .collect(),
                ),
            });
        }
    }
    for id in &selection.operation_ids {
        if spec.operation(id).is_none() {
            return Err(SelectError {
                what: "operationId",
                name: id.clone(),
                spec: spec.source.clone(),
                known: known(
                    spec.operations
                        .iter()
                        .map(|o| o.operation_id.clone())
                        .collect(),
                ),
            });
        }
    }
    let tags: Vec<String> = selection.tags.iter().map(|t| snake(t)).collect();
    Ok(cases
        .into_iter()
        .filter(|c| selection.apis.is_empty() || selection.apis.contains(&c.api))
        .filter(|c| tags.is_empty() || tags.contains(&c.resource))
        .filter(|c| {
            selection.operation_ids.is_empty() || selection.operation_ids.contains(&c.operation_id)
        })
        .filter(|c| selection.families.is_empty() || selection.families.contains(&c.family))
        .filter(|c| {
            selection.filters.is_empty()
                || selection.filters.iter().any(|f| c.id.contains(f.as_str()))
        })
        .collect())
}
