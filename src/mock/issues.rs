//! Issues: one issue by id or key, with field selection and expansion.

use axum::Router;

use super::links::ApiVersion;
use super::state::MockState;

/// The routes of this resource under one API version.
pub(crate) fn routes(_version: ApiVersion) -> Router<MockState> {
    Router::new()
}
