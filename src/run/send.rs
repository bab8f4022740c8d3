//! Sending one request: [`send`] waits for the pace, sends, and sends again while the retry
//! policy says it is safe and useful; [`attempt`] is one HTTP exchange, whose every kept text
//! goes through the run's scrubber; [`read_body`] reads a body up to the cap.

use std::sync::atomic::Ordering;
use std::time::{Duration, Instant};

use super::auth::authorization;
use super::body_cap::{BodyBudget, KeptBody};
use super::rate::Purpose;
use super::retry::{self, Decision, Hints, Signal};
use super::shared::Shared;
use super::transport_error::{describe, signal_of, timed_out, Phase};
use super::url::url_for;
use crate::case::{Body, Request};
use crate::exchange::{Exchange, Received, Retry, SentRequest};

/// A request as it went out, and what the runner learned sending it.
pub(super) struct Sent {
    pub(super) exchange: Exchange,
    pub(super) retries: Vec<Retry>,
    pub(super) notes: Vec<String>,
    /// The request left this process at least once (it was not refused before sending).
    pub(super) went_out: bool,
}

/// Sends one request: waits for the pace, sends, and sends again while the retry policy says
/// it is safe and useful. The exchange holds the last attempt.
pub(super) async fn send(shared: &Shared, purpose: Purpose, request: &Request) -> Sent {
    let sent = sent_request(shared.base.as_str(), request);
    let mut retries: Vec<Retry> = Vec::new();
    let mut note = None;
    let mut went_out = false;
    let response = loop {
        if let Err(why) = shared.pace.admit(purpose).await {
            break Err(match retries.last() {
                Some(last) => format!("{why} (while retrying after {})", last.cause),
                None => why,
            });
        }
        if let Some(count) = &shared.requests {
            count.fetch_add(1, Ordering::Relaxed);
        }
        went_out = true;
        let tried = attempt(shared, purpose, request, &sent).await;
        if let Signal::Answered { hints, .. } = &tried.signal {
            hold_until_reset(shared, hints);
        }
        let decision = retry::decide(
            &shared.retry,
            &request.method,
            retries.len() as u32,
            &tried.signal,
            shared.jitter(),
        );
        match decision {
            Decision::Done => {
                note = tried.note;
                break after_retries(tried.response, retries.len());
            }
            Decision::GiveUp(why) => break Err(why),
            Decision::Retry {
                wait,
                cause,
                from_target,
            } => {
                if let Err(why) = shared.pace.check_wait(purpose, wait) {
                    break Err(format!("gave up after {cause}: {why}"));
                }
                if from_target {
                    shared.pace.hold_for(wait);
                }
                retries.push(Retry {
                    step: step_of(purpose),
                    cause,
                    target_chose_wait: from_target,
                    waited_ms: wait.as_millis() as u64,
                });
                if !wait.is_zero() {
                    shared.pace.clock().sleep(wait).await;
                }
            }
        }
    };
    Sent {
        exchange: Exchange {
            step: step_of(purpose).unwrap_or(usize::MAX),
            request: sent,
            response,
        },
        retries,
        notes: match (purpose, note) {
            (Purpose::Step(n), Some(note)) => vec![format!("step {n}: {note}")],
            _ => Vec::new(),
        },
        went_out,
    }
}

/// The request as it goes out: method, full URL, actor, and the body with its media type.
fn sent_request(base: &str, request: &Request) -> SentRequest {
    let (content_type, body) = match &request.body {
        Body::None => (None, None),
        // `serde_json::to_string`, not `Display`: the same bytes without a formatter call per
        // token (a 32 KiB property value is serialised for every request that sends it).
        Body::Json(v) => (
            Some("application/json".to_string()),
            Some(serde_json::to_string(v).unwrap_or_default()),
        ),
        Body::Raw { content_type, text } => (Some(content_type.clone()), Some(text.clone())),
    };
    SentRequest {
        method: request.method.clone(),
        url: url_for(base, request),
        actor: request.actor.to_string(),
        content_type,
        body,
    }
}

