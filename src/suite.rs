//! The pipeline on one screen: load, generate, select, run, check, and the snapshot files at
//! the edges.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

use crate::case::{Api, Case};
use crate::check::{
    judge, load_snapshots, write_snapshot, CheckContext, Redactor, SnapshotMode, SnapshotSet,
};
use crate::exchange::CaseRun;
use crate::fixtures::{check_base_url, without_userinfo, Fixtures};
use crate::generate::generate;
use crate::mock::{Fault, MockServer};
use crate::run::journal::Journal;
use crate::run::{clean_up, cleanup_grace, execute_with, run_prefix, RunOptions, Traffic};
use crate::select::{select, Selection};
use crate::spec::schema::SchemaCache;
use crate::spec::{self, Spec};
use crate::verdict::{CompareLevel, RunReport};
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

/// Refuses settings that would silently do nothing: `--fault` with a target other than the
/// embedded mock, `--against` a profile without snapshots, a selection of no case (unless
/// [`Config::no_cases`] accepts it).
pub fn check_settings(config: &Config, prepared: &Prepared) -> Result<(), Error> {
    let target = config
        .target
        .as_deref()
        .or(prepared.fixtures.base_url.as_deref());
    if let (Some(url), Some(fault)) = (target, config.faults.first()) {
        return Err(Error::Refused(format!(
            "--fault {fault} seeds the embedded mock, but the run goes to {url}: start \
             `jira-conform mock --fault {fault}` and point --target at it, or drop --target"
        )));
    }
    if let Some(profile) = &config.against {
        let root = config
            .snapshot_root
            .clone()
            .unwrap_or_else(|| PathBuf::from("snapshots"));
        if !has_snapshots(&root.join(profile)) {
            let mut known: Vec<String> = std::fs::read_dir(&root)
                .into_iter()
                .flatten()
                .flatten()
                .filter(|e| has_snapshots(&e.path()))
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .collect();
            known.sort();
            return Err(Error::Refused(format!(
                "--against {profile}: no snapshots of that profile in {}/ (record them with \
                 `run --fixtures <its fixtures> --record`); profiles with snapshots: {}",
                root.display(),
                if known.is_empty() {
                    "none".to_string()
                } else {
                    known.join(", ")
                }
            )));
        }
    }
    if prepared.cases.is_empty() && config.no_cases == NoCases::Fail {
        return Err(Error::Refused(
            "the selection matches no case (check the filters, --tag, --operation, --path, \
             --family, --api); --no-cases pass runs nothing and exits 0"
                .into(),
        ));
    }
    Ok(())
}

/// Whether a folder holds at least one `.snap` file.
fn has_snapshots(dir: &Path) -> bool {
    std::fs::read_dir(dir)
        .into_iter()
        .flatten()
        .flatten()
        .any(|e| e.path().extension().and_then(|x| x.to_str()) == Some("snap"))
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
    /// The normalised exchange of every case that ran, by id, when the run compared with an
    /// in-memory reference (a `diff`); empty otherwise.
    pub texts: SnapshotSet,
    /// What the run could not undo, still in its journal (`None`: nothing is left).
    pub leftovers: Option<Leftovers>,
}

/// Cases whose undo the run could not complete (or verify): they stay in the journal for
/// `jira-conform cleanup`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Leftovers {
    /// The journal holding them.
    pub journal: PathBuf,
    /// How many cases.
    pub cases: usize,
    /// What went wrong, one line per problem (`case: what`), no credential.
    pub problems: Vec<String>,
    /// The command that sends them later.
    pub command: String,
}

/// Everything [`execute_cases`] produced.
pub struct Executed {
    /// The base URL the cases went to.
    pub base_url: String,
    /// The runs, aligned with the prepared cases (`None` for skipped ones).
    pub runs: Vec<Option<CaseRun>>,
    /// What is left in the run's journal.
    pub leftovers: Option<Leftovers>,
}

/// The spec, the fixtures and the API versions a configuration names.
fn inputs(config: &Config) -> Result<(Spec, Fixtures, Vec<Api>), Error> {
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
    Ok((spec, fixtures, apis))
}

