//! Fills any operation's parameters from the fixtures' world by what the parameters name
//! (`{issueIdOrKey}`, `{projectId}`, the `{id}` after `/dashboard/`…), so operations nobody
//! wrote a rule for still get a happy path, and says precisely what is missing when it cannot.

use serde_json::Value;

use super::view::WorldView;
use crate::fixtures::{
    Attachment, Comment, Dashboard, Fixtures, Issue, Principal, Project, Worklog,
};
use crate::spec::{Operation, ParamLocation};

/// The values that fill an operation's required parameters for one principal.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Filled {
    /// Path parameter name → value.
    pub path: Vec<(String, String)>,
    /// Required query parameters → value.
    pub query: Vec<(String, String)>,
}

/// The kinds of world entity a parameter can name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    IssueKey,
    IssueId,
    ProjectKey,
    ProjectId,
    Dashboard,
    DashboardItem,
    Worklog,
    Comment,
    Attachment,
    Role,
    NotificationScheme,
}

/// What a path parameter names: by its name, or for a bare `{id}` by the segment before it.
fn kind(name: &str, previous: &str) -> Option<Kind> {
    Some(match (name, previous) {
        ("issueIdOrKey" | "issueKey", _) => Kind::IssueKey,
        ("issueId", _) | ("id", "issue") => Kind::IssueId,
        ("projectIdOrKey" | "projectKeyOrId" | "projectKey", _) => Kind::ProjectKey,
        ("projectId", _) | ("id", "project") => Kind::ProjectId,
        ("dashboardId", _) | ("id", "dashboard") => Kind::Dashboard,
        ("itemId", "items") => Kind::DashboardItem,
        ("worklogId", _) | ("id", "worklog") => Kind::Worklog,
        ("commentId", _) | ("id", "comment") => Kind::Comment,
        ("attachmentId", _) | ("id", "attachment") => Kind::Attachment,
        ("id", "role") | ("roleId", _) => Kind::Role,
        ("id", "notificationscheme") | ("notificationSchemeId", _) => Kind::NotificationScheme,
        _ => return None,
    })
}

/// The path parameters of a path template in order, each with the literal segment before it.
fn path_slots(path: &str) -> Vec<(&str, &str)> {
    let mut previous = "";
    let mut out = Vec::new();
    for segment in path.split('/') {
        match segment.strip_prefix('{').and_then(|s| s.strip_suffix('}')) {
            Some(name) => out.push((name, previous)),
            None => previous = segment,
        }
    }
    out
}

/// Fills the operation's path parameters and required query parameters with what `p` may see
/// in the world; `Err` says what is missing, e.g. ``no fixture for `{reactionId}` ``.
pub fn fill(fixtures: &Fixtures, op: &Operation, p: &Principal) -> Result<Filled, String> {
    let kinds = slot_kinds(op)?;
    let picked = pick(fixtures, p, |k| kinds.iter().any(|(_, kk)| *kk == k))?;
    let path = path_values(fixtures, p, kinds, &picked)?;
    let query = query_values(fixtures, op, p)?;
    if let Some(p) = op
        .parameters
        .iter()
        .find(|q| q.required && matches!(q.location, ParamLocation::Header | ParamLocation::Cookie))
    {
        return Err(format!(
            "no value for the required {} parameter `{}`",
            p.location.name(),
            p.name
        ));
    }
    Ok(Filled { path, query })
}

/// What each path parameter names; `Err` for the first the world cannot name.
fn slot_kinds(op: &Operation) -> Result<Vec<(&str, Kind)>, String> {
    let mut kinds = Vec::new();
    for (name, previous) in path_slots(&op.path) {
        match kind(name, previous) {
            Some(k) => kinds.push((name, k)),
            None => return Err(format!("no fixture for `{{{name}}}`")),
        }
    }
    Ok(kinds)
}

/// The entities a path names, picked so they agree with each other.
struct Picked<'a> {
    issue: Option<&'a Issue>,
    project: Option<&'a Project>,
    dashboard: Option<&'a Dashboard>,
    item: Option<(&'a Dashboard, &'a str)>,
    worklog: Option<&'a Worklog>,
    comment: Option<&'a Comment>,
    attachment: Option<&'a Attachment>,
}

