//! The discovery from start to end: the options checked, one step per resource in order, and
//! what the steps found assembled into the world, with the groups it refers to and notes on
//! what the cases will miss.

use std::collections::{BTreeMap, BTreeSet};

use super::comments::comments;
use super::dashboards::dashboards;
use super::issues::issues;
use super::principals::{groups, principals};
use super::projects::projects;
use super::roles::roles;
use super::run::Run;
use super::schemes::schemes;
use super::settings::settings;
use super::worklogs::{scratch_note, worklogs};
use crate::fixtures::{check_base_url, Group, Share, Visibility, World};
use crate::init::client::Client;
use crate::init::label::label_world;
use crate::init::{profile_for, Discovery, InitError, InitOptions, Progress, Section};

/// Asks the target what the principals are and see. `env` reads the tokens' environment
/// variables; `progress` hears of every step and request.
pub async fn discover(
    options: &InitOptions,
    env: &(dyn Fn(&str) -> Option<String> + Sync),
    progress: &(dyn Fn(Progress) + Send + Sync),
) -> Result<Discovery, InitError> {
    let base = options.target.trim_end_matches('/').to_string();
    check_options(&base, options)?;
    let client = Client::new(&base, &options.principals, env, options)?;
    let mut run = Run::new(client, base.clone(), progress);
    principals(&mut run, options).await?;
    let memberships = groups(&mut run).await?;
    let mut projects = projects(&mut run, options).await?;
    let roles = roles(&mut run, &projects).await?;
    let (schemes, project_schemes) = schemes(&mut run, &projects, &roles).await?;
    let (issues, attachments) = issues(&mut run, &projects, options).await?;
    let worklogs = worklogs(&mut run, &projects, &issues).await?;
    let comments = comments(&mut run, &projects, &issues).await?;
    let dashboards = dashboards(&mut run, &projects).await?;
    let (timetracking, attachment_settings) = settings(&mut run).await?;

    for p in &mut projects {
        p.notification_scheme = project_schemes.get(&p.id).cloned();
    }
    let mut world = World {
        timetracking,
        attachment_settings,
        groups: Vec::new(),
        projects,
        issues,
        attachments,
        worklogs,
        comments,
        dashboards,
        notification_schemes: schemes,
        roles,
    };
    world.groups = referenced_groups(&mut run, &world, &memberships);
    scratch_note(&mut run, &world.worklogs);
    missing_notes(&mut run, &world);
    label_world(&mut world, options.labels_from.as_ref());
    let mut principals = run.principals.clone();
    principals.sort_by(|a, b| a.name.cmp(&b.name));
    Ok(Discovery {
        profile: options
            .profile
            .clone()
            .unwrap_or_else(|| profile_for(&base)),
        base_url: base,
        principals,
        world,
        notes: run.notes,
        requests: run.client.sent(),
    })
}

/// Refuses options that do not describe a discovery: a bad URL, no principal, a profile name
/// unfit for a folder, two principals of one name.
fn check_options(base: &str, options: &InitOptions) -> Result<(), InitError> {
    check_base_url(base).map_err(|m| InitError::Options(format!("--target: {m}")))?;
    if options.principals.is_empty() {
        return Err(InitError::Options(
            "give at least one --principal NAME=EMAIL:TOKEN_ENV (an administrator and two ordinary users make the full matrix)".into(),
        ));
    }
    if let Some(profile) = &options.profile {
        if profile.is_empty()
            || !profile
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
        {
            return Err(InitError::Options(format!(
                "--profile {profile:?}: use letters, digits, '-' and '_' (it names the snapshot folder)"
            )));
        }
    }
    let mut seen = BTreeSet::new();
    for p in &options.principals {
        if !seen.insert(p.name.as_str()) {
            return Err(InitError::Options(format!(
                "principal {} is given twice",
                p.name
            )));
        }
    }
    Ok(())
}

/// The groups something described refers to (worklog and comment visibility, dashboard shares,
/// notification recipients), with their member principals; a note names the groups left out.
fn referenced_groups(
    run: &mut Run<'_>,
    world: &World,
    memberships: &BTreeMap<String, BTreeSet<String>>,
) -> Vec<Group> {
    let mut referenced: BTreeSet<String> = BTreeSet::new();
    let restrictions = world.worklogs.iter().map(|w| &w.visibility);
    for v in restrictions.chain(world.comments.iter().map(|c| &c.visibility)) {
        if let Some(Visibility::Group(g)) = v {
            referenced.insert(g.clone());
        }
    }
    for d in &world.dashboards {
        for s in &d.shared_with {
            if let Share::Group(g) = s {
                referenced.insert(g.clone());
            }
        }
    }
    for s in &world.notification_schemes {
        for e in &s.events {
            for r in &e.recipients {
                if let ("Group", Some(g)) = (r.kind.as_str(), &r.parameter) {
                    referenced.insert(g.clone());
                }
            }
        }
    }
    let groups = referenced
        .iter()
        .map(|g| Group {
            name: g.clone(),
            members: memberships
                .get(g)
                .map(|m| m.iter().cloned().collect())
                .unwrap_or_default(),
        })
        .collect();
    let left_out: Vec<&String> = memberships
        .keys()
        .filter(|g| !referenced.contains(*g))
        .collect();
    if !left_out.is_empty() {
        run.note(
            Section::Groups,
            format!(
                "left out, as nothing described refers to them: {}",
                left_out
                    .iter()
                    .map(|g| g.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        );
    }
    groups
}

/// Notes on what the security and visibility cases need and the world lacks.
fn missing_notes(run: &mut Run<'_>, world: &World) {
    if !world.issues.iter().any(|i| i.security.is_some()) {
        run.note(
            Section::Issues,
            "issue security: no issue was found that a principal browsing its project cannot see; the security cases need one",
        );
    }
    if !world.worklogs.iter().any(|w| w.visibility.is_some()) {
        run.note(
            Section::Worklogs,
            "restricted worklogs: none found; a worklog visible to a group or role only makes the visibility cases",
        );
    }
}
