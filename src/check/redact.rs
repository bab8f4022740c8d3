//! One place for everything volatile or personal in an exchange: base URL, run id, account ids,
//! the ids and keys of the fixtures' entities, timestamps. Snapshots and reports pass through
//! here, so they compare across runs and across targets: an account id becomes the principal's
//! name, an entity id its label in the fixtures (`10201` → `{issue:secured}`), so two targets
//! described with the same names compare even where their ids differ.

use std::sync::OnceLock;

use regex::Regex;

use serde_json::Value;

use crate::fixtures::Fixtures;

/// Replaces volatile values with stable placeholders.
#[derive(Debug, Clone)]
pub struct Redactor {
    base_url: String,
    accounts: Vec<(String, String)>,
    /// Entity id or key → placeholder; one regex over all of them, whole words only, so `10200`
    /// is not replaced inside `102001`.
    entities: Vec<(String, String)>,
    entity_re: Option<Regex>,
}

impl Redactor {
    /// A redactor for one target described by `fixtures`.
    pub fn new(base_url: &str, fixtures: &Fixtures) -> Redactor {
        // Account ids appear raw in bodies and percent-encoded in links (`712020%3A…`).
        let mut accounts: Vec<(String, String)> = fixtures
            .principals
            .iter()
            .flat_map(|p| {
                let name = format!("{{account:{}}}", p.name);
                let encoded = crate::case::encode_segment(&p.account_id);
                [(p.account_id.clone(), name.clone()), (encoded, name)]
            })
            .collect();
        accounts.dedup();
        // Longest first, so an id that contains another is replaced whole.
        accounts.sort_by_key(|a| std::cmp::Reverse(a.0.len()));
        let entities = entity_placeholders(fixtures);
        let entity_re = (!entities.is_empty())
            .then(|| {
                let alternatives: Vec<String> =
                    entities.iter().map(|(v, _)| regex::escape(v)).collect();
                Regex::new(&format!(r"\b(?:{})\b", alternatives.join("|"))).ok()
            })
            .flatten();
        Redactor {
            base_url: base_url.trim_end_matches('/').to_string(),
            accounts,
            entities,
            entity_re,
        }
    }

    /// The placeholder of an entity id or key, if it is one.
    fn entity(&self, text: &str) -> Option<&str> {
        self.entities
            .iter()
            .find(|(v, _)| v == text)
            .map(|(_, p)| p.as_str())
    }

    /// A JSON body with the same replacements, made value by value so the result stays JSON:
    /// a number that is an entity id becomes its placeholder string.
    pub fn redact_json(&self, value: &Value, run_id: &str) -> Value {
        match value {
            Value::String(s) => Value::String(self.redact(s, run_id)),
            Value::Number(n) => match self.entity(&n.to_string()) {
                Some(p) => Value::String(p.to_string()),
                None => value.clone(),
            },
            Value::Array(items) => {
                Value::Array(items.iter().map(|v| self.redact_json(v, run_id)).collect())
            }
            Value::Object(map) => Value::Object(
                map.iter()
                    .map(|(k, v)| (self.redact(k, run_id), self.redact_json(v, run_id)))
                    .collect(),
            ),
            other => other.clone(),
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
        if let Some(re) = &self.entity_re {
            out = re
                .replace_all(&out, |c: &regex::Captures<'_>| {
                    self.entity(&c[0]).unwrap_or(&c[0]).to_string()
                })
                .into_owned();
        }
        timestamp_re().replace_all(&out, "{timestamp}").into_owned()
    }
}

/// Every entity id and key of the world with its placeholder. Ids shared by entities of
/// different kinds (a dashboard and a project both `10000`) get one placeholder naming all of
/// them, the same on every target whose fixtures share that structure.
fn entity_placeholders(fixtures: &Fixtures) -> Vec<(String, String)> {
    let w = &fixtures.world;
    let mut named: std::collections::BTreeMap<String, Vec<String>> = Default::default();
    let mut add = |value: &str, kind: &str, label: &str| {
        if !value.is_empty() {
            named
                .entry(value.to_string())
                .or_default()
                .push(format!("{kind}:{label}"));
        }
    };
    for p in &w.projects {
        add(&p.id, "project", &p.label);
        add(&p.key, "project-key", &p.label);
    }
    for i in &w.issues {
        add(&i.id, "issue", &i.label);
        add(&i.key, "issue-key", &i.label);
    }
    for a in &w.attachments {
        add(&a.id, "attachment", &a.label);
    }
    for l in &w.worklogs {
        add(&l.id, "worklog", &l.label);
    }
    for d in &w.dashboards {
        add(&d.id, "dashboard", &d.label);
        for (n, item) in d.items.iter().enumerate() {
            add(item, "item", &format!("{}.{n}", d.label));
        }
    }
    for s in &w.notification_schemes {
        add(&s.id, "scheme", &s.label);
    }
    for r in &w.roles {
        add(&r.id, "role", &r.label);
    }
    let mut out: Vec<(String, String)> = named
        .into_iter()
        .map(|(value, mut names)| {
            names.sort();
            names.dedup();
            (value, format!("{{{}}}", names.join("|")))
        })
        .collect();
    // Longest first, so the regex prefers `CONF-10` over `CONF-1`.
    out.sort_by_key(|(v, _)| std::cmp::Reverse(v.len()));
    out
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

    #[test]
    fn entity_ids_and_keys_become_their_labels() {
        let f = Fixtures::embedded().unwrap();
        let r = Redactor::new("http://127.0.0.1:4000", &f);
        assert_eq!(
            r.redact("/issue/CONF-2/worklog/10401 and 104010", ""),
            "/issue/{issue-key:secured}/worklog/{worklog:restricted} and 104010"
        );
        let body = serde_json::json!({"id": 10300, "issueId": "10200", "n": 7});
        assert_eq!(
            r.redact_json(&body, ""),
            serde_json::json!({"id": "{attachment:open}", "issueId": "{issue:open}", "n": 7})
        );
    }
}
