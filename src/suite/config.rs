//! The configuration of a run, as the binary (or a test) states it.

use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use crate::check::SnapshotSet;
use crate::fixtures::Fixtures;
use crate::mock::Fault;
use crate::select::Selection;
use crate::verdict::CompareLevel;

/// How snapshots are used.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum SnapshotChoice {
    /// Verify when the profile has recorded snapshots, else off.
    #[default]
    Auto,
    /// Compare with the recorded snapshots (missing ones fail).
    Verify,
    /// Record this run's exchanges as the profile's reference.
    Record,
    /// Ignore snapshots.
    Off,
}

/// Everything a run needs to know, as the binary (or a test) states it.
#[derive(Debug, Clone, Default)]
pub struct Config {
    /// The spec file; `None` is the embedded spec.
    pub spec: Option<PathBuf>,
    /// The fixtures file; `None` is the embedded mock's fixtures.
    pub fixtures: Option<PathBuf>,
    /// The base URL; `None` is the fixtures' `base_url`, else the embedded mock.
    pub target: Option<String>,
    /// Faults to seed into the embedded mock.
    pub faults: Vec<Fault>,
    /// Which cases.
    pub selection: Selection,
    /// Snapshot handling.
    pub snapshots: SnapshotChoice,
    /// The folder holding `<profile>/` snapshot folders (default `snapshots`).
    pub snapshot_root: Option<PathBuf>,
    /// Pacing and retries; unset fields come from the fixtures' `[run]`, then the defaults.
    pub traffic: TrafficSettings,
    /// The cleanup journal; default `.jira-conform/journal-<profile>-j<run prefix>-<pid>.jsonl`
    /// (one per run) for a target other than the embedded mock.
    pub journal: Option<PathBuf>,
    /// The run prefix (three base-36 characters; default: a fresh one). A caller that must
    /// find the run's journal after an interrupt sets it first.
    pub run_prefix: Option<String>,
    /// What the user allowed to write (`--allow-writes`, `--read-only`).
    pub consent: crate::consent::Consent,
    /// Verify against the snapshots recorded for this profile instead of the fixtures' own
    /// (validate a mock against snapshots recorded from real Jira). Never writes there.
    pub against: Option<String>,
    /// Cases in flight (default: the fixtures' setting).
    pub concurrency: Option<usize>,
    /// Per-request timeout (default: the fixtures' setting).
    pub timeout: Option<Duration>,
    /// Check the target before the first case (`GET /myself` per principal and API version):
    /// a refused token, a wrong account id or a target that is not Jira stops the run with one
    /// error; an API version the target does not serve is left out. Off in the library's
    /// default; the binary turns it on unless `--no-preflight`.
    pub preflight: bool,
    /// Stop starting cases once this many have failed or errored (`--fail-fast` is 1).
    pub max_fail: Option<usize>,
    /// Judge each case as it finishes and count here the ones that failed or errored (a progress
    /// bar's "failed so far").
    pub live_failures: Option<Arc<std::sync::atomic::AtomicUsize>>,
    /// How closely an exchange must match its reference snapshot; default `values` for the
    /// profile's own snapshots, `shape` against another profile's (another site's answers
    /// differ in their values by nature).
    pub compare: Option<CompareLevel>,
    /// What a selection of no case means: refused (the default, as nextest's `--no-tests`), a
    /// warning, or a pass.
    pub no_cases: NoCases,
    /// Counts every request the run sends (a benchmark's throughput).
    pub request_counter: Option<Arc<std::sync::atomic::AtomicU64>>,
    /// Reference snapshots given in memory (a `diff`'s target A), instead of a folder: read in
    /// verify mode, never written.
    pub reference: Option<Arc<SnapshotSet>>,
}

/// What a run that selects no case does (`--no-cases`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum NoCases {
    /// Refuse it (exit 2): a filter that matches nothing is usually a typo.
    #[default]
    Fail,
    /// Run nothing and say so.
    Warn,
    /// Run nothing, silently.
    Pass,
}

impl Config {
    /// The comparison level in force (see [`Config::compare`]).
    pub fn compare_level(&self) -> CompareLevel {
        self.compare
            .unwrap_or(if self.against.is_some() || self.reference.is_some() {
                CompareLevel::Shape
            } else {
                CompareLevel::Values
            })
    }

    /// The base URL the run goes to: `--target`, else the fixtures' `base_url`; `None` is the
    /// embedded mock.
    pub fn target_url<'a>(&'a self, fixtures: &'a Fixtures) -> Option<&'a str> {
        self.target.as_deref().or(fixtures.base_url.as_deref())
    }
}

/// Pacing and retries asked for on the command line.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct TrafficSettings {
    /// Retries of a request on 429/503.
    pub max_retries: Option<u32>,
    /// Requests per second at most.
    pub requests_per_second: Option<f64>,
    /// Requests to the target at most.
    pub request_budget: Option<u64>,
    /// Wall time of the run at most.
    pub deadline: Option<Duration>,
}
