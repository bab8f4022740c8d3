//! Checks on one response against the documentation: status, documented status set, schema,
//! content type, and the `Allow` header of a 405.

use crate::case::{Provenance, Step};
use crate::exchange::Received;
use crate::spec::schema::{Direction, SchemaCache};
use crate::spec::{Operation, Response, Spec};
use crate::verdict::{Failure, FailureDetail};

/// Every departure of `received` from what `step` and its operation document.
pub fn check_response(
    spec: &Spec,
    schemas: &SchemaCache,
    index: usize,
    step: &Step,
    received: &Received,
) -> Vec<Failure> {
    let mut failures = Vec::new();
    let status = received.status;
    let provenance = Some(step.expect.provenance.clone());
    if !step.expect.status.admits(status) {
        let (label, expected) = (step.label.to_string(), step.expect.status.clone());
        let detail = if step.setup {
            FailureDetail::SetupFailed {
                label,
                expected,
                got: status,
            }
        } else {
            FailureDetail::WrongStatus {
                label,
                expected,
                got: status,
            }
        };
        failures.push(Failure::new(index, detail, provenance.clone()));
    }
    if let (Some(allowed), 405) = (&step.expect.allow, status) {
        failures.extend(check_allow(index, allowed, received));
    }
    let Some(op_ref) = &step.operation else {
        return failures;
    };
    let Some(op) = spec.operations.get(op_ref.index) else {
        return failures;
    };
    let Some(response) = op.response_for(status) else {
        failures.push(undocumented_status(spec, op, index, status));
        return failures;
    };
    if received.body.trim().is_empty() {
        return failures;
    }
    let Some((media, schema)) = response
        .content
        .iter()
        .find(|(m, _)| m.contains("json"))
        .or(response.content.first())
    else {
        return failures;
    };
    let doc = DocumentedBody::new(spec, op, response, media, schema, status);
    let actual = received.content_type.as_deref().unwrap_or("(none)");
    // The runner joins repeated Content-Type fields with ", "; a media type holds no comma
    // outside quotes, so one there means the field came more than once.
    let repeated = media_type_count(actual) > 1;
    let media_matches = !repeated
        && actual
            .split(';')
            .next()
            .is_some_and(|m| m.trim().eq_ignore_ascii_case(media));
    if !media_matches {
        failures.push(Failure::new(
            index,
            FailureDetail::WrongContentType {
                expected: vec![media.to_string()],
                got: received.content_type.clone(),
                count: media_type_count(actual),
            },
            Some(doc.provenance.clone()),
        ));
    }
    // A body cut at the run's size bound cannot be validated; it does not pass unseen either.
    if media.contains("json") && received.truncated {
        failures.push(Failure::new(
            index,
            FailureDetail::SchemaViolation {
                pointer: None,
                keyword: None,
                message: format!(
                    "the body was cut at the run's size bound ({} bytes kept) and could not be checked against its schema",
                    received.body.len()
                ),
            },
            Some(doc.provenance.clone()),
        ));
    } else if media.contains("json") {
        let api = crate::spec::rich_text::api_of_path(&step.request.path);
        failures.extend(doc.schema_failures(spec, schemas, api, received, index, str::to_string));
    }
    failures
}

/// How many media types a (possibly joined) Content-Type value holds: commas outside quoted
/// parameter values, plus one.
fn media_type_count(value: &str) -> usize {
    let mut quoted = false;
    let mut escaped = false;
    let mut count = 1;
    for c in value.chars() {
        match c {
            _ if escaped => escaped = false,
            '\\' if quoted => escaped = true,
            '"' => quoted = !quoted,
            ',' if !quoted => count += 1,
            _ => {}
        }
    }
    count
}

/// Schema violations reported per response; more rarely tell anything new.
pub(crate) const MAX_VIOLATIONS: usize = 5;

/// The failure of a status `op` does not document, at step `index`.
pub(crate) fn undocumented_status(
    spec: &Spec,
    op: &Operation,
    index: usize,
    status: u16,
) -> Failure {
    Failure::new(
        index,
        FailureDetail::UndocumentedStatus {
            operation_id: op.operation_id.clone(),
            got: status,
            documented: op.statuses(),
        },
        Some(Provenance::Spec {
            file: spec.source.clone(),
            pointer: format!("{}/responses", op.pointer),
            text: format!("the responses {} documents", op.operation_id),
        }),
    )
}

