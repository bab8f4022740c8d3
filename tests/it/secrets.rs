//! Secrets never leak: the suite runs with distinctive tokens (from environment variables, as
//! a real site's fixtures give them), passing and failing cases, every report format, snapshots
//! recorded, a dry run and a diff; then stdout, stderr and every file written are searched for
//! each token in plain, base64 (alone and as `email:token`) and URL-encoded form.
//!
//! Also against a target that echoes every request header back (in its body and its headers,
//! decoded, percent-encoded and JSON-escaped): the run's scrubber takes them out before
//! anything keeps them. A target URL carrying `user:password@` is refused. And the smaller
//! matters of the same boundary: repeated `Allow`/`Content-Type` fields, conflicting
//! `Content-Length`, and `validate` on recorded bodies that hold secret-looking members.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;

use base64::Engine;
use jira_conform::fixtures::EMBEDDED_MOCK_FIXTURES;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

/// Tokens with characters that change under base64 and URL encoding.
const TOKENS: [(&str, &str, &str, &str); 3] = [
    (
        "admin",
        "JC_SECRET_ADMIN",
        "adm!n-Zq9/+=s3cr3t?&x",
        "admin@example.test",
    ),
    (
        "alice",
        "JC_SECRET_ALICE",
        "al1ce-Xr7 %k+/=t0k3n",
        "alice@example.test",
    ),
    (
        "bob",
        "JC_SECRET_BOB",
        "b0b-Wp5#~!tok/en==",
        "bob@example.test",
    ),
];

fn bin(dir: &Path) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_jira-conform"));
    c.current_dir(dir).env("NO_COLOR", "1");
    for (_, var, token, _) in TOKENS {
        c.env(var, token);
    }
    c
}

fn files_under(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).expect("readable").flatten() {
        let path = entry.path();
        if path.is_dir() {
            files_under(&path, out);
        } else {
            out.push(path);
        }
    }
}

fn text(o: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    )
}

fn url_encoded(s: &str) -> String {
    s.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

/// A fresh folder under the target dir holding `site.toml`: the embedded fixtures with each
/// principal's token taken from its environment variable.
fn site(name: &str) -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join(name);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("temp dir");
    let mut fixtures = EMBEDDED_MOCK_FIXTURES.to_string();
    for (name, var, _, _) in TOKENS {
        let inline = format!("token = \"mock-{name}-token\"");
        assert!(fixtures.contains(&inline), "{inline}");
        fixtures = fixtures.replace(&inline, &format!("token_env = \"{var}\""));
    }
    std::fs::write(dir.join("site.toml"), fixtures).expect("fixtures");
    dir
}

/// Every form of a principal's token the outputs are searched for: plain, base64 of the token
/// and of `email:token` (standard and URL-safe, unpadded: a prefix of the padded form), the
/// header value, URL-encoded, JSON-escaped with `\/`, and HTML-escaped.
fn forms(token: &str, email: &str) -> Vec<String> {
    let standard = base64::engine::general_purpose::STANDARD_NO_PAD;
    let url_safe = base64::engine::general_purpose::URL_SAFE_NO_PAD;
    let pair = format!("{email}:{token}");
    vec![
        token.to_string(),
        standard.encode(token),
        url_safe.encode(token),
        standard.encode(&pair),
        url_safe.encode(&pair),
        url_encoded(token),
        token.replace('/', "\\/"),
        // As the HTML and JUnit reports would escape it.
        token.replace('&', "&amp;"),
    ]
}

/// Every file under `dir` but the fixtures, as (path, text).
fn written(dir: &Path) -> Vec<(String, String)> {
    let mut files = Vec::new();
    files_under(dir, &mut files);
    files
        .iter()
        .filter(|f| !f.ends_with("site.toml"))
        .map(|f| {
            let bytes = std::fs::read(f).expect("readable");
            (
                f.display().to_string(),
                String::from_utf8_lossy(&bytes).into(),
            )
        })
        .collect()
}

/// Asserts that no form of any token is in any of `outputs`.
fn assert_no_token(outputs: &[(String, String)]) {
    for (name, _, token, email) in TOKENS {
        for form in forms(token, email) {
            for (what, text) in outputs {
                assert!(
                    !text.contains(form.as_str()),
                    "{name}'s token leaked as {form:?} in {what}"
                );
            }
        }
    }
}

