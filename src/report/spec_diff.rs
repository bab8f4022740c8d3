//! The rendering of a spec comparison (`jira-conform spec-diff OLD NEW`): text for people,
//! grouped by change kind then path (coloured on a terminal), and a versioned JSON document.
//!
//! # The JSON document
//!
//! ```json
//! {
//!   "format_version": 1,
//!   "tool": "jira-conform",
//!   "tool_version": "0.1.0",
//!   "old": {"source": "old.json", "title": "…", "version": "…", "operations": 442},
//!   "new": {"source": "new.json", "title": "…", "version": "…", "operations": 468},
//!   "counts": {"operation_added": 26, "operation_removed": 0, "…": 0},
//!   "total_changes": 130,
//!   "unchanged_operations": 380,
//!   "changes": [
//!     {"path": "/rest/api/3/x", "method": "GET", "operation_id": "getX",
//!      "kind": "parameter_changed", "in": "query", "name": "expand", "field": "type",
//!      "old": "string", "new": "array"}
//!   ]
//! }
//! ```
//!
//! `counts` lists every kind, in report order. Each change has `path`, `kind`, and `method` and
//! `operation_id` unless it is path-level (`path_methods_changed`); the other fields depend on
//! the kind:
//!
//! | kind | fields |
//! | --- | --- |
//! | `operation_added`, `operation_removed` | — |
//! | `path_methods_changed` | `old`, `new`: sorted methods |
//! | `operation_id_changed` | `old`, `new`: operationIds |
//! | `tags_changed` | `old`, `new`: tags in order |
//! | `deprecation_changed` | `old`, `new`: booleans |
//! | `security_changed` | `old`, `new`: `{"schemes": [...], "anonymous": bool}` |
//! | `permissions_changed` | `old`, `new`: grants (`administer_jira`, `own_record`, `access_jira`, `browse_projects`, `administer_projects`, `anyone`) |
//! | `parameter_added`, `parameter_removed` | `in`, `name`, `required` |
//! | `parameter_changed` | `in`, `name`, `field` (`required`, `in`, `deprecated`, `type`, `format`, `enum`, `pattern`, `default`, `items.type`, `items.enum`), `old`, `new` (`null`: absent) |
//! | `request_body_changed` | `field` (`present`, `required`, `media_types`), `old`, `new` |
//! | `status_added`, `status_removed` | `status` as written (`200`, `4XX`, `default`) |
//! | `response_content_changed` | `status`, `old`, `new`: sorted media types |
//! | `limit_changed` | `limit`: `{"source": "property_value_max_bytes"}`, `{"source": "property_key_max_chars"}` or `{"source": "parameter", "in", "name", "bound"}` (a JSON Schema keyword: `maxLength`…); `old`, `new` (`null`: not stated) |

use std::io::Write;

use owo_colors::Style;
use serde::{Serialize, Serializer};
use serde_json::Value;

use super::style::{clean, cut, Paint};
use crate::spec_diff::{grant_name, Change, ChangeKind, Detail, SpecDiff, SpecInfo};

/// Version of the JSON document's layout; raised on any incompatible change.
pub const SPEC_DIFF_JSON_VERSION: u32 = 1;

#[derive(Serialize)]
struct Document<'a> {
    format_version: u32,
    tool: &'static str,
    tool_version: &'static str,
    old: &'a SpecInfo,
    new: &'a SpecInfo,
    #[serde(serialize_with = "counts_map")]
    counts: Vec<(ChangeKind, usize)>,
    total_changes: usize,
    unchanged_operations: usize,
    changes: &'a [Change],
}

fn counts_map<S: Serializer>(counts: &[(ChangeKind, usize)], s: S) -> Result<S::Ok, S::Error> {
    s.collect_map(counts.iter().map(|(k, n)| (k.name(), n)))
}

/// Writes the comparison as the versioned JSON document described in the module docs.
pub fn write_json(diff: &SpecDiff, out: &mut dyn Write) -> std::io::Result<()> {
    let doc = Document {
        format_version: SPEC_DIFF_JSON_VERSION,
        tool: "jira-conform",
        tool_version: env!("CARGO_PKG_VERSION"),
        old: &diff.old,
        new: &diff.new,
        counts: diff.counts(),
        total_changes: diff.changes.len(),
        unchanged_operations: diff.unchanged.len(),
        changes: &diff.changes,
    };
    serde_json::to_writer_pretty(&mut *out, &doc)?;
    writeln!(out)
}

