//! `jira-conform run`: the suite against a target (default: the embedded reference mock).

use std::io::Write;
use std::path::PathBuf;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;

use clap::{Args, ValueEnum};
use jira_conform::exchange::CaseRun;
use jira_conform::mock::Fault;
use jira_conform::report::{write_terminal, TerminalOptions};
use jira_conform::verdict::CompareLevel;
use jira_conform::{prepare, run_suite, Config, NoCases, Prepared, RunOutput, SnapshotChoice};

use super::cleanup::report_leftovers;
use super::dry_run::dry_run;
use super::interrupt::{after_interrupt, Signals};
use super::output::{color_choice, write_reports, OutputArgs};
use super::parse::{parse_compare, parse_fault, parse_rps};
use super::select::SelectArgs;
use super::{progress, CliError, Exit};

pub const RUN_HELP: &str = "Exit codes: 0 every case passed or was skipped, 1 a case failed or errored, 2 bad input, an unusable target or a refused preflight, 3 undo requests left in a cleanup journal, 130 interrupted.

Examples:
  jira-conform run                                          # the suite against the embedded mock
  jira-conform run --target http://127.0.0.1:8080 --fixtures my-mock.toml --against jira-cloud
  jira-conform run --partition hash:1/3 --skip observations --report json=shard-1.json";

#[derive(Args)]
pub struct RunArgs {
    #[command(flatten)]
    select: SelectArgs,
    /// Base URL of the target, e.g. https://your-domain.atlassian.net; default: the fixtures'
    /// base_url, else the embedded mock.
    #[arg(long)]
    target: Option<String>,
    /// Seed a fault into the embedded mock (see `mock --list-faults`); repeatable.
    #[arg(long = "fault", value_parser = parse_fault)]
    faults: Vec<Fault>,
    /// Snapshots: verify against snapshots/<profile>/, record them, or ignore them.
    #[arg(long, value_enum, default_value_t = SnapshotArg::Auto)]
    snapshots: SnapshotArg,
    /// Folder of snapshot profiles.
    #[arg(long, default_value = "snapshots")]
    snapshot_dir: PathBuf,
    /// Record this target's exchanges as the reference snapshots of its profile (the same as
    /// --snapshots record).
    #[arg(long, conflicts_with_all = ["snapshots", "against"])]
    record: bool,
    /// Let writing cases run against a non-loopback target (they only touch keys with the run
    /// prefix and clean up; without this they are skipped there).
    #[arg(long, conflicts_with = "read_only")]
    allow_writes: bool,
    /// Run only the cases that do not write, whatever the target.
    #[arg(long)]
    read_only: bool,
    /// Print every request the run would send (method, URL, body size) and send none.
    #[arg(long)]
    dry_run: bool,
    /// Retries of a request answered 429 or 503 (default 3; 0 turns retries off).
    #[arg(long)]
    max_retries: Option<u32>,
    /// Requests per second at most.
    #[arg(long, value_parser = parse_rps)]
    rps: Option<f64>,
    /// Requests to the target at most in this run (the undo requests of what was created are
    /// still sent).
    #[arg(long)]
    request_budget: Option<u64>,
    /// Wall time of the run at most, in seconds, cleanup included (cleanups get a grace of a
    /// quarter of it, 1 to 10 s; what is left stays in the journal).
    #[arg(long, value_name = "SECS")]
    deadline: Option<u64>,
    /// The cleanup journal (default for a target other than the embedded mock: a file of this
    /// run's own, .jira-conform/journal-<profile>-j<run prefix>-<pid>.jsonl); see `cleanup`.
    #[arg(long)]
    journal: Option<PathBuf>,
    /// Verify against the snapshots recorded for another profile (e.g. a real Jira site's),
    /// mapping principals and entities by their names in the fixtures.
    #[arg(long, value_name = "PROFILE", conflicts_with = "snapshots")]
    against: Option<String>,
    /// How closely an exchange must match its reference snapshot: status, content-type, shape
    /// (members and JSON types) or values (after redaction). Default: values for the profile's
    /// own snapshots, shape with --against (another site's values differ by nature).
    #[arg(long, value_name = "LEVEL", value_parser = parse_compare)]
    compare: Option<CompareLevel>,
    /// Cases in flight at once, 1 to 1024 (default: the fixtures' run.concurrency, 8).
    #[arg(long, value_parser = clap::value_parser!(u16).range(1..=1024))]
    concurrency: Option<u16>,
    /// Per-request timeout in seconds (default: the fixtures' run.timeout_secs).
    #[arg(long)]
    timeout: Option<u64>,
    /// Skip the preflight (GET /myself as each principal on each API version before the first
    /// case; it stops the run with exit 2 on a refused token, a wrong account id or a target that
    /// is not Jira, and leaves out an API version the target does not serve).
    #[arg(long)]
    no_preflight: bool,
    /// Stop starting cases after the first failed or errored one (cases in flight finish and
    /// clean up; the rest are reported as not run). The same as --max-fail 1.
    #[arg(long, conflicts_with = "max_fail")]
    fail_fast: bool,
    /// What a selection of no case does: fail (exit 2, the default), warn, or pass.
    #[arg(long, value_enum, default_value_t = NoCasesArg::Fail, value_name = "fail|warn|pass")]
    no_cases: NoCasesArg,
    /// List the selected case ids as libtest does (`ID: test`) and exit, sending nothing.
    #[arg(long)]
    list: bool,
    /// Stop starting cases after N failed or errored ones.
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u64).range(1..))]
    max_fail: Option<u64>,
    #[command(flatten)]
    output: OutputArgs,
}

