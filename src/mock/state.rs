//! What one mock instance knows: its users (the fixtures' principals), the faults it was given,
//! the fixtures' world, and the stores of what requests change.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::{Arc, PoisonError, RwLock, RwLockReadGuard, RwLockWriteGuard};

use crate::fixtures::{Fixtures, Principal, World};

use super::faults::Fault;
use super::{dashboard_item_properties, project_roles, worklogs};

/// accountId → property key → the value's JSON text, as received (trimmed).
type PropertyStore = BTreeMap<String, BTreeMap<String, Arc<str>>>;

/// The state shared by every request to one mock: cheap to clone, safe to use concurrently.
#[derive(Debug, Clone)]
pub struct MockState {
    inner: Arc<Inner>,
}

#[derive(Debug)]
struct Inner {
    users: Vec<Principal>,
    faults: BTreeSet<Fault>,
    /// One lock over the whole store: every operation is a single critical section, so of two
    /// concurrent creators of a key exactly one sees it absent.
    properties: RwLock<PropertyStore>,
    world: World,
    worklogs: worklogs::Store,
    item_properties: dashboard_item_properties::Store,
    roles: project_roles::Store,
}

impl MockState {
    /// A fresh mock whose users are the fixtures' principals, with no properties set and the
    /// given faults switched on.
    pub fn new(fixtures: &Fixtures, faults: &[Fault]) -> MockState {
        MockState {
            inner: Arc::new(Inner {
                users: fixtures.principals.clone(),
                faults: faults.iter().copied().collect(),
                properties: RwLock::new(BTreeMap::new()),
                worklogs: worklogs::Store::new(&fixtures.world),
                item_properties: dashboard_item_properties::Store::new(&fixtures.world),
                roles: project_roles::Store::new(&fixtures.world),
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

    /// The dashboard item property store.
    pub(crate) fn item_properties(&self) -> &dashboard_item_properties::Store {
        &self.inner.item_properties
    }

    /// The project role store.
    pub(crate) fn roles(&self) -> &project_roles::Store {
        &self.inner.roles
    }

    /// The user with this account id.
    pub(crate) fn user(&self, account_id: &str) -> Option<&Principal> {
        self.inner.users.iter().find(|u| u.account_id == account_id)
    }

    /// A user's property keys, sorted.
    pub(crate) fn property_keys(&self, account_id: &str) -> Vec<String> {
        self.read()
            .get(account_id)
            .map(|props| props.keys().cloned().collect())
            .unwrap_or_default()
    }

    /// A property's value (JSON text).
    pub(crate) fn property(&self, account_id: &str, key: &str) -> Option<Arc<str>> {
        self.read().get(account_id)?.get(key).cloned()
    }

    /// Sets a property; true if it was created, false if it replaced a value.
    pub(crate) fn set_property(&self, account_id: &str, key: &str, value: &str) -> bool {
        self.write()
            .entry(account_id.to_string())
            .or_default()
            .insert(key.to_string(), Arc::from(value))
            .is_none()
    }

    /// Deletes a property; true if it existed.
    pub(crate) fn delete_property(&self, account_id: &str, key: &str) -> bool {
        let mut store = self.write();
        let Some(props) = store.get_mut(account_id) else {
            return false;
        };
        let existed = props.remove(key).is_some();
        if props.is_empty() {
            store.remove(account_id);
        }
        existed
    }

    // A panic while the lock is held cannot leave a BTreeMap half-updated in a way that matters
    // here, so a poisoned lock is still used rather than failing every later request.
    fn read(&self) -> RwLockReadGuard<'_, PropertyStore> {
        self.inner
            .properties
            .read()
            .unwrap_or_else(PoisonError::into_inner)
    }

    fn write(&self) -> RwLockWriteGuard<'_, PropertyStore> {
        self.inner
            .properties
            .write()
            .unwrap_or_else(PoisonError::into_inner)
    }
}
