//! What the target answered at a step, and how to reproduce a case.

use std::fmt::Write as _;

use super::escape::text;
use crate::exchange::Exchange;
use crate::report::failure::body_excerpt;
use crate::report::findings::{large_body, request_line, Step};
use crate::verdict::Verdict;

/// What the target answered at a step.
pub(super) fn observed(step: Step<'_>, h: &mut String) {
    h.push_str("<div class=\"observed\">\n");
    match step.exchange {
        None => {
            let _ = writeln!(
                h,
                "<p class=\"request\">No exchange was recorded for step {}.</p>",
                step.step
            );
        }
        Some(exchange) => {
            let _ = writeln!(
                h,
                "<p class=\"request\">step {}: <code>{}</code></p>",
                step.step,
                text(&request_line(exchange))
            );
            if let Some((start, bytes)) = large_body(exchange) {
                let _ = writeln!(
                    h,
                    "<p class=\"request\">The {bytes} bytes sent (the curl command reads them \
                     from <code>body.json</code>) start with <code>{}</code>.</p>",
                    text(&start)
                );
            }
            response(exchange, h);
        }
    }
    h.push_str("</div>\n");
}

/// The response of an exchange (status, content type, Allow, body excerpt) or its error.
fn response(exchange: &Exchange, h: &mut String) {
    match &exchange.response {
        Ok(received) => {
            let class = match received.status {
                200..=299 => "s2",
                300..=399 => "s3",
                400..=499 => "s4",
                _ => "s5",
            };
            let content_type = received.content_type.as_deref().map_or_else(
                || "no content type".to_owned(),
                |c| format!("<code>{}</code>", text(c)),
            );
            let _ = write!(
                h,
                "<p class=\"response\"><span class=\"status {class}\">{}</span> {content_type}",
                received.status
            );
            if let Some(allow) = &received.allow {
                let _ = write!(h, ", Allow: <code>{}</code>", text(allow));
            }
            h.push_str("</p>\n");
            if received.body.trim().is_empty() {
                h.push_str("<p class=\"empty\">Empty body.</p>\n");
            } else {
                let _ = writeln!(
                    h,
                    "<pre class=\"body\">{}</pre>",
                    text(&body_excerpt(received).join("\n"))
                );
            }
        }
        Err(error) => {
            let _ = writeln!(
                h,
                "<p class=\"response\"><span class=\"status s5\">no response</span> transport \
                 error</p>\n<pre class=\"body\">{}</pre>",
                text(error)
            );
        }
    }
}

/// The curl reproduction, if the case has one.
pub(super) fn reproduce(v: &Verdict, h: &mut String) {
    if let Some(curl) = &v.reproduce {
        let _ = writeln!(
            h,
            "<details class=\"repro\" open><summary>Reproduce (tokens are read from the \
             environment)</summary><pre>{}</pre></details>",
            text(curl)
        );
    }
}
