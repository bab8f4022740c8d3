//! What one mock instance knows: its users (the fixtures' principals), the faults it was given,
//! the fixtures' world, and the stores of what requests change.

use std::collections::BTreeSet;
use std::sync::Arc;

use serde_json::{json, Map, Value};

use crate::fixtures::{Fixtures, Principal, Share, World};

use super::entity_properties::store::{Entries, Store as PropertyStore};
use super::faults::Fault;
use super::project_roles::store::Store as RoleStore;
use super::worklogs::store::Store as WorklogStore;

/// The state shared by every request to one mock: cheap to clone, safe to use concurrently.
#[derive(Debug, Clone)]
pub struct MockState {
    inner: Arc<Inner>,
}

#[derive(Debug)]
struct Inner {
    users: Vec<Principal>,
    faults: BTreeSet<Fault>,
    /// The user properties, by account id.
    user_properties: PropertyStore<String>,
    world: World,
    worklogs: WorklogStore,
    /// The dashboard item properties, by (dashboard id, item id).
    item_properties: PropertyStore<(String, String)>,
    roles: RoleStore,
    /// The issue properties, by issue id.
    issue_properties: PropertyStore<String>,
    /// The project properties, by project id.
    project_properties: PropertyStore<String>,
    /// The worklog properties, by worklog id.
    worklog_properties: PropertyStore<String>,
    /// The comment properties, by comment id.
    comment_properties: PropertyStore<String>,
}

impl MockState {
    /// A fresh mock whose users are the fixtures' principals, with no properties set and the
    /// given faults switched on.
    pub fn new(fixtures: &Fixtures, faults: &[Fault]) -> MockState {
        let unchecked = faults.contains(&Fault::PermissionsUnchecked);
        let (users, world) = if unchecked {
            everyone_may_do_everything(&fixtures.principals, &fixtures.world)
        } else {
            (fixtures.principals.clone(), fixtures.world.clone())
        };
        MockState {
            inner: Arc::new(Inner {
                users,
                faults: faults.iter().copied().collect(),
                // The fixtures describe no properties, so every property store starts empty.
                user_properties: PropertyStore::default(),
                worklogs: WorklogStore::new(&world),
                item_properties: PropertyStore::default(),
                roles: RoleStore::new(&world),
                issue_properties: PropertyStore::default(),
                project_properties: PropertyStore::default(),
                worklog_properties: PropertyStore::default(),
                comment_properties: PropertyStore::default(),
                world,
            }),
        }
    }

    /// Everything requests can change, sorted and deterministic, for comparing the mock before
    /// and after a run: every property of every entity (values as JSON), every worklog, every
    /// project role. The fixtures' other entities (issues, projects, dashboards…) are read-only
    /// here, so they are the same in every dump and are left out.
    pub fn dump(&self) -> Value {
        let inner = &self.inner;
        let properties = |entries: Entries<String>| -> Value {
            let map: Map<String, Value> = entries
                .into_iter()
                .map(|(entity, props)| {
                    let props: Map<String, Value> = props
                        .into_iter()
                        .map(|(key, text)| {
                            // Stored as the JSON text received; a text that is not JSON (none
                            // passes the checks) is kept as a string rather than lost.
                            let value = serde_json::from_str(&text)
                                .unwrap_or_else(|_| Value::String(text.to_string()));
                            (key, value)
                        })
                        .collect();
                    (entity, Value::Object(props))
                })
                .collect();
            Value::Object(map)
        };
        let items = inner
            .item_properties
            .entries()
            .into_iter()
            .map(|((dashboard, item), props)| (format!("{dashboard}/{item}"), props))
            .collect();
        json!({
            "user_properties": properties(inner.user_properties.entries()),
            "dashboard_item_properties": properties(items),
            "issue_properties": properties(inner.issue_properties.entries()),
            "project_properties": properties(inner.project_properties.entries()),
            "worklog_properties": properties(inner.worklog_properties.entries()),
            "comment_properties": properties(inner.comment_properties.entries()),
            "worklogs": inner.worklogs.dump(),
            "roles": inner.roles.dump(),
        })
    }

