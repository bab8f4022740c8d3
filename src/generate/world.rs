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
        match &w.visibility {
            None => true,
            Some(Visibility::Group(g)) => self.in_group(p, g),
            Some(Visibility::Role(r)) => self.fixtures.world.roles.iter().any(|role| {
                role.name == *r
                    && role
                        .actors
                        .get(&issue.project)
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

/// Milliseconds since the epoch of a Jira timestamp (`2026-01-05T09:00:00.000+0000`), for the
/// `startedAfter` / `startedBefore` parameters.
pub fn jira_millis(ts: &str) -> Option<i64> {
    let num = |s: &str| s.parse::<i64>().ok();
    let (date, rest) = ts.split_once('T')?;
    let mut d = date.split('-');
    let (y, m, day) = (num(d.next()?)?, num(d.next()?)?, num(d.next()?)?);
    let (hms, offset) = rest.split_at(rest.find(['+', '-', 'Z']).unwrap_or(rest.len()));
    let mut t = hms.split(':');
    let (h, min) = (num(t.next()?)?, num(t.next()?)?);
    let secs = t.next().unwrap_or("0");
    let (s, ms) = secs.split_once('.').unwrap_or((secs, "0"));
    let (s, ms) = (num(s)?, num(ms)?);
    let offset_min = match offset.as_bytes().first() {
        Some(sign @ (b'+' | b'-')) => {
            let digits = offset[1..].replace(':', "");
            let v = num(digits.get(0..2)?)? * 60 + num(digits.get(2..4).unwrap_or("00"))?;
            if *sign == b'-' {
                -v
            } else {
                v
            }
        }
        _ => 0,
    };
    // Days from the civil date (proleptic Gregorian), after H. Hinnant's algorithm.
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + day - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    let days = era * 146_097 + doe - 719_468;
    Some(((days * 86_400 + h * 3600 + min * 60 + s) - offset_min * 60) * 1000 + ms)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn jira_timestamps_become_epoch_millis() {
        assert_eq!(jira_millis("1970-01-01T00:00:00.000+0000"), Some(0));
        assert_eq!(
            jira_millis("2026-01-05T09:00:00.000+0000"),
            Some(1_767_603_600_000)
        );
        assert_eq!(
            jira_millis("2026-01-05T10:00:00.000+0100"),
            Some(1_767_603_600_000)
        );
        assert_eq!(jira_millis("yesterday"), None);
    }

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
