//! Dashboards: each principal's listing (`/dashboard`), each dashboard as its owner (or an
//! administrator) sees it, and its gadgets (`/dashboard/{id}/gadget`).

use std::collections::{BTreeMap, BTreeSet};

use serde_json::Value;

use super::read::{enc, id_order, id_text, text};
use super::run::Run;
use crate::fixtures::{Dashboard, Project, Share};
use crate::init::{InitError, Section};

/// Dashboards described at most.
const MAX_DASHBOARDS: usize = 10;

/// The dashboards described, at most [`MAX_DASHBOARDS`] in id order; one owned by a user who
/// is not a principal is left out.
pub(super) async fn dashboards(
    run: &mut Run<'_>,
    projects: &[Project],
) -> Result<Vec<Dashboard>, InitError> {
    run.step("dashboards");
    // Id → the principals' views of it.
    let mut views: BTreeMap<String, Vec<(String, Value)>> = BTreeMap::new();
    for who in run.by_reach() {
        let Some(values) = run
            .pages(&who, "/rest/api/3/dashboard", "dashboards", 100)
            .await?
        else {
            run.note(
                Section::Dashboards,
                format!("{who}: its dashboards could not be listed (GET /dashboard)"),
            );
            continue;
        };
        for d in values {
            if let Some(id) = id_text(d.get("id")) {
                views.entry(id).or_default().push((who.clone(), d));
            }
        }
    }
    let mut ids: Vec<String> = views.keys().cloned().collect();
    ids.sort_by_key(|id| id_order(id));
    if ids.len() > MAX_DASHBOARDS {
        run.note(
            Section::Dashboards,
            format!("{} more dashboards left out", ids.len() - MAX_DASHBOARDS),
        );
        ids.truncate(MAX_DASHBOARDS);
    }
    let keys: BTreeSet<&str> = projects.iter().map(|p| p.key.as_str()).collect();
    let mut dashboards = Vec::new();
    for id in ids {
        let Some(seen) = views.get(&id) else { continue };
        let Some(first) = seen.first() else { continue };
        let system = first
            .1
            .get("systemDashboard")
            .and_then(Value::as_bool)
            .unwrap_or(false);
        let owner = run.principal_of(first.1.get("owner"));
        if !system && owner.is_none() {
            run.note(
                Section::Dashboards,
                format!("dashboard {id}: owned by a user who is not a principal, left out"),
            );
            continue;
        }
        // The owner sees every share in full; a viewer may see a project share as unknown.
        let (viewer, view) = seen
            .iter()
            .find(|(w, _)| Some(w) == owner.as_ref())
            .or_else(|| seen.iter().find(|(w, _)| run.is_admin(w)))
            .unwrap_or(first)
            .clone();
        let shared_with = shares(run, &id, &view, &keys);
        let items = gadgets(run, &id, &viewer).await?;
        dashboards.push(Dashboard {
            label: String::new(),
            id: id.clone(),
            name: text(view.get("name")).unwrap_or_else(|| format!("Dashboard {id}")),
            owner: if system { None } else { owner },
            system,
            shared_with,
            items,
        });
    }
    Ok(dashboards)
}

/// A dashboard's shares as the fixtures describe them; a share with a user who is not a
/// principal, a project not described or a project role is left out, with a note.
fn shares(run: &mut Run<'_>, id: &str, view: &Value, keys: &BTreeSet<&str>) -> Vec<Share> {
    let mut shared_with = Vec::new();
    for s in view
        .get("sharePermissions")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        let share = match text(s.get("type")).as_deref() {
            Some("global") => Some(Share::Global),
            Some("loggedin" | "authenticated") => Some(Share::LoggedIn),
            Some("user") => run.principal_of(s.get("user")).map(Share::User),
            Some("group") => text(s.pointer("/group/name")).map(Share::Group),
            Some("project") if s.get("role").is_none() => text(s.pointer("/project/key"))
                .filter(|k| keys.contains(k.as_str()))
                .map(Share::Project),
            _ => None,
        };
        match share {
            Some(share) => shared_with.push(share),
            None => run.note(
                Section::Dashboards,
                format!(
                    "dashboard {id}: a share with a user who is not a principal, a project not described, or a project role left out"
                ),
            ),
        }
    }
    shared_with
}

/// The ids of a dashboard's gadgets (`/dashboard/{id}/gadget`) as `viewer` reads them.
async fn gadgets(run: &mut Run<'_>, id: &str, viewer: &str) -> Result<Vec<String>, InitError> {
    let path = format!("/rest/api/3/dashboard/{}/gadget", enc(id));
    Ok(match run.json(viewer, &path).await? {
        Some(body) => body
            .get("gadgets")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .filter_map(|g| id_text(g.get("id")))
            .collect(),
        None => {
            run.note(
                Section::Dashboards,
                format!("dashboard {id}: its gadgets could not be read (GET {path})"),
            );
            Vec::new()
        }
    })
}