/// Loads the spec and fixtures and generates the selected cases.
pub fn prepare(config: &Config) -> Result<Prepared, Error> {
    let (spec, fixtures, apis) = inputs(config)?;
    let cases = generate(&spec, &fixtures, &apis)?;
    let mut cases = select(cases, &spec, &config.selection)?;
    let consent = crate::consent::Consent {
        allow_writes: config.consent.allow_writes || fixtures.run.allow_writes,
        ..config.consent
    };
    let target = config.target.as_deref().or(fixtures.base_url.as_deref());
    // Refused before anything is sent or printed (a dry run and `diff` too): a bad URL, or one
    // carrying credentials.
    if let Some(url) = target {
        check_base_url(url).map_err(|message| Error::Target {
            url: without_userinfo(url),
            message,
        })?;
    }
    crate::consent::apply_consent(&mut cases, consent, target);
    Ok(Prepared {
        spec,
        fixtures,
        cases,
    })
}

/// Loads the spec and fixtures, generates every case and reports, for the operations the
/// selection keeps, which families produced cases and why the others did not.
pub fn coverage(config: &Config) -> Result<crate::coverage::Coverage, Error> {
    let (spec, fixtures, apis) = inputs(config)?;
    let generated = crate::generate::generate_with_gaps(&spec, &fixtures, &apis)?;
    let filter = crate::select::operation_filter(&spec, &config.selection)?;
    Ok(crate::coverage::coverage(
        &spec,
        &generated.cases,
        &generated.gaps,
        &filter,
    ))
}

/// Runs the prepared cases against the target and judges them. `progress` is called as each
/// case finishes.
pub async fn run_suite(
    config: &Config,
    prepared: &Prepared,
    progress: Arc<dyn Fn(&CaseRun) + Send + Sync>,
) -> Result<RunOutput, Error> {
    let started = Instant::now();
    let target = start_target(config, &prepared.fixtures).await?;
    let mut output = judge_run(config, prepared, &target.base_url, progress, started).await;
    // The embedded mock's address dies with the run: reproductions name it `$JIRA_BASE`.
    if let (Some(_), Ok(output)) = (&target.mock, &mut output) {
        for verdict in &mut output.report.verdicts {
            if let Some(command) = &verdict.reproduce {
                verdict.reproduce =
                    Some(crate::check::with_base_variable(command, &target.base_url));
            }
        }
    }
    target.stop().await;
    output
}

