//! Who may see which issue and worklog, shared by the attachment, issue and worklog resources:
//! the issue lookup and the visibility rules.

use crate::fixtures::{Issue, Principal, Visibility, World};

use super::error::JiraError;
use super::faults::Fault;
use super::state::MockState;

/// Jira's message for an issue that does not exist or that the caller may not see: the two are
/// deliberately indistinguishable, so a 404 never reveals that a hidden issue exists.
pub(crate) const ISSUE_NOT_FOUND: &str =
    "Issue does not exist or you do not have permission to see it.";

/// The 404 for an unknown or hidden issue.
pub(crate) fn issue_not_found() -> JiraError {
    JiraError::not_found(ISSUE_NOT_FOUND)
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
