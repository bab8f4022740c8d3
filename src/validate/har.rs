//! HAR 1.2 files (a browser's or a proxy's recording) read into recorded exchanges.
//!
//! Read with `serde_json::Value`, element by element, rather than with typed HAR structs (such
//! as the `har` crate's): an export that lacks a field we do not use (`timings`, `cookies`,
//! `creator`…) still validates, and what cannot be read is named by its JSON pointer.

use base64::Engine;
use serde_json::{Map, Value};

use super::check::report;
use super::error::ValidateError;
use super::read::{child, Doc};
use super::recorded::Recorded;
use crate::spec::Spec;
use crate::verdict::RunReport;

/// Chrome writes this `mimeType` when the response had no `Content-Type`.
pub(super) const UNKNOWN_MIME: &str = "x-unknown";

/// Validates the recorded traffic of a HAR file against `spec`, sending nothing.
///
/// `text` is the file's content and `source` names it in errors and in the report. Each entry
/// of `log.entries` gets one verdict, with case id `har::<index>::<operationId>` (the index
/// is the entry's position, as in the pointer `/log/entries/<index>`) or
/// `har::<index>::unmatched` for an entry that matches no documented operation, which is
/// skipped with the reason `no documented operation for METHOD PATH`.
///
/// # Errors
///
/// [`ValidateError`] when the text is not JSON or an element the checks need cannot be read
/// (named by its JSON pointer, e.g. `/log/entries/3/response/content/text`).
pub fn validate_har(spec: &Spec, text: &str, source: &str) -> Result<RunReport, ValidateError> {
    let recorded = read_har(text, source)?;
    Ok(report(spec, &recorded, "har", source))
}

/// Every entry of the HAR document, in recorded order.
pub(crate) fn read_har(text: &str, file: &str) -> Result<Vec<Recorded>, ValidateError> {
    let doc = Doc { file };
    let root = doc.parse(text)?;
    let root = doc.object(&root, "")?;
    let log = doc.required(root, "", "log")?;
    let log = doc.object(log, "/log")?;
    let entries = doc.required(log, "/log", "entries")?;
    let entries = entries.as_array().ok_or_else(|| {
        doc.invalid(
            "/log/entries",
            format!("expected an array, found {}", super::read::kind(entries)),
        )
    })?;
    entries
        .iter()
        .enumerate()
        .map(|(i, entry)| read_entry(&doc, i, entry))
        .collect()
}

fn read_entry(doc: &Doc<'_>, index: usize, entry: &Value) -> Result<Recorded, ValidateError> {
    let at = format!("/log/entries/{index}");
    let entry = doc.object(entry, &at)?;
    let req_at = child(&at, "request");
    let request = doc.object(doc.required(entry, &at, "request")?, &req_at)?;
    let method = doc
        .string(request, &req_at, "method")?
        .trim()
        .to_ascii_uppercase();
    if method.is_empty() {
        return Err(doc.invalid(&child(&req_at, "method"), "empty method"));
    }
    let url = doc.string(request, &req_at, "url")?.to_string();
    let (request_content_type, request_body) = match request.get("postData") {
        None | Some(Value::Null) => (None, None),
        Some(post) => {
            let post_at = child(&req_at, "postData");
            let post = doc.object(post, &post_at)?;
            let body = doc.optional_string(post, &post_at, "text")?;
            let media = doc
                .optional_string(post, &post_at, "mimeType")?
                .filter(|m| !m.is_empty());
            (media.map(str::to_string), body.map(str::to_string))
        }
    };

    let resp_at = child(&at, "response");
    let response = doc.object(doc.required(entry, &at, "response")?, &resp_at)?;
    let status = doc.status(response, &resp_at, "status")?;
    let header = |name: &str| header(doc, response, &resp_at, name);
    let content_type_header = header("content-type")?;
    let allow = header("allow")?;
    let (mime, body) = match response.get("content") {
        None | Some(Value::Null) => (None, String::new()),
        Some(content) => read_content(doc, content, &child(&resp_at, "content"))?,
    };
    let content_type = content_type_header.or(mime);
    let elapsed_ms = entry
        .get("time")
        .and_then(Value::as_f64)
        .filter(|t| t.is_finite() && *t > 0.0)
        // Whole milliseconds are what reports show (`as` saturates, so no input can wrap).
        .map_or(0, |t| t.round() as u64);
    Ok(Recorded {
        id: format!("har::{index}"),
        method,
        url,
        request_content_type,
        request_body,
        status,
        content_type,
        allow,
        body,
        elapsed_ms,
    })
}

