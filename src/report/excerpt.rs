//! Bounded excerpts of what a target sent, so that every report grows with the number of cases
//! and never with the bytes a target sends.
//!
//! Each format renders a [`bounded`] view of the run: every text that came from the target (a
//! response body, a header value, a transport error, a URL holding a value it returned) and
//! every text built from one (a failure message, a reason, a reproduction) is cut to a fixed
//! size and ends with `… N bytes more not shown`. Sizes are counted as the text is written
//! out, a control character as the six bytes of its escape, so a body of NUL bytes cannot
//! swell a report either. Request bodies are the tool's own (the curl reproduction points to
//! the report for large ones) and are shown whole.

use serde_json::Value;
use std::borrow::Cow;

use crate::exchange::{Exchange, Received, SentRequest};
use crate::verdict::{Failure, FailureDetail, RunReport, Verdict};

/// A response body in the JSON report, and any message, reason or reproduction in any report.
pub(super) const EXCERPT_BYTES: usize = 8 * 1024;

/// A response body handed to the text formats, which show only its first lines (pretty-printed
/// when it is JSON, so it is kept whole up to this size).
pub(super) const TEXT_BODY_BYTES: usize = 64 * 1024;

/// A URL or a header value.
const LINE_BYTES: usize = 2 * 1024;

/// How much of each text a format is given.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Limits {
    /// Of a response body.
    pub body: usize,
}

impl Limits {
    /// What the JSON report holds.
    pub(super) const JSON: Limits = Limits {
        body: EXCERPT_BYTES,
    };
    /// What the terminal, JUnit, Markdown and HTML reports are given.
    pub(super) const TEXT: Limits = Limits {
        body: TEXT_BODY_BYTES,
    };
}

/// The bytes `c` takes once written out: a control character as its escape (`\u0000` in
/// JSON, `\u{0}` in text), a quote or backslash escaped in JSON.
fn cost(c: char) -> usize {
    match c {
        '\n' | '\t' | '\r' | '"' | '\\' => 2,
        c if c.is_control() => 6,
        c => c.len_utf8(),
    }
}

/// Whether `text` fits in `limit` bytes as written out.
fn fits(text: &str, limit: usize) -> bool {
    // Nothing costs more than 6 bytes per byte: most texts are decided without a scan.
    text.len().saturating_mul(6) <= limit || text.chars().map(cost).sum::<usize>() <= limit
}

/// `text` when it fits in `limit` bytes as written out, else its start (never splitting a
/// character) and `… N bytes more not shown`.
pub(super) fn excerpt(text: &str, limit: usize) -> Cow<'_, str> {
    if fits(text, limit) {
        return Cow::Borrowed(text);
    }
    let mut used = 0;
    let mut end = 0;
    for (i, c) in text.char_indices() {
        used += cost(c);
        if used > limit {
            break;
        }
        end = i + c.len_utf8();
    }
    Cow::Owned(format!(
        "{}… {} bytes more not shown",
        &text[..end],
        text.len() - end
    ))
}

/// The run as a format may show it: `report` itself when every text fits, else a copy with
/// each text cut to its excerpt.
pub(super) fn bounded(report: &RunReport, limits: Limits) -> Cow<'_, RunReport> {
    if report.verdicts.iter().all(|v| verdict_fits(v, limits)) {
        return Cow::Borrowed(report);
    }
    Cow::Owned(RunReport {
        profile: report.profile.clone(),
        target: report.target.clone(),
        spec: report.spec.clone(),
        elapsed_ms: report.elapsed_ms,
        snapshots_verified: report.snapshots_verified,
        verdicts: report
            .verdicts
            .iter()
            .map(|v| bounded_verdict(v, limits))
            .collect(),
        partition: report.partition,
    })
}

fn verdict_fits(v: &Verdict, limits: Limits) -> bool {
    let optional = |t: &Option<String>, limit| t.as_deref().is_none_or(|t| fits(t, limit));
    // A reproduction is the run's own request (its body at most the generator's largest), not
    // the target's text: it is kept whole, so it replays as printed.
    optional(&v.reason, EXCERPT_BYTES)
        && v.failures
            .iter()
            .all(|f| fits(&f.message, EXCERPT_BYTES) && detail_fits(&f.detail))
        && v.exchanges.iter().all(|e| {
            fits(&e.request.url, LINE_BYTES)
                && match &e.response {
                    Ok(r) => {
                        fits(&r.body, limits.body)
                            && optional(&r.content_type, LINE_BYTES)
                            && optional(&r.allow, LINE_BYTES)
                    }
                    Err(error) => fits(error, EXCERPT_BYTES),
                }
        })
}

