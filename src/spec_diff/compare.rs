//! Comparing two versions of a spec: operation by operation (matched by method and path), then
//! path by path.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::Value;

use super::fields::{BodyField, Bound, Limit, ParamField, Security};
use super::model::{Change, Detail, OperationKey, SpecDiff, SpecInfo};
use crate::spec::prose::{self, Grant};
use crate::spec::{Operation, Parameter, Spec};

/// Compares two versions of a spec.
pub fn diff(old: &Spec, new: &Spec) -> SpecDiff {
    let old_ops: BTreeMap<(&str, &str), &Operation> = old
        .operations
        .iter()
        .map(|op| ((op.path.as_str(), op.method.as_str()), op))
        .collect();
    let new_ops: BTreeMap<(&str, &str), &Operation> = new
        .operations
        .iter()
        .map(|op| ((op.path.as_str(), op.method.as_str()), op))
        .collect();
    let mut changes = Vec::new();
    let mut unchanged = Vec::new();
    for (&(path, method), op) in &old_ops {
        if !new_ops.contains_key(&(path, method)) {
            changes.push(at(op, Some(&op.operation_id), Detail::OperationRemoved));
        }
    }
    for (&(path, method), &new_op) in &new_ops {
        let Some(&old_op) = old_ops.get(&(path, method)) else {
            changes.push(at(
                new_op,
                Some(&new_op.operation_id),
                Detail::OperationAdded,
            ));
            continue;
        };
        let details = operation(old_op, &old.source, new_op, &new.source);
        if details.is_empty() {
            unchanged.push(OperationKey {
                path: path.to_string(),
                method: method.to_string(),
                operation_id: new_op.operation_id.clone(),
            });
        }
        changes.extend(
            details
                .into_iter()
                .map(|d| at(new_op, Some(&new_op.operation_id), d)),
        );
    }
    for (path, old_methods) in &old.methods_by_path {
        let Some(new_methods) = new.methods_by_path.get(path) else {
            continue;
        };
        let sorted = |m: &Vec<String>| -> Vec<String> {
            let set: BTreeSet<&String> = m.iter().collect();
            set.into_iter().cloned().collect()
        };
        let (o, n) = (sorted(old_methods), sorted(new_methods));
        if o != n {
            changes.push(Change {
                path: path.clone(),
                method: None,
                operation_id: None,
                detail: Detail::PathMethodsChanged { old: o, new: n },
            });
        }
    }
    // Stable: within a kind, path and method, the order the comparison found them in.
    changes.sort_by(|a, b| {
        a.kind()
            .cmp(&b.kind())
            .then_with(|| a.path.cmp(&b.path))
            .then_with(|| a.method.cmp(&b.method))
    });
    SpecDiff {
        old: SpecInfo::of(old),
        new: SpecInfo::of(new),
        changes,
        unchanged,
    }
}

fn at(op: &Operation, operation_id: Option<&str>, detail: Detail) -> Change {
    Change {
        path: op.path.clone(),
        method: Some(op.method.clone()),
        operation_id: operation_id.map(str::to_string),
        detail,
    }
}

/// The differences of one operation both versions document.
fn operation(old: &Operation, old_file: &str, new: &Operation, new_file: &str) -> Vec<Detail> {
    let mut out = Vec::new();
    if old.operation_id != new.operation_id {
        out.push(Detail::OperationIdChanged {
            old: old.operation_id.clone(),
            new: new.operation_id.clone(),
        });
    }
    if old.tags != new.tags {
        out.push(Detail::TagsChanged {
            old: old.tags.clone(),
            new: new.tags.clone(),
        });
    }
    if old.deprecated != new.deprecated {
        out.push(Detail::DeprecationChanged {
            old: old.deprecated,
            new: new.deprecated,
        });
    }
    let (os, ns) = (Security::of(old), Security::of(new));
    if os != ns {
        out.push(Detail::SecurityChanged { old: os, new: ns });
    }
    let (og, ng) = (grants(old, old_file), grants(new, new_file));
    if og != ng {
        out.push(Detail::PermissionsChanged { old: og, new: ng });
    }
    parameters(old, new, &mut out);
    request_body(old, new, &mut out);
    responses(old, new, &mut out);
    for (limit, of) in [
        (
            Limit::PropertyValueMaxBytes,
            prose::value_max_bytes as fn(&Operation, &str) -> Option<prose::Sourced<usize>>,
        ),
        (Limit::PropertyKeyMaxChars, prose::key_max_chars),
    ] {
        let o = of(old, old_file).map(|s| s.value);
        let n = of(new, new_file).map(|s| s.value);
        if o != n {
            out.push(Detail::LimitChanged {
                limit,
                old: o.map_or(Value::Null, Value::from),
                new: n.map_or(Value::Null, Value::from),
            });
        }
    }
    out
}

