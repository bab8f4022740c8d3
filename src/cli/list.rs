//! `jira-conform list`: the generated cases, or (`--coverage`) which families each operation got.

use std::io::Write;

use clap::{Args, ValueEnum};
use jira_conform::report::{write_coverage, write_coverage_json};
use jira_conform::{prepare, Prepared};

use super::output::{color_choice, ColorArg};
use super::select::SelectArgs;
use super::{CliError, Exit};

pub const LIST_HELP: &str = "Exit codes: 0 listed, 2 bad input.

Examples:
  jira-conform list --family limits --api 3
  jira-conform list --spec jira-platform-v3.json --coverage --why
  jira-conform list --coverage --format json > coverage.json";

#[derive(Args)]
pub struct ListArgs {
    #[command(flatten)]
    select: SelectArgs,
    /// Show per tag and operation which families produced cases, and why the others did not.
    #[arg(long)]
    coverage: bool,
    /// With --coverage: explain every missing family, also of operations that have cases.
    #[arg(long, requires = "coverage")]
    why: bool,
    /// Output: text (default) or json (the cases, or with --coverage the coverage).
    #[arg(long, value_enum, default_value_t = CoverageFormat::Text)]
    format: CoverageFormat,
    /// Colour: auto (on a terminal, unless CI or NO_COLOR is set), always, never.
    #[arg(long, value_enum, default_value_t = ColorArg::Auto)]
    color: ColorArg,
}

#[derive(Clone, Copy, ValueEnum)]
enum CoverageFormat {
    Text,
    Json,
}

/// Lists the selected cases (or the coverage); a closed pipe (`| head`) ends it quietly.
pub fn list(args: &ListArgs) -> Result<Exit, CliError> {
    if args.coverage {
        return list_coverage(args);
    }
    let prepared = prepare(&args.select.config())?;
    let mut out = std::io::stdout().lock();
    if matches!(args.format, CoverageFormat::Json) {
        let _ = writeln!(out, "{}", cases_json(&prepared));
        return Ok(Exit::Ok);
    }
    for case in prepared.cases.iter() {
        let expect = case
            .headline()
            .map_or_else(String::new, |s| s.expect.status.to_string());
        let skip = case
            .skip
            .as_deref()
            .map_or_else(String::new, |r| format!("  (skipped: {r})"));
        if writeln!(out, "{}  {}  {}{skip}", case.id, case.family, expect).is_err() {
            return Ok(Exit::Ok);
        }
    }
    let _ = writeln!(out, "{} cases", prepared.cases.len());
    // The process ends here: freeing the spec's tree (14 % of a `list` of the full spec, by
    // callgrind) would only delay the exit.
    std::mem::forget(prepared);
    Ok(Exit::Ok)
}

/// One object per case: what `list` prints as text, for programs.
fn cases_json(prepared: &Prepared) -> String {
    let cases: Vec<serde_json::Value> = prepared
        .cases
        .iter()
        .map(|c| {
            serde_json::json!({
                "id": c.id,
                "api": c.api.label(),
                "resource": c.resource,
                "operation_id": c.operation_id,
                "family": c.family.name(),
                "summary": c.summary,
                "expected_status": c.headline().map(|s| s.expect.status.to_string()),
                "writes": c.writes,
                "skip": c.skip,
            })
        })
        .collect();
    serde_json::to_string_pretty(&serde_json::json!({ "cases": cases }))
        .unwrap_or_else(|_| "{}".into())
}

fn list_coverage(args: &ListArgs) -> Result<Exit, CliError> {
    let coverage = jira_conform::coverage(&args.select.config())?;
    let mut out = std::io::stdout().lock();
    let written = match args.format {
        CoverageFormat::Text => {
            write_coverage(&mut out, &coverage, color_choice(args.color), args.why)
        }
        CoverageFormat::Json => write_coverage_json(&mut out, &coverage),
    };
    // A closed pipe (`| head`) is not an error worth reporting.
    match written {
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => Err(CliError::Stdout(e)),
        _ => Ok(Exit::Ok),
    }
}