fn owned(text: &str, limit: usize) -> String {
    excerpt(text, limit).into_owned()
}

fn owned_optional(text: &Option<String>, limit: usize) -> Option<String> {
    text.as_deref().map(|t| owned(t, limit))
}

fn bounded_verdict(v: &Verdict, limits: Limits) -> Verdict {
    Verdict {
        case_id: v.case_id.clone(),
        api: v.api,
        resource: v.resource.clone(),
        operation_id: v.operation_id.clone(),
        family: v.family,
        summary: v.summary.clone(),
        outcome: v.outcome,
        failures: v
            .failures
            .iter()
            .map(|f| Failure {
                kind: f.kind,
                step: f.step,
                message: owned(&f.message, EXCERPT_BYTES),
                detail: bounded_detail(&f.detail),
                provenance: f.provenance.clone(),
            })
            .collect(),
        reason: owned_optional(&v.reason, EXCERPT_BYTES),
        exchanges: v
            .exchanges
            .iter()
            .map(|e| bounded_exchange(e, limits))
            .collect(),
        reproduce: v.reproduce.clone(),
        elapsed_ms: v.elapsed_ms,
        known: v.known.clone(),
    }
}

/// Whether every text of a detail (the target's words and values among them) fits.
fn detail_fits(detail: &FailureDetail) -> bool {
    let line = |t: &str| fits(t, LINE_BYTES);
    let optional_line = |t: &Option<String>| t.as_deref().is_none_or(line);
    let value = |v: &Option<Value>| v.as_ref().is_none_or(value_fits);
    match detail {
        FailureDetail::WrongStatus { label, .. } | FailureDetail::SetupFailed { label, .. } => {
            line(label)
        }
        FailureDetail::UndocumentedStatus { .. } => true,
        FailureDetail::SchemaViolation {
            pointer,
            keyword,
            message,
        } => optional_line(pointer) && optional_line(keyword) && fits(message, EXCERPT_BYTES),
        FailureDetail::WrongContentType { got, .. } | FailureDetail::AllowHeader { got, .. } => {
            optional_line(got)
        }
        FailureDetail::MissingHeader { .. } => true,
        FailureDetail::StateMismatch {
            pointer,
            expected,
            got,
            message,
        } => {
            optional_line(pointer) && value(expected) && value(got) && fits(message, EXCERPT_BYTES)
        }
        FailureDetail::SnapshotDrift { diff, .. } => {
            diff.as_deref().is_none_or(|d| fits(d, EXCERPT_BYTES))
        }
    }
}

fn value_fits(value: &Value) -> bool {
    serde_json::to_string(value).is_ok_and(|t| fits(&t, EXCERPT_BYTES))
}

/// A value too large to show becomes the excerpt of its JSON text (a string).
fn bounded_value(value: &Option<Value>) -> Option<Value> {
    value.as_ref().map(|v| {
        if value_fits(v) {
            v.clone()
        } else {
            Value::String(owned(&v.to_string(), EXCERPT_BYTES))
        }
    })
}

