//! Dashboards: one dashboard, visible to its owner and to those it is shared with.

use axum::Router;

use super::links::ApiVersion;
use super::state::MockState;

/// The routes of this resource under one API version.
pub(crate) fn routes(_version: ApiVersion) -> Router<MockState> {
    Router::new()
}
