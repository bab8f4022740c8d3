//! Snapshots: the normalised exchange of a case, in insta's `.snap` format so `cargo insta
//! review` works on them; comparison gives a unified diff.

use std::collections::BTreeMap;
use std::path::Path;

use serde_json::Value;

use super::redact::{Generated, Redactor, Scope};
use crate::case::Case;
use crate::exchange::CaseRun;

/// The `source` written into snapshot headers.
pub const SNAPSHOT_SOURCE: &str = "jira-conform";

/// What to do with snapshots in a run.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SnapshotMode {
    /// Ignore them.
    Off,
    /// Compare with the stored ones; a missing or different one fails the case.
    Verify,
    /// Store what this run saw as the reference.
    Record,
}

/// Stored snapshots by case id (contents only, headers stripped).
pub type SnapshotSet = BTreeMap<String, String>;

/// The file name of a case's snapshot: `::` becomes `__`.
pub fn snapshot_file_name(case_id: &str) -> String {
    format!("{}.snap", case_id.replace("::", "__"))
}

/// Sorted keys and long strings shortened: targets order keys differently and echo large
/// values, neither of which is worth a diff.
fn normalise(value: &Value) -> Value {
    match value {
        Value::Object(map) => {
            let sorted: BTreeMap<&String, Value> =
                map.iter().map(|(k, v)| (k, normalise(v))).collect();
            Value::Object(sorted.into_iter().map(|(k, v)| (k.clone(), v)).collect())
        }
        Value::Array(items) => Value::Array(items.iter().map(normalise).collect()),
        Value::String(s) if s.len() > 200 => Value::String(format!("<{} bytes of text>", s.len())),
        other => other.clone(),
    }
}

/// Drops what other cases created from listings: cases run in parallel on the same records (a
/// user's property keys, the site's project roles), so only this case's own entries (already
/// `{run}`) and what no run created are stable. Another case's entry is an object member named
/// with its run prefix, or a list element whose `key` or `name` starts with it.
fn drop_foreign_keys(body: &mut Value) {
    static RE: std::sync::OnceLock<regex::Regex> = std::sync::OnceLock::new();
    let re = RE.get_or_init(|| regex::Regex::new(r"^j[0-9a-z]{7}\.").expect("valid regex"));
    let foreign = |v: &Value| {
        ["key", "name"].iter().any(|field| {
            v.get(field)
                .and_then(Value::as_str)
                .is_some_and(|s| re.is_match(s))
        })
    };
    match body {
        Value::Object(map) => {
            map.retain(|k, _| !re.is_match(k));
            map.values_mut().for_each(drop_foreign_keys);
        }
        Value::Array(items) => {
            items.retain(|i| !foreign(i));
            items.iter_mut().for_each(drop_foreign_keys);
        }
        _ => {}
    }
}

/// Values the target generated that the case refers to later (a created role's id, named by
/// `{{step:N:/pointer}}` in a request): each becomes `{step N /pointer}` so the snapshot does
/// not depend on how many were created before.
fn generated_values(case: &Case, run: &CaseRun) -> Vec<Generated> {
    static RE: std::sync::OnceLock<regex::Regex> = std::sync::OnceLock::new();
    let re =
        RE.get_or_init(|| regex::Regex::new(r"\{\{step:(\d+):([^}]*)\}\}").expect("valid regex"));
    let paths = case
        .steps
        .iter()
        .map(|s| s.request.path.as_str())
        .chain(case.cleanup.iter().map(|r| r.path.as_str()));
    let mut out: Vec<Generated> = Vec::new();
    for path in paths {
        for c in re.captures_iter(path) {
            let (Ok(step), pointer) = (c[1].parse::<usize>(), &c[2]) else {
                continue;
            };
            let value = run
                .exchanges
                .iter()
                .find(|e| e.step == step)
                .and_then(|e| e.response.as_ref().ok())
                .and_then(|r| r.json())
                .and_then(|v| v.pointer(pointer).cloned());
            let text = match value {
                Some(Value::Number(n)) => n.to_string(),
                Some(Value::String(s)) if !s.is_empty() => s,
                _ => continue,
            };
            if let Ok(pattern) = regex::Regex::new(&format!(r"\b{}\b", regex::escape(&text))) {
                let kind = case
                    .steps
                    .get(step)
                    .and_then(|s| super::entity_kind::of_request_path(&s.request.path));
                out.push(Generated {
                    value: text,
                    pattern,
                    name: format!("{{step {step} {pointer}}}"),
                    kind,
                });
            }
        }
    }
    out
}