/// The body the spec documents for a status: the response, the media type checked, and where
/// the spec says so.
pub(crate) struct DocumentedBody<'a> {
    /// The documented response.
    pub response: &'a Response,
    /// The documented media type the body is held to.
    pub media: &'a str,
    /// Where the spec documents `schema` as `media` for the status.
    pub provenance: Provenance,
}

impl<'a> DocumentedBody<'a> {
    /// `op` answers `status` with `response`, whose `media` content is `schema`.
    pub(crate) fn new(
        spec: &Spec,
        op: &Operation,
        response: &'a Response,
        media: &'a str,
        schema: &serde_json::Value,
        status: u16,
    ) -> Self {
        let provenance = Provenance::Spec {
            file: spec.source.clone(),
            pointer: format!("{}/content", response.pointer),
            text: format!(
                "{} documents {} {media} for {status}",
                op.operation_id,
                schema_name(schema)
            ),
        };
        DocumentedBody {
            response,
            media,
            provenance,
        }
    }

    /// The body of `received` against the documented schema: a failure if it is not JSON, else
    /// one per violation (at most [`MAX_VIOLATIONS`]), each violation's message passed through
    /// `message`. A schema we cannot compile (or a media type documented without one) is a
    /// limitation of the spec or of ours, not the target's fault: no failure.
    pub(crate) fn schema_failures(
        &self,
        spec: &Spec,
        schemas: &SchemaCache,
        api: crate::case::Api,
        received: &Received,
        index: usize,
        message: impl Fn(&str) -> String,
    ) -> Vec<Failure> {
        let fail = |pointer: Option<String>, keyword: Option<String>, message: String| {
            Failure::new(
                index,
                FailureDetail::SchemaViolation {
                    pointer,
                    keyword,
                    message,
                },
                Some(self.provenance.clone()),
            )
        };
        let Some(body) = received.json() else {
            return vec![fail(None, None, "the body is not valid JSON".into())];
        };
        let pointer = format!(
            "{}/content/{}/schema",
            self.response.pointer,
            crate::spec::escape_token(self.media)
        );
        // The version the request named decides the rich-text fields (plain text on v2).
        let Ok(violations) = schemas.validate_for(
            &spec.document,
            &pointer,
            Direction::Response,
            Some(api),
            &body,
        ) else {
            return Vec::new();
        };
        violations
            .into_iter()
            .take(MAX_VIOLATIONS)
            .map(|v| {
                let at = if v.instance_pointer.is_empty() {
                    "/".to_string()
                } else {
                    v.instance_pointer
                };
                fail(Some(at), v.keyword, message(&v.message))
            })
            .collect()
    }
}

fn schema_name(schema: &serde_json::Value) -> String {
    schema
        .get("$ref")
        .and_then(|r| r.as_str())
        .and_then(|r| r.rsplit('/').next())
        .map_or_else(|| "a body".to_string(), |n| format!("a {n}"))
}

fn check_allow(index: usize, allowed: &[String], received: &Received) -> Option<Failure> {
    let rfc = Provenance::Standard {
        reference: "RFC 9110 §15.5.6".into(),
        text: format!(
            "a 405 response must carry an Allow header listing the resource's methods ({})",
            allowed.join(", ")
        ),
    };
    let Some(header) = &received.allow else {
        return Some(Failure::new(
            index,
            FailureDetail::AllowHeader {
                expected: allowed.to_vec(),
                got: None,
            },
            Some(rfc),
        ));
    };
    let mut got: Vec<String> = header
        .split(',')
        .map(|m| m.trim().to_ascii_uppercase())
        .filter(|m| !m.is_empty() && m != "HEAD" && m != "OPTIONS")
        .collect();
    got.sort();
    got.dedup();
    let mut want: Vec<String> = allowed.to_vec();
    want.sort();
    (got != want).then(|| {
        Failure::new(
            index,
            FailureDetail::AllowHeader {
                expected: want,
                got: Some(header.clone()),
            },
            Some(rfc),
        )
    })
}

#[cfg(test)]
mod tests {
    use super::media_type_count;

    #[test]
    fn joined_content_types_are_counted_and_quoted_commas_are_not() {
        assert_eq!(media_type_count("application/json;charset=UTF-8"), 1);
        assert_eq!(
            media_type_count("application/json;charset=UTF-8, text/html"),
            2
        );
        assert_eq!(media_type_count("multipart/mixed; boundary=\"a,\\\"b\""), 1);
    }
}
