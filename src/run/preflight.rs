//! Before the first case: is the target Jira, do the principals' credentials work and belong to
//! the accounts the fixtures name, and which API versions does it serve. One clear line instead
//! of hundreds of failures for a wrong token, a wrong account id or a server that is not Jira.

use std::time::Duration;

use serde_json::Value;

use super::auth::authorization;
use super::scrub::Scrubber;
use crate::case::{Actor, Api};
use crate::fixtures::{Credentials, Fixtures};

/// How many times a 429 or 503 answer is waited out before the preflight gives up.
const BUSY_RETRIES: u32 = 3;
/// The longest wait a busy target may ask for during the preflight.
const BUSY_WAIT_CAP: Duration = Duration::from_secs(10);

/// What the preflight learned: the API versions the run leaves out, and why.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Preflight {
    /// API versions the target does not serve (and the user did not force), with the answer
    /// that showed it.
    pub left_out: Vec<(Api, String)>,
}

impl Preflight {
    /// The skip reason for the cases of `api`, when the preflight left that version out.
    pub fn skip_reason(&self, api: Api) -> Option<String> {
        self.left_out
            .iter()
            .find(|(a, _)| *a == api)
            .map(|(a, answered)| {
                format!(
                    "the target does not serve {} (preflight: {answered}); force it with --api {}",
                    a.prefix(),
                    &a.label()[1..]
                )
            })
    }
}

/// Why the run does not start.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PreflightError {
    /// Nothing usable answered at the target.
    #[error("target {url}: {why}; is the server running and the URL right? (--no-preflight skips this check)")]
    Unreachable {
        /// The base URL.
        url: String,
        /// What happened, in words.
        why: String,
    },
    /// Something answered, but not as Jira does.
    #[error(
        "target {url} does not answer like Jira: {answered} (--no-preflight skips this check)"
    )]
    NotJira {
        /// The base URL.
        url: String,
        /// What it answered, in words (status, content type, size; never a body).
        answered: String,
    },
    /// The target refused a principal's credentials.
    #[error("principal {principal}: the target refused its credentials: GET {path} answered {status}; check {hint}")]
    CredentialsRefused {
        /// The principal's name.
        principal: String,
        /// The path asked.
        path: String,
        /// The status.
        status: u16,
        /// Where the credentials come from (the environment variable or the fixtures key).
        hint: String,
    },
    /// A principal's credentials belong to another account than the fixtures say.
    #[error("principal {principal}: the target says these credentials belong to {got}, but {key}.account_id in {file} is {expected:?}")]
    WrongAccount {
        /// The principal's name.
        principal: String,
        /// The fixtures key of the principal (`principals.alice`).
        key: String,
        /// The fixtures file.
        file: String,
        /// The account id the fixtures give.
        expected: String,
        /// The account the target named (its id when it looks like one, else a description).
        got: String,
    },
}

