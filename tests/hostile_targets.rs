//! Targets that misbehave on purpose, at the byte level: every misbehaviour gives its case a
//! clear verdict (an `error:` with words for what happened, or a failure of the right kind) and
//! the run goes on to the next case. The targets are hand-written on `tokio::net::TcpListener`
//! on loopback port 0; each test takes well under 5 s.
//!
//! A test binary of its own, apart from `tests/it/`: two tests measure the peak RSS of a child
//! run with `wait4`, and on Linux a child's `ru_maxrss` starts from the high-water mark of the
//! process that spawned it (`execve` keeps the old address space's peak). In the one binary
//! that loads the real specs and fuzzes the loader, that mark is several hundred MiB, and the
//! figure would measure the neighbours rather than the run.

use std::future::Future;
use std::pin::Pin;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use jira_conform::case::Case;
use jira_conform::check::{judge, CheckContext, Redactor, SnapshotMode, SnapshotSet};
use jira_conform::exchange::CaseRun;
use jira_conform::run::{execute_with, RetryPolicy, RunOptions, Traffic, BODY_CAP_BYTES};
use jira_conform::select::Selection;
use jira_conform::spec::schema::SchemaCache;
use jira_conform::verdict::{FailureKind, Outcome, Verdict};
use jira_conform::{prepare, Config, Prepared};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

/// The real case every hostile case is cut from: GET /rest/api/3/myself as the admin, 200 with a
/// documented User body.
const TEMPLATE: &str = "v3::myself::getCurrentUser::schema::body_200";
/// A body the User schema accepts.
const USER: &str = r#"{"accountId":"5b10a2844c20165700ede210","accountType":"atlassian","active":true,"displayName":"Ada Admin"}"#;

type Reply =
    Arc<dyn Fn(TcpStream, String) -> Pin<Box<dyn Future<Output = ()> + Send>> + Send + Sync>;

/// A loopback target: its base URL, the requests it read and the connections it accepted.
struct Target {
    url: String,
    port: u16,
    requests: Arc<AtomicUsize>,
    connections: Arc<AtomicUsize>,
}

/// Starts a target that reads each request's head and hands the connection and the path to
/// `reply`. One request per connection.
async fn start(reply: Reply) -> Target {
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let port = listener.local_addr().expect("address").port();
    let requests = Arc::new(AtomicUsize::new(0));
    let connections = Arc::new(AtomicUsize::new(0));
    let (r, c) = (requests.clone(), connections.clone());
    tokio::spawn(async move {
        while let Ok((mut stream, _)) = listener.accept().await {
            c.fetch_add(1, Ordering::SeqCst);
            let (reply, r) = (reply.clone(), r.clone());
            tokio::spawn(async move {
                if let Some(path) = read_head(&mut stream).await {
                    r.fetch_add(1, Ordering::SeqCst);
                    reply(stream, path).await;
                }
            });
        }
    });
    Target {
        url: format!("http://127.0.0.1:{port}"),
        port,
        requests,
        connections,
    }
}

/// Reads a request head; returns its path.
async fn read_head(stream: &mut TcpStream) -> Option<String> {
    let mut head = Vec::new();
    let mut buf = [0u8; 4096];
    while !head.windows(4).any(|w| w == b"\r\n\r\n") {
        let n = stream.read(&mut buf).await.ok()?;
        if n == 0 || head.len() > 65_536 {
            return None;
        }
        head.extend_from_slice(&buf[..n]);
    }
    let text = String::from_utf8_lossy(&head);
    Some(text.split_whitespace().nth(1)?.to_string())
}

fn head(status: &str, extra: &str) -> String {
    format!("HTTP/1.1 {status}\r\n{extra}Connection: close\r\n\r\n")
}

fn json_head(length: usize) -> String {
    head(
        "200 OK",
        &format!("Content-Type: application/json;charset=UTF-8\r\nContent-Length: {length}\r\n"),
    )
}

/// Writes and ignores failures: the client may have gone on purpose.
async fn write(stream: &mut TcpStream, bytes: &[u8]) {
    let _ = stream.write_all(bytes).await;
    let _ = stream.flush().await;
}

/// Closes with a TCP reset rather than a FIN.
fn reset(stream: TcpStream) {
    let _ = stream.set_zero_linger();
    drop(stream);
}

