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

/// Whether a value looks like a credential whatever its name: a JWT, an Atlassian API token,
/// or an `Authorization` header value (`Basic …`, `Bearer …`).
fn is_secret_value(value: &str) -> bool {
    let value = super::matcher::percent_decode(value);
    let jwt = value.starts_with("eyJ") && value.matches('.').count() == 2;
    let header = value.split_once(' ').is_some_and(|(scheme, rest)| {
        (scheme.eq_ignore_ascii_case("basic") || scheme.eq_ignore_ascii_case("bearer"))
            && looks_like_token(rest.trim())
    });
    jwt || header || value.starts_with("ATATT") || value.starts_with("ATCTT")
}

/// Whether a word after `Basic`/`Bearer` is a credential rather than prose ("Basic
/// authentication"): long enough, and not only lower-case letters.
fn looks_like_token(word: &str) -> bool {
    let token_chars = word
        .bytes()
        .all(|b| b.is_ascii_alphanumeric() || b"._~+/=-".contains(&b));
    let prose = word.bytes().all(|b| b.is_ascii_lowercase());
    token_chars && word.len() >= 12 && !prose
}

/// Credentials inside free text: `Basic …`/`Bearer …` followed by a token, and JWTs.
fn secret_text() -> Option<&'static regex::Regex> {
    static RE: std::sync::OnceLock<Option<regex::Regex>> = std::sync::OnceLock::new();
    RE.get_or_init(|| {
        regex::Regex::new(
            r"\b(?:[Bb][Aa][Ss][Ii][Cc]|[Bb][Ee][Aa][Rr][Ee][Rr])\s+[A-Za-z0-9._~+/=-]{8,}|eyJ[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*|AT[AC]TT[A-Za-z0-9_=-]+",
        )
        .ok()
    })
    .as_ref()
}

/// `text` with the credentials it holds replaced; `None` when it holds none.
fn scrub_text(text: &str) -> Option<String> {
    let re = secret_text()?;
    let mut changed = false;
    let scrubbed = re.replace_all(text, |caps: &regex::Captures<'_>| {
        let whole = &caps[0];
        let after_scheme = whole.split_whitespace().nth(1);
        match after_scheme {
            Some(word) if !looks_like_token(word) => whole.to_string(),
            _ => {
                changed = true;
                REDACTED.to_string()
            }
        }
    });
    changed.then(|| scrubbed.into_owned())
}

/// A recorded response body with its secret-looking values replaced by `{redacted}`: JSON
/// members named like a credential (token, password, secret, apiKey, authorization,
/// session, cookie…) and values that look like one (`Basic …`, `Bearer …`, JWTs, API tokens),
/// also inside other text. JSON types are kept (only strings are replaced), so the schema
/// check still holds the body to its schema. Returns the body and where it replaced something
/// (JSON pointers, or `the body text`); the body is the text as recorded when nothing was.
pub(crate) fn scrub_response_body(body: &str) -> (String, Vec<String>) {
    let mut found = Vec::new();
    match serde_json::from_str::<Value>(body) {
        Ok(mut value) => {
            scrub_response_value(&mut value, false, "", &mut found);
            if found.is_empty() {
                (body.to_string(), found)
            } else {
                (value.to_string(), found)
            }
        }
        Err(_) => match scrub_text(body) {
            Some(scrubbed) => (scrubbed, vec!["the body text".into()]),
            None => (body.to_string(), found),
        },
    }
}

/// Replaces secret strings in place (every string under a member named like a credential),
/// noting the pointer of each.
fn scrub_response_value(value: &mut Value, secret: bool, pointer: &str, found: &mut Vec<String>) {
    match value {
        Value::Object(members) => {
            for (name, member) in members.iter_mut() {
                let at = super::read::child(pointer, name);
                scrub_response_value(member, secret || is_secret_name(name), &at, found);
            }
        }
        Value::Array(items) => {
            for (i, item) in items.iter_mut().enumerate() {
                scrub_response_value(item, secret, &format!("{pointer}/{i}"), found);
            }
        }
        Value::String(s) if (secret || is_secret_value(s)) && s.as_str() != REDACTED => {
            *s = REDACTED.into();
            found.push(pointer.to_string());
        }
        Value::String(s) if s.as_str() == REDACTED => {}
        Value::String(s) => {
            if let Some(scrubbed) = scrub_text(s) {
                *s = scrubbed;
                found.push(pointer.to_string());
            }
        }
        _ => {}
    }
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
    fn secret_looking_response_members_and_values_are_scrubbed_types_kept() {
        let body = r#"{"apiToken":"tok-1","Password":"pw-1","api_token":"tok-2","session":{"id":"s-1","n":3},"Cookie":["c-1"],"authorization":null,"note":"sent Bearer abcdefgh1234 here","jwt2":"eyJa.eyJb.sig","displayName":"Mia","count":2}"#;
        let (scrubbed, found) = scrub_response_body(body);
        for secret in [
            "tok-1",
            "pw-1",
            "tok-2",
            "s-1",
            "c-1",
            "abcdefgh1234",
            "eyJa.eyJb.sig",
        ] {
            assert!(!scrubbed.contains(secret), "{secret}: {scrubbed}");
        }
        let value: Value = serde_json::from_str(&scrubbed).expect("still JSON");
        assert_eq!(value["session"]["n"], 3);
        assert_eq!(value["authorization"], Value::Null);
        assert_eq!(value["note"], "sent {redacted} here");
        assert_eq!(value["displayName"], "Mia");
        assert_eq!(
            found,
            [
                "/apiToken",
                "/Password",
                "/api_token",
                "/session/id",
                "/Cookie/0",
                "/note",
                "/jwt2"
            ]
        );
        let plain = r#"{"displayName":"Mia"}"#;
        assert_eq!(scrub_response_body(plain), (plain.to_string(), Vec::new()));
        let (text, found) = scrub_response_body("<p>Authorization: Basic YWRtaW46cGFzc3dvcmQ=</p>");
        assert_eq!(text, "<p>Authorization: {redacted}</p>");
        assert_eq!(found, ["the body text"]);
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
