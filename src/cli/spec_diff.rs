//! `jira-conform spec-diff OLD NEW`: what changed between two versions of a spec.

use std::path::PathBuf;

use clap::{Args, ValueEnum};
use jira_conform::report::spec_diff::{write_json, write_text};

use super::output::{color_choice, ColorArg};
use super::{CliError, Exit};

#[derive(Args)]
pub struct SpecDiffArgs {
    /// The old version of the spec (OpenAPI 3.0, JSON or YAML).
    old: PathBuf,
    /// The new version.
    new: PathBuf,
    /// Output: text for people, or json (fields described in src/report/spec_diff.rs).
    #[arg(long, value_enum, default_value_t = SpecDiffFormat::Text)]
    format: SpecDiffFormat,
    /// Only the platform REST API (/rest/api/2 and /rest/api/3), not Connect or Forge paths.
    #[arg(long)]
    api_only: bool,
    /// Colour: auto (on a terminal, unless CI or NO_COLOR is set), always, never.
    #[arg(long, value_enum, default_value_t = ColorArg::Auto)]
    color: ColorArg,
}

#[derive(Clone, Copy, ValueEnum)]
enum SpecDiffFormat {
    Text,
    Json,
}

/// 0 no difference, 1 differences, 2 a spec that cannot be read.
pub fn spec_diff(args: &SpecDiffArgs) -> Result<Exit, CliError> {
    let (old, new) = match (
        jira_conform::spec::load_path(&args.old),
        jira_conform::spec::load_path(&args.new),
    ) {
        (Ok(old), Ok(new)) => (old, new),
        (Err(e), _) | (_, Err(e)) => return Err(e.into()),
    };
    let mut diff = jira_conform::spec_diff::diff(&old, &new);
    if args.api_only {
        diff = diff.api_only();
    }
    let mut stdout = std::io::stdout().lock();
    let written = match args.format {
        SpecDiffFormat::Text => write_text(&diff, &mut stdout, color_choice(args.color)),
        SpecDiffFormat::Json => write_json(&diff, &mut stdout),
    };
    written.map_err(|source| CliError::Print {
        what: "the comparison",
        source,
    })?;
    Ok(Exit::failed_if(diff.differs()))
}
