//! Schema bounds of query parameters, at the edge and one past: `maxLength`, `minimum`,
//! `maximum`, `enum`, `pattern` and integer/date/uuid `format`. The edge must be accepted with
//! the documented success, one past refused with 400. Reads only: a bound probed on a write
//! could change the site.

use regex::Regex;
use serde_json::Value;

use crate::case::{Case, Expectation, Family, Provenance, StatusExpectation};
use crate::generate::context::{CaseBuilder, Ctx};
use crate::generate::context::{Happy, Place};
use crate::generate::entity_property::{ident, snake};
use crate::generate::happy::happy;
use crate::spec::{ParamLocation, Parameter};

/// Longer strings would test the URL length limit, not the parameter's.
const MAX_PROBED_LENGTH: u64 = 4096;

/// One probe: a case name, the value sent, whether it is the accepted edge, the keyword's
/// pointer and what the schema states.
struct Probe {
    name: String,
    value: String,
    accepted: bool,
    keyword: &'static str,
    rule: String,
}

/// The probes of one keyword, collected in order.
#[derive(Default)]
struct Probes(Vec<Probe>);

impl Probes {
    fn push(
        &mut self,
        name: String,
        value: String,
        accepted: bool,
        keyword: &'static str,
        rule: String,
    ) {
        self.0.push(Probe {
            name,
            value,
            accepted,
            keyword,
            rule,
        });
    }
}

/// The probes a parameter's schema calls for, keyword by keyword.
fn probes(param: &Parameter) -> Vec<Probe> {
    let mut out = length_probes(param);
    out.extend(range_probes(param));
    out.extend(enum_probes(param));
    out.extend(pattern_probes(param));
    out.extend(format_probes(param));
    out
}

/// `maxLength`: at the length, and one past.
fn length_probes(param: &Parameter) -> Vec<Probe> {
    let s = &param.schema;
    let p = ident(&param.name);
    let n = &param.name;
    let mut out = Probes::default();
    if let Some(max) = s
        .get("maxLength")
        .and_then(Value::as_u64)
        .filter(|&m| m > 0 && m <= MAX_PROBED_LENGTH)
    {
        let rule = format!("`{n}` has maxLength {max}");
        out.push(
            format!("{p}_length_{max}"),
            "a".repeat(max as usize),
            true,
            "maxLength",
            rule.clone(),
        );
        out.push(
            format!("{p}_length_{}", max + 1),
            "a".repeat(max as usize + 1),
            false,
            "maxLength",
            rule,
        );
    }
    out.0
}

/// `minimum` and `maximum`: at each, and one past.
fn range_probes(param: &Parameter) -> Vec<Probe> {
    let s = &param.schema;
    let p = ident(&param.name);
    let n = &param.name;
    let mut out = Probes::default();
    if let Some(min) = s.get("minimum").and_then(Value::as_i64) {
        let rule = format!("`{n}` has minimum {min}");
        out.push(
            format!("{p}_minimum"),
            min.to_string(),
            true,
            "minimum",
            rule.clone(),
        );
        if let Some(below) = min.checked_sub(1) {
            out.push(
                format!("{p}_below_minimum"),
                below.to_string(),
                false,
                "minimum",
                rule,
            );
        }
    }
    if let Some(max) = s.get("maximum").and_then(Value::as_i64) {
        let rule = format!("`{n}` has maximum {max}");
        out.push(
            format!("{p}_maximum"),
            max.to_string(),
            true,
            "maximum",
            rule.clone(),
        );
        if let Some(above) = max.checked_add(1) {
            out.push(
                format!("{p}_above_maximum"),
                above.to_string(),
                false,
                "maximum",
                rule,
            );
        }
    }
    out.0
}

/// `enum`: the first value, and one not in it.
fn enum_probes(param: &Parameter) -> Vec<Probe> {
    let s = &param.schema;
    let p = ident(&param.name);
    let n = &param.name;
    let mut out = Probes::default();
    let values: Vec<String> = s
        .get("enum")
        .and_then(Value::as_array)
        .map(|e| {
            e.iter()
                .filter_map(|v| match v {
                    Value::String(s) => Some(s.clone()),
                    Value::Number(n) => Some(n.to_string()),
                    _ => None,
                })
                .collect()
        })
        .unwrap_or_default();
    if let Some(first) = values.first() {
        let rule = format!("`{n}` is one of {}", values.join(", "));
        out.push(
            format!("{p}_enum_value"),
            first.clone(),
            true,
            "enum",
            rule.clone(),
        );
        out.push(
            format!("{p}_not_in_enum"),
            "jcNotInEnum".into(),
            false,
            "enum",
            rule,
        );
    }
    out.0
}

