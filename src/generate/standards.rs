//! Standard expectations (RFC 9110) where Jira's documentation is silent: a 401 carries a
//! `WWW-Authenticate` challenge (and, in `families/limits/media_type.rs`, a body in a media type
//! the operation does not take is refused with 415). Each cites the RFC section and can be
//! turned off per target (`[standards]` in the fixtures).

use super::context::Ctx;
use crate::case::{BodyCheck, Provenance};

/// The check a 401 answer carries `WWW-Authenticate`, unless the fixtures turn it off.
pub fn challenge(ctx: &Ctx<'_>) -> Option<BodyCheck> {
    ctx.fixtures
        .standards
        .www_authenticate
        .then(|| BodyCheck::Header {
            name: "WWW-Authenticate".into(),
            provenance: Provenance::Standard {
                reference: "RFC 9110 §11.6.1".into(),
                text: "a server generating a 401 (Unauthorized) response MUST send a WWW-Authenticate header field containing at least one challenge (a standard expectation: Jira's documentation is silent)".into(),
            },
        })
}
