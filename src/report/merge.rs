//! One run from many shards: the JSON reports that `--partition hash:K/N` jobs wrote (a CI
//! matrix), read back and joined into the report of the whole run, so every format renders it
//! as if one job had run every case. A shard given twice, a shard missing, reports of
//! different runs or one case in two shards are errors naming the files.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::Deserialize;

use super::json::JSON_REPORT_VERSION;
use crate::select::Partition;
use crate::verdict::{RunReport, Verdict};

/// Why shard reports could not be merged.
#[derive(Debug, thiserror::Error)]
pub enum MergeError {
    /// Nothing to merge.
    #[error("report merge: give the JSON reports of the shards to merge")]
    Nothing,
    /// A file could not be read.
    #[error("{file}: {source}")]
    Io {
        /// The file.
        file: String,
        /// The I/O error.
        source: std::io::Error,
    },
    /// A file is not a jira-conform JSON report (of this format version).
    #[error(
        "{file}: not a jira-conform JSON report of format version {JSON_REPORT_VERSION}: {message}"
    )]
    NotAReport {
        /// The file.
        file: String,
        /// What is wrong.
        message: String,
    },
    /// Two reports ran the same shard.
    #[error("shard {index}/{total} is given twice: {first} and {second}")]
    DuplicateShard {
        /// The shard.
        index: u32,
        /// Of how many.
        total: u32,
        /// The first file.
        first: String,
        /// The second file.
        second: String,
    },
    /// Shards of the run are not among the reports.
    #[error("shards missing from a run of {total}: {missing} (given: {given})")]
    MissingShards {
        /// How many shards the run has.
        total: u32,
        /// The missing ones, `2/4, 4/4`.
        missing: String,
        /// The files given.
        given: String,
    },
    /// The reports are not shards of one run.
    #[error("{file} is not a shard of the same run as {first}: {why}")]
    OtherRun {
        /// The odd file.
        file: String,
        /// The first file.
        first: String,
        /// What differs.
        why: String,
    },
    /// A report that ran every case, given with others.
    #[error("{file} ran every case (no --partition): it is a whole run, not a shard to merge")]
    NotAShard {
        /// The file.
        file: String,
    },
    /// One case appears in two reports.
    #[error("case {case} is in both {first} and {second}")]
    DuplicateCase {
        /// The case id.
        case: String,
        /// The first file.
        first: String,
        /// The second file.
        second: String,
    },
}

/// The parts of a JSON report a merge reads.
#[derive(Deserialize)]
struct Document {
    format_version: u32,
    profile: String,
    target: String,
    spec: String,
    elapsed_ms: u64,
    #[serde(default)]
    partition: Option<Partition>,
    #[serde(default)]
    snapshots_verified: bool,
    verdicts: Vec<Verdict>,
}

/// Reads a JSON report written by `--report json=PATH`.
pub fn read_json_report(path: &Path) -> Result<RunReport, MergeError> {
    let file = path.display().to_string();
    let text = std::fs::read_to_string(path).map_err(|source| MergeError::Io {
        file: file.clone(),
        source,
    })?;
    let version = serde_json::from_str::<serde_json::Value>(&text)
        .ok()
        .and_then(|v| v.get("format_version").and_then(serde_json::Value::as_u64));
    if version != Some(u64::from(JSON_REPORT_VERSION)) {
        return Err(MergeError::NotAReport {
            file,
            message: match version {
                Some(v) => format!("its format_version is {v}"),
                None => "no format_version".into(),
            },
        });
    }
    let doc: Document = serde_json::from_str(&text).map_err(|e| MergeError::NotAReport {
        file: file.clone(),
        message: e.to_string(),
    })?;
    debug_assert_eq!(doc.format_version, JSON_REPORT_VERSION);
    Ok(RunReport {
        profile: doc.profile,
        target: doc.target,
        spec: doc.spec,
        elapsed_ms: doc.elapsed_ms,
        verdicts: doc.verdicts,
        partition: doc.partition,
        snapshots_verified: doc.snapshots_verified,
    })
}

/// Joins the reports of the shards of one run: every shard 1..=N once, each case once. The
/// verdicts come in case-id order, as one job would have written them; the wall time is the
/// longest shard's (they ran side by side). Reports without a partition merge as one shard
/// each only when they are a single report.
pub fn merge(reports: Vec<(PathBuf, RunReport)>) -> Result<RunReport, MergeError> {
    let Some((first_path, first)) = reports.first() else {
        return Err(MergeError::Nothing);
    };
    let first_file = first_path.display().to_string();
    let mut shards: BTreeMap<u32, String> = BTreeMap::new();
    let total = first.partition.map(|p| p.total);
    for (path, report) in &reports {
        let file = path.display().to_string();
        let other = |why: String| MergeError::OtherRun {
            file: file.clone(),
            first: first_file.clone(),
            why,
        };
        if report.profile != first.profile {
            return Err(other(format!(
                "profile {:?}, not {:?}",
                report.profile, first.profile
            )));
        }
        if report.spec != first.spec {
            return Err(other(format!(
                "spec {:?}, not {:?}",
                report.spec, first.spec
            )));
        }
        match (report.partition, total) {
            (Some(p), Some(n)) if p.total == n => {
                if let Some(previous) = shards.insert(p.index, file.clone()) {
                    return Err(MergeError::DuplicateShard {
                        index: p.index,
                        total: n,
                        first: previous,
                        second: file,
                    });
                }
            }
            (Some(p), Some(n)) => {
                return Err(other(format!(
                    "it is shard {}/{}, of {} shards, not {n}",
                    p.index, p.total, p.total
                )))
            }
            (None, _) if reports.len() == 1 => {}
            (None, _) => {
                return Err(MergeError::NotAShard { file });
            }
            (Some(_), None) => {
                return Err(MergeError::NotAShard {
                    file: first_file.clone(),
                })
            }
        }
    }
    if let Some(n) = total {
        let missing: Vec<String> = (1..=n)
            .filter(|k| !shards.contains_key(k))
            .map(|k| format!("{k}/{n}"))
            .collect();
        if !missing.is_empty() {
            return Err(MergeError::MissingShards {
                total: n,
                missing: missing.join(", "),
                given: shards.values().cloned().collect::<Vec<_>>().join(", "),
            });
        }
    }
    // Agreement with a reference is counted only when every shard verified snapshots.
    let snapshots_verified = reports.iter().all(|(_, r)| r.snapshots_verified);
    let mut seen: BTreeMap<String, String> = BTreeMap::new();
    let mut verdicts = Vec::new();
    let mut elapsed_ms = 0;
    let (profile, target, spec) = (
        first.profile.clone(),
        first.target.clone(),
        first.spec.clone(),
    );
    for (path, report) in reports {
        let file = path.display().to_string();
        elapsed_ms = elapsed_ms.max(report.elapsed_ms);
        for verdict in report.verdicts {
            if let Some(previous) = seen.insert(verdict.case_id.clone(), file.clone()) {
                return Err(MergeError::DuplicateCase {
                    case: verdict.case_id,
                    first: previous,
                    second: file,
                });
            }
            verdicts.push(verdict);
        }
    }
    verdicts.sort_by(|a, b| a.case_id.cmp(&b.case_id));
    Ok(RunReport {
        profile,
        target,
        spec,
        elapsed_ms,
        verdicts,
        partition: None,
        snapshots_verified,
    })
}
