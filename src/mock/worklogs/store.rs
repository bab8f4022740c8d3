//! The worklog store: the fixtures' worklogs, as updates change them. Plain data behind one lock;
//! what a request may do with it is the handlers' business.

use std::sync::{PoisonError, RwLock, RwLockReadGuard, RwLockWriteGuard};

use serde_json::{json, Value};

use crate::fixtures::{Visibility, World};
use crate::mock::error::JiraError;
use crate::mock::jira_time::normalize_timestamp;

pub(crate) const WORKLOG_NOT_FOUND: &str =
    "The worklog does not exist or you do not have permission to see it.";

/// One worklog as the store keeps it. People are fixtures names; times are Jira timestamps in
/// UTC (`2026-01-05T09:00:00.000+0000`), so they compare as text in time order.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Entry {
    /// The worklog id.
    pub(crate) id: String,
    /// The issue's key.
    pub(crate) issue: String,
    /// Who logged it.
    pub(crate) author: String,
    /// Who changed it last.
    pub(crate) update_author: String,
    /// When it was logged.
    pub(crate) created: String,
    /// When it was changed last.
    pub(crate) updated: String,
    /// When the work started.
    pub(crate) started: String,
    /// Time spent, in seconds.
    pub(crate) time_spent_seconds: u64,
    /// The comment as plain text (v3's documents are kept as their text); empty when none.
    pub(crate) comment: String,
    /// The restriction, if any.
    pub(crate) visibility: Option<Visibility>,
    /// Worklog properties, key → value, in the order they were first set.
    pub(crate) properties: Vec<(String, Value)>,
}

impl Entry {
    /// Whether `other` carries the same user-settable content (the timestamps and update author
    /// an update sets are not content).
    pub(crate) fn same_content(&self, other: &Entry) -> bool {
        self.comment == other.comment
            && self.visibility == other.visibility
            && self.started == other.started
            && self.time_spent_seconds == other.time_spent_seconds
            && self.properties == other.properties
    }
}

/// The worklogs, as the fixtures seed them and updates change them.
///
/// One lock over all of them: an update reads, checks and writes inside one critical section,
/// so two concurrent updates of one worklog both land (each on the other's result).
#[derive(Debug)]
pub(crate) struct Store {
    entries: RwLock<Vec<Entry>>,
}

impl Store {
    /// The store as the fixtures' world seeds it. The world records no creation time, so a
    /// seeded worklog counts as logged (and last changed, by its author) when the work started.
    pub(crate) fn new(world: &World) -> Store {
        let entries = world
            .worklogs
            .iter()
            .map(|w| {
                let started = normalize_timestamp(&w.started).unwrap_or_else(|| w.started.clone());
                Entry {
                    id: w.id.clone(),
                    issue: w.issue.clone(),
                    author: w.author.clone(),
                    update_author: w.author.clone(),
                    created: started.clone(),
                    updated: started.clone(),
                    started,
                    time_spent_seconds: w.time_spent_seconds,
                    comment: w.comment.clone(),
                    visibility: w.visibility.clone(),
                    properties: Vec::new(),
                }
            })
            .collect();
        Store {
            entries: RwLock::new(entries),
        }
    }

    /// The issue's worklogs, in id order (the world's order; updates never reorder).
    pub(crate) fn for_issue(&self, issue_key: &str) -> Vec<Entry> {
        self.read()
            .iter()
            .filter(|e| e.issue == issue_key)
            .cloned()
            .collect()
    }

    /// One worklog by id.
    pub(crate) fn get(&self, id: &str) -> Option<Entry> {
        self.read().iter().find(|e| e.id == id).cloned()
    }

    /// Every worklog as stored, in id order, as JSON: what `MockState::dump` shows.
    pub(crate) fn dump(&self) -> Value {
        let entries: Vec<Value> = self
            .read()
            .iter()
            .map(|e| {
                json!({
                    "id": e.id,
                    "issue": e.issue,
                    "author": e.author,
                    "updateAuthor": e.update_author,
                    "created": e.created,
                    "updated": e.updated,
                    "started": e.started,
                    "timeSpentSeconds": e.time_spent_seconds,
                    "comment": e.comment,
                    "visibility": e.visibility.as_ref().map(|v| format!("{v:?}")),
                    "properties": e.properties.iter().map(|(k, v)| json!([k, v])).collect::<Vec<_>>(),
                })
            })
            .collect();
        Value::Array(entries)
    }

    /// When any of the issue's worklogs last changed.
    pub(crate) fn latest_update(&self, issue_key: &str) -> Option<String> {
        self.read()
            .iter()
            .filter(|e| e.issue == issue_key)
            .map(|e| e.updated.clone())
            .max()
    }

    /// Replaces a worklog by what `change` makes of its current value, under the write lock.
    pub(crate) fn update(
        &self,
        id: &str,
        change: impl FnOnce(&Entry) -> Result<Entry, JiraError>,
    ) -> Result<Entry, JiraError> {
        let mut entries = self.write();
        let entry = entries
            .iter_mut()
            .find(|e| e.id == id)
            .ok_or_else(|| JiraError::not_found(WORKLOG_NOT_FOUND))?;
        let changed = change(entry)?;
        *entry = changed.clone();
        Ok(changed)
    }

    // A panic while the lock is held cannot leave the Vec half-updated (an entry is replaced
    // whole), so a poisoned lock is still used rather than failing every later request.
    fn read(&self) -> RwLockReadGuard<'_, Vec<Entry>> {
        self.entries.read().unwrap_or_else(PoisonError::into_inner)
    }

    fn write(&self) -> RwLockWriteGuard<'_, Vec<Entry>> {
        self.entries.write().unwrap_or_else(PoisonError::into_inner)
    }
}
