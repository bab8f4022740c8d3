//! From recorded exchanges to verdicts: the documented operation, then the documented status
//! set, content type and response schema, as the schema family checks live responses.

use super::matcher::{path_of, Matched, Matcher};
use super::recorded::Recorded;
use super::redact::{redact_body, redact_url, scrub_response_body};
use crate::case::snake;
use crate::case::{Api, Family};
use crate::check::{undocumented_status, DocumentedBody};
use crate::exchange::BODY_CAP_BYTES;
use crate::exchange::{Exchange, Received, SentRequest};
use crate::spec::schema::SchemaCache;
use crate::spec::Spec;
use crate::verdict::{Failure, FailureDetail, Outcome, RunReport, Verdict};

/// The actor of every recorded request: who sent it is not known, and its credentials are
/// never copied.
pub(crate) const RECORDED_ACTOR: &str = "recorded";

/// Resource and operation id of a verdict for an entry that matches no operation.
const UNMATCHED: (&str, &str) = ("unmatched", "none");

/// Violation messages quote the offending value; a whole issue quoted is no help in a report.
const MAX_MESSAGE_CHARS: usize = 400;

/// The report for recorded exchanges, one verdict per exchange in recorded order.
pub(crate) fn report(spec: &Spec, recorded: &[Recorded], profile: &str, source: &str) -> RunReport {
    let matcher = Matcher::new(spec);
    let schemas = SchemaCache::new();
    let declared = declared_media_types(spec);
    let verdicts = recorded
        .iter()
        .map(|r| {
            let mut v = judge(spec, &schemas, &matcher, r);
            undeclared_media_type(spec, &declared, r, &mut v);
            v
        })
        .collect();
    RunReport {
        profile: profile.to_string(),
        target: target(recorded, source),
        spec: spec.source.clone(),
        // Nothing was run; the caller may put the wall time of reading and checking here.
        elapsed_ms: 0,
        snapshots_verified: false,
        verdicts,
        partition: None,
    }
}

/// Every media type the spec documents a response in (lower case; wildcards such as `*/*`
/// left out: they declare no particular type).
fn declared_media_types(spec: &Spec) -> std::collections::BTreeSet<String> {
    spec.operations
        .iter()
        .flat_map(|op| &op.responses)
        .flat_map(|r| &r.content)
        .map(|(media, _)| media.to_ascii_lowercase())
        .filter(|media| !media.contains('*'))
        .collect()
}

/// A recorded answer of the platform REST API (`/rest/…`) in a media type that no response of
/// the spec is documented in (an RFC 7807 `application/problem+json`, an HTML or plain-text
/// error page): a departure from the documentation whatever the operation, so it is reported
/// also for a request that matches no documented operation (an undocumented method, an unknown
/// path), which is otherwise only skipped.
fn undeclared_media_type(
    spec: &Spec,
    declared: &std::collections::BTreeSet<String>,
    r: &Recorded,
    verdict: &mut Verdict,
) {
    let path = path_of(&r.url);
    if r.status == 0 || !path.contains("/rest/") || declared.is_empty() {
        return;
    }
    let Some(essence) = r
        .content_type
        .as_deref()
        .and_then(|c| c.split(';').next())
        .map(|e| e.trim().to_ascii_lowercase())
        .filter(|e| e.contains('/') && e != super::har::UNKNOWN_MIME)
    else {
        return;
    };
    if declared.contains(&essence)
        || verdict
            .failures
            .iter()
            .any(|f| f.kind == crate::verdict::FailureKind::WrongContentType)
    {
        return;
    }
    // No response of the spec is in this media type: the answer departs whatever it answers.
    verdict.failures.push(Failure::new(
        0,
        FailureDetail::WrongContentType {
            expected: declared.iter().cloned().collect(),
            got: Some(essence.clone()),
            count: 1,
        },
        Some(crate::case::Provenance::Spec {
            file: spec.source.clone(),
            pointer: "/paths".into(),
            text: format!(
                "the media types of every response the spec documents ({} answered {} in {essence:?})",
                r.method, r.status
            ),
        }),
    ));
    verdict.outcome = Outcome::Fail;
    verdict.reason = None;
}

/// `source (origin, origin…)`: the file the traffic came from and the sites it was recorded
/// against, in first-seen order.
fn target(recorded: &[Recorded], source: &str) -> String {
    let mut origins: Vec<String> = Vec::new();
    for r in recorded {
        if let Some((scheme, rest)) = r.url.split_once("://") {
            let authority = rest.split(['/', '?', '#']).next().unwrap_or_default();
            let host = authority.rsplit('@').next().unwrap_or(authority);
            let origin = format!("{scheme}://{host}");
            if !origins.contains(&origin) {
                origins.push(origin);
            }
        }
    }
    if origins.is_empty() {
        source.to_string()
    } else {
        format!("{source} ({})", origins.join(", "))
    }
}

