//! One place for everything volatile or personal in an exchange: base URL, run id, account ids,
//! the ids and keys of the fixtures' entities, timestamps. Snapshots and reports pass through
//! here, so they compare across runs and across targets: an account id becomes the principal's
//! name, an entity id its label in the fixtures (`10201` → `{issue:secured}`), so two targets
//! described with the same names compare even where their ids differ.
//!
//! Ids are read by context, never by value alone: real Jira numbers every kind of entity from
//! 10000, so `10010` may be a role and a dashboard item at once. A value a step of the case
//! returned (a created role's id) wins over everything; then an id whose kind the context
//! gives (the path segment before it, `/worklog/10401`; the member holding it, `issueId`; the
//! object it stands in, a project's `id`; the resource the request addressed) becomes a label
//! only if the world has an entity of that kind with that id, and stays as it is otherwise;
//! only an id whose kind nothing says gets the label of every kind that has it.

use std::borrow::Cow;
use std::sync::OnceLock;

use regex::Regex;

use serde_json::Value;

use super::entity_kind::{self, Kind};
use crate::fixtures::Fixtures;

/// Replaces volatile values with stable placeholders.
#[derive(Debug, Clone)]
pub struct Redactor {
    base_url: String,
    accounts: Vec<(String, String)>,
    /// Entity id or key → placeholder naming every kind that has it; one regex over all of
    /// them, whole words only, so `10200` is not replaced inside `102001`.
    entities: Vec<(String, String)>,
    entity_re: Option<Regex>,
    /// Per kind: id or key → that entity's placeholder.
    by_kind: std::collections::HashMap<Kind, std::collections::HashMap<String, String>>,
}

/// A value the target generated that the case refers to later (a created role's id), and the
/// placeholder it becomes (`{step 0 /id}`).
#[derive(Debug, Clone)]
pub struct Generated {
    /// The value as the target returned it.
    pub value: String,
    /// The value as a whole word, for text.
    pub pattern: Regex,
    /// The placeholder.
    pub name: String,
    /// The kind of entity it is, when the request that returned it says (a worklog's id from
    /// `POST …/worklog`): where the context names another kind, the world's label wins.
    pub kind: Option<Kind>,
}

impl Generated {
    /// Whether this value, standing where the context says `context`, is this generated one
    /// rather than the world's entity of that kind with the same id.
    fn applies(&self, context: Option<Kind>, redactor: &Redactor) -> bool {
        match (self.kind, context) {
            (Some(mine), Some(there)) if mine != there => !redactor
                .by_kind
                .get(&there)
                .is_some_and(|m| m.contains_key(&self.value)),
            _ => true,
        }
    }
}

/// Where a value being redacted stands: the case's run id, the request whose answer it is,
/// and the values the case's steps returned.
#[derive(Debug, Clone, Copy, Default)]
pub struct Scope<'a> {
    /// The run id of the case (its key prefix).
    pub run_id: &'a str,
    /// The request URL (or path) the exchange is about.
    pub request: &'a str,
    /// Values a step returned; they win over the world's labels.
    pub generated: &'a [Generated],
}

