//! Standard expectations (RFC 9110) where Jira's documentation is silent: a 401 carries a
//! `WWW-Authenticate` challenge, and a body in a media type the operation does not take is
//! refused with 415. Each cites the RFC section and can be turned off per target
//! (`[standards]` in the fixtures).

use super::context::Place;
use super::context::{CaseBuilder, Ctx};
use super::happy::happy;
use crate::case::{Body, BodyCheck, Case, Expectation, Family, Provenance, StatusExpectation};

/// The media type sent to an operation that takes JSON only.
const OTHER_MEDIA_TYPE: &str = "text/plain";

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

/// `unsupported_media_type`: the operation's happy request with its body declared as
/// `text/plain`, for an operation whose documented request body does not take it.
pub fn unsupported_media_type(
    ctx: &Ctx<'_>,
    resource: &str,
    index: usize,
    place: Place<'_>,
    out: &mut Vec<Case>,
) {
    let op = ctx.op(index);
    let Some(taken) = &op.request_body else {
        return;
    };
    if !ctx.fixtures.standards.unsupported_media_type
        || taken.content.is_empty()
        || taken
            .content
            .iter()
            .any(|(media, _)| media.starts_with("text/") || media == "*/*")
    {
        return;
    }
    let Some(h) = happy(ctx, index, place, "mediatype") else {
        return;
    };
    let h = h.into_owned();
    let mut request = h.request;
    let text = match &request.body {
        Body::Json(value) => value.to_string(),
        Body::Raw { text, .. } => text.clone(),
        Body::None => "{}".into(),
    };
    request.body = Body::Raw {
        content_type: OTHER_MEDIA_TYPE.into(),
        text,
    };
    let media: Vec<&str> = taken.content.iter().map(|(m, _)| m.as_str()).collect();
    // The operation's own 415, where it documents one; else HTTP's rule.
    let (provenance, operation) = match ctx.status_provenance(index, 415) {
        Some(p) => (p, Some(ctx.op_ref(index))),
        None => (
            Provenance::Standard {
                reference: "RFC 9110 §15.5.16".into(),
                text: format!(
                    "{} takes {}; a body in another media type is refused with 415 Unsupported Media Type (a standard expectation: Jira's documentation is silent)",
                    op.operation_id,
                    media.join(", ")
                ),
            },
            // Not a documented status of the operation: no status-set or schema check.
            None,
        ),
    };
    let expect = Expectation {
        status: StatusExpectation::Exact(415),
        body: Vec::new(),
        allow: None,
        provenance,
    };
    let mut b = CaseBuilder::new(
        ctx,
        resource,
        op,
        Family::Limits,
        "unsupported_media_type",
        format!(
            "{} {} with a {OTHER_MEDIA_TYPE} body is refused with 415",
            op.method,
            ctx.shown_path(index)
        ),
    );
    for s in h.setup {
        b = b.step(s);
    }
    b = b.check(
        format!("{} {OTHER_MEDIA_TYPE} as {}", op.method, request.actor),
        request,
        operation,
        expect,
    );
    // A target that wrongly accepts the body may have stored something: remove it.
    for c in h.cleanup {
        b = b.cleanup(c);
    }
    out.push(b.skip_if(h.skip).build());
}
