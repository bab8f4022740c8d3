//! `GET /mypermissions`: which of the named permissions the caller holds, in the global context
//! or in one project or issue.
//!
//! As documented, `permissions` is required and every entry must be a known permission key; a
//! project permission asked globally is held when it is held in any project. The world grants
//! project permissions per project and never implies them from *Administer Jira*. Open to
//! anonymous callers, as documented: they hold nothing.

use axum::http::{Method, StatusCode};
use axum::response::Response;
use axum::Router;
use serde_json::{json, Map, Value};

use crate::fixtures::{Principal, Project, World};

use super::anonymous::caller_or_anonymous;
use super::caller::{Call, Methods};
use super::error::JiraError;
use super::issue_visibility::{find_issue, issue_not_found, sees_issue};
use super::links::ApiVersion;
use super::project_search::{find_project, sees_project};
use super::query::{self, list_values, QueryPairs};
use super::response::json;
use super::state::MockState;
use super::versioned_routes::VersionedRoutes;

/// `/mypermissions`: GET only.
const MYPERMISSIONS: Methods = Methods::new("GET", &[Method::GET]);

/// A permission the mock knows: key, id, name, type, description (Jira's texts).
type Known = (
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    &'static str,
);

/// The permissions the world can answer for.
const KNOWN: [Known; 9] = [
    ("ADMINISTER", "0", "Administer Jira", "GLOBAL", "Create and administer projects, issue types, fields, workflows, and schemes for all projects. Users with this permission can perform most administration tasks, except: managing users, importing data, and editing system email settings."),
    ("USER_PICKER", "27", "Browse users and groups", "GLOBAL", "View and select users or groups from the user picker, and share issues. Users with this permission can see the names of all users and groups on your site."),
    ("BROWSE_PROJECTS", "10", "Browse Projects", "PROJECT", "Ability to browse projects and the issues within them."),
    ("ADMINISTER_PROJECTS", "23", "Administer Projects", "PROJECT", "Ability to administer a project in Jira."),
    ("WORK_ON_ISSUES", "20", "Work On Issues", "PROJECT", "Ability to log work done against an issue. Only useful if Time Tracking is turned on."),
    ("EDIT_OWN_WORKLOGS", "40", "Edit Own Worklogs", "PROJECT", "Ability to edit own worklogs made on issues."),
    ("EDIT_ALL_WORKLOGS", "41", "Edit All Worklogs", "PROJECT", "Ability to edit all worklogs made on issues."),
    ("EDIT_ALL_COMMENTS", "34", "Edit All Comments", "PROJECT", "Ability to edit all comments made on issues."),
    ("EDIT_OWN_COMMENTS", "35", "Edit Own Comments", "PROJECT", "Ability to edit own comments made on issues."),
];

/// The routes of this resource under one API version.
pub(crate) fn routes(version: ApiVersion) -> Router<MockState> {
    Router::new().versioned(version, "/mypermissions", my_permissions)
}

/// Whether `p` holds the permission `key` in `project` (`None`: in any project).
fn holds(world: &World, p: &Principal, key: &str, project: Option<&Project>) -> bool {
    let in_project = |pr: &Project| match key {
        "BROWSE_PROJECTS" | "WORK_ON_ISSUES" | "EDIT_OWN_WORKLOGS" => pr.browse.contains(&p.name),
        "ADMINISTER_PROJECTS" => pr.administer.contains(&p.name),
        "EDIT_ALL_WORKLOGS" => pr.edit_all_worklogs.contains(&p.name),
        "EDIT_ALL_COMMENTS" => pr.edit_all_comments.contains(&p.name),
        "EDIT_OWN_COMMENTS" => pr.edits_own_comments(&p.name),
        _ => false,
    };
    match key {
        "ADMINISTER" => p.admin,
        // Every account of a site may pick users unless an administrator took it away.
        "USER_PICKER" => !super::anonymous::is_anonymous(p),
        _ => match project {
            Some(pr) => in_project(pr),
            None => world.projects.iter().any(in_project),
        },
    }
}

/// `/rest/api/N/mypermissions`.
async fn my_permissions(call: Call, query: QueryPairs) -> Result<Response, JiraError> {
    let caller = &caller_or_anonymous(&MYPERMISSIONS, &call)?;
    let pairs = query::pairs(query)?;
    let world = call.state.world();
    let asked = list_values(&pairs, "permissions");
    if asked.is_empty() {
        return Err(JiraError::bad_request(
            "The permissions query parameter is required: a comma-separated list of permission keys.",
        ));
    }
    if let Some(unknown) = asked
        .iter()
        .find(|k| !KNOWN.iter().any(|(key, ..)| key == *k))
    {
        return Err(JiraError::bad_request(format!(
            "Unrecognized permission key: {unknown}."
        )));
    }
    let first = |name: &str| {
        pairs
            .iter()
            .find(|(n, v)| n == name && !v.is_empty())
            .map(|(_, v)| v.as_str())
    };
    // An issue gives its project; a project the caller cannot see answers as one that does
    // not exist.
    let issue = first("issueKey").or_else(|| first("issueId"));
    let project_given = first("projectKey").or_else(|| first("projectId"));
    let project = if let Some(issue) = issue {
        let found = find_issue(&call.state, issue)
            .filter(|i| sees_issue(world, caller, i, true))
            .ok_or_else(issue_not_found)?;
        world.project(&found.project)
    } else if let Some(given) = project_given {
        let found = find_project(world, given)
            .filter(|p| sees_project(caller, p))
            .ok_or_else(|| {
                JiraError::not_found(format!("No project could be found with key '{given}'."))
            })?;
        Some(found)
    } else {
        None
    };
    let mut permissions = Map::new();
    for (key, id, name, kind, description) in KNOWN.iter().filter(|(k, ..)| asked.contains(k)) {
        permissions.insert(
            (*key).to_string(),
            json!({
                "id": id,
                "key": key,
                "name": name,
                "type": kind,
                "description": description,
                "havePermission": holds(world, caller, key, project),
            }),
        );
    }
    Ok(json(
        StatusCode::OK,
        &json!({ "permissions": Value::Object(permissions) }),
    ))
}
