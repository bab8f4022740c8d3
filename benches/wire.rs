//! `cargo bench --bench wire`: how close the suite comes to the wire. The reference mock runs
//! as a separate process (`jira-conform mock --port 0`); against it the bench measures
//!
//! - the raw ceiling: the same HTTP client library (reqwest) with the same number of
//!   connections as the suite's concurrency, sending `GET /rest/api/3/myself` as fast as it can
//!   for a fixed count;
//! - the suite: every case of a spec (ours, and the 2025 spec when `../shared/specs` has it)
//!   sent to the same process with the cleanup journal on disk, counting every request sent
//!   (steps, retries, cleanups).
//!
//! Runs are interleaved (raw, suite, raw, suite, …) and the medians compared, so a noisy machine
//! moves both alike. Per spec it also prints the CPU each side used per request and how many
//! cores were busy, raw and suite: what to cut when the ratio is low. The last lines, one per spec, read
//! `wire <spec file name>: suite N req/s, raw M req/s, ratio R`. Loopback only; bounded counts.

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use jira_conform::{prepare, run_cases, Config, SnapshotChoice};

/// Requests of one raw measurement.
const RAW_REQUESTS: usize = 20_000;
/// Interleaved rounds per spec: five, as the raw figure alone moves by a sixth between rounds
/// on a busy 2-core machine and the median of three still followed it.
const ROUNDS: usize = 5;
/// Where the real specs are: `JIRA_CONFORM_SHARED` (default `../shared`), as for the tests.
#[path = "../tests/it/support/shared.rs"]
#[allow(dead_code)]
mod shared;

struct Mock {
    child: Child,
    url: String,
}

impl Drop for Mock {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn start_mock() -> Mock {
    let mut child = Command::new(env!("CARGO_BIN_EXE_jira-conform"))
        .args(["mock", "--port", "0"])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("the mock starts");
    let stdout = child.stdout.take().expect("piped");
    let mut line = String::new();
    BufReader::new(stdout)
        .read_line(&mut line)
        .expect("the mock prints its URL");
    let url = line
        .split_whitespace()
        .find(|w| w.starts_with("http://127.0.0.1:"))
        .expect("a loopback URL")
        .to_string();
    Mock { child, url }
}

/// Requests per second of `connections` workers sending GET /myself, `RAW_REQUESTS` in all.
/// Only answered requests count; a connection reset under load (seen a few times in a dozen
/// runs on a busy machine) is counted and reported instead of ending the bench.
fn raw(runtime: &tokio::runtime::Runtime, url: &str, connections: usize) -> f64 {
    let client = reqwest::Client::builder()
        .pool_max_idle_per_host(connections)
        .build()
        .expect("client");
    let target = format!("{url}/rest/api/3/myself");
    let started = Instant::now();
    let (answered, failed) = runtime.block_on(async {
        let mut tasks = Vec::new();
        for _ in 0..connections {
            let client = client.clone();
            let target = target.clone();
            tasks.push(tokio::spawn(async move {
                let (mut answered, mut failed) = (0usize, 0usize);
                for _ in 0..RAW_REQUESTS / connections {
                    let sent = client
                        .get(&target)
                        .basic_auth("admin@example.test", Some("mock-admin-token"))
                        .send()
                        .await;
                    let body = match sent {
                        Ok(response) => response.bytes().await.is_ok(),
                        Err(_) => false,
                    };
                    if body {
                        answered += 1;
                    } else {
                        failed += 1;
                    }
                }
                (answered, failed)
            }));
        }
        let mut totals = (0, 0);
        for t in tasks {
            let (a, f) = t.await.expect("worker");
            totals = (totals.0 + a, totals.1 + f);
        }
        totals
    });
    if failed > 0 {
        eprintln!(
            "raw: {failed} of {} requests got no answer (not counted)",
            answered + failed
        );
    }
    answered as f64 / started.elapsed().as_secs_f64()
}

/// Requests per second and cases per second of the whole suite of `spec`, and the CPU
/// readings around the run (the inputs' preparation left out).
fn suite(
    runtime: &tokio::runtime::Runtime,
    mock: &Mock,
    spec: Option<&Path>,
    journal: &Path,
) -> (f64, f64, u64, [Reading; 2]) {
    let url = mock.url.as_str();
    let counter = Arc::new(AtomicU64::new(0));
    let config = Config {
        spec: spec.map(Path::to_path_buf),
        fixtures: Some(PathBuf::from("fixtures/mock.toml")),
        target: Some(url.to_string()),
        snapshots: SnapshotChoice::Off,
        journal: Some(journal.to_path_buf()),
        request_counter: Some(counter.clone()),
        ..Config::default()
    };
    let prepared = prepare(&config).expect("inputs load");
    let cases = prepared.cases.iter().filter(|c| c.skip.is_none()).count();
    let before = Reading::now(mock);
    runtime
        .block_on(run_cases(&config, &prepared, Arc::new(|_| {})))
        .expect("the suite runs");
    let after = Reading::now(mock);
    let elapsed = (after.at - before.at).as_secs_f64();
    let requests = counter.load(Ordering::SeqCst);
    (
        requests as f64 / elapsed,
        cases as f64 / elapsed,
        requests,
        [before, after],
    )
}

/// The time, and the CPU seconds used so far by this process and by the mock.
#[derive(Clone, Copy)]
struct Reading {
    at: Instant,
    client: f64,
    target: f64,
}

impl Reading {
    fn now(mock: &Mock) -> Reading {
        Reading {
            at: Instant::now(),
            client: own_cpu(),
            target: child_cpu(mock.child.id()),
        }
    }
}

/// CPU seconds (user + system) this process has used so far, all threads.
fn own_cpu() -> f64 {
    // SAFETY: getrusage only writes the struct it is given.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    unsafe { libc::getrusage(libc::RUSAGE_SELF, &mut usage) };
    let secs = |t: libc::timeval| t.tv_sec as f64 + t.tv_usec as f64 / 1e6;
    secs(usage.ru_utime) + secs(usage.ru_stime)
}

/// CPU seconds the process `pid` has used so far, from `/proc` (clock-tick resolution).
fn child_cpu(pid: u32) -> f64 {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).unwrap_or_default();
    // The command name may hold spaces; the fields after it are space-separated.
    let after = stat.rsplit_once(')').map(|(_, rest)| rest).unwrap_or("");
    let fields: Vec<&str> = after.split_whitespace().collect();
    let ticks = |i: usize| {
        fields
            .get(i)
            .and_then(|f| f.parse::<f64>().ok())
            .unwrap_or(0.0)
    };
    // utime and stime are fields 14 and 15 of the line, 12 and 13 after the name.
    (ticks(11) + ticks(12)) / 100.0
}

