//! `jira-conform cleanup`: send the undo requests an interrupted run left in its journal; and
//! how what is left in a journal is told, after a run, an interrupt or a cleanup.

use std::path::{Path, PathBuf};
use std::time::Duration;

use clap::Args;
use jira_conform::fixtures::Fixtures;
use jira_conform::{cleanup_command, Config, JOURNAL_DIR};

use super::{fail, CliError, Exit};

pub const CLEANUP_HELP: &str = "Exit codes: 0 nothing is left, 2 bad input or a journal with no entry, 3 undo requests still left.

Examples:
  jira-conform cleanup --fixtures my-site.toml              # every journal in .jira-conform/
  jira-conform cleanup --journal .jira-conform/journal-my-site-jab1-4242.jsonl --fixtures my-site.toml
  jira-conform cleanup --target http://127.0.0.1:8080 --timeout 5";

#[derive(Args)]
pub struct CleanupArgs {
    /// The journal of the interrupted run; default: every journal-*.jsonl in .jira-conform/.
    #[arg(long)]
    journal: Option<PathBuf>,
    /// The fixtures of that run (principals' credentials, base_url); default: the embedded ones.
    #[arg(long)]
    fixtures: Option<PathBuf>,
    /// The target's base URL; default: the fixtures' base_url.
    #[arg(long)]
    target: Option<String>,
    /// Per-request timeout in seconds (default: the fixtures' run.timeout_secs).
    #[arg(long)]
    timeout: Option<u64>,
}

/// Cleans every journal named (or found); a journal that cannot be read is reported and the
/// others still cleaned.
pub async fn cleanup(args: CleanupArgs) -> Result<Exit, CliError> {
    let config = Config {
        fixtures: args.fixtures.clone(),
        target: args.target.clone(),
        timeout: args.timeout.map(Duration::from_secs),
        ..Config::default()
    };
    let fixtures = jira_conform::load_fixtures(config.fixtures.as_deref())?;
    let Some(base) = config.target_url(&fixtures) else {
        return Err(CliError::Usage(
            "no target: give --target URL or a fixtures file with base_url",
        ));
    };
    jira_conform::check_target_url(base)?;
    let files = jira_conform::journals(args.journal.as_deref())?;
    if files.is_empty() {
        println!("no journal in {JOURNAL_DIR}/: nothing to clean up");
        return Ok(Exit::Ok);
    }
    let timeout = jira_conform::settings::timeout(&config, &fixtures);
    let (mut refused, mut left_behind) = (false, false);
    for path in &files {
        match clean_and_report(path, base, &fixtures, timeout, None).await {
            Ok((cleaned, 0)) => {
                println!(
                    "{}: cleaned up {cleaned} unfinished cases; nothing is left",
                    path.display()
                );
            }
            Ok((cleaned, left)) => {
                println!(
                    "{}: cleaned up {cleaned} unfinished cases; {left} could not be (see above)",
                    path.display()
                );
                report_leftovers(left, path, &cleanup_command(&config, path), &[]);
                left_behind = true;
            }
            Err(e) => {
                fail(&e.into());
                refused = true;
            }
        }
    }
    Ok(if refused {
        Exit::BadInput
    } else if left_behind {
        Exit::Leftovers
    } else {
        Exit::Ok
    })
}

/// Sends the undo requests of a journal within `within`; (cases cleaned, cases left). Warns
/// about skipped lines and prints each problem; the journal goes once nothing is left.
pub async fn clean_and_report(
    path: &Path,
    base: &str,
    fixtures: &Fixtures,
    timeout: Duration,
    within: Option<(Duration, String)>,
) -> Result<(usize, usize), jira_conform::Error> {
    let done = jira_conform::clean_journal(path, base, fixtures, timeout, within).await?;
    for (line, why) in &done.skipped {
        eprintln!(
            "warning: {}, line {line}: not a journal entry ({why}); skipped",
            path.display()
        );
    }
    for case in done.cases.iter().filter(|c| !c.clean) {
        for problem in &case.problems {
            eprintln!("  {}: {problem}", case.case);
        }
    }
    let left = done.left();
    Ok((done.cases.len() - left, left))
}

/// Says that `cases` unfinished cases are left in `journal` and how to finish them.
pub fn report_leftovers(cases: usize, journal: &Path, command: &str, problems: &[String]) {
    for p in problems.iter().take(20) {
        eprintln!("  {p}");
    }
    if problems.len() > 20 {
        eprintln!("  … and {} more", problems.len() - 20);
    }
    eprintln!(
        "leftovers: {cases} unfinished {} still in {}; finish with:\n  {command}",
        if cases == 1 { "case is" } else { "cases are" },
        journal.display()
    );
}
