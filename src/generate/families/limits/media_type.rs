//! A body in a media type the operation does not take is refused with 415 (RFC 9110
//! §15.5.16), a standard expectation where Jira's documentation is silent; the fixtures can
//! turn it off per target (`[standards]`).

use crate::case::{Body, Case, Expectation, Family, Provenance, StatusExpectation};
use crate::generate::context::{CaseBuilder, Ctx, Place};
use crate::generate::happy::happy;

/// The media type sent to an operation that takes JSON only.
const OTHER_MEDIA_TYPE: &str = "text/plain";

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
