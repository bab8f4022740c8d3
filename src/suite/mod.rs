//! The pipeline on one screen: load, generate, select, run, check, and the snapshot files at
//! the edges. Each file holds one step: the configuration and its resolution against the
//! fixtures (`config`, `settings`), the inputs (`inputs`), the pure preparation (`prepare`),
//! the target (`target`), sending (`send`, `live`), judging (`judge`), the snapshot files
//! (`snapshots`) and the cleanup journal (`cleanup`).

mod cleanup;
mod config;
mod inputs;
mod judge;
mod live;
mod prepare;
mod send;
pub mod settings;
mod snapshots;
mod target;

pub use crate::verdict::Leftovers;
pub use cleanup::{
    clean_journal, cleanup_command, interrupted_run, journal_path, journals, InterruptedJournal,
    InterruptedRun, JOURNAL_DIR,
};
pub use config::{Config, NoCases, SnapshotChoice, TrafficSettings};
pub use inputs::{fixtures_text, load_fixtures, load_spec};
pub use judge::{run_suite, RunOutput};
pub use prepare::{check_settings, check_target_url, coverage, prepare, Prepared};
pub use send::{execute_cases, run_cases, Executed};
