//! Worklogs: each described issue's listing as every principal who sees it, and whether the
//! update cases find scratch worklogs of their own.

use std::collections::BTreeMap;

use serde_json::Value;

use super::read::{enc, id_order, id_text, text};
use super::run::Run;
use crate::fixtures::{Issue, Project, Visibility, Worklog};
use crate::init::{InitError, Section};

/// Worklogs described per issue at most.
const MAX_WORKLOGS_PER_ISSUE: usize = 20;

/// Worklogs: every page of each issue's listing as each principal who sees the issue, merged
/// (one principal's listing may lack what a restriction hides from it).
pub(super) async fn worklogs(
    run: &mut Run<'_>,
    projects: &[Project],
    issues: &[Issue],
) -> Result<Vec<Worklog>, InitError> {
    run.step("worklogs");
    let mut worklogs = Vec::new();
    let mut foreign = 0;
    for issue in issues {
        let readers: Vec<String> = match &issue.security {
            Some(level) => level.clone(),
            None => projects
                .iter()
                .find(|p| p.key == issue.project)
                .map(|p| p.browse.clone())
                .unwrap_or_default(),
        };
        let mut found: BTreeMap<String, Value> = BTreeMap::new();
        for who in readers {
            let path = format!("/rest/api/2/issue/{}/worklog", enc(&issue.key));
            let Some(values) = run.pages(&who, &path, "worklogs", 100).await? else {
                continue;
            };
            for w in values {
                if let Some(id) = id_text(w.get("id")) {
                    found.entry(id).or_insert(w);
                }
            }
        }
        let chosen = run.first_by_id(
            &found,
            &issue.key,
            MAX_WORKLOGS_PER_ISSUE,
            Section::Worklogs,
            "worklogs",
        );
        for (id, w) in chosen {
            let Some(author) = run.principal_of(w.get("author")) else {
                foreign += 1;
                continue;
            };
            let visibility = match (
                text(w.pointer("/visibility/type")).as_deref(),
                text(w.pointer("/visibility/value")),
            ) {
                (Some("group"), Some(g)) => Some(Visibility::Group(g)),
                (Some("role"), Some(r)) => Some(Visibility::Role(r)),
                _ => None,
            };
            worklogs.push(Worklog {
                label: String::new(),
                id: id.clone(),
                issue: issue.key.clone(),
                author,
                time_spent_seconds: w
                    .get("timeSpentSeconds")
                    .and_then(Value::as_u64)
                    .unwrap_or(0),
                started: text(w.get("started")).unwrap_or_default(),
                comment: text(w.get("comment")).unwrap_or_default(),
                visibility,
            });
        }
    }
    if foreign > 0 {
        run.note(
            Section::Worklogs,
            format!("{foreign} worklogs by users who are not principals left out"),
        );
    }
    worklogs.sort_by_key(|w| id_order(&w.id));
    Ok(worklogs)
}

/// Says so when no ordinary user has two unrestricted worklogs of its own on one issue: the
/// update cases change (and restore) such scratch worklogs, one per API version.
pub(super) fn scratch_note(run: &mut Run<'_>, worklogs: &[Worklog]) {
    let mut own: BTreeMap<(&str, &str), usize> = BTreeMap::new();
    for w in worklogs.iter().filter(|w| w.visibility.is_none()) {
        if !run.is_admin(&w.author) {
            *own.entry((w.author.as_str(), w.issue.as_str()))
                .or_default() += 1;
        }
    }
    if !own.values().any(|n| *n >= 2) {
        run.note(
            Section::Worklogs,
            "scratch worklogs for update cases: none found; add two on an issue you own (an ordinary user's, unrestricted; the update cases change and restore them)",
        );
    }
}
