//! The phrase table: the wording that names each permission, and where a statement names one.

use std::sync::OnceLock;

use regex::{Regex, RegexSet};

use super::{GlobalPermission, Grant, Permission, ProjectPermission};

/// The words that say a list's bullets are alternatives.
pub(super) fn list_cue_re() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| {
        super::pattern::compile(r"\b(?:either|one of|any of)\b").expect("valid regex")
    })
}

/// The phrases recognised in a statement (lower case, Markdown removed), each naming a
/// permission. Leftmost-first: a longer phrase comes before one it starts with.
const PHRASES: &[(&str, Permission)] = {
    use GlobalPermission as G;
    use Grant::*;
    use Permission::{Global, Grant as Gr, Project};
    use ProjectPermission as P;
    &[
        ("administer jira", Gr(AdministerJira)),
        ("jira admins?", Gr(AdministerJira)),
        ("administer projects?", Gr(AdministerProjects)),
        ("browse users and groups", Global(G::BrowseUsersAndGroups)),
        ("browse projects?", Gr(BrowseProjects)),
        ("permission to access jira", Gr(AccessJira)),
        ("access to jira", Gr(AccessJira)),
        ("calling user's", Gr(OwnRecord)),
        ("issue[- ]level security permission", Permission::IssueSecurity),
        (
            "issue[- ]level security is (?:configured|implemented), permission to view",
            Permission::IssueSecurity,
        ),
        (
            "belongs to the group or has the role(?: (?:role )?visibility is)+ restricted to",
            Permission::Visibility,
        ),
        (
            "the comment-level restriction will be applied",
            Permission::Visibility,
        ),
        ("site administration", Permission::SiteAdmin),
        ("site[- ]admins?", Permission::SiteAdmin),
        (
            "share dashboards and filters",
            Global(G::ShareDashboardsAndFilters),
        ),
        ("(?:global )?bulk change|make bulk changes", Global(G::BulkChange)),
        ("create shared objects", Global(G::CreateSharedObjects)),
        (
            "manage group filter subscriptions",
            Global(G::ManageGroupFilterSubscriptions),
        ),
        (
            "create (?:team-managed|next-gen) projects",
            Global(G::CreateTeamManagedProjects),
        ),
        ("create issues", Project(P::CreateIssues)),
        ("edit issues", Project(P::EditIssues)),
        ("delete issues", Project(P::DeleteIssues)),
        ("assign issues", Project(P::AssignIssues)),
        ("assignable user", Project(P::AssignableUser)),
        ("link issues", Project(P::LinkIssues)),
        ("transition issues", Project(P::TransitionIssues)),
        ("move issues", Project(P::MoveIssues)),
        ("resolve issues", Project(P::ResolveIssues)),
        ("close issues", Project(P::CloseIssues)),
        ("schedule issues", Project(P::ScheduleIssues)),
        ("modify reporter", Project(P::ModifyReporter)),
        ("set issue security", Project(P::SetIssueSecurity)),
        ("add comments", Project(P::AddComments)),
        ("edit all comments", Project(P::EditAllComments)),
        ("edit own comments", Project(P::EditOwnComments)),
        ("delete all comments", Project(P::DeleteAllComments)),
        ("delete own comments", Project(P::DeleteOwnComments)),
        ("create attachments", Project(P::CreateAttachments)),
        ("delete all attachments", Project(P::DeleteAllAttachments)),
        ("delete own attachments", Project(P::DeleteOwnAttachments)),
        ("work on issues", Project(P::WorkOnIssues)),
        ("edit all worklogs", Project(P::EditAllWorklogs)),
        ("edit own worklogs", Project(P::EditOwnWorklogs)),
        ("delete all worklogs", Project(P::DeleteAllWorklogs)),
        ("delete own worklogs", Project(P::DeleteOwnWorklogs)),
        ("view voters and watchers", Project(P::ViewVotersAndWatchers)),
        ("manage watcher list|manage watchers", Project(P::ManageWatchers)),
        (
            r"view \(read-only\) workflows?",
            Project(P::ViewReadOnlyWorkflow),
        ),
        ("edit workflows?", Project(P::EditWorkflows)),
        ("manage sprints?", Project(P::ManageSprints)),
        ("view development tools", Project(P::ViewDevelopmentTools)),
        (
            "the user must own the (?:filter|dashboard)|must be the owner of the (?:filter|dashboard)|owned by the user|creator of the (?:filter|dashboard|task)",
            Permission::Owner,
        ),
        (
            "shared with (?:a group that the user is a member of|a public project|the public|them)",
            Permission::Shared,
        ),
        (
            r"only (?:connect|forge|oauth 2\.0)(?: apps?)?(?:,? (?:and|or) (?:connect|forge|oauth 2\.0)(?: apps?)?)* can (?:make this request|use this operation)",
            Permission::AppOnly,
        ),
        (
            "only accessible to apps(?: and apps can only [a-z]+ their own [a-z]+)?",
            Permission::AppOnly,
        ),
        (
            "only the app that (?:owns|created) the custom field(?: or custom field type)?",
            Permission::OwningApp,
        ),
        (
            "jira permissions are not required for the (?:forge )?app (?:that (?:provided|created|owns)|providing) the (?:custom )?field(?: type)?",
            Permission::OwningApp,
        ),
        ("only a connect app whose key matches", Permission::OwningApp),
        (
            "forge apps can access connect app properties",
            Permission::OwningApp,
        ),
    ]
};

/// Jira products whose names start like "access to Jira": not access to Jira itself.
const OTHER_PRODUCTS: [&str; 4] = [
    " software",
    " service management",
    " work management",
    " product discovery",
];