/// The verdict on one recorded exchange.
fn judge(spec: &Spec, schemas: &SchemaCache, matcher: &Matcher<'_>, r: &Recorded) -> Verdict {
    let path = path_of(&r.url);
    let found = matcher.find(&r.method, path);
    let matched = found.as_ref().ok();
    let api = matched.map_or_else(|| api_of(path), |m| m.api);
    let (resource, operation_id) = match matched {
        Some(m) => (snake(m.op.tag()), m.op.operation_id.clone()),
        None => (UNMATCHED.0.to_string(), UNMATCHED.1.to_string()),
    };
    let case_tail = matched.map_or(UNMATCHED.0, |m| m.op.operation_id.as_str());
    let (exchange, scrubbed) = exchange(r, matched.is_some());
    let mut summary = match r.status {
        0 => format!("recorded {} {path}, no response", r.method),
        status => format!("recorded {} {path} answered {status}", r.method),
    };
    if !scrubbed.is_empty() {
        summary.push_str(&format!(
            " (secret-looking values of the response body scrubbed: {})",
            scrubbed.join(", ")
        ));
    }
    let mut verdict = Verdict {
        case_id: format!("{}::{case_tail}", r.id),
        api,
        resource,
        operation_id,
        family: Family::Schema,
        summary,
        outcome: Outcome::Pass,
        failures: Vec::new(),
        reason: None,
        exchanges: vec![exchange],
        reproduce: None,
        elapsed_ms: r.elapsed_ms,
        known: None,
    };
    let skip = |verdict: &mut Verdict, reason: String| {
        verdict.outcome = Outcome::Skipped;
        verdict.reason = Some(reason);
    };
    match found {
        Err(unmatched) => {
            let mut reason = format!("no documented operation for {} {path}", r.method);
            if !unmatched.path_methods.is_empty() {
                reason.push_str(&format!(
                    " (the path is documented for {})",
                    unmatched.path_methods.join(", ")
                ));
            }
            skip(&mut verdict, reason);
        }
        Ok(_) if r.status == 0 => skip(
            &mut verdict,
            "no response was recorded (status 0: the request failed, was blocked or cancelled)"
                .into(),
        ),
        // A 304 answers the browser's conditional request from its cache (HTTP caching, not
        // the operation): there is no body and no documented status to hold it to.
        Ok(_) if r.status == 304 => skip(
            &mut verdict,
            "304 Not Modified answers a conditional request from the browser's cache; nothing to check"
                .into(),
        ),
        Ok(m) => {
            if let Some(Ok(received)) = verdict.exchanges.first().map(|e| &e.response) {
                verdict.failures = check(spec, schemas, m, received);
            }
            if !verdict.failures.is_empty() {
                verdict.outcome = Outcome::Fail;
            }
        }
    }
    verdict
}

/// The API version a path names; `V3` for paths outside `/rest/api/2`.
fn api_of(path: &str) -> Api {
    if path.contains("/rest/api/2/") || path.ends_with("/rest/api/2") {
        Api::V2
    } else {
        Api::V3
    }
}

/// The exchange as reports show it: no headers at all, secrets out of the URL and both bodies
/// (with where the response body's were, see [`scrub_response_body`]). Bodies of entries that
/// match no operation are left out (login pages, session cookies in JSON…): nothing is checked
/// in them, so nothing of them needs showing.
fn exchange(r: &Recorded, matched: bool) -> (Exchange, Vec<String>) {
    let mut scrubbed = Vec::new();
    let body = r
        .request_body
        .as_deref()
        .filter(|_| matched)
        .map(|b| redact_body(r.request_content_type.as_deref(), b));
    let request = SentRequest {
        method: r.method.clone(),
        url: redact_url(&r.url),
        actor: RECORDED_ACTOR.into(),
        content_type: body.as_ref().and(r.request_content_type.clone()),
        body,
    };
    let response = if r.status == 0 {
        Err("no response was recorded".to_string())
    } else {
        let body = if matched {
            let (body, found) = scrub_response_body(&r.body);
            scrubbed = found;
            body
        } else {
            String::new()
        };
        // The same cap as for live responses, so a recorded download does not swell reports.
        let cut = (body.len() > BODY_CAP_BYTES).then(|| {
            (0..=BODY_CAP_BYTES)
                .rev()
                .find(|&i| body.is_char_boundary(i))
                .unwrap_or(0)
        });
        Ok(Received {
            status: r.status,
            content_type: r.content_type.clone(),
            allow: r.allow.clone(),
            www_authenticate: None,
            body: body[..cut.unwrap_or(body.len())].to_string(),
            truncated: cut.is_some(),
            elapsed_ms: r.elapsed_ms,
        })
    };
    (
        Exchange {
            step: 0,
            request,
            response,
        },
        scrubbed,
    )
}

