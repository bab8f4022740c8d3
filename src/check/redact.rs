//! One place for everything volatile or personal in an exchange: base URL, run id, account ids,
//! timestamps. Snapshots and reports pass through here, so they compare across runs and
//! targets.

use std::sync::OnceLock;

use regex::Regex;

use crate::fixtures::Fixtures;

/// Replaces volatile values with stable placeholders.
#[derive(Debug, Clone)]
pub struct Redactor {
    base_url: String,
    accounts: Vec<(String, String)>,
}

impl Redactor {
    /// A redactor for one target described by `fixtures`.
    pub fn new(base_url: &str, fixtures: &Fixtures) -> Redactor {
        let mut accounts: Vec<(String, String)> = fixtures
            .principals
            .iter()
            .map(|p| (p.account_id.clone(), format!("{{account:{}}}", p.name)))
            .collect();
        // Longest first, so an id that contains another is replaced whole.
        accounts.sort_by_key(|a| std::cmp::Reverse(a.0.len()));
        Redactor {
            base_url: base_url.trim_end_matches('/').to_string(),
            accounts,
        }
    }

    /// `text` with the base URL, the run id, account ids and timestamps replaced.
    pub fn redact(&self, text: &str, run_id: &str) -> String {
        let mut out = text.replace(&self.base_url, "{base}");
        if let Some(host) = self.base_url.split("://").nth(1) {
            out = out.replace(host, "{host}");
        }
        if !run_id.is_empty() {
            out = out.replace(run_id, "{run}");
        }
        for (id, name) in &self.accounts {
            if !id.is_empty() {
                out = out.replace(id.as_str(), name);
            }
        }
        timestamp_re().replace_all(&out, "{timestamp}").into_owned()
    }
}

fn timestamp_re() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| {
        Regex::new(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:Z|[+-]\d{2}:?\d{2})?")
            .expect("valid regex")
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn volatile_values_are_replaced() {
        let f = Fixtures::embedded().unwrap();
        let alice = f.principal("alice").unwrap().account_id.clone();
        let r = Redactor::new("http://127.0.0.1:4000", &f);
        let text = format!(
            "http://127.0.0.1:4000/x/jab0001.k?accountId={alice} at 2021-01-17T12:34:00.000+0000"
        );
        assert_eq!(
            r.redact(&text, "jab0001"),
            "{base}/x/{run}.k?accountId={account:alice} at {timestamp}"
        );
    }
}
