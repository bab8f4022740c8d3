//! Project roles: a project's roles and role details, and creating a role.

use axum::Router;

use crate::fixtures::World;

use super::links::ApiVersion;
use super::state::MockState;

/// The project roles: the fixtures' roles plus the ones created since.
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
