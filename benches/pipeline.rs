//! `cargo bench --bench pipeline`: spec load + generation against a bare serde_json parse of the
//! same file (a ratio, which survives noisy machines), and cases per second against the embedded
//! mock. Loopback only; bounded repetitions.

use std::path::Path;
use std::sync::Arc;
use std::time::{Duration, Instant};

use jira_conform::case::Api;
use jira_conform::fixtures::Fixtures;
use jira_conform::generate::generate;
use jira_conform::{prepare, run_suite, Config, SnapshotChoice};

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

fn spec_bench(name: &str, path: &Path) {
    let Ok(text) = std::fs::read_to_string(path) else {
        println!("{name}: skipped ({} not found)", path.display());
        return;
    };
    let fixtures = Fixtures::embedded().expect("fixtures");
    let (parse, _) = best_of(5, || {
        serde_json::from_str::<serde_json::Value>(&text).expect("json")
    });
    let (load_gen, cases) = best_of(5, || {
        let spec = jira_conform::spec::parse(&text, name).expect("spec loads");
        generate(&spec, &fixtures, &Api::ALL)
            .expect("generates")
            .len()
    });
    println!(
        "{name}: bare parse {:.1} ms, load + generate {:.1} ms ({:.2}x the parse), {cases} cases",
        parse.as_secs_f64() * 1e3,
        load_gen.as_secs_f64() * 1e3,
        load_gen.as_secs_f64() / parse.as_secs_f64()
    );
}

fn main() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    spec_bench(
        "embedded spec",
        &root.join("specs/jira-conform.openapi.json"),
    );
    spec_bench(
        "real spec 2025-07-30",
        &root.join("../shared/specs/jira-platform-v3.2025-07-30.json"),
    );

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
        elapsed.as_secs_f64() * 1e3,
        cases as f64 / elapsed.as_secs_f64()
    );
}
