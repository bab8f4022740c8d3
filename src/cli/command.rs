//! The command line: the commands, and the one function each calls.

use clap::{Parser, Subcommand};

use super::cleanup::{cleanup, CleanupArgs, CLEANUP_HELP};
use super::diff::{diff, DiffArgs, DIFF_HELP};
use super::init::{init, InitArgs, INIT_HELP};
use super::list::{list, ListArgs, LIST_HELP};
use super::mock::{mock, MockArgs, MOCK_HELP};
use super::report::{merge_reports, ReportCommand};
use super::run::{run, RunArgs, RUN_HELP};
use super::spec_diff::{spec_diff, SpecDiffArgs};
use super::validate::{validate, ValidateArgs, VALIDATE_HELP};
use super::warm_start;
use super::{CliError, Exit};

#[derive(Parser)]
#[command(
    name = "jira-conform",
    version,
    about = "Conformance tests for the Jira Cloud REST API, against any base URL"
)]
pub struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Run the suite (default target: the embedded reference mock).
    #[command(after_help = RUN_HELP)]
    Run(RunArgs),
    /// List the generated cases with their family and expectation, or (`--coverage`) which
    /// families each operation got and why not.
    #[command(after_help = LIST_HELP)]
    List(ListArgs),
    /// Serve the reference mock on 127.0.0.1 for other tools and clients.
    #[command(after_help = MOCK_HELP)]
    Mock(MockArgs),
    /// Run the cases against two targets and show every case where they disagree.
    #[command(after_help = DIFF_HELP)]
    Diff(DiffArgs),
    /// Check recorded traffic (a HAR file or a folder of request/response pairs) against the
    /// spec, sending nothing.
    #[command(after_help = VALIDATE_HELP)]
    Validate(ValidateArgs),
    /// Send the undo requests an interrupted run left in its cleanup journal.
    #[command(after_help = CLEANUP_HELP)]
    Cleanup(CleanupArgs),
    /// Work with written reports: `report merge` joins the JSON reports of `--partition` shards
    /// into the report of the whole run.
    #[command(subcommand)]
    Report(ReportCommand),
    /// Describe a live target in a fixtures file: who the principals are and what they see
    /// (projects, issues, worklogs, dashboards…), sending GET requests only.
    #[command(after_help = INIT_HELP)]
    Init(InitArgs),
    /// Compare two versions of a spec: operations, parameters, statuses and documented limits
    /// added, removed or changed (exit code 1 when they differ).
    SpecDiff(SpecDiffArgs),
}

/// Runs the command `cli` names; the ones that talk to a target run on a multi-threaded
/// runtime, built only for them (its threads cost a `list` more than its printing).
pub fn execute(cli: Cli) -> Result<Exit, CliError> {
    let runtime = || {
        tokio::runtime::Builder::new_multi_thread()
            .enable_all()
            .build()
            .map_err(CliError::Runtime)
    };
    match cli.command {
        // The two commands that load a spec start a helper on the second core first.
        Command::Run(args) => {
            warm_start::begin(args.spec());
            runtime()?.block_on(run(args))
        }
        Command::List(args) => {
            warm_start::begin(args.spec());
            list(&args)
        }
        Command::Mock(args) => runtime()?.block_on(mock(args)),
        Command::Diff(args) => runtime()?.block_on(diff(args)),
        Command::Validate(args) => validate(&args),
        Command::Cleanup(args) => runtime()?.block_on(cleanup(args)),
        Command::SpecDiff(args) => spec_diff(&args),
        Command::Report(ReportCommand::Merge(args)) => merge_reports(&args),
        Command::Init(args) => runtime()?.block_on(init(args)),
    }
}
