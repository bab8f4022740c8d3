//! `jira-conform mock`: serve the reference mock on 127.0.0.1 for other tools and clients.

use std::path::PathBuf;

use clap::Args;
use jira_conform::case::Api;
use jira_conform::fixtures::{Credentials, Fixtures, EMBEDDED_MOCK_FIXTURES_NAME};
use jira_conform::mock::{ApiVersion, Fault};

use super::parse::{parse_api, parse_fault};
use super::{CliError, Exit};

pub const MOCK_HELP: &str =
    "Exit codes: 0 stopped with Ctrl-C, 2 bad input or the port cannot be bound.

Examples:
  jira-conform mock --port 8080
  jira-conform mock --port 0 --fault post-accepted --fixtures-out mock-fixtures.toml
  jira-conform mock --port 8080 --api 3                     # a partial mock: v3 only";

#[derive(Args)]
pub struct MockArgs {
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

/// Serves the mock until Ctrl-C (or lists its faults).
pub async fn mock(args: MockArgs) -> Result<Exit, CliError> {
    if args.list_faults {
        for f in Fault::ALL {
            println!("{:<30} {}", f.name(), f.description());
        }
        return Ok(Exit::Ok);
    }
    let fixtures = jira_conform::load_fixtures(args.fixtures.as_deref())?;
    let addr = std::net::SocketAddr::from(([127, 0, 0, 1], args.port));
    let listener = tokio::net::TcpListener::bind(addr)
        .await
        .map_err(|source| CliError::Listen { addr, source })?;
    let bound = listener.local_addr().map_or(addr, |a| a);
    let url = format!("http://{bound}");
    // Written before the first line, so whoever reads the URL finds the file there.
    if let Some(out) = &args.fixtures_out {
        let text = jira_conform::fixtures_text(args.fixtures.as_deref());
        std::fs::write(out, jira_conform::fixtures::with_base_url(&text, &url)).map_err(
            |source| CliError::Write {
                path: out.clone(),
                source,
            },
        )?;
    }
    greet(&args, &fixtures, &url);
    let shutdown = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    let versions: Vec<ApiVersion> = if args.apis.is_empty() {
        ApiVersion::ALL.to_vec()
    } else {
        args.apis
            .iter()
            .map(|api| match api {
                Api::V2 => ApiVersion::V2,
                Api::V3 => ApiVersion::V3,
            })
            .collect()
    };
    jira_conform::mock::serve_versions(listener, &fixtures, &args.faults, &versions, shutdown)
        .await
        .map_err(CliError::MockStopped)?;
    Ok(Exit::Ok)
}

/// What the mock serves and how to reach it: its address, faults, principals and fixtures.
fn greet(args: &MockArgs, fixtures: &Fixtures, url: &str) {
    use std::fmt::Write as _;
    let mut text = String::new();
    let faults: Vec<&str> = args.faults.iter().map(|f| f.name()).collect();
    let _ = writeln!(
        text,
        "reference mock listening on {url} (profile {}, faults: {})",
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
            Credentials::Basic { email, token } if embedded => {
                format!("{email} / token {}", token.expose())
            }
            Credentials::Basic { email, .. } => format!("{email} / the token of {}", p.key),
            Credentials::Bearer { .. } => format!("bearer token of {}", p.key),
        };
        let _ = writeln!(
            text,
            "  {:<8} {how}{}",
            p.name,
            if p.admin { " (administrator)" } else { "" }
        );
    }
    match &args.fixtures_out {
        Some(out) => {
            let _ = writeln!(
                text,
                "fixtures for this mock: {} (jira-conform run --fixtures {})",
                out.display(),
                out.display()
            );
        }
        None => {
            let name = args.fixtures.as_ref().map_or_else(
                || EMBEDDED_MOCK_FIXTURES_NAME.to_string(),
                |p| p.display().to_string(),
            );
            let _ = writeln!(
                text,
                "fixtures: {name} (jira-conform run --target {url} --fixtures {name}; or mock --fixtures-out FILE)"
            );
        }
    }
    let _ = writeln!(text, "press Ctrl-C to stop");
    // Whoever started the mock may stop reading once it has the URL (a test harness, `| head
    // -1`): a closed stdout must not stop the server, so the write's failure is ignored (where
    // `println!` would panic).
    let mut out = std::io::stdout().lock();
    let _ = std::io::Write::write_all(&mut out, text.as_bytes());
    let _ = std::io::Write::flush(&mut out);
}
