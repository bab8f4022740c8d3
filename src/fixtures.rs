//! The fixtures file: what the user knows about a target (principals, entities, overrides).

use std::collections::BTreeMap;
use std::fmt;
use std::path::Path;

use serde::Deserialize;

/// The fixtures the binary embeds and uses when none is given: they describe the reference mock.
pub const EMBEDDED_MOCK_FIXTURES: &str = include_str!("../fixtures/mock.toml");

/// Name shown for the embedded fixtures in messages and provenance.
pub const EMBEDDED_MOCK_FIXTURES_NAME: &str = "fixtures/mock.toml";

/// A secret value (API token, bearer token): never printed, not even by `Debug`.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(String);

impl Secret {
    /// Wraps a secret.
    pub fn new(value: impl Into<String>) -> Secret {
        Secret(value.into())
    }

    /// The secret itself, for the one place that puts it on the wire.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Secret(<redacted>)")
    }
}

/// How a principal authenticates.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Credentials {
    /// HTTP basic with an Atlassian account e-mail and API token.
    Basic {
        /// The account's e-mail address.
        email: String,
        /// The API token.
        token: Secret,
    },
    /// An OAuth 2.0 or personal access token sent as `Authorization: Bearer`.
    Bearer {
        /// The token.
        token: Secret,
    },
}

/// A user the suite acts as.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Principal {
    /// The name used in case ids, snapshots and reports.
    pub name: String,
    /// The Atlassian account id.
    pub account_id: String,
    /// Display name (the mock serves it; reports ignore it).
    pub display_name: String,
    /// Whether the principal holds the *Administer Jira* global permission.
    pub admin: bool,
    /// How it authenticates.
    pub credentials: Credentials,
    /// Where the principal is declared, e.g. `principals.alice`.
    pub key: String,
}

/// Documented limits the user wants to state explicitly (for a target that differs, or a spec
/// whose prose does not state them). Unset fields come from the spec.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RuleOverrides {
    /// Maximum size of an entity property value, in bytes.
    pub property_value_max_bytes: Option<usize>,
    /// Maximum length of an entity property key, in characters.
    pub property_key_max_chars: Option<usize>,
    /// Maximum length of an `accountId`, in characters.
    pub account_id_max_chars: Option<usize>,
}

/// Run settings that belong to a target.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RunSettings {
    /// How many cases run at once.
    #[serde(default = "default_concurrency")]
    pub concurrency: usize,
    /// Per-request timeout in seconds.
    #[serde(default = "default_timeout")]
    pub timeout_secs: u64,
}

fn default_concurrency() -> usize {
    8
}

fn default_timeout() -> u64 {
    30
}

impl Default for RunSettings {
    fn default() -> Self {
        RunSettings {
            concurrency: default_concurrency(),
            timeout_secs: default_timeout(),
        }
    }
}

/// A validated fixtures file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fixtures {
    /// Where it was read from (a path, or the embedded name).
    pub source: String,
    /// The profile: names the snapshot folder `snapshots/<profile>/`.
    pub profile: String,
    /// The target's base URL, when the file names one.
    pub base_url: Option<String>,
    /// Principals in name order.
    pub principals: Vec<Principal>,
    /// Documented limits stated by the user.
    pub rules: RuleOverrides,
    /// Run settings.
    pub run: RunSettings,
}

