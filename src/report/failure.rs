//! The text explaining one verdict, shared by the terminal report and JUnit.

use std::collections::BTreeSet;

use serde_json::Value;

use super::style::{clean, clean_line, cut, Paint};
use crate::exchange::{Exchange, Received};
use crate::verdict::{Failure, FailureKind, Outcome, Verdict};

/// Lines of a response body shown; enough to see an error message, short enough to scan.
const BODY_LINES: usize = 20;
/// Characters of one body line shown; minified HTML or a huge value is one line.
const LINE_CHARS: usize = 160;
/// JSON strings longer than this are shortened (a limits case sends and echoes 32 KiB values).
const STRING_CHARS: usize = 80;

/// The multi-line explanation of a verdict, without colour.
///
/// For a failure: the summary, then each failure (kind, message, `documented by:`), the exchange
/// of the step it concerns, and `reproduce: <curl>` when there is one. For an error, the reason and
/// the exchange that broke; for a skipped case, the reason. The terminal report prints the same
/// text (coloured when asked) under its `FAIL`/`ERROR` header; JUnit uses it as the description.
/// Lines are separated by `\n`; there is no final newline.
pub fn failure_text(v: &Verdict) -> String {
    render(v, Paint::PLAIN)
}

/// One line for a verdict: the first failure (`wrong status: PUT as alice: expected 400, got 201`), or the
/// reason of an error or skip. Used where a single line is wanted (JUnit `message`).
pub(super) fn headline(v: &Verdict) -> String {
    let first = match v.outcome {
        Outcome::Pass => return String::new(),
        Outcome::Fail => match v.failures.first() {
            Some(f) => format!("{}: {}", kind_label(f), first_line(&f.detail.to_string())),
            None => "failed (no failure recorded)".to_owned(),
        },
        Outcome::Known => format!("known deviation: {}", known_reason(v)),
        Outcome::NowConforms => format!(
            "known deviation now conforms, remove it from the fixtures: {}",
            known_reason(v)
        ),
        Outcome::Error | Outcome::Skipped | Outcome::NotServed => match &v.reason {
            Some(reason) => first_line(reason).to_owned(),
            None => format!("{} (no reason recorded)", v.outcome.name()),
        },
    };
    clean_line(&first)
}

/// The reason (and link) of the known deviation a verdict matched.
fn known_reason(v: &Verdict) -> String {
    match &v.known {
        Some(k) => match &k.link {
            Some(link) => format!("{} ({link})", k.reason),
            None => k.reason.clone(),
        },
        None => "(no entry recorded)".into(),
    }
}

/// [`failure_text`] with styles applied through `paint`.
pub(super) fn render(v: &Verdict, paint: Paint) -> String {
    let mut out = Vec::new();
    push_text(&mut out, 0, "", &v.summary);
    match v.outcome {
        Outcome::Pass => {}
        Outcome::Fail => {
            render_failures(v, paint, &mut out);
            if let Some(reason) = &v.reason {
                push_text(&mut out, 0, &paint.dim("reason: "), reason);
            }
        }
        Outcome::Error => {
            let reason = v.reason.as_deref().unwrap_or("(no reason recorded)");
            push_text(
                &mut out,
                0,
                &paint.outcome("error: ", Outcome::Error),
                reason,
            );
            // The exchange that broke is the one without a response.
            for exchange in v.exchanges.iter().filter(|e| e.response.is_err()) {
                render_exchange(exchange, paint, &mut out);
            }
        }
        Outcome::Skipped | Outcome::NotServed => {
            let reason = v.reason.as_deref().unwrap_or("(no reason recorded)");
            let label = match v.outcome {
                Outcome::NotServed => paint.outcome("not served: ", Outcome::NotServed),
                _ => paint.outcome("skipped: ", Outcome::Skipped),
            };
            push_text(&mut out, 0, &label, reason);
        }
        Outcome::Known => {
            let label = paint.outcome("known deviation: ", Outcome::Known);
            push_text(&mut out, 0, &label, &known_reason(v));
            render_failures(v, paint, &mut out);
        }
        Outcome::NowConforms => {
            let label = paint.outcome("now conforms: ", Outcome::NowConforms);
            push_text(
                &mut out,
                0,
                &label,
                &format!(
                    "listed as a known deviation ({}) but the target behaves as documented; remove the entry from the fixtures",
                    known_reason(v)
                ),
            );
        }
    }
    if v.outcome != Outcome::Pass {
        if let Some(curl) = &v.reproduce {
            push_text(&mut out, 0, &paint.dim("reproduce: "), curl);
        }
    }
    out.join("\n")
}

