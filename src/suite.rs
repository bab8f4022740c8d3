//! The pipeline on one screen: load, generate, select, run, check, and the snapshot files at
//! the edges.

use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Duration, Instant};

use crate::case::{Api, Case};
use crate::check::{judge, load_snapshots, write_snapshot, CheckContext, Redactor, SnapshotMode};
use crate::exchange::CaseRun;
use crate::fixtures::{check_base_url, Fixtures};
use crate::generate::generate;
use crate::mock::{Fault, MockServer};
use crate::run::{execute, run_prefix, RunOptions};
use crate::select::{select, Selection};
use crate::spec::schema::SchemaCache;
use crate::spec::{self, Spec};
use crate::verdict::RunReport;
use crate::Error;

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
    /// Cases in flight (default: the fixtures' setting).
    pub concurrency: Option<usize>,
    /// Per-request timeout (default: the fixtures' setting).
    pub timeout: Option<Duration>,
}

/// The pure part of a run: what will be tested.
pub struct Prepared {
    /// The spec.
    pub spec: Spec,
    /// The fixtures.
    pub fixtures: Fixtures,
    /// The selected cases, in id order.
    pub cases: Vec<Case>,
}

/// What a run produced.
pub struct RunOutput {
    /// The verdicts and what they are about.
    pub report: RunReport,
    /// Where snapshots were written, and how many (recorded or pending review).
    pub snapshots_written: Option<(PathBuf, usize)>,
}

/// Loads the spec and fixtures and generates the selected cases.
pub fn prepare(config: &Config) -> Result<Prepared, Error> {
    let spec = match &config.spec {
        Some(path) => spec::load_path(path)?,
        None => spec::embedded()?,
    };
    let fixtures = match &config.fixtures {
        Some(path) => Fixtures::load(path)?,
        None => Fixtures::embedded()?,
    };
    let apis = if config.selection.apis.is_empty() {
        Api::ALL.to_vec()
    } else {
        config.selection.apis.clone()
    };
    let cases = generate(&spec, &fixtures, &apis)?;
    let cases = select(cases, &spec, &config.selection)?;
    Ok(Prepared {
        spec,
        fixtures,
        cases,
    })
}

/// Runs the prepared cases against the target and judges them. `progress` is called as each
/// case finishes.
pub async fn run_suite(
    config: &Config,
    prepared: &Prepared,
    progress: Arc<dyn Fn(&CaseRun) + Send + Sync>,
) -> Result<RunOutput, Error> {
    let started = Instant::now();
    let fixtures = &prepared.fixtures;
    let target = config.target.clone().or_else(|| fixtures.base_url.clone());
    let (base_url, mock) = match target {
        Some(url) => {
            check_base_url(&url).map_err(|message| Error::Target {
                url: url.clone(),
                message,
            })?;
            probe(&url).await?;
            (url, None)
        }
        None => {
            let mock = MockServer::start(fixtures, &config.faults).await?;
            (mock.base_url.clone(), Some(mock))
        }
    };
    let options = RunOptions {
        concurrency: config.concurrency.unwrap_or(fixtures.run.concurrency),
        timeout: config
            .timeout
            .unwrap_or(Duration::from_secs(fixtures.run.timeout_secs)),
        run_prefix: run_prefix(),
    };
    let runs = execute(&prepared.cases, &base_url, fixtures, &options, progress).await;
    if let Some(mock) = mock {
        mock.stop().await;
    }

    let dir = config
        .snapshot_root
        .clone()
        .unwrap_or_else(|| PathBuf::from("snapshots"))
        .join(&fixtures.profile);
    let snapshot_error = |source| Error::Snapshots {
        dir: dir.display().to_string(),
        source,
    };
    // Off means off: no snapshot folder is read (or required to be readable).
    let stored = match config.snapshots {
        SnapshotChoice::Off => Default::default(),
        _ => load_snapshots(&dir).map_err(snapshot_error)?,
    };
    let mode = match config.snapshots {
        SnapshotChoice::Auto if stored.is_empty() => SnapshotMode::Off,
        SnapshotChoice::Auto | SnapshotChoice::Verify => SnapshotMode::Verify,
        SnapshotChoice::Record => SnapshotMode::Record,
        SnapshotChoice::Off => SnapshotMode::Off,
    };
    let schemas = SchemaCache::new();
    let redactor = Redactor::new(&base_url, fixtures);
    let ctx = CheckContext {
        spec: &prepared.spec,
        schemas: &schemas,
        fixtures,
        redactor: &redactor,
        mode,
        snapshots: &stored,
    };
    let mut verdicts = Vec::with_capacity(prepared.cases.len());
    let mut written = 0;
    for (case, run) in prepared.cases.iter().zip(&runs) {
        let judged = judge(case, run.as_ref(), &ctx);
        if let Some(text) = &judged.snapshot {
            let write = match mode {
                SnapshotMode::Record => Some(false),
                SnapshotMode::Verify if stored.get(&case.id) != Some(text) => Some(true),
                _ => None,
            };
            if let Some(pending) = write {
                write_snapshot(&dir, &case.id, text, pending).map_err(snapshot_error)?;
                written += 1;
            }
        }
        verdicts.push(judged.verdict);
    }
    Ok(RunOutput {
        report: RunReport {
            profile: fixtures.profile.clone(),
            target: base_url,
            spec: prepared.spec.source.clone(),
            elapsed_ms: started.elapsed().as_millis() as u64,
            verdicts,
        },
        snapshots_written: (written > 0).then_some((dir, written)),
    })
}

/// Fails early, with one clear message, when nothing answers at the target.
async fn probe(url: &str) -> Result<(), Error> {
    let client = reqwest::Client::builder()
        .timeout(Duration::from_secs(10))
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .map_err(|e| Error::Target {
            url: url.to_string(),
            message: e.to_string(),
        })?;
    match client.get(url).send().await {
        Ok(_) => Ok(()),
        Err(e) => {
            let why = if e.is_timeout() {
                "did not answer within 10 s"
            } else if e.is_connect() {
                "refused the connection or could not be reached"
            } else {
                "could not be reached"
            };
            Err(Error::Target {
                url: url.to_string(),
                message: format!("{why}; is the server running and the URL right?"),
            })
        }
    }
}
