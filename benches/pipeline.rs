//! `cargo bench --bench pipeline`: spec load + generation against a bare serde_json parse of the
//! same file (a ratio, which survives noisy machines), the peak memory of loading and generating
//! the full 2025 spec, how the cost grows with the number of paths, and cases per second
//! against the embedded mock. Loopback only; bounded repetitions.
//!
//! Peak memory is measured in a child process: the bench re-runs its own binary with
//! [`PEAK_ENV`] set, and that child does nothing but read the spec text, note its resident set
//! (`VmRSS`), do the work once, and report its high-water mark (`VmHWM`) from
//! `/proc/self/status`. A fresh process is the only sound place for this: `VmHWM` never goes
//! down, so in the parent it would still hold the peak of whatever ran before (the timing loops,
//! the mock run), and the allocator keeps freed memory mapped, so the parent's later peaks would
//! be lowered by reuse. The child's growth, `VmHWM` after minus `VmRSS` before, is what the work
//! costs on top of a program that has the text in memory. A second child does only the bare
//! serde_json parse, for comparison.

use std::path::Path;
use std::sync::Arc;
use std::time::{Duration, Instant};

use jira_conform::case::{Api, Case};
use jira_conform::fixtures::Fixtures;
use jira_conform::generate::generate;
use jira_conform::spec::Spec;
use jira_conform::{prepare, run_suite, Config, SnapshotChoice};

/// Set (to a spec path) in the child that only measures peak memory.
const PEAK_ENV: &str = "JIRA_CONFORM_BENCH_PEAK_OF";
/// In that child: `parse` for the bare parse, anything else for load + generate.
const PEAK_MODE_ENV: &str = "JIRA_CONFORM_BENCH_PEAK_MODE";

/// Where the real specs are: `JIRA_CONFORM_SHARED` (default `../shared`), as for the tests.
#[path = "../tests/it/support/shared.rs"]
#[allow(dead_code)]
mod shared;

fn best_of<T>(n: usize, mut f: impl FnMut() -> T) -> (Duration, T) {
    let mut best = Duration::MAX;
    let mut last = None;
    for _ in 0..n {
        let t = Instant::now();
        let out = f();
        best = best.min(t.elapsed());
        last = Some(out);
    }
    (best, last.expect("n > 0"))
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1e3
}

/// Loads `text` and generates its cases. Both are returned, so that a timing that includes
/// this call does not include freeing them (as the bare parse's does not include freeing its
/// `Value`).
fn load_and_generate(text: &str, name: &str, fixtures: &Fixtures) -> (Spec, Vec<Case>) {
    let spec = jira_conform::spec::parse(text, name).expect("spec loads");
    let cases = generate(&spec, fixtures, &Api::ALL).expect("generates");
    (spec, cases)
}

/// Bare parse and load + generate of one file, best of 5 each. `None` when the file is absent.
fn spec_bench(name: &str, path: &Path) -> Option<(f64, f64)> {
    let Ok(text) = std::fs::read_to_string(path) else {
        println!("{name}: skipped ({} not found)", path.display());
        return None;
    };
    let fixtures = Fixtures::embedded().expect("fixtures");
    let (parse, _) = best_of(5, || {
        serde_json::from_str::<serde_json::Value>(&text).expect("json")
    });
    let (load_gen, (_, cases)) = best_of(5, || load_and_generate(&text, name, &fixtures));
    let cases = cases.len();
    // The two stages apart, to see which one to look at when the ratio grows.
    let (load, spec) = best_of(5, || jira_conform::spec::parse(&text, name).expect("loads"));
    let (gen, _) = best_of(5, || {
        generate(&spec, &fixtures, &Api::ALL).expect("generates")
    });
    println!(
        "{name}: bare parse {:.1} ms, load + generate {:.1} ms ({:.2}x the parse; load {:.1} ms, \
         generate {:.1} ms), {cases} cases",
        ms(parse),
        ms(load_gen),
        load_gen.as_secs_f64() / parse.as_secs_f64(),
        ms(load),
        ms(gen)
    );
    Some((ms(parse), ms(load_gen)))
}

