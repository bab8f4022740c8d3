//! What the target answered at a step, and how to reproduce a case.

use std::fmt::Write as _;

use super::escape::{code, fence};
use crate::exchange::Exchange;
use crate::report::failure::body_excerpt;
use crate::report::findings::{large_body, request_line, Step};
use crate::report::style::{clean, clean_line};
use crate::verdict::Verdict;

/// What the target answered at a step: request, status, headers, body excerpt.
pub(super) fn observed(step: Step<'_>, md: &mut String) {
    let Some(exchange) = step.exchange else {
        let _ = writeln!(md, "No exchange was recorded for step {}.\n", step.step);
        return;
    };
    let _ = writeln!(
        md,
        "Observed at step {}: {}\n",
        step.step,
        code(&request_line(exchange))
    );
    if let Some((start, bytes)) = large_body(exchange) {
        let _ = writeln!(
            md,
            "The {bytes} bytes sent (the curl command reads them from `body.json`) start with \
             {}.\n",
            code(&start)
        );
    }
    response(exchange, md);
}

/// The response of an exchange, or its transport error.
pub(super) fn response(exchange: &Exchange, md: &mut String) {
    match &exchange.response {
        Ok(received) => {
            let content_type = received
                .content_type
                .as_deref()
                .map_or_else(|| "no content type".to_owned(), |c| code(&clean_line(c)));
            let mut line = format!("Response: **{}**, {content_type}", received.status);
            if let Some(allow) = &received.allow {
                line.push_str(&format!(", Allow: {}", code(&clean_line(allow))));
            }
            let _ = writeln!(md, "{line}\n");
            if received.body.trim().is_empty() {
                md.push_str("Empty body.\n\n");
            } else {
                let info = if received.json().is_some() {
                    "json"
                } else {
                    "text"
                };
                md.push_str(&fence(info, &body_excerpt(received).join("\n")));
            }
        }
        Err(error) => {
            md.push_str("No response: transport error\n\n");
            md.push_str(&fence("text", &clean(error)));
        }
    }
}

/// The curl reproduction, if the case has one.
pub(super) fn reproduce(v: &Verdict, md: &mut String) {
    if let Some(curl) = &v.reproduce {
        md.push_str("Reproduce (tokens are read from the environment):\n\n");
        md.push_str(&fence("sh", &clean(curl)));
    }
}
