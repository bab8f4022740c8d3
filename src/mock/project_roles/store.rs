//! The project role store: the fixtures' roles plus the ones created since. Plain data behind
//! one lock; who may see or change it is the handlers' business.

use std::collections::BTreeMap;
use std::sync::{PoisonError, RwLock, RwLockReadGuard, RwLockWriteGuard};

use serde_json::{json, Value};

use crate::fixtures::World;

/// The first id given to a created role when the fixtures define no numeric one.
const FIRST_ROLE_ID: u64 = 10000;

/// A project role as the store keeps it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct StoredRole {
    /// The role id (numeric text, as in the fixtures).
    pub(crate) id: String,
    /// The name; unique without regard to case (unless a fault allowed a duplicate).
    pub(crate) name: String,
    /// The description.
    pub(crate) description: String,
    /// Project key → actor principals (names).
    pub(crate) actors: BTreeMap<String, Vec<String>>,
    /// Default actors (principal names): what `/role` lists as `actors`.
    pub(crate) default_actors: Vec<String>,
}

/// Why a role could not be created.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum CreateError {
    /// A role of that name (ignoring case) exists.
    Duplicate,
}

#[derive(Debug)]
struct Roles {
    /// In id order (created roles get ever larger ids).
    list: Vec<StoredRole>,
    /// The next id to give; never reused, even after a delete.
    next_id: u64,
}

/// The project roles: the fixtures' roles plus the ones created since.
///
/// One lock over all of them, so the duplicate-name check and the insert are one step and two
/// concurrent creators of a name cannot both succeed.
#[derive(Debug)]
pub(crate) struct Store {
    roles: RwLock<Roles>,
}

impl Store {
    /// The store as the fixtures' world seeds it.
    pub(crate) fn new(world: &World) -> Store {
        let list: Vec<StoredRole> = world
            .roles
            .iter()
            .map(|r| StoredRole {
                id: r.id.clone(),
                name: r.name.clone(),
                description: r.description.clone(),
                actors: r.actors.clone(),
                default_actors: Vec::new(),
            })
            .collect();
        let next_id = list
            .iter()
            .filter_map(|r| r.id.parse::<u64>().ok())
            .max()
            .map_or(FIRST_ROLE_ID, |max| max.saturating_add(1));
        Store {
            roles: RwLock::new(Roles { list, next_id }),
        }
    }

    /// Every role, in id order.
    pub(crate) fn all(&self) -> Vec<StoredRole> {
        self.read().list.clone()
    }

    /// Every role, in id order, as JSON: what `MockState::dump` shows. The next id to give is
    /// left out: a role created and deleted again moves it on, as in Jira, and leaves nothing.
    pub(crate) fn dump(&self) -> Value {
        let roles: Vec<Value> = self
            .read()
            .list
            .iter()
            .map(|r| {
                json!({
                    "id": r.id,
                    "name": r.name,
                    "description": r.description,
                    "actors": r.actors,
                    "defaultActors": r.default_actors,
                })
            })
            .collect();
        Value::Array(roles)
    }

    /// The role with this id (`010002` names role 10002, as a number would).
    pub(crate) fn get(&self, id: &str) -> Option<StoredRole> {
        self.read()
            .list
            .iter()
            .find(|r| same_id(&r.id, id))
            .cloned()
    }

    /// Creates a role with a new id larger than any given before. A name already taken (ignoring
    /// case) is refused unless `allow_duplicate`.
    pub(crate) fn create(
        &self,
        name: &str,
        description: &str,
        default_actors: Vec<String>,
        allow_duplicate: bool,
    ) -> Result<StoredRole, CreateError> {
        let mut roles = self.write();
        let folded = name.to_lowercase();
        if !allow_duplicate && roles.list.iter().any(|r| r.name.to_lowercase() == folded) {
            return Err(CreateError::Duplicate);
        }
        let role = StoredRole {
            id: roles.next_id.to_string(),
            name: name.to_string(),
            description: description.to_string(),
            actors: BTreeMap::new(),
            default_actors,
        };
        roles.next_id = roles.next_id.saturating_add(1);
        roles.list.push(role.clone());
        Ok(role)
    }

    /// Deletes a role; true if it existed.
    pub(crate) fn delete(&self, id: &str) -> bool {
        let mut roles = self.write();
        let before = roles.list.len();
        roles.list.retain(|r| !same_id(&r.id, id));
        roles.list.len() != before
    }

    // A panic while the lock is held cannot leave the list half-updated in a way that matters
    // here, so a poisoned lock is still used rather than failing every later request.
    fn read(&self) -> RwLockReadGuard<'_, Roles> {
        self.roles.read().unwrap_or_else(PoisonError::into_inner)
    }

    fn write(&self) -> RwLockWriteGuard<'_, Roles> {
        self.roles.write().unwrap_or_else(PoisonError::into_inner)
    }
}

fn same_id(stored: &str, given: &str) -> bool {
    stored == given
        || matches!(
            (stored.parse::<u64>(), given.parse::<u64>()),
            (Ok(a), Ok(b)) if a == b
        )
}