#[test]
fn no_token_appears_in_any_output_in_any_form() {
    let dir = site("secrets");
    let snapshots = dir.join("snapshots");

    let mut outputs = Vec::new();
    for args in [
        // Passing, recording snapshots.
        vec!["run", "--fixtures", "site.toml", "--record", "-v"],
        // Failing, verifying, every report format.
        vec![
            "run",
            "--fixtures",
            "site.toml",
            "-v",
            "--fault",
            "admin-check-missing",
            "--fault",
            "invalid-credentials-accepted",
            "--fault",
            "wrong-content-type",
            "--report",
            "junit=r.xml",
            "--report",
            "json=r.json",
            "--report",
            "markdown=r.md",
            "--report",
            "html=r.html",
        ],
        vec![
            "run",
            "--fixtures",
            "site.toml",
            "--dry-run",
            "--target",
            "https://jira.invalid",
        ],
        vec![
            "diff",
            "--fixtures",
            "site.toml",
            "--fault-b",
            "anonymous-read-allowed",
        ],
        vec!["list", "--fixtures", "site.toml"],
    ] {
        let mut c = bin(&dir);
        c.args(&args);
        if args[0] == "run" && !args.contains(&"--dry-run") {
            c.arg("--snapshot-dir").arg(&snapshots);
        }
        let out = c.output().expect("runs");
        // The recording run must pass (the tokens authenticate), the faulty run must fail.
        let expected = if args.contains(&"--fault") { 1 } else { 0 };
        let expected = if args.contains(&"--fault-b") {
            1
        } else {
            expected
        };
        assert_eq!(
            out.status.code(),
            Some(expected),
            "{args:?}: {}",
            text(&out)
        );
        outputs.push((format!("{args:?}"), text(&out)));
    }
    let files = written(&dir);
    assert!(files.iter().any(|(f, _)| f.ends_with(".snap")));
    assert!(files.iter().any(|(f, _)| f.ends_with("r.html")));
    outputs.extend(files);
    assert_no_token(&outputs);
    // The failing run did print reproductions: they name the variable instead.
    assert!(outputs.iter().any(|(_, t)| t.contains("$JIRA_TOKEN_ALICE")));
}

/// A target that echoes every request back: a JSON body with every header (name and value),
/// the basic credentials decoded, the `Authorization` value percent-encoded and JSON-escaped
/// with `\/`; and the `Authorization` value in its own headers (`X-Echo-Auth`,
/// `WWW-Authenticate`, `Allow`, a `Content-Type` parameter), the decoded token in
/// `X-Echo-Token`. GET /rest/api/3/myself answers a redirect to another host whose path holds
/// the token. Runs on its own runtime until the returned guard is dropped; counts requests.
struct Echo {
    url: String,
    port: u16,
    requests: Arc<AtomicUsize>,
    _runtime: tokio::runtime::Runtime,
}

impl Echo {
    fn start() -> Echo {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .expect("a runtime");
        let listener = runtime
            .block_on(TcpListener::bind("127.0.0.1:0"))
            .expect("bind");
        let port = listener.local_addr().expect("address").port();
        let requests = Arc::new(AtomicUsize::new(0));
        let counter = requests.clone();
        runtime.spawn(async move {
            while let Ok((stream, _)) = listener.accept().await {
                let counter = counter.clone();
                tokio::spawn(async move {
                    // Bounded: a client that stalls is dropped.
                    let _ =
                        tokio::time::timeout(Duration::from_secs(30), echo(stream, &counter)).await;
                });
            }
        });
        Echo {
            url: format!("http://127.0.0.1:{port}"),
            port,
            requests,
            _runtime: runtime,
        }
    }
}

