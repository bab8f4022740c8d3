//! A worklog in the `Worklog` shape, as getIssueWorklog, getWorklog, updateWorklog and the
//! issue's `worklog` field show it.

use serde_json::{json, Map, Value};

use crate::fixtures::{Issue, Visibility};
use crate::mock::adf::adf_document;
use crate::mock::faults::Fault;
use crate::mock::jira_time::format_duration;
use crate::mock::links::{ApiVersion, Links};
use crate::mock::state::MockState;
use crate::mock::user_json::user_details;

use super::store::Entry;

/// A worklog in the `Worklog` shape. The comment and the restriction appear only when there is
/// one, as in Jira's bodies.
pub(crate) fn worklog_json(
    state: &MockState,
    links: &Links,
    version: ApiVersion,
    issue: &Issue,
    entry: &Entry,
    with_properties: bool,
) -> Value {
    let api = links.api();
    let mut body = Map::new();
    body.insert(
        "self".into(),
        json!(format!("{api}/issue/{}/worklog/{}", issue.id, entry.id)),
    );
    body.insert("author".into(), user_details(state, links, &entry.author));
    body.insert(
        "updateAuthor".into(),
        user_details(state, links, &entry.update_author),
    );
    if !entry.comment.is_empty() {
        let comment = match version {
            ApiVersion::V2 if !state.has(Fault::V2RichTextAsAdf) => json!(entry.comment),
            ApiVersion::V2 => adf_document(&entry.comment),
            ApiVersion::V3 => adf_document(&entry.comment),
        };
        body.insert("comment".into(), comment);
    }
    body.insert("created".into(), json!(entry.created));
    body.insert("updated".into(), json!(entry.updated));
    match &entry.visibility {
        Some(Visibility::Group(g)) => {
            body.insert(
                "visibility".into(),
                json!({ "type": "group", "value": g, "identifier": g }),
            );
        }
        Some(Visibility::Role(r)) => {
            body.insert("visibility".into(), json!({ "type": "role", "value": r }));
        }
        None => {}
    }
    body.insert("started".into(), json!(entry.started));
    body.insert(
        "timeSpent".into(),
        json!(format_duration(entry.time_spent_seconds)),
    );
    body.insert("timeSpentSeconds".into(), json!(entry.time_spent_seconds));
    body.insert("id".into(), json!(entry.id));
    body.insert("issueId".into(), json!(issue.id));
    if with_properties {
        let properties: Vec<Value> = entry
            .properties
            .iter()
            .map(|(key, value)| json!({ "key": key, "value": value }))
            .collect();
        body.insert("properties".into(), Value::Array(properties));
    }
    Value::Object(body)
}
