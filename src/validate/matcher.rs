//! From a recorded method and URL to the documented operation: the host and any base path are
//! ignored, path segments are percent-decoded, and `/rest/api/2/...` finds the operation the
//! spec documents under `/rest/api/3/...` (Jira serves every platform operation under both).

use crate::case::Api;
use crate::spec::{Operation, Spec};

/// One piece of a path template segment.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Piece {
    /// Literal text.
    Literal(String),
    /// A `{name}` parameter: any non-empty text.
    Param,
}

/// A template segment: `myself`, `{id}`, or mixed like `{id}.json`.
type Segment = Vec<Piece>;

/// How a template's path starts.
#[derive(Debug)]
enum Shape {
    /// `/rest/api/3/...`: the segments after the version, matched under either version.
    Platform(Vec<Segment>),
    /// Any other path: all of its segments.
    Full(Vec<Segment>),
}

/// The operation a recorded request is for.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Matched<'s> {
    /// The operation.
    pub op: &'s Operation,
    /// The API version the request used (`V3` for paths outside `/rest/api/2`).
    pub api: Api,
}

/// Why a recorded request matched no operation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Unmatched {
    /// Methods the spec documents on the same path (the request used another one).
    pub path_methods: Vec<String>,
}

/// The spec's path templates, parsed once for every recorded entry.
pub(crate) struct Matcher<'s> {
    templates: Vec<(&'s Operation, Shape)>,
}

