//! `jira-conform init`: describe a live target in a fixtures file, sending GET requests only.
//!
//! Two parts: [`discover`] asks the target (as each principal, politely: the run's pacing,
//! retries and request budget) what the principals are and what they can see, bounded to a few
//! projects and issues; [`render`] turns what was found into the commented fixtures text, pure.
//! Credentials come from environment variables only, and the file names the variables, never
//! a token.

mod client;
mod discover;
mod label;
mod render;

use std::fmt;
use std::str::FromStr;
use std::time::Duration;

use crate::fixtures::World;

pub use discover::discover;
pub use render::render;

/// How many projects are described unless `--max-projects` says otherwise.
pub const DEFAULT_MAX_PROJECTS: usize = 5;
/// How many issues per project are described unless `--max-issues` says otherwise.
pub const DEFAULT_MAX_ISSUES: usize = 5;
/// The requests a discovery sends at most unless `--request-budget` says otherwise.
pub const DEFAULT_REQUEST_BUDGET: u64 = 2000;
/// Requests per second against a target that is not on this machine, unless `--rps` says
/// otherwise (a loopback target is not limited).
pub const DEFAULT_REMOTE_RPS: f64 = 10.0;

/// How a principal given on the command line authenticates: the token is named by its
/// environment variable, never given itself.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AuthSpec {
    /// HTTP basic: the account's e-mail and an API token from an environment variable.
    Basic {
        /// The account's e-mail address.
        email: String,
        /// The environment variable holding the API token.
        token_env: String,
    },
    /// `Authorization: Bearer` with a token from an environment variable.
    Bearer {
        /// The environment variable holding the token.
        token_env: String,
    },
}

impl AuthSpec {
    /// The environment variable holding the token.
    pub fn token_env(&self) -> &str {
        match self {
            AuthSpec::Basic { token_env, .. } | AuthSpec::Bearer { token_env } => token_env,
        }
    }
}

/// A principal as `--principal NAME=EMAIL:TOKEN_ENV` or `NAME=bearer:TOKEN_ENV` gives it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PrincipalSpec {
    /// The name the fixtures give it (case ids and snapshots use it).
    pub name: String,
    /// How it authenticates.
    pub auth: AuthSpec,
}

impl FromStr for PrincipalSpec {
    type Err = String;

    fn from_str(text: &str) -> Result<PrincipalSpec, String> {
        let usage = "use NAME=EMAIL:TOKEN_ENV or NAME=bearer:TOKEN_ENV (the token itself goes in the environment variable)";
        let (name, rest) = text
            .split_once('=')
            .ok_or_else(|| format!("{text:?}: {usage}"))?;
        if name.is_empty()
            || !name
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
        {
            return Err(format!(
                "{name:?} is not a principal name: use letters, digits, '-' and '_'"
            ));
        }
        if matches!(name, "anonymous" | "invalid-credentials") {
            return Err(format!(
                "{name:?} is a built-in principal name; choose another"
            ));
        }
        let (who, var) = rest
            .rsplit_once(':')
            .ok_or_else(|| format!("principal {name}: {usage}"))?;
        let var_ok = !var.is_empty()
            && var.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
            && !var.starts_with(|c: char| c.is_ascii_digit());
        if !var_ok {
            return Err(format!(
                "principal {name}: {var:?} is not an environment variable name; {usage}"
            ));
        }
        let auth = if who.eq_ignore_ascii_case("bearer") {
            AuthSpec::Bearer {
                token_env: var.to_string(),
            }
        } else if who.contains('@') && !who.chars().any(char::is_whitespace) {
            AuthSpec::Basic {
                email: who.to_string(),
                token_env: var.to_string(),
            }
        } else {
            return Err(format!(
                "principal {name}: {who:?} is neither an e-mail address nor `bearer`; {usage}"
            ));
        };
        Ok(PrincipalSpec {
            name: name.to_string(),
            auth,
        })
    }
}

impl fmt::Display for PrincipalSpec {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.auth {
            AuthSpec::Basic { email, token_env } => write!(f, "{}={email}:{token_env}", self.name),
            AuthSpec::Bearer { token_env } => write!(f, "{}=bearer:{token_env}", self.name),
        }
    }
}

/// What `init` is asked to do.
#[derive(Debug, Clone)]
pub struct InitOptions {
    /// The target's base URL.
    pub target: String,
    /// The principals, in the order given.
    pub principals: Vec<PrincipalSpec>,
    /// The profile the file names (its snapshot folder); default: derived from the host.
    pub profile: Option<String>,
    /// Projects described at most.
    pub max_projects: usize,
    /// Issues described per project at most.
    pub max_issues: usize,
    /// Requests per second at most (`None`: the default for the target).
    pub requests_per_second: Option<f64>,
    /// Retries of a request answered 429 or 503.
    pub max_retries: u32,
    /// Requests sent at most.
    pub request_budget: u64,
    /// Per-request timeout.
    pub timeout: Duration,
    /// A world whose labels to keep for the entities found in it by key or name (another
    /// site's fixtures), so the cases of two sites line up; others get derived labels.
    pub labels_from: Option<World>,
}

impl InitOptions {
    /// Options with the defaults for `target` and `principals`.
    pub fn new(target: impl Into<String>, principals: Vec<PrincipalSpec>) -> InitOptions {
        InitOptions {
            target: target.into(),
            principals,
            profile: None,
            max_projects: DEFAULT_MAX_PROJECTS,
            max_issues: DEFAULT_MAX_ISSUES,
            requests_per_second: None,
            max_retries: 3,
            request_budget: DEFAULT_REQUEST_BUDGET,
            timeout: Duration::from_secs(30),
            labels_from: None,
        }
    }
}