/// The target of the one-run test: each path misbehaves its own way.
fn misbehaviours() -> Reply {
    Arc::new(|mut s: TcpStream, path: String| {
        Box::pin(async move {
            match path.as_str() {
                "/ok" => {
                    write(
                        &mut s,
                        format!("{}{USER}", json_head(USER.len())).as_bytes(),
                    )
                    .await;
                }
                "/non-json" => {
                    let body = "<html><body>Service temporarily down</body></html>";
                    let h = head(
                        "200 OK",
                        &format!(
                            "Content-Type: text/html\r\nContent-Length: {}\r\n",
                            body.len()
                        ),
                    );
                    write(&mut s, format!("{h}{body}").as_bytes()).await;
                }
                "/json-as-text" => {
                    let h = head(
                        "200 OK",
                        "Content-Type: application/json\r\nContent-Length: 12\r\n",
                    );
                    write(&mut s, format!("{h}not json at").as_bytes()).await;
                    write(&mut s, b"l").await;
                }
                "/truncated" => {
                    // Promises 1000 bytes, sends 20, closes.
                    write(
                        &mut s,
                        format!("{}{}", json_head(1000), &USER[..20]).as_bytes(),
                    )
                    .await;
                }
                "/wrong-length" => {
                    // Announces fewer bytes than it sends: the client reads only those.
                    write(&mut s, format!("{}{USER}", json_head(20)).as_bytes()).await;
                }
                "/huge" => {
                    let total = BODY_CAP_BYTES + 1024 * 1024;
                    let open = br#"{"accountId":""#;
                    write(&mut s, json_head(total).as_bytes()).await;
                    write(&mut s, open).await;
                    let block = vec![b'a'; 64 * 1024];
                    let mut sent = open.len();
                    while sent < total {
                        let n = block.len().min(total - sent);
                        if s.write_all(&block[..n]).await.is_err() {
                            return;
                        }
                        sent += n;
                    }
                }
                "/slow" => {
                    write(&mut s, json_head(USER.len()).as_bytes()).await;
                    for b in USER.bytes() {
                        tokio::time::sleep(Duration::from_millis(50)).await;
                        if s.write_all(&[b]).await.is_err() {
                            return;
                        }
                    }
                }
                "/reset-mid-body" => {
                    write(
                        &mut s,
                        format!("{}{}", json_head(USER.len()), &USER[..10]).as_bytes(),
                    )
                    .await;
                    tokio::time::sleep(Duration::from_millis(20)).await;
                    reset(s);
                }
                "/reset-before-answer" => reset(s),
                "/close-without-answer" => drop(s),
                "/garbage" => write(&mut s, b"HELLO THERE\r\n\r\n").await,
                "/h2-only" => {
                    // What an HTTP/2-only server sends to a client that does not open with the
                    // HTTP/2 preface: its SETTINGS, then GOAWAY(PROTOCOL_ERROR).
                    let settings = [0, 0, 0, 4, 0, 0, 0, 0, 0];
                    let goaway = [0, 0, 8, 7, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1];
                    write(&mut s, &[&settings[..], &goaway[..]].concat()).await;
                }
                _ => {
                    write(
                        &mut s,
                        head("404 Not Found", "Content-Length: 0\r\n").as_bytes(),
                    )
                    .await
                }
            }
        })
    })
}

/// The embedded fixtures and spec with only the template case selected.
fn world() -> Prepared {
    let config = Config {
        selection: Selection {
            filters: vec![TEMPLATE.into()],
            ..Selection::default()
        },
        ..Config::default()
    };
    let prepared = prepare(&config).expect("the embedded suite loads");
    assert_eq!(prepared.cases.len(), 1, "{TEMPLATE} is one case");
    prepared
}

/// The template case sent to `path` instead, named after it.
fn case_at(world: &Prepared, path: &str) -> Case {
    let mut case = world.cases[0].clone();
    case.id = format!("hostile::{}", path.trim_start_matches('/'));
    case.steps[0].request.path = path.to_string();
    case
}

fn options(timeout: Duration) -> RunOptions {
    RunOptions {
        concurrency: 4,
        timeout,
        run_prefix: "hst".into(),
    }
}

/// Retries as by default, with backoffs of a few milliseconds so no test waits.
fn quick_retries() -> Traffic {
    Traffic {
        retry: RetryPolicy {
            backoff_base: Duration::from_millis(2),
            backoff_cap: Duration::from_millis(10),
            ..RetryPolicy::default()
        },
        jitter_seed: Some(1),
        ..Traffic::default()
    }
}

