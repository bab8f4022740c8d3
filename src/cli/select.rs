//! The options that choose the spec, the fixtures and the cases (`run`, `list`, `diff`).

use std::path::PathBuf;

use clap::Args;
use jira_conform::case::{Api, Family};
use jira_conform::select::{Partition, Selection};
use jira_conform::Config;

use super::parse::{parse_api, parse_family};

#[derive(Args)]
pub struct SelectArgs {
    /// OpenAPI 3.0 spec (JSON or YAML); default: the embedded spec.
    #[arg(long)]
    pub spec: Option<PathBuf>,
    /// Fixtures file (TOML); default: the embedded mock's fixtures.
    #[arg(long)]
    pub fixtures: Option<PathBuf>,
    /// API version to generate for (2 or 3); repeatable; default both.
    #[arg(long = "api", value_parser = parse_api)]
    pub apis: Vec<Api>,
    /// Only operations with this spec tag, e.g. "User properties"; repeatable.
    #[arg(long = "tag")]
    pub tags: Vec<String>,
    /// Only this operationId; repeatable.
    #[arg(long = "operation")]
    pub operations: Vec<String>,
    /// Only this family (methods, limits, permissions, keys, schema, roundtrip, parameters,
    /// observations).
    #[arg(long = "family", value_parser = parse_family)]
    pub families: Vec<Family>,
    /// Only cases whose id contains one of these strings.
    pub filters: Vec<String>,
    /// Leave out cases whose id contains this string (with --exact: is this id); repeatable.
    #[arg(long = "skip", value_name = "PATTERN")]
    pub skips: Vec<String>,
    /// Filters and --skip patterns match whole case ids, not substrings.
    #[arg(long)]
    pub exact: bool,
    /// Only operations whose path matches this glob (`/issue/*/worklog`, `/rest/api/3/user/**`);
    /// repeatable.
    #[arg(long = "path")]
    pub paths: Vec<String>,
    /// Only this shard: hash:K/N (as nextest); N jobs with K = 1..=N run every case once.
    #[arg(long, value_parser = Partition::parse)]
    pub partition: Option<Partition>,
}

impl SelectArgs {
    /// The library's configuration for this selection, every other setting at its default.
    pub fn config(&self) -> Config {
        Config {
            spec: self.spec.clone(),
            fixtures: self.fixtures.clone(),
            selection: Selection {
                apis: self.apis.clone(),
                tags: self.tags.clone(),
                operation_ids: self.operations.clone(),
                families: self.families.clone(),
                filters: self.filters.clone(),
                skips: self.skips.clone(),
                exact: self.exact,
                partition: self.partition,
                paths: self.paths.clone(),
            },
            ..Config::default()
        }
    }
}
