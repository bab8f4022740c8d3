//! Issues: each browsing principal's search of each project (`/search/jql`), a few chosen (one
//! every browser sees, one some cannot: issue security), then each read once (`/issue/{key}`)
//! for its fields and attachments.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::Value;

use super::choose::informative_first;
use super::read::{enc, id_order, id_text, key_order, text};
use super::run::Run;
use crate::fixtures::{Attachment, Issue, Project};
use crate::init::{InitError, InitOptions, Section};

/// Issues one principal's search of a project lists at most, before choosing.
const SEARCH_LIMIT: usize = 100;

/// Key → (id, the principals whose search found it).
type Found = BTreeMap<String, (String, BTreeSet<String>)>;

/// What the issues read so far hold.
#[derive(Default)]
struct Read {
    issues: Vec<Issue>,
    attachments: Vec<Attachment>,
    /// Attachments left out as their authors are not principals.
    foreign_authors: usize,
}

/// The issues described and their attachments (by principals), in id order.
pub(super) async fn issues(
    run: &mut Run<'_>,
    projects: &[Project],
    options: &InitOptions,
) -> Result<(Vec<Issue>, Vec<Attachment>), InitError> {
    run.step("issues");
    let mut read = Read::default();
    for project in projects {
        let found = search(run, project).await?;
        let browse: BTreeSet<String> = project.browse.iter().cloned().collect();
        for key in choose(run, project, &found, &browse, options.max_issues) {
            let Some((id, seen_by)) = found.get(&key).cloned() else {
                continue;
            };
            read_issue(run, project, key, id, seen_by, &browse, &mut read).await?;
        }
    }
    let Read {
        issues,
        mut attachments,
        foreign_authors,
    } = read;
    if foreign_authors > 0 {
        run.note(
            Section::Attachments,
            format!("{foreign_authors} attachments by users who are not principals left out"),
        );
    }
    if attachments.is_empty() {
        run.note(Section::Attachments, "none found on the described issues");
    }
    attachments.sort_by_key(|a| id_order(&a.id));
    Ok((issues, attachments))
}

/// The issues of `project` each browsing principal's search finds.
async fn search(run: &mut Run<'_>, project: &Project) -> Result<Found, InitError> {
    let mut found = Found::new();
    for who in &project.browse {
        let jql = format!("project = \"{}\" ORDER BY key ASC", project.key);
        let path = format!(
            "/rest/api/2/search/jql?jql={}&maxResults={SEARCH_LIMIT}&fields=summary",
            enc(&jql)
        );
        let Some(body) = run.json(who, &path).await? else {
            run.note(
                Section::Issues,
                format!(
                    "{who}: the issues of {} could not be searched (GET /search/jql)",
                    project.key
                ),
            );
            continue;
        };
        for i in body
            .get("issues")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            if let (Some(key), Some(id)) = (text(i.get("key")), id_text(i.get("id"))) {
                found
                    .entry(key)
                    .or_insert_with(|| (id, BTreeSet::new()))
                    .1
                    .insert(who.clone());
            }
        }
    }
    Ok(found)
}

/// The keys of the issues of `project` to describe, at most `max`, in Jira's key order: one
/// every browser of the project sees and one some cannot first.
fn choose(
    run: &mut Run<'_>,
    project: &Project,
    found: &Found,
    browse: &BTreeSet<String>,
    max: usize,
) -> Vec<String> {
    let mut keys: Vec<&String> = found.keys().collect();
    keys.sort_by_key(|k| key_order(k));
    let mut chosen = informative_first(keys.iter().copied(), |k| {
        found.get(k).is_some_and(|f| f.1 == *browse)
    });
    chosen.truncate(max);
    if keys.len() > chosen.len() {
        run.note(
            Section::Issues,
            format!(
                "{}: {} more issues left out (--max-issues {max})",
                project.key,
                keys.len() - chosen.len(),
            ),
        );
    }
    chosen.sort_by_key(|k| key_order(k));
    chosen
}

/// Reads the issue `key` once, as one who found it, into `read`: the issue (restricted to
/// those who found it when not every browser did) and its attachments.
async fn read_issue(
    run: &mut Run<'_>,
    project: &Project,
    key: String,
    id: String,
    seen_by: BTreeSet<String>,
    browse: &BTreeSet<String>,
    read: &mut Read,
) -> Result<(), InitError> {
    let Some(reader) = seen_by.iter().next().cloned() else {
        return Ok(());
    };
    let path = format!(
        "/rest/api/2/issue/{}?fields=summary,description,attachment",
        enc(&key)
    );
    let Some(body) = run.json(&reader, &path).await? else {
        run.note(
            Section::Issues,
            format!("{key}: could not be read (GET /issue/{key})"),
        );
        return Ok(());
    };
    let fields = body.get("fields");
    let field = |name: &str| fields.and_then(|f| f.get(name));
    read.issues.push(Issue {
        label: String::new(),
        key: key.clone(),
        id,
        project: project.key.clone(),
        summary: text(field("summary")).unwrap_or_else(|| format!("Issue {key}")),
        description: text(field("description")).unwrap_or_default(),
        security: (seen_by != *browse).then(|| seen_by.iter().cloned().collect()),
    });
    for a in field("attachment")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        let Some(aid) = id_text(a.get("id")) else {
            continue;
        };
        let Some(author) = run.principal_of(a.get("author")) else {
            read.foreign_authors += 1;
            continue;
        };
        read.attachments.push(Attachment {
            label: String::new(),
            id: aid,
            issue: key.clone(),
            filename: text(a.get("filename")).unwrap_or_else(|| "attachment".into()),
            size: a.get("size").and_then(Value::as_u64).unwrap_or(0),
            mime_type: text(a.get("mimeType")).unwrap_or_else(|| "application/octet-stream".into()),
            author,
            created: text(a.get("created")).unwrap_or_default(),
        });
    }
    Ok(())
}