/// Checks the target before the run: `GET <api>/myself` as each principal on each API version
/// in `apis`. A version answering 404 is left out unless it is in `forced`; every version
/// answering 404 means the target is not Jira.
pub async fn preflight(
    base_url: &str,
    fixtures: &Fixtures,
    scrubber: &Scrubber,
    apis: &[Api],
    forced: &[Api],
    timeout: Duration,
) -> Result<Preflight, PreflightError> {
    let base = base_url.trim_end_matches('/');
    let client = reqwest::Client::builder()
        .timeout(timeout)
        .redirect(reqwest::redirect::Policy::none())
        .user_agent(concat!("jira-conform/", env!("CARGO_PKG_VERSION")))
        .build()
        .map_err(|e| PreflightError::Unreachable {
            url: base.to_string(),
            why: format!("cannot build the HTTP client: {e}"),
        })?;
    // What the target sends back may echo the credentials: nothing of it is shown unscrubbed
    // (`scrubber` is the fixtures', built once for the preflight and the run after it).
    let mut out = Preflight::default();
    let mut unserved = Vec::new();
    for &api in apis {
        let path = format!("{}/myself", api.prefix());
        let mut first = true;
        for principal in &fixtures.principals {
            let actor = Actor::Principal(principal.name.clone());
            let answer = ask(&client, scrubber, base, &path, &actor, fixtures).await?;
            if first && answer.status == 404 {
                let answered = format!("GET {path} answered 404");
                unserved.push(answered.clone());
                if !forced.contains(&api) {
                    out.left_out.push((api, answered));
                }
                break;
            }
            first = false;
            judge_myself(base, &path, &answer, principal, fixtures)?;
        }
    }
    if !apis.is_empty() && unserved.len() == apis.len() {
        // Nothing asked for is served: Jira still, if another version answers.
        let mut other_served = false;
        if let Some(first) = fixtures.principals.first() {
            for api in Api::ALL.iter().filter(|a| !apis.contains(a)) {
                let actor = Actor::Principal(first.name.clone());
                let path = format!("{}/myself", api.prefix());
                let answer = ask(&client, scrubber, base, &path, &actor, fixtures).await?;
                other_served |= answer.status != 404;
            }
        }
        if other_served {
            return Ok(out);
        }
        return Err(PreflightError::NotJira {
            url: base.to_string(),
            answered: format!(
                "{} (no Jira REST API at this base URL; is it the site root, e.g. https://your-domain.atlassian.net?)",
                unserved.join(", ")
            ),
        });
    }
    Ok(out)
}

/// An answer, reduced to what the preflight reads.
struct Answer {
    status: u16,
    content_type: Option<String>,
    location: Option<String>,
    body: Vec<u8>,
}

/// Sends one GET, waiting out a busy target (429/503) a few times.
async fn ask(
    client: &reqwest::Client,
    scrubber: &Scrubber,
    base: &str,
    path: &str,
    actor: &Actor,
    fixtures: &Fixtures,
) -> Result<Answer, PreflightError> {
    let unreachable = |why: String| PreflightError::Unreachable {
        url: base.to_string(),
        why,
    };
    let auth = authorization(actor, fixtures).map_err(unreachable)?;
    let mut tries = 0;
    loop {
        let mut request = client.get(format!("{base}{path}"));
        if let Some(auth) = &auth {
            request = request.header(reqwest::header::AUTHORIZATION, auth);
        }
        let response = request
            .send()
            .await
            .map_err(|e| transport(base, path, &e))?;
        let status = response.status().as_u16();
        let header = |name: &str| {
            response
                .headers()
                .get(name)
                .and_then(|v| v.to_str().ok())
                .map(str::to_string)
        };
        let content_type = header("content-type").map(|v| scrubber.scrub_string(v));
        let location = header("location").map(|v| scrubber.scrub_string(v));
        let retry_after = header("retry-after").and_then(|v| v.trim().parse::<u64>().ok());
        if matches!(status, 429 | 503) && tries < BUSY_RETRIES {
            tries += 1;
            let wait = retry_after.map_or(Duration::from_secs(1), Duration::from_secs);
            tokio::time::sleep(wait.min(BUSY_WAIT_CAP)).await;
            continue;
        }
        // /myself is small; a body past 1 MiB is not Jira's answer anyway.
        let body = read_capped(response, 1 << 20)
            .await
            .map_err(|e| transport(base, path, &e))?;
        return Ok(Answer {
            status,
            content_type,
            location,
            body,
        });
    }
}

async fn read_capped(mut response: reqwest::Response, cap: usize) -> reqwest::Result<Vec<u8>> {
    let mut body = Vec::new();
    while let Some(chunk) = response.chunk().await? {
        let room = cap - body.len();
        body.extend_from_slice(&chunk[..chunk.len().min(room)]);
        if body.len() >= cap {
            break;
        }
    }
    Ok(body)
}

