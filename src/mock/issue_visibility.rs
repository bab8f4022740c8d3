//! Who may see which issue and worklog, shared by the attachment, issue and worklog resources:
//! the issue lookup, the visibility rules, the caller, and how the people the world names by
//! their fixtures name appear in response bodies.

use axum::http::{HeaderMap, StatusCode};
use serde_json::{json, Value};

use crate::fixtures::{Issue, Principal, Visibility, World};

use super::auth::{authenticate, Authentication};
use super::error::JiraError;
use super::faults::Fault;
use super::links::Links;
use super::state::MockState;

/// Jira's message for an issue that does not exist or that the caller may not see: the two are
/// deliberately indistinguishable, so a 404 never reveals that a hidden issue exists.
pub(crate) const ISSUE_NOT_FOUND: &str =
    "Issue does not exist or you do not have permission to see it.";

/// The 404 for an unknown or hidden issue.
pub(crate) fn issue_not_found() -> JiraError {
    JiraError::not_found(ISSUE_NOT_FOUND)
}

/// The message for methods the spec documents on a path but this mock does not implement.
const NOT_IMPLEMENTED: &str = "The reference mock does not implement this operation.";

/// 501 for a documented operation outside the mock's slice, so a client can tell "not built
/// here" from "not allowed" (405) and from "not there" (404).
pub(crate) fn not_implemented() -> JiraError {
    JiraError::new(StatusCode::NOT_IMPLEMENTED, NOT_IMPLEMENTED)
}

/// The authenticated caller, or the 401 every operation here answers otherwise: the world has no
/// anonymous access (nobody anonymous may browse any project).
pub(crate) fn caller<'s>(
    state: &'s MockState,
    headers: &HeaderMap,
) -> Result<&'s Principal, JiraError> {
    match authenticate(state, headers) {
        Authentication::User(principal) => Ok(principal),
        Authentication::Anonymous | Authentication::Rejected => Err(JiraError::unauthorized()),
    }
}

/// An issue by id or key. Ids match exactly; keys case-insensitively, as the getIssue doc says
/// Jira falls back to a case-insensitive search (unless a fault makes keys case-sensitive).
pub(crate) fn find_issue<'s>(state: &'s MockState, id_or_key: &str) -> Option<&'s Issue> {
    let issues = &state.world().issues;
    issues
        .iter()
        .find(|i| i.id == id_or_key)
        .or_else(|| issues.iter().find(|i| i.key == id_or_key))
        .or_else(|| {
            if state.has(Fault::IssueKeyCaseSensitive) {
                None
            } else {
                issues
                    .iter()
                    .find(|i| i.key.eq_ignore_ascii_case(id_or_key))
            }
        })
}

/// Whether `p` holds *Browse projects* in the project. Administrators of Jira get nothing
/// implicitly: project permissions are granted per project.
pub(crate) fn browses(world: &World, p: &Principal, project: &str) -> bool {
    world
        .project(project)
        .is_some_and(|pr| pr.browse.contains(&p.name))
}

/// Whether `p` may see the issue: browse permission in its project and, with issue-level
/// security, a place in the security level. `security_applies` is false only where a fault
/// switches issue security off for one operation.
pub(crate) fn sees_issue(
    world: &World,
    p: &Principal,
    issue: &Issue,
    security_applies: bool,
) -> bool {
    browses(world, p, &issue.project)
        && (!security_applies || issue.security.as_ref().is_none_or(|s| s.contains(&p.name)))
}

/// Whether `p` belongs to the group.
pub(crate) fn in_group(world: &World, p: &Principal, group: &str) -> bool {
    world
        .group(group)
        .is_some_and(|g| g.members.contains(&p.name))
}

/// Whether `p` is an actor of the named role in the project (roles are site-wide, actors are
/// per project).
pub(crate) fn holds_role(world: &World, p: &Principal, role: &str, project: &str) -> bool {
    world.roles.iter().any(|r| {
        r.name == role
            && r.actors
                .get(project)
                .is_some_and(|actors| actors.contains(&p.name))
    })
}

/// Whether a restriction to a group or role admits `p` on an issue of `project`.
pub(crate) fn admitted(
    world: &World,
    p: &Principal,
    project: &str,
    visibility: Option<&Visibility>,
) -> bool {
    match visibility {
        None => true,
        Some(Visibility::Group(g)) => in_group(world, p, g),
        Some(Visibility::Role(r)) => holds_role(world, p, r, project),
    }
}

/// The principal the world names `name`.
pub(crate) fn principal<'s>(state: &'s MockState, name: &str) -> Option<&'s Principal> {
    state.users().iter().find(|u| u.name == name)
}

/// The REST API base (`http://host/rest/api/N`) for the request, taken from [`Links`] so the
/// `Host` header is vetted in one place only.
pub(crate) fn api_base(links: &Links) -> String {
    let user = links.user("");
    match user.strip_suffix("/user?accountId=") {
        Some(base) => base.to_string(),
        None => user,
    }
}

/// A user as Jira shows people inside other entities (author, updateAuthor): the fields both the
/// `User` and the `UserDetails` schemas allow. The world only names principals it has checked,
/// so the fallback (Jira's shape for an unavailable user record) is for robustness only.
pub(crate) fn user_json(state: &MockState, links: &Links, name: &str) -> Value {
    let Some(p) = principal(state, name) else {
        return json!({
            "accountId": "unknown",
            "accountType": "unknown",
            "active": false,
            "displayName": name,
        });
    };
    let id = p.account_id.as_str();
    json!({
        "self": links.user(id),
        "accountId": id,
        "avatarUrls": {
            "48x48": links.avatar(id, "large"),
            "24x24": links.avatar(id, "small"),
            "16x16": links.avatar(id, "xsmall"),
            "32x32": links.avatar(id, "medium"),
        },
        "displayName": p.display_name,
        "active": true,
        "timeZone": "UTC",
        "accountType": "atlassian",
    })
}