/// Where the CPU went, summed over the rounds: [raw, suite] × (wall, client CPU, target CPU,
/// requests). It tells whether the cores were busy (then the cost per request is what to cut)
/// or idle (then it is latency).
#[derive(Default)]
struct CpuShare([(f64, f64, f64, u64); 2]);

impl CpuShare {
    fn add(&mut self, which: usize, [from, to]: [Reading; 2], requests: u64) {
        let slot = &mut self.0[which];
        slot.0 += (to.at - from.at).as_secs_f64();
        slot.1 += to.client - from.client;
        slot.2 += to.target - from.target;
        slot.3 += requests;
    }

    fn print(&self, name: &str) {
        for (label, (wall, client, target, n)) in ["raw", "suite"].iter().zip(self.0) {
            let per = |cpu: f64| cpu / n.max(1) as f64 * 1e6;
            println!(
                "{name} {label}: client {:.1} µs CPU/request, target {:.1} µs CPU/request, {:.2} cores busy",
                per(client),
                per(target),
                (client + target) / wall
            );
        }
    }
}

fn median(mut values: Vec<f64>) -> f64 {
    values.sort_by(|a, b| a.total_cmp(b));
    values[values.len() / 2]
}

fn main() {
    // `cargo bench` passes `--bench`; nothing else is taken.
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("runtime");
    let mock = start_mock();
    let connections = jira_conform::fixtures::Fixtures::embedded()
        .map(|f| f.run.concurrency)
        .unwrap_or(8);
    // The journal on disk, as a real run keeps it (not tmpfs).
    let journal_dir = PathBuf::from("target/bench-wire");
    std::fs::create_dir_all(&journal_dir).expect("journal folder");
    let mut specs: Vec<(String, Option<PathBuf>)> =
        vec![("jira-conform.openapi.json".into(), None)];
    let real = shared::spec_path(shared::SPEC_2025);
    if real.exists() {
        specs.push((shared::SPEC_2025.into(), Some(real)));
    } else {
        println!("{} is absent: measuring our spec only", real.display());
    }
    // Warm the connection and the mock's allocator once.
    let _ = raw(&runtime, &mock.url, connections);
    let mut lines = Vec::new();
    for (name, spec) in &specs {
        let (mut raws, mut suites, mut cases) = (Vec::new(), Vec::new(), Vec::new());
        let mut cpu = CpuShare::default();
        let mut requests = 0;
        for round in 0..ROUNDS {
            let journal = journal_dir.join(format!("journal-{round}.jsonl"));
            let before = Reading::now(&mock);
            raws.push(raw(&runtime, &mock.url, connections));
            cpu.add(0, [before, Reading::now(&mock)], RAW_REQUESTS as u64);
            let (rps, cps, sent, readings) = suite(&runtime, &mock, spec.as_deref(), &journal);
            cpu.add(1, readings, sent);
            suites.push(rps);
            cases.push(cps);
            requests = sent;
            println!(
                "{name} round {}: raw {:.0} req/s, suite {:.0} req/s ({sent} requests, {:.0} cases/s)",
                round + 1,
                raws[round],
                rps,
                cps
            );
            std::thread::sleep(Duration::from_millis(100));
        }
        cpu.print(name);
        let (r, s, c) = (median(raws), median(suites), median(cases));
        println!("{name}: {requests} requests per run, {c:.0} cases/s (median of {ROUNDS})");
        lines.push(format!(
            "wire {name}: suite {s:.0} req/s, raw {r:.0} req/s, ratio {:.2}",
            s / r
        ));
    }
    for line in lines {
        println!("{line}");
    }
}