/// The first response header named `name` (case-insensitive).
fn header(
    doc: &Doc<'_>,
    response: &Map<String, Value>,
    at: &str,
    name: &str,
) -> Result<Option<String>, ValidateError> {
    let headers_at = child(at, "headers");
    let headers = match response.get("headers") {
        None | Some(Value::Null) => return Ok(None),
        Some(Value::Array(headers)) => headers,
        Some(other) => {
            return Err(doc.invalid(
                &headers_at,
                format!("expected an array, found {}", super::read::kind(other)),
            ))
        }
    };
    for (i, h) in headers.iter().enumerate() {
        let h_at = format!("{headers_at}/{i}");
        let h = doc.object(h, &h_at)?;
        if doc.string(h, &h_at, "name")?.eq_ignore_ascii_case(name) {
            return Ok(Some(doc.string(h, &h_at, "value")?.to_string()));
        }
    }
    Ok(None)
}

/// The response's `mimeType` and body text (decoded when the HAR stores it as base64).
fn read_content(
    doc: &Doc<'_>,
    content: &Value,
    at: &str,
) -> Result<(Option<String>, String), ValidateError> {
    let content = doc.object(content, at)?;
    let mime = doc
        .optional_string(content, at, "mimeType")?
        .filter(|m| !m.is_empty() && !m.eq_ignore_ascii_case(UNKNOWN_MIME))
        .map(str::to_string);
    let text = doc
        .optional_string(content, at, "text")?
        .unwrap_or_default();
    let body = match doc.optional_string(content, at, "encoding")? {
        None | Some("") => text.to_string(),
        Some(e) if e.eq_ignore_ascii_case("base64") => {
            let compact: String = text.chars().filter(|c| !c.is_whitespace()).collect();
            let bytes = base64::engine::general_purpose::STANDARD
                .decode(compact.as_bytes())
                .map_err(|e| {
                    doc.invalid(
                        &child(at, "text"),
                        format!("the encoding is base64 but the text is not: {e}"),
                    )
                })?;
            String::from_utf8_lossy(&bytes).into_owned()
        }
        Some(other) => {
            return Err(doc.invalid(
                &child(at, "encoding"),
                format!("unsupported encoding {other:?} (only base64 is defined by HAR 1.2)"),
            ))
        }
    };
    Ok((mime, body))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn har(entries: Value) -> String {
        json!({"log": {"version": "1.2", "entries": entries}}).to_string()
    }

    #[test]
    fn an_entry_reads_with_its_header_over_the_mime_type() {
        let text = har(json!([{
            "time": 12.6,
            "request": {"method": "get", "url": "https://x/rest/api/3/myself"},
            "response": {"status": 200,
                "headers": [{"name": "Content-Type", "value": "application/json;charset=UTF-8"}],
                "content": {"mimeType": "application/json", "text": "e30=", "encoding": "base64"}}
        }]));
        let got = read_har(&text, "t.har").unwrap();
        assert_eq!(got[0].method, "GET");
        assert_eq!(
            got[0].content_type.as_deref(),
            Some("application/json;charset=UTF-8")
        );
        assert_eq!(got[0].body, "{}");
        assert_eq!(got[0].elapsed_ms, 13);
        assert_eq!(got[0].id, "har::0");
    }

    #[test]
    fn errors_name_the_pointer() {
        let cases = [
            (json!({"nolog": 1}).to_string(), "t.har#/log: missing"),
            (
                json!({"log": {"entries": {}}}).to_string(),
                "t.har#/log/entries: expected an array, found an object",
            ),
            (
                har(json!([{"request": {"method": "GET", "url": "u"}, "response": {"status": "200"}}])),
                "t.har#/log/entries/0/response/status: expected an HTTP status code, found \"200\"",
            ),
            (
                har(json!([{"request": {"method": "GET"}, "response": {"status": 200}}])),
                "t.har#/log/entries/0/request/url: missing",
            ),
            (
                har(json!([{"request": {"method": "GET", "url": "u"},
                    "response": {"status": 200, "content": {"text": "%%%", "encoding": "base64"}}}])),
                "t.har#/log/entries/0/response/content/text: the encoding is base64 but the text is not",
            ),
        ];
        for (text, want) in cases {
            let err = read_har(&text, "t.har").unwrap_err().to_string();
            assert!(err.starts_with(want), "{err}");
        }
        let err = read_har("{", "t.har").unwrap_err().to_string();
        assert!(err.starts_with("t.har: not a valid JSON document"), "{err}");
    }
}