/// Each failure, then the exchange of its step once that step's failures are listed.
fn render_failures(v: &Verdict, paint: Paint, out: &mut Vec<String>) {
    if v.failures.is_empty() {
        out.push(paint.outcome("(no failure recorded)", Outcome::Fail));
        return;
    }
    // Several failures usually concern one step: its exchange is shown once, after the last of
    // a run of failures on it, rather than repeated under each.
    let mut shown = BTreeSet::new();
    for (i, failure) in v.failures.iter().enumerate() {
        render_failure(failure, paint, out);
        let step_ends = v
            .failures
            .get(i + 1)
            .is_none_or(|next| next.step != failure.step);
        if step_ends && shown.insert(failure.step) {
            match v.exchanges.iter().find(|e| e.step == failure.step) {
                Some(exchange) => render_exchange(exchange, paint, out),
                None => {
                    out.push(paint.dim(&format!("step {}: no exchange recorded", failure.step)))
                }
            }
        }
    }
}

/// `kind: text` (the detail's) and where the expectation is documented.
fn render_failure(failure: &Failure, paint: Paint, out: &mut Vec<String>) {
    let label = format!("{}: ", kind_label(failure));
    let text = failure.detail.to_string();
    push_text(out, 0, &paint.outcome(&label, Outcome::Fail), &text);
    if failure.kind == FailureKind::SnapshotDrift {
        colour_diff(out, text.lines().count(), paint);
    }
    if let Some(provenance) = &failure.provenance {
        let label = paint.dim("documented by: ");
        push_text(out, 2, &label, &provenance.to_string());
    }
}

/// The request line, then the status line and an excerpt of the body (or the transport error).
fn render_exchange(exchange: &Exchange, paint: Paint, out: &mut Vec<String>) {
    let request = &exchange.request;
    let mut line = format!(
        "{} {} {} as {}",
        paint.bold(&format!("step {}:", exchange.step)),
        clean_line(&request.method),
        clean_line(&request.url),
        clean_line(&request.actor),
    );
    if let Some(body) = &request.body {
        // The size is what limits cases are about; the body itself is in the curl command.
        let content_type = request.content_type.as_deref().unwrap_or("no content type");
        line.push_str(&format!(
            " (sent {} bytes, {})",
            body.len(),
            clean_line(content_type)
        ));
    }
    out.push(line);
    match &exchange.response {
        Ok(received) => {
            let content_type = received
                .content_type
                .as_deref()
                .unwrap_or("no content type");
            let mut status = format!("  → {} {}", received.status, clean_line(content_type));
            if let Some(allow) = &received.allow {
                status.push_str(&format!(", Allow: {}", clean_line(allow)));
            }
            out.push(status);
            out.extend(
                body_excerpt(received)
                    .into_iter()
                    .map(|l| format!("    {l}")),
            );
        }
        Err(error) => {
            let label = paint.outcome("→ transport error: ", Outcome::Error);
            push_text(out, 2, &label, error);
        }
    }
}

/// The first lines of a body, pretty-printed if it is JSON, long strings and lines cut.
pub(super) fn body_excerpt(received: &Received) -> Vec<String> {
    if received.body.trim().is_empty() {
        return vec!["(empty body)".to_owned()];
    }
    let text = match received.json() {
        Some(mut value) => {
            shorten_strings(&mut value);
            serde_json::to_string_pretty(&value).unwrap_or_else(|_| received.body.clone())
        }
        None => received.body.clone(),
    };
    let lines: Vec<&str> = text.lines().collect();
    let mut excerpt: Vec<String> = lines
        .iter()
        .take(BODY_LINES)
        .map(|l| cut(&clean(l), LINE_CHARS))
        .collect();
    if lines.len() > BODY_LINES {
        excerpt.push(format!("… {} more lines", lines.len() - BODY_LINES));
    }
    if received.truncated {
        // Cut by the runner (its note in the reason says where and why) or for this report.
        excerpt.push("… (body cut: only its start was kept)".to_owned());
    }
    excerpt
}

