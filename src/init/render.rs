//! What a discovery found, as the commented fixtures text: labels for tables, `token_env` (or
//! `bearer_env`) for credentials, and a comment on everything that could not be learned or was
//! left out. Pure: the same discovery gives the same text.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use super::{AuthSpec, Discovery, Note, Section};
use crate::fixtures::{Share, Visibility, World};

/// A TOML basic string.
fn quote(text: &str) -> String {
    let mut out = String::from("\"");
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            c if c.is_control() => {
                let _ = write!(out, "\\u{:04X}", u32::from(c));
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

fn list(items: &[String]) -> String {
    let quoted: Vec<String> = items.iter().map(|i| quote(i)).collect();
    format!("[{}]", quoted.join(", "))
}

/// A comment, one `# ` line per line of text (so no text can end the comment early).
fn comment(out: &mut String, text: &str) {
    for line in text.lines() {
        let _ = writeln!(out, "# {line}");
    }
}

fn notes(out: &mut String, notes: &[Note], section: Section) {
    for n in notes.iter().filter(|n| n.section == section) {
        let clean: String = n
            .text
            .chars()
            .map(|c| if c.is_control() { ' ' } else { c })
            .collect();
        let _ = writeln!(out, "# Note: {clean}");
    }
}

/// The fixtures text for a discovery: the header and the principals, then the world one
/// table kind after another, each with the notes on its section.
pub fn render(d: &Discovery) -> String {
    let mut out = String::new();
    header(&mut out, d);
    principals(&mut out, d);
    out.push_str("\n# ---- The world the principals see ----\n\n");
    settings(&mut out, d);
    groups(&mut out, d);
    let labels = Labels::of(&d.world);
    projects(&mut out, d, &labels);
    issues(&mut out, d, &labels);
    attachments(&mut out, d, &labels);
    worklogs(&mut out, d, &labels);
    comments(&mut out, d, &labels);
    dashboards(&mut out, d, &labels);
    notification_schemes(&mut out, d);
    roles(&mut out, d, &labels);
    out
}

/// The labels other tables refer to entities by: projects and issues by key, schemes by id.
struct Labels<'w> {
    project: BTreeMap<&'w str, &'w str>,
    issue: BTreeMap<&'w str, &'w str>,
    scheme: BTreeMap<&'w str, &'w str>,
}

impl<'w> Labels<'w> {
    fn of(w: &'w World) -> Self {
        Labels {
            project: w
                .projects
                .iter()
                .map(|p| (p.key.as_str(), p.label.as_str()))
                .collect(),
            issue: w
                .issues
                .iter()
                .map(|i| (i.key.as_str(), i.label.as_str()))
                .collect(),
            scheme: w
                .notification_schemes
                .iter()
                .map(|s| (s.id.as_str(), s.label.as_str()))
                .collect(),
        }
    }

    /// The label `map` gives `key`, or `key` itself when it names nothing described.
    fn in_map(map: &BTreeMap<&str, &str>, key: &str) -> String {
        map.get(key)
            .map_or_else(|| key.to_string(), |l| (*l).to_string())
    }

    fn project(&self, key: &str) -> String {
        Self::in_map(&self.project, key)
    }

    fn issue(&self, key: &str) -> String {
        Self::in_map(&self.issue, key)
    }

    fn scheme(&self, id: &str) -> String {
        Self::in_map(&self.scheme, id)
    }
}

/// What wrote the file and how to read it, the target, and the word on writes.
fn header(out: &mut String, d: &Discovery) {
    comment(
        out,
        &format!(
            "Fixtures for {} written by `jira-conform init` from what the principals below could see\n\
             ({} GET requests). Review them: every `# Note:` says what could not be learned or was left\n\
             out. Tokens are read from the environment variables named here; the file holds none.",
            d.base_url, d.requests
        ),
    );
    out.push('\n');
    let _ = writeln!(out, "profile = {}", quote(&d.profile));
    let _ = writeln!(out, "base_url = {}", quote(&d.base_url));
    out.push('\n');
    comment(
        out,
        "Against a target that is not on this machine, writing cases are skipped unless you pass\n\
         --allow-writes (or set run.allow_writes = true); nothing here allows them.",
    );
}

/// `[principals.NAME]`: account, name, admin, and the variable that holds the token.
fn principals(out: &mut String, d: &Discovery) {
    notes(out, &d.notes, Section::Principals);
    for p in &d.principals {
        let _ = writeln!(out, "\n[principals.{}]", p.name);
        let _ = writeln!(out, "account_id = {}", quote(&p.account_id));
        let _ = writeln!(out, "display_name = {}", quote(&p.display_name));
        if p.admin {
            let _ = writeln!(out, "admin = true");
        }
        match &p.auth {
            AuthSpec::Basic { email, token_env } => {
                let _ = writeln!(out, "email = {}", quote(email));
                let _ = writeln!(out, "token_env = {}", quote(token_env));
            }
            AuthSpec::Bearer { token_env } => {
                let _ = writeln!(out, "bearer_env = {}", quote(token_env));
            }
        }
    }
}

/// `[timetracking]` and `[attachment_settings]`.
fn settings(out: &mut String, d: &Discovery) {
    let w = &d.world;
    notes(out, &d.notes, Section::Settings);
    let _ = writeln!(out, "[timetracking]");
    let _ = writeln!(out, "enabled = {}", w.timetracking.enabled);
    let _ = writeln!(
        out,
        "provider_key = {}",
        quote(&w.timetracking.provider_key)
    );
    let _ = writeln!(
        out,
        "provider_name = {}",
        quote(&w.timetracking.provider_name)
    );
    let _ = writeln!(out, "\n[attachment_settings]");
    let _ = writeln!(out, "enabled = {}", w.attachment_settings.enabled);
    let _ = writeln!(out, "upload_limit = {}", w.attachment_settings.upload_limit);
}

/// `[groups]`: each group with its member principals.
fn groups(out: &mut String, d: &Discovery) {
    out.push_str("\n# Groups that worklog visibility, dashboard shares or notifications name, with their member principals.\n");
    notes(out, &d.notes, Section::Groups);
    let _ = writeln!(out, "[groups]");
    for g in &d.world.groups {
        let _ = writeln!(out, "{} = {}", quote(&g.name), list(&g.members));
    }
}

/// `[projects.LABEL]`: who browses, administers, edits all worklogs and edits all or their own
/// comments, and the scheme.
fn projects(out: &mut String, d: &Discovery, labels: &Labels<'_>) {
    out.push_str(
        "\n# Projects: who browses, administers, edits all worklogs and edits comments (from /mypermissions).\n",
    );
    notes(out, &d.notes, Section::Projects);
    for p in &d.world.projects {
        let _ = writeln!(out, "\n[projects.{}]", p.label);
        let _ = writeln!(out, "key = {}", quote(&p.key));
        let _ = writeln!(out, "id = {}", quote(&p.id));
        let _ = writeln!(out, "name = {}", quote(&p.name));
        let _ = writeln!(out, "browse = {}", list(&p.browse));
        let _ = writeln!(out, "administer = {}", list(&p.administer));
        if !p.edit_all_worklogs.is_empty() {
            let _ = writeln!(out, "edit_all_worklogs = {}", list(&p.edit_all_worklogs));
        }
        if !p.edit_all_comments.is_empty() {
            let _ = writeln!(out, "edit_all_comments = {}", list(&p.edit_all_comments));
        }
        if let Some(own) = &p.edit_own_comments {
            let _ = writeln!(out, "edit_own_comments = {}", list(own));
        }
        match &p.notification_scheme {
            Some(s) => {
                let _ = writeln!(out, "notification_scheme = {}", quote(&labels.scheme(s)));
            }
            None => out.push_str(
                "# notification_scheme: not learned (no principal may list the scheme it uses)\n",
            ),
        }
        if p.worklog_field_hidden {
            let _ = writeln!(out, "worklog_field_hidden = true");
        }
    }
}

/// `[issues.LABEL]`, with `security` where some browsers of the project cannot see one.
fn issues(out: &mut String, d: &Discovery, labels: &Labels<'_>) {
    out.push_str("\n# Issues: `security` lists who sees an issue that some principals browsing its project cannot.\n");
    notes(out, &d.notes, Section::Issues);
    for i in &d.world.issues {
        let _ = writeln!(out, "\n[issues.{}]", i.label);
        let _ = writeln!(out, "key = {}", quote(&i.key));
        let _ = writeln!(out, "id = {}", quote(&i.id));
        let _ = writeln!(out, "project = {}", quote(&labels.project(&i.project)));
        let _ = writeln!(out, "summary = {}", quote(&i.summary));
        if !i.description.is_empty() {
            let _ = writeln!(out, "description = {}", quote(&i.description));
        }
        if let Some(level) = &i.security {
            let _ = writeln!(out, "security = {}", list(level));
        }
    }
}

/// `[attachments.LABEL]`.
fn attachments(out: &mut String, d: &Discovery, labels: &Labels<'_>) {
    out.push('\n');
    notes(out, &d.notes, Section::Attachments);
    for a in &d.world.attachments {
        let _ = writeln!(out, "\n[attachments.{}]", a.label);
        let _ = writeln!(out, "id = {}", quote(&a.id));
        let _ = writeln!(out, "issue = {}", quote(&labels.issue(&a.issue)));
        let _ = writeln!(out, "filename = {}", quote(&a.filename));
        let _ = writeln!(out, "size = {}", a.size);
        let _ = writeln!(out, "mime_type = {}", quote(&a.mime_type));
        let _ = writeln!(out, "author = {}", quote(&a.author));
        let _ = writeln!(out, "created = {}", quote(&a.created));
    }
}

/// `[worklogs.LABEL]`, with `visibility` where a group or role restricts one.
fn worklogs(out: &mut String, d: &Discovery, labels: &Labels<'_>) {
    out.push_str("\n# Worklogs: every page of each issue's listing, as every principal who sees the issue.\n");
    notes(out, &d.notes, Section::Worklogs);
    for l in &d.world.worklogs {
        let _ = writeln!(out, "\n[worklogs.{}]", l.label);
        let _ = writeln!(out, "id = {}", quote(&l.id));
        let _ = writeln!(out, "issue = {}", quote(&labels.issue(&l.issue)));
        let _ = writeln!(out, "author = {}", quote(&l.author));
        let _ = writeln!(out, "time_spent_seconds = {}", l.time_spent_seconds);
        let _ = writeln!(out, "started = {}", quote(&l.started));
        let _ = writeln!(out, "comment = {}", quote(&l.comment));
        visibility(out, l.visibility.as_ref());
    }
}

/// A worklog's or comment's `visibility` line, where a group or role restricts it.
fn visibility(out: &mut String, visibility: Option<&Visibility>) {
    match visibility {
        Some(Visibility::Group(g)) => {
            let _ = writeln!(out, "visibility = {}", quote(&format!("group:{g}")));
        }
        Some(Visibility::Role(r)) => {
            let _ = writeln!(out, "visibility = {}", quote(&format!("role:{r}")));
        }
        None => {}
    }
}

/// `[comments.LABEL]`, with `visibility` where a group or role restricts one.
fn comments(out: &mut String, d: &Discovery, labels: &Labels<'_>) {
    out.push_str("\n# Comments: every page of each issue's listing, as every principal who sees the issue.\n");
    notes(out, &d.notes, Section::Comments);
    for c in &d.world.comments {
        let _ = writeln!(out, "\n[comments.{}]", c.label);
        let _ = writeln!(out, "id = {}", quote(&c.id));
        let _ = writeln!(out, "issue = {}", quote(&labels.issue(&c.issue)));
        let _ = writeln!(out, "author = {}", quote(&c.author));
        let _ = writeln!(out, "body = {}", quote(&c.body));
        visibility(out, c.visibility.as_ref());
    }
}

/// `[dashboards.LABEL]`: owner, shares and gadgets.
fn dashboards(out: &mut String, d: &Discovery, labels: &Labels<'_>) {
    out.push_str("\n# Dashboards each principal lists, with owner, sharing and gadgets (items).\n");
    notes(out, &d.notes, Section::Dashboards);
    for b in &d.world.dashboards {
        let _ = writeln!(out, "\n[dashboards.{}]", b.label);
        let _ = writeln!(out, "id = {}", quote(&b.id));
        let _ = writeln!(out, "name = {}", quote(&b.name));
        if b.system {
            let _ = writeln!(out, "system = true");
        }
        if let Some(o) = &b.owner {
            let _ = writeln!(out, "owner = {}", quote(o));
        }
        let shares: Vec<String> = b
            .shared_with
            .iter()
            .map(|s| match s {
                Share::Global => "global".to_string(),
                Share::LoggedIn => "loggedin".to_string(),
                Share::User(u) => format!("user:{u}"),
                Share::Group(g) => format!("group:{g}"),
                Share::Project(k) => format!("project:{}", labels.project(k)),
            })
            .collect();
        if !shares.is_empty() {
            let _ = writeln!(out, "shared_with = {}", list(&shares));
        }
        let _ = writeln!(out, "items = {}", list(&b.items));
    }
}

/// `[notification_schemes.LABEL]`: each event with its recipients.
fn notification_schemes(out: &mut String, d: &Discovery) {
    out.push_str("\n# Notification schemes, with their events and recipients (principals by name, roles by name).\n");
    notes(out, &d.notes, Section::NotificationSchemes);
    for s in &d.world.notification_schemes {
        let _ = writeln!(out, "\n[notification_schemes.{}]", s.label);
        let _ = writeln!(out, "id = {}", quote(&s.id));
        let _ = writeln!(out, "name = {}", quote(&s.name));
        if let Some(desc) = &s.description {
            let _ = writeln!(out, "description = {}", quote(desc));
        }
        out.push_str("events = [\n");
        for e in &s.events {
            let recipients: Vec<String> = e
                .recipients
                .iter()
                .map(|r| match &r.parameter {
                    Some(p) => format!("{}:{p}", r.kind),
                    None => r.kind.clone(),
                })
                .collect();
            let _ = writeln!(
                out,
                "    {{ id = {}, name = {}, recipients = {} }},",
                e.id,
                quote(&e.name),
                list(&recipients)
            );
        }
        out.push_str("]\n");
    }
}

/// `[roles.LABEL]`: the actors per project (principals only).
fn roles(out: &mut String, d: &Discovery, labels: &Labels<'_>) {
    out.push_str("\n# Project roles, with their actors per project (principals only).\n");
    notes(out, &d.notes, Section::Roles);
    for r in &d.world.roles {
        let _ = writeln!(out, "\n[roles.{}]", r.label);
        let _ = writeln!(out, "id = {}", quote(&r.id));
        let _ = writeln!(out, "name = {}", quote(&r.name));
        let _ = writeln!(out, "description = {}", quote(&r.description));
        let actors: Vec<String> = r
            .actors
            .iter()
            .map(|(k, who)| format!("{} = {}", labels.project(k), list(who)))
            .collect();
        let _ = writeln!(out, "actors = {{ {} }}", actors.join(", "));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fixtures::{Fixtures, Issue, Project};
    use crate::init::FoundPrincipal;

    fn discovery() -> Discovery {
        let mut world = crate::fixtures::World::default();
        world.projects.push(Project {
            label: "odd".into(),
            key: "ODD".into(),
            id: "1".into(),
            name: "A \"quoted\"\nname\u{7}".into(),
            browse: vec!["bot".into()],
            administer: Vec::new(),
            edit_all_worklogs: Vec::new(),
            edit_all_comments: Vec::new(),
            edit_own_comments: None,
            notification_scheme: None,
            worklog_field_hidden: false,
        });
        world.issues.push(Issue {
            label: "odd_1".into(),
            key: "ODD-1".into(),
            id: "2".into(),
            project: "ODD".into(),
            summary: "back\\slash # not a comment".into(),
            description: String::new(),
            security: None,
        });
        Discovery {
            base_url: "https://acme.atlassian.net".into(),
            profile: "acme".into(),
            principals: vec![FoundPrincipal {
                name: "bot".into(),
                auth: AuthSpec::Bearer {
                    token_env: "BOT_TOKEN".into(),
                },
                account_id: "712020:abc".into(),
                display_name: "Bot".into(),
                admin: false,
            }],
            world,
            notes: vec![Note {
                section: Section::Issues,
                text: "a note\nwith a line break that must stay a comment".into(),
            }],
            requests: 7,
        }
    }

    #[test]
    fn the_text_loads_keeps_odd_names_and_says_every_note_in_a_comment() {
        let d = discovery();
        let text = render(&d);
        let f = Fixtures::parse(&text, "t.toml", &|v| (v == "BOT_TOKEN").then(|| "x".into()))
            .unwrap_or_else(|e| panic!("{e}\n{text}"));
        assert_eq!(f.world.projects[0].name, d.world.projects[0].name);
        assert_eq!(f.world.issues[0].summary, d.world.issues[0].summary);
        assert_eq!(f.base_url.as_deref(), Some("https://acme.atlassian.net"));
        assert!(text.contains("bearer_env = \"BOT_TOKEN\""), "{text}");
        assert!(
            text.contains("# Note: a note with a line break that must stay a comment"),
            "{text}"
        );
        assert!(
            text.contains("# notification_scheme: not learned"),
            "{text}"
        );
        assert!(!f.run.allow_writes, "init never allows writes");
        // Pure: the same discovery, the same text.
        assert_eq!(render(&d), text);
    }
}
