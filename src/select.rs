//! Selection: which generated cases a run keeps (API version, tag, operation, family, name).

use crate::case::{Api, Case, Family};
use crate::spec::{Operation, Spec};

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
    /// Cases whose id contains one of these are left out (libtest's `--skip`).
    pub skips: Vec<String>,
    /// Filters and skips match whole case ids instead of substrings (libtest's `--exact`).
    pub exact: bool,
    /// This shard of the cases: `hash:K/N` keeps the cases whose id hashes to K of N.
    pub partition: Option<Partition>,
    /// Globs over operation paths, as the spec writes them (`/rest/api/3/issue/**`) or without
    /// the API prefix (`/issue/*/worklog`).
    pub paths: Vec<String>,
}

/// A deterministic shard of the cases, as nextest's `--partition hash:K/N`: each case id is
/// hashed (FNV-1a, stable across runs, machines and versions), so N jobs with K = 1..=N run
/// every case exactly once, and a case stays in its shard when others are added or removed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Partition {
    /// Which shard, from 1.
    pub index: u32,
    /// How many shards.
    pub total: u32,
}

impl Partition {
    /// Parses `hash:K/N` with 1 ≤ K ≤ N.
    pub fn parse(text: &str) -> Result<Partition, String> {
        let spec = text
            .strip_prefix("hash:")
            .ok_or_else(|| format!("{text:?}: write hash:K/N, e.g. hash:1/4"))?;
        let (k, n) = spec
            .split_once('/')
            .ok_or_else(|| format!("{text:?}: write hash:K/N, e.g. hash:1/4"))?;
        let parse = |v: &str| v.trim().parse::<u32>().ok();
        match (parse(k), parse(n)) {
            (Some(index), Some(total)) if index >= 1 && index <= total => {
                Ok(Partition { index, total })
            }
            _ => Err(format!(
                "{text:?}: K and N must be whole numbers with 1 <= K <= N"
            )),
        }
    }

    /// Whether the case with this id is in the shard.
    pub fn keeps(&self, case_id: &str) -> bool {
        let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
        for b in case_id.bytes() {
            hash ^= u64::from(b);
            hash = hash.wrapping_mul(0x0100_0000_01b3);
        }
        hash % u64::from(self.total) == u64::from(self.index - 1)
    }
}

impl Selection {
    /// Whether the selection keeps every case.
    pub fn is_everything(&self) -> bool {
        *self == Selection::default()
    }

    /// Whether a case id passes the name filters and skips, as libtest reads them: kept when
    /// no filter is given or one matches, unless a skip matches; `exact` compares whole ids.
    pub fn keeps_id(&self, id: &str) -> bool {
        let matches = |pattern: &String| {
            if self.exact {
                id == pattern
            } else {
                id.contains(pattern.as_str())
            }
        };
        (self.filters.is_empty() || self.filters.iter().any(matches))
            && !self.skips.iter().any(matches)
    }
}

/// A filter that names nothing in the spec, or cannot be read.
#[derive(Debug, thiserror::Error)]
pub enum SelectError {
    /// A tag or operationId the spec does not have.
    #[error("{what} {name:?} is not in {spec}; known: {known}")]
    Unknown {
        /// `tag` or `operationId`.
        what: &'static str,
        /// The name given.
        name: String,
        /// The spec.
        spec: String,
        /// What the spec has (a short list).
        known: String,
    },
    /// A `--path` that is not a glob.
    #[error("--path {glob:?} is not a glob: {message}")]
    BadGlob {
        /// The glob given.
        glob: String,
        /// The parser's message.
        message: String,
    },
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

/// The operation-level part of a selection (tags, operationIds, path globs), checked against
/// the spec.
pub struct OperationFilter<'s> {
    selection: &'s Selection,
    globs: globset::GlobSet,
}

impl OperationFilter<'_> {
    /// Whether the selection keeps this operation.
    pub fn keeps(&self, op: &Operation) -> bool {
        let s = self.selection;
        // By the operation's own tags: a resource name need not be its tag (dashboard item
        // properties are tagged "Dashboards").
        let tagged = || {
            op.tags
                .iter()
                .any(|t| s.tags.iter().any(|w| w.eq_ignore_ascii_case(t)))
        };
        let on_path = || {
            self.globs.is_match(&op.path)
                || op
                    .api_relative_path()
                    .is_some_and(|r| self.globs.is_match(r))
        };
        (s.tags.is_empty() || tagged())
            && (s.paths.is_empty() || on_path())
            && (s.operation_ids.is_empty() || s.operation_ids.contains(&op.operation_id))
    }
}