/// Answers one request on `stream` with its echo.
async fn echo(mut stream: TcpStream, counter: &AtomicUsize) {
    let mut head = Vec::new();
    let mut buf = [0u8; 8192];
    let end = loop {
        if let Some(at) = head.windows(4).position(|w| w == b"\r\n\r\n") {
            break at;
        }
        match stream.read(&mut buf).await {
            Ok(0) | Err(_) => return,
            Ok(n) => head.extend_from_slice(&buf[..n]),
        }
        if head.len() > 1 << 20 {
            return;
        }
    };
    counter.fetch_add(1, Ordering::SeqCst);
    let text = String::from_utf8_lossy(&head[..end]).into_owned();
    let mut lines = text.split("\r\n");
    let request_line = lines.next().unwrap_or_default().to_string();
    let headers: BTreeMap<String, String> = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(n, v)| (n.trim().to_ascii_lowercase(), v.trim().to_string()))
        .collect();
    // Read the body, so the client sees an answer rather than a reset.
    let length: usize = headers
        .get("content-length")
        .and_then(|v| v.parse().ok())
        .unwrap_or(0);
    let mut body_read = head.len() - end - 4;
    while body_read < length {
        match stream.read(&mut buf).await {
            Ok(0) | Err(_) => return,
            Ok(n) => body_read += n,
        }
    }
    let auth = headers.get("authorization").cloned().unwrap_or_default();
    let decoded = auth
        .strip_prefix("Basic ")
        .and_then(|b| base64::engine::general_purpose::STANDARD.decode(b).ok())
        .map(|b| String::from_utf8_lossy(&b).into_owned())
        .unwrap_or_default();
    let password = decoded.split_once(':').map_or("", |(_, p)| p).to_string();
    let mut body = serde_json::json!({
        "request": request_line,
        "headers": headers,
        "user": decoded,
        "password": password,
        "encoded": url_encoded(&auth),
        "encodedPassword": url_encoded(&password),
    })
    .to_string();
    // PHP-style escaping of `/`, which serde_json does not do.
    body.insert_str(
        1,
        &format!(
            "\"slashes\":\"{}\",\"passwordSlashes\":\"{}\",",
            auth.replace('/', "\\/"),
            password.replace('/', "\\/")
        ),
    );
    let redirect = request_line.starts_with("GET /rest/api/3/myself ");
    let status = if redirect { "302 Found" } else { "200 OK" };
    let mut response = format!(
        "HTTP/1.1 {status}\r\n\
         Content-Type: application/json; charset=UTF-8; echo=\"{auth}\"\r\n\
         X-Echo-Auth: {auth}\r\n\
         X-Echo-Token: {password}\r\n\
         WWW-Authenticate: {auth}\r\n\
         Allow: GET, {auth}\r\n\
         Content-Length: {}\r\n\
         Connection: close\r\n",
        body.len()
    );
    if redirect {
        response.push_str(&format!(
            "Location: http://elsewhere.invalid/{}/x?auth={}\r\n",
            url_encoded(&password),
            url_encoded(&auth)
        ));
    }
    response.push_str("\r\n");
    response.push_str(&body);
    let _ = stream.write_all(response.as_bytes()).await;
    let _ = stream.shutdown().await;
}

/// The binary's exit code and output, checked against `expected`.
fn run_in(dir: &Path, args: &[&str], expected: i32) -> (String, String) {
    let out = bin(dir).args(args).output().expect("runs");
    assert_eq!(
        out.status.code(),
        Some(expected),
        "{args:?}: {}",
        text(&out)
    );
    (format!("{args:?}"), text(&out))
}

#[test]
fn an_echoing_target_gets_no_token_into_any_output_snapshot_or_report() {
    let dir = site("secrets-echo");
    let echo = Echo::start();
    let target = echo.url.as_str();
    let mut outputs = Vec::new();
    let reports = |tag: &str| {
        ["junit", "json", "markdown", "html"]
            .map(|f| format!("--report={f}={tag}.{f}"))
            .to_vec()
    };
    // Recording against the echo, then verifying: every case departs from the doc, and the role
    // creates it answered 200 without an id cannot be verified gone (leftovers: exit 3).
    for (mode, tag) in [("record", "rec"), ("verify", "ver")] {
        let mut args = vec![
            "run",
            "--target",
            target,
            "--fixtures",
            "site.toml",
            "-v",
            "--snapshot-dir",
            "snaps",
            "--snapshots",
            mode,
            // The echo is no Jira: the preflight would stop the run before any case.
            "--no-preflight",
        ];
        let reports = reports(tag);
        args.extend(reports.iter().map(String::as_str));
        outputs.push(run_in(&dir, &args, 3));
    }
    // With the preflight on, the echo is refused as not Jira, with what it answered: scrubbed.
    let refused = run_in(
        &dir,
        &["run", "--target", target, "--fixtures", "site.toml"],
        2,
    );
    assert!(
        refused.1.contains("does not answer like Jira"),
        "{}",
        refused.1
    );
    outputs.push(refused);
    // The echo against the embedded mock: they disagree.
    outputs.push(run_in(
        &dir,
        &[
            "diff",
            "--target",
            target,
            "--fixtures",
            "site.toml",
            "--no-preflight",
        ],
        3,
    ));
    assert!(
        echo.requests.load(Ordering::SeqCst) > 1000,
        "the echo target answered the runs"
    );
    let files = written(&dir);
    let snaps = files.iter().filter(|(f, _)| f.ends_with(".snap")).count();
    assert!(snaps > 500, "{snaps} snapshots recorded");
    println!(
        "echo target: {} requests answered, {snaps} snapshots, {} files searched",
        echo.requests.load(Ordering::SeqCst),
        files.len()
    );
    for tag in ["rec", "ver"] {
        for format in ["junit", "json", "markdown", "html"] {
            let name = format!("{tag}.{format}");
            assert!(files.iter().any(|(f, _)| f.ends_with(&name)), "{name}");
        }
    }
    outputs.extend(files);
    assert_no_token(&outputs);
    // The echoes were there, and were replaced by the markers naming the principals.
    for name in ["admin", "alice", "bob"] {
        let marker = format!("{{secret:{name}}}");
        assert!(
            outputs.iter().any(|(_, t)| t.contains(&marker)),
            "no {marker} anywhere: the echo was not seen"
        );
    }
    // The redirect note names the other host, not the token in its path.
    assert!(outputs
        .iter()
        .any(|(_, t)| t.contains("redirect to another host (http://elsewhere.invalid/")));
    drop(echo);
}