/// Preflight, send and judge against a started target.
async fn judge_run(
    config: &Config,
    prepared: &Prepared,
    base_url: &str,
    progress: Arc<dyn Fn(&CaseRun) + Send + Sync>,
    started: Instant,
) -> Result<RunOutput, Error> {
    let fixtures = &prepared.fixtures;
    let preflight = check_target(config, prepared, base_url, false).await?;
    // Cases of an API version the target does not serve are skipped with the preflight's reason.
    let cases: Vec<Case>;
    let cases: &[Case] = if preflight.left_out.is_empty() {
        &prepared.cases
    } else {
        cases = prepared
            .cases
            .iter()
            .map(|c| match (&c.skip, preflight.skip_reason(c.api)) {
                (None, Some(reason)) => Case {
                    skip: Some(reason),
                    ..c.clone()
                },
                _ => c.clone(),
            })
            .collect();
        &cases
    };

    let root = config
        .snapshot_root
        .clone()
        .unwrap_or_else(|| PathBuf::from("snapshots"));
    let dir = root.join(config.against.as_deref().unwrap_or(&fixtures.profile));
    let snapshot_error = |source| Error::Snapshots {
        dir: dir.display().to_string(),
        source,
    };
    // Off means off: no snapshot folder is read (or required to be readable).
    let stored = match (&config.reference, config.snapshots) {
        (Some(reference), _) => reference.as_ref().clone(),
        (None, SnapshotChoice::Off) => Default::default(),
        (None, _) => load_snapshots(&dir).map_err(snapshot_error)?,
    };
    let mode = match config.snapshots {
        _ if config.reference.is_some() => SnapshotMode::Verify,
        SnapshotChoice::Auto if stored.is_empty() => SnapshotMode::Off,
        SnapshotChoice::Auto | SnapshotChoice::Verify => SnapshotMode::Verify,
        SnapshotChoice::Record => SnapshotMode::Record,
        SnapshotChoice::Off => SnapshotMode::Off,
    };
    let schemas = SchemaCache::new();
    let redactor = Redactor::new(base_url, fixtures);
    let ctx = CheckContext {
        spec: &prepared.spec,
        schemas: &schemas,
        fixtures,
        redactor: &redactor,
        mode,
        snapshots: &stored,
        compare: config.compare_level(),
    };
    let live = config.max_fail.is_some() || config.live_failures.is_some();
    let ((runs, leftovers), mut early, stopped) = match (live, config.max_fail) {
        (false, _) => (
            send_cases(config, cases, fixtures, base_url, progress, None).await?,
            Vec::new(),
            false,
        ),
        (true, max) => {
            let max = max.unwrap_or(usize::MAX);
            send_judging(config, cases, fixtures, base_url, progress, &ctx, max).await?
        }
    };
    // A record goes to a staging folder that replaces the set only when complete, so an
    // interrupted record never leaves a half-written set.
    let staging = (mode == SnapshotMode::Record)
        .then(|| stage_snapshots(&dir, &stored, config.selection.is_everything()))
        .transpose()
        .map_err(snapshot_error)?;
    let mut verdicts = Vec::with_capacity(cases.len());
    let mut written = 0;
    let mut texts = SnapshotSet::new();
    // Each run is dropped once judged: the bodies are not held twice (run and verdict).
    for (index, (case, run)) in cases.iter().zip(runs).enumerate() {
        let judged = match early.get_mut(index).and_then(Option::take) {
            Some(judged) => judged,
            None if stopped && run.is_none() && case.skip.is_none() => {
                let skipped = Case {
                    skip: Some(format!(
                        "not run: the run stopped once {} cases had failed (--max-fail / --fail-fast)",
                        config.max_fail.unwrap_or(0)
                    )),
                    ..case.clone()
                };
                judge(&skipped, None, &ctx)
            }
            None => judge(case, run.as_ref(), &ctx),
        };
        if let Some(text) = &judged.snapshot {
            let write = match mode {
                SnapshotMode::Record => Some(false),
                // The reference set of another profile (or target) is read, never written.
                SnapshotMode::Verify if config.against.is_some() || config.reference.is_some() => {
                    None
                }
                SnapshotMode::Verify if stored.get(&case.id) != Some(text) => Some(true),
                _ => None,
            };
            if let Some(pending) = write {
                let into = staging.as_deref().unwrap_or(&dir);
                write_snapshot(into, &case.id, text, pending).map_err(snapshot_error)?;
                written += 1;
            }
            if config.reference.is_some() {
                texts.insert(case.id.clone(), text.clone());
            }
        }
        verdicts.push(judged.verdict);
    }
    if let Some(staging) = &staging {
        commit_snapshots(staging, &dir).map_err(snapshot_error)?;
    }
    crate::check::apply_not_served(&mut verdicts);
    crate::check::apply_known(&mut verdicts, &fixtures.known_deviations);
    Ok(RunOutput {
        report: RunReport {
            profile: fixtures.profile.clone(),
            target: base_url.to_string(),
            spec: prepared.spec.source.clone(),
            elapsed_ms: started.elapsed().as_millis() as u64,
            snapshots_verified: mode == SnapshotMode::Verify,
            verdicts,
            partition: config.selection.partition,
        },
        snapshots_written: (written > 0).then_some((dir, written)),
        texts,
        leftovers,
    })
}

/// Sends the cases while judging each as it finishes, and stops starting new ones once `max`
/// of them failed or errored. Each case is judged in the executor's callback, before its
/// worker takes the next case, so with one worker exactly `max` failures are sent. Returns
/// the runs, the verdicts judged on the way (by case index) and whether the run was stopped.
async fn send_judging(
    config: &Config,
    cases: &[Case],
    fixtures: &Fixtures,
    base_url: &str,
    progress: Arc<dyn Fn(&CaseRun) + Send + Sync>,
    ctx: &CheckContext<'_>,
    max: usize,
) -> Result<
    (
        (Vec<Option<CaseRun>>, Option<Leftovers>),
        Vec<Option<crate::check::Judged>>,
        bool,
    ),
    Error,
