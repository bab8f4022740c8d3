//! Projects: each principal's `/project/search`, a few chosen, and each principal's permissions
//! in them (`/mypermissions?projectKey=`).

use std::collections::{BTreeMap, BTreeSet};

use serde_json::Value;

use super::choose::informative_first;
use super::read::{enc, id_text, text};
use super::run::Run;
use crate::fixtures::Project;
use crate::init::{InitError, InitOptions, Section};

/// Key → (id, name, the principals who see it).
type Visible = BTreeMap<String, (String, String, BTreeSet<String>)>;

/// The projects described: a few of those visible, with who browses, administers and edits
/// all worklogs in each.
pub(super) async fn projects(
    run: &mut Run<'_>,
    options: &InitOptions,
) -> Result<Vec<Project>, InitError> {
    run.step("projects");
    let found = visible(run).await?;
    let chosen = choose(run, &found, options.max_projects);
    run.note(
        Section::Projects,
        "worklog_field_hidden: not learned (no read says a project's field configuration hides Log work); set it where it does",
    );
    let mut projects = Vec::new();
    for key in chosen {
        let Some((id, name, seen_by)) = found.get(&key).cloned() else {
            continue;
        };
        projects.push(with_permissions(run, key, id, name, &seen_by).await?);
    }
    Ok(projects)
}

/// Every project some principal's `/project/search` lists.
async fn visible(run: &mut Run<'_>) -> Result<Visible, InitError> {
    let mut found = Visible::new();
    for name in run.by_reach() {
        let Some(values) = run
            .pages(
                &name,
                "/rest/api/3/project/search?orderBy=key",
                "values",
                50,
            )
            .await?
        else {
            run.note(
                Section::Projects,
                format!("{name}: its projects could not be listed (GET /project/search)"),
            );
            continue;
        };
        for v in values {
            let (Some(key), Some(id)) = (text(v.get("key")), id_text(v.get("id"))) else {
                continue;
            };
            let entry = found
                .entry(key.clone())
                .or_insert_with(|| (id, text(v.get("name")).unwrap_or(key), BTreeSet::new()));
            entry.2.insert(name.clone());
        }
    }
    Ok(found)
}

/// The keys of the projects to describe, at most `max`, in key order: the matrix is informative
/// with a project everyone sees and one some cannot.
fn choose(run: &mut Run<'_>, found: &Visible, max: usize) -> Vec<String> {
    let everyone: BTreeSet<String> = run.principals.iter().map(|p| p.name.clone()).collect();
    let mut chosen = informative_first(found.keys(), |k| {
        found.get(k).is_some_and(|v| v.2 == everyone)
    });
    chosen.truncate(max);
    if found.len() > chosen.len() {
        run.note(
            Section::Projects,
            format!(
                "{} more visible projects left out (--max-projects {max})",
                found.len() - chosen.len(),
            ),
        );
    }
    if found.is_empty() {
        run.note(Section::Projects, "none found: no principal sees a project");
    }
    chosen.sort();
    chosen
}

/// The project `key`, with the permissions each principal who sees it has there.
async fn with_permissions(
    run: &mut Run<'_>,
    key: String,
    id: String,
    name: String,
    seen_by: &BTreeSet<String>,
) -> Result<Project, InitError> {
    let mut project = Project {
        label: String::new(),
        key: key.clone(),
        id,
        name,
        browse: Vec::new(),
        administer: Vec::new(),
        edit_all_worklogs: Vec::new(),
        edit_all_comments: Vec::new(),
        edit_own_comments: Some(Vec::new()),
        notification_scheme: None,
        worklog_field_hidden: false,
    };
    for who in seen_by {
        let path = format!(
            "/rest/api/3/mypermissions?projectKey={}&permissions=BROWSE_PROJECTS,ADMINISTER_PROJECTS,EDIT_ALL_WORKLOGS,EDIT_ALL_COMMENTS,EDIT_OWN_COMMENTS",
            enc(&key)
        );
        let Some(body) = run.json(who, &path).await? else {
            run.note(
                Section::Projects,
                format!("{who}: its permissions in {key} could not be read (GET /mypermissions)"),
            );
            continue;
        };
        let has = |k: &str| {
            body.pointer(&format!("/permissions/{k}/havePermission"))
                .and_then(Value::as_bool)
                .unwrap_or(false)
        };
        if has("BROWSE_PROJECTS") {
            project.browse.push(who.clone());
        }
        if has("ADMINISTER_PROJECTS") {
            project.administer.push(who.clone());
        }
        if has("EDIT_ALL_WORKLOGS") {
            project.edit_all_worklogs.push(who.clone());
        }
        if has("EDIT_ALL_COMMENTS") {
            project.edit_all_comments.push(who.clone());
        }
        if has("EDIT_OWN_COMMENTS") {
            if let Some(own) = &mut project.edit_own_comments {
                own.push(who.clone());
            }
        }
    }
    Ok(project)
}