/// What the context says of a scalar.
enum Read {
    /// It is this placeholder.
    Replace(String),
    /// It is an id of a kind the world has no such entity of: it stays.
    Keep,
    /// Nothing is known: free text.
    Free,
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
            by_kind: kind_placeholders(fixtures),
        }
    }

    /// A JSON body with every replacement, ids read by their context (see the module doc).
    pub fn redact_json_in(&self, value: &Value, scope: &Scope<'_>) -> Value {
        let root = entity_kind::of_request_path(scope.request);
        self.walk(value, root, None, scope)
    }

    /// `value` is of kind `kind` (an object) or holds elements of that kind (an array); `holder`
    /// is the member holding it and the kind of the object that member stands in.
    fn walk(
        &self,
        value: &Value,
        kind: Option<Kind>,
        holder: Option<(&str, Option<Kind>)>,
        scope: &Scope<'_>,
    ) -> Value {
        match value {
            Value::Object(map) => Value::Object(
                map.iter()
                    .map(|(k, v)| {
                        let child = entity_kind::of_child(k, kind);
                        (
                            self.redact_in(k, scope),
                            self.walk(v, child, Some((k, kind)), scope),
                        )
                    })
                    .collect(),
            ),
            Value::Array(items) => Value::Array(
                items
                    .iter()
                    .map(|v| self.walk(v, kind, holder, scope))
                    .collect(),
            ),
            Value::Number(n) => match self.read(&n.to_string(), holder, scope) {
                Read::Replace(p) => Value::String(p),
                Read::Keep | Read::Free => value.clone(),
            },
            Value::String(s) => match self.read(s, holder, scope) {
                Read::Replace(p) => Value::String(p),
                // Not an entity of its kind, but still free of run ids, accounts and the host.
                Read::Keep => Value::String(self.redact_text(s, scope, false)),
                Read::Free => Value::String(self.redact_in(s, scope)),
            },
            other => other.clone(),
        }
    }

    /// What a scalar is, from the values the case generated and the member holding it.
    fn read(&self, text: &str, holder: Option<(&str, Option<Kind>)>, scope: &Scope<'_>) -> Read {
        let id_holder = holder.filter(|(m, _)| entity_kind::is_id_member(m));
        let context = id_holder.and_then(|(m, object)| entity_kind::of_id_member(m, object));
        if let Some(g) = scope
            .generated
            .iter()
            .find(|g| g.value == text && g.applies(context, self))
        {
            return Read::Replace(g.name.clone());
        }
        let Some((member, object)) = id_holder else {
            return Read::Free;
        };
        match entity_kind::of_id_member(member, object) {
            Some(kind) => match self.by_kind.get(&kind).and_then(|m| m.get(text)) {
                Some(p) => Read::Replace(p.clone()),
                None => Read::Keep,
            },
            None => match self.entity(text) {
                Some(p) => Read::Replace(p.to_string()),
                None => Read::Free,
            },
        }
    }

    /// Text (a URL, a message) with every replacement; an id in it is read by the path
    /// segment or query parameter before it.
    pub fn redact_in(&self, text: &str, scope: &Scope<'_>) -> String {
        self.redact_text(text, scope, true)
    }

    /// [`Redactor::redact_in`], with or without the world's entity ids.
    fn redact_text(&self, text: &str, scope: &Scope<'_>, entities: bool) -> String {
        // Most texts (member names, short values) hold nothing to replace: nothing is copied
        // until something is.
        let mut out = replaced(Cow::Borrowed(text), &self.base_url, "{base}");
        if let Some(host) = self.base_url.split("://").nth(1) {
            out = replaced(out, host, "{host}");
        }
        if !scope.run_id.is_empty() {
            out = replaced(out, scope.run_id, "{run}");
        }
        for g in scope.generated {
            let next = match g.pattern.replace_all(&out, |c: &regex::Captures<'_>| {
                let start = c.get(0).map_or(0, |m| m.start());
                if g.applies(context_kind(&out[..start]), self) {
                    g.name.clone()
                } else {
                    c[0].to_string()
                }
            }) {
                Cow::Owned(s) => Some(s),
                Cow::Borrowed(_) => None,
            };
            if let Some(s) = next {
                out = Cow::Owned(s);
            }
        }
        for (id, name) in &self.accounts {
            if !id.is_empty() {
                out = replaced(out, id, name);
            }
        }
        if let Some(re) = self.entity_re.as_ref().filter(|_| entities) {
            let next = match re.replace_all(&out, |c: &regex::Captures<'_>| {
                let found = &c[0];
                let start = c.get(0).map_or(0, |m| m.start());
                let kind = context_kind(&out[..start]).or_else(|| {
                    // Nothing before it says: the resource the request addressed, when
                    // the world has such an entity with this id.
                    entity_kind::of_request_path(scope.request)
                        .filter(|k| self.by_kind.get(k).is_some_and(|m| m.contains_key(found)))
                });
                match kind {
                    Some(kind) => self
                        .by_kind
                        .get(&kind)
                        .and_then(|m| m.get(found))
                        .cloned()
                        .unwrap_or_else(|| found.to_string()),
                    None => self.entity(found).unwrap_or(found).to_string(),
                }
            }) {
                Cow::Owned(s) => Some(s),
                Cow::Borrowed(_) => None,
            };
            if let Some(s) = next {
                out = Cow::Owned(s);
            }
        }
        match timestamp_re().replace_all(&out, "{timestamp}") {
            Cow::Owned(s) => s,
            Cow::Borrowed(_) => out.into_owned(),
        }
    }

    /// The placeholder of an entity id or key, if it is one.
    fn entity(&self, text: &str) -> Option<&str> {
        self.entities
            .iter()
            .find(|(v, _)| v == text)
            .map(|(_, p)| p.as_str())
    }

    /// A JSON body with the same replacements, made value by value so the result stays JSON,
    /// with no context beyond the run id (see [`Redactor::redact_json_in`]).
    pub fn redact_json(&self, value: &Value, run_id: &str) -> Value {
        self.redact_json_in(
            value,
            &Scope {
                run_id,
                ..Scope::default()
            },
        )
    }

    /// `text` with the base URL, the run id, account ids, entity ids and timestamps replaced.
    pub fn redact(&self, text: &str, run_id: &str) -> String {
        self.redact_in(
            text,
            &Scope {
                run_id,
                ..Scope::default()
            },
        )
    }
}

