//! jira-conform: conformance cases for the Jira Cloud REST API, run against any base URL.
//!
//! The pipeline, every stage pure except `run`:
//!
//! ```text
//! spec + fixtures ─► generate ─► select ─► run (HTTP) ─► check ─► report
//! ```
//!
//! [`prepare`] does the pure part up to the selected cases; [`run_suite`] runs them against
//! the target (the embedded reference [`mock`] when none is given) and returns the
//! [`verdict::RunReport`] every [`report`] format renders.

pub mod case;
pub mod check;
pub mod consent;
pub mod coverage;
pub mod diff;
pub mod exchange;
pub mod fixtures;
pub mod generate;
pub mod init;
pub mod mock;
pub mod report;
pub mod run;
pub mod select;
pub mod spec;
pub mod spec_diff;
pub mod validate;
pub mod verdict;

mod error;
mod suite;

pub use error::Error;
pub use suite::{
    check_settings, check_target_url, clean_journal, cleanup_command, coverage, execute_cases,
    fixtures_text, interrupted_run, journal_path, journals, load_fixtures, load_spec, prepare,
    run_cases, run_suite, settings, Config, Executed, InterruptedJournal, InterruptedRun,
    Leftovers, NoCases, Prepared, RunOutput, SnapshotChoice, TrafficSettings, JOURNAL_DIR,
};