/// Runs `cases` against `base` and judges them as `run_suite` does (snapshots off).
async fn run(
    world: &Prepared,
    base: &str,
    cases: &[Case],
    timeout: Duration,
    traffic: &Traffic,
) -> (Vec<CaseRun>, Vec<Verdict>) {
    let runs = execute_with(
        cases,
        base,
        &world.fixtures,
        &options(timeout),
        traffic,
        Arc::new(|_| {}),
    )
    .await;
    let schemas = SchemaCache::new();
    let redactor = Redactor::new(base, &world.fixtures);
    let snapshots = SnapshotSet::new();
    let ctx = CheckContext {
        spec: &world.spec,
        schemas: &schemas,
        fixtures: &world.fixtures,
        redactor: &redactor,
        mode: SnapshotMode::Off,
        snapshots: &snapshots,
        compare: jira_conform::verdict::CompareLevel::Values,
        keep_snapshot: false,
    };
    let verdicts = cases
        .iter()
        .zip(&runs)
        .map(|(case, run)| judge(case, run.as_ref(), &ctx).verdict)
        .collect();
    (
        runs.into_iter()
            .map(|r| r.expect("every case ran"))
            .collect(),
        verdicts,
    )
}

/// The verdict as one line: `error: …`, `fail [kinds]: …`, `pass`.
fn line(v: &Verdict) -> String {
    let reason = v.reason.as_deref().unwrap_or("").replace('\n', " | ");
    match v.outcome {
        Outcome::Error => format!("error: {reason}"),
        Outcome::Fail => {
            let kinds: Vec<&str> = v.failures.iter().map(|f| f.kind.name()).collect();
            let first = v.failures.first().map_or("", |f| f.message.as_str());
            format!("fail [{}]: {first} | {reason}", kinds.join(", "))
        }
        other => format!("{}: {reason}", other.name()),
    }
}

