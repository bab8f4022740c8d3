//! The generator's reading of the fixtures' world: who may see which issue, worklog and
//! dashboard, who owns a dashboard, who administers a project, as the documentation states the
//! rules. The reference mock implements the same rules separately; the two meet only in the
//! fixtures file.

use crate::fixtures::{
    Attachment, Dashboard, Fixtures, Issue, NotificationScheme, Principal, Project, Share,
    Visibility, Worklog,
};

/// Rules of visibility and ownership over one fixtures file.
#[derive(Clone, Copy)]
pub struct WorldView<'a> {
    fixtures: &'a Fixtures,
}

impl<'a> WorldView<'a> {
    /// A view of these fixtures.
    pub fn new(fixtures: &'a Fixtures) -> WorldView<'a> {
        WorldView { fixtures }
    }

    /// The fixtures this view reads.
    pub(super) fn fixtures(&self) -> &'a Fixtures {
        self.fixtures
    }

    fn project(&self, key: &str) -> Option<&'a Project> {
        self.fixtures.world.project(key)
    }

    fn in_group(&self, p: &Principal, group: &str) -> bool {
        self.fixtures
            .world
            .group(group)
            .is_some_and(|g| g.members.contains(&p.name))
    }

    /// *Browse projects* in the project.
    pub fn browses(&self, p: &Principal, project: &str) -> bool {
        self.project(project)
            .is_some_and(|pr| pr.browse.contains(&p.name))
    }

    /// *Administer projects* in the project, or *Administer Jira*.
    pub fn administers(&self, p: &Principal, project: &Project) -> bool {
        p.admin || project.administer.contains(&p.name)
    }

    /// Browse permission on the issue's project and, with issue security, a place in it.
    pub fn sees_issue(&self, p: &Principal, issue: &Issue) -> bool {
        self.browses(p, &issue.project)
            && issue.security.as_ref().is_none_or(|s| s.contains(&p.name))
    }

    /// The issue an attachment or worklog belongs to.
    pub fn issue(&self, key: &str) -> Option<&'a Issue> {
        self.fixtures.world.issue(key)
    }

    /// Whether the attachment's issue is visible.
    pub fn sees_attachment(&self, p: &Principal, a: &Attachment) -> bool {
        self.issue(&a.issue).is_some_and(|i| self.sees_issue(p, i))
    }

    /// Whether the issue's project hides the *Log work* field.
    pub fn worklogs_hidden(&self, issue: &Issue) -> bool {
        self.project(&issue.project)
            .is_some_and(|p| p.worklog_field_hidden)
    }

    /// The issue is visible, the Log work field shown, and any restriction admits `p`.
    pub fn sees_worklog(&self, p: &Principal, w: &Worklog) -> bool {
        let Some(issue) = self.issue(&w.issue) else {
            return false;
        };
        if !self.sees_issue(p, issue) || self.worklogs_hidden(issue) {
            return false;
        }
        self.admits(p, &issue.project, w.visibility.as_ref())
    }

    /// Whether a restriction to a group or role (on a worklog or comment of an issue in
    /// `project`) admits `p`: a member of the group, an actor of the role in the project.
    pub fn admits(&self, p: &Principal, project: &str, visibility: Option<&Visibility>) -> bool {
        match visibility {
            None => true,
            Some(Visibility::Group(g)) => self.in_group(p, g),
            Some(Visibility::Role(r)) => self.fixtures.world.roles.iter().any(|role| {
                role.name == *r
                    && role
                        .actors
                        .get(project)
                        .is_some_and(|a| a.contains(&p.name))
            }),
        }
    }

    /// The worklogs of an issue `p` may see, in id order.
    pub fn visible_worklogs(&self, p: &Principal, issue: &Issue) -> Vec<&'a Worklog> {
        self.fixtures
            .world
            .worklogs
            .iter()
            .filter(|w| w.issue == issue.key && self.sees_worklog(p, w))
            .collect()
    }

    /// The owner, anyone it is shared with, and everyone for the system dashboard.
    pub fn sees_dashboard(&self, p: &Principal, d: &Dashboard) -> bool {
        d.system
            || d.owner.as_deref() == Some(p.name.as_str())
            || d.shared_with.iter().any(|s| match s {
                Share::Global | Share::LoggedIn => true,
                Share::User(u) => *u == p.name,
                Share::Group(g) => self.in_group(p, g),
                Share::Project(k) => self.browses(p, k),
            })
    }

    /// The owner; administrators own the system dashboard.
    pub fn owns_dashboard(&self, p: &Principal, d: &Dashboard) -> bool {
        if d.system {
            p.admin
        } else {
            d.owner.as_deref() == Some(p.name.as_str())
        }
    }

    /// The notification schemes `p` may see (those of projects it administers), by name.
    pub fn visible_schemes(&self, p: &Principal) -> Vec<&'a NotificationScheme> {
        let world = &self.fixtures.world;
        let mut schemes: Vec<&NotificationScheme> = world
            .notification_schemes
            .iter()
            .filter(|s| {
                p.admin
                    || world.projects.iter().any(|pr| {
                        pr.notification_scheme.as_deref() == Some(s.id.as_str())
                            && self.administers(p, pr)
                    })
            })
            .collect();
        schemes.sort_by(|a, b| {
            a.name
                .to_lowercase()
                .cmp(&b.name.to_lowercase())
                .then_with(|| a.id.cmp(&b.id))
        });
        schemes
    }

    /// The first dashboard `p` owns that has an item, with that item.
    pub fn owned_dashboard_item(&self, p: &Principal) -> Option<(&'a Dashboard, &'a str)> {
        self.fixtures
            .world
            .dashboards
            .iter()
            .filter(|d| !d.system && self.owns_dashboard(p, d))
            .find_map(|d| d.items.first().map(|i| (d, i.as_str())))
    }

    /// The first issue `p` may see whose worklogs are shown.
    pub fn readable_issue(&self, p: &Principal) -> Option<&'a Issue> {
        self.fixtures
            .world
            .issues
            .iter()
            .find(|i| self.sees_issue(p, i) && !self.worklogs_hidden(i))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_embedded_world_hides_a_restricted_worklog_from_alice() {
        let f = Fixtures::embedded().unwrap();
        let view = WorldView::new(&f);
        let alice = f.principal("alice").unwrap();
        let bob = f.principal("bob").unwrap();
        let restricted = f
            .world
            .worklogs
            .iter()
            .find(|w| w.visibility.is_some())
            .unwrap();
        assert!(!view.sees_worklog(alice, restricted));
        assert!(view.sees_worklog(bob, restricted));
    }
}