/// The entities of the kinds the path `wants`, as `p` may see them: the most specific first,
/// so the ones around it agree with it.
fn pick<'a>(
    fixtures: &'a Fixtures,
    p: &Principal,
    wants: impl Fn(Kind) -> bool,
) -> Result<Picked<'a>, String> {
    let world = WorldView::new(fixtures);
    let w = &fixtures.world;
    let worklog = if wants(Kind::Worklog) {
        if !w.timetracking.enabled {
            return Err("time tracking is off in the fixtures' world: no worklog to name".into());
        }
        Some(
            w.worklogs
                .iter()
                .find(|l| world.sees_worklog(p, l))
                .ok_or("no worklog in the fixtures that the caller can see")?,
        )
    } else {
        None
    };
    let attachment = if wants(Kind::Attachment) {
        if !w.attachment_settings.enabled {
            return Err("attachments are off in the fixtures' world".into());
        }
        Some(
            w.attachments
                .iter()
                .find(|a| world.sees_attachment(p, a))
                .ok_or("no attachment in the fixtures that the caller can see")?,
        )
    } else {
        None
    };
    let comment = if wants(Kind::Comment) {
        Some(
            world
                .comment_for(p)
                .ok_or("no comment in the fixtures that the caller can see")?,
        )
    } else {
        None
    };
    let issue_key = worklog
        .map(|l| l.issue.as_str())
        .or(comment.map(|c| c.issue.as_str()))
        .or(attachment.map(|a| a.issue.as_str()));
    let issue = match issue_key {
        Some(key) => world.issue(key),
        None if wants(Kind::IssueKey) || wants(Kind::IssueId) => Some(
            world
                .readable_issue(p)
                .ok_or("no issue in the fixtures that the caller can see")?,
        ),
        None => None,
    };
    let project = if wants(Kind::ProjectKey) || wants(Kind::ProjectId) {
        let from_issue = issue.and_then(|i| w.project(&i.project));
        Some(
            from_issue
                .or_else(|| w.projects.iter().find(|pr| world.browses(p, &pr.key)))
                .ok_or("no project in the fixtures that the caller can browse")?,
        )
    } else {
        None
    };
    let item = if wants(Kind::DashboardItem) {
        Some(
            world
                .owned_dashboard_item(p)
                .ok_or("no dashboard item in the fixtures that the caller owns")?,
        )
    } else {
        None
    };
    let dashboard = match item {
        Some((d, _)) => Some(d),
        None if wants(Kind::Dashboard) => Some(
            w.dashboards
                .iter()
                .find(|d| world.sees_dashboard(p, d))
                .ok_or("no dashboard in the fixtures that the caller can see")?,
        ),
        None => None,
    };
    Ok(Picked {
        issue,
        project,
        dashboard,
        item,
        worklog,
        comment,
        attachment,
    })
}

/// Each path parameter's value from the picked entities.
fn path_values(
    fixtures: &Fixtures,
    p: &Principal,
    kinds: Vec<(&str, Kind)>,
    picked: &Picked<'_>,
) -> Result<Vec<(String, String)>, String> {
    let world = WorldView::new(fixtures);
    let w = &fixtures.world;
    let Picked {
        issue,
        project,
        dashboard,
        item,
        worklog,
        comment,
        attachment,
    } = *picked;
    let mut path = Vec::new();
    for (name, k) in kinds {
        let value = match k {
            Kind::IssueKey => issue.map(|i| i.key.clone()),
            Kind::IssueId => issue.map(|i| i.id.clone()),
            Kind::ProjectKey => project.map(|pr| pr.key.clone()),
            Kind::ProjectId => project.map(|pr| pr.id.clone()),
            Kind::Dashboard => dashboard.map(|d| d.id.clone()),
            Kind::DashboardItem => item.map(|(_, i)| i.to_string()),
            Kind::Worklog => worklog.map(|l| l.id.clone()),
            Kind::Comment => comment.map(|c| c.id.clone()),
            Kind::Attachment => attachment.map(|a| a.id.clone()),
            Kind::Role => w.roles.first().map(|r| r.id.clone()),
            Kind::NotificationScheme => world.visible_schemes(p).first().map(|s| s.id.clone()),
        };
        let value = value.ok_or_else(|| format!("no fixture for `{{{name}}}`"))?;
        path.push((name.to_string(), value));
    }
    Ok(path)
}

