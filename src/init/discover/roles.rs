//! Project roles (`/role`, administrators only) and their actors in each described project.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::Value;

use super::read::{enc, id_text, text};
use super::run::Run;
use crate::fixtures::{Project, Role};
use crate::init::{InitError, Section};

/// Roles (`/role`, administrators only) and their actors in each described project.
pub(super) async fn roles(run: &mut Run<'_>, projects: &[Project]) -> Result<Vec<Role>, InitError> {
    run.step("roles");
    let mut listed = None;
    for name in run.by_reach() {
        if let Some(Value::Array(roles)) = run.json(&name, "/rest/api/3/role").await? {
            listed = Some(roles);
            break;
        }
    }
    let Some(listed) = listed else {
        run.note(
            Section::Roles,
            "none of the principals may list project roles (GET /role needs Administer Jira); describe them by hand",
        );
        return Ok(Vec::new());
    };
    let mut roles = Vec::new();
    for r in listed {
        let (Some(id), Some(name)) = (id_text(r.get("id")), text(r.get("name"))) else {
            continue;
        };
        let mut role = Role {
            label: String::new(),
            id,
            name,
            description: text(r.get("description")).unwrap_or_default(),
            actors: BTreeMap::new(),
        };
        for project in projects {
            let actors = actors_in(run, &role, project).await?;
            if !actors.is_empty() {
                role.actors.insert(project.key.clone(), actors);
            }
        }
        roles.push(role);
    }
    Ok(roles)
}

/// The principals among the actors of `role` in `project`, read as one who administers the
/// project (or Jira); other actors are left out with a note.
async fn actors_in(
    run: &mut Run<'_>,
    role: &Role,
    project: &Project,
) -> Result<Vec<String>, InitError> {
    let who = project
        .administer
        .first()
        .cloned()
        .or_else(|| run.by_reach().into_iter().find(|n| run.is_admin(n)));
    let Some(who) = who else {
        run.note(
            Section::Roles,
            format!("actors in {}: no principal administers it", project.key),
        );
        return Ok(Vec::new());
    };
    let path = format!(
        "/rest/api/3/project/{}/role/{}",
        enc(&project.key),
        enc(&role.id)
    );
    let Some(body) = run.json(&who, &path).await? else {
        run.note(
            Section::Roles,
            format!(
                "actors of {} in {}: could not be read (GET {path})",
                role.name, project.key
            ),
        );
        return Ok(Vec::new());
    };
    let mut actors = BTreeSet::new();
    let mut others = 0;
    for a in body
        .get("actors")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        match run.principal_of(a.get("actorUser")) {
            Some(p) => {
                actors.insert(p);
            }
            None => others += 1,
        }
    }
    if others > 0 {
        run.note(
            Section::Roles,
            format!(
                "{} in {}: {others} actors that are not principals (other users, groups) left out",
                role.name, project.key
            ),
        );
    }
    Ok(actors.into_iter().collect())
}
