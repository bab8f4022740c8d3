//! How a resource registers its paths: under one API version's prefix, every method to one
//! handler that can ask which version it serves.

use axum::handler::Handler;
use axum::routing::any;
use axum::{Extension, Router};

use super::links::ApiVersion;
use super::state::MockState;

/// Adding a resource's routes under one API version.
pub(crate) trait VersionedRoutes {
    /// Routes every method of `path` (after the version's prefix, e.g. `/myself`) to `handler`,
    /// which can take the version as `Extension<ApiVersion>`.
    fn versioned<H, T>(self, version: ApiVersion, path: &str, handler: H) -> Self
    where
        H: Handler<T, MockState>,
        T: 'static;
}

impl VersionedRoutes for Router<MockState> {
    fn versioned<H, T>(self, version: ApiVersion, path: &str, handler: H) -> Self
    where
        H: Handler<T, MockState>,
        T: 'static,
    {
        self.route(
            &format!("{}{path}", version.prefix()),
            any(handler).layer(Extension(version)),
        )
    }
}