impl RunArgs {
    /// The spec file given, if any (the embedded spec otherwise).
    pub fn spec(&self) -> Option<&std::path::Path> {
        self.select.spec.as_deref()
    }
}

#[derive(Clone, Copy, ValueEnum)]
enum NoCasesArg {
    Fail,
    Warn,
    Pass,
}

#[derive(Clone, Copy, ValueEnum)]
enum SnapshotArg {
    Auto,
    Verify,
    Record,
    Off,
}

/// How the sending ended: with the run's output, or interrupted (the undo already done).
enum Sent {
    Ran(Box<RunOutput>),
    Interrupted(Exit),
}

/// Prepares, checks the settings, then lists, dry-runs or runs the cases and shows the result.
pub async fn run(args: RunArgs) -> Result<Exit, CliError> {
    let mut config = config(&args);
    let prepared = prepare(&config)?;
    if args.list {
        list_ids(&prepared);
        return Ok(Exit::Ok);
    }
    jira_conform::check_settings(&config, &prepared)?;
    if prepared.cases.is_empty() {
        if matches!(args.no_cases, NoCasesArg::Warn) {
            eprintln!("warning: the selection matches no case; nothing was run");
        }
        return Ok(Exit::Ok);
    }
    if args.dry_run {
        dry_run(&config, &prepared);
        return Ok(Exit::Ok);
    }
    let exit = match send(&mut config, &prepared).await? {
        Sent::Ran(output) => {
            let shown = show(&args, &output);
            // As below: the verdicts and their exchanges are not freed one by one.
            std::mem::forget(output);
            shown
        }
        Sent::Interrupted(exit) => Ok(exit),
    };
    // The process ends here: freeing the spec's tree and every case would only delay the exit
    // (plain data, nothing to flush or remove; the journal and the mock are done with).
    std::mem::forget(prepared);
    exit
}

/// The library's configuration from the command line.
fn config(args: &RunArgs) -> Config {
    let mut config = args.select.config();
    config.target = args.target.clone();
    config.faults = args.faults.clone();
    config.snapshots = match args.snapshots {
        _ if args.record => SnapshotChoice::Record,
        _ if args.against.is_some() => SnapshotChoice::Verify,
        SnapshotArg::Auto => SnapshotChoice::Auto,
        SnapshotArg::Verify => SnapshotChoice::Verify,
        SnapshotArg::Record => SnapshotChoice::Record,
        SnapshotArg::Off => SnapshotChoice::Off,
    };
    config.against = args.against.clone();
    config.compare = args.compare;
    config.traffic = jira_conform::TrafficSettings {
        max_retries: args.max_retries,
        requests_per_second: args.rps,
        request_budget: args.request_budget,
        deadline: args.deadline.map(Duration::from_secs),
    };
    config.journal = args.journal.clone();
    // Decided here so that after an interrupt this process finds the run's own journal.
    config.run_prefix = Some(jira_conform::run::run_prefix());
    config.consent = jira_conform::consent::Consent {
        allow_writes: args.allow_writes,
        read_only: args.read_only,
    };
    config.snapshot_root = Some(args.snapshot_dir.clone());
    config.concurrency = args.concurrency.map(usize::from);
    config.timeout = args.timeout.map(Duration::from_secs);
    config.preflight = !args.no_preflight;
    config.max_fail = match (args.fail_fast, args.max_fail) {
        (true, _) => Some(1),
        (false, n) => n.map(|n| usize::try_from(n).unwrap_or(usize::MAX)),
    };
    config.no_cases = match args.no_cases {
        NoCasesArg::Fail => NoCases::Fail,
        NoCasesArg::Warn => NoCases::Warn,
        NoCasesArg::Pass => NoCases::Pass,
    };
    config
}