/// Every departure of `received` from what `m.op` documents.
fn check(spec: &Spec, schemas: &SchemaCache, m: Matched<'_>, received: &Received) -> Vec<Failure> {
    let op = m.op;
    let status = received.status;
    let Some(response) = op.response_for(status) else {
        return vec![undocumented_status(spec, op, 0, status)];
    };
    let body_present = !received.body.trim().is_empty();
    // A HAR often keeps the content type of a body it did not keep; with neither there is
    // nothing to check (as for live responses with an empty body).
    if response.content.is_empty() || (!body_present && received.content_type.is_none()) {
        return Vec::new();
    }
    let mut failures = Vec::new();
    let essence = received
        .content_type
        .as_deref()
        .and_then(|c| c.split(';').next())
        .map(str::trim);
    let matching = essence.and_then(|e| {
        response
            .content
            .iter()
            .find(|(media, _)| media_matches(e, media))
    });
    let chosen = matching.or_else(|| {
        response
            .content
            .iter()
            .find(|(media, _)| is_json(media))
            .or(response.content.first())
    });
    let Some((media, schema)) = chosen else {
        return failures;
    };
    let doc = DocumentedBody::new(spec, op, response, media, schema, status);
    if matching.is_none() {
        failures.push(Failure::new(
            0,
            FailureDetail::WrongContentType {
                expected: response.content.iter().map(|(m, _)| m.clone()).collect(),
                got: received.content_type.clone(),
                count: 1,
            },
            Some(doc.provenance.clone()),
        ));
    }
    if !body_present || received.truncated || !is_json(media) {
        return failures;
    }
    failures.extend(doc.schema_failures(spec, schemas, m.api, received, 0, shorten));
    failures
}

/// Whether a media type carries JSON (`application/json`, `application/problem+json`…).
fn is_json(media: &str) -> bool {
    let essence = media.split(';').next().unwrap_or_default().trim();
    essence.eq_ignore_ascii_case("application/json")
        || essence.to_ascii_lowercase().ends_with("+json")
}

/// Whether a received media type (parameters removed) is one the documented media range admits.
fn media_matches(actual: &str, documented: &str) -> bool {
    let documented = documented.split(';').next().unwrap_or_default().trim();
    if documented == "*/*" {
        return true;
    }
    match documented.strip_suffix("/*") {
        Some(kind) => actual
            .split('/')
            .next()
            .is_some_and(|k| k.eq_ignore_ascii_case(kind)),
        None => actual.eq_ignore_ascii_case(documented),
    }
}

fn shorten(text: &str) -> String {
    match text.char_indices().nth(MAX_MESSAGE_CHARS) {
        Some((cut, _)) => format!("{}… ({} characters)", &text[..cut], text.chars().count()),
        None => text.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn media_ranges_and_parameters() {
        assert!(media_matches("application/json", "application/json"));
        assert!(media_matches("Application/JSON", "application/json"));
        assert!(media_matches("image/png", "image/*"));
        assert!(media_matches("text/html", "*/*"));
        assert!(!media_matches("text/plain", "application/json"));
        assert!(is_json("application/problem+json"));
        assert!(is_json("application/json;charset=UTF-8"));
        assert!(!is_json("text/plain"));
    }

    #[test]
    fn long_messages_are_cut_on_a_character_boundary() {
        let long = "é".repeat(MAX_MESSAGE_CHARS + 10);
        let short = shorten(&long);
        assert!(short.ends_with(&format!("… ({} characters)", MAX_MESSAGE_CHARS + 10)));
        assert_eq!(shorten("short"), "short");
    }

    fn recorded(url: &str) -> Recorded {
        Recorded {
            id: "har::0".into(),
            method: "GET".into(),
            url: url.into(),
            request_content_type: None,
            request_body: None,
            status: 200,
            content_type: None,
            allow: None,
            body: String::new(),
            elapsed_ms: 0,
        }
    }

    #[test]
    fn bodies_over_the_cap_are_cut_on_a_character_boundary() {
        let mut r = recorded("/rest/api/3/attachment/content/1");
        r.body = format!("a{}", "é".repeat(BODY_CAP_BYTES / 2));
        let Ok(received) = exchange(&r, true).0.response else {
            panic!("a response");
        };
        assert!(received.truncated);
        assert_eq!(received.body.len(), BODY_CAP_BYTES - 1);
        let Ok(unmatched) = exchange(&r, false).0.response else {
            panic!("a response");
        };
        assert!(unmatched.body.is_empty() && !unmatched.truncated);
    }

    #[test]
    fn the_target_names_the_file_and_the_sites() {
        let r = recorded;
        let recorded = [
            r("https://u:p@a.atlassian.net/rest/api/3/myself"),
            r("https://a.atlassian.net/x?y"),
            r("/relative"),
        ];
        assert_eq!(
            target(&recorded, "s.har"),
            "s.har (https://a.atlassian.net)"
        );
        assert_eq!(target(&[], "s.har"), "s.har");
    }
}
