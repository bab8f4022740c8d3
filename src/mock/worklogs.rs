//! Issue worklogs: the paged listing, one worklog, and updating it.

use axum::Router;

use crate::fixtures::World;

use super::links::ApiVersion;
use super::state::MockState;

/// The worklogs, as the fixtures seed them and updates change them.
#[derive(Debug)]
pub(crate) struct Store;

impl Store {
    /// The store as the fixtures' world seeds it.
    pub(crate) fn new(_world: &World) -> Store {
        Store
    }
}

/// The routes of this resource under one API version.
pub(crate) fn routes(_version: ApiVersion) -> Router<MockState> {
    Router::new()
}
