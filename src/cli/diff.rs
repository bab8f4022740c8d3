//! `jira-conform diff`: the cases against two targets, and every case where they disagree.

use std::path::PathBuf;

use clap::Args;
use jira_conform::mock::Fault;
use jira_conform::report::write_diff;
use jira_conform::verdict::CompareLevel;
use jira_conform::{prepare, Config};

use super::cleanup::report_leftovers;
use super::output::{color_choice, parse_report, write_reports, ColorArg, ReportFormat};
use super::parse::{parse_compare, parse_fault};
use super::select::SelectArgs;
use super::{CliError, Exit};

pub const DIFF_HELP: &str = "Exit codes: 0 the targets agree, 1 they disagree, 2 bad input or an unusable target, 3 undo requests left in a journal.

Examples:
  jira-conform diff --fault-b post-accepted                 # two embedded mocks, one broken
  jira-conform diff --target http://127.0.0.1:8080 --fixtures a.toml --against-target http://127.0.0.1:9090 --fixtures-b b.toml
  jira-conform diff --compare status --report html=diff.html";

#[derive(Args)]
pub struct DiffArgs {
    #[command(flatten)]
    select: SelectArgs,
    /// Target A's base URL; default: its fixtures' base_url, else an embedded mock.
    #[arg(long)]
    target: Option<String>,
    /// Seed a fault into target A's embedded mock; repeatable.
    #[arg(long = "fault", value_parser = parse_fault)]
    faults: Vec<Fault>,
    /// Target B's base URL; default: its fixtures' base_url, else an embedded mock.
    #[arg(long)]
    against_target: Option<String>,
    /// Target B's fixtures; default: the same as A's.
    #[arg(long)]
    fixtures_b: Option<PathBuf>,
    /// Skip the preflight of both targets (see `run --help`).
    #[arg(long)]
    no_preflight: bool,
    /// How closely the two targets' answers must agree: status, content-type, shape (members
    /// and JSON types; the default) or values (after redaction).
    #[arg(long, value_name = "LEVEL", value_parser = parse_compare)]
    compare: Option<CompareLevel>,
    /// Also write target B's run as a report (its verdicts on the documentation, target A's
    /// answers as its reference): junit=PATH, json=PATH, markdown=PATH or html=PATH; repeatable.
    #[arg(long = "report", value_parser = parse_report)]
    reports: Vec<(ReportFormat, PathBuf)>,
    /// Seed a fault into target B's embedded mock; repeatable.
    #[arg(long = "fault-b", value_parser = parse_fault)]
    faults_b: Vec<Fault>,
    /// Colour: auto (on a terminal, unless CI or NO_COLOR is set), always, never.
    #[arg(long, value_enum, default_value_t = ColorArg::Auto)]
    color: ColorArg,
}

/// Runs both sides, writes B's reports and the comparison; exit 3 with leftovers, 1 when the
/// targets disagree.
pub async fn diff(args: DiffArgs) -> Result<Exit, CliError> {
    let (a, b) = configs(&args);
    let (prepared_a, prepared_b) = match (prepare(&a), prepare(&b)) {
        (Ok(pa), Ok(pb)) => (pa, pb),
        (Err(e), _) | (_, Err(e)) => return Err(e.into()),
    };
    let output = jira_conform::diff::run_diff_full((&a, &prepared_a), (&b, &prepared_b)).await?;
    write_reports(&output.report, &args.reports)?;
    let report = output.diff;
    let mut stdout = std::io::stdout().lock();
    write_diff(&report, &mut stdout, color_choice(args.color)).map_err(|source| {
        CliError::Print {
            what: "the comparison",
            source,
        }
    })?;
    for left in &report.leftovers {
        report_leftovers(left.cases, &left.journal, &left.command, &left.problems);
    }
    if !report.leftovers.is_empty() {
        return Ok(Exit::Leftovers);
    }
    Ok(Exit::failed_if(report.differs()))
}

/// Target A's and target B's configurations.
fn configs(args: &DiffArgs) -> (Config, Config) {
    let mut a = args.select.config();
    a.target = args.target.clone();
    a.faults = args.faults.clone();
    let mut b = args.select.config();
    b.target = args.against_target.clone();
    b.faults = args.faults_b.clone();
    if let Some(fixtures) = &args.fixtures_b {
        b.fixtures = Some(fixtures.clone());
    }
    a.preflight = !args.no_preflight;
    b.preflight = !args.no_preflight;
    b.compare = args.compare;
    (a, b)
}
