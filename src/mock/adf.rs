//! Atlassian Document Format: plain text as a document (how v3 shows rich-text fields) and a
//! document read back as plain text (how the mock keeps what v3 clients send).

use serde_json::{json, Value};

/// Plain text as an Atlassian Document Format document: one paragraph per line, as v3 shows
/// rich-text fields (descriptions, worklog comments).
pub(crate) fn adf_document(text: &str) -> Value {
    let paragraphs: Vec<Value> = text
        .split('\n')
        .map(|line| {
            // ADF text nodes must not be empty; an empty line is an empty paragraph.
            let content: Vec<Value> = if line.is_empty() {
                Vec::new()
            } else {
                vec![json!({ "type": "text", "text": line })]
            };
            json!({ "type": "paragraph", "content": content })
        })
        .collect();
    json!({ "type": "doc", "version": 1, "content": paragraphs })
}

/// The plain text of an Atlassian Document Format document, or `None` when the value is not
/// one (an object with `type: "doc"`, `version: 1` and a `content` array). Blocks are joined
/// with newlines, so [`adf_document`]'s output reads back as the text it was made from; marks
/// and other formatting are dropped, since the mock keeps rich text as plain text.
pub(crate) fn adf_text(doc: &Value) -> Option<String> {
    let object = doc.as_object()?;
    if object.get("type")?.as_str()? != "doc" || object.get("version")?.as_u64()? != 1 {
        return None;
    }
    let content = object.get("content")?.as_array()?;
    let mut blocks = Vec::with_capacity(content.len());
    for block in content {
        blocks.push(node_text(block, 0)?);
    }
    Some(blocks.join("\n"))
}

/// Nodes whose children are blocks (joined by newlines) rather than inline content.
const BLOCK_CONTAINERS: [&str; 14] = [
    "doc",
    "bulletList",
    "orderedList",
    "listItem",
    "blockquote",
    "panel",
    "table",
    "tableRow",
    "tableCell",
    "tableHeader",
    "expand",
    "nestedExpand",
    "layoutSection",
    "layoutColumn",
];

/// The deepest nesting read; a document nested deeper is refused rather than risking the stack.
const MAX_ADF_DEPTH: usize = 64;

fn node_text(node: &Value, depth: usize) -> Option<String> {
    if depth > MAX_ADF_DEPTH {
        return None;
    }
    let object = node.as_object()?;
    let kind = object.get("type")?.as_str()?;
    match kind {
        "text" => Some(object.get("text")?.as_str()?.to_string()),
        "hardBreak" => Some("\n".to_string()),
        _ => {
            let Some(children) = object.get("content") else {
                return Some(String::new());
            };
            let children = children.as_array()?;
            let mut texts = Vec::with_capacity(children.len());
            for child in children {
                texts.push(node_text(child, depth + 1)?);
            }
            let separator = if BLOCK_CONTAINERS.contains(&kind) {
                "\n"
            } else {
                ""
            };
            Some(texts.join(separator))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn adf_round_trips_plain_text() {
        for text in ["one line", "two\nlines", "", "gap\n\nline"] {
            assert_eq!(adf_text(&adf_document(text)).as_deref(), Some(text));
        }
        assert_eq!(adf_text(&json!("text")), None);
        assert_eq!(adf_text(&json!({"type": "doc", "version": 1})), None);
        assert_eq!(
            adf_text(&json!({"type": "paragraph", "version": 1, "content": []})),
            None
        );
    }

    #[test]
    fn adf_refuses_absurd_nesting() {
        let mut node = json!({"type": "text", "text": "x"});
        for _ in 0..200 {
            node = json!({"type": "blockquote", "content": [node]});
        }
        assert_eq!(
            adf_text(&json!({"type": "doc", "version": 1, "content": [node]})),
            None
        );
    }
}