/// `pattern`: a value that does not match.
fn pattern_probes(param: &Parameter) -> Vec<Probe> {
    let s = &param.schema;
    let p = ident(&param.name);
    let n = &param.name;
    let mut out = Probes::default();
    if let Some(pattern) = s.get("pattern").and_then(Value::as_str) {
        if let Ok(re) = Regex::new(pattern) {
            let off = ["", "!", " x y ", "jc-not-matching", "0"]
                .into_iter()
                .find(|c| !re.is_match(c));
            if let Some(off) = off {
                out.push(
                    format!("{p}_not_matching_pattern"),
                    off.into(),
                    false,
                    "pattern",
                    format!("`{n}` matches the pattern {pattern}"),
                );
            }
        }
    }
    out.0
}

/// integer, date-time, date and uuid: a value of another kind.
fn format_probes(param: &Parameter) -> Vec<Probe> {
    let s = &param.schema;
    let p = ident(&param.name);
    let n = &param.name;
    let mut out = Probes::default();
    let format = s.get("format").and_then(Value::as_str);
    let integer = s.get("type").and_then(Value::as_str) == Some("integer")
        || matches!(format, Some("int32" | "int64"));
    let (wrong, what) = match format {
        _ if integer => ("notAnInteger", "an integer"),
        Some("date-time") => ("notADateTime", "a date-time"),
        Some("date") => ("notADate", "a date"),
        Some("uuid") => ("notAUuid", "a UUID"),
        _ => ("", ""),
    };
    if !wrong.is_empty() {
        out.push(
            format!(
                "{p}_not_{}",
                snake(what.trim_start_matches("an ").trim_start_matches("a "))
            ),
            wrong.into(),
            false,
            if integer && format.is_none() {
                "type"
            } else {
                "format"
            },
            format!("`{n}` is {what}"),
        );
    }
    out.0
}

/// How the operation refuses a bad value of `name`, in its own words: a documented 4xx whose
/// description names the parameter (Jira answers a non-numeric `startAt` with 404 on some
/// operations), else its documented 400; `None` when it documents neither.
fn refusal(ctx: &Ctx<'_>, index: usize, name: &str) -> Option<(u16, String, String)> {
    let op = ctx.op(index);
    let named = |text: &str| {
        text.match_indices(name).any(|(at, _)| {
            let before = text[..at].chars().next_back();
            let after = text[at + name.len()..].chars().next();
            !before.is_some_and(char::is_alphanumeric) && !after.is_some_and(char::is_alphanumeric)
        })
    };
    let four_xx = || {
        op.responses
            .iter()
            .filter(|r| r.code().is_some_and(|c| (400..500).contains(&c)))
    };
    let by_name = four_xx()
        .filter(|r| named(&r.description))
        .min_by_key(|r| r.code().map(|c| (c != 400, c)));
    let chosen = by_name.or_else(|| four_xx().find(|r| r.code() == Some(400)))?;
    Some((
        chosen.code()?,
        chosen.pointer.clone(),
        format!(
            "{} documents {}: {}",
            op.operation_id,
            chosen.status,
            chosen
                .description
                .split_whitespace()
                .collect::<Vec<_>>()
                .join(" ")
        ),
    ))
}

/// The bound cases of every query parameter of a read the happy path reaches.
pub fn query_parameters(ctx: &Ctx<'_>, resource: &str, index: usize, out: &mut Vec<Case>) {
    let op = ctx.op(index);
    if op.method != "GET" {
        return;
    }
    let params: Vec<&Parameter> = op
        .parameters
        .iter()
        .filter(|p| p.location == ParamLocation::Query && !p.deprecated)
        .collect();
    if params.is_empty() {
        return;
    }
    let Some(h) = happy(ctx, index, Place::Plain, "bounds") else {
        return;
    };
    for param in params {
        let probes = probes(param);
        if probes.is_empty() {
            continue;
        }
        // The same for every probe of the parameter.
        let refusal = refusal(ctx, index, &param.name);
        for probe in probes {
            out.push(case(ctx, resource, index, &h, param, &refusal, probe));
        }
    }
}

