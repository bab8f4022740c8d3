//! Transport failures: what a reqwest error means for retrying ([`signal_of`]) and what the
//! verdict says of it ([`describe`], [`timed_out`]): what happened, then the innermost cause,
//! never the URL's query or any credential.

use std::error::Error as _;
use std::io;
use std::time::Duration;

use super::rate::Purpose;
use super::retry::{human, Signal};

/// Where a request was when it failed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Phase {
    /// Before the status line and headers came back.
    Answer,
    /// Reading the body.
    Body,
}

/// A timeout in words: after how long, while doing what, and whether the run's deadline (or
/// the cleanup's grace) cut the request's own timeout (`cut`).
pub(super) fn timed_out(phase: Phase, timeout: Duration, cut: bool, purpose: Purpose) -> String {
    let what = match phase {
        Phase::Answer => "waiting for the answer",
        Phase::Body => "while reading the body",
    };
    let why = if cut {
        match purpose {
            Purpose::Cleanup => " (the time left for cleanup)",
            Purpose::Step(_) => " (the time left before the run's deadline)",
        }
    } else {
        ""
    };
    format!("timed out after {}{why} {what}", human(timeout))
}

/// The I/O error kinds in an error's chain, outermost first.
fn io_kinds(e: &reqwest::Error) -> Vec<io::ErrorKind> {
    let mut kinds = Vec::new();
    let mut source = e.source();
    while let Some(s) = source {
        if let Some(io) = s.downcast_ref::<io::Error>() {
            kinds.push(io.kind());
        }
        source = s.source();
    }
    kinds
}

/// The messages of an error's chain, outermost first, the reqwest one (which holds the URL)
/// left out.
fn chain(e: &reqwest::Error) -> Vec<String> {
    let mut out = Vec::new();
    let mut source = e.source();
    while let Some(s) = source {
        out.push(scrub(&s.to_string()));
        source = s.source();
    }
    out
}

/// What a failure before or during the answer means for retrying.
pub(super) fn signal_of(e: &reqwest::Error, phase: Phase) -> Signal {
    let kinds = io_kinds(e);
    if e.is_timeout() || phase == Phase::Body {
        return Signal::Broken;
    }
    if kinds.contains(&io::ErrorKind::ConnectionRefused) {
        return Signal::Refused;
    }
    if e.is_connect() {
        return Signal::Broken;
    }
    let reset = kinds.iter().any(|k| {
        matches!(
            k,
            io::ErrorKind::ConnectionReset
                | io::ErrorKind::ConnectionAborted
                | io::ErrorKind::BrokenPipe
        )
    });
    let closed = chain(e)
        .iter()
        .any(|m| m.contains("connection closed before message completed"));
    if reset || closed {
        Signal::NoAnswer
    } else {
        Signal::Broken
    }
}

/// A transport failure in words: what happened, then the innermost cause. Never the URL's
/// query or any credential.
pub(super) fn describe(e: &reqwest::Error, phase: Phase) -> String {
    let kinds = io_kinds(e);
    let messages = chain(e);
    let detail = messages.last().cloned().unwrap_or_default();
    let has = |kind: io::ErrorKind| kinds.contains(&kind);
    let says = |text: &str| messages.iter().any(|m| m.contains(text));
    let https = e.url().is_some_and(|u| u.scheme() == "https");
    if has(io::ErrorKind::ConnectionRefused) {
        return "could not connect: the target refused the connection".into();
    }
    if e.is_connect() {
        if https && !says("dns error") && !has(io::ErrorKind::TimedOut) {
            let hint = if says("InvalidContentType") || says("corrupt message") {
                " (does the target speak plain HTTP on this port?)"
            } else {
                ""
            };
            return format!("TLS handshake failed: {detail}{hint}");
        }
        return format!("could not connect: {detail}");
    }
    let reset = has(io::ErrorKind::ConnectionReset) || has(io::ErrorKind::ConnectionAborted);
    match phase {
        Phase::Answer if reset => "connection reset by the target before it answered".into(),
        Phase::Body if reset => "connection reset by the target while reading the body".into(),
        Phase::Body if has(io::ErrorKind::UnexpectedEof) => {
            "the connection closed before the whole body arrived (the target announced more \
             bytes than it sent)"
                .into()
        }
        Phase::Answer if says("connection closed before message completed") => {
            "the target closed the connection without answering".into()
        }
        Phase::Answer if says("invalid HTTP version parsed") => format!(
            "the target's answer is not HTTP/1.1 ({detail}): not an HTTP server, or one that \
             speaks only HTTP/2 (which the runner uses over TLS only)"
        ),
        Phase::Answer if says("invalid content-length") => format!(
            "the answer is not valid HTTP: it carries Content-Length more than once with \
             different values, or one that is not a number ({detail})"
        ),
        Phase::Answer if says("invalid HTTP") || says("message head is too large") => {
            format!("the answer is not valid HTTP: {detail}")
        }
        Phase::Answer => format!("request failed: {detail}"),
        Phase::Body => format!("the body could not be read: {detail}"),
    }
}

/// Removes query strings, fragments and user information from any URL in `text`.
fn scrub(text: &str) -> String {
    static URL: std::sync::OnceLock<Option<regex::Regex>> = std::sync::OnceLock::new();
    let Some(re) = URL
        .get_or_init(|| {
            regex::Regex::new(r"(https?://)(?:[^/@\s]*@)?([^\s?#]*)(?:[?#][^\s,;)\]]*)?").ok()
        })
        .as_ref()
    else {
        return text.to_string();
    };
    re.replace_all(text, "$1$2").into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_in_messages_lose_query_and_credentials() {
        assert_eq!(
            scrub("error for https://me:secret@x.test/a/b?token=1#f, then"),
            "error for https://x.test/a/b, then"
        );
        assert_eq!(scrub("no url here"), "no url here");
    }
}
