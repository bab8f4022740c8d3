//! Issues: one issue by id or key, with field selection and expansion.

use std::collections::BTreeSet;

use axum::extract::Path;
use axum::http::{Method, StatusCode};
use axum::response::Response;
use axum::Router;
use serde_json::{json, Map, Value};

use crate::fixtures::{Issue, Principal};

use super::adf::adf_document;
use super::attachments;
use super::caller::{Call, Methods, PathSegment};
use super::error::JiraError;
use super::faults::Fault;
use super::issue_visibility::{find_issue, issue_not_found, sees_issue};
use super::links::{ApiVersion, Links};
use super::query::{self, list_values, QueryPairs};
use super::response::json;
use super::state::MockState;
use super::versioned_routes::VersionedRoutes;
use super::worklogs;

/// `/issue/{issueIdOrKey}`: getIssue is served; editIssue and deleteIssue are documented but
/// not built.
const ISSUE: Methods = Methods::new("DELETE, GET, PUT", &[Method::GET]);

/// The expansions an issue offers, as Jira lists them in the bean's `expand`.
const ISSUE_EXPAND: &str =
    "renderedFields,names,schema,transitions,operations,editmeta,changelog,versionedRepresentations";

/// The world records no issue timestamps: every issue was created at this fixed time, before any
/// seeded worklog started, so bodies stay the same from run to run. An issue's `updated` is the
/// later of this and its worklogs' last change (logging work updates the issue).
const ISSUE_TIMESTAMP: &str = "2026-01-02T09:00:00.000+0000";

/// The issue type and status every issue of the world has (the world does not model them).
/// Their ids are kept out of the range fixtures use for entities, so snapshot redaction never
/// mistakes them for an entity's id.
const ISSUE_TYPE: (&str, &str) = ("3", "Task");
const STATUS: (&str, &str) = ("1", "To Do");

/// A field the mock knows: its id, its display name (for `expand=names`) and whether it is
/// navigable.
///
/// Navigable fields are those the issue navigator can show as columns, which is also what Jira's
/// search returns by default. Jira's own search results leave out `attachment`, `comment` and
/// `worklog` by default, so of the mock's fields those two are the non-navigable ones; summary,
/// description, project, issue type, status and the timestamps are navigable.
struct Field {
    id: &'static str,
    name: &'static str,
    navigable: bool,
}

/// The fields, in the order bodies list them.
const FIELDS: [Field; 9] = [
    field("summary", "Summary", true),
    field("description", "Description", true),
    field("project", "Project", true),
    field("issuetype", "Issue Type", true),
    field("status", "Status", true),
    field("created", "Created", true),
    field("updated", "Updated", true),
    field("attachment", "Attachment", false),
    field("worklog", "Log Work", false),
];

const fn field(id: &'static str, name: &'static str, navigable: bool) -> Field {
    Field {
        id,
        name,
        navigable,
    }
}

/// The routes of this resource under one API version.
pub(crate) fn routes(version: ApiVersion) -> Router<MockState> {
    Router::new().versioned(version, "/issue/{issueIdOrKey}", issue)
}

/// `/rest/api/N/issue/{issueIdOrKey}`: one issue.
async fn issue(call: Call, key: PathSegment, query: QueryPairs) -> Result<Response, JiraError> {
    let principal = ISSUE.caller(&call)?;
    let state = &call.state;
    // A segment that is not UTF-8 once decoded names no issue.
    let Ok(Path(key)) = key else {
        return Err(issue_not_found());
    };
    let security_applies = !state.has(Fault::IssueSecurityIgnored);
    let issue = find_issue(state, &key)
        .filter(|i| sees_issue(state.world(), principal, i, security_applies))
        .ok_or_else(issue_not_found)?;
    let pairs = query::pairs(query)?;
    let values = |name: &str| list_values(&pairs, name);
    // fieldsByKeys, updateHistory and failFast change nothing the mock models: system fields'
    // keys are their ids, there is no history, and no field can fail to load.
    let selected = select_fields(&values("fields"), !state.has(Fault::FieldsExclusionIgnored));
    let expand = values("expand");
    let properties = values("properties");

    let links = call.links();
    let api = links.api();
    let view = View {
        state,
        links: &links,
        version: call.version,
        principal,
        issue,
    };
    let mut fields = Map::new();
    for field in &selected {
        fields.insert(field.id.to_string(), view.field(field.id));
    }
    let mut body = Map::new();
    body.insert("expand".into(), json!(ISSUE_EXPAND));
    body.insert("id".into(), json!(issue.id));
    body.insert("self".into(), json!(format!("{api}/issue/{}", issue.id)));
    body.insert("key".into(), json!(issue.key));
    if expand.contains(&"renderedFields") {
        let mut rendered = Map::new();
        for field in &selected {
            if let Some(value) = view.rendered(field.id) {
                rendered.insert(field.id.to_string(), value);
            }
        }
        body.insert("renderedFields".into(), Value::Object(rendered));
    }
    if expand.contains(&"names") {
        let names: Map<String, Value> = selected
            .iter()
            .map(|f| (f.id.to_string(), json!(f.name)))
            .collect();
        body.insert("names".into(), Value::Object(names));
    }
    // The world has no issue properties: asking for any (`*all` or by key) shows the empty set.
    if properties.iter().any(|p| !p.starts_with('-')) {
        body.insert("properties".into(), json!({}));
    }
    body.insert("fields".into(), Value::Object(fields));
    Ok(json(StatusCode::OK, &Value::Object(body)))
}