/// A transport failure as the preflight's error: nothing answered (refused, timed out), or
/// something answered that is not valid HTTP (a duplicate `Content-Length`, a garbled status
/// line). Never the URL, which reqwest's message repeats.
fn transport(base: &str, path: &str, e: &reqwest::Error) -> PreflightError {
    use std::error::Error as _;
    let mut inner = String::new();
    let mut source = e.source();
    while let Some(s) = source {
        inner = s.to_string();
        source = s.source();
    }
    let unreachable = |why: String| PreflightError::Unreachable {
        url: base.to_string(),
        why,
    };
    if e.is_timeout() {
        return unreachable("did not answer in time".into());
    }
    if e.is_connect() {
        if inner.to_ascii_lowercase().contains("refused") {
            return unreachable("refused the connection".into());
        }
        return unreachable(format!("could not connect ({inner})"));
    }
    PreflightError::NotJira {
        url: base.to_string(),
        answered: format!("GET {path} got an answer that is not valid HTTP ({inner})"),
    }
}

/// What an answer was, in words: status, content type, size. Never the body itself: a hostile
/// target may echo what it was sent.
fn describe(answer: &Answer) -> String {
    let ct = answer.content_type.as_deref().unwrap_or("no content type");
    let mut text = format!("{} {ct} ({} bytes)", answer.status, answer.body.len());
    if (300..400).contains(&answer.status) {
        if let Some(to) = answer
            .location
            .as_deref()
            .and_then(|l| reqwest::Url::parse(l).ok())
        {
            text.push_str(&format!(
                ", a redirect to {}{} (a login page?)",
                to.host_str().unwrap_or(""),
                to.path()
            ));
        } else {
            text.push_str(", a redirect");
        }
    }
    text
}

/// Reads one principal's `/myself` answer.
fn judge_myself(
    base: &str,
    path: &str,
    answer: &Answer,
    principal: &crate::fixtures::Principal,
    fixtures: &Fixtures,
) -> Result<(), PreflightError> {
    if matches!(answer.status, 401 | 403) {
        return Err(PreflightError::CredentialsRefused {
            principal: principal.name.clone(),
            path: path.to_string(),
            status: answer.status,
            hint: credential_hint(principal, fixtures),
        });
    }
    let not_jira = || PreflightError::NotJira {
        url: base.to_string(),
        answered: format!(
            "GET {path} as {} answered {}, not a JSON user",
            principal.name,
            describe(answer)
        ),
    };
    if answer.status != 200 {
        return Err(not_jira());
    }
    let Ok(Value::Object(user)) = serde_json::from_slice::<Value>(&answer.body) else {
        return Err(not_jira());
    };
    let Some(got) = user.get("accountId").and_then(Value::as_str) else {
        return Err(not_jira());
    };
    if got == principal.account_id {
        return Ok(());
    }
    Err(PreflightError::WrongAccount {
        principal: principal.name.clone(),
        key: principal.key.clone(),
        file: fixtures.source.clone(),
        expected: principal.account_id.clone(),
        got: shown_account(got, fixtures),
    })
}

/// The account id a target named, shown only when it looks like one and is no credential (an
/// echoing target may put anything there).
fn shown_account(got: &str, fixtures: &Fixtures) -> String {
    let looks_like_id = !got.is_empty()
        && got.len() <= 128
        && got
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, ':' | '-' | '_'));
    let is_secret = fixtures.principals.iter().any(|p| match &p.credentials {
        Credentials::Basic { token, .. } | Credentials::Bearer { token } => {
            let t = token.expose();
            !t.is_empty() && (got.contains(t) || t.contains(got))
        }
    });
    if looks_like_id && !is_secret {
        format!("account {got:?}")
    } else {
        "an account whose id is not shown (it does not look like an account id)".into()
    }
}

/// Where a principal's credentials come from, for the message of a refused token.
fn credential_hint(principal: &crate::fixtures::Principal, fixtures: &Fixtures) -> String {
    let what = match principal.credentials {
        Credentials::Basic { .. } => "email and token (or token_env)",
        Credentials::Bearer { .. } => "bearer (or bearer_env)",
    };
    format!("{}'s {what} in {}", principal.key, fixtures.source)
}
