//! URLs: the one a request is sent to (base, path, encoded query), and the path of one, to name
//! a request in a message without its host or query.

use crate::case::Request;

/// The URL for a request: base + path + encoded query.
pub fn url_for(base: &str, request: &Request) -> String {
    let mut url = format!("{base}{}", request.path);
    if !request.query.is_empty() {
        let query: Vec<String> = request
            .query
            .iter()
            .map(|(k, v)| format!("{}={}", encode_query(k), encode_query(v)))
            .collect();
        url.push('?');
        url.push_str(&query.join("&"));
    }
    url
}

fn encode_query(text: &str) -> String {
    let mut out = String::new();
    for b in text.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~' | b':') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
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