/// The fields `fields` selects, in body order. Items come from every `fields` parameter, split
/// on commas: `*all`, `*navigable`, a field id to include, `-id` to exclude; unknown ids are
/// ignored. With no inclusion at all the base is every field (the documented default, so
/// `-summary` alone means everything but the summary). An exclusion wins over an inclusion.
fn select_fields(items: &[&str], exclusions_apply: bool) -> Vec<&'static Field> {
    let mut all = false;
    let mut navigable = false;
    let mut included = BTreeSet::new();
    let mut excluded = BTreeSet::new();
    let mut any_inclusion = false;
    for item in items {
        if let Some(name) = item.strip_prefix('-') {
            if exclusions_apply {
                excluded.insert(name);
            }
            continue;
        }
        any_inclusion = true;
        match *item {
            "*all" => all = true,
            "*navigable" => navigable = true,
            name => {
                included.insert(name);
            }
        }
    }
    if !any_inclusion {
        all = true;
    }
    FIELDS
        .iter()
        .filter(|f| all || (navigable && f.navigable) || included.contains(f.id))
        .filter(|f| !excluded.contains(f.id))
        .collect()
}

/// One issue as one caller sees it through one API version.
struct View<'a> {
    state: &'a MockState,
    links: &'a Links,
    version: ApiVersion,
    principal: &'a Principal,
    issue: &'a Issue,
}

impl View<'_> {
    fn field(&self, id: &str) -> Value {
        let api = self.links.api();
        let issue = self.issue;
        let world = self.state.world();
        match id {
            "summary" => json!(issue.summary),
            // An empty description is Jira's null, in both versions.
            "description" if issue.description.is_empty() => Value::Null,
            "description" => match self.version {
                ApiVersion::V2 if !self.state.has(Fault::V2RichTextAsAdf) => {
                    json!(issue.description)
                }
                ApiVersion::V2 => adf_document(&issue.description),
                ApiVersion::V3 => adf_document(&issue.description),
            },
            "project" => match world.project(&issue.project) {
                Some(p) => json!({
                    "self": format!("{api}/project/{}", p.id),
                    "id": p.id,
                    "key": p.key,
                    "name": p.name,
                }),
                None => Value::Null,
            },
            "issuetype" => json!({
                "self": format!("{api}/issuetype/{}", ISSUE_TYPE.0),
                "id": ISSUE_TYPE.0,
                "name": ISSUE_TYPE.1,
                "subtask": false,
            }),
            "status" => json!({
                "self": format!("{api}/status/{}", STATUS.0),
                "id": STATUS.0,
                "name": STATUS.1,
            }),
            "created" => json!(ISSUE_TIMESTAMP),
            "updated" => json!(self
                .state
                .worklogs()
                .latest_update(&issue.key)
                .filter(|t| t.as_str() > ISSUE_TIMESTAMP)
                .unwrap_or_else(|| ISSUE_TIMESTAMP.to_string())),
            "attachment" => Value::Array(
                world
                    .attachments
                    .iter()
                    .filter(|a| a.issue == issue.key)
                    .map(|a| attachments::metadata(self.state, self.links, a))
                    .collect(),
            ),
            "worklog" => {
                worklogs::issue_field(self.state, self.links, self.version, self.principal, issue)
            }
            _ => Value::Null,
        }
    }

    /// The rendered (HTML) value of a field, for the fields the mock renders.
    fn rendered(&self, id: &str) -> Option<Value> {
        match id {
            "summary" => Some(json!(html_escape(&self.issue.summary))),
            "description" if self.issue.description.is_empty() => Some(Value::Null),
            "description" => Some(json!(format!(
                "<p>{}</p>",
                html_escape(&self.issue.description).replace('\n', "<br/>\n")
            ))),
            _ => None,
        }
    }
}

fn html_escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ids(items: &[&str], exclusions: bool) -> Vec<&'static str> {
        select_fields(items, exclusions)
            .iter()
            .map(|f| f.id)
            .collect()
    }

    #[test]
    fn field_selection_follows_the_documented_grammar() {
        let all: Vec<&str> = FIELDS.iter().map(|f| f.id).collect();
        assert_eq!(ids(&[], true), all);
        assert_eq!(ids(&["summary", "status"], true), ["summary", "status"]);
        assert_eq!(ids(&["-summary"], true), all[1..].to_vec());
        assert_eq!(ids(&["-summary"], false), all);
        assert_eq!(ids(&["*navigable", "-description"], true).len(), 6);
        assert_eq!(ids(&["summary", "-summary"], true), Vec::<&str>::new());
        assert_eq!(ids(&["nosuchfield"], true), Vec::<&str>::new());
        assert_eq!(ids(&["*all", "-worklog"], true).len(), 8);
    }
}