/// Replaces every long string in a JSON value by its start and its length.
fn shorten_strings(value: &mut Value) {
    match value {
        Value::String(s) => {
            let chars = s.chars().count();
            if chars > STRING_CHARS {
                *s = format!("{} ({chars} characters)", cut(s, STRING_CHARS));
            }
        }
        Value::Array(items) => items.iter_mut().for_each(shorten_strings),
        Value::Object(map) => map.values_mut().for_each(shorten_strings),
        Value::Null | Value::Bool(_) | Value::Number(_) => {}
    }
}

/// The kind as words: `wrong status`.
pub(super) fn kind_label(failure: &Failure) -> String {
    failure.kind.name().replace('_', " ")
}

/// The first line of possibly multi-line text.
fn first_line(text: &str) -> &str {
    text.lines().next().unwrap_or("")
}

/// `label` then `text`, cleaned, indented by `indent` spaces; continuation lines go two spaces
/// further, so they sit under the item they continue.
///
/// The indent is given apart from the label because a coloured label starts with an escape
/// sequence, which would hide its leading spaces from any measure of them.
/// Colours the last `lines` lines pushed when they hold a unified diff: the reference's lines
/// red, this run's green (the text was cleaned of control characters when pushed).
fn colour_diff(out: &mut [String], lines: usize, paint: Paint) {
    let start = out.len().saturating_sub(lines.saturating_sub(1));
    for line in &mut out[start..] {
        let body = line.trim_start();
        let pad = &line[..line.len() - body.len()];
        let coloured = if body.starts_with('-') && !body.starts_with("---") {
            paint.outcome(body, Outcome::Fail)
        } else if body.starts_with('+') && !body.starts_with("+++") {
            paint.outcome(body, Outcome::Pass)
        } else {
            continue;
        };
        *line = format!("{pad}{coloured}");
    }
}

fn push_text(out: &mut Vec<String>, indent: usize, label: &str, text: &str) {
    let text = clean(text);
    let mut lines = text.lines();
    let pad = " ".repeat(indent);
    out.push(format!("{pad}{label}{}", lines.next().unwrap_or("")));
    let pad = " ".repeat(indent + 2);
    out.extend(lines.map(|l| format!("{pad}{l}")));
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::sample::{self, CURL, SKIP_PRINCIPAL};

    fn verdict(id_part: &str) -> Verdict {
        sample::report()
            .verdicts
            .into_iter()
            .find(|v| v.case_id.ends_with(id_part))
            .unwrap()
    }

    #[test]
    fn failure_text_is_the_terminal_block_without_colour() {
        let v = verdict("value_32769_bytes");
        let text = failure_text(&v);
        assert!(!text.contains('\x1b'));
        assert_eq!(text, render(&v, Paint::PLAIN));
        let ansi = regex::Regex::new("\x1b\\[[0-9;]*m").unwrap();
        assert_eq!(ansi.replace_all(&render(&v, Paint::new(true)), ""), text);
        assert!(text.starts_with(
            "value_32769_bytes behaves as documented\nwrong status: PUT as alice: expected 400, got 201\n  \
             documented by: The value must be at most 32768 bytes"
        ));
        assert!(text.ends_with(&format!("\nreproduce: {CURL}")), "{text}");
    }

    #[test]
    fn headline_is_one_line() {
        assert_eq!(
            headline(&verdict("value_32769_bytes")),
            "wrong status: PUT as alice: expected 400, got 201"
        );
        assert_eq!(headline(&verdict("no_key")), "timed out after 10 s");
        assert_eq!(headline(&verdict("other_user")), SKIP_PRINCIPAL);
        assert_eq!(headline(&verdict("put_allowed")), "");
        let mut v = verdict("no_key");
        v.reason = Some("first\nsecond".into());
        assert_eq!(headline(&v), "first");
    }

    #[test]
    fn text_of_a_skip_and_a_pass() {
        assert_eq!(
            failure_text(&verdict("other_user")),
            format!("other_user behaves as documented\nskipped: {SKIP_PRINCIPAL}")
        );
        assert_eq!(
            failure_text(&verdict("put_allowed")),
            "put_allowed behaves as documented"
        );
    }

    #[test]
    fn an_empty_body_is_said_to_be_empty() {
        let mut v = verdict("value_32769_bytes");
        v.failures.truncate(1);
        v.failures[0].step = 0;
        let text = failure_text(&v);
        assert!(
            text.contains("  → 201 application/json;charset=UTF-8\n    (empty body)"),
            "{text}"
        );
    }
}