/// The grants the permission prose states, sorted, each once.
fn grants(op: &Operation, file: &str) -> Vec<Grant> {
    let set: BTreeSet<Grant> = prose::permissions(op, file)
        .grants
        .iter()
        .map(|g| g.value)
        .collect();
    set.into_iter().collect()
}

fn parameters(old: &Operation, new: &Operation, out: &mut Vec<Detail>) {
    let key = |p: &Parameter| (p.location, p.name.clone());
    let old_by: BTreeMap<_, &Parameter> = old.parameters.iter().map(|p| (key(p), p)).collect();
    let new_by: BTreeMap<_, &Parameter> = new.parameters.iter().map(|p| (key(p), p)).collect();
    let mut gone: Vec<&Parameter> = old
        .parameters
        .iter()
        .filter(|p| !new_by.contains_key(&key(p)))
        .collect();
    let mut came: Vec<&Parameter> = new
        .parameters
        .iter()
        .filter(|p| !old_by.contains_key(&key(p)))
        .collect();
    // A parameter that left one location for another under the same name moved.
    let mut moved = Vec::new();
    gone.retain(|o| {
        let candidates = came.iter().filter(|p| p.name == o.name).count();
        let old_twins = old.parameters.iter().filter(|p| p.name == o.name).count();
        match came.iter().position(|p| p.name == o.name) {
            Some(i) if candidates == 1 && old_twins == 1 => {
                moved.push((*o, came.remove(i)));
                false
            }
            _ => true,
        }
    });
    for p in gone {
        out.push(Detail::ParameterRemoved {
            location: p.location,
            name: p.name.clone(),
            required: p.required,
        });
    }
    for p in came {
        out.push(Detail::ParameterAdded {
            location: p.location,
            name: p.name.clone(),
            required: p.required,
        });
    }
    let mut pairs: Vec<(&Parameter, &Parameter)> = new
        .parameters
        .iter()
        .filter_map(|n| old_by.get(&key(n)).map(|o| (*o, n)))
        .collect();
    pairs.extend(moved);
    for (o, n) in pairs {
        parameter(o, n, out);
    }
}

fn parameter(old: &Parameter, new: &Parameter, out: &mut Vec<Detail>) {
    let mut field = |field: ParamField, o: Value, n: Value| {
        if o != n {
            out.push(Detail::ParameterChanged {
                location: new.location,
                name: new.name.clone(),
                field,
                old: o,
                new: n,
            });
        }
    };
    field(
        ParamField::In,
        Value::from(old.location.name()),
        Value::from(new.location.name()),
    );
    field(
        ParamField::Required,
        Value::from(old.required),
        Value::from(new.required),
    );
    field(
        ParamField::Deprecated,
        Value::from(old.deprecated),
        Value::from(new.deprecated),
    );
    for (f, keys) in ParamField::SCHEMA {
        field(f, keyword(&old.schema, keys), keyword(&new.schema, keys));
    }
    for bound in Bound::ALL {
        let (o, n) = (
            keyword(&old.schema, &[bound.keyword()]),
            keyword(&new.schema, &[bound.keyword()]),
        );
        if o != n {
            out.push(Detail::LimitChanged {
                limit: Limit::Parameter {
                    location: new.location,
                    name: new.name.clone(),
                    bound,
                },
                old: o,
                new: n,
            });
        }
    }
}