/// Why a fixtures file was refused.
#[derive(Debug, thiserror::Error)]
pub enum FixturesError {
    /// The file could not be read.
    #[error("cannot read fixtures file {file}: {source}")]
    Read {
        /// The file.
        file: String,
        /// The I/O error.
        source: std::io::Error,
    },
    /// The TOML is malformed or has unknown keys or wrong types.
    #[error("{file}: {message}")]
    Syntax {
        /// The file.
        file: String,
        /// The parser's message, with line and column.
        message: String,
    },
    /// A value is present but not acceptable.
    #[error("{file}: {key}: {message}")]
    Invalid {
        /// The file.
        file: String,
        /// The key, e.g. `principals.alice.token_env`.
        key: String,
        /// What is wrong.
        message: String,
    },
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFixtures {
    profile: String,
    base_url: Option<String>,
    #[serde(default)]
    principals: BTreeMap<String, RawPrincipal>,
    #[serde(default)]
    rules: RuleOverrides,
    #[serde(default)]
    run: RunSettings,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawPrincipal {
    account_id: String,
    display_name: Option<String>,
    #[serde(default)]
    admin: bool,
    email: Option<String>,
    token: Option<String>,
    token_env: Option<String>,
    bearer: Option<String>,
    bearer_env: Option<String>,
}

impl Fixtures {
    /// The fixtures describing the embedded reference mock.
    pub fn embedded() -> Result<Fixtures, FixturesError> {
        Fixtures::parse(EMBEDDED_MOCK_FIXTURES, EMBEDDED_MOCK_FIXTURES_NAME, &|_| {
            None
        })
    }

    /// Reads and validates a fixtures file, taking secrets from the process environment.
    pub fn load(path: &Path) -> Result<Fixtures, FixturesError> {
        let file = path.display().to_string();
        let text = std::fs::read_to_string(path).map_err(|source| FixturesError::Read {
            file: file.clone(),
            source,
        })?;
        Fixtures::parse(&text, &file, &|name| std::env::var(name).ok())
    }

    /// Parses fixtures text; `env` looks up environment variables named by `*_env` keys.
    pub fn parse(
        text: &str,
        file: &str,
        env: &dyn Fn(&str) -> Option<String>,
    ) -> Result<Fixtures, FixturesError> {
        let raw: RawFixtures = toml::from_str(text).map_err(|e| FixturesError::Syntax {
            file: file.to_string(),
            message: syntax_message(text, &e),
        })?;
        let invalid = |key: &str, message: String| FixturesError::Invalid {
            file: file.to_string(),
            key: key.to_string(),
            message,
        };
        if raw.profile.is_empty()
            || !raw
                .profile
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
        {
            return Err(invalid(
                "profile",
                format!(
                    "{:?} is not a profile name: use letters, digits, '-' and '_' (it names the snapshot folder)",
                    raw.profile
                ),
            ));
        }
        if let Some(url) = &raw.base_url {
            check_base_url(url).map_err(|m| invalid("base_url", m))?;
        }
        if raw.run.concurrency == 0 {
            return Err(invalid("run.concurrency", "must be at least 1".into()));
        }
        if raw.run.timeout_secs == 0 {
            return Err(invalid("run.timeout_secs", "must be at least 1".into()));
        }
        let mut principals = Vec::new();
        for (name, p) in raw.principals {
            let key = format!("principals.{name}");
            if matches!(name.as_str(), "anonymous" | "invalid-credentials") {
                return Err(invalid(
                    &key,
                    "this name is built in (no credentials / bad credentials); choose another"
                        .into(),
                ));
            }
            if p.account_id.trim().is_empty() {
                return Err(invalid(
                    &format!("{key}.account_id"),
                    "must not be empty".into(),
                ));
            }
            let secret =
                |inline: Option<String>, var: Option<String>, what: &str| match (inline, var) {
                    (Some(_), Some(_)) => Err(invalid(
                        &key,
                        format!("give either {what} or {what}_env, not both"),
                    )),
                    (Some(v), None) => Ok(Some(Secret::new(v))),
                    (None, Some(var)) => match env(&var) {
                        Some(v) if !v.is_empty() => Ok(Some(Secret::new(v))),
                        _ => Err(invalid(
                            &format!("{key}.{what}_env"),
                            format!("environment variable {var} is not set (or empty)"),
                        )),
                    },
                    (None, None) => Ok(None),
                };
            let basic = secret(p.token, p.token_env, "token")?;
            let bearer = secret(p.bearer, p.bearer_env, "bearer")?;
            let credentials = match (basic, bearer, p.email) {
                (Some(token), None, Some(email)) => Credentials::Basic { email, token },
                (Some(_), None, None) => {
                    return Err(invalid(
                        &format!("{key}.email"),
                        "basic credentials need the account's e-mail address".into(),
                    ))
                }
                (None, Some(token), _) => Credentials::Bearer { token },
                (Some(_), Some(_), _) => {
                    return Err(invalid(
                        &key,
                        "give a basic token or a bearer token, not both".into(),
                    ))
                }
                (None, None, _) => return Err(invalid(
                    &key,
                    "no credentials: give email + token (or token_env), or bearer (or bearer_env)"
                        .into(),
                )),
            };
            principals.push(Principal {
                display_name: p.display_name.unwrap_or_else(|| name.clone()),
                name,
                account_id: p.account_id,
                admin: p.admin,
                credentials,
                key,
            });
        }
        Ok(Fixtures {
            source: file.to_string(),
            profile: raw.profile,
            base_url: raw.base_url,
            principals,
            rules: raw.rules,
            run: raw.run,
        })
    }

    /// A principal by name.
    pub fn principal(&self, name: &str) -> Option<&Principal> {
        self.principals.iter().find(|p| p.name == name)
    }

    /// The first administrator, in name order.
    pub fn admin(&self) -> Option<&Principal> {
        self.principals.iter().find(|p| p.admin)
    }

    /// The ordinary (non-admin) users, in name order: the first acts on its own record, the
    /// second on someone else's.
    pub fn users(&self) -> Vec<&Principal> {
        self.principals.iter().filter(|p| !p.admin).collect()
    }
}

/// Checks that a base URL is an absolute http(s) URL without query or fragment.
pub fn check_base_url(url: &str) -> Result<(), String> {
    let parsed = reqwest::Url::parse(url).map_err(|e| format!("{url:?} is not a URL: {e}"))?;
    if !matches!(parsed.scheme(), "http" | "https") {
        return Err(format!(
            "{url:?}: only http and https targets are supported"
        ));
    }
    if parsed.host_str().is_none() {
        return Err(format!("{url:?} has no host"));
    }
    if parsed.query().is_some() || parsed.fragment().is_some() {
        return Err(format!("{url:?}: a base URL takes no query or fragment"));
    }
    Ok(())
}

fn syntax_message(text: &str, e: &toml::de::Error) -> String {
    let msg = e.message().trim().to_string();
    match e.span() {
        Some(span) => {
            let before = &text[..span.start.min(text.len())];
            let line = before.matches('\n').count() + 1;
            let col = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
            format!("line {line}, column {col}: {msg}")
        }
        None => msg,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<Fixtures, FixturesError> {
        Fixtures::parse(text, "t.toml", &|name| {
            (name == "SET").then(|| "tok".to_string())
        })
    }

    #[test]
    fn embedded_fixtures_parse_with_admin_and_two_users() {
        let f = Fixtures::embedded().expect("embedded fixtures are valid");
        assert!(f.admin().is_some());
        assert!(f.users().len() >= 2);
    }

    #[test]
    fn unknown_key_is_named_with_its_line() {
        let err = parse("profile = \"p\"\nbogus = 1\n")
            .unwrap_err()
            .to_string();
        assert!(err.contains("t.toml: line 2"), "{err}");
        assert!(err.contains("bogus"), "{err}");
    }

    #[test]
    fn missing_environment_variable_is_named() {
        let text = "profile = \"p\"\n[principals.a]\naccount_id = \"1\"\nemail = \"a@x\"\ntoken_env = \"UNSET_VAR\"\n";
        let err = parse(text).unwrap_err().to_string();
        assert!(err.contains("principals.a.token_env"), "{err}");
        assert!(err.contains("UNSET_VAR"), "{err}");
    }

    #[test]
    fn token_from_environment_is_used_and_never_debug_printed() {
        let text = "profile = \"p\"\n[principals.a]\naccount_id = \"1\"\nemail = \"a@x\"\ntoken_env = \"SET\"\n";
        let f = parse(text).unwrap();
        match &f.principals[0].credentials {
            Credentials::Basic { token, .. } => assert_eq!(token.expose(), "tok"),
            other => panic!("expected basic credentials, got {other:?}"),
        }
        assert!(!format!("{f:?}").contains("tok\""));
    }

    #[test]
    fn bad_base_url_is_refused() {
        let err = parse("profile = \"p\"\nbase_url = \"ftp://x\"\n")
            .unwrap_err()
            .to_string();
        assert!(err.contains("base_url"), "{err}");
    }
}
