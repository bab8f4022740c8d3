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

impl ListArgs {
    /// The spec file given, if any (the embedded spec otherwise).
    pub fn spec(&self) -> Option<&std::path::Path> {
        self.select.spec.as_deref()
    }
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
    // Buffered: stdout alone flushes every line, a system call per case (5,000 on a full spec).
    let mut out = std::io::BufWriter::with_capacity(64 * 1024, std::io::stdout().lock());
    let written = match args.format {
        CoverageFormat::Json => writeln!(out, "{}", cases_json(&prepared)),
        CoverageFormat::Text => write_cases(&mut out, &prepared),
    }
    .and_then(|()| out.flush());
    // The process ends here: freeing the spec's tree (14 % of a `list` of the full spec, by
    // callgrind) would only delay the exit.
    std::mem::forget(prepared);
    quiet_on_closed_pipe(written)
}

/// One line per case (id, family, expected status, why skipped), then the count.
fn write_cases(out: &mut impl Write, prepared: &Prepared) -> std::io::Result<()> {
    for case in prepared.cases.iter() {
        write!(out, "{}  {}  ", case.id, case.family)?;
        if let Some(step) = case.headline() {
            write!(out, "{}", step.expect.status)?;
        }
        match case.skip.as_deref() {
            Some(reason) => writeln!(out, "  (skipped: {reason})")?,
            None => writeln!(out)?,
        }
    }
    writeln!(out, "{} cases", prepared.cases.len())
}

/// A closed pipe (`| head`) is not an error worth reporting; any other write error is.
fn quiet_on_closed_pipe(written: std::io::Result<()>) -> Result<Exit, CliError> {
    match written {
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => Err(CliError::Stdout(e)),
        _ => Ok(Exit::Ok),
    }
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
    let mut out = std::io::BufWriter::with_capacity(64 * 1024, std::io::stdout().lock());
    let written = match args.format {
        CoverageFormat::Text => {
            write_coverage(&mut out, &coverage, color_choice(args.color), args.why)
        }
        CoverageFormat::Json => write_coverage_json(&mut out, &coverage),
    }
    .and_then(|()| out.flush());
    quiet_on_closed_pipe(written)
}