fn kinds(v: &Verdict) -> Vec<FailureKind> {
    v.failures.iter().map(|f| f.kind).collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_misbehaviour_gets_its_own_verdict_and_the_run_goes_on() {
    let started = Instant::now();
    let target = start(misbehaviours()).await;
    let world = world();
    let paths = [
        "/non-json",
        "/json-as-text",
        "/truncated",
        "/wrong-length",
        "/huge",
        "/slow",
        "/reset-mid-body",
        "/reset-before-answer",
        "/close-without-answer",
        "/garbage",
        "/h2-only",
        "/ok",
    ];
    let cases: Vec<Case> = paths.iter().map(|p| case_at(&world, p)).collect();
    let (runs, verdicts) = run(
        &world,
        &target.url,
        &cases,
        Duration::from_millis(500),
        &quick_retries(),
    )
    .await;
    for (p, v) in paths.iter().zip(&verdicts) {
        println!("{p:<24} {}", line(v));
    }
    let by = |p: &str| &verdicts[paths.iter().position(|x| *x == p).unwrap()];
    let run_of = |p: &str| &runs[paths.iter().position(|x| *x == p).unwrap()];
    let error = |p: &str| {
        let v = by(p);
        assert_eq!(v.outcome, Outcome::Error, "{p}: {}", line(v));
        v.reason.clone().unwrap_or_default()
    };

    // Bodies that are not what the documentation says: failures of the right kind.
    assert_eq!(
        kinds(by("/non-json")),
        [FailureKind::WrongContentType, FailureKind::SchemaViolation],
        "{}",
        line(by("/non-json"))
    );
    assert_eq!(
        kinds(by("/json-as-text")),
        [FailureKind::SchemaViolation],
        "{}",
        line(by("/json-as-text"))
    );
    assert_eq!(
        by("/json-as-text").failures[0].message,
        "the body is not valid JSON"
    );
    // A Content-Length smaller than the body: the client reads what was announced.
    let short = run_of("/wrong-length").exchanges[0]
        .response
        .as_ref()
        .unwrap();
    assert_eq!(short.body, &USER[..20]);
    assert_eq!(kinds(by("/wrong-length")), [FailureKind::SchemaViolation]);

    // A huge body: cut at the cap (never more held), said so, the case judged on the rest.
    let huge = run_of("/huge").exchanges[0].response.as_ref().unwrap();
    assert!(huge.truncated);
    assert_eq!(huge.body.len(), BODY_CAP_BYTES);
    assert!(
        by("/huge")
            .reason
            .as_deref()
            .unwrap_or("")
            .contains("step 0: the response body was cut at 2 MiB (a run keeps at most 2 MiB"),
        "{}",
        line(by("/huge"))
    );

    // Transport failures: errors that name what happened.
    assert!(error("/truncated").contains(
        "the connection closed before the whole body arrived (the target announced more bytes \
         than it sent)"
    ));
    assert!(error("/slow").contains("timed out after 500 ms while reading the body"));
    assert!(
        error("/reset-mid-body").contains("connection reset by the target while reading the body")
    );
    // No answer at all to a GET: safe to send again, so sent 4 times in all.
    assert!(
        error("/reset-before-answer").contains("connection reset by the target before it answered")
    );
    assert!(error("/reset-before-answer").contains("(after 3 retries)"));
    assert!(error("/reset-before-answer").contains("retried 3 times (closed without an answer"));
    assert!(error("/close-without-answer")
        .contains("the target closed the connection without answering (after 3 retries)"));
    assert!(error("/garbage").contains("the target's answer is not HTTP/1.1"));
    assert!(error("/h2-only").contains("or one that speaks only HTTP/2"));

    // An ordinary HTTP/1.1 answer among them passes: the run went on.
    assert_eq!(by("/ok").outcome, Outcome::Pass, "{}", line(by("/ok")));
    assert_eq!(by("/ok").reason, None);

    // Nothing in any message carries a credential.
    for v in &verdicts {
        let text = format!("{:?}", v.reason);
        assert!(
            !text.contains("mock-admin-token") && !text.contains("Basic "),
            "{text}"
        );
    }
    // 12 cases, the two no-answer ones 4 times each.
    assert_eq!(target.requests.load(Ordering::SeqCst), 12 + 2 * 3);
    assert!(
        started.elapsed() < Duration::from_secs(5),
        "{:?}",
        started.elapsed()
    );
}

#[tokio::test]
async fn a_redirect_to_another_host_is_the_answer_and_the_other_host_sees_nothing() {
    let other = start(Arc::new(|mut s: TcpStream, _| {
        Box::pin(async move {
            write(
                &mut s,
                format!("{}{USER}", json_head(USER.len())).as_bytes(),
            )
            .await;
        })
    }))
    .await;
    let location = format!(
        "http://localhost:{}/rest/api/3/myself?token=s3cret",
        other.port
    );
    let redirecting = start(Arc::new(move |mut s: TcpStream, _| {
        let location = location.clone();
        Box::pin(async move {
            let h = head(
                "302 Found",
                &format!("Location: {location}\r\nContent-Length: 0\r\n"),
            );
            write(&mut s, h.as_bytes()).await;
        })
    }))
    .await;
    let world = world();
    let cases = [case_at(&world, "/rest/api/3/myself")];
    let (_, verdicts) = run(
        &world,
        &redirecting.url,
        &cases,
        Duration::from_secs(2),
        &Traffic::default(),
    )
    .await;
    let v = &verdicts[0];
    println!("{}", line(v));
    assert_eq!(
        other.connections.load(Ordering::SeqCst),
        0,
        "the other host was contacted"
    );
    assert_eq!(v.outcome, Outcome::Fail);
    assert_eq!(v.failures[0].kind, FailureKind::WrongStatus);
    assert!(v.failures[0].message.ends_with("expected 200, got 302"));
    let reason = v.reason.as_deref().unwrap_or("");
    assert!(
        reason.contains(&format!(
            "step 0: redirect to another host (http://localhost:{}/rest/api/3/myself) not followed",
            other.port
        )),
        "{reason}"
    );
    assert!(!reason.contains("s3cret"), "{reason}");
}

#[tokio::test]
async fn https_to_a_plain_http_server_is_a_tls_error() {
    // A plain HTTP server answers a TLS ClientHello as the bad request it is.
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let port = listener.local_addr().expect("address").port();
    let hellos = Arc::new(AtomicUsize::new(0));
    let seen = hellos.clone();
    tokio::spawn(async move {
        while let Ok((mut s, _)) = listener.accept().await {
            seen.fetch_add(1, Ordering::SeqCst);
            let mut buf = [0u8; 1024];
            let _ = s.read(&mut buf).await;
            let h = head("400 Bad Request", "Content-Length: 0\r\n");
            write(&mut s, h.as_bytes()).await;
        }
    });
    let world = world();
    let cases = [case_at(&world, "/a"), case_at(&world, "/b")];
    let base = format!("https://127.0.0.1:{port}");
    let (_, verdicts) = run(
        &world,
        &base,
        &cases,
        Duration::from_secs(2),
        &quick_retries(),
    )
    .await;
    for v in &verdicts {
        println!("{}", line(v));
        assert_eq!(v.outcome, Outcome::Error);
        let reason = v.reason.as_deref().unwrap_or("");
        assert!(
            reason.starts_with("step 0 (") && reason.contains("TLS handshake failed: "),
            "{reason}"
        );
        // Not retried: a TLS failure does not heal.
        assert!(!reason.contains("retried"), "{reason}");
    }
    assert_eq!(
        hellos.load(Ordering::SeqCst),
        2,
        "one handshake per case, none repeated"
    );
}

#[tokio::test]
async fn a_refused_connection_is_retried_then_an_error() {
    // A port nothing listens on: bound, then released.
    let port = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
        l.local_addr().expect("address").port()
    };
    let world = world();
    let mut post = case_at(&world, "/ok");
    post.id.push_str("_post");
    post.steps[0].request.method = "POST".into();
    let cases = [case_at(&world, "/ok"), post];
    let base = format!("http://127.0.0.1:{port}");
    let (runs, verdicts) = run(
        &world,
        &base,
        &cases,
        Duration::from_secs(2),
        &quick_retries(),
    )
    .await;
    for (run, v) in runs.iter().zip(&verdicts) {
        println!("{}", line(v));
        assert_eq!(v.outcome, Outcome::Error);
        let reason = v.reason.as_deref().unwrap_or("");
        assert!(
            reason
                .contains("could not connect: the target refused the connection (after 3 retries)"),
            "{reason}"
        );
        // Nothing reached the target, so even the POST may be sent again.
        assert_eq!(run.retries.len(), 3);
        assert!(
            reason.contains("retried 3 times (connection refused, backoff "),
            "{reason}"
        );
    }
}