fn bounded_detail(detail: &FailureDetail) -> FailureDetail {
    let line = |t: &str| owned(t, LINE_BYTES);
    let optional_line = |t: &Option<String>| owned_optional(t, LINE_BYTES);
    match detail {
        FailureDetail::MissingHeader { .. } => detail.clone(),
        FailureDetail::WrongStatus {
            label,
            expected,
            got,
        } => FailureDetail::WrongStatus {
            label: line(label),
            expected: expected.clone(),
            got: *got,
        },
        FailureDetail::SetupFailed {
            label,
            expected,
            got,
        } => FailureDetail::SetupFailed {
            label: line(label),
            expected: expected.clone(),
            got: *got,
        },
        FailureDetail::UndocumentedStatus { .. } => detail.clone(),
        FailureDetail::SchemaViolation {
            pointer,
            keyword,
            message,
        } => FailureDetail::SchemaViolation {
            pointer: optional_line(pointer),
            keyword: optional_line(keyword),
            message: owned(message, EXCERPT_BYTES),
        },
        FailureDetail::WrongContentType {
            expected,
            got,
            count,
        } => FailureDetail::WrongContentType {
            expected: expected.clone(),
            got: optional_line(got),
            count: *count,
        },
        FailureDetail::AllowHeader { expected, got } => FailureDetail::AllowHeader {
            expected: expected.clone(),
            got: optional_line(got),
        },
        FailureDetail::StateMismatch {
            pointer,
            expected,
            got,
            message,
        } => FailureDetail::StateMismatch {
            pointer: optional_line(pointer),
            expected: bounded_value(expected),
            got: bounded_value(got),
            message: owned(message, EXCERPT_BYTES),
        },
        FailureDetail::SnapshotDrift { level, diff } => FailureDetail::SnapshotDrift {
            level: *level,
            diff: owned_optional(diff, EXCERPT_BYTES),
        },
    }
}