/// The step a request belongs to (`None`: a cleanup request).
fn step_of(purpose: Purpose) -> Option<usize> {
    match purpose {
        Purpose::Step(n) => Some(n),
        Purpose::Cleanup => None,
    }
}

/// Out of requests until the reset: every request waits for it (when it is near).
fn hold_until_reset(shared: &Shared, hints: &Hints) {
    if let (Some(0), Some(reset)) = (hints.remaining, &hints.reset) {
        if reset.wait <= shared.retry.retry_after_cap {
            shared.pace.hold_for(reset.wait);
        }
    }
}

/// The last attempt's answer; a transport failure after retries says how many there were.
fn after_retries(response: Result<Received, String>, retried: usize) -> Result<Received, String> {
    match response {
        Err(e) if retried > 0 => Err(format!(
            "{e} (after {retried} {})",
            if retried == 1 { "retry" } else { "retries" }
        )),
        other => other,
    }
}

/// One HTTP exchange and what it means for retrying.
struct Attempt {
    response: Result<Received, String>,
    signal: Signal,
    /// Something the verdict should mention (a cut body, a redirect not followed).
    note: Option<String>,
}

/// Sends the request once and reads the answer. Every text kept of the answer goes through
/// the run's [`super::Scrubber`] here, so what a target echoes of the credentials goes no
/// further.
async fn attempt(
    shared: &Shared,
    purpose: Purpose,
    request: &Request,
    sent: &SentRequest,
) -> Attempt {
    let scrub = |text: String| shared.scrubber.scrub_string(text);
    let broken = |message: String| Attempt {
        response: Err(scrub(message)),
        signal: Signal::Broken,
        note: None,
    };
    let Ok(method) = reqwest::Method::from_bytes(request.method.as_bytes()) else {
        return broken(format!("{:?} is not an HTTP method", request.method));
    };
    // A request never outlives the run's deadline (plus the grace, for a cleanup): a target
    // that sends its headers and then stalls is cut when the time is up.
    let (timeout, cut) = match shared.pace.time_left(purpose) {
        Some(left) if left < shared.timeout => (left, true),
        _ => (shared.timeout, false),
    };
    let builder = match build_request(shared, method, request, sent, timeout) {
        Ok(builder) => builder,
        Err(e) => return broken(e),
    };
    let started = Instant::now();
    let mut response = match builder.send().await {
        Ok(r) => r,
        Err(e) => {
            return Attempt {
                signal: signal_of(&e, Phase::Answer),
                response: Err(scrub(if e.is_timeout() {
                    timed_out(Phase::Answer, timeout, cut, purpose)
                } else {
                    describe(&e, Phase::Answer)
                })),
                note: None,
            }
        }
    };
    let head = Head::read(shared, &response);
    let kept = match read_body(&mut response, &shared.bodies).await {
        Ok(read) => read,
        Err(e) if e.is_timeout() => return broken(timed_out(Phase::Body, timeout, cut, purpose)),
        Err(e) => return broken(describe(&e, Phase::Body)),
    };
    let truncated = kept.cut.is_some();
    let note = match &kept.cut {
        Some(cut) => Some(cut.to_string()),
        None => head
            .location
            .filter(|_| (300..400).contains(&head.status))
            .and_then(|l| redirect_note(&sent.url, &l, head.status))
            .map(scrub),
    };
    Attempt {
        response: Ok(Received {
            status: head.status,
            content_type: head.content_type,
            allow: head.allow,
            www_authenticate: head.www_authenticate,
            body: shared.scrubber.body(kept.text, truncated),
            truncated,
            elapsed_ms: started.elapsed().as_millis() as u64,
        }),
        signal: Signal::Answered {
            status: head.status,
            hints: head.hints,
        },
        note,
    }
}

