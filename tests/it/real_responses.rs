//! Recorded real Jira bodies (`../shared/real-responses/`, see its INDEX.md) validated against
//! the schemas the schema cases use: our spec's response schema for the operation, or the
//! component schema of one list element. Where real Jira departs from its own spec, the
//! departure is written down here, by JSON pointer, so the test fails both when a body that
//! conformed stops conforming and when a recorded departure goes away (our schema conversion
//! changed, or the data did). The corpus is data, not part of the project: when it is absent
//! the test says so and checks nothing else.

use std::collections::BTreeSet;

use jira_conform::spec::schema::{Direction, SchemaCache};
use jira_conform::spec::{embedded, escape_token, Spec};
use serde_json::Value;

use crate::support::shared;

/// What a body is checked against.
enum Against {
    /// The response schema of an operation for a status.
    Response(&'static str, u16),
    /// A component schema (one element of a list response).
    Component(&'static str),
    /// Each element of the array at the pointer, against a component schema.
    Each(&'static str, &'static str),
}

/// (file, what it is checked against, the body pointers where it departs from the schema).
const CORPUS: &[(&str, Against, &[&str])] = &[
    (
        "myself/cloud-v2-myself-atlascode.json",
        Against::Response("getCurrentUser", 200),
        &[],
    ),
    (
        "myself/cloud-v3-myself-go-atlassian.json",
        Against::Response("getCurrentUser", 200),
        &[],
    ),
    (
        "attachment/server-v2-get-attachment-jira-ruby.json",
        Against::Response("getAttachment", 200),
        &[],
    ),
    (
        "dashboard/cloud-v3-get-dashboards-go-atlassian.json",
        Against::Each("/dashboards", "Dashboard"),
        &[],
    ),
    (
        "dashboard/cloud-v3-dashboard-10000-airbyte-item.json",
        Against::Component("Dashboard"),
        &[],
    ),
    (
        "dashboard/cloud-v3-dashboard-10002-airbyte-item.json",
        Against::Component("Dashboard"),
        &[],
    ),
    (
        "issue/cloud-v3-get-issue-go-atlassian.json",
        Against::Response("getIssue", 200),
        &[],
    ),
    (
        "issue/cloud-v2-get-issue-go-atlassian.json",
        Against::Response("getIssue", 200),
        &[],
    ),
    (
        "issue/cloud-v3-get-issue-expand-atlascode.json",
        Against::Response("getIssue", 200),
        &[],
    ),
    (
        "issue/server-v2-get-issue-jira-ruby.json",
        Against::Response("getIssue", 200),
        &[],
    ),
    (
        "worklog/server-v2-get-issue-worklogs-jira-ruby.json",
        Against::Response("getIssueWorklog", 200),
        &[],
    ),
    (
        "worklog/server-v2-get-worklog-jira-ruby.json",
        Against::Response("getWorklog", 200),
        &[],
    ),
    (
        "worklog/server-v2-put-worklog-jira-ruby.json",
        Against::Response("updateWorklog", 200),
        &[],
    ),
    (
        "worklog/cloud-v2-get-issue-worklogs-empty-atlascode.json",
        Against::Response("getIssueWorklog", 200),
        &[],
    ),
    (
        "worklog/cloud-v3-worklog-11820-app-author-airbyte-item.json",
        Against::Component("Worklog"),
        &[],
    ),
    (
        "worklog/cloud-v3-worklog-11709-airbyte-item.json",
        Against::Component("Worklog"),
        &[],
    ),
    (
        "timetracking/cloud-v3-provider-jira-airbyte-item.json",
        Against::Component("TimeTrackingProvider"),
        &[],
    ),
    (
        "timetracking/cloud-v3-provider-tempo-airbyte-item.json",
        Against::Component("TimeTrackingProvider"),
        &[],
    ),
    (
        "notification-scheme/cloud-v3-notificationscheme-10000-airbyte-item.json",
        Against::Component("NotificationScheme"),
        &[],
    ),
    (
        "notification-scheme/cloud-v3-notificationscheme-10001-airbyte-item.json",
        Against::Component("NotificationScheme"),
        &[],
    ),
    (
        "project-role/server-v2-get-project-role-jrjc.json",
        Against::Component("ProjectRole"),
        &[],
    ),
    (
        "project-role/cloud-v3-get-role-go-jira.json",
        Against::Component("ProjectRole"),
        &[],
    ),
    (
        "project-role/cloud-v3-get-roles-go-jira.json",
        Against::Each("", "ProjectRole"),
        &[],
    ),
];

fn response_pointer(spec: &Spec, operation_id: &str, status: u16) -> String {
    let (_, op) = spec
        .operation(operation_id)
        .unwrap_or_else(|| panic!("our spec has no {operation_id}"));
    let response = op
        .response_for(status)
        .unwrap_or_else(|| panic!("{operation_id} documents no {status}"));
    let (media, _) = response
        .content
        .iter()
        .find(|(m, _)| m.contains("json"))
        .unwrap_or_else(|| panic!("{operation_id} {status} has no JSON body"));
    format!(
        "{}/content/{}/schema",
        response.pointer,
        escape_token(media)
    )
}

/// The body pointers where `body` departs from the schema at `pointer`.
fn departures(spec: &Spec, cache: &SchemaCache, pointer: &str, body: &Value) -> BTreeSet<String> {
    cache
        .validate(&spec.document, pointer, Direction::Response, body)
        .unwrap_or_else(|e| panic!("{e}"))
        .into_iter()
        .map(|v| v.instance_pointer)
        .collect()
}

#[test]
fn recorded_real_bodies_conform_or_depart_as_recorded() {
    let dir = shared::real_responses_dir();
    if !dir.join("INDEX.md").exists() {
        shared::absent(&format!(
            "the real-response corpus is not at {}",
            dir.display()
        ));
        return;
    }
    let spec = embedded().expect("our spec loads");
    let cache = SchemaCache::new();
    let mut mismatches = Vec::new();
    let mut checked = 0;
    for (file, against, recorded) in CORPUS {
        let path = dir.join(file);
        let Ok(text) = std::fs::read_to_string(&path) else {
            mismatches.push(format!("{file}: missing from the corpus"));
            continue;
        };
        let body: Value =
            serde_json::from_str(&text).unwrap_or_else(|e| panic!("{file} is not JSON: {e}"));
        let found: BTreeSet<String> = match against {
            Against::Response(op, status) => {
                departures(&spec, &cache, &response_pointer(&spec, op, *status), &body)
            }
            Against::Component(name) => {
                departures(&spec, &cache, &format!("/components/schemas/{name}"), &body)
            }
            Against::Each(at, name) => {
                let items = body
                    .pointer(at)
                    .and_then(Value::as_array)
                    .unwrap_or_else(|| panic!("{file}: no array at {at:?}"));
                items
                    .iter()
                    .enumerate()
                    .flat_map(|(i, item)| {
                        departures(&spec, &cache, &format!("/components/schemas/{name}"), item)
                            .into_iter()
                            .map(move |p| format!("{at}/{i}{p}"))
                    })
                    .collect()
            }
        };
        checked += 1;
        let recorded: BTreeSet<String> = recorded.iter().map(|s| s.to_string()).collect();
        if found != recorded {
            mismatches.push(format!(
                "{file}: departs at {found:?}, recorded {recorded:?}"
            ));
        }
    }
    assert_eq!(
        checked + mismatches.iter().filter(|m| m.contains("missing")).count(),
        CORPUS.len()
    );
    assert!(
        mismatches.is_empty(),
        "real bodies differ from what is recorded here:\n{}",
        mismatches.join("\n")
    );
}

#[test]
fn a_body_that_breaks_the_schema_is_reported_at_its_pointer() {
    // The control for the test above: recorded departures mean something only if a departure is
    // found where there is one.
    let spec = embedded().expect("our spec loads");
    let cache = SchemaCache::new();
    let body =
        serde_json::json!({"id": "1", "timeSpentSeconds": "an hour", "author": {"active": "yes"}});
    let found = departures(&spec, &cache, "/components/schemas/Worklog", &body);
    assert_eq!(
        found,
        BTreeSet::from([
            "/timeSpentSeconds".to_string(),
            "/author/active".to_string()
        ])
    );
}