> {
    use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
    use std::sync::Mutex;
    // The callback outlives this borrow of the context, so it judges with its own copy.
    struct Owned {
        spec: Spec,
        schemas: SchemaCache,
        fixtures: Fixtures,
        redactor: Redactor,
        mode: SnapshotMode,
        snapshots: SnapshotSet,
        compare: CompareLevel,
        cases: Vec<Case>,
        index: std::collections::HashMap<String, usize>,
        judged: Mutex<Vec<Option<crate::check::Judged>>>,
        failed: Arc<AtomicUsize>,
    }
    let mut judged = Vec::new();
    judged.resize_with(cases.len(), || None);
    let owned = Arc::new(Owned {
        spec: ctx.spec.clone(),
        schemas: SchemaCache::new(),
        fixtures: ctx.fixtures.clone(),
        redactor: ctx.redactor.clone(),
        mode: ctx.mode,
        snapshots: ctx.snapshots.clone(),
        compare: ctx.compare,
        cases: cases.to_vec(),
        index: cases
            .iter()
            .enumerate()
            .map(|(i, c)| (c.id.clone(), i))
            .collect(),
        judged: Mutex::new(judged),
        failed: config
            .live_failures
            .clone()
            .unwrap_or_else(|| Arc::new(AtomicUsize::new(0))),
    });
    let stop = Arc::new(AtomicBool::new(false));
    let callback = {
        let owned = owned.clone();
        let stop = stop.clone();
        Arc::new(move |run: &CaseRun| {
            progress(run);
            let Some(&i) = owned.index.get(&run.case_id) else {
                return;
            };
            let ctx = CheckContext {
                spec: &owned.spec,
                schemas: &owned.schemas,
                fixtures: &owned.fixtures,
                redactor: &owned.redactor,
                mode: owned.mode,
                snapshots: &owned.snapshots,
                compare: owned.compare,
            };
            let judged = judge(&owned.cases[i], Some(run), &ctx);
            if matches!(
                judged.verdict.outcome,
                crate::verdict::Outcome::Fail | crate::verdict::Outcome::Error
            ) && owned.failed.fetch_add(1, Ordering::SeqCst) + 1 >= max.max(1)
            {
                stop.store(true, Ordering::SeqCst);
            }
            if let Some(slot) = owned
                .judged
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner)
                .get_mut(i)
            {
                *slot = Some(judged);
            }
        })
    };
    let runs = send_cases(
        config,
        cases,
        fixtures,
        base_url,
        callback,
        Some(stop.clone()),
    )
    .await?;
    let early = std::mem::take(
        &mut *owned
            .judged
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner),
    );
    Ok((runs, early, stop.load(Ordering::SeqCst)))
}

/// The preflight when the configuration asks for it (else, for a target other than the embedded
/// mock, a bare check that something answers). With `force_all`, no API version is left out:
/// only the errors count.
async fn check_target(
    config: &Config,
    prepared: &Prepared,
    base_url: &str,
    force_all: bool,
) -> Result<crate::run::preflight::Preflight, Error> {
    if !config.preflight {
        return Ok(Default::default());
    }
    let mut apis: Vec<Api> = prepared
        .cases
        .iter()
        .filter(|c| c.skip.is_none())
        .map(|c| c.api)
        .collect();
    apis.sort_by_key(|a| a.label());
    apis.dedup();
    let forced = if force_all {
        Api::ALL.to_vec()
    } else {
        config.selection.apis.clone()
    };
    let timeout = config
        .timeout
        .unwrap_or(Duration::from_secs(prepared.fixtures.run.timeout_secs));
    Ok(
        crate::run::preflight::preflight(base_url, &prepared.fixtures, &apis, &forced, timeout)
            .await?,
    )
}

/// A run's target: a base URL, and the embedded mock when the run started one.
struct Target {
    base_url: String,
    mock: Option<MockServer>,
}

impl Target {
    async fn stop(self) {
        if let Some(mock) = self.mock {
            mock.stop().await;
        }
    }
}

/// Starts the embedded mock when no target is named (seeded from the fixtures, with the
/// configured faults), else checks the named URL (and, without a preflight, that something
/// answers there).
async fn start_target(config: &Config, fixtures: &Fixtures) -> Result<Target, Error> {
    match config.target.clone().or_else(|| fixtures.base_url.clone()) {
        Some(url) => {
            check_base_url(&url).map_err(|message| Error::Target {
                url: without_userinfo(&url),
                message,
            })?;
            if !config.preflight {
                probe(&url).await?;
            }
            Ok(Target {
                base_url: url,
                mock: None,
            })
        }
        None => {
            let mock = MockServer::start(fixtures, &config.faults).await?;
            Ok(Target {
                base_url: mock.base_url.clone(),
                mock: Some(mock),
            })
        }
    }
}

