//! The `jira-conform` command: parses arguments, calls the library, renders errors and picks
//! the exit code (0 all passed, 1 a case failed or errored, 2 bad input or unusable target,
//! 3 undo requests left in a cleanup journal, 130 interrupted).

use std::io::{IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;
use std::time::Duration;

use clap::{Args, Parser, Subcommand, ValueEnum};
use jira_conform::case::{Api, Family};
use jira_conform::mock::Fault;
use jira_conform::report::{
    write_coverage, write_coverage_json, write_diff, write_html, write_json, write_junit,
    write_markdown, write_terminal, TerminalOptions,
};
use jira_conform::select::{Partition, Selection};
use jira_conform::{prepare, run_suite, Config, SnapshotChoice};

#[derive(Parser)]
#[command(
    name = "jira-conform",
    version,
    about = "Conformance tests for the Jira Cloud REST API, against any base URL"
)]
struct Cli {
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

#[derive(Subcommand)]
enum ReportCommand {
    /// Join the JSON reports of the shards of one run (each shard exactly once) and write the
    /// whole run's reports, e.g. `report merge shard-*.json --report html=report.html`.
    #[command(after_help = MERGE_HELP)]
    Merge(MergeArgs),
}

// What `--help` shows after the options: exit codes and examples, per command.
const RUN_HELP: &str = "Exit codes: 0 every case passed or was skipped, 1 a case failed or errored, 2 bad input, an unusable target or a refused preflight, 3 undo requests left in a cleanup journal, 130 interrupted.

Examples:
  jira-conform run                                          # the suite against the embedded mock
  jira-conform run --target http://127.0.0.1:8080 --fixtures my-mock.toml --against jira-cloud
  jira-conform run --partition hash:1/3 --skip observations --report json=shard-1.json";
const LIST_HELP: &str = "Exit codes: 0 listed, 2 bad input.

Examples:
  jira-conform list --family limits --api 3
  jira-conform list --spec jira-platform-v3.json --coverage --why
  jira-conform list --coverage --format json > coverage.json";
const MOCK_HELP: &str =
    "Exit codes: 0 stopped with Ctrl-C, 2 bad input or the port cannot be bound.

Examples:
  jira-conform mock --port 8080
  jira-conform mock --port 0 --fault post-accepted --fixtures-out mock-fixtures.toml
  jira-conform mock --port 8080 --api 3                     # a partial mock: v3 only";
const DIFF_HELP: &str = "Exit codes: 0 the targets agree, 1 they disagree, 2 bad input or an unusable target, 3 undo requests left in a journal.

Examples:
  jira-conform diff --fault-b post-accepted                 # two embedded mocks, one broken
  jira-conform diff --target http://127.0.0.1:8080 --fixtures a.toml --against-target http://127.0.0.1:9090 --fixtures-b b.toml
  jira-conform diff --compare status --report html=diff.html";
const VALIDATE_HELP: &str = "Exit codes: 0 every exchange conforms, 1 a discrepancy, 2 bad input.

Examples:
  jira-conform validate --har session.har
  jira-conform validate --pairs recorded/ --spec jira-platform-v3.json
  jira-conform validate --har session.har --report markdown=findings.md";
const CLEANUP_HELP: &str = "Exit codes: 0 nothing is left, 2 bad input or a journal with no entry, 3 undo requests still left.

Examples:
  jira-conform cleanup --fixtures my-site.toml              # every journal in .jira-conform/
  jira-conform cleanup --journal .jira-conform/journal-my-site-jab1-4242.jsonl --fixtures my-site.toml
  jira-conform cleanup --target http://127.0.0.1:8080 --timeout 5";
const INIT_HELP: &str = "Exit codes: 0 the fixtures file was written, 2 bad input, a refused token, an unreachable target or one that is not Jira.

Examples:
  jira-conform init --target https://your-domain.atlassian.net --principal admin=admin@example.com:JIRA_ADMIN_TOKEN --out my-site.toml
  jira-conform init --target http://127.0.0.1:8080 --principal admin=admin@example.test:T_ADMIN --principal alice=alice@example.test:T_ALICE
  jira-conform init --target URL --principal ci=bearer:JIRA_BEARER --max-projects 3 --max-issues 3";
const MERGE_HELP: &str = "Exit codes: 0 every case of the whole run passed, 1 a case failed, 2 a shard missing, given twice, or not a report.

Examples:
  jira-conform report merge shard-1.json shard-2.json shard-3.json --report html=report.html
  jira-conform report merge shard-*.json --report junit=junit.xml --report json=all.json
  jira-conform report merge shard-*.json -v";

#[derive(Args)]
struct MergeArgs {
    /// The shards' JSON reports (`run --partition hash:K/N --report json=PATH`).
    #[arg(required = true, value_name = "REPORT.json")]
    shards: Vec<PathBuf>,
    #[command(flatten)]
    output: OutputArgs,
}

#[derive(Args)]
struct InitArgs {
    /// The target's base URL, e.g. https://your-domain.atlassian.net.
    #[arg(long)]
    target: String,
    /// A principal: NAME=EMAIL:TOKEN_ENV (basic, the API token in the environment variable
    /// TOKEN_ENV) or NAME=bearer:TOKEN_ENV; repeatable. An administrator and two ordinary users
    /// make the full matrix.
    #[arg(long = "principal", required = true, value_parser = parse_principal)]
    principals: Vec<jira_conform::init::PrincipalSpec>,
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

#[derive(Args)]
struct CleanupArgs {
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

#[derive(Args)]
struct ListArgs {
    #[command(flatten)]
    select: SelectArgs,
    /// Show per tag and operation which families produced cases, and why the others did not.
    #[arg(long)]
    coverage: bool,
    /// With --coverage: explain every missing family, also of operations that have cases.
    #[arg(long, requires = "coverage")]
    why: bool,
    /// Output: text (default) or json (the cases, or with --coverage the coverage).
    #[arg(long, value_enum, default_value_t = CoverageFormat::Text)]
    format: CoverageFormat,
    /// Colour: auto (on a terminal, unless CI or NO_COLOR is set), always, never.
    #[arg(long, value_enum, default_value_t = ColorArg::Auto)]
    color: ColorArg,
}

#[derive(Clone, Copy, ValueEnum)]
enum CoverageFormat {
    Text,
    Json,
}

#[derive(Args)]
struct SelectArgs {
    /// OpenAPI 3.0 spec (JSON or YAML); default: the embedded spec.
    #[arg(long)]
    spec: Option<PathBuf>,
    /// Fixtures file (TOML); default: the embedded mock's fixtures.
    #[arg(long)]
    fixtures: Option<PathBuf>,
    /// API version to generate for (2 or 3); repeatable; default both.
    #[arg(long = "api", value_parser = parse_api)]
    apis: Vec<Api>,
    /// Only operations with this spec tag, e.g. "User properties"; repeatable.
    #[arg(long = "tag")]
    tags: Vec<String>,
    /// Only this operationId; repeatable.
    #[arg(long = "operation")]
    operations: Vec<String>,
    /// Only this family (methods, limits, permissions, keys, schema, roundtrip, parameters,
    /// observations).
    #[arg(long = "family", value_parser = parse_family)]
    families: Vec<Family>,
    /// Only cases whose id contains one of these strings.
    filters: Vec<String>,
    /// Leave out cases whose id contains this string (with --exact: is this id); repeatable.
    #[arg(long = "skip", value_name = "PATTERN")]
    skips: Vec<String>,
    /// Filters and --skip patterns match whole case ids, not substrings.
    #[arg(long)]
    exact: bool,
    /// Only operations whose path matches this glob (`/issue/*/worklog`, `/rest/api/3/user/**`);
    /// repeatable.
    #[arg(long = "path")]
    paths: Vec<String>,
    /// Only this shard: hash:K/N (as nextest); N jobs with K = 1..=N run every case once.
    #[arg(long, value_parser = Partition::parse)]
    partition: Option<Partition>,
}

#[derive(Args)]
struct RunArgs {
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
    compare: Option<jira_conform::verdict::CompareLevel>,
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

/// How a run's verdicts are shown and written.
#[derive(Args)]
struct OutputArgs {
    /// Also write a report: junit=PATH, json=PATH, markdown=PATH or html=PATH; repeatable.
    #[arg(long = "report", value_parser = parse_report)]
    reports: Vec<(ReportFormat, PathBuf)>,
    /// List passing and skipped cases too.
    #[arg(long, short)]
    verbose: bool,
    /// Colour: auto (on a terminal, unless CI or NO_COLOR is set), always, never.
    #[arg(long, value_enum, default_value_t = ColorArg::Auto)]
    color: ColorArg,
}

#[derive(Args)]
struct DiffArgs {
    #[command(flatten)]
    select: SelectArgs,
    /// Target A's base URL; default: its fixtures' base_url, else an embedded mock.
    #[arg(long)]
    target: Option<String>,
    /// Seed a fault into target A's embedded mock; repeatable.
    #[arg(long = "fault", value_parser = parse_fault)]
    faults: Vec<Fault>,
    /// Target B's base URL; default: its fixtures' base_url, else an embedded mock.
    #[arg(long)]
    against_target: Option<String>,
    /// Target B's fixtures; default: the same as A's.
    #[arg(long)]
    fixtures_b: Option<PathBuf>,
    /// Skip the preflight of both targets (see `run --help`).
    #[arg(long)]
    no_preflight: bool,
    /// How closely the two targets' answers must agree: status, content-type, shape (members
    /// and JSON types; the default) or values (after redaction).
    #[arg(long, value_name = "LEVEL", value_parser = parse_compare)]
    compare: Option<jira_conform::verdict::CompareLevel>,
    /// Also write target B's run as a report (its verdicts on the documentation, target A's
    /// answers as its reference): junit=PATH, json=PATH, markdown=PATH or html=PATH; repeatable.
    #[arg(long = "report", value_parser = parse_report)]
    reports: Vec<(ReportFormat, PathBuf)>,
    /// Seed a fault into target B's embedded mock; repeatable.
    #[arg(long = "fault-b", value_parser = parse_fault)]
    faults_b: Vec<Fault>,
    /// Colour: auto (on a terminal, unless CI or NO_COLOR is set), always, never.
    #[arg(long, value_enum, default_value_t = ColorArg::Auto)]
    color: ColorArg,
}

#[derive(Args)]
#[command(group(clap::ArgGroup::new("input").required(true).args(["har", "pairs"])))]
struct ValidateArgs {
    /// A HAR 1.2 recording (browser devtools, a proxy, Postman) of traffic to Jira.
    #[arg(long, value_name = "FILE.har")]
    har: Option<PathBuf>,
    /// A folder of request/response pairs, one `NAME.json` each: {"method", "url", "status",
    /// "content_type", "body"}.
    #[arg(long, value_name = "DIR")]
    pairs: Option<PathBuf>,
    /// OpenAPI 3.0 spec (JSON or YAML); default: the embedded spec.
    #[arg(long)]
    spec: Option<PathBuf>,
    /// A known-deviations file (e.g. fixtures/jira-cloud.known-deviations.toml): recorded
    /// answers that depart as it says are reported as known, with its evidence.
    #[arg(long, value_name = "FILE")]
    known_deviations: Option<PathBuf>,
    #[command(flatten)]
    output: OutputArgs,
}

#[derive(Args)]
struct MockArgs {
    /// Port on 127.0.0.1 (0 picks a free one).
    #[arg(long, default_value_t = 8080)]
    port: u16,
    /// Fixtures the mock takes its users from; default: the embedded ones.
    #[arg(long)]
    fixtures: Option<PathBuf>,
    /// Seed a fault; repeatable.
    #[arg(long = "fault", value_parser = parse_fault)]
    faults: Vec<Fault>,
    /// Print the seeded faults the mock knows and exit.
    #[arg(long)]
    list_faults: bool,
    /// Write a fixtures file for this mock (its principals, its world, `base_url` set to its
    /// address), to pass to `run --fixtures`.
    #[arg(long, value_name = "FILE")]
    fixtures_out: Option<PathBuf>,
    /// Serve only this API version (2 or 3); repeatable; default both. Paths of the other
    /// answer 404, as a partial mock's would.
    #[arg(long = "api", value_parser = parse_api)]
    apis: Vec<Api>,
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

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
enum ColorArg {
    Auto,
    Always,
    Never,
}

#[derive(Clone, Copy, Debug)]
enum ReportFormat {
    Junit,
    Json,
    Markdown,
    Html,
}

fn parse_principal(s: &str) -> Result<jira_conform::init::PrincipalSpec, String> {
    s.parse()
}

fn parse_api(s: &str) -> Result<Api, String> {
    Api::parse(s).ok_or_else(|| format!("{s:?} is not an API version: use 2 or 3"))
}

fn parse_family(s: &str) -> Result<Family, String> {
    Family::parse(s).ok_or_else(|| {
        let names: Vec<&str> = Family::ALL.iter().map(|f| f.name()).collect();
        format!("{s:?} is not a family: use one of {}", names.join(", "))
    })
}

fn parse_rps(s: &str) -> Result<f64, String> {
    match s.parse::<f64>() {
        Ok(v) if v > 0.0 && v.is_finite() => Ok(v),
        _ => Err(format!(
            "{s:?} is not a rate: give requests per second, more than 0"
        )),
    }
}

fn parse_compare(s: &str) -> Result<jira_conform::verdict::CompareLevel, String> {
    jira_conform::verdict::CompareLevel::parse(s).ok_or_else(|| {
        format!("{s:?} is not a comparison level: use status, content-type, shape or values")
    })
}

fn parse_fault(s: &str) -> Result<Fault, String> {
    Fault::parse(s).ok_or_else(|| {
        let names: Vec<&str> = Fault::ALL.iter().map(|f| f.name()).collect();
        format!("{s:?} is not a fault: use one of {}", names.join(", "))
    })
}

fn parse_report(s: &str) -> Result<(ReportFormat, PathBuf), String> {
    let (format, path) = s
        .split_once('=')
        .ok_or_else(|| format!("{s:?}: write FORMAT=PATH, e.g. junit=target/junit.xml"))?;
    let format = match format {
        "junit" => ReportFormat::Junit,
        "json" => ReportFormat::Json,
        "markdown" | "md" => ReportFormat::Markdown,
        "html" => ReportFormat::Html,
        other => {
            return Err(format!(
                "{other:?} is not a report format: use junit, json, markdown or html"
            ))
        }
    };
    Ok((format, PathBuf::from(path)))
}

impl SelectArgs {
    fn config(&self) -> Config {
        Config {
            spec: self.spec.clone(),
            fixtures: self.fixtures.clone(),
            selection: Selection {
                apis: self.apis.clone(),
                tags: self.tags.clone(),
                operation_ids: self.operations.clone(),
                families: self.families.clone(),
                filters: self.filters.clone(),
                skips: self.skips.clone(),
                exact: self.exact,
                partition: self.partition,
                paths: self.paths.clone(),
            },
            ..Config::default()
        }
    }
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => return fail(&format!("cannot start the async runtime: {e}")),
    };
    match cli.command {
        Command::Run(args) => runtime.block_on(run(args)),
        Command::List(args) => list(&args),
        Command::Mock(args) => runtime.block_on(mock(args)),
        Command::Diff(args) => runtime.block_on(diff(args)),
        Command::Validate(args) => validate(&args),
        Command::Cleanup(args) => runtime.block_on(cleanup(args)),
        Command::SpecDiff(args) => spec_diff(&args),
        Command::Report(ReportCommand::Merge(args)) => merge_reports(&args),
        Command::Init(args) => runtime.block_on(init(args)),
    }
}

async fn init(args: InitArgs) -> ExitCode {
    use jira_conform::init::{discover, render, InitOptions};
    if let Some(out) = args.out.as_ref().filter(|o| o.exists() && !args.force) {
        return fail(&format!(
            "{} exists; pass --force to overwrite it",
            out.display()
        ));
    }
    let mut options = InitOptions::new(args.target.clone(), args.principals.clone());
    options.profile = args.profile.clone();
    options.max_projects = args.max_projects;
    options.max_issues = args.max_issues;
    options.requests_per_second = args.rps;
    options.max_retries = args.max_retries;
    options.request_budget = args.request_budget;
    options.timeout = Duration::from_secs(args.timeout.max(1));
    if let Some(path) = &args.labels_from {
        match jira_conform::init::labels_from(path) {
            Ok(world) => options.labels_from = Some(world),
            Err(e) => return fail(&e.to_string()),
        }
    }
    let interactive = std::io::stderr().is_terminal() && std::env::var_os("CI").is_none();
    let bar = interactive.then(|| {
        let bar = indicatif::ProgressBar::new_spinner();
        if let Ok(style) = indicatif::ProgressStyle::with_template("{spinner} {msg} {elapsed}") {
            bar.set_style(style);
        }
        bar
    });
    let tick = bar.clone();
    let progress = move |p: jira_conform::init::Progress| {
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
    let discovery = match found {
        Ok(d) => d,
        Err(e) => return fail(&e.to_string()),
    };
    let text = render(&discovery);
    match &args.out {
        Some(path) => {
            if let Err(e) = std::fs::write(path, &text) {
                return fail(&format!("cannot write {}: {e}", path.display()));
            }
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
                    return fail(&format!("cannot write the fixtures: {e}"));
                }
            }
        }
    }
    ExitCode::SUCCESS
}

fn fail(message: &str) -> ExitCode {
    eprintln!("error: {message}");
    ExitCode::from(2)
}

/// The exit code of a run, an interrupt or a cleanup that leaves undo requests in a journal.
const LEFTOVERS: u8 = 3;
/// The exit code after Ctrl-C or SIGTERM.
const INTERRUPTED: u8 = 130;
/// How long the undo after a first Ctrl-C may take before the run leaves the rest in the journal.
const INTERRUPT_GRACE: Duration = Duration::from_secs(10);

/// Says that `cases` unfinished cases are left in `journal` and how to finish them.
fn report_leftovers(cases: usize, journal: &std::path::Path, command: &str, problems: &[String]) {
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

fn list(args: &ListArgs) -> ExitCode {
    if args.coverage {
        return list_coverage(args);
    }
    let prepared = match prepare(&args.select.config()) {
        Ok(p) => p,
        Err(e) => return fail(&e.to_string()),
    };
    let mut out = std::io::stdout().lock();
    if matches!(args.format, CoverageFormat::Json) {
        // One object per case: what `list` prints as text, for programs.
        let cases: Vec<serde_json::Value> = prepared
            .cases
            .iter()
            .map(|c| {
                serde_json::json!({
                    "id": c.id,
                    "api": c.api.label(),
                    "resource": c.resource,
                    "operation_id": c.operation_id,
                    "family": c.family.name(),
                    "summary": c.summary,
                    "expected_status": c.headline().map(|s| s.expect.status.to_string()),
                    "writes": c.writes,
                    "skip": c.skip,
                })
            })
            .collect();
        let text = serde_json::to_string_pretty(&serde_json::json!({ "cases": cases }))
            .unwrap_or_else(|_| "{}".into());
        let _ = writeln!(out, "{text}");
        return ExitCode::SUCCESS;
    }
    for case in &prepared.cases {
        let expect = case
            .headline()
            .map_or_else(String::new, |s| s.expect.status.to_string());
        let skip = case
            .skip
            .as_deref()
            .map_or_else(String::new, |r| format!("  (skipped: {r})"));
        if writeln!(out, "{}  {}  {}{skip}", case.id, case.family, expect).is_err() {
            return ExitCode::SUCCESS;
        }
    }
    let _ = writeln!(out, "{} cases", prepared.cases.len());
    // The process ends here: freeing the spec's tree (14 % of a `list` of the full spec, by
    // callgrind) would only delay the exit.
    std::mem::forget(prepared);
    ExitCode::SUCCESS
}

fn list_coverage(args: &ListArgs) -> ExitCode {
    let coverage = match jira_conform::coverage(&args.select.config()) {
        Ok(c) => c,
        Err(e) => return fail(&e.to_string()),
    };
    let mut out = std::io::stdout().lock();
    let written = match args.format {
        CoverageFormat::Text => {
            write_coverage(&mut out, &coverage, color_choice(args.color), args.why)
        }
        CoverageFormat::Json => write_coverage_json(&mut out, &coverage),
    };
    // A closed pipe (`| head`) is not an error worth reporting.
    match written {
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => fail(&e.to_string()),
        _ => ExitCode::SUCCESS,
    }
}

async fn run(args: RunArgs) -> ExitCode {
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
        NoCasesArg::Fail => jira_conform::NoCases::Fail,
        NoCasesArg::Warn => jira_conform::NoCases::Warn,
        NoCasesArg::Pass => jira_conform::NoCases::Pass,
    };
    let prepared = match prepare(&config) {
        Ok(p) => p,
        Err(e) => return fail(&e.to_string()),
    };
    if args.list {
        // libtest's listing, so tools that read `cargo test -- --list` read this too.
        let mut out = std::io::stdout().lock();
        for case in &prepared.cases {
            if writeln!(out, "{}: test", case.id).is_err() {
                break;
            }
        }
        return ExitCode::SUCCESS;
    }
    if let Err(e) = jira_conform::check_settings(&config, &prepared) {
        return fail(&e.to_string());
    }
    if prepared.cases.is_empty() {
        if matches!(args.no_cases, NoCasesArg::Warn) {
            eprintln!("warning: the selection matches no case; nothing was run");
        }
        return ExitCode::SUCCESS;
    }
    if args.dry_run {
        return dry_run(&config, &prepared);
    }
    let interactive = std::io::stderr().is_terminal() && std::env::var_os("CI").is_none();
    let bar = if interactive {
        let runnable = prepared.cases.iter().filter(|c| c.skip.is_none()).count() as u64;
        let bar = indicatif::ProgressBar::new(runnable);
        if let Ok(style) = indicatif::ProgressStyle::with_template(
            "{spinner} [{bar:30}] {pos}/{len} cases {elapsed} {msg}",
        ) {
            bar.set_style(style.progress_chars("=> "));
        }
        Some(bar)
    } else {
        None
    };
    // On a terminal each case is judged as it finishes, so the bar shows the failures so far.
    let failed_so_far = bar
        .as_ref()
        .map(|_| Arc::new(std::sync::atomic::AtomicUsize::new(0)));
    config.live_failures = failed_so_far.clone();
    let tick = bar.clone();
    let progress = Arc::new(move |_: &jira_conform::exchange::CaseRun| {
        if let Some(b) = &tick {
            b.inc(1);
            let failed = failed_so_far
                .as_ref()
                .map_or(0, |f| f.load(std::sync::atomic::Ordering::Relaxed));
            if failed > 0 {
                b.set_message(format!("{failed} failed"));
            }
        }
    });
    let mut signals = Signals::new();
    let output = tokio::select! {
        output = run_suite(&config, &prepared, progress) => output,
        signal = signals.next() => {
            if let Some(b) = &bar {
                b.finish_and_clear();
            }
            return after_interrupt(&config, &prepared, signal, &mut signals).await;
        }
    };
    let output = match output {
        Ok(o) => o,
        Err(e) => {
            if let Some(b) = bar {
                b.finish_and_clear();
            }
            return fail(&e.to_string());
        }
    };
    if let Some(b) = bar {
        b.finish_and_clear();
    }
    // A report written to stdout (`--report json=-`) owns it: what is for people goes to stderr.
    let to_stdout = args
        .output
        .reports
        .iter()
        .filter(|(_, p)| p.as_os_str() == "-")
        .count();
    if to_stdout > 1 {
        return fail("--report FORMAT=- writes to standard output: give it to one report only");
    }
    let machine_stdout = to_stdout == 1;
    let color = color_choice(args.output.color) && !machine_stdout;
    let mut human: Box<dyn Write> = if machine_stdout {
        Box::new(std::io::stderr().lock())
    } else {
        Box::new(std::io::stdout().lock())
    };
    if let Err(e) = write_terminal(
        &output.report,
        &mut human,
        &TerminalOptions {
            color,
            verbose: args.output.verbose,
        },
    ) {
        return fail(&format!("cannot write the summary: {e}"));
    }
    if let Some((dir, n)) = &output.snapshots_written {
        let what = if args.record || matches!(args.snapshots, SnapshotArg::Record) {
            "recorded"
        } else {
            "new or changed, pending review (cargo insta review, after `cargo install cargo-insta`; or run with --snapshots record)"
        };
        let _ = writeln!(human, "{n} snapshots {what} in {}", dir.display());
    }
    drop(human);
    if let Err(message) = write_reports(&output.report, &args.output.reports) {
        return fail(&message);
    }
    if let Some(left) = &output.leftovers {
        report_leftovers(left.cases, &left.journal, &left.command, &left.problems);
        return ExitCode::from(LEFTOVERS);
    }
    if output.report.failed() {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}

async fn mock(args: MockArgs) -> ExitCode {
    if args.list_faults {
        for f in Fault::ALL {
            println!("{:<30} {}", f.name(), f.description());
        }
        return ExitCode::SUCCESS;
    }
    let fixtures = match &args.fixtures {
        Some(path) => jira_conform::fixtures::Fixtures::load(path),
        None => jira_conform::fixtures::Fixtures::embedded(),
    };
    let fixtures = match fixtures {
        Ok(f) => f,
        Err(e) => return fail(&e.to_string()),
    };
    let addr = std::net::SocketAddr::from(([127, 0, 0, 1], args.port));
    let listener = match tokio::net::TcpListener::bind(addr).await {
        Ok(l) => l,
        Err(e) => return fail(&format!("cannot listen on {addr}: {e}")),
    };
    let bound = listener.local_addr().map_or(addr, |a| a);
    // Written before the first line, so whoever reads the URL finds the file there.
    let text = match &args.fixtures {
        Some(path) => std::fs::read_to_string(path).unwrap_or_default(),
        None => jira_conform::fixtures::EMBEDDED_MOCK_FIXTURES.to_string(),
    };
    let url = format!("http://{bound}");
    if let Some(out) = &args.fixtures_out {
        if let Err(e) = std::fs::write(out, jira_conform::fixtures::with_base_url(&text, &url)) {
            return fail(&format!("cannot write {}: {e}", out.display()));
        }
    }
    let faults: Vec<&str> = args.faults.iter().map(|f| f.name()).collect();
    println!(
        "reference mock listening on http://{bound} (profile {}, faults: {})",
        fixtures.profile,
        if faults.is_empty() {
            "none".to_string()
        } else {
            faults.join(", ")
        }
    );
    // The embedded fixtures' tokens are not secrets; a user's fixtures' are never printed.
    let embedded = args.fixtures.is_none();
    for p in &fixtures.principals {
        let how = match &p.credentials {
            jira_conform::fixtures::Credentials::Basic { email, token } if embedded => {
                format!("{email} / token {}", token.expose())
            }
            jira_conform::fixtures::Credentials::Basic { email, .. } => {
                format!("{email} / the token of {}", p.key)
            }
            jira_conform::fixtures::Credentials::Bearer { .. } => {
                format!("bearer token of {}", p.key)
            }
        };
        println!(
            "  {:<8} {how}{}",
            p.name,
            if p.admin { " (administrator)" } else { "" }
        );
    }
    match &args.fixtures_out {
        Some(out) => {
            println!(
                "fixtures for this mock: {} (jira-conform run --fixtures {})",
                out.display(),
                out.display()
            );
        }
        None => println!(
            "fixtures: {} (jira-conform run --target {url} --fixtures {}; or mock --fixtures-out FILE)",
            args.fixtures
                .as_ref()
                .map_or(jira_conform::fixtures::EMBEDDED_MOCK_FIXTURES_NAME.to_string(), |p| p.display().to_string()),
            args.fixtures
                .as_ref()
                .map_or(jira_conform::fixtures::EMBEDDED_MOCK_FIXTURES_NAME.to_string(), |p| p.display().to_string()),
        ),
    }
    println!("press Ctrl-C to stop");
    let shutdown = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    let versions: Vec<jira_conform::mock::ApiVersion> = if args.apis.is_empty() {
        jira_conform::mock::ApiVersion::ALL.to_vec()
    } else {
        args.apis
            .iter()
            .map(|api| match api {
                Api::V2 => jira_conform::mock::ApiVersion::V2,
                Api::V3 => jira_conform::mock::ApiVersion::V3,
            })
            .collect()
    };
    match jira_conform::mock::serve_versions(listener, &fixtures, &args.faults, &versions, shutdown)
        .await
    {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => fail(&format!("the mock stopped: {e}")),
    }
}

/// The terminal summary and the requested report files of a finished report (`validate`,
/// `report merge`); exit 1 when a case failed.
fn show_report(report: &jira_conform::verdict::RunReport, output: &OutputArgs) -> ExitCode {
    let mut stdout = std::io::stdout().lock();
    if let Err(e) = write_terminal(
        report,
        &mut stdout,
        &TerminalOptions {
            color: color_choice(output.color),
            verbose: output.verbose,
        },
    ) {
        return fail(&format!("cannot write the summary: {e}"));
    }
    drop(stdout);
    if let Err(message) = write_reports(report, &output.reports) {
        return fail(&message);
    }
    if report.failed() {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}

/// Writes every requested report file; the message names the format and the file.
fn write_reports(
    report: &jira_conform::verdict::RunReport,
    reports: &[(ReportFormat, PathBuf)],
) -> Result<(), String> {
    for (format, path) in reports {
        // `-` is standard output (one report at most; the binary moves the rest to stderr).
        let sink: Result<Box<dyn Write>, String> = if path.as_os_str() == "-" {
            Ok(Box::new(std::io::stdout().lock()))
        } else {
            std::fs::File::create(path)
                .map(|f| Box::new(f) as Box<dyn Write>)
                .map_err(|e| e.to_string())
        };
        let written = sink.and_then(|mut file| match format {
            ReportFormat::Junit => write_junit(report, &mut file).map_err(|e| e.to_string()),
            ReportFormat::Json => write_json(report, &mut file).map_err(|e| e.to_string()),
            ReportFormat::Markdown => write_markdown(report, &mut file).map_err(|e| e.to_string()),
            ReportFormat::Html => write_html(report, &mut file).map_err(|e| e.to_string()),
        });
        if let Err(e) = written {
            return Err(format!(
                "cannot write the {format:?} report to {}: {e}",
                path.display()
            ));
        }
    }
    Ok(())
}

fn color_choice(arg: ColorArg) -> bool {
    match arg {
        ColorArg::Always => true,
        ColorArg::Never => false,
        ColorArg::Auto => {
            std::io::stdout().is_terminal()
                && std::env::var_os("CI").is_none()
                && std::env::var_os("NO_COLOR").is_none()
        }
    }
}

async fn diff(args: DiffArgs) -> ExitCode {
    let mut a = args.select.config();
    a.target = args.target.clone();
    a.faults = args.faults.clone();
    let mut b = args.select.config();
    b.target = args.against_target.clone();
    b.faults = args.faults_b.clone();
    if let Some(fixtures) = &args.fixtures_b {
        b.fixtures = Some(fixtures.clone());
    }
    a.preflight = !args.no_preflight;
    b.preflight = !args.no_preflight;
    b.compare = args.compare;
    let (prepared_a, prepared_b) = match (prepare(&a), prepare(&b)) {
        (Ok(pa), Ok(pb)) => (pa, pb),
        (Err(e), _) | (_, Err(e)) => return fail(&e.to_string()),
    };
    let output = match jira_conform::diff::run_diff_full((&a, &prepared_a), (&b, &prepared_b)).await
    {
        Ok(r) => r,
        Err(e) => return fail(&e.to_string()),
    };
    if let Err(message) = write_reports(&output.report, &args.reports) {
        return fail(&message);
    }
    let report = output.diff;
    let mut stdout = std::io::stdout().lock();
    if let Err(e) = write_diff(&report, &mut stdout, color_choice(args.color)) {
        return fail(&format!("cannot write the comparison: {e}"));
    }
    for left in &report.leftovers {
        report_leftovers(left.cases, &left.journal, &left.command, &left.problems);
    }
    if !report.leftovers.is_empty() {
        return ExitCode::from(LEFTOVERS);
    }
    if report.differs() {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}

fn validate(args: &ValidateArgs) -> ExitCode {
    let spec = match &args.spec {
        Some(path) => jira_conform::spec::load_path(path),
        None => jira_conform::spec::embedded(),
    };
    let spec = match spec {
        Ok(s) => s,
        Err(e) => return fail(&e.to_string()),
    };
    let started = std::time::Instant::now();
    let report = match (&args.har, &args.pairs) {
        (Some(path), _) => match std::fs::read_to_string(path) {
            Ok(text) => {
                jira_conform::validate::validate_har(&spec, &text, &path.display().to_string())
            }
            Err(e) => return fail(&format!("cannot read {}: {e}", path.display())),
        },
        (None, Some(dir)) => jira_conform::validate::validate_pairs(&spec, dir),
        (None, None) => return fail("give --har FILE or --pairs DIR"),
    };
    let mut report = match report {
        Ok(r) => r,
        Err(e) => return fail(&e.to_string()),
    };
    report.elapsed_ms = started.elapsed().as_millis() as u64;
    if let Some(path) = &args.known_deviations {
        match jira_conform::fixtures::load_known_deviations(path) {
            Ok(entries) => jira_conform::check::apply_known(&mut report.verdicts, &entries),
            Err(e) => return fail(&e.to_string()),
        }
    }
    show_report(&report, &args.output)
}

/// `run --dry-run`: every request each runnable case would send, in order, none sent.
fn dry_run(config: &Config, prepared: &jira_conform::Prepared) -> ExitCode {
    let base = config
        .target
        .clone()
        .or_else(|| prepared.fixtures.base_url.clone())
        .unwrap_or_else(|| "{embedded mock}".into());
    let mut out = std::io::stdout().lock();
    let mut requests = 0;
    let mut skipped = 0;
    for case in &prepared.cases {
        if let Some(reason) = &case.skip {
            skipped += 1;
            if writeln!(out, "# {} skipped: {reason}", case.id).is_err() {
                return ExitCode::SUCCESS;
            }
            continue;
        }
        let _ = writeln!(out, "# {}", case.id);
        let sends = case
            .steps
            .iter()
            .map(|s| (&s.request, ""))
            .chain(case.cleanup.iter().map(|r| (r, " (cleanup)")));
        for (request, what) in sends {
            let size = match &request.body {
                jira_conform::case::Body::None => String::new(),
                jira_conform::case::Body::Json(v) => format!(" ({} bytes)", v.to_string().len()),
                jira_conform::case::Body::Raw { text, .. } => format!(" ({} bytes)", text.len()),
            };
            let url = jira_conform::run::url_for(&base, request)
                .replace(jira_conform::case::RUN_TOKEN, "{run}");
            requests += 1;
            if writeln!(
                out,
                "{} {url} as {}{size}{what}",
                request.method, request.actor
            )
            .is_err()
            {
                return ExitCode::SUCCESS;
            }
        }
    }
    let _ = writeln!(
        out,
        "dry run: {requests} requests in {} cases would be sent to {base} ({skipped} cases skipped); nothing was sent",
        prepared.cases.len() - skipped
    );
    ExitCode::SUCCESS
}

/// Ctrl-C and SIGTERM, listened to from the moment this is made: a signal that arrives while
/// nobody waits (between the first interrupt and the wait for a second) is kept, not lost.
struct Signals {
    #[cfg(unix)]
    listeners: Option<(tokio::signal::unix::Signal, tokio::signal::unix::Signal)>,
}

impl Signals {
    fn new() -> Signals {
        #[cfg(unix)]
        {
            use tokio::signal::unix::{signal, SignalKind};
            let listeners = match (
                signal(SignalKind::interrupt()),
                signal(SignalKind::terminate()),
            ) {
                (Ok(int), Ok(term)) => Some((int, term)),
                _ => None,
            };
            Signals { listeners }
        }
        #[cfg(not(unix))]
        Signals {}
    }

    /// Waits for the next Ctrl-C or SIGTERM; says which.
    async fn next(&mut self) -> &'static str {
        #[cfg(unix)]
        if let Some((int, term)) = &mut self.listeners {
            return tokio::select! {
                _ = int.recv() => "interrupted (SIGINT)",
                _ = term.recv() => "terminated (SIGTERM)",
            };
        }
        let _ = tokio::signal::ctrl_c().await;
        "interrupted"
    }
}

/// After a signal: the cases in flight were dropped; what they may have created is undone from
/// the journal now, within [`INTERRUPT_GRACE`], and what cannot be is left there for `cleanup`.
/// A second signal stops the undo at once.
async fn after_interrupt(
    config: &Config,
    prepared: &jira_conform::Prepared,
    signal: &str,
    signals: &mut Signals,
) -> ExitCode {
    let fixtures = &prepared.fixtures;
    let target = config.target.clone().or_else(|| fixtures.base_url.clone());
    let Some(base) = target else {
        eprintln!("{signal}: the embedded mock's state ends with the run; nothing to clean up");
        return ExitCode::from(INTERRUPTED);
    };
    let prefix = config.run_prefix.clone().unwrap_or_default();
    let Some(path) = jira_conform::journal_path(config, fixtures, false, &prefix) else {
        return ExitCode::from(INTERRUPTED);
    };
    if !path.exists() {
        eprintln!("{signal}: no case had written yet; nothing to clean up");
        return ExitCode::from(INTERRUPTED);
    }
    let command = jira_conform::cleanup_command(config, &path);
    let timeout = config
        .timeout
        .unwrap_or(Duration::from_secs(fixtures.run.timeout_secs));
    eprintln!(
        "{signal}: undoing the unfinished cases of {} (at most {} s; interrupt again to stop now)",
        path.display(),
        INTERRUPT_GRACE.as_secs()
    );
    let cleaned = tokio::select! {
        cleaned = clean_journal(
            &path,
            &base,
            fixtures,
            timeout,
            Some((INTERRUPT_GRACE, format!("the time given to undo after the interrupt ({} s)", INTERRUPT_GRACE.as_secs()))),
        ) => cleaned,
        second = signals.next() => {
            let pending = jira_conform::run::journal::pending(&path).map_or(0, |p| p.len());
            eprintln!("{second} again: stopped undoing");
            report_leftovers(pending, &path, &command, &[]);
            // At once: nothing else of the run is worth waiting for.
            std::process::exit(i32::from(INTERRUPTED));
        }
    };
    match cleaned {
        Ok((cleaned, 0)) => {
            eprintln!(
                "{signal}: cleaned up {cleaned} unfinished cases; nothing is left (verified)"
            );
        }
        Ok((cleaned, left)) => {
            eprintln!("{signal}: cleaned up {cleaned} unfinished cases");
            report_leftovers(left, &path, &command, &[]);
        }
        Err(e) => eprintln!("{signal}: {e}"),
    }
    ExitCode::from(INTERRUPTED)
}

/// Sends the undo requests of a journal within `within`; (cases cleaned, cases left). Warns
/// about skipped lines and prints each problem; removes a journal with nothing left.
async fn clean_journal(
    path: &std::path::Path,
    base: &str,
    fixtures: &jira_conform::fixtures::Fixtures,
    timeout: Duration,
    within: Option<(Duration, String)>,
) -> Result<(usize, usize), String> {
    let journal = jira_conform::run::journal::Journal::open(path).map_err(|e| e.to_string())?;
    let options = jira_conform::run::RunOptions {
        concurrency: 1,
        timeout,
        run_prefix: String::new(),
    };
    let done = jira_conform::run::clean_up(
        &journal,
        base,
        fixtures,
        &options,
        &jira_conform::run::RetryPolicy::default(),
        within,
    )
    .await
    .map_err(|e| e.to_string())?;
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
    let cleaned = done.cases.len() - left;
    if left == 0 {
        let _ = std::fs::remove_file(path);
    }
    Ok((cleaned, left))
}

/// The journals `cleanup` reads: the one named, else every `journal-*.jsonl` in
/// `.jira-conform/`, by name.
fn journals(named: Option<&PathBuf>) -> Result<Vec<PathBuf>, String> {
    if let Some(path) = named {
        if !path.exists() {
            return Err(format!("{}: no such journal", path.display()));
        }
        return Ok(vec![path.clone()]);
    }
    let dir = std::path::Path::new(jira_conform::JOURNAL_DIR);
    let entries = match std::fs::read_dir(dir) {
        Ok(e) => e,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(e) => return Err(format!("{}: {e}", dir.display())),
    };
    let mut found: Vec<PathBuf> = entries
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| {
            p.file_name()
                .and_then(|n| n.to_str())
                .is_some_and(|n| n.starts_with("journal-") && n.ends_with(".jsonl"))
        })
        .collect();
    found.sort();
    Ok(found)
}

async fn cleanup(args: CleanupArgs) -> ExitCode {
    let fixtures = match &args.fixtures {
        Some(path) => jira_conform::fixtures::Fixtures::load(path),
        None => jira_conform::fixtures::Fixtures::embedded(),
    };
    let fixtures = match fixtures {
        Ok(f) => f,
        Err(e) => return fail(&e.to_string()),
    };
    let Some(base) = args.target.clone().or_else(|| fixtures.base_url.clone()) else {
        return fail("no target: give --target URL or a fixtures file with base_url");
    };
    if let Err(message) = jira_conform::fixtures::check_base_url(&base) {
        let shown = jira_conform::fixtures::without_userinfo(&base);
        return fail(&format!("target {shown}: {message}"));
    }
    let files = match journals(args.journal.as_ref()) {
        Ok(f) => f,
        Err(e) => return fail(&e),
    };
    if files.is_empty() {
        println!(
            "no journal in {}/: nothing to clean up",
            jira_conform::JOURNAL_DIR
        );
        return ExitCode::SUCCESS;
    }
    let timeout = Duration::from_secs(args.timeout.unwrap_or(fixtures.run.timeout_secs));
    let config = Config {
        fixtures: args.fixtures.clone(),
        target: args.target.clone(),
        ..Config::default()
    };
    let (mut refused, mut left_behind) = (false, false);
    for path in &files {
        match clean_journal(path, &base, &fixtures, timeout, None).await {
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
                report_leftovers(
                    left,
                    path,
                    &jira_conform::cleanup_command(&config, path),
                    &[],
                );
                left_behind = true;
            }
            Err(e) => {
                eprintln!("error: {e}");
                refused = true;
            }
        }
    }
    if refused {
        ExitCode::from(2)
    } else if left_behind {
        ExitCode::from(LEFTOVERS)
    } else {
        ExitCode::SUCCESS
    }
}

/// `report merge`: reads every shard's JSON report, joins them, writes the requested reports and
/// the terminal summary; exit 1 when a case of the whole run failed, 2 when the shards do not
/// make one run.
fn merge_reports(args: &MergeArgs) -> ExitCode {
    use jira_conform::report::merge::{merge, read_json_report};
    let mut reports = Vec::new();
    for path in &args.shards {
        match read_json_report(path) {
            Ok(r) => reports.push((path.clone(), r)),
            Err(e) => return fail(&e.to_string()),
        }
    }
    let report = match merge(reports) {
        Ok(r) => r,
        Err(e) => return fail(&e.to_string()),
    };
    show_report(&report, &args.output)
}

#[derive(Args)]
struct SpecDiffArgs {
    /// The old version of the spec (OpenAPI 3.0, JSON or YAML).
    old: PathBuf,
    /// The new version.
    new: PathBuf,
    /// Output: text for people, or json (fields described in src/report/spec_diff.rs).
    #[arg(long, value_enum, default_value_t = SpecDiffFormat::Text)]
    format: SpecDiffFormat,
    /// Only the platform REST API (/rest/api/2 and /rest/api/3), not Connect or Forge paths.
    #[arg(long)]
    api_only: bool,
    /// Colour: auto (on a terminal, unless CI or NO_COLOR is set), always, never.
    #[arg(long, value_enum, default_value_t = ColorArg::Auto)]
    color: ColorArg,
}

#[derive(Clone, Copy, ValueEnum)]
enum SpecDiffFormat {
    Text,
    Json,
}

/// `spec-diff OLD NEW`: 0 no difference, 1 differences, 2 a spec that cannot be read.
fn spec_diff(args: &SpecDiffArgs) -> ExitCode {
    let (old, new) = match (
        jira_conform::spec::load_path(&args.old),
        jira_conform::spec::load_path(&args.new),
    ) {
        (Ok(old), Ok(new)) => (old, new),
        (Err(e), _) | (_, Err(e)) => return fail(&e.to_string()),
    };
    let mut diff = jira_conform::spec_diff::diff(&old, &new);
    if args.api_only {
        diff = diff.api_only();
    }
    let mut stdout = std::io::stdout().lock();
    let written = match args.format {
        SpecDiffFormat::Text => jira_conform::report::spec_diff::write_text(
            &diff,
            &mut stdout,
            color_choice(args.color),
        ),
        SpecDiffFormat::Json => jira_conform::report::spec_diff::write_json(&diff, &mut stdout),
    };
    if let Err(e) = written {
        return fail(&format!("cannot write the comparison: {e}"));
    }
    if diff.differs() {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}