/// A value for each required query parameter: the world's entities the caller can see, else
/// what the schema offers.
fn query_values(
    fixtures: &Fixtures,
    op: &Operation,
    p: &Principal,
) -> Result<Vec<(String, String)>, String> {
    let world = WorldView::new(fixtures);
    let w = &fixtures.world;
    let mut query = Vec::new();
    for param in op
        .parameters
        .iter()
        .filter(|q| q.required && q.location == ParamLocation::Query)
    {
        let value = match param.name.as_str() {
            "accountId" => Some(p.account_id.clone()),
            // A project or issue named in the query is one the caller can see.
            "projectId" => w
                .projects
                .iter()
                .find(|pr| world.browses(p, &pr.key))
                .map(|pr| pr.id.clone()),
            "projectIdOrKey" | "projectKeyOrId" | "projectKey" => w
                .projects
                .iter()
                .find(|pr| world.browses(p, &pr.key))
                .map(|pr| pr.key.clone()),
            "issueIdOrKey" | "issueKey" => world.readable_issue(p).map(|i| i.key.clone()),
            "issueId" => world.readable_issue(p).map(|i| i.id.clone()),
            _ => query_value(&param.schema),
        };
        let value = value.ok_or_else(|| {
            format!(
                "no value for the required query parameter `{}` (no default, enum or example)",
                param.name
            )
        })?;
        query.push((param.name.clone(), value));
    }
    Ok(query)
}

/// A value the schema itself offers: its default, its first enum value, its example.
fn query_value(schema: &Value) -> Option<String> {
    let scalar = |v: &Value| match v {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    };
    schema
        .get("default")
        .and_then(scalar)
        .or_else(|| {
            schema
                .get("enum")
                .and_then(Value::as_array)
                .and_then(|e| e.first())
                .and_then(scalar)
        })
        .or_else(|| schema.get("example").and_then(scalar))
        .or_else(|| {
            schema
                .get("items")
                .and_then(|items| items.get("enum"))
                .and_then(Value::as_array)
                .and_then(|e| e.first())
                .and_then(scalar)
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_bare_id_is_named_by_the_segment_before_it() {
        assert_eq!(
            path_slots("/rest/api/3/issue/{issueIdOrKey}/worklog/{id}"),
            vec![("issueIdOrKey", "issue"), ("id", "worklog")]
        );
        assert_eq!(kind("id", "worklog"), Some(Kind::Worklog));
        assert_eq!(kind("id", "dashboard"), Some(Kind::Dashboard));
        assert_eq!(kind("commentId", "comment"), Some(Kind::Comment));
        assert_eq!(kind("reactionId", "reaction"), None);
    }

    #[test]
    fn a_worklog_path_names_the_worklogs_own_issue() {
        let fixtures = Fixtures::embedded().unwrap();
        let spec = crate::spec::embedded().unwrap();
        let (_, op) = spec.operation("getWorklog").unwrap();
        let alice = fixtures.users()[0];
        let filled = fill(&fixtures, op, alice).unwrap();
        let issue = &filled.path[0].1;
        let worklog = &filled.path[1].1;
        assert!(fixtures
            .world
            .worklogs
            .iter()
            .any(|l| &l.issue == issue && &l.id == worklog));
    }

    #[test]
    fn an_unknown_parameter_is_named_in_the_reason() {
        let fixtures = Fixtures::embedded().unwrap();
        let spec = crate::spec::embedded().unwrap();
        let mut op = spec.operation("getIssue").unwrap().1.clone();
        op.path = "/rest/api/3/issue/{issueIdOrKey}/reaction/{reactionId}".into();
        let why = fill(&fixtures, &op, fixtures.users()[0]).unwrap_err();
        assert_eq!(why, "no fixture for `{reactionId}`");
    }
}
