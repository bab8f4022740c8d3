//! URLs: the one a request is sent to (base, path, encoded query), and the path of one, to name
//! a request in a message without its host or query.

use crate::case::Request;

/// The URL for a request: base + path + encoded query.
pub fn url_for(base: &str, request: &Request) -> String {
    // Written straight into one buffer: this runs for every request a run sends.
    let mut url = String::with_capacity(base.len() + request.path.len() + 32);
    url.push_str(base);
    url.push_str(&request.path);
    for (i, (k, v)) in request.query.iter().enumerate() {
        url.push(if i == 0 { '?' } else { '&' });
        encode_query(&mut url, k);
        url.push('=');
        encode_query(&mut url, v);
    }
    url
}

/// Appends `text` to `out`, every byte but the unreserved ones (and `:`) percent-encoded.
fn encode_query(out: &mut String, text: &str) {
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    for b in text.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~' | b':') {
            out.push(char::from(b));
        } else {
            out.push('%');
            out.push(char::from(HEX[usize::from(b >> 4)]));
            out.push(char::from(HEX[usize::from(b & 0x0f)]));
        }
    }
}

/// A run's base URL, parsed once: a request's URL is its path and query resolved against it,
/// which leaves the scheme and host as they were parsed instead of parsing them again for
/// every request (host parsing is most of what a URL parse costs).
#[derive(Debug, Clone)]
pub(crate) struct BaseUrl {
    /// The base as given, without a trailing `/` (what [`url_for`] appends to).
    text: String,
    /// The same with a trailing `/`, parsed: `None` when it does not parse (each request then
    /// parses its own URL and reports why it cannot).
    parsed: Option<reqwest::Url>,
}

impl BaseUrl {
    /// `base` without its trailing `/`s.
    pub(crate) fn new(base: &str) -> BaseUrl {
        let text = base.trim_end_matches('/').to_string();
        let parsed = reqwest::Url::parse(&format!("{text}/"))
            .ok()
            .filter(|u| u.has_host() && u.query().is_none() && u.fragment().is_none());
        BaseUrl { text, parsed }
    }

    /// The base as given, without a trailing `/`.
    pub(crate) fn as_str(&self) -> &str {
        &self.text
    }

    /// The parsed URL of `url`, a URL made by [`url_for`] from this base; `None` when it does
    /// not parse.
    pub(crate) fn parse(&self, url: &str) -> Option<reqwest::Url> {
        let relative = url
            .strip_prefix(self.text.as_str())
            .and_then(|rest| rest.strip_prefix('/'));
        match (&self.parsed, relative) {
            // A first segment with a `:` would read as a scheme, and one starting with `/` as
            // a host: those take the full parse.
            (Some(base), Some(relative))
                if !relative.starts_with('/')
                    && !relative
                        .split(['/', '?'])
                        .next()
                        .unwrap_or("")
                        .contains(':') =>
            {
                base.join(relative).ok()
            }
            _ => reqwest::Url::parse(url).ok(),
        }
    }
}

/// The path of a URL (no host, no query): enough to name a request in a message.
pub(crate) fn path_of(url: &str) -> &str {
    let rest = url.split_once("://").map_or(url, |(_, r)| r);
    let path = rest.find('/').map_or("/", |i| &rest[i..]);
    path.split(['?', '#']).next().unwrap_or(path)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::case::{Actor, Body};

    fn request(path: &str, query: &[(&str, &str)]) -> Request {
        Request {
            method: "GET".into(),
            path: path.into(),
            query: query
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect(),
            actor: Actor::Anonymous,
            body: Body::None,
        }
    }

    #[test]
    fn a_query_is_percent_encoded_but_for_unreserved_bytes_and_colons() {
        let url = url_for(
            "http://127.0.0.1:9",
            &request(
                "/rest/api/3/search",
                &[("jql", "a = \"b/c\" & d"), ("é", "~-._:1"), ("empty", "")],
            ),
        );
        assert_eq!(
            url,
            "http://127.0.0.1:9/rest/api/3/search?jql=a%20%3D%20%22b%2Fc%22%20%26%20d&%C3%A9=~-._:1&empty="
        );
        assert_eq!(
            url_for("http://h", &request("/p", &[])),
            "http://h/p",
            "no query, no `?`"
        );
    }

    #[test]
    fn a_url_resolved_against_the_base_is_the_url_parsed_whole() {
        let paths = [
            "/rest/api/3/issue/CONF-1",
            "/rest/api/3/issue/CONF-1/properties/a%2Fb",
            "/rest/api/3/x/../y/./z",
            "/rest/api/3/with space/é",
            "/rest/api/3/a:b/c",
            "//evil.test/x",
            "/",
            "/rest/api/3/q?already",
            "/rest/api/3/frag#ment",
        ];
        for base in [
            "http://127.0.0.1:8080",
            "http://127.0.0.1:8080/",
            "https://example.test/jira/",
            "http://[::1]:9/a/b",
        ] {
            let parsed = BaseUrl::new(base);
            for path in paths {
                for query in [
                    &[][..],
                    &[("expand", "names,schema"), ("jql", "a = \"b c\"")][..],
                ] {
                    let url = url_for(parsed.as_str(), &request(path, query));
                    assert_eq!(
                        parsed.parse(&url).map(String::from),
                        reqwest::Url::parse(&url).ok().map(String::from),
                        "{base} + {path} {query:?}"
                    );
                }
            }
        }
    }

    #[test]
    fn a_base_that_does_not_parse_leaves_each_url_to_its_own_parse() {
        let parsed = BaseUrl::new("not a url");
        assert_eq!(parsed.parse("not a url/rest"), None);
        assert_eq!(
            parsed
                .parse("http://127.0.0.1/x")
                .map(String::from)
                .as_deref(),
            Some("http://127.0.0.1/x")
        );
    }
}
