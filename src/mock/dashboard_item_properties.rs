//! Dashboard item properties: keys, get, set and delete, per dashboard item.

use axum::Router;

use crate::fixtures::World;

use super::links::ApiVersion;
use super::state::MockState;

/// The item properties: (dashboard id, item id) → key → JSON text.
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