/// Why `init` stopped. Each is one line for the user; the binary exits 2.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum InitError {
    /// The options do not describe a discovery (no principal, two with one name, a bad URL).
    #[error("{0}")]
    Options(String),
    /// A principal's token variable is not set.
    #[error("principal {principal}: environment variable {var} is not set (or empty): export the principal's token in it")]
    MissingToken {
        /// The principal.
        principal: String,
        /// The variable.
        var: String,
    },
    /// Nothing usable answered at the target.
    #[error("target {url}: {why}; is the server running and the URL right?")]
    Unreachable {
        /// The base URL.
        url: String,
        /// What happened.
        why: String,
    },
    /// Something answered, but not as Jira does.
    #[error("target {url} does not answer like Jira: {answered}")]
    NotJira {
        /// The base URL.
        url: String,
        /// What it answered (status, content type, size; never a body).
        answered: String,
    },
    /// The target refused a principal's credentials.
    #[error("principal {principal}: the target refused its credentials: GET {path} answered {status}; check the token in {var} (and the e-mail address)")]
    CredentialsRefused {
        /// The principal.
        principal: String,
        /// The path asked.
        path: String,
        /// The status.
        status: u16,
        /// The variable the token came from.
        var: String,
    },
    /// The discovery could not go on politely: the request budget is spent, or the target
    /// stayed busy.
    #[error("target {url}: discovery stopped: {why}")]
    Stopped {
        /// The base URL.
        url: String,
        /// Why.
        why: String,
    },
}

/// A principal as the target described it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FoundPrincipal {
    /// The name given on the command line.
    pub name: String,
    /// How it authenticates (the token's variable, not the token).
    pub auth: AuthSpec,
    /// Its account id.
    pub account_id: String,
    /// Its display name.
    pub display_name: String,
    /// Whether it holds *Administer Jira*.
    pub admin: bool,
}

/// Where in the file a note belongs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Section {
    /// The principals.
    Principals,
    /// Time tracking and attachment settings.
    Settings,
    /// Groups.
    Groups,
    /// Projects.
    Projects,
    /// Issues.
    Issues,
    /// Attachments.
    Attachments,
    /// Worklogs.
    Worklogs,
    /// Comments.
    Comments,
    /// Dashboards.
    Dashboards,
    /// Notification schemes.
    NotificationSchemes,
    /// Roles.
    Roles,
}

/// Something the discovery could not learn or chose to leave out, said in the file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Note {
    /// Where it goes.
    pub section: Section,
    /// What to say (one sentence or two).
    pub text: String,
}

/// What the discovery found: the principals, the world (labels derived from keys and names;
/// references by principal name, project key and issue key, as [`World`] has them) and notes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Discovery {
    /// The target's base URL.
    pub base_url: String,
    /// The profile the file names.
    pub profile: String,
    /// The principals, in name order.
    pub principals: Vec<FoundPrincipal>,
    /// The world the principals see.
    pub world: World,
    /// What could not be learned or was left out.
    pub notes: Vec<Note>,
    /// Requests sent.
    pub requests: u64,
}

/// Progress of a discovery, for a progress bar.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Progress {
    /// The step under way, e.g. `projects`.
    pub step: String,
    /// Requests sent so far.
    pub requests: u64,
}

/// The world of the fixtures file at `path`, for [`InitOptions::labels_from`]. Only its labels
/// are wanted, so the token variables it names need not be set.
pub fn labels_from(path: &std::path::Path) -> Result<World, InitError> {
    let file = path.display().to_string();
    let text = std::fs::read_to_string(path)
        .map_err(|e| InitError::Options(format!("--labels-from: cannot read {file}: {e}")))?;
    crate::fixtures::Fixtures::parse(&text, &file, &|_| Some("unused".into()))
        .map(|f| f.world)
        .map_err(|e| InitError::Options(format!("--labels-from: {e}")))
}

/// A profile name from a base URL's host: letters and digits kept, the rest `-`.
pub fn profile_for(base_url: &str) -> String {
    let host = reqwest::Url::parse(base_url)
        .ok()
        .and_then(|u| u.host_str().map(str::to_string))
        .unwrap_or_default();
    let host = host.strip_suffix(".atlassian.net").unwrap_or(&host);
    let profile: String = host
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                c.to_ascii_lowercase()
            } else {
                '-'
            }
        })
        .collect();
    let profile = profile.trim_matches('-').to_string();
    if profile.is_empty() {
        "site".into()
    } else {
        profile
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn principal_arguments_parse_in_both_forms_and_bad_ones_are_refused() {
        let basic: PrincipalSpec = "alice=alice@example.test:JIRA_ALICE_TOKEN".parse().unwrap();
        assert_eq!(
            basic.auth,
            AuthSpec::Basic {
                email: "alice@example.test".into(),
                token_env: "JIRA_ALICE_TOKEN".into()
            }
        );
        assert_eq!(
            basic.to_string(),
            "alice=alice@example.test:JIRA_ALICE_TOKEN"
        );
        let bearer: PrincipalSpec = "bot=bearer:BOT_TOKEN".parse().unwrap();
        assert_eq!(bearer.auth.token_env(), "BOT_TOKEN");
        for bad in [
            "alice",
            "alice=alice@example.test",
            "=a@b:X",
            "a b=a@b:X",
            "anonymous=a@b:X",
            "alice=not-an-email:X",
            "alice=a@b:not a var",
            "alice=a@b:",
        ] {
            assert!(bad.parse::<PrincipalSpec>().is_err(), "{bad}");
        }
    }

    #[test]
    fn profiles_come_from_the_host() {
        assert_eq!(profile_for("https://acme.atlassian.net"), "acme");
        assert_eq!(profile_for("http://127.0.0.1:8080"), "127-0-0-1");
        assert_eq!(profile_for("not a url"), "site");
    }
}
