//! Notification schemes: the paged listing, filtered to the projects the caller administers.

use axum::Router;

use super::links::ApiVersion;
use super::state::MockState;

/// The routes of this resource under one API version.
pub(crate) fn routes(_version: ApiVersion) -> Router<MockState> {
    Router::new()
}