/// The value at `keys` inside a schema, `null` when absent.
fn keyword(schema: &Value, keys: &[&str]) -> Value {
    keys.iter()
        .try_fold(schema, |v, k| v.get(k))
        .cloned()
        .unwrap_or(Value::Null)
}

fn media_types(content: &[(String, Value)]) -> Vec<String> {
    let set: BTreeSet<&String> = content.iter().map(|(m, _)| m).collect();
    set.into_iter().cloned().collect()
}

fn request_body(old: &Operation, new: &Operation, out: &mut Vec<Detail>) {
    let change = |field, old: Value, new: Value| Detail::RequestBodyChanged { field, old, new };
    match (&old.request_body, &new.request_body) {
        (None, None) => {}
        (Some(_), None) | (None, Some(_)) => out.push(change(
            BodyField::Present,
            Value::from(old.request_body.is_some()),
            Value::from(new.request_body.is_some()),
        )),
        (Some(o), Some(n)) => {
            if o.required != n.required {
                out.push(change(
                    BodyField::Required,
                    Value::from(o.required),
                    Value::from(n.required),
                ));
            }
            let (om, nm) = (media_types(&o.content), media_types(&n.content));
            if om != nm {
                out.push(change(
                    BodyField::MediaTypes,
                    Value::from(om),
                    Value::from(nm),
                ));
            }
        }
    }
}

fn responses(old: &Operation, new: &Operation, out: &mut Vec<Detail>) {
    let old_by: BTreeMap<&str, _> = old
        .responses
        .iter()
        .map(|r| (r.status.as_str(), r))
        .collect();
    let new_by: BTreeMap<&str, _> = new
        .responses
        .iter()
        .map(|r| (r.status.as_str(), r))
        .collect();
    for status in old_by.keys().filter(|s| !new_by.contains_key(*s)) {
        out.push(Detail::StatusRemoved {
            status: status.to_string(),
        });
    }
    for status in new_by.keys().filter(|s| !old_by.contains_key(*s)) {
        out.push(Detail::StatusAdded {
            status: status.to_string(),
        });
    }
    for (status, n) in &new_by {
        let Some(o) = old_by.get(status) else {
            continue;
        };
        let (om, nm) = (media_types(&o.content), media_types(&n.content));
        if om != nm {
            out.push(Detail::ResponseContentChanged {
                status: status.to_string(),
                old: om,
                new: nm,
            });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::spec::ParamLocation;

    fn spec(doc: Value) -> Spec {
        crate::spec::parse(&doc.to_string(), "t.json").unwrap()
    }

    fn doc(get: Value) -> Value {
        serde_json::json!({
            "openapi": "3.0.1",
            "info": {"title": "t", "version": "1"},
            "paths": {"/rest/api/3/x": {"get": get}}
        })
    }

    #[test]
    fn a_spec_equals_itself() {
        let s = crate::spec::embedded().unwrap();
        let d = diff(&s, &s);
        assert!(!d.differs(), "{:?}", d.changes);
        assert_eq!(d.unchanged.len(), s.operations.len());
    }

    #[test]
    fn a_moved_parameter_is_one_change() {
        let p = |at: &str| {
            serde_json::json!({"operationId": "x", "parameters": [
                {"name": "a", "in": at, "schema": {"type": "string"}}
            ], "responses": {"200": {"description": "ok"}}})
        };
        let d = diff(&spec(doc(p("query"))), &spec(doc(p("header"))));
        assert_eq!(d.changes.len(), 1, "{:?}", d.changes);
        assert!(matches!(
            &d.changes[0].detail,
            Detail::ParameterChanged {
                field: ParamField::In,
                location: ParamLocation::Header,
                ..
            }
        ));
    }
}