/// Writes the comparison for a person: a heading per change kind, the paths under it, one line
/// per change; then the counts. Coloured when `color` (added green, removed red, changed
/// yellow).
pub fn write_text(diff: &SpecDiff, out: &mut dyn Write, color: bool) -> std::io::Result<()> {
    let paint = Paint::new(color);
    writeln!(
        out,
        "{} {} → {}",
        paint.bold("spec-diff"),
        side(&diff.old),
        side(&diff.new)
    )?;
    for (kind, n) in diff.counts() {
        if n == 0 {
            continue;
        }
        writeln!(out)?;
        writeln!(out, "{}", paint.bold(&format!("{} ({n})", kind.title())))?;
        let mut last_path: Option<&str> = None;
        for change in diff.changes.iter().filter(|c| c.kind() == kind) {
            if last_path != Some(change.path.as_str()) {
                writeln!(out, "  {}", clean(&change.path))?;
                last_path = Some(&change.path);
            }
            let (mark, style) = sign(&change.detail);
            writeln!(
                out,
                "    {} {}",
                paint.apply(mark, style),
                clean(&line(change))
            )?;
        }
    }
    writeln!(out)?;
    let listed: Vec<String> = diff
        .counts()
        .into_iter()
        .filter(|(_, n)| *n > 0)
        .map(|(k, n)| format!("{n} {}", k.name()))
        .collect();
    if listed.is_empty() {
        writeln!(
            out,
            "no change; {} operations unchanged",
            diff.unchanged.len()
        )
    } else {
        writeln!(
            out,
            "{} changes ({}); {} operations unchanged",
            diff.changes.len(),
            listed.join(", "),
            diff.unchanged.len()
        )
    }
}

fn side(info: &SpecInfo) -> String {
    let name = [info.title.as_str(), info.version.as_str()]
        .iter()
        .filter(|s| !s.is_empty())
        .copied()
        .collect::<Vec<_>>()
        .join(" ");
    clean(&format!(
        "{} ({}{}{} operations)",
        info.source,
        name,
        if name.is_empty() { "" } else { ", " },
        info.operations
    ))
}

fn sign(detail: &Detail) -> (&'static str, Style) {
    match detail {
        Detail::OperationAdded | Detail::ParameterAdded { .. } | Detail::StatusAdded { .. } => {
            ("+", Style::new().green())
        }
        Detail::OperationRemoved
        | Detail::ParameterRemoved { .. }
        | Detail::StatusRemoved { .. } => ("-", Style::new().red()),
        _ => ("~", Style::new().yellow()),
    }
}

/// A JSON value for a person: `(none)` for null, strings quoted, at most 160 characters.
fn shown(v: &Value) -> String {
    match v {
        Value::Null => "(none)".into(),
        other => cut(&other.to_string(), 160),
    }
}

fn list(items: &[String]) -> String {
    if items.is_empty() {
        "(none)".into()
    } else {
        items.join(", ")
    }
}