/// The request builder: method, URL, timeout, the actor's credentials, the body.
fn build_request(
    shared: &Shared,
    method: reqwest::Method,
    request: &Request,
    sent: &SentRequest,
    timeout: Duration,
) -> Result<reqwest::RequestBuilder, String> {
    // Parsed against the run's base (see `BaseUrl`); a URL that does not parse goes as text,
    // for the client to say why.
    let mut builder = match shared.base.parse(&sent.url) {
        Some(url) => shared.client.request(method, url),
        None => shared.client.request(method, &sent.url),
    }
    .timeout(timeout);
    match shared.auth.get(&request.actor) {
        Some(Some(value)) => builder = builder.header(reqwest::header::AUTHORIZATION, value),
        Some(None) => {}
        None => {
            if let Some(auth) = authorization(&request.actor, &shared.fixtures)? {
                builder = builder.header(reqwest::header::AUTHORIZATION, auth);
            }
        }
    }
    if let (Some(ct), Some(body)) = (&sent.content_type, &sent.body) {
        builder = builder
            .header(reqwest::header::CONTENT_TYPE, ct)
            .body(body.clone());
    }
    Ok(builder)
}

/// What the status line and headers of an answer say, scrubbed.
struct Head {
    status: u16,
    content_type: Option<String>,
    allow: Option<String>,
    www_authenticate: Option<String>,
    location: Option<String>,
    hints: Hints,
}

impl Head {
    fn read(shared: &Shared, response: &reqwest::Response) -> Head {
        use reqwest::header::{HeaderName, ALLOW, CONTENT_TYPE, LOCATION, WWW_AUTHENTICATE};
        // Looked up by `HeaderName`, not by `&str`: a name given as text is parsed again for
        // every lookup of every answer.
        let header = |name: &HeaderName| {
            response
                .headers()
                .get(name)
                .and_then(|v| v.to_str().ok())
                .map(str::to_string)
        };
        // A field sent more than once is kept whole: `Allow` lines are one list (RFC 9110
        // §5.3); `Content-Type` lines joined the same way show the duplicate to the
        // content-type check (a media type never holds a comma outside quotes).
        let every = |name: &HeaderName| {
            let values: Vec<&str> = response
                .headers()
                .get_all(name)
                .iter()
                .filter_map(|v| v.to_str().ok())
                .collect();
            (!values.is_empty()).then(|| shared.scrubber.scrub_string(values.join(", ")))
        };
        let content_type = every(&CONTENT_TYPE);
        let allow = every(&ALLOW);
        let www_authenticate = every(&WWW_AUTHENTICATE);
        let location = header(&LOCATION);
        let hints = retry::read_hints(response.headers(), shared.pace.clock().wall());
        Head {
            status: response.status().as_u16(),
            content_type,
            allow,
            www_authenticate,
            location,
            hints,
        }
    }
}

/// Reads a body within what `bodies` allows (see `body_cap`), never holding more: once the
/// body is full the rest is left unread.
async fn read_body(
    response: &mut reqwest::Response,
    bodies: &BodyBudget,
) -> reqwest::Result<KeptBody> {
    let mut reader = bodies.reader(response.content_length());
    while let Some(chunk) = response.chunk().await? {
        if !reader.push(&chunk) {
            break;
        }
    }
    Ok(reader.finish())
}

/// The note for a redirect to another host (same-host redirects are ordinary answers).
fn redirect_note(from: &str, location: &str, status: u16) -> Option<String> {
    let from = reqwest::Url::parse(from).ok()?;
    let to = from.join(location).ok()?;
    let same = to.scheme() == from.scheme()
        && to.host_str() == from.host_str()
        && to.port_or_known_default() == from.port_or_known_default();
    (!same).then(|| {
        let mut shown = to.clone();
        let _ = shown.set_username("");
        let _ = shown.set_password(None);
        shown.set_query(None);
        shown.set_fragment(None);
        format!(
            "redirect to another host ({shown}) not followed: credentials never leave the target; the {status} is the answer"
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_redirects_to_another_host_are_noted() {
        assert_eq!(redirect_note("http://a.test:80/x", "/y?q=1", 302), None);
        assert_eq!(
            redirect_note("http://a.test/x", "http://u:p@b.test:81/y?token=1", 302).as_deref(),
            Some(
                "redirect to another host (http://b.test:81/y) not followed: credentials never \
                 leave the target; the 302 is the answer"
            )
        );
    }
}
