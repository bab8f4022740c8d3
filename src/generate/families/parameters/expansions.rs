//! Expansions: each value a read documents for `expand` that names a member of its success
//! schema expands that member: the same read without `expand`, then with `expand=<value>`,
//! and the member is present and differs from the unexpanded one. Values the schema does not
//! name are left alone: where the expansion lands is then not documented.

use crate::case::{BodyCheck, Case, Expectation, Family, Provenance, StatusExpectation};
use crate::generate::context::Place;
use crate::generate::context::{CaseBuilder, Ctx};
use crate::generate::happy::happy;
use crate::spec::ParamLocation;

/// The backticked words of a description (`groups`, `applicationRoles`): the documented values.
fn quoted_values(description: &str) -> Vec<String> {
    let mut out: Vec<String> = description
        .split('`')
        .skip(1)
        .step_by(2)
        .filter(|w| !w.is_empty() && w.chars().all(|c| c.is_ascii_alphanumeric()))
        .map(str::to_string)
        .collect();
    out.sort();
    out.dedup();
    out
}

/// Top-level member names of the operation's JSON success schema for `status`.
fn members(ctx: &Ctx<'_>, index: usize, status: u16) -> Vec<String> {
    let op = ctx.op(index);
    let Some(response) = op.responses.iter().find(|r| r.code() == Some(status)) else {
        return Vec::new();
    };
    let Some((_, schema)) = response.content.iter().find(|(t, _)| t.contains("json")) else {
        return Vec::new();
    };
    let mut schema = schema;
    for _ in 0..8 {
        match schema
            .get("$ref")
            .and_then(serde_json::Value::as_str)
            .and_then(|r| r.strip_prefix('#'))
            .and_then(|p| ctx.spec.document.pointer(p))
        {
            Some(target) => schema = target,
            None => break,
        }
    }
    schema
        .get("properties")
        .and_then(serde_json::Value::as_object)
        .map(|p| p.keys().cloned().collect())
        .unwrap_or_default()
}

/// `expand_<value>` for each documented expansion of a plain read that names a schema member.
pub fn each_value(ctx: &Ctx<'_>, resource: &str, index: usize, out: &mut Vec<Case>) {
    let op = ctx.op(index);
    // getIssue's expansions are the parameters family's own cases (renderedFields, names).
    if op.method != "GET" || op.operation_id == "getIssue" {
        return;
    }
    let Some(param) = op.parameter(ParamLocation::Query, "expand") else {
        return;
    };
    let Some(h) = happy(ctx, index, Place::Plain, "expand") else {
        return;
    };
    let names = members(ctx, index, h.status);
    for value in quoted_values(&param.description) {
        if !names.contains(&value) {
            continue;
        }
        let mut request = h.request.clone();
        request.query.retain(|(n, _)| n != "expand");
        request.query.push(("expand".into(), value.clone()));
        let expect = Expectation {
            status: StatusExpectation::Exact(h.status),
            body: vec![BodyCheck::Expanded {
                step: h.setup.len(),
                pointer: format!("/{value}"),
            }],
            allow: None,
            provenance: Provenance::Spec {
                file: ctx.spec.source.clone(),
                pointer: param.pointer.clone(),
                text: format!(
                    "{}: expand accepts `{value}`, a member of the documented answer: asked for, it is expanded",
                    op.operation_id
                ),
            },
        };
        let snake: String = value
            .chars()
            .flat_map(|c| {
                let lower = c.to_ascii_lowercase();
                (c.is_ascii_uppercase())
                    .then_some('_')
                    .into_iter()
                    .chain(std::iter::once(lower))
            })
            .collect();
        let mut b = CaseBuilder::new(
            ctx,
            resource,
            op,
            Family::Parameters,
            &format!("expand_{snake}"),
            format!(
                "{} {} with expand={value} answers with {value}",
                op.method,
                ctx.shown_path(index)
            ),
        );
        for s in &h.setup {
            b = b.step(s.clone());
        }
        let mut plain = h.request.clone();
        plain.query.retain(|(n, _)| n != "expand");
        let Some(plain_expect) = ctx.expect_documented(index, h.status) else {
            continue;
        };
        b = b.check(
            format!("{} without expand as {}", op.method, plain.actor),
            plain,
            Some(ctx.op_ref(index)),
            plain_expect,
        );
        b = b.check(
            format!("{} as {}", op.method, request.actor),
            request,
            Some(ctx.op_ref(index)),
            expect,
        );
        for c in &h.cleanup {
            b = b.cleanup(c.clone());
        }
        out.push(b.skip_if(h.skip).build());
    }
}

#[cfg(test)]
mod tests {
    use super::quoted_values;

    #[test]
    fn documented_values_are_the_backticked_words() {
        let text = "Use [expand](#expansion) to include additional information. This parameter accepts a comma-separated list. Expand options include:\n\n *  `groups` includes all groups.\n *  `applicationRoles` includes details.";
        assert_eq!(quoted_values(text), ["applicationRoles", "groups"]);
    }
}