/// The one effectful step: starts the target (see [`run_suite`]), checks it, sends every case,
/// stops the mock. Returns the base URL and the runs aligned with the prepared cases (`None`
/// for skipped ones).
pub async fn run_cases(
    config: &Config,
    prepared: &Prepared,
    progress: Arc<dyn Fn(&CaseRun) + Send + Sync>,
) -> Result<(String, Vec<Option<CaseRun>>), Error> {
    let done = execute_cases(config, prepared, progress).await?;
    Ok((done.base_url, done.runs))
}

/// [`run_cases`], and what the run left in its journal.
pub async fn execute_cases(
    config: &Config,
    prepared: &Prepared,
    progress: Arc<dyn Fn(&CaseRun) + Send + Sync>,
) -> Result<Executed, Error> {
    let target = start_target(config, &prepared.fixtures).await?;
    let sent = match check_target(config, prepared, &target.base_url, true).await {
        Ok(_) => {
            send_cases(
                config,
                &prepared.cases,
                &prepared.fixtures,
                &target.base_url,
                progress,
                None,
            )
            .await
        }
        Err(e) => Err(e),
    };
    let base_url = target.base_url.clone();
    target.stop().await;
    let (runs, leftovers) = sent?;
    Ok(Executed {
        base_url,
        runs,
        leftovers,
    })
}

/// Sends `cases` to a started target with the configured pacing and journal, and sends what
/// the journal still holds once more at the end; what is still left after that is returned.
async fn send_cases(
    config: &Config,
    cases: &[Case],
    fixtures: &Fixtures,
    base_url: &str,
    progress: Arc<dyn Fn(&CaseRun) + Send + Sync>,
    stop: Option<Arc<std::sync::atomic::AtomicBool>>,
) -> Result<(Vec<Option<CaseRun>>, Option<Leftovers>), Error> {
    let started = Instant::now();
    let embedded = config.target.is_none() && fixtures.base_url.is_none();
    let prefix = config.run_prefix.clone().unwrap_or_else(run_prefix);
    let options = RunOptions {
        concurrency: config.concurrency.unwrap_or(fixtures.run.concurrency),
        timeout: config
            .timeout
            .unwrap_or(Duration::from_secs(fixtures.run.timeout_secs)),
        run_prefix: prefix.clone(),
    };
    let mut traffic = Traffic::default();
    let run = &fixtures.run;
    if let Some(n) = config.traffic.max_retries.or(run.max_retries) {
        traffic.retry.max_retries = n;
    }
    traffic.requests_per_second = config
        .traffic
        .requests_per_second
        .or(run.requests_per_second.map(f64::from));
    traffic.budget = config.traffic.request_budget.or(run.request_budget);
    traffic.deadline = config
        .traffic
        .deadline
        .or(run.deadline_secs.map(Duration::from_secs));
    traffic.stop = stop;
    traffic.requests = config.request_counter.clone();
    let journal = journal_path(config, fixtures, embedded, &prefix)
        .map(|path| Journal::open(&path).map(Arc::new))
        .transpose()?;
    traffic.journal = journal.clone();
    let runs = execute_with(cases, base_url, fixtures, &options, &traffic, progress).await;
    let mut leftovers = None;
    if let Some(journal) = journal.filter(|j| j.path().exists()) {
        // What a panicking case or a failed cleanup left: one more try now (within what is
        // left of the deadline and its grace), then the journal keeps what is still pending
        // for `jira-conform cleanup`.
        let within = traffic.deadline.map(|d| {
            let grace = cleanup_grace(d);
            (
                (d + grace).saturating_sub(started.elapsed()),
                format!(
                    "the run's deadline ({}) plus its cleanup grace ({})",
                    crate::run::retry::human(d),
                    crate::run::retry::human(grace)
                ),
            )
        });
        let cleaned = clean_up(
            &journal,
            base_url,
            fixtures,
            &options,
            &traffic.retry,
            within,
        )
        .await;
        leftovers = match cleaned {
            Ok(c) if c.left() == 0 => {
                let _ = std::fs::remove_file(journal.path());
                None
            }
            Ok(c) => Some(Leftovers {
                journal: journal.path().to_path_buf(),
                cases: c.left(),
                problems: c
                    .cases
                    .iter()
                    .flat_map(|k| k.problems.iter().map(move |p| format!("{}: {p}", k.case)))
                    .collect(),
                command: cleanup_command(config, journal.path()),
            }),
            Err(e) => Some(Leftovers {
                journal: journal.path().to_path_buf(),
                cases: crate::run::journal::pending(journal.path()).map_or(0, |p| p.len()),
                problems: vec![e.to_string()],
                command: cleanup_command(config, journal.path()),
            }),
        };
    }
    Ok((runs, leftovers))
}