/// A `kB` field of `/proc/self/status`, in bytes.
fn status_bytes(field: &str) -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with(field))?;
    let kb: u64 = line[field.len()..]
        .trim()
        .trim_end_matches("kB")
        .trim()
        .parse()
        .ok()?;
    Some(kb * 1024)
}

/// The child's whole job: print `peak <rss before> <hwm after load> <hwm after> <cases>` and
/// exit (for the bare parse, the parse is the "load" and there are no cases).
fn peak_child(path: &str, bare_parse: bool) {
    let text = std::fs::read_to_string(path).expect("spec text");
    let fixtures = Fixtures::embedded().expect("fixtures");
    let hwm = || status_bytes("VmHWM:").expect("VmHWM in /proc/self/status");
    let before = status_bytes("VmRSS:").expect("VmRSS in /proc/self/status");
    if bare_parse {
        let value: serde_json::Value = serde_json::from_str(&text).expect("json");
        std::hint::black_box(&value);
        let after = hwm();
        println!("peak {before} {after} {after} 0");
        return;
    }
    let spec = jira_conform::spec::parse(&text, path).expect("spec loads");
    let loaded = hwm();
    let cases = generate(&spec, &fixtures, &Api::ALL).expect("generates");
    let after = hwm();
    println!("peak {before} {loaded} {after} {}", cases.len());
}

