//! How every handler starts: what it reads from every request ([`Call`]), the method checked
//! against what the path documents (405), then who is calling (401), then whether the mock
//! builds the operation asked for (501).

use axum::extract::rejection::{ExtensionRejection, PathRejection};
use axum::extract::{FromRequestParts, Path};
use axum::http::request::Parts;
use axum::http::{HeaderMap, Method};
use axum::Extension;

use crate::fixtures::Principal;

use super::auth::{authenticate, Authentication};
use super::error::JiraError;
use super::links::{ApiVersion, Links};
use super::state::MockState;

/// What every handler reads from a request: the mock's state, the API version the route was
/// registered under (see [`VersionedRoutes`](super::versioned_routes::VersionedRoutes)), the method and
/// the headers.
#[derive(Debug)]
pub(crate) struct Call {
    pub(crate) state: MockState,
    pub(crate) version: ApiVersion,
    pub(crate) method: Method,
    pub(crate) headers: HeaderMap,
}

impl Call {
    /// The links for this request's host and API version.
    pub(crate) fn links(&self) -> Links {
        Links::new(&self.headers, self.version)
    }
}

impl FromRequestParts<MockState> for Call {
    type Rejection = ExtensionRejection;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &MockState,
    ) -> Result<Call, ExtensionRejection> {
        let Extension(version) = Extension::<ApiVersion>::from_request_parts(parts, state).await?;
        Ok(Call {
            state: state.clone(),
            version,
            method: parts.method.clone(),
            headers: parts.headers.clone(),
        })
    }
}

/// A path with one parameter, or why it could not be read: only a segment that is not UTF-8
/// once percent-decoded fails, and the handler answers that as Jira would.
pub(crate) type PathSegment = Result<Path<String>, PathRejection>;

/// The authenticated caller, or the 401 otherwise: the world has no anonymous access (nobody
/// anonymous may browse any project).
pub(crate) fn caller(call: &Call) -> Result<&Principal, JiraError> {
    match authenticate(&call.state, &call.headers) {
        Authentication::User(principal) => Ok(principal),
        Authentication::Anonymous | Authentication::Rejected => Err(JiraError::unauthorized()),
    }
}

/// The methods of one path: those its documentation lists, and those of them the mock serves.
/// A documented method the mock does not serve is an operation outside its slice.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Methods {
    /// Every documented method, as `Allow` names them with a 405 (`"DELETE, GET, PUT"`).
    allow: &'static str,
    /// The documented methods the mock serves.
    served: &'static [Method],
}

impl Methods {
    /// A path documenting `allow` (the `Allow` text) of which the mock serves `served`. Serving
    /// GET serves HEAD too, as documenting GET documents HEAD.
    pub(crate) const fn new(allow: &'static str, served: &'static [Method]) -> Methods {
        Methods { allow, served }
    }

    /// The 405 for a method the path does not document; `Ok` for every documented one, whether
    /// or not the mock serves it.
    pub(crate) fn check(&self, method: &Method) -> Result<(), JiraError> {
        let named = |m: &Method| self.allow.split(", ").any(|a| a == m.as_str());
        if named(method) || (*method == Method::HEAD && named(&Method::GET)) {
            Ok(())
        } else {
            Err(JiraError::method_not_allowed(self.allow))
        }
    }

    /// The caller of an operation the mock serves. Otherwise, in this order: 405 for a method
    /// the path does not document, 401 without a known caller, and 501 for a documented
    /// operation the mock leaves out (so only an authenticated client learns what is built).
    pub(crate) fn caller<'s>(&self, call: &'s Call) -> Result<&'s Principal, JiraError> {
        let method = &call.method;
        self.check(method)?;
        let principal = caller(call)?;
        let serves = |m: &Method| self.served.contains(m);
        if serves(method) || (*method == Method::HEAD && serves(&Method::GET)) {
            Ok(principal)
        } else {
            Err(JiraError::not_implemented())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn documented_methods_pass_the_check_and_others_are_405() {
        let methods = Methods::new("DELETE, GET, PUT", &[Method::GET]);
        for method in [Method::GET, Method::HEAD, Method::PUT, Method::DELETE] {
            assert!(methods.check(&method).is_ok(), "{method}");
        }
        for method in [Method::POST, Method::PATCH, Method::OPTIONS] {
            assert!(methods.check(&method).is_err(), "{method}");
        }
        let lower = Method::from_bytes(b"get").expect("an extension method");
        assert!(methods.check(&lower).is_err());
        let post_only = Methods::new("POST", &[Method::POST]);
        assert!(post_only.check(&Method::HEAD).is_err());
    }
}