/// The snapshot text of a run: per step, the request line and the normalised response.
pub fn render_snapshot(case: &Case, run: &CaseRun, redactor: &Redactor) -> String {
    let generated = generated_values(case, run);
    let mut out = String::new();
    for ex in &run.exchanges {
        let step = case.steps.get(ex.step);
        let size = ex
            .request
            .body
            .as_ref()
            .map_or(String::new(), |b| format!(" ({} bytes)", b.len()));
        let scope = Scope {
            run_id: &run.run_id,
            request: &ex.request.url,
            generated: &generated,
        };
        out.push_str(&format!(
            "{} {} as {}{size}\n",
            ex.request.method,
            redactor.redact_in(&ex.request.url, &scope),
            ex.request.actor
        ));
        if let Some(s) = step {
            out.push_str(&format!(
                "# {}\n",
                s.label.replace(crate::case::RUN_TOKEN, "{run}")
            ));
        }
        match &ex.response {
            Err(e) => out.push_str(&format!("→ error: {e}\n")),
            Ok(r) => {
                let ct = r
                    .content_type
                    .as_deref()
                    .map(|c| c.replace(' ', "").to_ascii_lowercase())
                    .unwrap_or_else(|| "-".into());
                out.push_str(&format!("→ {} {ct}", r.status));
                if let Some(allow) = &r.allow {
                    out.push_str(&format!(" allow: {allow}"));
                }
                out.push('\n');
                // JSON is redacted value by value, where each id's context is known; the
                // printed text is not searched again (an id kept for its kind stays kept).
                let body = match r.json() {
                    Some(v) => {
                        let mut v = redactor.redact_json_in(&v, &scope);
                        drop_foreign_keys(&mut v);
                        serde_json::to_string_pretty(&normalise(&v)).unwrap_or_default()
                    }
                    None if r.body.len() > 200 => {
                        format!("<{} bytes of non-JSON text>", r.body.len())
                    }
                    None => redactor.redact_in(r.body.trim(), &scope),
                };
                if !body.is_empty() {
                    out.push_str(&body);
                    out.push('\n');
                }
            }
        }
    }
    out
}

/// Reads every `.snap` file of a folder; a missing folder is an empty set.
pub fn load_snapshots(dir: &Path) -> std::io::Result<SnapshotSet> {
    let mut set = SnapshotSet::new();
    let entries = match std::fs::read_dir(dir) {
        Ok(e) => e,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(set),
        Err(e) => return Err(e),
    };
    for entry in entries {
        let path = entry?.path();
        if path.extension().and_then(|e| e.to_str()) != Some("snap") {
            continue;
        }
        let text = std::fs::read_to_string(&path)?;
        if let Some((id, body)) = parse_snap(&text) {
            set.insert(id, body);
        }
    }
    Ok(set)
}

fn parse_snap(text: &str) -> Option<(String, String)> {
    let rest = text.strip_prefix("---\n")?;
    let end = rest.find("\n---\n")?;
    let header = &rest[..end];
    let body = &rest[end + 5..];
    let id = header
        .lines()
        .find_map(|l| l.strip_prefix("expression: "))?
        .trim()
        .trim_matches('"')
        .to_string();
    Some((id, body.trim_end_matches('\n').to_string() + "\n"))
}

/// Writes a snapshot file (or, with `pending`, insta's `.snap.new` beside it) atomically:
/// a temporary file renamed into place, so an interrupted run never leaves half a snapshot.
pub fn write_snapshot(
    dir: &Path,
    case_id: &str,
    content: &str,
    pending: bool,
) -> std::io::Result<()> {
    std::fs::create_dir_all(dir)?;
    let mut name = snapshot_file_name(case_id);
    if pending {
        name.push_str(".new");
    }
    let text = format!("---\nsource: {SNAPSHOT_SOURCE}\nexpression: \"{case_id}\"\n---\n{content}");
    let tmp = dir.join(format!(".{name}.tmp"));
    std::fs::write(&tmp, text)?;
    std::fs::rename(&tmp, dir.join(name))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn written_snapshots_read_back() {
        let dir = std::env::temp_dir().join(format!("jc-snap-{}", std::process::id()));
        write_snapshot(&dir, "v3::a::b::keys::c", "GET x\n→ 200 -\n", false).unwrap();
        let set = load_snapshots(&dir).unwrap();
        assert_eq!(
            set.get("v3::a::b::keys::c").map(String::as_str),
            Some("GET x\n→ 200 -\n")
        );
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn normalise_sorts_keys_and_shortens_long_text() {
        let v = serde_json::json!({"b": 1, "a": "x".repeat(300)});
        assert_eq!(
            serde_json::to_string(&normalise(&v)).unwrap(),
            r#"{"a":"<300 bytes of text>","b":1}"#
        );
    }
}
