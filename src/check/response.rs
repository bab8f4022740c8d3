//! Checks on one response against the documentation: status, documented status set, schema,
//! content type, and the `Allow` header of a 405.

use crate::case::{Provenance, Step};
use crate::exchange::Received;
use crate::spec::schema::{Direction, SchemaCache};
use crate::spec::Spec;
use crate::verdict::{Failure, FailureKind};

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
        let (kind, lead) = if step.setup {
            (
                FailureKind::SetupFailed,
                format!("set-up step '{}' could not prepare the case", step.label),
            )
        } else {
            (FailureKind::WrongStatus, step.label.to_string())
        };
        failures.push(Failure {
            kind,
            step: index,
            message: format!("{lead}: expected {}, got {status}", step.expect.status),
            provenance: provenance.clone(),
        });
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
        failures.push(Failure {
            kind: FailureKind::UndocumentedStatus,
            step: index,
            message: format!(
                "{} does not document status {status} (documented: {})",
                op.operation_id,
                op.statuses()
                    .iter()
                    .map(u16::to_string)
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
            provenance: Some(Provenance::Spec {
                file: spec.source.clone(),
                pointer: format!("{}/responses", op.pointer),
                text: format!("the responses {} documents", op.operation_id),
            }),
        });
        return failures;
    };
    if received.body.trim().is_empty() || received.truncated {
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
    let doc_provenance = Provenance::Spec {
        file: spec.source.clone(),
        pointer: format!("{}/content", response.pointer),
        text: format!(
            "{} documents {} {media} for {status}",
            op.operation_id,
            schema_name(schema)
        ),
    };
    let actual = received.content_type.as_deref().unwrap_or("(none)");
    let media_matches = actual
        .split(';')
        .next()
        .is_some_and(|m| m.trim().eq_ignore_ascii_case(media));
    if !media_matches {
        failures.push(Failure {
            kind: FailureKind::WrongContentType,
            step: index,
            message: format!("content type {actual:?}, documented {media:?}"),
            provenance: Some(doc_provenance.clone()),
        });
    }
    if !media.contains("json") {
        return failures;
    }
    let Some(body) = received.json() else {
        failures.push(Failure {
            kind: FailureKind::SchemaViolation,
            step: index,
            message: "the body is not valid JSON".into(),
            provenance: Some(doc_provenance),
        });
        return failures;
    };
    let pointer = format!(
        "{}/content/{}/schema",
        response.pointer,
        crate::spec::escape_token(media)
    );
    // A schema we cannot compile is a limitation of ours, not the target's fault: no failure.
    if let Ok(violations) = schemas.validate(&spec.document, &pointer, Direction::Response, &body) {
        {
            for v in violations.into_iter().take(5) {
                let at = if v.instance_pointer.is_empty() {
                    "/".to_string()
                } else {
                    v.instance_pointer
                };
                failures.push(Failure {
                    kind: FailureKind::SchemaViolation,
                    step: index,
                    message: format!("at {at}: {}", v.message),
                    provenance: Some(doc_provenance.clone()),
                });
            }
        }
    }
    failures
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
        return Some(Failure {
            kind: FailureKind::AllowHeader,
            step: index,
            message: "405 without an Allow header".into(),
            provenance: Some(rfc),
        });
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
    (got != want).then(|| Failure {
        kind: FailureKind::AllowHeader,
        step: index,
        message: format!("Allow: {header} (documented methods: {})", want.join(", ")),
        provenance: Some(rfc),
    })
}