/// The line of one change, after its sign.
fn line(change: &Change) -> String {
    let who = match (&change.method, &change.operation_id) {
        (Some(m), Some(id)) => format!("{m} {id}"),
        (Some(m), None) => m.clone(),
        _ => String::new(),
    };
    let what = match &change.detail {
        Detail::OperationAdded | Detail::OperationRemoved => return who,
        Detail::PathMethodsChanged { old, new } => {
            return format!("methods {} → {}", list(old), list(new))
        }
        Detail::OperationIdChanged { old, new } => {
            let method = change.method.as_deref().unwrap_or_default();
            return format!("{method} operationId {old} → {new}");
        }
        Detail::TagsChanged { old, new } => format!("tags {} → {}", list(old), list(new)),
        Detail::DeprecationChanged { old, new } => format!("deprecated {old} → {new}"),
        Detail::SecurityChanged { old, new } => {
            let s = |sec: &crate::spec_diff::Security| {
                format!(
                    "{}{}",
                    list(&sec.schemes),
                    if sec.anonymous {
                        " (anonymous allowed)"
                    } else {
                        ""
                    }
                )
            };
            format!("security {} → {}", s(old), s(new))
        }
        Detail::PermissionsChanged { old, new } => {
            let g = |grants: &[crate::spec::prose::Grant]| {
                list(
                    &grants
                        .iter()
                        .map(|&g| grant_name(g).to_string())
                        .collect::<Vec<_>>(),
                )
            };
            format!("permission grants {} → {}", g(old), g(new))
        }
        Detail::ParameterAdded {
            location,
            name,
            required,
        }
        | Detail::ParameterRemoved {
            location,
            name,
            required,
        } => format!(
            "{} {name}{}",
            location.name(),
            if *required { " (required)" } else { "" }
        ),
        Detail::ParameterChanged {
            location,
            name,
            field,
            old,
            new,
        } => format!(
            "{} {name} {}: {} → {}",
            location.name(),
            field.name(),
            shown(old),
            shown(new)
        ),
        Detail::RequestBodyChanged { field, old, new } => {
            format!(
                "request body {}: {} → {}",
                field.name(),
                shown(old),
                shown(new)
            )
        }
        Detail::StatusAdded { status } | Detail::StatusRemoved { status } => {
            format!("status {status}")
        }
        Detail::ResponseContentChanged { status, old, new } => {
            format!("{status} media types {} → {}", list(old), list(new))
        }
        Detail::LimitChanged { limit, old, new } => {
            format!("{limit}: {} → {}", shown(old), shown(new))
        }
    };
    format!("{who}: {what}")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> SpecDiff {
        let doc = |required: bool, extra: bool| {
            let mut paths = serde_json::json!({"/rest/api/3/x": {"get": {
                "operationId": "getX",
                "parameters": [{"name": "q", "in": "query", "required": required,
                                "schema": {"type": "string"}}],
                "responses": {"200": {"description": "ok"}}
            }}});
            if extra {
                paths["/rest/api/3/y"] = serde_json::json!({"put": {
                    "operationId": "putY", "responses": {"204": {"description": "done"}}
                }});
            }
            serde_json::json!({"openapi": "3.0.1", "info": {"title": "t", "version": "1"},
                               "paths": paths})
            .to_string()
        };
        let old = crate::spec::parse(&doc(false, false), "old.json").unwrap();
        let new = crate::spec::parse(&doc(true, true), "new.json").unwrap();
        crate::spec_diff::diff(&old, &new)
    }

    #[test]
    fn text_groups_by_kind_then_path_and_is_plain_without_colour() {
        let mut out = Vec::new();
        write_text(&sample(), &mut out, false).unwrap();
        let text = String::from_utf8(out).unwrap();
        assert!(!text.contains('\x1b'), "{text}");
        let added = text.find("operations added (1)").unwrap();
        let changed = text.find("parameters changed (1)").unwrap();
        assert!(added < changed, "{text}");
        assert!(text.contains("  /rest/api/3/y\n    + PUT putY\n"), "{text}");
        assert!(
            text.contains("    ~ GET getX: query q required: false → true\n"),
            "{text}"
        );
        assert!(text.ends_with(
            "2 changes (1 operation_added, 1 parameter_changed); 0 operations unchanged\n"
        ));
        let mut coloured = Vec::new();
        write_text(&sample(), &mut coloured, true).unwrap();
        assert!(String::from_utf8(coloured).unwrap().contains('\x1b'));
    }

    #[test]
    fn json_is_versioned_and_counts_every_kind() {
        let mut out = Vec::new();
        write_json(&sample(), &mut out).unwrap();
        let v: Value = serde_json::from_slice(&out).unwrap();
        assert_eq!(v["format_version"], 1);
        assert_eq!(v["total_changes"], 2);
        assert_eq!(
            v["counts"].as_object().unwrap().len(),
            ChangeKind::ALL.len()
        );
        assert_eq!(v["counts"]["operation_added"], 1);
        assert_eq!(v["changes"][1]["kind"], "parameter_changed");
        assert_eq!(v["changes"][1]["field"], "required");
        assert_eq!(v["changes"][1]["in"], "query");
        assert_eq!(v["changes"][1]["new"], true);
    }
}