/// Runs one peak measurement in a child (see the module comment); the growth in MB.
fn peak_growth_mb(path: &Path, bare_parse: bool) -> Option<f64> {
    let exe = std::env::current_exe().ok()?;
    let out = std::process::Command::new(exe)
        .env(PEAK_ENV, path)
        .env(
            PEAK_MODE_ENV,
            if bare_parse { "parse" } else { "load-generate" },
        )
        .output()
        .ok()?;
    if !out.status.success() {
        eprintln!(
            "peak memory child failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        return None;
    }
    let stdout = String::from_utf8_lossy(&out.stdout);
    let line = stdout.lines().find(|l| l.starts_with("peak "))?;
    let numbers: Vec<u64> = line[5..]
        .split_whitespace()
        .filter_map(|n| n.parse().ok())
        .collect();
    let [before, loaded, after, cases] = numbers[..] else {
        return None;
    };
    let mb = |bytes: u64| bytes as f64 / (1024.0 * 1024.0);
    let growth = mb(after.saturating_sub(before));
    let what = if bare_parse {
        "bare parse".to_string()
    } else {
        format!(
            "load + generate ({cases} cases; +{:.1} MB after the load)",
            mb(loaded.saturating_sub(before))
        )
    };
    println!(
        "peak memory of {what}, 2025 spec, fresh process: +{growth:.1} MB over {:.1} MB resident \
         before (VmHWM {:.1} MB)",
        mb(before),
        mb(after)
    );
    Some(growth)
}

/// One point of the linearity series.
struct SizePoint {
    paths: usize,
    operations: usize,
    ms: f64,
}

impl SizePoint {
    fn per_op(&self) -> f64 {
        self.ms / self.operations.max(1) as f64
    }
}

/// Load + generate of sub-specs keeping the first ¼, ½, ¾ and all of the paths (components
/// kept whole), best of 5 each.
fn linearity(path: &Path) -> Option<Vec<SizePoint>> {
    let text = std::fs::read_to_string(path).ok()?;
    let full: serde_json::Value = serde_json::from_str(&text).expect("json");
    let all_paths = full["paths"].as_object().expect("paths").len();
    let fixtures = Fixtures::embedded().expect("fixtures");
    let mut points = Vec::new();
    for quarters in 1..=4 {
        let keep = all_paths * quarters / 4;
        let mut sub = full.clone();
        let paths = sub["paths"].as_object_mut().expect("paths");
        let dropped: Vec<String> = paths.keys().skip(keep).cloned().collect();
        for key in dropped {
            paths.shift_remove(&key);
        }
        let sub_text = sub.to_string();
        let name = format!("2025 spec, {quarters}/4 of the paths");
        let (elapsed, (spec, _)) = best_of(5, || load_and_generate(&sub_text, &name, &fixtures));
        let operations = spec.operations.len();
        points.push(SizePoint {
            paths: keep,
            operations,
            ms: ms(elapsed),
        });
    }
    println!("linearity (2025 spec, components kept whole, best of 5):");
    for p in &points {
        println!(
            "  {:>3} paths {:>3} operations: {:>6.1} ms, {:.3} ms/operation",
            p.paths,
            p.operations,
            p.ms,
            p.per_op()
        );
    }
    let (first, last) = (points.first()?, points.last()?);
    let marginal = (last.ms - first.ms) / (last.operations - first.operations).max(1) as f64;
    println!(
        "  per-operation cost, all / quarter: {:.2} (marginal cost from ¼ to all: {marginal:.3} \
         ms/operation)",
        last.per_op() / first.per_op()
    );
    Some(points)
}

fn main() {
    if let Some(path) = std::env::var_os(PEAK_ENV) {
        let bare_parse = std::env::var(PEAK_MODE_ENV).is_ok_and(|m| m == "parse");
        peak_child(&path.to_string_lossy(), bare_parse);
        return;
    }
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let real = shared::spec_path(shared::SPEC_2025);
    // In child processes (see the module comment).
    let (peak, parse_peak) = if real.exists() {
        (peak_growth_mb(&real, false), peak_growth_mb(&real, true))
    } else {
        (None, None)
    };
    spec_bench(
        "embedded spec",
        &root.join("specs/jira-conform.openapi.json"),
    );
    let real_times = spec_bench("real spec 2025-07-30", &real);
    let sizes = linearity(&real);

    let config = Config {
        snapshots: SnapshotChoice::Off,
        ..Config::default()
    };
    let prepared = prepare(&config).expect("prepare");
    let runtime = tokio::runtime::Runtime::new().expect("runtime");
    let (elapsed, cases) = best_of(5, || {
        let out = runtime
            .block_on(run_suite(&config, &prepared, Arc::new(|_| {})))
            .expect("run");
        out.report.verdicts.len()
    });
    println!(
        "suite against the embedded mock: {cases} cases in {:.1} ms = {:.0} cases/s (best of 5, concurrency 8)",
        ms(elapsed),
        cases as f64 / elapsed.as_secs_f64()
    );

    println!("summary:");
    match real_times {
        Some((parse, load_gen)) => {
            let ratio = load_gen / parse;
            let verdict = |ok: bool| if ok { "within" } else { "OVER" };
            println!(
                "  2025 spec: parse {parse:.1} ms, load + generate {load_gen:.1} ms, ratio \
                 {ratio:.2} ({} the 5x budget; {} the 200 ms budget)",
                verdict(ratio <= 5.0),
                verdict(load_gen < 200.0)
            );
        }
        None => println!("  2025 spec: not found, skipped"),
    }
    if let Some(mb) = peak {
        let parse = parse_peak.map_or_else(String::new, |p| format!(" (bare parse: {p:.1} MB)"));
        println!("  peak memory growth of load + generate: {mb:.1} MB{parse}");
    }
    if let Some(points) = sizes {
        let per_op: Vec<String> = points
            .iter()
            .map(|p| format!("{}/{}: {:.3}", p.paths, p.operations, p.per_op()))
            .collect();
        println!("  ms/operation by paths/operations: {}", per_op.join(", "));
    }
    println!(
        "  mock suite: {:.0} cases/s",
        cases as f64 / elapsed.as_secs_f64()
    );
}