/// The operation-level filter of a selection; unknown tags or operationIds and bad globs are
/// errors.
pub fn operation_filter<'s>(
    spec: &Spec,
    selection: &'s Selection,
) -> Result<OperationFilter<'s>, SelectError> {
    for tag in &selection.tags {
        if !spec
            .operations
            .iter()
            .any(|o| o.tags.iter().any(|t| t.eq_ignore_ascii_case(tag)))
        {
            return Err(SelectError::Unknown {
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
            return Err(SelectError::Unknown {
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
    let mut globs = globset::GlobSetBuilder::new();
    for p in &selection.paths {
        let glob = globset::GlobBuilder::new(p)
            .literal_separator(true)
            .build()
            .map_err(|e| SelectError::BadGlob {
                glob: p.clone(),
                message: e.kind().to_string(),
            })?;
        globs.add(glob);
    }
    let globs = globs.build().map_err(|e| SelectError::BadGlob {
        glob: selection.paths.join(" "),
        message: e.to_string(),
    })?;
    Ok(OperationFilter { selection, globs })
}

/// Keeps the cases the selection names; unknown tags or operationIds are errors.
pub fn select(
    cases: Vec<Case>,
    spec: &Spec,
    selection: &Selection,
) -> Result<Vec<Case>, SelectError> {
    let filter = operation_filter(spec, selection)?;
    let by_id: std::collections::HashMap<&str, &Operation> = spec
        .operations
        .iter()
        .map(|o| (o.operation_id.as_str(), o))
        .collect();
    let operation_kept = |c: &Case| {
        by_id
            .get(c.operation_id.as_str())
            .is_some_and(|op| filter.keeps(op))
    };
    let op_level = !(selection.tags.is_empty()
        && selection.paths.is_empty()
        && selection.operation_ids.is_empty());
    Ok(cases
        .into_iter()
        .filter(|c| selection.apis.is_empty() || selection.apis.contains(&c.api))
        .filter(|c| !op_level || operation_kept(c))
        .filter(|c| selection.families.is_empty() || selection.families.contains(&c.family))
        .filter(|c| selection.keeps_id(&c.id))
        .filter(|c| selection.partition.is_none_or(|p| p.keeps(&c.id)))
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn partitions_are_parsed_strictly() {
        assert_eq!(
            Partition::parse("hash:2/3"),
            Ok(Partition { index: 2, total: 3 })
        );
        for bad in ["2/3", "hash:0/3", "hash:4/3", "hash:a/3", "hash:1"] {
            assert!(Partition::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn shards_cover_every_case_exactly_once_and_are_stable() {
        let spec = crate::spec::embedded().unwrap();
        let fixtures = crate::fixtures::Fixtures::embedded().unwrap();
        let all = crate::generate::generate(&spec, &fixtures, &Api::ALL).unwrap();
        for total in [1, 2, 3, 7] {
            let mut seen: Vec<String> = Vec::new();
            for index in 1..=total {
                let selection = Selection {
                    partition: Some(Partition { index, total }),
                    ..Selection::default()
                };
                let shard = select(all.clone(), &spec, &selection).unwrap();
                if total > 1 {
                    assert!(
                        !shard.is_empty() && shard.len() < all.len(),
                        "{index}/{total}"
                    );
                }
                // The same shard twice is the same cases.
                let again = select(all.clone(), &spec, &selection).unwrap();
                assert_eq!(
                    shard.iter().map(|c| &c.id).collect::<Vec<_>>(),
                    again.iter().map(|c| &c.id).collect::<Vec<_>>()
                );
                seen.extend(shard.into_iter().map(|c| c.id));
            }
            seen.sort();
            let mut ids: Vec<String> = all.iter().map(|c| c.id.clone()).collect();
            ids.sort();
            assert_eq!(seen, ids, "{total} shards");
        }
    }

    #[test]
    fn path_globs_select_with_or_without_the_api_prefix() {
        let spec = crate::spec::embedded().unwrap();
        let fixtures = crate::fixtures::Fixtures::embedded().unwrap();
        let all = crate::generate::generate(&spec, &fixtures, &Api::ALL).unwrap();
        let pick = |glob: &str| {
            let selection = Selection {
                paths: vec![glob.into()],
                ..Selection::default()
            };
            select(all.clone(), &spec, &selection).unwrap()
        };
        let worklogs = pick("/issue/*/worklog/*");
        assert!(!worklogs.is_empty());
        assert!(worklogs
            .iter()
            .all(|c| ["getWorklog", "updateWorklog", "deleteWorklog"]
                .contains(&c.operation_id.as_str())));
        assert_eq!(
            pick("/rest/api/3/issue/**").len(),
            all.iter()
                .filter(|c| spec
                    .operation(&c.operation_id)
                    .is_some_and(|(_, o)| o.path.starts_with("/rest/api/3/issue/")))
                .count()
        );
        let bad = Selection {
            paths: vec!["/issue/[".into()],
            ..Selection::default()
        };
        assert!(select(all, &spec, &bad).is_err());
    }

    #[test]
    fn a_tag_selects_by_the_operations_tags() {
        let spec = crate::spec::embedded().unwrap();
        let fixtures = crate::fixtures::Fixtures::embedded().unwrap();
        let all = crate::generate::generate(&spec, &fixtures, &Api::ALL).unwrap();
        let selection = Selection {
            tags: vec!["Dashboards".into()],
            ..Selection::default()
        };
        let picked = select(all, &spec, &selection).unwrap();
        assert!(picked
            .iter()
            .any(|c| c.resource == "dashboard_item_properties"));
        assert!(picked.iter().any(|c| c.resource == "dashboards"));
        assert!(picked.iter().all(|c| c.resource.starts_with("dashboard")));
    }
}
