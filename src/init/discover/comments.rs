//! Comments: each described issue's comment listing as every principal who sees the issue,
//! merged (one principal's listing may lack what a restriction hides from it). The comment
//! property cases act on them.

use std::collections::BTreeMap;

use serde_json::Value;

use super::read::{enc, id_order, id_text, text};
use super::run::Run;
use crate::fixtures::{Comment, Issue, Project, Visibility};
use crate::init::{InitError, Section};

/// Comments described per issue at most.
const MAX_COMMENTS_PER_ISSUE: usize = 10;

/// Comments: every page of each issue's listing as each principal who sees the issue, merged.
/// The body is read from `/rest/api/2`, where it is plain text.
pub(super) async fn comments(
    run: &mut Run<'_>,
    projects: &[Project],
    issues: &[Issue],
) -> Result<Vec<Comment>, InitError> {
    run.step("comments");
    let mut comments = Vec::new();
    let mut foreign = 0;
    for issue in issues {
        let found = listed(run, &readers(projects, issue), issue).await?;
        let chosen = run.first_by_id(
            &found,
            &issue.key,
            MAX_COMMENTS_PER_ISSUE,
            Section::Comments,
            "comments",
        );
        for (id, c) in chosen {
            let Some(author) = run.principal_of(c.get("author")) else {
                foreign += 1;
                continue;
            };
            comments.push(Comment {
                label: String::new(),
                id: id.clone(),
                issue: issue.key.clone(),
                author,
                body: text(c.get("body")).unwrap_or_default(),
                visibility: visibility(c),
            });
        }
    }
    if foreign > 0 {
        run.note(
            Section::Comments,
            format!("{foreign} comments by users who are not principals left out"),
        );
    }
    comments.sort_by_key(|c| id_order(&c.id));
    Ok(comments)
}

/// Who sees the issue: its security level's principals, else those who browse its project.
fn readers(projects: &[Project], issue: &Issue) -> Vec<String> {
    match &issue.security {
        Some(level) => level.clone(),
        None => projects
            .iter()
            .find(|p| p.key == issue.project)
            .map(|p| p.browse.clone())
            .unwrap_or_default(),
    }
}

/// The issue's comments as each of `readers` lists them, by id.
async fn listed(
    run: &mut Run<'_>,
    readers: &[String],
    issue: &Issue,
) -> Result<BTreeMap<String, Value>, InitError> {
    let mut found: BTreeMap<String, Value> = BTreeMap::new();
    for who in readers {
        let path = format!("/rest/api/2/issue/{}/comment", enc(&issue.key));
        let Some(values) = run.pages(who, &path, "comments", 100).await? else {
            continue;
        };
        for c in values {
            if let Some(id) = id_text(c.get("id")) {
                found.entry(id).or_insert(c);
            }
        }
    }
    Ok(found)
}

/// A comment's restriction to a group or role, if it has one.
fn visibility(comment: &Value) -> Option<Visibility> {
    match (
        text(comment.pointer("/visibility/type")).as_deref(),
        text(comment.pointer("/visibility/value")),
    ) {
        (Some("group"), Some(g)) => Some(Visibility::Group(g)),
        (Some("role"), Some(r)) => Some(Visibility::Role(r)),
        _ => None,
    }
}
