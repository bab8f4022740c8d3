//! The URLs the mock puts in `self` fields: built from the request's `Host` header, the way Jira
//! links back to the site the client called.

use axum::http::header::HOST;
use axum::http::HeaderMap;

/// The REST API versions the mock serves; both behave identically for its operations.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ApiVersion {
    /// `/rest/api/2`.
    V2,
    /// `/rest/api/3`.
    V3,
}

impl ApiVersion {
    /// Both versions.
    pub const ALL: [ApiVersion; 2] = [ApiVersion::V2, ApiVersion::V3];

    /// The path prefix, e.g. `/rest/api/3`.
    pub fn prefix(self) -> &'static str {
        match self {
            ApiVersion::V2 => "/rest/api/2",
            ApiVersion::V3 => "/rest/api/3",
        }
    }
}

/// Builds absolute links for one request.
#[derive(Debug, Clone)]
pub(crate) struct Links {
    /// `http://<host>`.
    site: String,
    version: ApiVersion,
}

impl Links {
    /// Links for a request with these headers to this API version.
    pub(crate) fn new(headers: &HeaderMap, version: ApiVersion) -> Links {
        // A Host header with characters no host or port has is not reflected into links.
        let host = headers
            .get(HOST)
            .and_then(|h| h.to_str().ok())
            .filter(|h| {
                !h.is_empty()
                    && h.chars()
                        .all(|c| c.is_ascii_alphanumeric() || "-._~:[]%".contains(c))
            })
            .unwrap_or("localhost");
        Links {
            site: format!("http://{host}"),
            version,
        }
    }

    /// The REST API base, `http://<host>/rest/api/N`, that every resource's `self` starts with.
    pub(crate) fn api(&self) -> String {
        format!("{}{}", self.site, self.version.prefix())
    }

    /// A user property's `self`.
    pub(crate) fn property(&self, key: &str, account_id: &str) -> String {
        format!(
            "{}/user/properties/{}?accountId={}",
            self.api(),
            encode(key),
            encode(account_id)
        )
    }

    /// A user's `self`.
    pub(crate) fn user(&self, account_id: &str) -> String {
        format!("{}/user?accountId={}", self.api(), encode(account_id))
    }

    /// A group's `self`.
    pub(crate) fn group(&self, name: &str) -> String {
        format!("{}/group?groupname={}", self.api(), encode(name))
    }

    /// A user's avatar of the given Jira size name (`xsmall`, `small`, `medium`, `large`).
    pub(crate) fn avatar(&self, account_id: &str, size: &str) -> String {
        format!(
            "{}/secure/useravatar?size={size}&ownerId={}",
            self.site,
            encode(account_id)
        )
    }
}

/// Percent-encodes everything but RFC 3986's unreserved characters, which is safe both in a path
/// segment and in a query value.
pub(crate) fn encode(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for byte in text.bytes() {
        if byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'.' | b'_' | b'~') {
            out.push(char::from(byte));
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::encode;

    #[test]
    fn encode_keeps_unreserved_and_escapes_the_rest() {
        assert_eq!(encode("a-b.c_d~e"), "a-b.c_d~e");
        assert_eq!(encode("a/b %"), "a%2Fb%20%25");
        assert_eq!(encode("é"), "%C3%A9");
    }
}