/// libtest's listing, so tools that read `cargo test -- --list` read this too.
fn list_ids(prepared: &Prepared) {
    let mut out = std::io::stdout().lock();
    for case in prepared.cases.iter() {
        if writeln!(out, "{}: test", case.id).is_err() {
            break;
        }
    }
}

/// Runs the suite with a progress bar on a terminal (judging each case as it finishes, so the
/// bar shows the failures so far) until it ends or a signal interrupts it.
async fn send(config: &mut Config, prepared: &Prepared) -> Result<Sent, CliError> {
    let runnable = prepared.cases.iter().filter(|c| c.skip.is_none()).count() as u64;
    let bar = progress::case_bar(runnable);
    let failed_so_far = bar.as_ref().map(|_| Arc::new(AtomicUsize::new(0)));
    config.live_failures = failed_so_far.clone();
    let tick = bar.clone();
    let progress = Arc::new(move |_: &CaseRun| {
        if let Some(b) = &tick {
            b.inc(1);
            let failed = failed_so_far
                .as_ref()
                .map_or(0, |f| f.load(Ordering::Relaxed));
            if failed > 0 {
                b.set_message(format!("{failed} failed"));
            }
        }
    });
    let mut signals = Signals::new();
    let ended = tokio::select! {
        output = run_suite(config, prepared, progress) => Ok(output),
        signal = signals.next() => Err(signal),
    };
    if let Some(b) = &bar {
        b.finish_and_clear();
    }
    match ended {
        Ok(output) => Ok(Sent::Ran(Box::new(output?))),
        Err(signal) => Ok(Sent::Interrupted(
            after_interrupt(config, prepared, signal, &mut signals).await,
        )),
    }
}

/// The summary (on stderr when a report owns standard output), the snapshots written, the
/// report files, what is left in the journal; the exit code.
fn show(args: &RunArgs, output: &RunOutput) -> Result<Exit, CliError> {
    // A report written to stdout (`--report json=-`) owns it: what is for people goes to stderr.
    let to_stdout = args
        .output
        .reports
        .iter()
        .filter(|(_, p)| p.as_os_str() == "-")
        .count();
    if to_stdout > 1 {
        return Err(CliError::Usage(
            "--report FORMAT=- writes to standard output: give it to one report only",
        ));
    }
    let machine_stdout = to_stdout == 1;
    let color = color_choice(args.output.color) && !machine_stdout;
    let mut human: Box<dyn Write> = if machine_stdout {
        Box::new(std::io::stderr().lock())
    } else {
        Box::new(std::io::stdout().lock())
    };
    let options = TerminalOptions {
        color,
        verbose: args.output.verbose,
    };
    write_terminal(&output.report, &mut human, &options).map_err(|source| CliError::Print {
        what: "the summary",
        source,
    })?;
    if let Some((dir, n)) = &output.snapshots_written {
        let what = if args.record || matches!(args.snapshots, SnapshotArg::Record) {
            "recorded"
        } else {
            "new or changed, pending review (cargo insta review, after `cargo install cargo-insta`; or run with --snapshots record)"
        };
        let _ = writeln!(human, "{n} snapshots {what} in {}", dir.display());
    }
    drop(human);
    write_reports(&output.report, &args.output.reports)?;
    if let Some(left) = &output.leftovers {
        report_leftovers(left.cases, &left.journal, &left.command, &left.problems);
        return Ok(Exit::Leftovers);
    }
    Ok(Exit::failed_if(output.report.failed()))
}
