//! Operations Jira documents as "accessible anonymously": a GET without credentials is served
//! as a caller who holds nothing (no project, group, role or global permission); credentials
//! that match nobody are still a 401.

use axum::http::Method;

use crate::fixtures::{Credentials, Principal, Secret};

use super::auth::{authenticate, Authentication};
use super::caller::{Call, Methods};
use super::error::JiraError;

/// Whether a caller is the anonymous one [`caller_or_anonymous`] gives.
pub(crate) fn is_anonymous(caller: &Principal) -> bool {
    caller.name.is_empty()
}

/// The anonymous caller: a principal no world list can name (the fixtures refuse empty names).
fn anonymous() -> Principal {
    Principal {
        name: String::new(),
        account_id: String::new(),
        display_name: "Anonymous".into(),
        admin: false,
        credentials: Credentials::Bearer {
            token: Secret::new(""),
        },
        key: String::new(),
    }
}

/// The caller of an operation open to anonymous reads: the authenticated principal, or the
/// anonymous one for a GET (or HEAD) without credentials. Other methods keep the usual order
/// (405, 401, 501), so only an authenticated client learns what is built.
pub(crate) fn caller_or_anonymous(methods: &Methods, call: &Call) -> Result<Principal, JiraError> {
    methods.check(&call.method)?;
    let reads = call.method == Method::GET || call.method == Method::HEAD;
    if reads
        && matches!(
            authenticate(&call.state, &call.headers),
            Authentication::Anonymous
        )
    {
        return Ok(anonymous());
    }
    methods.caller(call).cloned()
}
