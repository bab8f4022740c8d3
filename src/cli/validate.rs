//! `jira-conform validate`: recorded traffic against the spec, sending nothing.

use std::path::PathBuf;

use clap::Args;

use super::output::{show_report, OutputArgs};
use super::{CliError, Exit};

pub const VALIDATE_HELP: &str =
    "Exit codes: 0 every exchange conforms, 1 a discrepancy, 2 bad input.

Examples:
  jira-conform validate --har session.har
  jira-conform validate --pairs recorded/ --spec jira-platform-v3.json
  jira-conform validate --har session.har --report markdown=findings.md";

#[derive(Args)]
#[command(group(clap::ArgGroup::new("input").required(true).args(["har", "pairs"])))]
pub struct ValidateArgs {
    /// A HAR 1.2 recording (browser devtools, a proxy, Postman) of traffic to Jira.
    #[arg(long, value_name = "FILE.har")]
    har: Option<PathBuf>,
    /// A folder of request/response pairs, one `NAME.json` each: {"method", "url", "status",
    /// "content_type", "body"}.
    #[arg(long, value_name = "DIR")]
    pairs: Option<PathBuf>,
    /// OpenAPI 3.0 spec (JSON or YAML); default: the embedded spec.
    #[arg(long)]
    spec: Option<PathBuf>,
    /// A known-deviations file (e.g. fixtures/jira-cloud.known-deviations.toml): recorded
    /// answers that depart as it says are reported as known, with its evidence.
    #[arg(long, value_name = "FILE")]
    known_deviations: Option<PathBuf>,
    #[command(flatten)]
    output: OutputArgs,
}

/// Checks the recording, marks the known deviations, shows and writes the report.
pub fn validate(args: &ValidateArgs) -> Result<Exit, CliError> {
    let spec = jira_conform::load_spec(args.spec.as_deref())?;
    let started = std::time::Instant::now();
    let mut report = match (&args.har, &args.pairs) {
        (Some(path), _) => {
            let text = std::fs::read_to_string(path).map_err(|source| CliError::Read {
                path: path.clone(),
                source,
            })?;
            jira_conform::validate::validate_har(&spec, &text, &path.display().to_string())?
        }
        (None, Some(dir)) => jira_conform::validate::validate_pairs(&spec, dir)?,
        (None, None) => return Err(CliError::Usage("give --har FILE or --pairs DIR")),
    };
    report.elapsed_ms = started.elapsed().as_millis() as u64;
    if let Some(path) = &args.known_deviations {
        let entries = jira_conform::fixtures::load_known_deviations(path)?;
        jira_conform::check::apply_known(&mut report.verdicts, &entries);
    }
    show_report(&report, &args.output)
}