impl<'s> Matcher<'s> {
    /// Parses every operation's path template.
    pub fn new(spec: &'s Spec) -> Matcher<'s> {
        let templates = spec
            .operations
            .iter()
            .map(|op| {
                let shape = match op.api_relative_path() {
                    Some(rel) => Shape::Platform(parse_template(rel)),
                    None => Shape::Full(parse_template(&op.path)),
                };
                (op, shape)
            })
            .collect();
        Matcher { templates }
    }

    /// The documented operation for `method` on `path` (no host, no query).
    ///
    /// Where several templates match (`/attachment/meta` and `/attachment/{id}`), the one with
    /// literal text earliest wins, as OpenAPI says concrete paths match before templated ones.
    pub fn find(&self, method: &str, path: &str) -> Result<Matched<'s>, Unmatched> {
        let segments = decoded_segments(path);
        // The base URL may carry a context path (`/jira/rest/api/2/...` on Server): the API
        // starts at the first `rest` segment.
        let from_rest = segments
            .iter()
            .position(|s| s == "rest")
            .map_or(&segments[..], |i| &segments[i..]);
        let platform = match from_rest {
            [rest, api, version, tail @ ..] if rest == "rest" && api == "api" => {
                match version.as_str() {
                    "2" => Some((Api::V2, tail)),
                    "3" => Some((Api::V3, tail)),
                    _ => None,
                }
            }
            _ => None,
        };
        let mut best: Option<(Vec<u8>, Matched<'s>)> = None;
        let mut path_methods = Vec::new();
        for (op, shape) in &self.templates {
            let (api, template, actual) = match (shape, platform) {
                (Shape::Platform(t), Some((api, tail))) => (api, t, tail),
                (Shape::Full(t), _) => (Api::V3, t, from_rest),
                (Shape::Platform(_), None) => continue,
            };
            let Some(score) = score(template, actual) else {
                continue;
            };
            if !op.method.eq_ignore_ascii_case(method) {
                path_methods.push(op.method.clone());
                continue;
            }
            if best.as_ref().is_none_or(|(s, _)| score > *s) {
                best = Some((score, Matched { op, api }));
            }
        }
        match best {
            Some((_, m)) => Ok(m),
            None => {
                path_methods.sort();
                path_methods.dedup();
                Err(Unmatched { path_methods })
            }
        }
    }
}

/// The path of a URL: scheme, host, query and fragment removed. A URL without a scheme is taken
/// as a path already.
pub(crate) fn path_of(url: &str) -> &str {
    let without_fragment = url.split('#').next().unwrap_or_default();
    let without_query = without_fragment.split('?').next().unwrap_or_default();
    match without_query.split_once("://") {
        Some((_, rest)) => rest.find('/').map_or("/", |i| &rest[i..]),
        None => without_query,
    }
}

/// The path's segments, each percent-decoded (an encoded `/` stays inside its segment).
fn decoded_segments(path: &str) -> Vec<String> {
    path.strip_prefix('/')
        .unwrap_or(path)
        .split('/')
        .map(percent_decode)
        .collect()
}

/// Percent-decodes text; a `%` not followed by two hex digits is kept as it is.
pub(crate) fn percent_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let decoded = match (bytes[i], bytes.get(i + 1), bytes.get(i + 2)) {
            (b'%', Some(h), Some(l)) => hex(*h).zip(hex(*l)).map(|(h, l)| h * 16 + l),
            _ => None,
        };
        match decoded {
            Some(b) => {
                out.push(b);
                i += 3;
            }
            None => {
                out.push(bytes[i]);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

fn hex(b: u8) -> Option<u8> {
    (b as char).to_digit(16).and_then(|d| u8::try_from(d).ok())
}

fn parse_template(path: &str) -> Vec<Segment> {
    if path.is_empty() {
        return Vec::new();
    }
    path.strip_prefix('/')
        .unwrap_or(path)
        .split('/')
        .map(parse_segment)
        .collect()
}

fn parse_segment(text: &str) -> Segment {
    let mut pieces = Vec::new();
    let mut rest = text;
    while let Some(open) = rest.find('{') {
        let Some(close) = rest[open..].find('}').map(|c| open + c) else {
            break;
        };
        if open > 0 {
            pieces.push(Piece::Literal(rest[..open].to_string()));
        }
        pieces.push(Piece::Param);
        rest = &rest[close + 1..];
    }
    if !rest.is_empty() {
        pieces.push(Piece::Literal(rest.to_string()));
    }
    pieces
}

/// How specifically `template` matches `actual`, segment by segment (2 literal, 1 mixed,
/// 0 parameter), or `None` when it does not match.
fn score(template: &[Segment], actual: &[String]) -> Option<Vec<u8>> {
    if template.len() != actual.len() {
        return None;
    }
    template
        .iter()
        .zip(actual)
        .map(|(segment, text)| {
            segment_matches(segment, text).then(|| match segment.as_slice() {
                [Piece::Param] => 0,
                pieces if pieces.iter().all(|p| matches!(p, Piece::Literal(_))) => 2,
                _ => 1,
            })
        })
        .collect()
}

fn segment_matches(pieces: &[Piece], text: &str) -> bool {
    match pieces.split_first() {
        None => text.is_empty(),
        Some((Piece::Literal(lit), rest)) => text
            .strip_prefix(lit.as_str())
            .is_some_and(|t| segment_matches(rest, t)),
        Some((Piece::Param, rest)) => text
            .char_indices()
            .skip(1)
            .map(|(i, _)| i)
            .chain(std::iter::once(text.len()))
            .filter(|&i| i > 0)
            .any(|i| segment_matches(rest, &text[i..])),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spec() -> Spec {
        crate::spec::embedded().expect("embedded spec loads")
    }

    #[test]
    fn urls_lose_host_query_and_fragment() {
        assert_eq!(
            path_of("https://x.atlassian.net/rest/api/3/myself?expand=groups#top"),
            "/rest/api/3/myself"
        );
        assert_eq!(path_of("https://x.atlassian.net"), "/");
        assert_eq!(path_of("/rest/api/2/myself?x=1"), "/rest/api/2/myself");
    }

    #[test]
    fn percent_decoding_keeps_invalid_escapes() {
        assert_eq!(percent_decode("a%2Fb%20c"), "a/b c");
        assert_eq!(percent_decode("100%"), "100%");
        assert_eq!(percent_decode("%zz%C3%A9"), "%zzé");
    }

    #[test]
    fn both_versions_and_context_paths_find_the_operation() {
        let spec = spec();
        let m = Matcher::new(&spec);
        for (path, api) in [
            ("/rest/api/3/myself", Api::V3),
            ("/rest/api/2/myself", Api::V2),
            ("/jira/rest/api/2/myself", Api::V2),
        ] {
            let found = m.find("GET", path).expect(path);
            assert_eq!(found.op.operation_id, "getCurrentUser");
            assert_eq!(found.api, api);
        }
        assert!(m.find("GET", "/rest/api/4/myself").is_err());
        assert!(m.find("GET", "/rest/api/3/myself/").is_err());
    }

    #[test]
    fn literal_segments_win_over_parameters() {
        let spec = spec();
        let m = Matcher::new(&spec);
        let meta = m.find("GET", "/rest/api/3/attachment/meta").unwrap();
        assert_eq!(meta.op.operation_id, "getAttachmentMeta");
        let one = m.find("GET", "/rest/api/3/attachment/10000").unwrap();
        assert_eq!(one.op.operation_id, "getAttachment");
    }

    #[test]
    fn encoded_slashes_stay_in_their_segment() {
        let spec = spec();
        let m = Matcher::new(&spec);
        let found = m.find("GET", "/rest/api/3/user/properties/a%2Fb").unwrap();
        assert_eq!(found.op.operation_id, "getUserProperty");
    }

    #[test]
    fn another_method_on_a_documented_path_names_the_documented_ones() {
        let spec = spec();
        let m = Matcher::new(&spec);
        let err = m.find("POST", "/rest/api/3/attachment/10000").unwrap_err();
        assert_eq!(err.path_methods, vec!["DELETE", "GET"]);
    }

    #[test]
    fn mixed_segments_match_their_literal_parts() {
        let template = parse_segment("{id}.json");
        assert!(segment_matches(&template, "10.json"));
        assert!(!segment_matches(&template, ".json"));
        assert!(!segment_matches(&template, "10.xml"));
    }
}
