//! What a worklog update body asks for: read, checked field by field, and applied to the stored
//! worklog.

use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use serde_json::{Map, Value};

use crate::fixtures::{Issue, Principal, Visibility, World};
use crate::mock::adf::adf_text;
use crate::mock::entity_properties::KEY_MAX_CHARS;
use crate::mock::error::JiraError;
use crate::mock::issue_visibility::{holds_role, in_group};
use crate::mock::jira_time::{normalize_timestamp, parse_duration, MAX_SECONDS};
use crate::mock::links::ApiVersion;

use super::store::Entry;

/// The fields an update may set: the writable properties of the `Worklog` schema.
const SETTABLE: [&str; 6] = [
    "comment",
    "visibility",
    "started",
    "timeSpent",
    "timeSpentSeconds",
    "properties",
];

/// What an update body asks for; `None` is a field the body leaves out.
#[derive(Debug, Default)]
pub(crate) struct Changes {
    comment: Option<String>,
    /// `Some(None)`: the body sets `visibility` to null, lifting the restriction.
    visibility: Option<Option<Visibility>>,
    started: Option<String>,
    time_spent_seconds: Option<u64>,
    properties: Option<Vec<(String, Value)>>,
}

impl Changes {
    /// Reads and checks an update body: a JSON object of settable fields, each well-formed.
    pub(crate) fn parse(
        world: &World,
        principal: &Principal,
        issue: &Issue,
        version: ApiVersion,
        body: Result<Bytes, BytesRejection>,
    ) -> Result<Changes, JiraError> {
        let body = body?;
        let Ok(value) = serde_json::from_slice::<Value>(&body) else {
            return Err(JiraError::bad_request(
                "The request body is not valid JSON.",
            ));
        };
        let Value::Object(object) = value else {
            return Err(JiraError::bad_request(
                "The request body must be a JSON object of worklog fields.",
            ));
        };
        if let Some(name) = object.keys().find(|k| !SETTABLE.contains(&k.as_str())) {
            let shown: String = name.chars().take(64).collect();
            return Err(JiraError::bad_request(format!(
                "Unrecognized field \"{shown}\": a worklog update may set only {}.",
                SETTABLE.join(", ")
            )));
        }
        let mut changes = Changes::default();
        if let Some(comment) = object.get("comment") {
            changes.comment = Some(parse_comment(version, comment)?);
        }
        if let Some(visibility) = object.get("visibility") {
            changes.visibility = Some(parse_visibility(world, principal, issue, visibility)?);
        }
        if let Some(started) = object.get("started") {
            let normalized = started
                .as_str()
                .and_then(normalize_timestamp)
                .ok_or_else(|| {
                    JiraError::bad_request(
                        "started must be a date and time like 2026-01-05T09:00:00.000+0000.",
                    )
                })?;
            changes.started = Some(normalized);
        }
        changes.time_spent_seconds = parse_time_spent(&object)?;
        if let Some(properties) = object.get("properties") {
            changes.properties = Some(parse_properties(properties)?);
        }
        Ok(changes)
    }

    /// The worklog after the update. Fields left out stay as they are, except that the
    /// WorklogUpdateClearsUnset fault empties a left-out comment and lifts a left-out restriction.
    pub(crate) fn apply(&self, current: &Entry, clears_unset: bool) -> Entry {
        let mut next = current.clone();
        match &self.comment {
            Some(comment) => next.comment.clone_from(comment),
            None if clears_unset => next.comment.clear(),
            None => {}
        }
        match &self.visibility {
            Some(visibility) => next.visibility.clone_from(visibility),
            None if clears_unset => next.visibility = None,
            None => {}
        }
        if let Some(started) = &self.started {
            next.started.clone_from(started);
        }
        if let Some(seconds) = self.time_spent_seconds {
            next.time_spent_seconds = seconds;
        }
        // Properties given are set; the others are kept, as Jira's entity properties behave.
        for (key, value) in self.properties.iter().flatten() {
            match next.properties.iter_mut().find(|(k, _)| k == key) {
                Some(slot) => slot.1 = value.clone(),
                None => next.properties.push((key.clone(), value.clone())),
            }
        }
        next
    }
}

/// v2 takes a comment as plain text, v3 as an Atlassian Document Format document (kept as its
/// text, so both versions show it).
fn parse_comment(version: ApiVersion, comment: &Value) -> Result<String, JiraError> {
    match version {
        ApiVersion::V2 => comment
            .as_str()
            .map(str::to_string)
            .ok_or_else(|| JiraError::bad_request("comment must be a string in API version 2.")),
        ApiVersion::V3 => adf_text(comment).ok_or_else(|| {
            JiraError::bad_request(
                "comment must be an Atlassian Document Format document (type doc, version 1, with content) in API version 3.",
            )
        }),
    }
}