#[test]
fn a_target_url_with_user_information_is_refused_without_printing_the_password() {
    let dir = site("secrets-userinfo");
    let echo = Echo::start();
    let password = "pw-Kq8/+=s3cr3t";
    let with_password = format!(
        "http://admin:{}@127.0.0.1:{}",
        url_encoded(password),
        echo.port
    );
    std::fs::write(dir.join("journal.jsonl"), "").expect("journal");
    let with_base_url = EMBEDDED_MOCK_FIXTURES.replace(
        "profile = \"mock\"",
        &format!("profile = \"mock\"\nbase_url = \"{with_password}\""),
    );
    std::fs::write(dir.join("base-url.toml"), with_base_url).expect("fixtures");
    let mut outputs = Vec::new();
    for args in [
        vec!["run", "--target", &with_password, "--fixtures", "site.toml"],
        vec!["run", "--target", &with_password, "--dry-run"],
        vec!["run", "--fixtures", "base-url.toml"],
        vec!["diff", "--target", &with_password],
        vec!["diff", "--against-target", &with_password],
        vec![
            "cleanup",
            "--journal",
            "journal.jsonl",
            "--target",
            &with_password,
        ],
    ] {
        let (what, said) = run_in(&dir, &args, 2);
        assert!(said.contains("token_env"), "{what}: {said}");
        outputs.push((what, said));
    }
    assert_eq!(echo.requests.load(Ordering::SeqCst), 0, "nothing was sent");
    for (what, said) in &outputs {
        for form in [password.to_string(), url_encoded(password)] {
            assert!(!said.contains(&form), "{what}: {said}");
        }
    }
}

mod boundary {
    //! Repeated header fields and conflicting lengths, through the executor and the checks.
    use super::*;
    use jira_conform::case::Case;
    use jira_conform::check::{judge, CheckContext, Redactor, SnapshotMode, SnapshotSet};
    use jira_conform::run::{execute, RunOptions};
    use jira_conform::select::Selection;
    use jira_conform::spec::schema::SchemaCache;
    use jira_conform::verdict::FailureKind;
    use jira_conform::{prepare, Config};

    const TEMPLATE: &str = "v3::myself::getCurrentUser::schema::body_200";
    const USER: &str = r#"{"accountId":"5b10a2844c20165700ede210","accountType":"atlassian","active":true,"displayName":"Ada Admin"}"#;

    /// A target answering each path with its raw head (and [`USER`] as the body).
    async fn raw_target() -> String {
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
        let port = listener.local_addr().expect("address").port();
        tokio::spawn(async move {
            while let Ok((mut stream, _)) = listener.accept().await {
                tokio::spawn(async move {
                    let mut head = Vec::new();
                    let mut buf = [0u8; 4096];
                    while !head.windows(4).any(|w| w == b"\r\n\r\n") {
                        match stream.read(&mut buf).await {
                            Ok(0) | Err(_) => return,
                            Ok(n) => head.extend_from_slice(&buf[..n]),
                        }
                    }
                    let text = String::from_utf8_lossy(&head).into_owned();
                    let path = text.split_whitespace().nth(1).unwrap_or_default();
                    let fields = match path {
                        "/repeated" => format!(
                            "Content-Type: application/json;charset=UTF-8\r\n\
                             Content-Type: text/html\r\n\
                             Allow: GET\r\nAllow: PUT, DELETE\r\n\
                             Content-Length: {}\r\n",
                            USER.len()
                        ),
                        _ => format!(
                            "Content-Type: application/json;charset=UTF-8\r\n\
                             Content-Length: {}\r\nContent-Length: {}\r\n",
                            USER.len(),
                            USER.len() + 5
                        ),
                    };
                    let answer =
                        format!("HTTP/1.1 200 OK\r\n{fields}Connection: close\r\n\r\n{USER}");
                    let _ = stream.write_all(answer.as_bytes()).await;
                    let _ = stream.shutdown().await;
                });
            }
        });
        format!("http://127.0.0.1:{port}")
    }

