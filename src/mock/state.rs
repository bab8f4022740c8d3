//! What one mock instance knows: its users (the fixtures' principals), the faults it was given,
//! the fixtures' world, and the stores of what requests change.

use std::collections::BTreeSet;
use std::sync::Arc;

use crate::fixtures::{Fixtures, Principal, World};

use super::faults::Fault;
use super::{entity_properties, project_roles, worklogs};

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
    user_properties: entity_properties::Store<String>,
    world: World,
    worklogs: worklogs::Store,
    /// The dashboard item properties, by (dashboard id, item id).
    item_properties: entity_properties::Store<(String, String)>,
    roles: project_roles::Store,
    /// The issue properties, by issue id.
    issue_properties: entity_properties::Store<String>,
    /// The project properties, by project id.
    project_properties: entity_properties::Store<String>,
    /// The worklog properties, by worklog id.
    worklog_properties: entity_properties::Store<String>,
}

impl MockState {
    /// A fresh mock whose users are the fixtures' principals, with no properties set and the
    /// given faults switched on.
    pub fn new(fixtures: &Fixtures, faults: &[Fault]) -> MockState {
        MockState {
            inner: Arc::new(Inner {
                users: fixtures.principals.clone(),
                faults: faults.iter().copied().collect(),
                // The fixtures describe no properties, so every property store starts empty.
                user_properties: entity_properties::Store::default(),
                worklogs: worklogs::Store::new(&fixtures.world),
                item_properties: entity_properties::Store::default(),
                roles: project_roles::Store::new(&fixtures.world),
                issue_properties: entity_properties::Store::default(),
                project_properties: entity_properties::Store::default(),
                worklog_properties: entity_properties::Store::default(),
                world: fixtures.world.clone(),
            }),
        }
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
    pub(crate) fn worklogs(&self) -> &worklogs::Store {
        &self.inner.worklogs
    }

    /// The user property store, by account id.
    pub(crate) fn user_properties(&self) -> &entity_properties::Store<String> {
        &self.inner.user_properties
    }

    /// The dashboard item property store, by (dashboard id, item id).
    pub(crate) fn item_properties(&self) -> &entity_properties::Store<(String, String)> {
        &self.inner.item_properties
    }

    /// The project role store.
    pub(crate) fn roles(&self) -> &project_roles::Store {
        &self.inner.roles
    }

    /// The issue property store, by issue id.
    pub(crate) fn issue_properties(&self) -> &entity_properties::Store<String> {
        &self.inner.issue_properties
    }

    /// The project property store, by project id.
    pub(crate) fn project_properties(&self) -> &entity_properties::Store<String> {
        &self.inner.project_properties
    }

    /// The worklog property store, by worklog id.
    pub(crate) fn worklog_properties(&self) -> &entity_properties::Store<String> {
        &self.inner.worklog_properties
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
