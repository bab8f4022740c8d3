//! Comparing two normalised exchanges (a snapshot and its reference, or two targets' answers to
//! the same case) at a level: status, content type, shape, values. Each level includes the
//! coarser ones, and a difference is reported at the first level where it shows, so a reader
//! knows at once whether two sites answer differently or only say different things.

use std::collections::BTreeSet;

use serde_json::Value;
use similar::TextDiff;

use crate::verdict::CompareLevel;

/// How two exchanges differ: the first level at which they do, and the difference seen there.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Drift {
    /// The coarsest level at which the two differ.
    pub level: CompareLevel,
    /// A unified diff of the two at that level.
    pub diff: String,
}

/// Compares `reference` with `actual` (snapshot texts) up to `level`; `None` when they agree
/// there. `labels` name the two sides in the diff (`reference`, `this run`).
pub fn compare(
    reference: &str,
    actual: &str,
    level: CompareLevel,
    labels: (&str, &str),
) -> Option<Drift> {
    if reference == actual {
        return None;
    }
    let (old, new) = (parse(reference), parse(actual));
    for at in CompareLevel::ALL.into_iter().filter(|l| *l <= level) {
        let (a, b) = match at {
            CompareLevel::Values => (reference.to_string(), actual.to_string()),
            _ => (view(&old, at), view(&new, at)),
        };
        if a != b {
            return Some(Drift {
                level: at,
                diff: TextDiff::from_lines(&a, &b)
                    .unified_diff()
                    .context_radius(2)
                    .header(labels.0, labels.1)
                    .to_string(),
            });
        }
    }
    None
}

/// One exchange of a snapshot text, as far as the coarser levels read it.
#[derive(Debug, Default)]
struct Exchange {
    /// The request line's method, and who sent it.
    request: String,
    /// What came back: the status, or `error: …`.
    status: String,
    /// The media type, lower case, without parameters.
    media: String,
    /// The body's lines.
    body: String,
}

/// Splits a snapshot text into its exchanges: a request line (`METHOD URL as ACTOR…`), an
/// optional `# label` line, an answer line (`→ STATUS TYPE…` or `→ error: …`), the body.
fn parse(text: &str) -> Vec<Exchange> {
    let mut out: Vec<Exchange> = Vec::new();
    let mut in_body = false;
    for line in text.lines() {
        if let Some(answer) = line.strip_prefix("→ ") {
            let Some(current) = out.last_mut() else {
                continue;
            };
            if answer.starts_with("error: ") {
                current.status = "error".into();
            } else {
                let mut words = answer.split_whitespace();
                current.status = words.next().unwrap_or("").to_string();
                current.media = words
                    .next()
                    .unwrap_or("")
                    .split(';')
                    .next()
                    .unwrap_or("")
                    .to_ascii_lowercase();
            }
            in_body = true;
            continue;
        }
        if is_request_line(line) {
            let mut words = line.split_whitespace();
            let method = words.next().unwrap_or("");
            let actor = line
                .rsplit_once(" as ")
                .map(|(_, a)| a.split(" (").next().unwrap_or(a))
                .unwrap_or("");
            out.push(Exchange {
                request: format!("{method} as {actor}"),
                ..Exchange::default()
            });
            in_body = false;
            continue;
        }
        if in_body {
            if let Some(current) = out.last_mut() {
                current.body.push_str(line);
                current.body.push('\n');
            }
        }
    }
    out
}

/// `GET {base}/rest/api/3/myself as alice`: an upper-case method, a URL, ` as `.
fn is_request_line(line: &str) -> bool {
    let Some((method, rest)) = line.split_once(' ') else {
        return false;
    };
    !method.is_empty()
        && method.bytes().all(|b| b.is_ascii_uppercase())
        && rest.contains(" as ")
        && !rest.starts_with(' ')
}

/// The text of a snapshot at a coarse level, one block per exchange.
fn view(exchanges: &[Exchange], level: CompareLevel) -> String {
    let mut out = String::new();
    for (n, ex) in exchanges.iter().enumerate() {
        out.push_str(&format!("step {n}: {} → {}", ex.request, ex.status));
        if level >= CompareLevel::ContentType && !ex.media.is_empty() {
            out.push_str(&format!(" {}", ex.media));
        }
        out.push('\n');
        if level >= CompareLevel::Shape {
            for line in shape_lines(&ex.body) {
                out.push_str(&format!("  {line}\n"));
            }
        }
    }
    out
}