fn phrase_re() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| {
        let alternatives: Vec<String> = PHRASES.iter().map(|(p, _)| format!("({p})")).collect();
        super::pattern::compile(&format!(r"\b(?:{})\b", alternatives.join("|")))
            .expect("valid regex")
    })
}

/// "None": at the start of a statement, or after "otherwise". (Ending a statement after a comma,
/// "for system avatars, none.", is [`none_at_end`]: `\W*$` would need Unicode classes, whose
/// automaton costs a fresh `list` more than the rest of this table.)
fn none_re() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| {
        super::pattern::compile(r"^(none)\b|\botherwise,? (none)\b").expect("valid regex")
    })
}

/// Where "none" ends `lower` after a comma, before nothing but punctuation and spaces.
fn none_at_end(lower: &str) -> Option<usize> {
    let kept = lower.trim_end_matches(|c: char| !(c.is_alphanumeric() || c == '_'));
    kept.ends_with(", none").then(|| kept.len() - "none".len())
}

#[derive(Debug, Clone, Copy)]
pub(super) struct Mention {
    pub(super) start: usize,
    pub(super) end: usize,
    pub(super) permission: Permission,
}

/// Each phrase alone, anchored: the phrases that match where a match of [`phrase_re`] starts.
fn phrase_set() -> &'static RegexSet {
    static SET: OnceLock<RegexSet> = OnceLock::new();
    SET.get_or_init(|| {
        super::pattern::compile_set(PHRASES.iter().map(|(p, _)| format!(r"\A(?:{p})\b")))
            .expect("valid regex")
    })
}

/// The phrase a match of [`phrase_re`] at the start of `tail` took: the first phrase that
/// matches there, as leftmost-first alternation prefers it (what the phrase's capture group
/// says, without running a capture engine over sixty groups for every match).
fn phrase_at(tail: &str) -> Option<usize> {
    phrase_set().matches(tail).iter().next()
}

pub(super) fn mentions(lower: &str) -> Vec<Mention> {
    let mut out = Vec::new();
    for m in phrase_re().find_iter(lower) {
        let Some(i) = phrase_at(&lower[m.start()..]) else {
            continue;
        };
        let permission = PHRASES[i].1;
        if permission == Permission::Grant(Grant::AccessJira)
            && OTHER_PRODUCTS
                .iter()
                .any(|p| lower[m.end()..].starts_with(p))
        {
            continue;
        }
        out.push(Mention {
            start: m.start(),
            end: m.end(),
            permission,
        });
    }
    let none = none_re()
        .captures(lower)
        .and_then(|caps| caps.iter().skip(1).flatten().next().map(|m| m.start()))
        .or_else(|| none_at_end(lower));
    if let Some(start) = none {
        out.push(Mention {
            start,
            end: start + "none".len(),
            permission: Permission::Grant(Grant::Anyone),
        });
    }
    out.sort_by_key(|m| m.start);
    out
}

/// Builds this file's patterns now (see [`super::warm_up`]).
pub(super) fn warm_up() {
    list_cue_re();
    phrase_re();
    none_re();
    phrase_set();
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_phrase_of_a_match_is_its_capture_group() {
        let texts = [
            "administer jira global permission and browse projects project permission",
            "jira admins, site admin, administer project, administer projects",
            "access to jira software, access to jira, permission to access jira",
            "global bulk change, make bulk changes, bulk change",
            "issue-level security permission; issue level security is configured, permission to view",
            "view (read-only) workflow, edit workflows, manage sprint",
            "only connect and forge apps can make this request. only oauth 2.0 can use this operation",
            "the user must own the filter or shared with the public or owned by the user",
            "xadminister jira, administer jiras, é administer jira é",
        ];
        for text in texts {
            let by_groups: Vec<(usize, usize, usize)> = phrase_re()
                .captures_iter(text)
                .filter_map(|caps| {
                    let (i, m) = caps
                        .iter()
                        .skip(1)
                        .enumerate()
                        .find_map(|(i, m)| Some((i, m?)))?;
                    Some((i, m.start(), m.end()))
                })
                .collect();
            let by_set: Vec<(usize, usize, usize)> = phrase_re()
                .find_iter(text)
                .filter_map(|m| Some((phrase_at(&text[m.start()..])?, m.start(), m.end())))
                .collect();
            assert!(!by_groups.is_empty(), "{text}");
            assert_eq!(by_set, by_groups, "{text}");
        }
    }

    #[test]
    fn none_ends_a_statement_only_after_a_comma_and_before_punctuation() {
        fn at(text: &str) -> Option<(usize, &str)> {
            mentions(text)
                .iter()
                .find(|m| m.permission == Permission::Grant(Grant::Anyone))
                .map(|m| (m.start, &text[m.start..m.end]))
        }
        assert_eq!(at("for system avatars, none."), Some((20, "none")));
        assert_eq!(at("for system avatars, none .) "), Some((20, "none")));
        assert_eq!(at("none."), Some((0, "none")));
        assert_eq!(at("browse projects, otherwise none"), Some((27, "none")));
        assert_eq!(at("for system avatars, none of them"), None);
        assert_eq!(at("for system avatars none."), None);
        assert_eq!(at("for system avatars, nonexistent."), None);
    }

    #[test]
    fn every_permission_has_a_name() {
        use std::collections::BTreeSet;
        let names: BTreeSet<String> = PHRASES.iter().map(|(_, p)| p.to_string()).collect();
        assert!(names.len() > 40, "{names:?}");
        assert!(names.contains("project: Edit issues"));
        assert_eq!(
            Permission::Grant(Grant::AdministerJira).as_grant(),
            Some(Grant::AdministerJira)
        );
        assert_eq!(Permission::AppOnly.as_grant(), None);
    }
}
