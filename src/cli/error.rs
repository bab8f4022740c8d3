//! The one error a command may end with, rendered once as `error: …` (exit code 2).

use std::path::PathBuf;

use super::output::ReportFormat;
use super::Exit;

/// Why a command could not do what it was asked (a failing case is not an error: it is exit 1).
#[derive(Debug, thiserror::Error)]
pub enum CliError {
    /// The library stopped: spec, fixtures, selection, target, preflight, snapshots, journal.
    #[error(transparent)]
    Suite(#[from] jira_conform::Error),
    /// A spec could not be loaded.
    #[error(transparent)]
    Spec(#[from] jira_conform::spec::SpecError),
    /// A fixtures or known-deviations file could not be loaded.
    #[error(transparent)]
    Fixtures(#[from] jira_conform::fixtures::FixturesError),
    /// `init` could not describe the target.
    #[error(transparent)]
    Init(#[from] jira_conform::init::InitError),
    /// Recorded traffic could not be read.
    #[error(transparent)]
    Validate(#[from] jira_conform::validate::ValidateError),
    /// Shard reports do not make one run.
    #[error(transparent)]
    Merge(#[from] jira_conform::report::merge::MergeError),
    /// A cleanup journal could not be read or written.
    #[error(transparent)]
    Journal(#[from] jira_conform::run::journal::JournalError),
    /// Options that contradict each other or are missing.
    #[error("{0}")]
    Usage(&'static str),
    /// A file the command would write exists and `--force` was not given.
    #[error("{} exists; pass --force to overwrite it", .0.display())]
    Exists(PathBuf),
    /// A file could not be read.
    #[error("cannot read {}: {source}", path.display())]
    Read {
        /// The file.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },
    /// A file could not be written.
    #[error("cannot write {}: {source}", path.display())]
    Write {
        /// The file.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },
    /// What the command prints could not be written (`what`: "the summary"…).
    #[error("cannot write {what}: {source}")]
    Print {
        /// What was being written.
        what: &'static str,
        /// Why.
        source: std::io::Error,
    },
    /// Standard output could not be written (other than a closed pipe).
    #[error("{0}")]
    Stdout(std::io::Error),
    /// A report file could not be written.
    #[error("cannot write the {format:?} report to {}: {message}", path.display())]
    Report {
        /// Its format.
        format: ReportFormat,
        /// Its file (`-`: standard output).
        path: PathBuf,
        /// Why.
        message: String,
    },
    /// The mock's port could not be bound.
    #[error("cannot listen on {addr}: {source}")]
    Listen {
        /// The address.
        addr: std::net::SocketAddr,
        /// Why.
        source: std::io::Error,
    },
    /// The mock stopped serving.
    #[error("the mock stopped: {0}")]
    MockStopped(std::io::Error),
    /// The async runtime could not start.
    #[error("cannot start the async runtime: {0}")]
    Runtime(std::io::Error),
}

/// Renders `error` for the user (one paragraph on stderr) and gives the exit code of an error.
pub fn fail(error: &CliError) -> Exit {
    eprintln!("error: {error}");
    Exit::BadInput
}
