//! Labels for the fixtures' tables, derived from keys and names: lower case, runs of other
//! characters made one `_`, unique within a kind; or kept from another site's fixtures, so the
//! cases of two sites line up.

use std::collections::BTreeSet;

use crate::fixtures::World;

/// Hands out unique labels for one kind of entity.
#[derive(Debug, Default)]
pub(super) struct Labeler {
    used: BTreeSet<String>,
}

impl Labeler {
    /// Takes `label` as it is (a label kept from another file), if it is still free.
    pub(super) fn keep(&mut self, label: &str) -> Option<String> {
        self.used
            .insert(label.to_string())
            .then(|| label.to_string())
    }

    /// A label from `text` (a key or a name), or from `fallback` when `text` has no letter or
    /// digit; `_2`, `_3`… added until it is unused.
    pub(super) fn label(&mut self, text: &str, fallback: &str) -> String {
        let mut base = slug(text);
        if base.is_empty() {
            base = slug(fallback);
        }
        if base.is_empty() {
            base = "entity".into();
        }
        let mut label = base.clone();
        let mut n = 2;
        while self.used.contains(&label) {
            label = format!("{base}_{n}");
            n += 1;
        }
        self.used.insert(label.clone());
        label
    }
}

/// Lower-case ASCII letters and digits; apostrophes dropped; every other run one `_`.
pub(super) fn slug(text: &str) -> String {
    let mut out = String::new();
    let mut gap = false;
    for c in text.chars().filter(|c| !matches!(c, '\'' | '\u{2019}')) {
        if c.is_ascii_alphanumeric() {
            if gap && !out.is_empty() {
                out.push('_');
            }
            gap = false;
            out.push(c.to_ascii_lowercase());
        } else {
            gap = true;
        }
    }
    // Long names make unwieldy case ids.
    out.chars()
        .take(40)
        .collect::<String>()
        .trim_end_matches('_')
        .to_string()
}

/// Gives every entity its label: the label `like` gives the same entity (found by key, name or,
/// for worklogs, comments and attachments, by issue and content) when there is one, else one
/// derived from its key or name; unique per kind.
pub(super) fn label_world(world: &mut World, like: Option<&World>) {
    let empty = World::default();
    let like = like.unwrap_or(&empty);
    label_issues_and_projects(world, like);
    label_records(world, like);
}

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

/// Projects and issues, by key; attachments, by issue and file name.
fn label_issues_and_projects(world: &mut World, like: &World) {
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
}

/// What hangs off issues and projects (worklogs and comments, by issue and content) and the
/// site's own entities (dashboards, notification schemes, roles, by name).
fn label_records(world: &mut World, like: &World) {
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
        &mut world.comments,
        |c| {
            like.comments
                .iter()
                .find(|o| o.issue == c.issue && o.author == c.author && o.body == c.body)
                .map(|o| o.label.clone())
        },
        |c| {
            (
                format!("{} {}", c.issue, c.author),
                format!("comment {}", c.id),
            )
        },
        |c, l| c.label = l,
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_are_slugs_and_unique() {
        let mut l = Labeler::default();
        assert_eq!(l.label("CONF-1", "x"), "conf_1");
        assert_eq!(
            l.label("Alice's private board", "x"),
            "alices_private_board"
        );
        assert_eq!(l.label("conf 1", "x"), "conf_1_2");
        assert_eq!(l.label("日本", "dashboard 7"), "dashboard_7");
        assert_eq!(l.label("", ""), "entity");
    }
}
