//! A directory of request/response pairs, one small JSON file each, read into recorded
//! exchanges.
//!
//! Each `NAME.json` file of the directory (not its subdirectories; other files such as a
//! README are ignored) holds one exchange:
//!
//! ```json
//! {
//!   "method": "GET",
//!   "url": "https://your-site.atlassian.net/rest/api/3/myself",
//!   "status": 200,
//!   "content_type": "application/json;charset=UTF-8",
//!   "body": {"accountId": "5b10ac8d82e05b22cc7d4ef5", "active": true},
//!   "comment": "optional, ignored"
//! }
//! ```
//!
//! `method`, `url` and `status` are required. `url` may be a path (`/rest/api/3/myself`).
//! `content_type` is the response's `Content-Type` (absent: none was sent). `body` is the
//! response body: a JSON value other than a string is the body as JSON; a string is the body's
//! text as received (so a non-JSON body, or JSON kept byte for byte, is written as a string);
//! absent or `null` means no body. Any other member is refused, so a misspelt one is not
//! silently ignored. Pairs are validated in file-name order; the case id is
//! `pairs::NAME::<operationId>`.

use std::path::{Path, PathBuf};

use serde_json::Value;

use super::check::report;
use super::error::ValidateError;
use super::read::{child, Doc};
use super::recorded::Recorded;
use crate::spec::Spec;
use crate::verdict::RunReport;

/// The members a pair file may have.
const MEMBERS: [&str; 6] = ["method", "url", "status", "content_type", "body", "comment"];

/// Validates a directory of request/response pairs (format in this module's documentation)
/// against `spec`, sending nothing. Each pair gets one verdict, with case id
/// `pairs::NAME::<operationId>`, or `pairs::NAME::unmatched` when it matches no documented
/// operation (skipped with the reason `no documented operation for METHOD PATH`).
///
/// # Errors
///
/// [`ValidateError`] when the directory or a file cannot be read, a file is not JSON or a
/// member is missing or of the wrong type (named by file and JSON pointer), or the directory
/// holds no `*.json` file.
pub fn validate_pairs(spec: &Spec, dir: &Path) -> Result<RunReport, ValidateError> {
    let recorded = read_pairs(dir)?;
    Ok(report(spec, &recorded, "pairs", &dir.display().to_string()))
}

/// Every pair of the directory, in file-name order.
pub(crate) fn read_pairs(dir: &Path) -> Result<Vec<Recorded>, ValidateError> {
    let read_error = |file: &Path| {
        let file = file.display().to_string();
        move |source| ValidateError::Read { file, source }
    };
    let mut files: Vec<PathBuf> = Vec::new();
    for entry in std::fs::read_dir(dir).map_err(read_error(dir))? {
        let path = entry.map_err(read_error(dir))?.path();
        let is_json = path
            .extension()
            .is_some_and(|e| e.eq_ignore_ascii_case("json"));
        if is_json && path.is_file() {
            files.push(path);
        }
    }
    if files.is_empty() {
        return Err(ValidateError::Empty {
            dir: dir.display().to_string(),
        });
    }
    files.sort();
    files
        .iter()
        .map(|path| {
            let text = std::fs::read_to_string(path).map_err(read_error(path))?;
            let stem = path
                .file_stem()
                .map(|s| s.to_string_lossy().into_owned())
                .unwrap_or_default();
            read_pair(&text, &path.display().to_string(), &stem)
        })
        .collect()
}

/// One pair file's content; `stem` names the case.
pub(crate) fn read_pair(text: &str, file: &str, stem: &str) -> Result<Recorded, ValidateError> {
    let doc = Doc { file };
    let root = doc.parse(text)?;
    let pair = doc.object(&root, "")?;
    if let Some(unknown) = pair.keys().find(|k| !MEMBERS.contains(&k.as_str())) {
        return Err(doc.invalid(
            &child("", unknown),
            format!("unknown member; a pair has {}", MEMBERS.join(", ")),
        ));
    }
    let method = doc.string(pair, "", "method")?.trim().to_ascii_uppercase();
    if method.is_empty() {
        return Err(doc.invalid("/method", "empty method"));
    }
    let body = match pair.get("body") {
        None | Some(Value::Null) => String::new(),
        Some(Value::String(text)) => text.clone(),
        Some(json) => json.to_string(),
    };
    Ok(Recorded {
        id: format!("pairs::{stem}"),
        method,
        url: doc.string(pair, "", "url")?.to_string(),
        request_content_type: None,
        request_body: None,
        status: doc.status(pair, "", "status")?,
        content_type: doc
            .optional_string(pair, "", "content_type")?
            .map(str::to_string),
        allow: None,
        body,
        elapsed_ms: 0,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bodies_are_json_values_or_text() {
        let json = read_pair(
            r#"{"method":"get","url":"/rest/api/3/myself","status":200,"body":{"a":[1]}}"#,
            "p.json",
            "p",
        )
        .unwrap();
        assert_eq!(json.body, r#"{"a":[1]}"#);
        assert_eq!(json.method, "GET");
        assert_eq!(json.id, "pairs::p");
        let text = read_pair(
            r#"{"method":"GET","url":"/x","status":500,"body":"<html>oops</html>"}"#,
            "p.json",
            "p",
        )
        .unwrap();
        assert_eq!(text.body, "<html>oops</html>");
    }

    #[test]
    fn unknown_and_missing_members_are_named() {
        let err = read_pair(
            r#"{"method":"GET","url":"/x","status":200,"contentType":"a/b"}"#,
            "p.json",
            "p",
        )
        .unwrap_err();
        assert!(
            err.to_string()
                .starts_with("p.json#/contentType: unknown member"),
            "{err}"
        );
        let err = read_pair(r#"{"method":"GET","url":"/x"}"#, "p.json", "p").unwrap_err();
        assert_eq!(err.to_string(), "p.json#/status: missing");
    }
}
