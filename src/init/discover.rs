//! Asking the target: who the principals are and what they see, bounded and chosen to make the
//! permission matrix informative. GET requests only, through [`Client`].

use std::collections::{BTreeMap, BTreeSet};

use serde_json::Value;

use super::client::{Answer, Client};
use super::label::Labeler;
use super::{
    profile_for, Discovery, FoundPrincipal, InitError, InitOptions, Note, Progress, Section,
};
use crate::fixtures::{
    check_base_url, Attachment, AttachmentSettings, Dashboard, Group, Issue, NotificationEvent,
    NotificationScheme, Project, Recipient, Role, Share, TimeTracking, Visibility, Worklog, World,
    RECIPIENT_TYPES,
};

/// Pages of one listing read at most (projects, dashboards, schemes, worklogs of one issue).
const MAX_PAGES: usize = 10;
/// Issues one principal's search of a project lists at most, before choosing.
const SEARCH_LIMIT: usize = 100;
/// Worklogs described per issue at most.
const MAX_WORKLOGS_PER_ISSUE: usize = 20;
/// Dashboards described at most.
const MAX_DASHBOARDS: usize = 10;
/// Notification schemes described at most.
const MAX_SCHEMES: usize = 10;

/// Percent-encodes all but RFC 3986's unreserved characters (safe in a path or a query value).
fn enc(text: &str) -> String {
    let mut out = String::new();
    for b in text.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~') {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// An id as text: Jira gives some as numbers, some as strings.
fn id_text(v: Option<&Value>) -> Option<String> {
    match v? {
        Value::String(s) if !s.is_empty() => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

fn text(v: Option<&Value>) -> Option<String> {
    v.and_then(Value::as_str).map(str::to_string)
}

/// Issue keys in Jira's order: project key, then number.
fn key_order(key: &str) -> (String, u64) {
    match key.rsplit_once('-') {
        Some((p, n)) => (p.to_string(), n.parse().unwrap_or(u64::MAX)),
        None => (key.to_string(), u64::MAX),
    }
}

/// Ids in numeric order where they are numbers.
fn id_order(id: &str) -> (u64, String) {
    (id.parse().unwrap_or(u64::MAX), id.to_string())
}

/// The discovery under way: the client, what is known so far, and the notes.
struct Run<'a> {
    client: Client,
    base: String,
    progress: &'a (dyn Fn(Progress) + Send + Sync),
    step: String,
    notes: Vec<Note>,
    /// Account id → principal name.
    names: BTreeMap<String, String>,
    principals: Vec<FoundPrincipal>,
}

impl Run<'_> {
    fn note(&mut self, section: Section, text: impl Into<String>) {
        let text = text.into();
        if !self
            .notes
            .iter()
            .any(|n| n.section == section && n.text == text)
        {
            self.notes.push(Note { section, text });
        }
    }

    fn step(&mut self, step: &str) {
        self.step = step.to_string();
        (self.progress)(Progress {
            step: self.step.clone(),
            requests: self.client.sent(),
        });
    }

    async fn get(&self, who: &str, path: &str) -> Result<Answer, InitError> {
        let answer = self.client.get(who, path).await;
        (self.progress)(Progress {
            step: self.step.clone(),
            requests: self.client.sent(),
        });
        answer
    }

    async fn json(&self, who: &str, path: &str) -> Result<Option<Value>, InitError> {
        Ok(self.get(who, path).await?.ok().cloned())
    }

    /// The principal an account id belongs to.
    fn principal_of(&self, user: Option<&Value>) -> Option<String> {
        let id = user?.get("accountId")?.as_str()?;
        self.names.get(id).cloned()
    }

    fn is_admin(&self, name: &str) -> bool {
        self.principals.iter().any(|p| p.name == name && p.admin)
    }

    /// Principal names, administrators of Jira first (they see the most).
    fn by_reach(&self) -> Vec<String> {
        let mut names: Vec<&FoundPrincipal> = self.principals.iter().collect();
        names.sort_by_key(|p| (!p.admin, p.name.clone()));
        names.into_iter().map(|p| p.name.clone()).collect()
    }

    /// Every page of an offset-paged listing (`startAt`/`maxResults`), bounded: the items under
    /// `items` of each page. `None` when the first page is not a 200.
    async fn pages(
        &self,
        who: &str,
        path: &str,
        items: &str,
        page_size: usize,
    ) -> Result<Option<Vec<Value>>, InitError> {
        let mut all = Vec::new();
        let sep = if path.contains('?') { '&' } else { '?' };
        for page in 0..MAX_PAGES {
            let at = page * page_size;
            let Some(body) = self
                .json(
                    who,
                    &format!("{path}{sep}startAt={at}&maxResults={page_size}"),
                )
                .await?
            else {
                return Ok((page > 0).then_some(all));
            };
            let got = body
                .get(items)
                .and_then(Value::as_array)
                .cloned()
                .unwrap_or_default();
            let n = got.len();
            all.extend(got);
            let total = body.get("total").and_then(Value::as_u64);
            let last = body.get("isLast").and_then(Value::as_bool).unwrap_or(false)
                || n == 0
                || total.is_some_and(|t| (at + n) as u64 >= t)
                || (total.is_none()
                    && body.get("next").is_none()
                    && body.get("nextPage").is_none());
            if last {
                break;
            }
        }
        Ok(Some(all))
    }
}

/// Asks the target what the principals are and see. `env` reads the tokens' environment
/// variables; `progress` hears of every step and request.
pub async fn discover(
    options: &InitOptions,
    env: &(dyn Fn(&str) -> Option<String> + Sync),
    progress: &(dyn Fn(Progress) + Send + Sync),
) -> Result<Discovery, InitError> {
    let base = options.target.trim_end_matches('/').to_string();
    check_base_url(&base).map_err(|m| InitError::Options(format!("--target: {m}")))?;
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
    let client = Client::new(&base, &options.principals, env, options)?;
    let mut run = Run {
        client,
        base: base.clone(),
        progress,
        step: String::new(),
        notes: Vec::new(),
        names: BTreeMap::new(),
        principals: Vec::new(),
    };
    principals(&mut run, options).await?;
    let memberships = groups(&mut run).await?;
    let projects = projects(&mut run, options).await?;
    let roles = roles(&mut run, &projects).await?;
    let (schemes, project_schemes) = schemes(&mut run, &projects, &roles).await?;
    let (issues, attachments) = issues(&mut run, &projects, options).await?;
    let worklogs = worklogs(&mut run, &projects, &issues).await?;
    let dashboards = dashboards(&mut run, &projects).await?;
    let (timetracking, attachment_settings) = settings(&mut run).await?;

    let mut projects = projects;
    for p in &mut projects {
        p.notification_scheme = project_schemes.get(&p.id).cloned();
    }
    // Groups: those something described refers to, with their member principals.
    let mut referenced: BTreeSet<String> = BTreeSet::new();
    for w in &worklogs {
        if let Some(Visibility::Group(g)) = &w.visibility {
            referenced.insert(g.clone());
        }
    }
    for d in &dashboards {
        for s in &d.shared_with {
            if let Share::Group(g) = s {
                referenced.insert(g.clone());
            }
        }
    }
    for s in &schemes {
        for e in &s.events {
            for r in &e.recipients {
                if let ("Group", Some(g)) = (r.kind.as_str(), &r.parameter) {
                    referenced.insert(g.clone());
                }
            }
        }
    }
    let groups: Vec<Group> = referenced
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
    scratch_note(&mut run, &worklogs);
    if !issues.iter().any(|i| i.security.is_some()) {
        run.note(
            Section::Issues,
            "issue security: no issue was found that a principal browsing its project cannot see; the security cases need one",
        );
    }
    if !worklogs.iter().any(|w| w.visibility.is_some()) {
        run.note(
            Section::Worklogs,
            "restricted worklogs: none found; a worklog visible to a group or role only makes the visibility cases",
        );
    }
    let mut world = World {
        timetracking,
        attachment_settings,
        groups,
        projects,
        issues,
        attachments,
        worklogs,
        dashboards,
        notification_schemes: schemes,
        roles,
    };
    label(&mut world, options.labels_from.as_ref());
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

/// `/myself` and `/mypermissions` as each principal; the first answer also tells whether the
/// target is Jira and the credentials work.
async fn principals(run: &mut Run<'_>, options: &InitOptions) -> Result<(), InitError> {
    run.step("principals");
    for spec in &options.principals {
        let path = "/rest/api/3/myself";
        let answer = run.get(&spec.name, path).await?;
        if matches!(answer.status, 401 | 403) {
            return Err(InitError::CredentialsRefused {
                principal: spec.name.clone(),
                path: path.into(),
                status: answer.status,
                var: spec.auth.token_env().to_string(),
            });
        }
        let user = answer.ok().and_then(Value::as_object);
        let Some((user, account_id)) =
            user.and_then(|u| Some((u, u.get("accountId")?.as_str()?.to_string())))
        else {
            return Err(InitError::NotJira {
                url: run.base.clone(),
                answered: format!(
                    "GET {path} as {} answered {}, not a JSON user (is the URL the site root, e.g. https://your-domain.atlassian.net?)",
                    spec.name,
                    answer.describe()
                ),
            });
        };
        if account_id.is_empty() {
            return Err(InitError::NotJira {
                url: run.base.clone(),
                answered: format!("GET {path} as {} named no account id", spec.name),
            });
        }
        if let Some(other) = run.names.get(&account_id) {
            return Err(InitError::Options(format!(
                "principals {other} and {} are the same account ({account_id}); give each principal its own",
                spec.name
            )));
        }
        let display_name = text(user.get("displayName")).unwrap_or_else(|| spec.name.clone());
        let permissions = run
            .json(
                &spec.name,
                "/rest/api/3/mypermissions?permissions=ADMINISTER",
            )
            .await?;
        let admin = permissions
            .as_ref()
            .and_then(|v| v.pointer("/permissions/ADMINISTER/havePermission"))
            .and_then(Value::as_bool);
        if admin.is_none() {
            run.note(
                Section::Principals,
                format!(
                    "{}: whether it holds Administer Jira could not be learned (GET /mypermissions); admin = false assumed",
                    spec.name
                ),
            );
        }
        run.names.insert(account_id.clone(), spec.name.clone());
        run.principals.push(FoundPrincipal {
            name: spec.name.clone(),
            auth: spec.auth.clone(),
            account_id,
            display_name,
            admin: admin.unwrap_or(false),
        });
    }
    if !run.principals.iter().any(|p| p.admin) {
        run.note(
            Section::Principals,
            "no principal holds Administer Jira: the administrator's cases will be skipped, and what only administrators may list (roles, unused notification schemes) is missing",
        );
    }
    if run.principals.iter().filter(|p| !p.admin).count() < 2 {
        run.note(
            Section::Principals,
            "fewer than two ordinary users: the cases where one user acts on another's record will be skipped",
        );
    }
    Ok(())
}

/// Each principal's groups (`/user/groups`), as group → member principals.
async fn groups(run: &mut Run<'_>) -> Result<BTreeMap<String, BTreeSet<String>>, InitError> {
    run.step("groups");
    let mut memberships: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for p in run.principals.clone() {
        let path = format!("/rest/api/3/user/groups?accountId={}", enc(&p.account_id));
        match run.json(&p.name, &path).await? {
            Some(Value::Array(groups)) => {
                for g in groups {
                    if let Some(name) = text(g.get("name")) {
                        memberships.entry(name).or_default().insert(p.name.clone());
                    }
                }
            }
            _ => run.note(
                Section::Groups,
                format!(
                    "{}: its groups could not be read (GET /user/groups)",
                    p.name
                ),
            ),
        }
    }
    Ok(memberships)
}

/// Projects: each principal's `/project/search`, a few chosen, and each principal's permissions
/// in them (`/mypermissions?projectKey=`).
async fn projects(run: &mut Run<'_>, options: &InitOptions) -> Result<Vec<Project>, InitError> {
    run.step("projects");
    // Key → (id, name, the principals who see it).
    let mut found: BTreeMap<String, (String, String, BTreeSet<String>)> = BTreeMap::new();
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
    let everyone: BTreeSet<String> = run.principals.iter().map(|p| p.name.clone()).collect();
    // The matrix is informative with a project everyone sees and one some cannot.
    let mut chosen: Vec<String> = Vec::new();
    if let Some(k) = found.iter().find(|(_, v)| v.2 == everyone).map(|(k, _)| k) {
        chosen.push(k.clone());
    }
    if let Some(k) = found.iter().find(|(_, v)| v.2 != everyone).map(|(k, _)| k) {
        chosen.push(k.clone());
    }
    for k in found.keys() {
        if !chosen.contains(k) {
            chosen.push(k.clone());
        }
    }
    chosen.truncate(options.max_projects);
    if found.len() > chosen.len() {
        run.note(
            Section::Projects,
            format!(
                "{} more visible projects left out (--max-projects {})",
                found.len() - chosen.len(),
                options.max_projects
            ),
        );
    }
    if found.is_empty() {
        run.note(Section::Projects, "none found: no principal sees a project");
    }
    chosen.sort();
    run.note(
        Section::Projects,
        "worklog_field_hidden: not learned (no read says a project's field configuration hides Log work); set it where it does",
    );
    let mut projects = Vec::new();
    for key in chosen {
        let Some((id, name, seen_by)) = found.get(&key).cloned() else {
            continue;
        };
        let mut project = Project {
            label: String::new(),
            key: key.clone(),
            id,
            name,
            browse: Vec::new(),
            administer: Vec::new(),
            edit_all_worklogs: Vec::new(),
            notification_scheme: None,
            worklog_field_hidden: false,
        };
        for who in &seen_by {
            let path = format!(
                "/rest/api/3/mypermissions?projectKey={}&permissions=BROWSE_PROJECTS,ADMINISTER_PROJECTS,EDIT_ALL_WORKLOGS",
                enc(&key)
            );
            let Some(body) = run.json(who, &path).await? else {
                run.note(
                    Section::Projects,
                    format!(
                        "{who}: its permissions in {key} could not be read (GET /mypermissions)"
                    ),
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
        }
        projects.push(project);
    }
    Ok(projects)
}

/// Roles (`/role`, administrators only) and their actors in each described project.
async fn roles(run: &mut Run<'_>, projects: &[Project]) -> Result<Vec<Role>, InitError> {
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
            id: id.clone(),
            name,
            description: text(r.get("description")).unwrap_or_default(),
            actors: BTreeMap::new(),
        };
        for project in projects {
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
                continue;
            };
            let path = format!(
                "/rest/api/3/project/{}/role/{}",
                enc(&project.key),
                enc(&id)
            );
            let Some(body) = run.json(&who, &path).await? else {
                run.note(
                    Section::Roles,
                    format!(
                        "actors of {} in {}: could not be read (GET {path})",
                        role.name, project.key
                    ),
                );
                continue;
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
            if !actors.is_empty() {
                role.actors
                    .insert(project.key.clone(), actors.into_iter().collect());
            }
        }
        roles.push(role);
    }
    Ok(roles)
}

/// Notification schemes (`/notificationscheme?expand=all`) as whoever may list them, and which
/// described project uses which (project id → scheme id).
async fn schemes(
    run: &mut Run<'_>,
    projects: &[Project],
    roles: &[Role],
) -> Result<(Vec<NotificationScheme>, BTreeMap<String, String>), InitError> {
    run.step("notification schemes");
    let mut found: BTreeMap<String, Value> = BTreeMap::new();
    let mut used_by: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
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
                    used_by.entry(id.clone()).or_default().insert(pid);
                }
            }
            found.entry(id).or_insert(v);
        }
    }
    if listers.is_empty() {
        run.note(
            Section::NotificationSchemes,
            "none of the principals administers Jira or a described project, so none could be listed",
        );
    }
    let project_ids: BTreeSet<&str> = projects.iter().map(|p| p.id.as_str()).collect();
    let mut ids: Vec<&String> = found.keys().collect();
    // Those the described projects use first; then the others, in id order.
    ids.sort_by_key(|id| {
        let used = used_by
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
    let mut schemes = Vec::new();
    let mut dropped = BTreeSet::new();
    for id in ids {
        let Some(v) = found.get(id) else { continue };
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
                let parameter = text(n.get("parameter"));
                let parameter = match kind.as_str() {
                    "User" => {
                        parameter.map(|account| run.names.get(&account).cloned().unwrap_or(account))
                    }
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
                };
                recipients.push(Recipient { kind, parameter });
            }
            events.push(NotificationEvent {
                id: eid,
                name: ename,
                recipients,
            });
        }
        events.sort_by_key(|e| e.id);
        schemes.push(NotificationScheme {
            label: String::new(),
            id: id.clone(),
            name: text(v.get("name")).unwrap_or_else(|| format!("Scheme {id}")),
            description: text(v.get("description")).filter(|d| !d.is_empty()),
            events,
        });
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
        for pid in used_by.get(&s.id).into_iter().flatten() {
            project_schemes.insert(pid.clone(), s.id.clone());
        }
    }
    Ok((schemes, project_schemes))
}