// ---------------------------------------------------------------------------------------------
// Bounded memory: the whole suite, as the binary, against targets that send far too much.

/// The most a full run may hold, measured by the kernel as the child's peak resident set.
const PEAK_RSS_LIMIT: u64 = 256 * 1024 * 1024;
/// The most the JSON report of a full run may weigh.
const REPORT_LIMIT: u64 = 50 * 1024 * 1024;
/// A full run against a quick hostile target ends well within this, or is killed.
const RUN_LIMIT: Duration = Duration::from_secs(240);

/// What a child run measured.
#[derive(Debug)]
struct Measured {
    exit: Option<i32>,
    peak_rss: u64,
    report: u64,
    stdout: u64,
    wall: Duration,
    document: serde_json::Value,
}

/// Runs the whole suite as the binary against `url` (fixtures of the mock, snapshots off, a JSON
/// report) in a folder of its own, and measures its peak RSS with `wait4`.
fn full_run(url: &str, name: &str) -> Measured {
    use std::os::unix::process::ExitStatusExt;
    use std::process::{Command, Stdio};

    let dir = std::env::temp_dir().join(format!("jc-memory-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("a scratch folder");
    let report = dir.join("report.json");
    let stdout = dir.join("stdout.txt");
    let fixtures = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/mock.toml");
    let started = Instant::now();
    let child = Command::new(env!("CARGO_BIN_EXE_jira-conform"))
        .current_dir(&dir)
        .args(["run", "--target", url, "--fixtures"])
        .arg(&fixtures)
        .args([
            "--snapshots",
            "off",
            "--no-preflight",
            "--timeout",
            "10",
            "--report",
        ])
        .arg(format!("json={}", report.display()))
        .env("NO_COLOR", "1")
        .stdin(Stdio::null())
        .stdout(std::fs::File::create(&stdout).expect("stdout file"))
        .stderr(Stdio::inherit())
        .spawn()
        .expect("the binary starts");
    let pid = child.id() as libc::pid_t;
    // A watchdog: the run is killed if it outlives the limit, so the test ends either way.
    let (done, finished) = std::sync::mpsc::channel::<()>();
    let watchdog = std::thread::spawn(move || {
        if finished.recv_timeout(RUN_LIMIT).is_err() {
            // SAFETY: `pid` is our child, not yet reaped (wait4 below has not returned).
            unsafe { libc::kill(pid, libc::SIGKILL) };
        }
    });
    let mut status: libc::c_int = 0;
    // SAFETY: a zeroed rusage is a valid value for wait4 to fill.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    // SAFETY: waits for our own child; `status` and `usage` outlive the call.
    let reaped = unsafe { libc::wait4(pid, &mut status, 0, &mut usage) };
    let wall = started.elapsed();
    let _ = done.send(());
    watchdog.join().expect("watchdog");
    assert_eq!(reaped, pid, "wait4: {}", std::io::Error::last_os_error());
    // Reaped by wait4 already; the handle only goes away.
    drop(child);
    let exit = std::process::ExitStatus::from_raw(status);
    assert!(
        exit.signal().is_none(),
        "{name}: the run was killed ({exit}) after {wall:?}: it did not finish within {RUN_LIMIT:?}"
    );
    let size = |p: &std::path::Path| std::fs::metadata(p).map_or(0, |m| m.len());
    let measured = Measured {
        exit: exit.code(),
        // Linux reports ru_maxrss in KiB.
        peak_rss: usage.ru_maxrss as u64 * 1024,
        report: size(&report),
        stdout: size(&stdout),
        wall,
        document: serde_json::from_slice(&std::fs::read(&report).expect("the JSON report"))
            .expect("the report is JSON"),
    };
    println!(
        "{name}: exit {:?}, peak RSS {:.1} MiB, JSON report {:.2} MiB, stdout {:.2} MiB, wall {:.1} s",
        measured.exit,
        measured.peak_rss as f64 / (1024.0 * 1024.0),
        measured.report as f64 / (1024.0 * 1024.0),
        measured.stdout as f64 / (1024.0 * 1024.0),
        measured.wall.as_secs_f64()
    );
    let _ = std::fs::remove_dir_all(&dir);
    measured
}

/// The bounds a full run must keep, and proof that it ran the suite and said what it cut.
fn assert_bounded(name: &str, m: &Measured) {
    // Every case fails against such a target; the run finished and said so (3: the roles it
    // created could not be confirmed gone, since the target answers creates with no id).
    assert!(
        matches!(m.exit, Some(1) | Some(3)),
        "{name}: exit {:?}, peak RSS {}, report {} bytes",
        m.exit,
        m.peak_rss,
        m.report
    );
    assert!(
        m.peak_rss < PEAK_RSS_LIMIT,
        "{name}: peak RSS {} bytes",
        m.peak_rss
    );
    assert!(m.report < REPORT_LIMIT, "{name}: report {} bytes", m.report);
    assert!(m.stdout < REPORT_LIMIT, "{name}: stdout {} bytes", m.stdout);
    let verdicts = m.document["verdicts"].as_array().expect("verdicts");
    let list = std::process::Command::new(env!("CARGO_BIN_EXE_jira-conform"))
        .arg("list")
        .output()
        .expect("list");
    let cases = String::from_utf8_lossy(&list.stdout).lines().count() - 1;
    assert_eq!(verdicts.len(), cases, "{name}: every case has a verdict");
    // The only skips are the cases listed as skipped on any target (writes the run cannot
    // make safe): everything else ran.
    let skipped = m.document["totals"]["skipped"].as_u64().unwrap_or(0) as usize;
    let listed_skips = String::from_utf8_lossy(&list.stdout)
        .lines()
        .filter(|l| l.contains("(skipped: "))
        .count();
    assert_eq!(
        skipped, listed_skips,
        "{name}: {skipped} skipped: the suite did not run"
    );
    // Bodies were cut, and verdicts say so; the report shows excerpts.
    let cut = verdicts
        .iter()
        .filter(|v| {
            v["reason"]
                .as_str()
                .is_some_and(|r| r.contains("the response body was cut at"))
        })
        .count();
    assert!(
        cut * 2 > cases,
        "{name}: only {cut} of {cases} verdicts say a body was cut"
    );
    let bodies: Vec<&str> = verdicts
        .iter()
        .flat_map(|v| v["exchanges"].as_array().into_iter().flatten())
        .filter_map(|e| e["response"]["received"]["body"].as_str())
        .collect();
    let excerpts = bodies
        .iter()
        .filter(|b| b.ends_with(" bytes more not shown"))
        .count();
    assert!(
        excerpts * 2 > bodies.len(),
        "{name}: {excerpts} excerpts of {} bodies",
        bodies.len()
    );
    let longest = bodies.iter().map(|b| b.len()).max().unwrap_or(0);
    assert!(
        longest < 9 * 1024,
        "{name}: a body of {longest} bytes in the report"
    );
    // The excerpts keep the document valid.
    let schema: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(
            std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/report.schema.json"),
        )
        .expect("the schema"),
    )
    .expect("the schema is JSON");
    let validator = jsonschema::validator_for(&schema).expect("the schema compiles");
    let violations: Vec<String> = validator
        .iter_errors(&m.document)
        .take(3)
        .map(|e| {
            format!(
                "{}: {}",
                e.instance_path(),
                e.to_string().chars().take(200).collect::<String>()
            )
        })
        .collect();
    assert!(violations.is_empty(), "{name}: {}", violations.join("\n"));
}

/// `{"padding":"aaaa…"}`, exactly `len` bytes of valid JSON.
fn padded_json(len: usize) -> Vec<u8> {
    let open = br#"{"padding":""#;
    let close = br#""}"#;
    let mut body = Vec::with_capacity(len);
    body.extend_from_slice(open);
    body.resize(len - close.len(), b'a');
    body.extend_from_slice(close);
    body
}

/// A target answering every request with `head` then `body`.
async fn answering(head: String, body: Vec<u8>) -> Target {
    let answer: Arc<Vec<u8>> = Arc::new([head.into_bytes(), body].concat());
    start(Arc::new(move |mut s: TcpStream, _| {
        let answer = answer.clone();
        Box::pin(async move {
            // The client stops reading once it has kept enough; the write then fails.
            let _ = s.write_all(&answer).await;
        })
    }))
    .await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_full_run_against_a_target_answering_10_mb_stays_within_its_memory() {
    let body = padded_json(10 * 1000 * 1000);
    let target = answering(json_head(body.len()), body).await;
    let url = target.url.clone();
    let measured = tokio::task::spawn_blocking(move || full_run(&url, "10 MB answers"))
        .await
        .expect("the run");
    assert_bounded("10 MB answers", &measured);
    assert!(target.requests.load(Ordering::SeqCst) > 800);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_full_run_against_a_gzip_bomb_stays_within_its_memory() {
    let bomb = gzip_bomb(1 << 24);
    // Inflated, it would be 258 × 2^24 + 1 bytes (4.3 GB); sent, it is 4 MiB.
    assert!(bomb.len() < 5 * 1024 * 1024, "{}", bomb.len());
    let head = head(
        "200 OK",
        &format!(
            "Content-Type: application/json;charset=UTF-8\r\nContent-Encoding: gzip\r\n\
             Content-Length: {}\r\n",
            bomb.len()
        ),
    );
    let target = answering(head, bomb).await;
    let url = target.url.clone();
    let measured = tokio::task::spawn_blocking(move || full_run(&url, "gzip bomb"))
        .await
        .expect("the run");
    assert_bounded("gzip bomb", &measured);
    assert!(target.requests.load(Ordering::SeqCst) > 800);
}

/// A gzip member whose single deflate block inflates to `copies` × 258 + 1 zero bytes: a
/// literal zero, then `copies` copies of 258 bytes at distance 1, each coded in 2 bits by a
/// dynamic Huffman table (RFC 1951 §3.2.7), so the stream is about `copies / 4` bytes.
fn gzip_bomb(copies: u64) -> Vec<u8> {
    let mut bits = Bits::default();
    bits.put(1, 1); // BFINAL
    bits.put(2, 2); // BTYPE: dynamic Huffman
    bits.put(286 - 257, 5); // HLIT: literal/length codes 0..=285
    bits.put(0, 5); // HDIST: one distance code
    bits.put(18 - 4, 4); // HCLEN: code length codes up to symbol 1 in the order below
                         // Code-length code: 18 (a run of zeros) in 1 bit, the lengths 1 and 2 in 2 bits each.
    const ORDER: [u32; 18] = [16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1];
    for symbol in ORDER {
        let length = match symbol {
            18 => 1,
            1 | 2 => 2,
            _ => 0,
        };
        bits.put(length, 3);
    }
    // Canonical codes: 18 → 0, 1 → 10, 2 → 11.
    let length_2 = |b: &mut Bits| b.code(0b11, 2);
    let length_1 = |b: &mut Bits| b.code(0b10, 2);
    let zeros = |b: &mut Bits, n: u32| {
        b.code(0, 1);
        b.put(n - 11, 7);
    };
    // Literal/length lengths: 0 → 2, 1..=255 → none, 256 (end) → 2, 257..=284 → none,
    // 285 (length 258) → 1; then the one distance code (distance 1) → 1.
    length_2(&mut bits);
    zeros(&mut bits, 138);
    zeros(&mut bits, 117);
    length_2(&mut bits);
    zeros(&mut bits, 28);
    length_1(&mut bits);
    length_1(&mut bits);
    // Canonical codes: 285 → 0, literal 0 → 10, end → 11; distance 1 → 0.
    bits.code(0b10, 2);
    // Each copy is 285 then distance 1: two zero bits.
    let mut left = 2 * copies;
    while left > 0 {
        let n = left.min(32);
        bits.put(0, n as u32);
        left -= n;
    }
    bits.code(0b11, 2);
    let deflate = bits.finish();

    let size = copies * 258 + 1;
    let mut member = vec![0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 0xff];
    member.extend_from_slice(&deflate);
    member.extend_from_slice(&crc32_of_zeros(size).to_le_bytes());
    member.extend_from_slice(&(size as u32).to_le_bytes()); // ISIZE is the size modulo 2^32
    member
}

/// Bits packed as deflate packs them: from the least significant bit of each byte.
#[derive(Default)]
struct Bits {
    out: Vec<u8>,
    acc: u64,
    n: u32,
}

impl Bits {
    /// `count` bits of `value`, least significant first (header fields, extra bits).
    fn put(&mut self, value: u32, count: u32) {
        self.acc |= u64::from(value) << self.n;
        self.n += count;
        while self.n >= 8 {
            self.out.push(self.acc as u8);
            self.acc >>= 8;
            self.n -= 8;
        }
    }

    /// A Huffman code of `len` bits, most significant first.
    fn code(&mut self, code: u32, len: u32) {
        for i in (0..len).rev() {
            self.put((code >> i) & 1, 1);
        }
    }

    fn finish(mut self) -> Vec<u8> {
        if self.n > 0 {
            self.out.push(self.acc as u8);
        }
        self.out
    }
}

/// The CRC-32 (as gzip uses it) of `len` zero bytes, in O(log len): zero bytes only move the
/// register through a linear map, applied by repeated squaring of its matrix over GF(2).
fn crc32_of_zeros(len: u64) -> u32 {
    fn times(matrix: &[u32; 32], mut vector: u32) -> u32 {
        let mut sum = 0;
        let mut row = 0;
        while vector != 0 {
            if vector & 1 != 0 {
                sum ^= matrix[row];
            }
            vector >>= 1;
            row += 1;
        }
        sum
    }
    fn square(matrix: &[u32; 32]) -> [u32; 32] {
        std::array::from_fn(|n| times(matrix, matrix[n]))
    }
    // One zero bit: shift right, folding the polynomial in when the low bit was set.
    let mut op: [u32; 32] =
        std::array::from_fn(|n| if n == 0 { 0xEDB8_8320 } else { 1 << (n - 1) });
    for _ in 0..3 {
        op = square(&op); // 2, 4, then 8 bits: one byte
    }
    let mut crc = 0xFFFF_FFFF;
    let mut len = len;
    while len != 0 {
        if len & 1 != 0 {
            crc = times(&op, crc);
        }
        op = square(&op);
        len >>= 1;
    }
    crc ^ 0xFFFF_FFFF
}

#[test]
fn the_crc_of_zeros_is_the_bitwise_crc() {
    let bitwise = |bytes: &[u8]| {
        let mut crc = 0xFFFF_FFFFu32;
        for &b in bytes {
            crc ^= u32::from(b);
            for _ in 0..8 {
                crc = if crc & 1 != 0 {
                    (crc >> 1) ^ 0xEDB8_8320
                } else {
                    crc >> 1
                };
            }
        }
        crc ^ 0xFFFF_FFFF
    };
    // The check value of CRC-32 for "123456789" pins the polynomial and the reflection.
    assert_eq!(bitwise(b"123456789"), 0xCBF4_3926);
    for n in [0usize, 1, 7, 258, 1000, 65_537] {
        assert_eq!(crc32_of_zeros(n as u64), bitwise(&vec![0; n]), "{n} zeros");
    }
}
