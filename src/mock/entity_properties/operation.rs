//! The four operations on entity properties and the methods their paths allow.

use axum::http::Method;

use crate::mock::caller::Methods;
use crate::mock::error::JiraError;

/// What `Allow` says for one property (`…/properties/{propertyKey}`): all three are served.
pub(crate) const ALLOW_PROPERTY: &str = "DELETE, GET, PUT";
/// The key listing (`…/properties`, with or without the trailing slash): GET only.
pub(crate) const LISTING: Methods = Methods::new("GET", &[Method::GET]);

/// The four operations; each resource makes its own checks before them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Operation {
    ListKeys,
    Get,
    Set,
    Delete,
}

impl Operation {
    /// The operation a method asks of one property, if [`ALLOW_PROPERTY`] names the method.
    pub(crate) fn on_property(method: &Method) -> Option<Operation> {
        match *method {
            Method::GET | Method::HEAD => Some(Operation::Get),
            Method::PUT => Some(Operation::Set),
            Method::DELETE => Some(Operation::Delete),
            _ => None,
        }
    }

    /// Whether the operation only reads.
    pub(crate) fn is_read(self) -> bool {
        matches!(self, Operation::ListKeys | Operation::Get)
    }
}

/// A request to the listing path with a trailing slash and no key: GET lists the keys, as
/// documented; PUT and DELETE name no property, and other methods are not documented at all.
pub(crate) fn keyless(method: &Method) -> Result<(), JiraError> {
    if matches!(*method, Method::PUT | Method::DELETE) {
        return Err(JiraError::method_not_allowed_because(
            "GET",
            "The property key is not specified.",
        ));
    }
    LISTING.check(method)
}