    #[tokio::test]
    async fn repeated_allow_and_content_type_are_all_read_and_conflicting_lengths_named() {
        let config = Config {
            selection: Selection {
                filters: vec![TEMPLATE.into()],
                ..Selection::default()
            },
            ..Config::default()
        };
        let world = prepare(&config).expect("the embedded suite loads");
        let at = |path: &str| {
            let mut case: Case = world.cases[0].clone();
            case.id = format!("boundary::{}", path.trim_start_matches('/'));
            case.steps[0].request.path = path.to_string();
            case
        };
        let cases = [at("/repeated"), at("/lengths")];
        let base = raw_target().await;
        let options = RunOptions {
            concurrency: 2,
            timeout: Duration::from_secs(5),
            run_prefix: "bnd".into(),
        };
        let runs = tokio::time::timeout(
            Duration::from_secs(20),
            execute(&cases, &base, &world.fixtures, &options, Arc::new(|_| {})),
        )
        .await
        .expect("the run ends within 20 s");
        let run = |i: usize| runs[i].as_ref().expect("ran");

        let repeated = run(0).exchanges[0].response.as_ref().expect("an answer");
        assert_eq!(repeated.allow.as_deref(), Some("GET, PUT, DELETE"));
        assert_eq!(
            repeated.content_type.as_deref(),
            Some("application/json;charset=UTF-8, text/html")
        );
        let schemas = SchemaCache::new();
        let redactor = Redactor::new(&base, &world.fixtures);
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
        let verdict = judge(&cases[0], runs[0].as_ref(), &ctx).verdict;
        let failure = verdict
            .failures
            .iter()
            .find(|f| f.kind == FailureKind::WrongContentType)
            .expect("the repeated Content-Type fails the content-type check");
        assert!(
            failure.message.starts_with("Content-Type sent 2 times"),
            "{}",
            failure.message
        );

        let lengths = run(1).exchanges[0]
            .response
            .as_ref()
            .expect_err("no answer");
        assert!(
            lengths.contains("Content-Length more than once with different values"),
            "{lengths}"
        );
        assert!(!lengths.contains("could not be reached"), "{lengths}");
    }
}

#[test]
fn validate_scrubs_secret_looking_members_of_recorded_response_bodies() {
    let dir = site("secrets-validate");
    let body = r#"{"accountId":"5b10a2844c20165700ede210","accountType":"atlassian","active":true,"displayName":"Mia","apiToken":"ATATT-recorded-XyZ123","password":"pw-recorded-Qq9","session":{"cookie":"JSESSIONID=sess-recorded-77"},"note":"Authorization: Bearer bRec0rdedBearer42"}"#;
    let har = serde_json::json!({"log": {"entries": [{
        "request": {"method": "GET", "url": "https://x.atlassian.net/rest/api/3/myself", "headers": []},
        "response": {"status": 200, "headers": [],
            "content": {"mimeType": "application/json;charset=UTF-8", "text": body}}
    }]}});
    std::fs::write(dir.join("s.har"), har.to_string()).expect("har");
    let mut outputs = Vec::new();
    // Our spec's User takes no extra members: the entry fails its schema check (exit 1), and
    // the violation names the members, never their values.
    outputs.push(run_in(
        &dir,
        &[
            "validate",
            "--har",
            "s.har",
            "-v",
            "--report",
            "json=v.json",
            "--report",
            "html=v.html",
            "--report",
            "markdown=v.md",
            "--report",
            "junit=v.xml",
        ],
        1,
    ));
    outputs.extend(
        written(&dir)
            .into_iter()
            .filter(|(f, _)| !f.ends_with("s.har")),
    );
    for secret in [
        "ATATT-recorded-XyZ123",
        "pw-recorded-Qq9",
        "sess-recorded-77",
        "bRec0rdedBearer42",
    ] {
        for (what, text) in &outputs {
            assert!(!text.contains(secret), "{secret} in {what}");
        }
    }
    let json = &outputs
        .iter()
        .find(|(f, _)| f.ends_with("v.json"))
        .expect("the JSON report")
        .1;
    assert!(json.contains("secret-looking values of the response body scrubbed: /apiToken, /password, /session/cookie, /note"), "{json}");
    assert!(json.contains("Mia"), "the rest of the body is kept: {json}");
}