    /// Whether a fault is switched on.
    pub(crate) fn has(&self, fault: Fault) -> bool {
        self.inner.faults.contains(&fault)
    }

    /// Every known user.
    pub(crate) fn users(&self) -> &[Principal] {
        &self.inner.users
    }

    /// The fixtures' world as seeded (what requests change lives in the stores).
    pub(crate) fn world(&self) -> &World {
        &self.inner.world
    }

    /// The worklog store.
    pub(crate) fn worklogs(&self) -> &WorklogStore {
        &self.inner.worklogs
    }

    /// The user property store, by account id.
    pub(crate) fn user_properties(&self) -> &PropertyStore<String> {
        &self.inner.user_properties
    }

    /// The dashboard item property store, by (dashboard id, item id).
    pub(crate) fn item_properties(&self) -> &PropertyStore<(String, String)> {
        &self.inner.item_properties
    }

    /// The project role store.
    pub(crate) fn roles(&self) -> &RoleStore {
        &self.inner.roles
    }

    /// The issue property store, by issue id.
    pub(crate) fn issue_properties(&self) -> &PropertyStore<String> {
        &self.inner.issue_properties
    }

    /// The project property store, by project id.
    pub(crate) fn project_properties(&self) -> &PropertyStore<String> {
        &self.inner.project_properties
    }

    /// The worklog property store, by worklog id.
    pub(crate) fn worklog_properties(&self) -> &PropertyStore<String> {
        &self.inner.worklog_properties
    }

    /// The comment property store, by comment id.
    pub(crate) fn comment_properties(&self) -> &PropertyStore<String> {
        &self.inner.comment_properties
    }

    /// The principal the world names `name` (the world names people by their fixtures name).
    pub(crate) fn principal(&self, name: &str) -> Option<&Principal> {
        self.inner.users.iter().find(|u| u.name == name)
    }

    /// The user with this account id.
    pub(crate) fn user(&self, account_id: &str) -> Option<&Principal> {
        self.inner.users.iter().find(|u| u.account_id == account_id)
    }
}

/// The PermissionsUnchecked fault's users and world: every principal is an administrator,
/// browses, administers and edits every worklog and comment of every project, belongs to every group and to
/// every role of every project, is inside every issue security level, and every dashboard is
/// shared with everyone. Ownership (of a dashboard, of a worklog) is a fact, not a permission,
/// and stays as the fixtures say.
fn everyone_may_do_everything(principals: &[Principal], world: &World) -> (Vec<Principal>, World) {
    let everyone: Vec<String> = principals.iter().map(|p| p.name.clone()).collect();
    let users = principals
        .iter()
        .map(|p| Principal {
            admin: true,
            ..p.clone()
        })
        .collect();
    let mut world = world.clone();
    for group in &mut world.groups {
        group.members.clone_from(&everyone);
    }
    for project in &mut world.projects {
        project.browse.clone_from(&everyone);
        project.administer.clone_from(&everyone);
        project.edit_all_worklogs.clone_from(&everyone);
        project.edit_all_comments.clone_from(&everyone);
        project.edit_own_comments = Some(everyone.clone());
    }
    for issue in &mut world.issues {
        if let Some(level) = &mut issue.security {
            level.clone_from(&everyone);
        }
    }
    for dashboard in &mut world.dashboards {
        if !dashboard.shared_with.contains(&Share::Global) {
            dashboard.shared_with.push(Share::Global);
        }
    }
    let keys: Vec<String> = world.projects.iter().map(|p| p.key.clone()).collect();
    for role in &mut world.roles {
        for project in &keys {
            role.actors.insert(project.clone(), everyone.clone());
        }
    }
    (users, world)
}
