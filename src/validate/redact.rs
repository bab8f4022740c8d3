//! Secrets out of recorded requests before they reach a report: recorded traffic carries the
//! session's credentials (headers, which are never copied, and sometimes query parameters or
//! body fields, which are replaced by `{redacted}`).

use serde_json::Value;

/// What replaces a secret value.
pub(crate) const REDACTED: &str = "{redacted}";

/// Whether a parameter or field name says its value is a credential.
fn is_secret_name(name: &str) -> bool {
    let folded: String = super::matcher::percent_decode(name)
        .chars()
        .filter(char::is_ascii_alphanumeric)
        .map(|c| c.to_ascii_lowercase())
        .collect();
    const PARTS: [&str; 11] = [
        "token",
        "secret",
        "passw",
        "jwt",
        "apikey",
        "credential",
        "cookie",
        "authorization",
        "signature",
        "session",
        "xsrf",
    ];
    const WHOLE: [&str; 4] = ["auth", "sig", "code", "pwd"];
    PARTS.iter().any(|p| folded.contains(p)) || WHOLE.contains(&folded.as_str())
}

/// Whether a value looks like a credential whatever its name: a JWT or an Atlassian API token.
fn is_secret_value(value: &str) -> bool {
    let value = super::matcher::percent_decode(value);
    let jwt = value.starts_with("eyJ") && value.matches('.').count() == 2;
    jwt || value.starts_with("ATATT") || value.starts_with("ATCTT")
}

/// A `name=value&...` string with secret values replaced; order and encoding kept.
fn redact_pairs(query: &str) -> String {
    query
        .split('&')
        .map(|pair| match pair.split_once('=') {
            Some((name, value)) if is_secret_name(name) || is_secret_value(value) => {
                format!("{name}={REDACTED}")
            }
            _ => pair.to_string(),
        })
        .collect::<Vec<_>>()
        .join("&")
}

/// The URL with user information (`user:password@`) and the fragment removed and secret query
/// values replaced.
pub(crate) fn redact_url(url: &str) -> String {
    let url = url.split('#').next().unwrap_or_default();
    let (base, query) = match url.split_once('?') {
        Some((b, q)) => (b, Some(q)),
        None => (url, None),
    };
    let base = match base.split_once("://") {
        Some((scheme, rest)) => {
            let authority_end = rest.find('/').unwrap_or(rest.len());
            let (authority, path) = rest.split_at(authority_end);
            let host = authority.rsplit('@').next().unwrap_or(authority);
            format!("{scheme}://{host}{path}")
        }
        None => base.to_string(),
    };
    match query {
        Some(q) => format!("{base}?{}", redact_pairs(q)),
        None => base,
    }
}

/// A request body with secret fields replaced: JSON members and form fields by name or by the
/// look of their value; other text is kept.
pub(crate) fn redact_body(content_type: Option<&str>, body: &str) -> String {
    let media = content_type
        .and_then(|c| c.split(';').next())
        .map(|m| m.trim().to_ascii_lowercase())
        .unwrap_or_default();
    if media == "application/x-www-form-urlencoded" {
        return redact_pairs(body);
    }
    match serde_json::from_str::<Value>(body) {
        Ok(mut value) => {
            if redact_value(&mut value) {
                value.to_string()
            } else {
                // Nothing secret: keep the text exactly as sent.
                body.to_string()
            }
        }
        Err(_) => body.to_string(),
    }
}

/// Replaces secret members in place; whether anything was replaced.
fn redact_value(value: &mut Value) -> bool {
    match value {
        Value::Object(members) => {
            let mut changed = false;
            for (name, member) in members.iter_mut() {
                let secret_string = member.as_str().is_some_and(is_secret_value);
                if (is_secret_name(name) && !member.is_null()) || secret_string {
                    *member = Value::String(REDACTED.into());
                    changed = true;
                } else {
                    changed |= redact_value(member);
                }
            }
            changed
        }
        Value::Array(items) => items
            .iter_mut()
            .fold(false, |changed, item| redact_value(item) | changed),
        Value::String(s) if is_secret_value(s) => {
            *s = REDACTED.into();
            true
        }
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secret_query_values_and_user_info_go() {
        assert_eq!(
            redact_url(
                "https://me:pw@x.atlassian.net/rest/api/3/myself?expand=groups&access_token=abc&jwt=e#f"
            ),
            "https://x.atlassian.net/rest/api/3/myself?expand=groups&access_token={redacted}&jwt={redacted}"
        );
        assert_eq!(
            redact_url("/rest/api/3/myself?x=ATATT3xFfGF0abc"),
            "/rest/api/3/myself?x={redacted}"
        );
        assert_eq!(
            redact_url("/rest/api/3/user?accountId=5b10ac8d82e05b22cc7d4ef5"),
            "/rest/api/3/user?accountId=5b10ac8d82e05b22cc7d4ef5"
        );
    }

    #[test]
    fn secret_body_fields_go_and_others_stay_as_sent() {
        assert_eq!(
            redact_body(
                Some("application/json"),
                r#"{"username":"a","password":"p","nested":[{"apiToken":"t"}]}"#
            ),
            r#"{"username":"a","password":"{redacted}","nested":[{"apiToken":"{redacted}"}]}"#
        );
        let plain = "{ \"value\": 1 }";
        assert_eq!(redact_body(Some("application/json"), plain), plain);
        assert_eq!(
            redact_body(
                Some("application/x-www-form-urlencoded; charset=UTF-8"),
                "os_username=a&os_password=b"
            ),
            "os_username=a&os_password={redacted}"
        );
    }
}