/// Issues: each browsing principal's search of each project (`/search/jql`), a few chosen (one
/// every browser sees, one some cannot: issue security), then each read once
/// (`/issue/{key}`) for its fields and attachments.
async fn issues(
    run: &mut Run<'_>,
    projects: &[Project],
    options: &InitOptions,
) -> Result<(Vec<Issue>, Vec<Attachment>), InitError> {
    run.step("issues");
    let mut issues = Vec::new();
    let mut attachments = Vec::new();
    let mut foreign_authors = 0;
    for project in projects {
        // Key → (id, the principals whose search found it).
        let mut found: BTreeMap<String, (String, BTreeSet<String>)> = BTreeMap::new();
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
        let browse: BTreeSet<String> = project.browse.iter().cloned().collect();
        let mut keys: Vec<&String> = found.keys().collect();
        keys.sort_by_key(|k| key_order(k));
        let mut chosen: Vec<String> = Vec::new();
        if let Some(k) = keys
            .iter()
            .find(|k| found.get(**k).is_some_and(|f| f.1 == browse))
        {
            chosen.push((*k).clone());
        }
        if let Some(k) = keys
            .iter()
            .find(|k| found.get(**k).is_some_and(|f| f.1 != browse))
        {
            chosen.push((*k).clone());
        }
        for k in &keys {
            if !chosen.contains(k) {
                chosen.push((*k).clone());
            }
        }
        chosen.truncate(options.max_issues);
        if keys.len() > chosen.len() {
            run.note(
                Section::Issues,
                format!(
                    "{}: {} more issues left out (--max-issues {})",
                    project.key,
                    keys.len() - chosen.len(),
                    options.max_issues
                ),
            );
        }
        chosen.sort_by_key(|k| key_order(k));
        for key in chosen {
            let Some((id, seen_by)) = found.get(&key).cloned() else {
                continue;
            };
            let Some(reader) = seen_by.iter().next().cloned() else {
                continue;
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
                continue;
            };
            let fields = body.get("fields");
            let field = |name: &str| fields.and_then(|f| f.get(name));
            issues.push(Issue {
                label: String::new(),
                key: key.clone(),
                id,
                project: project.key.clone(),
                summary: text(field("summary")).unwrap_or_else(|| format!("Issue {key}")),
                description: text(field("description")).unwrap_or_default(),
                security: (seen_by != browse).then(|| seen_by.iter().cloned().collect()),
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
                    foreign_authors += 1;
                    continue;
                };
                attachments.push(Attachment {
                    label: String::new(),
                    id: aid,
                    issue: key.clone(),
                    filename: text(a.get("filename")).unwrap_or_else(|| "attachment".into()),
                    size: a.get("size").and_then(Value::as_u64).unwrap_or(0),
                    mime_type: text(a.get("mimeType"))
                        .unwrap_or_else(|| "application/octet-stream".into()),
                    author,
                    created: text(a.get("created")).unwrap_or_default(),
                });
            }
        }
    }
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

/// Worklogs: every page of each issue's listing as each principal who sees the issue, merged
/// (one principal's listing may lack what a restriction hides from it).
async fn worklogs(
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
        let mut ids: Vec<&String> = found.keys().collect();
        ids.sort_by_key(|id| id_order(id));
        if ids.len() > MAX_WORKLOGS_PER_ISSUE {
            run.note(
                Section::Worklogs,
                format!(
                    "{}: {} more worklogs left out",
                    issue.key,
                    ids.len() - MAX_WORKLOGS_PER_ISSUE
                ),
            );
            ids.truncate(MAX_WORKLOGS_PER_ISSUE);
        }
        for (id, w) in ids.into_iter().filter_map(|id| Some((id, found.get(id)?))) {
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

/// Dashboards: each principal's listing (`/dashboard`), each dashboard as its owner (or an
/// administrator) sees it, and its gadgets (`/dashboard/{id}/gadget`).
async fn dashboards(run: &mut Run<'_>, projects: &[Project]) -> Result<Vec<Dashboard>, InitError> {
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
        let path = format!("/rest/api/3/dashboard/{}/gadget", enc(&id));
        let items = match run.json(&viewer, &path).await? {
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
        };
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

/// Time tracking (`/configuration/timetracking`) and attachment settings (`/attachment/meta`).
async fn settings(run: &mut Run<'_>) -> Result<(TimeTracking, AttachmentSettings), InitError> {
    run.step("settings");
    let Some(who) = run.by_reach().into_iter().next() else {
        return Ok((TimeTracking::default(), AttachmentSettings::default()));
    };
    let answer = run
        .get(&who, "/rest/api/3/configuration/timetracking")
        .await?;
    let timetracking = match (answer.status, answer.ok()) {
        (204, _) => TimeTracking {
            enabled: false,
            ..TimeTracking::default()
        },
        (_, Some(v)) => {
            let default = TimeTracking::default();
            TimeTracking {
                enabled: true,
                provider_key: text(v.get("key")).unwrap_or(default.provider_key),
                provider_name: text(v.get("name")).unwrap_or(default.provider_name),
            }
        }
        _ => {
            run.note(
                Section::Settings,
                format!(
                    "time tracking could not be read (GET /configuration/timetracking answered {}); Jira's default assumed",
                    answer.status
                ),
            );
            TimeTracking::default()
        }
    };
    let attachment_settings = match run.json(&who, "/rest/api/3/attachment/meta").await? {
        Some(v) => {
            let default = AttachmentSettings::default();
            AttachmentSettings {
                enabled: v
                    .get("enabled")
                    .and_then(Value::as_bool)
                    .unwrap_or(default.enabled),
                upload_limit: v
                    .get("uploadLimit")
                    .and_then(Value::as_u64)
                    .unwrap_or(default.upload_limit),
            }
        }
        None => {
            run.note(
                Section::Settings,
                "attachment settings could not be read (GET /attachment/meta); Jira's default assumed",
            );
            AttachmentSettings::default()
        }
    };
    Ok((timetracking, attachment_settings))
}

/// Says so when no ordinary user has two unrestricted worklogs of its own on one issue: the
/// update cases change (and restore) such scratch worklogs, one per API version.
fn scratch_note(run: &mut Run<'_>, worklogs: &[Worklog]) {
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

/// Gives every entity its label: the label `like` gives the same entity (found by key, name or,
/// for worklogs and attachments, by issue and content) when there is one, else one derived from
/// its key or name; unique per kind.
pub(super) fn label(world: &mut World, like: Option<&World>) {
    /// Labels one kind: kept labels first, so a derived one never takes a kept one's place.
    fn kind<T>(
        items: &mut [T],
        kept: impl Fn(&T) -> Option<String>,
        derive: impl Fn(&T) -> (String, String),
        set: impl Fn(&mut T, String),
    ) {
        let mut l = Labeler::default();
        let mut done = vec![false; items.len()];
        for (n, item) in items.iter_mut().enumerate() {
            if let Some(label) = kept(item).and_then(|k| l.keep(&k)) {
                set(item, label);
                done[n] = true;
            }
        }
        for (n, item) in items.iter_mut().enumerate() {
            if !done[n] {
                let (text, fallback) = derive(item);
                let label = l.label(&text, &fallback);
                set(item, label);
            }
        }
    }
    let empty = World::default();
    let like = like.unwrap_or(&empty);
    kind(
        &mut world.projects,
        |p| {
            like.projects
                .iter()
                .find(|o| o.key == p.key)
                .map(|o| o.label.clone())
        },
        |p| (p.key.clone(), format!("project {}", p.id)),
        |p, l| p.label = l,
    );
    kind(
        &mut world.issues,
        |i| {
            like.issues
                .iter()
                .find(|o| o.key == i.key)
                .map(|o| o.label.clone())
        },
        |i| (i.key.clone(), format!("issue {}", i.id)),
        |i, l| i.label = l,
    );
    kind(
        &mut world.attachments,
        |a| {
            like.attachments
                .iter()
                .find(|o| o.issue == a.issue && o.filename == a.filename)
                .map(|o| o.label.clone())
        },
        |a| (a.filename.clone(), format!("attachment {}", a.id)),
        |a, l| a.label = l,
    );
    kind(
        &mut world.worklogs,
        |w| {
            like.worklogs
                .iter()
                .find(|o| o.issue == w.issue && o.author == w.author && o.started == w.started)
                .map(|o| o.label.clone())
        },
        |w| {
            (
                format!("{} {}", w.issue, w.author),
                format!("worklog {}", w.id),
            )
        },
        |w, l| w.label = l,
    );
    kind(
        &mut world.dashboards,
        |d| {
            like.dashboards
                .iter()
                .find(|o| o.name == d.name && o.owner == d.owner)
                .map(|o| o.label.clone())
        },
        |d| (d.name.clone(), format!("dashboard {}", d.id)),
        |d, l| d.label = l,
    );
    kind(
        &mut world.notification_schemes,
        |s| {
            like.notification_schemes
                .iter()
                .find(|o| o.name == s.name)
                .map(|o| o.label.clone())
        },
        |s| (s.name.clone(), format!("scheme {}", s.id)),
        |s, l| s.label = l,
    );
    kind(
        &mut world.roles,
        |r| {
            like.roles
                .iter()
                .find(|o| o.name == r.name)
                .map(|o| o.label.clone())
        },
        |r| (r.name.clone(), format!("role {}", r.id)),
        |r, l| r.label = l,
    );
}