fn bounded_exchange(e: &Exchange, limits: Limits) -> Exchange {
    Exchange {
        step: e.step,
        request: SentRequest {
            url: owned(&e.request.url, LINE_BYTES),
            ..e.request.clone()
        },
        response: match &e.response {
            Ok(r) => {
                let body = excerpt(&r.body, limits.body);
                Ok(Received {
                    status: r.status,
                    content_type: owned_optional(&r.content_type, LINE_BYTES),
                    allow: owned_optional(&r.allow, LINE_BYTES),
                    www_authenticate: owned_optional(&r.www_authenticate, LINE_BYTES),
                    // Not whole any more: cut by the runner or here (the text says which).
                    truncated: r.truncated || matches!(body, Cow::Owned(_)),
                    body: body.into_owned(),
                    elapsed_ms: r.elapsed_ms,
                })
            }
            Err(error) => Err(owned(error, EXCERPT_BYTES)),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::sample;

    /// Every free text of a failure set to `text`: the message and each string and value of
    /// its detail (a target's words can reach them all).
    fn flood(failure: &mut Failure, text: &str) {
        failure.message = text.to_owned();
        let big = || Some(text.to_owned());
        match &mut failure.detail {
            FailureDetail::WrongStatus { label, .. } | FailureDetail::SetupFailed { label, .. } => {
                *label = text.to_owned()
            }
            FailureDetail::UndocumentedStatus { operation_id, .. } => {
                *operation_id = text.to_owned()
            }
            FailureDetail::SchemaViolation {
                pointer,
                keyword,
                message,
            } => {
                (*pointer, *keyword, *message) = (big(), big(), text.to_owned());
            }
            FailureDetail::WrongContentType { got, .. }
            | FailureDetail::AllowHeader { got, .. } => *got = big(),
            FailureDetail::StateMismatch {
                pointer,
                expected,
                got,
                message,
            } => {
                *pointer = big();
                *expected = Some(Value::String(text.to_owned()));
                *got = Some(serde_json::json!({ "value": text }));
                *message = text.to_owned();
            }
            FailureDetail::SnapshotDrift { diff, .. } => *diff = big(),
            // The header name is the run's own text, not the target's.
            FailureDetail::MissingHeader { .. } => {}
        }
    }

    #[test]
    fn short_texts_are_borrowed_and_long_ones_cut_with_what_is_left() {
        assert!(matches!(excerpt("hello", 5), Cow::Borrowed("hello")));
        assert_eq!(excerpt("hello world", 5), "hello… 6 bytes more not shown");
        // Never inside a character.
        assert_eq!(excerpt("ééé", 5), "éé… 2 bytes more not shown");
        // Control characters count as their escape.
        assert_eq!(
            excerpt(&"\0".repeat(10), 12),
            "\0\0… 8 bytes more not shown"
        );
    }

    #[test]
    fn every_format_stays_small_whatever_the_target_sent() {
        use crate::report::{
            write_html, write_json, write_junit, write_markdown, write_terminal, TerminalOptions,
        };
        // Control characters, letters and line breaks: what escapes and splits the most.
        let huge = "\0x\n".repeat(1 << 16);
        let mut report = sample::report();
        for v in &mut report.verdicts {
            v.reason = Some(huge.clone());
            for f in &mut v.failures {
                flood(f, &huge);
            }
            for e in &mut v.exchanges {
                e.request.url = huge.clone();
                match &mut e.response {
                    Ok(r) => {
                        r.body = huge.clone();
                        r.content_type = Some(huge.clone());
                        r.allow = Some(huge.clone());
                    }
                    Err(error) => *error = huge.clone(),
                }
            }
        }
        let sent: usize = report
            .verdicts
            .iter()
            .map(|v| serde_json::to_string(v).map_or(0, |s| s.len()))
            .sum();
        assert!(sent > 20 << 20, "{sent}");
        let mut outputs: Vec<(&str, Vec<u8>)> = Vec::new();
        let mut out = Vec::new();
        write_json(&report, &mut out).expect("json");
        outputs.push(("json", std::mem::take(&mut out)));
        write_junit(&report, &mut out).expect("junit");
        outputs.push(("junit", std::mem::take(&mut out)));
        write_markdown(&report, &mut out).expect("markdown");
        outputs.push(("markdown", std::mem::take(&mut out)));
        write_html(&report, &mut out).expect("html");
        outputs.push(("html", std::mem::take(&mut out)));
        let verbose = TerminalOptions {
            color: false,
            verbose: true,
        };
        write_terminal(&report, &mut out, &verbose).expect("terminal");
        outputs.push(("terminal", out));
        for (format, bytes) in outputs {
            // 12 verdicts, each a few excerpts of 8 KiB (an exchange repeated per finding).
            println!("{format}: {} bytes", bytes.len());
            assert!(bytes.len() < 2 << 20, "{format}: {} bytes", bytes.len());
            let text = String::from_utf8_lossy(&bytes);
            assert!(text.contains(" bytes more not shown"), "{format}");
        }
    }

    #[test]
    fn a_report_that_fits_is_not_copied() {
        let report = sample::report();
        assert!(matches!(bounded(&report, Limits::TEXT), Cow::Borrowed(_)));
    }

    #[test]
    fn every_text_from_the_target_is_cut() {
        let mut report = sample::report();
        let huge = "x".repeat(1 << 20);
        let v = &mut report.verdicts[2];
        v.reason = Some(huge.clone());
        let reproduce = v.reproduce.clone();
        for f in &mut v.failures {
            flood(f, &huge);
        }
        let request_body = v.exchanges[0].request.body.clone();
        v.exchanges[0].request.url = huge.clone();
        if let Ok(r) = &mut v.exchanges[0].response {
            r.body = huge.clone();
            r.content_type = Some(huge.clone());
            r.allow = Some(huge.clone());
        }
        let json = bounded(&report, Limits::JSON);
        let v = &json.verdicts[2];
        let shown = |t: &str| t.len() < EXCERPT_BYTES + 64 && t.ends_with(" bytes more not shown");
        assert!(shown(v.reason.as_deref().unwrap_or("")));
        assert_eq!(
            v.reproduce, reproduce,
            "the run's own request is kept whole"
        );
        assert!(shown(&v.failures[0].message));
        for f in &v.failures {
            let text = serde_json::to_string(&f.detail).expect("JSON");
            assert!(text.len() < 3 * EXCERPT_BYTES, "{}", text.len());
            assert!(text.contains(" bytes more not shown"));
        }
        assert!(shown(&v.exchanges[0].request.url));
        assert_eq!(v.exchanges[0].request.body, request_body);
        let r = v.exchanges[0].response.as_ref().expect("a response");
        assert!(shown(&r.body) && r.truncated);
        assert!(shown(r.content_type.as_deref().unwrap_or("")));
        assert!(shown(r.allow.as_deref().unwrap_or("")));
        // The text formats get more of a body, still bounded.
        let text = bounded(&report, Limits::TEXT);
        let r = text.verdicts[2].exchanges[0]
            .response
            .as_ref()
            .expect("a response");
        assert!(r.body.len() > EXCERPT_BYTES && r.body.len() < TEXT_BODY_BYTES + 64);
        // Everything else is as it was.
        assert_eq!(json.verdicts[0], report.verdicts[0]);
        assert_eq!(json.verdicts.len(), report.verdicts.len());
    }
}