/// A restriction: `{"type": "group", "identifier"|"value": name}` or `{"type": "role", "value":
/// name}`; null lifts it. As in Jira, the updater must belong to the group or hold the role, so
/// nobody restricts a worklog to a circle they are outside of.
fn parse_visibility(
    world: &World,
    principal: &Principal,
    issue: &Issue,
    value: &Value,
) -> Result<Option<Visibility>, JiraError> {
    if value.is_null() {
        return Ok(None);
    }
    let invalid = || {
        JiraError::bad_request(
            "visibility must be an object with type group or role and the group's identifier or the role's value.",
        )
    };
    let object = value.as_object().ok_or_else(invalid)?;
    let text = |name: &str| object.get(name).and_then(Value::as_str);
    match text("type") {
        Some("group") => {
            // The doc calls `identifier` the reliable way to name a group; in the world a
            // group's identifier is its name.
            let name = text("identifier")
                .or_else(|| text("value"))
                .ok_or_else(invalid)?;
            if world.group(name).is_none() {
                return Err(JiraError::bad_request(
                    "The visibility group does not exist.",
                ));
            }
            if !in_group(world, principal, name) {
                return Err(JiraError::bad_request(
                    "You are not a member of the group the worklog would be restricted to.",
                ));
            }
            Ok(Some(Visibility::Group(name.to_string())))
        }
        Some("role") => {
            let name = text("value")
                .or_else(|| text("identifier"))
                .ok_or_else(invalid)?;
            if !world.roles.iter().any(|r| r.name == name) {
                return Err(JiraError::bad_request(
                    "The visibility role does not exist.",
                ));
            }
            if !holds_role(world, principal, name, &issue.project) {
                return Err(JiraError::bad_request(
                    "You do not hold the project role the worklog would be restricted to.",
                ));
            }
            Ok(Some(Visibility::Role(name.to_string())))
        }
        _ => Err(invalid()),
    }
}

/// `timeSpent` (Jira duration text) or `timeSpentSeconds`. The Worklog schema says each "cannot
/// be provided if" the other is, so giving both is a 400 rather than a silent pick. Time spent
/// must be positive.
fn parse_time_spent(object: &Map<String, Value>) -> Result<Option<u64>, JiraError> {
    let text = object.get("timeSpent");
    let seconds = object.get("timeSpentSeconds");
    let invalid = |what: &str| {
        JiraError::bad_request(format!(
            "{what} must be a positive amount of time of at most 100 years."
        ))
    };
    match (text, seconds) {
        (Some(_), Some(_)) => Err(JiraError::bad_request(
            "timeSpent and timeSpentSeconds cannot both be given.",
        )),
        (Some(text), None) => text
            .as_str()
            .and_then(parse_duration)
            .filter(|s| *s > 0)
            .map(Some)
            .ok_or_else(|| invalid("timeSpent (for example 3h 20m, 2d or 90)")),
        (None, Some(seconds)) => seconds
            .as_u64()
            .filter(|s| (1..=MAX_SECONDS).contains(s))
            .map(Some)
            .ok_or_else(|| invalid("timeSpentSeconds")),
        (None, None) => Ok(None),
    }
}

/// Worklog properties: an array of `{"key": …, "value": …}` (the `EntityProperty` schema).
fn parse_properties(value: &Value) -> Result<Vec<(String, Value)>, JiraError> {
    let invalid = || {
        JiraError::bad_request(format!(
            "properties must be an array of objects with a key (1 to {KEY_MAX_CHARS} characters) and a value."
        ))
    };
    let items = value.as_array().ok_or_else(invalid)?;
    let mut properties: Vec<(String, Value)> = Vec::with_capacity(items.len());
    for item in items {
        let object = item.as_object().ok_or_else(invalid)?;
        if object.keys().any(|k| k != "key" && k != "value") {
            return Err(invalid());
        }
        let key = object
            .get("key")
            .and_then(Value::as_str)
            .filter(|k| !k.is_empty() && k.chars().count() <= KEY_MAX_CHARS)
            .ok_or_else(invalid)?;
        let value = object.get("value").ok_or_else(invalid)?;
        // A key given twice keeps its last value, as setting it twice would.
        match properties.iter_mut().find(|(k, _)| k == key) {
            Some(slot) => slot.1 = value.clone(),
            None => properties.push((key.to_string(), value.clone())),
        }
    }
    Ok(properties)
}
