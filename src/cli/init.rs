//! `jira-conform init`: describe a live target in a fixtures file, with GET requests only.

use std::io::Write;
use std::path::PathBuf;
use std::time::Duration;

use clap::Args;
use jira_conform::init::{discover, render, Discovery, InitOptions, PrincipalSpec, Progress};

use super::parse::{parse_principal, parse_rps};
use super::{progress, CliError, Exit};

pub const INIT_HELP: &str = "Exit codes: 0 the fixtures file was written, 2 bad input, a refused token, an unreachable target or one that is not Jira.

Examples:
  jira-conform init --target https://your-domain.atlassian.net --principal admin=admin@example.com:JIRA_ADMIN_TOKEN --out my-site.toml
  jira-conform init --target http://127.0.0.1:8080 --principal admin=admin@example.test:T_ADMIN --principal alice=alice@example.test:T_ALICE
  jira-conform init --target URL --principal ci=bearer:JIRA_BEARER --max-projects 3 --max-issues 3";

#[derive(Args)]
pub struct InitArgs {
    /// The target's base URL, e.g. https://your-domain.atlassian.net.
    #[arg(long)]
    target: String,
    /// A principal: NAME=EMAIL:TOKEN_ENV (basic, the API token in the environment variable
    /// TOKEN_ENV) or NAME=bearer:TOKEN_ENV; repeatable. An administrator and two ordinary users
    /// make the full matrix.
    #[arg(long = "principal", required = true, value_parser = parse_principal)]
    principals: Vec<PrincipalSpec>,
    /// Write the fixtures here (default: standard output).
    #[arg(long)]
    out: Option<PathBuf>,
    /// Overwrite --out if it exists.
    #[arg(long, requires = "out")]
    force: bool,
    /// The profile the file names (its snapshot folder); default: from the target's host.
    #[arg(long)]
    profile: Option<String>,
    /// Keep the labels this fixtures file gives the entities found in it by key or name (so
    /// two sites' cases and snapshots line up, see `run --against`).
    #[arg(long, value_name = "FIXTURES")]
    labels_from: Option<PathBuf>,
    /// Projects described at most.
    #[arg(long, default_value_t = jira_conform::init::DEFAULT_MAX_PROJECTS)]
    max_projects: usize,
    /// Issues described per project at most.
    #[arg(long, default_value_t = jira_conform::init::DEFAULT_MAX_ISSUES)]
    max_issues: usize,
    /// Requests per second at most (default: 10 for a remote target, no limit on loopback).
    #[arg(long, value_parser = parse_rps)]
    rps: Option<f64>,
    /// Retries of a request answered 429 or 503.
    #[arg(long, default_value_t = 3)]
    max_retries: u32,
    /// Requests sent at most.
    #[arg(long, default_value_t = jira_conform::init::DEFAULT_REQUEST_BUDGET)]
    request_budget: u64,
    /// Per-request timeout in seconds.
    #[arg(long, default_value_t = 30)]
    timeout: u64,
}

/// Discovers the target's world and writes the fixtures file (or prints it).
pub async fn init(args: InitArgs) -> Result<Exit, CliError> {
    if let Some(out) = args.out.as_ref().filter(|o| o.exists() && !args.force) {
        return Err(CliError::Exists(out.clone()));
    }
    let options = options(&args)?;
    let bar = progress::spinner();
    let tick = bar.clone();
    let progress = move |p: Progress| {
        if let Some(b) = &tick {
            b.set_message(format!("{} ({} requests)", p.step, p.requests));
            b.tick();
        }
    };
    let env = |name: &str| std::env::var(name).ok();
    let found = discover(&options, &env, &progress).await;
    if let Some(b) = &bar {
        b.finish_and_clear();
    }
    write(&found?, args.out.as_ref())?;
    Ok(Exit::Ok)
}

/// The discovery's options from the command line.
fn options(args: &InitArgs) -> Result<InitOptions, CliError> {
    let mut options = InitOptions::new(args.target.clone(), args.principals.clone());
    options.profile = args.profile.clone();
    options.max_projects = args.max_projects;
    options.max_issues = args.max_issues;
    options.requests_per_second = args.rps;
    options.max_retries = args.max_retries;
    options.request_budget = args.request_budget;
    options.timeout = Duration::from_secs(args.timeout.max(1));
    if let Some(path) = &args.labels_from {
        options.labels_from = Some(jira_conform::init::labels_from(path)?);
    }
    Ok(options)
}

/// The fixtures file to `out` (with a one-line account on stderr), else to standard output.
fn write(discovery: &Discovery, out: Option<&PathBuf>) -> Result<(), CliError> {
    let text = render(discovery);
    match out {
        Some(path) => {
            std::fs::write(path, &text).map_err(|source| CliError::Write {
                path: path.clone(),
                source,
            })?;
            eprintln!(
                "wrote {} ({} projects, {} issues, {} worklogs, {} dashboards; {} notes; {} GET requests)",
                path.display(),
                discovery.world.projects.len(),
                discovery.world.issues.len(),
                discovery.world.worklogs.len(),
                discovery.world.dashboards.len(),
                discovery.notes.len(),
                discovery.requests
            );
        }
        None => {
            let mut stdout = std::io::stdout().lock();
            if let Err(e) = stdout.write_all(text.as_bytes()) {
                if e.kind() != std::io::ErrorKind::BrokenPipe {
                    return Err(CliError::Print {
                        what: "the fixtures",
                        source: e,
                    });
                }
            }
        }
    }
    Ok(())
}
