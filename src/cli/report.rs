//! `jira-conform report merge`: the JSON reports of `--partition` shards joined into the
//! report of the whole run.

use std::path::PathBuf;

use clap::{Args, Subcommand};
use jira_conform::report::merge::{merge, read_json_report};

use super::output::{show_report, OutputArgs};
use super::{CliError, Exit};

pub const MERGE_HELP: &str = "Exit codes: 0 every case of the whole run passed, 1 a case failed, 2 a shard missing, given twice, or not a report.

Examples:
  jira-conform report merge shard-1.json shard-2.json shard-3.json --report html=report.html
  jira-conform report merge shard-*.json --report junit=junit.xml --report json=all.json
  jira-conform report merge shard-*.json -v";

#[derive(Subcommand)]
pub enum ReportCommand {
    /// Join the JSON reports of the shards of one run (each shard exactly once) and write the
    /// whole run's reports, e.g. `report merge shard-*.json --report html=report.html`.
    #[command(after_help = MERGE_HELP)]
    Merge(MergeArgs),
}

#[derive(Args)]
pub struct MergeArgs {
    /// The shards' JSON reports (`run --partition hash:K/N --report json=PATH`).
    #[arg(required = true, value_name = "REPORT.json")]
    shards: Vec<PathBuf>,
    #[command(flatten)]
    output: OutputArgs,
}

/// Reads every shard's JSON report, joins them, writes the requested reports and the terminal
/// summary; exit 1 when a case of the whole run failed, 2 when the shards do not make one run.
pub fn merge_reports(args: &MergeArgs) -> Result<Exit, CliError> {
    let mut reports = Vec::new();
    for path in &args.shards {
        reports.push((path.clone(), read_json_report(path)?));
    }
    show_report(&merge(reports)?, &args.output)
}
