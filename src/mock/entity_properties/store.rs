//! The property store: plain data behind one lock, below the state that holds one per entity
//! kind.

use std::borrow::Borrow;
use std::collections::BTreeMap;
use std::sync::{Arc, PoisonError, RwLock, RwLockReadGuard, RwLockWriteGuard};

use axum::http::StatusCode;
use axum::response::Response;

use crate::mock::error::JiraError;
use crate::mock::response::empty;

use super::value::{answer, not_found};

/// Each entity with its properties (key, the value's JSON text), in order.
pub(crate) type Entries<E> = Vec<(E, Vec<(String, Arc<str>)>)>;

/// entity → key → the value's JSON text, as received (trimmed).
type Properties<E> = BTreeMap<E, BTreeMap<String, Arc<str>>>;

/// The properties of one kind of entity, `E` naming an entity (an account id; a dashboard and
/// item id pair).
///
/// One lock over the whole store: every operation is one critical section, so concurrent
/// writers never lose an update and of two concurrent creators of a key exactly one sees it
/// absent.
#[derive(Debug)]
pub(crate) struct Store<E> {
    entities: RwLock<Properties<E>>,
}

impl<E> Default for Store<E> {
    /// An empty store: the fixtures describe no properties.
    fn default() -> Store<E> {
        Store {
            entities: RwLock::new(BTreeMap::new()),
        }
    }
}

impl<E: Ord> Store<E> {
    /// An entity's property keys, sorted.
    pub(crate) fn keys<Q>(&self, entity: &Q) -> Vec<String>
    where
        E: Borrow<Q>,
        Q: Ord + ?Sized,
    {
        self.read()
            .get(entity)
            .map(|props| props.keys().cloned().collect())
            .unwrap_or_default()
    }

    /// A property's value (JSON text).
    pub(crate) fn get<Q>(&self, entity: &Q, key: &str) -> Option<Arc<str>>
    where
        E: Borrow<Q>,
        Q: Ord + ?Sized,
    {
        self.read().get(entity)?.get(key).cloned()
    }

    /// Every entity with properties and its properties (key, JSON text), in order: what
    /// `MockState::dump` shows.
    pub(crate) fn entries(&self) -> Entries<E>
    where
        E: Clone,
    {
        self.read()
            .iter()
            .map(|(entity, props)| {
                let props = props.iter().map(|(k, v)| (k.clone(), v.clone())).collect();
                (entity.clone(), props)
            })
            .collect()
    }

    /// Sets a property; true if it was created, false if it replaced a value.
    pub(crate) fn set(&self, entity: E, key: &str, value: &str) -> bool {
        self.write()
            .entry(entity)
            .or_default()
            .insert(key.to_string(), Arc::from(value))
            .is_none()
    }

    /// Deletes a property; true if it existed. An entity left without properties is dropped.
    pub(crate) fn delete<Q>(&self, entity: &Q, key: &str) -> bool
    where
        E: Borrow<Q>,
        Q: Ord + ?Sized,
    {
        let mut entities = self.write();
        let Some(props) = entities.get_mut(entity) else {
            return false;
        };
        let existed = props.remove(key).is_some();
        if props.is_empty() {
            entities.remove(entity);
        }
        existed
    }

    /// The GET of one property, once the resource's own checks passed: `{"key", "value"}`, or
    /// the 404 for a key the entity has no property under.
    pub(crate) fn answer_get<Q>(&self, entity: &Q, key: &str) -> Result<Response, JiraError>
    where
        E: Borrow<Q>,
        Q: Ord + ?Sized,
    {
        let value = self.get(entity, key).ok_or_else(|| not_found(key))?;
        Ok(answer(key, &value))
    }

    /// The DELETE of one property, once the resource's own checks passed: 204, or the 404 for a
    /// key the entity has no property under.
    pub(crate) fn answer_delete<Q>(&self, entity: &Q, key: &str) -> Result<Response, JiraError>
    where
        E: Borrow<Q>,
        Q: Ord + ?Sized,
    {
        if !self.delete(entity, key) {
            return Err(not_found(key));
        }
        Ok(empty(StatusCode::NO_CONTENT))
    }

    // A panic while the lock is held cannot leave a BTreeMap half-updated in a way that matters
    // here, so a poisoned lock is still used rather than failing every later request.
    fn read(&self) -> RwLockReadGuard<'_, Properties<E>> {
        self.entities.read().unwrap_or_else(PoisonError::into_inner)
    }

    fn write(&self) -> RwLockWriteGuard<'_, Properties<E>> {
        self.entities
            .write()
            .unwrap_or_else(PoisonError::into_inner)
    }
}
