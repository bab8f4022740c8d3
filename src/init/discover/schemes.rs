//! Notification schemes (`/notificationscheme?expand=all`) as whoever may list them, and which
//! described project uses which.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::Value;

use super::read::{id_order, id_text, text};
use super::run::Run;
use crate::fixtures::{
    NotificationEvent, NotificationScheme, Project, Recipient, Role, RECIPIENT_TYPES,
};
use crate::init::{InitError, Section};

/// Notification schemes described at most.
const MAX_SCHEMES: usize = 10;

/// What the listings said: scheme id → the scheme as listed, and scheme id → the ids of the
/// projects that use it.
#[derive(Default)]
struct Listed {
    found: BTreeMap<String, Value>,
    used_by: BTreeMap<String, BTreeSet<String>>,
}

/// The schemes described, and which described project uses which (project id → scheme id).
pub(super) async fn schemes(
    run: &mut Run<'_>,
    projects: &[Project],
    roles: &[Role],
) -> Result<(Vec<NotificationScheme>, BTreeMap<String, String>), InitError> {
    run.step("notification schemes");
    let listed = list(run, projects).await?;
    let ids = choose(run, &listed, projects);
    let mut schemes = Vec::new();
    let mut dropped = BTreeSet::new();
    for id in ids {
        let Some(v) = listed.found.get(&id) else {
            continue;
        };
        schemes.push(scheme(run, &id, v, roles, &mut dropped));
    }
    if !dropped.is_empty() {
        run.note(
            Section::NotificationSchemes,
            format!(
                "recipients of types the fixtures do not describe left out: {}",
                dropped.into_iter().collect::<Vec<_>>().join(", ")
            ),
        );
    }
    let mut project_schemes = BTreeMap::new();
    for s in &schemes {
        for pid in listed.used_by.get(&s.id).into_iter().flatten() {
            project_schemes.insert(pid.clone(), s.id.clone());
        }
    }
    Ok((schemes, project_schemes))
}

/// Every scheme listed to a principal who may list them: administrators of Jira or of a
/// described project.
async fn list(run: &mut Run<'_>, projects: &[Project]) -> Result<Listed, InitError> {
    let mut listed = Listed::default();
    let listers: Vec<String> = run
        .by_reach()
        .into_iter()
        .filter(|n| run.is_admin(n) || projects.iter().any(|p| p.administer.contains(n)))
        .collect();
    for who in &listers {
        let Some(values) = run
            .pages(
                who,
                "/rest/api/3/notificationscheme?expand=all",
                "values",
                50,
            )
            .await?
        else {
            continue;
        };
        for v in values {
            let Some(id) = id_text(v.get("id")) else {
                continue;
            };
            for p in v
                .get("projects")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
            {
                if let Some(pid) = id_text(Some(p)) {
                    listed.used_by.entry(id.clone()).or_default().insert(pid);
                }
            }
            listed.found.entry(id).or_insert(v);
        }
    }
    if listers.is_empty() {
        run.note(
            Section::NotificationSchemes,
            "none of the principals administers Jira or a described project, so none could be listed",
        );
    }
    Ok(listed)
}

/// The ids of the schemes to describe, at most [`MAX_SCHEMES`]: those the described projects
/// use first; then the others, in id order.
fn choose(run: &mut Run<'_>, listed: &Listed, projects: &[Project]) -> Vec<String> {
    let project_ids: BTreeSet<&str> = projects.iter().map(|p| p.id.as_str()).collect();
    let mut ids: Vec<&String> = listed.found.keys().collect();
    ids.sort_by_key(|id| {
        let used = listed
            .used_by
            .get(*id)
            .is_some_and(|u| u.iter().any(|p| project_ids.contains(p.as_str())));
        (!used, id_order(id))
    });
    if ids.len() > MAX_SCHEMES {
        run.note(
            Section::NotificationSchemes,
            format!("{} more schemes left out", ids.len() - MAX_SCHEMES),
        );
        ids.truncate(MAX_SCHEMES);
    }
    ids.into_iter().cloned().collect()
}

/// One scheme as listed, its events in id order; recipients of types the fixtures do not
/// describe go to `dropped`.
fn scheme(
    run: &Run<'_>,
    id: &str,
    v: &Value,
    roles: &[Role],
    dropped: &mut BTreeSet<String>,
) -> NotificationScheme {
    let mut events = Vec::new();
    for e in v
        .get("notificationSchemeEvents")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        let (Some(eid), Some(ename)) = (
            e.pointer("/event/id").and_then(Value::as_u64),
            text(e.pointer("/event/name")),
        ) else {
            continue;
        };
        let mut recipients = Vec::new();
        for n in e
            .get("notifications")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            let Some(kind) = text(n.get("notificationType")) else {
                continue;
            };
            if !RECIPIENT_TYPES.contains(&kind.as_str()) {
                dropped.insert(kind);
                continue;
            }
            let parameter = parameter(run, &kind, n, roles);
            recipients.push(Recipient { kind, parameter });
        }
        events.push(NotificationEvent {
            id: eid,
            name: ename,
            recipients,
        });
    }
    events.sort_by_key(|e| e.id);
    NotificationScheme {
        label: String::new(),
        id: id.to_string(),
        name: text(v.get("name")).unwrap_or_else(|| format!("Scheme {id}")),
        description: text(v.get("description")).filter(|d| !d.is_empty()),
        events,
    }
}

/// A recipient's parameter as the fixtures name it: principals and roles by name.
fn parameter(run: &Run<'_>, kind: &str, n: &Value, roles: &[Role]) -> Option<String> {
    let parameter = text(n.get("parameter"));
    match kind {
        "User" => parameter.map(|account| run.names.get(&account).cloned().unwrap_or(account)),
        "Group" => parameter.or_else(|| text(n.pointer("/group/name"))),
        "ProjectRole" => parameter
            .as_deref()
            .and_then(|rid| roles.iter().find(|r| r.id == rid))
            .map(|r| r.name.clone())
            .or_else(|| text(n.pointer("/projectRole/name")))
            .or(parameter),
        "EmailAddress" => text(n.get("emailAddress")).or(parameter),
        "UserCustomField" | "GroupCustomField" => parameter,
        _ => None,
    }
}