/// The shape of a body: each JSON pointer with the JSON type found there, array elements
/// under `*` (so an array's shape is the union of its elements' shapes, whatever their number
/// and order); a body that is not JSON is `text`.
fn shape_lines(body: &str) -> Vec<String> {
    let body = body.trim();
    if body.is_empty() {
        return Vec::new();
    }
    let Ok(value) = serde_json::from_str::<Value>(body) else {
        return vec!["(text)".into()];
    };
    let mut out = BTreeSet::new();
    shape(&value, String::new(), &mut out);
    out.into_iter().collect()
}

fn shape(value: &Value, pointer: String, out: &mut BTreeSet<String>) {
    let here = if pointer.is_empty() { "/" } else { &pointer };
    let kind = match value {
        Value::Null => "null",
        Value::Bool(_) => "boolean",
        Value::Number(_) => "number",
        // A placeholder (`{issue:open}`, `{step 0 /id}`) stands for an id that may be a number
        // on one site and a string on another only through redaction: it is an id either way.
        Value::String(s) if s.starts_with('{') && s.ends_with('}') => "id",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
    };
    out.insert(format!("{here} {kind}"));
    match value {
        Value::Array(items) => {
            for item in items {
                shape(item, format!("{pointer}/*"), out);
            }
        }
        Value::Object(map) => {
            for (k, v) in map {
                let key = k.replace('~', "~0").replace('/', "~1");
                shape(v, format!("{pointer}/{key}"), out);
            }
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const REFERENCE: &str = "PUT {base}/rest/api/3/user/properties/{run}.k?accountId={account:alice} as alice (5 bytes)\n# create\n→ 201 application/json;charset=utf-8\n{\n  \"n\": 1\n}\nGET {base}/rest/api/3/user/properties/{run}.k as alice\n→ 200 application/json;charset=utf-8\n{\n  \"key\": \"{run}.k\",\n  \"list\": [\n    1,\n    2\n  ],\n  \"value\": \"a\"\n}\n";

    fn at(level: CompareLevel, actual: &str) -> Option<CompareLevel> {
        compare(REFERENCE, actual, level, ("reference", "this run")).map(|d| d.level)
    }

    #[test]
    fn each_difference_is_named_at_its_first_level() {
        let other_value = REFERENCE.replace("\"value\": \"a\"", "\"value\": \"b\"");
        let other_type = REFERENCE.replace("\"value\": \"a\"", "\"value\": 7");
        let other_media = REFERENCE.replacen("→ 201 application/json", "→ 201 text/plain", 1);
        let other_status = REFERENCE.replacen("→ 201", "→ 200", 1);
        let more_items = REFERENCE.replace("    1,\n    2\n", "    1,\n    2,\n    3\n");
        assert_eq!(at(CompareLevel::Values, REFERENCE), None);
        assert_eq!(
            at(CompareLevel::Values, &other_value),
            Some(CompareLevel::Values)
        );
        assert_eq!(at(CompareLevel::Shape, &other_value), None);
        assert_eq!(
            at(CompareLevel::Values, &other_type),
            Some(CompareLevel::Shape)
        );
        assert_eq!(at(CompareLevel::Shape, &more_items), None);
        assert_eq!(
            at(CompareLevel::Values, &other_media),
            Some(CompareLevel::ContentType)
        );
        assert_eq!(at(CompareLevel::Status, &other_media), None);
        assert_eq!(
            at(CompareLevel::Values, &other_status),
            Some(CompareLevel::Status)
        );
        assert_eq!(
            at(CompareLevel::Status, &other_status),
            Some(CompareLevel::Status)
        );
    }

    #[test]
    fn the_diff_shows_the_level_it_names() {
        let other_type = REFERENCE.replace("\"value\": \"a\"", "\"value\": 7");
        let drift =
            compare(REFERENCE, &other_type, CompareLevel::Values, ("a", "b")).expect("differs");
        assert!(drift.diff.contains("-  /value string"), "{}", drift.diff);
        assert!(drift.diff.contains("+  /value number"), "{}", drift.diff);
    }
}