/// `text` with every `from` replaced by `to` (as [`str::replace`]), copied only when it holds
/// `from`.
fn replaced<'t>(text: Cow<'t, str>, from: &str, to: &str) -> Cow<'t, str> {
    // An empty `from` matches everywhere: left to `str::replace`, as before.
    if !from.is_empty() && (text.len() < from.len() || !text.contains(from)) {
        return text;
    }
    Cow::Owned(text.replace(from, to))
}

/// The kind of the id that follows `before`: the path segment before it (`…/worklog/`), the
/// query parameter it is the value of (`?projectId=`), or the last noun naming a kind in the
/// few words of prose before it (`The dashboard with id '`).
fn context_kind(before: &str) -> Option<Kind> {
    if let Some(path) = before.strip_suffix('/') {
        // `/attachment/content/10300`: the word naming the kind may stand one segment earlier.
        let mut words = path.rsplit('/');
        let word = match words.next().unwrap_or("") {
            "content" | "thumbnail" => words.next().unwrap_or(""),
            word => word,
        };
        return entity_kind::from_path_word(word).or_else(|| entity_kind::from_noun(word));
    }
    if let Some(query) = before.strip_suffix('=') {
        let name = query.rsplit(['?', '&']).next().unwrap_or("");
        return entity_kind::of_id_member(name, None);
    }
    let line = before.rsplit('\n').next().unwrap_or(before);
    line.split(|c: char| !c.is_ascii_alphabetic())
        .filter(|w| !w.is_empty())
        .rev()
        .take(4)
        .find_map(entity_kind::from_noun)
}

/// Per kind, every id and key of the world's entities of that kind with its placeholder.
fn kind_placeholders(
    fixtures: &Fixtures,
) -> std::collections::HashMap<Kind, std::collections::HashMap<String, String>> {
    let w = &fixtures.world;
    let mut out: std::collections::HashMap<Kind, std::collections::HashMap<String, String>> =
        Default::default();
    let mut add = |kind: Kind, value: &str, name: &str, label: &str| {
        if !value.is_empty() {
            out.entry(kind)
                .or_default()
                .insert(value.to_string(), format!("{{{name}:{label}}}"));
        }
    };
    for p in &w.projects {
        add(Kind::Project, &p.id, "project", &p.label);
        add(Kind::Project, &p.key, "project-key", &p.label);
    }
    for i in &w.issues {
        add(Kind::Issue, &i.id, "issue", &i.label);
        add(Kind::Issue, &i.key, "issue-key", &i.label);
    }
    for a in &w.attachments {
        add(Kind::Attachment, &a.id, "attachment", &a.label);
    }
    for l in &w.worklogs {
        add(Kind::Worklog, &l.id, "worklog", &l.label);
    }
    for c in &w.comments {
        add(Kind::Comment, &c.id, "comment", &c.label);
    }
    for d in &w.dashboards {
        add(Kind::Dashboard, &d.id, "dashboard", &d.label);
        for (n, item) in d.items.iter().enumerate() {
            add(Kind::Item, item, "item", &format!("{}.{n}", d.label));
        }
    }
    for s in &w.notification_schemes {
        add(Kind::Scheme, &s.id, "scheme", &s.label);
    }
    for r in &w.roles {
        add(Kind::Role, &r.id, "role", &r.label);
    }
    out
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
    for c in &w.comments {
        add(&c.id, "comment", &c.label);
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