fn case(
    ctx: &Ctx<'_>,
    resource: &str,
    index: usize,
    h: &Happy,
    param: &Parameter,
    refusal: &Option<(u16, String, String)>,
    probe: Probe,
) -> Case {
    let op = ctx.op(index);
    let mut request = h.request.clone();
    request.query.retain(|(name, _)| name != &param.name);
    request
        .query
        .push((param.name.clone(), probe.value.clone()));
    let (status, refused_by) = match (refusal, probe.accepted) {
        (_, true) => (StatusExpectation::Exact(h.status), None),
        (Some((code, pointer, text)), false) => (
            StatusExpectation::Exact(*code),
            Some((pointer.clone(), text.clone())),
        ),
        (None, false) => (StatusExpectation::Observe, None),
    };
    let shown = if probe.value.len() > 24 {
        format!("{} characters", probe.value.len())
    } else {
        format!("{:?}", probe.value)
    };
    let verdict = match &status {
        _ if probe.accepted => format!("is accepted with {status}"),
        StatusExpectation::Observe => {
            "is refused, with a status the documentation does not give (observed)".to_string()
        }
        _ => format!("is refused with {status}"),
    };
    let text = match refused_by {
        Some((_, words)) => format!("{}: {}; {words}", op.operation_id, probe.rule),
        None => format!("{}: {}", op.operation_id, probe.rule),
    };
    let expect = Expectation {
        status,
        body: Vec::new(),
        allow: None,
        provenance: Provenance::Spec {
            file: ctx.spec.source.clone(),
            pointer: format!("{}/schema/{}", param.pointer, probe.keyword),
            text,
        },
    };
    let mut b = CaseBuilder::new(
        ctx,
        resource,
        op,
        Family::Limits,
        &probe.name,
        format!(
            "{} {} with {}={shown} {verdict}",
            op.method,
            ctx.shown_path(index),
            param.name
        ),
    )
    .check(
        format!(
            "{} as {} with {}={shown}",
            op.method, request.actor, param.name
        ),
        request,
        Some(ctx.op_ref(index)),
        expect,
    );
    for c in &h.setup {
        b = b.step(c.clone());
    }
    if let Some(reason) = h.skip {
        b = b.skip(reason);
    }
    b.build()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn param(schema: Value) -> Parameter {
        Parameter {
            name: "maxResults".into(),
            location: ParamLocation::Query,
            required: false,
            deprecated: false,
            description: String::new(),
            schema,
            pointer: "/p".into(),
        }
    }

    #[test]
    fn each_bound_gives_an_edge_and_one_past() {
        let names: Vec<(String, String, bool)> = probes(&param(json!({
            "type": "integer", "format": "int32", "minimum": 0, "maximum": 100
        })))
        .into_iter()
        .map(|p| (p.name, p.value, p.accepted))
        .collect();
        assert_eq!(
            names,
            vec![
                ("max_results_minimum".into(), "0".into(), true),
                ("max_results_below_minimum".into(), "-1".into(), false),
                ("max_results_maximum".into(), "100".into(), true),
                ("max_results_above_maximum".into(), "101".into(), false),
                (
                    "max_results_not_integer".into(),
                    "notAnInteger".into(),
                    false
                ),
            ]
        );
    }

    #[test]
    fn strings_are_probed_by_length_enum_and_pattern() {
        let probes = probes(&param(json!({
            "type": "string", "maxLength": 3, "enum": ["abc", "b"], "pattern": "^[a-z]+$"
        })));
        let got: Vec<(&str, &str)> = probes
            .iter()
            .map(|p| (p.name.as_str(), p.value.as_str()))
            .collect();
        assert_eq!(
            got,
            vec![
                ("max_results_length_3", "aaa"),
                ("max_results_length_4", "aaaa"),
                ("max_results_enum_value", "abc"),
                ("max_results_not_in_enum", "jcNotInEnum"),
                ("max_results_not_matching_pattern", ""),
            ]
        );
    }
}