/// Where the cleanup journal of a run goes: `--journal`, else a file of its own (profile, run
/// prefix and process id in its name, so parallel runs and shards never share one) for any
/// target but the embedded mock (whose state dies with the run).
pub fn journal_path(
    config: &Config,
    fixtures: &Fixtures,
    embedded_mock: bool,
    run_prefix: &str,
) -> Option<PathBuf> {
    match (&config.journal, embedded_mock) {
        (Some(path), _) => Some(path.clone()),
        (None, true) => None,
        (None, false) => Some(PathBuf::from(JOURNAL_DIR).join(format!(
            "journal-{}-j{run_prefix}-{}.jsonl",
            fixtures.profile,
            std::process::id()
        ))),
    }
}

/// The folder of default journals; `jira-conform cleanup` without `--journal` reads every
/// `journal-*.jsonl` in it.
pub const JOURNAL_DIR: &str = ".jira-conform";

/// The command that sends what `journal` still holds, as the user would type it.
pub fn cleanup_command(config: &Config, journal: &Path) -> String {
    let mut command = format!(
        "jira-conform cleanup --journal {}",
        shell_word(&journal.display().to_string())
    );
    if let Some(fixtures) = &config.fixtures {
        command.push_str(&format!(
            " --fixtures {}",
            shell_word(&fixtures.display().to_string())
        ));
    }
    if let Some(target) = &config.target {
        // Never a password in a printed command.
        let shown = match reqwest::Url::parse(target) {
            Ok(mut url) => {
                let _ = url.set_username("");
                let _ = url.set_password(None);
                url.to_string().trim_end_matches('/').to_string()
            }
            Err(_) => target.clone(),
        };
        command.push_str(&format!(" --target {}", shell_word(&shown)));
    }
    command
}

/// `text` as one shell word: as is when it is plain, else in single quotes.
fn shell_word(text: &str) -> String {
    let plain = !text.is_empty()
        && text
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "-_./:=@%+,".contains(c));
    if plain {
        text.to_string()
    } else {
        format!("'{}'", text.replace('\'', "'\\''"))
    }
}

/// A fresh staging folder next to `dir` holding the stored snapshots a partial record keeps
/// (all of them unless every case is being recorded).
fn stage_snapshots(dir: &Path, stored: &SnapshotSet, everything: bool) -> std::io::Result<PathBuf> {
    let name = dir
        .file_name()
        .map_or_else(|| "snapshots".into(), |n| n.to_string_lossy().into_owned());
    let staging = dir.with_file_name(format!(".{name}.recording-{}", std::process::id()));
    if staging.exists() {
        std::fs::remove_dir_all(&staging)?;
    }
    std::fs::create_dir_all(&staging)?;
    if !everything {
        for (id, text) in stored.iter() {
            write_snapshot(&staging, id, text, false)?;
        }
    }
    Ok(staging)
}

/// Swaps the staging folder in for `dir`: two renames, so a reader sees the old set or the new
/// one, and a crash between them leaves the old set beside the new one, never a mix.
fn commit_snapshots(staging: &Path, dir: &Path) -> std::io::Result<()> {
    let old = staging.with_extension("old");
    if dir.exists() {
        std::fs::rename(dir, &old)?;
    }
    std::fs::rename(staging, dir)?;
    if old.exists() {
        std::fs::remove_dir_all(&old)?;
    }
    Ok(())
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
