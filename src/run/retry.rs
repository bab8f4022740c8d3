//! When a request is sent again, and after how long. Pure: the executor says what an attempt
//! ended with and draws the jitter; this module decides.
//!
//! - 429 and 503 are retried after the wait the target asks for (`Retry-After` in seconds or as
//!   an HTTP date, else Jira's `X-RateLimit-Reset`), else after an exponential backoff with
//!   jitter; a wait over the cap is not waited: the case errors at once, saying so.
//! - Only what is safe is sent twice: a 503 or a connection that broke before any answer only
//!   for idempotent methods (the request may have been processed); a 429 for every method (the
//!   target says it did not process it); a refused connection for every method (nothing was
//!   sent). Timeouts, TLS failures and broken bodies are not retried.
//! - A 429 or 503 that is still there when retries stop is an error, never a verdict on the
//!   target's conformance: the case could not be tested.

use std::time::{Duration, SystemTime};

use reqwest::header::{HeaderMap, HeaderName, RETRY_AFTER};

use super::http_date::{parse_http_date, parse_iso8601};

/// How requests are retried.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RetryPolicy {
    /// Retries of one request at most (0: never retry).
    pub max_retries: u32,
    /// The first backoff; each retry doubles it.
    pub backoff_base: Duration,
    /// The longest backoff.
    pub backoff_cap: Duration,
    /// The longest wait a target may ask for (`Retry-After`, `X-RateLimit-Reset`); asked for
    /// more, the runner gives up on the request at once.
    pub retry_after_cap: Duration,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        RetryPolicy {
            max_retries: 3,
            backoff_base: Duration::from_millis(250),
            backoff_cap: Duration::from_secs(10),
            retry_after_cap: Duration::from_secs(60),
        }
    }
}

impl RetryPolicy {
    /// Never retry.
    pub fn never() -> Self {
        RetryPolicy {
            max_retries: 0,
            ..RetryPolicy::default()
        }
    }
}

/// A wait a target asked for, and how it asked (for messages).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServerWait {
    /// How long from now.
    pub wait: Duration,
    /// `Retry-After 1 s`, `Retry-After 2 s (HTTP date)`, `X-RateLimit-Reset in 30 s`.
    pub label: String,
}

/// What a response's rate-limit headers say.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Hints {
    /// `Retry-After`, in seconds or as an HTTP date.
    pub retry_after: Option<ServerWait>,
    /// Jira's `X-RateLimit-Reset` (ISO 8601; a Unix time in seconds is read too).
    pub reset: Option<ServerWait>,
    /// `X-RateLimit-Remaining`.
    pub remaining: Option<u64>,
    /// `X-RateLimit-NearLimit: true`: less than 20 % of a budget is left.
    pub near_limit: bool,
}

impl Hints {
    /// The wait the target asks for: `Retry-After` first, else the reset time.
    pub fn asked_wait(&self) -> Option<&ServerWait> {
        self.retry_after.as_ref().or(self.reset.as_ref())
    }
}

/// Jira's rate-limit headers, as names made once: a lookup by `&str` parses the name again for
/// every response.
const X_RATELIMIT_RESET: HeaderName = HeaderName::from_static("x-ratelimit-reset");
const X_RATELIMIT_REMAINING: HeaderName = HeaderName::from_static("x-ratelimit-remaining");
const X_RATELIMIT_NEARLIMIT: HeaderName = HeaderName::from_static("x-ratelimit-nearlimit");

/// Reads the rate-limit headers of `headers`, `now` being the wall-clock time the dates are
/// relative to.
pub fn read_hints(headers: &HeaderMap, now: SystemTime) -> Hints {
    let header = |name: &HeaderName| headers.get(name).and_then(|v| v.to_str().ok());
    let until = |t: SystemTime| t.duration_since(now).unwrap_or(Duration::ZERO);
    let retry_after = header(&RETRY_AFTER).and_then(|v| {
        let v = v.trim();
        if !v.is_empty() && v.bytes().all(|b| b.is_ascii_digit()) {
            let wait = Duration::from_secs(v.parse().unwrap_or(u64::MAX));
            Some(ServerWait {
                wait,
                label: format!("Retry-After {}", human(wait)),
            })
        } else {
            let wait = until(parse_http_date(v)?);
            Some(ServerWait {
                wait,
                label: format!("Retry-After {} (HTTP date)", human(wait)),
            })
        }
    });
    let reset = header(&X_RATELIMIT_RESET).and_then(|v| {
        let v = v.trim();
        let at = match v.parse::<u64>() {
            Ok(unix) => std::time::UNIX_EPOCH + Duration::from_secs(unix),
            Err(_) => parse_iso8601(v)?,
        };
        let wait = until(at);
        Some(ServerWait {
            wait,
            label: format!("X-RateLimit-Reset in {}", human(wait)),
        })
    });
    Hints {
        retry_after,
        reset,
        remaining: header(&X_RATELIMIT_REMAINING).and_then(|v| v.trim().parse().ok()),
        near_limit: header(&X_RATELIMIT_NEARLIMIT)
            .is_some_and(|v| v.trim().eq_ignore_ascii_case("true")),
    }
}

/// What an attempt ended with, as far as retrying goes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Signal {
    /// A response came back (its body read or not).
    Answered {
        /// The status.
        status: u16,
        /// Its rate-limit headers.
        hints: Hints,
    },
    /// The connection was refused: nothing reached the target.
    Refused,
    /// The connection closed or was reset before any byte of an answer: the request may have
    /// reached the target.
    NoAnswer,
    /// Anything else (timeout, TLS, a body cut off): not worth, or not safe, sending again.
    Broken,
}

/// What to do after an attempt.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Decision {
    /// Keep what came back.
    Done,
    /// Send again after `wait`.
    Retry {
        /// How long to wait first.
        wait: Duration,
        /// Why, for reports: `429 Retry-After 1 s`, `503`, `connection refused`.
        cause: String,
        /// Whether the target chose the wait (then every request to it waits, not only this
        /// one) rather than the backoff.
        from_target: bool,
    },
    /// Stop: the case errors with this message.
    GiveUp(String),
}

/// Whether sending the method twice has the effect of sending it once (RFC 9110 §9.2.2).
pub fn is_idempotent(method: &str) -> bool {
    matches!(
        method.to_ascii_uppercase().as_str(),
        "GET" | "HEAD" | "PUT" | "DELETE" | "OPTIONS" | "TRACE"
    )
}

/// `429 Too Many Requests`, `503 Service Unavailable`.
pub fn status_line(status: u16) -> String {
    let reason = match status {
        429 => "Too Many Requests",
        503 => "Service Unavailable",
        _ => "",
    };
    format!("{status} {reason}").trim_end().to_string()
}

/// The backoff before retry number `retries + 1`: `base × 2^retries`, capped, of which the
/// upper half is jitter (`jitter` in `[0, 1)`), so parallel clients spread out.
pub fn backoff(policy: &RetryPolicy, retries: u32, jitter: f64) -> Duration {
    let full = policy
        .backoff_base
        .checked_mul(1u32.checked_shl(retries.min(31)).unwrap_or(u32::MAX))
        .unwrap_or(policy.backoff_cap)
        .min(policy.backoff_cap);
    let half = full / 2;
    half + half.mul_f64(jitter.clamp(0.0, 1.0))
}

fn plural(n: u32, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// Decides what follows an attempt of `method` that ended with `signal`, after `retries`
/// retries of the same request. `jitter` is a fresh draw in `[0, 1)`.
pub fn decide(
    policy: &RetryPolicy,
    method: &str,
    retries: u32,
    signal: &Signal,
    jitter: f64,
) -> Decision {
    let more = retries < policy.max_retries;
    match signal {
        Signal::Answered {
            status: status @ (429 | 503),
            hints,
        } => {
            let what = status_line(*status);
            // A 429 says the request was not processed; a 503 does not say.
            if *status == 503 && !is_idempotent(method) {
                return Decision::GiveUp(format!(
                    "{what}; not retried: the {method} may already have been processed"
                ));
            }
            let asked = hints.asked_wait();
            if let Some(asked) = asked.filter(|a| a.wait > policy.retry_after_cap) {
                return Decision::GiveUp(format!(
                    "{what} with {}, more than the {} the runner waits at most; gave up",
                    asked.label,
                    human(policy.retry_after_cap)
                ));
            }
            if !more {
                let last = asked.map_or(String::new(), |a| format!(" ({})", a.label));
                return Decision::GiveUp(if retries == 0 {
                    format!("{what}{last}; retries are off")
                } else {
                    format!(
                        "still {what} after {}{last}",
                        plural(retries, "retry", "retries")
                    )
                });
            }
            match asked {
                Some(asked) => Decision::Retry {
                    wait: asked.wait,
                    cause: format!("{status} {}", asked.label),
                    from_target: true,
                },
                None => Decision::Retry {
                    wait: backoff(policy, retries, jitter),
                    cause: status.to_string(),
                    from_target: false,
                },
            }
        }
        Signal::Answered { .. } | Signal::Broken => Decision::Done,
        Signal::Refused if more => Decision::Retry {
            wait: backoff(policy, retries, jitter),
            cause: "connection refused".into(),
            from_target: false,
        },
        Signal::NoAnswer if more && is_idempotent(method) => Decision::Retry {
            wait: backoff(policy, retries, jitter),
            cause: "closed without an answer".into(),
            from_target: false,
        },
        Signal::Refused | Signal::NoAnswer => Decision::Done,
    }
}

/// A duration for people: `250 ms`, `1 s`, `1.5 s`, `3600 s`.
pub fn human(d: Duration) -> String {
    let ms = d.as_millis();
    if ms < 1000 {
        format!("{ms} ms")
    } else if ms % 1000 == 0 {
        format!("{} s", ms / 1000)
    } else {
        format!("{:.1} s", d.as_secs_f64())
    }
}

/// A small deterministic generator for the jitter (SplitMix64): seeded, so a test that fixes
/// the seed sees the same waits every time.
#[derive(Debug, Clone)]
pub struct Jitter(u64);

impl Jitter {
    /// A generator from a seed.
    pub fn new(seed: u64) -> Jitter {
        Jitter(seed)
    }

    /// The next draw, in `[0, 1)`.
    pub fn next_fraction(&mut self) -> f64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^= z >> 31;
        (z >> 11) as f64 / (1u64 << 53) as f64
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::UNIX_EPOCH;

    fn answered(status: u16, retry_after: Option<u64>) -> Signal {
        Signal::Answered {
            status,
            hints: Hints {
                retry_after: retry_after.map(|s| ServerWait {
                    wait: Duration::from_secs(s),
                    label: format!("Retry-After {s} s"),
                }),
                ..Hints::default()
            },
        }
    }

    #[test]
    fn retry_after_is_waited_and_named() {
        let p = RetryPolicy::default();
        assert_eq!(
            decide(&p, "GET", 0, &answered(429, Some(1)), 0.5),
            Decision::Retry {
                wait: Duration::from_secs(1),
                cause: "429 Retry-After 1 s".into(),
                from_target: true
            }
        );
        // A 429 was not processed: even a POST is sent again.
        assert!(matches!(
            decide(&p, "POST", 0, &answered(429, Some(1)), 0.5),
            Decision::Retry { .. }
        ));
    }

    #[test]
    fn a_503_is_retried_only_for_idempotent_methods() {
        let p = RetryPolicy::default();
        for m in ["GET", "PUT", "DELETE", "HEAD", "OPTIONS"] {
            assert!(
                matches!(
                    decide(&p, m, 0, &answered(503, None), 0.0),
                    Decision::Retry { .. }
                ),
                "{m}"
            );
        }
        for m in ["POST", "PATCH"] {
            assert_eq!(
                decide(&p, m, 0, &answered(503, None), 0.0),
                Decision::GiveUp(format!(
                    "503 Service Unavailable; not retried: the {m} may already have been processed"
                ))
            );
        }
    }

    #[test]
    fn waits_over_the_cap_and_exhausted_retries_give_up() {
        let p = RetryPolicy::default();
        assert_eq!(
            decide(&p, "GET", 0, &answered(429, Some(3600)), 0.0),
            Decision::GiveUp(
                "429 Too Many Requests with Retry-After 3600 s, more than the 60 s the runner \
                 waits at most; gave up"
                    .into()
            )
        );
        assert_eq!(
            decide(&p, "GET", 3, &answered(429, Some(1)), 0.0),
            Decision::GiveUp(
                "still 429 Too Many Requests after 3 retries (Retry-After 1 s)".into()
            )
        );
        assert_eq!(
            decide(&RetryPolicy::never(), "GET", 0, &answered(503, None), 0.0),
            Decision::GiveUp("503 Service Unavailable; retries are off".into())
        );
    }

    #[test]
    fn transport_failures_are_retried_only_when_safe() {
        let p = RetryPolicy::default();
        assert!(matches!(
            decide(&p, "POST", 0, &Signal::Refused, 0.0),
            Decision::Retry { .. }
        ));
        assert!(matches!(
            decide(&p, "GET", 0, &Signal::NoAnswer, 0.0),
            Decision::Retry { .. }
        ));
        assert_eq!(
            decide(&p, "POST", 0, &Signal::NoAnswer, 0.0),
            Decision::Done
        );
        assert_eq!(decide(&p, "GET", 0, &Signal::Broken, 0.0), Decision::Done);
        assert_eq!(decide(&p, "GET", 3, &Signal::Refused, 0.0), Decision::Done);
        assert_eq!(
            decide(&p, "GET", 0, &answered(404, None), 0.0),
            Decision::Done
        );
    }

    #[test]
    fn backoff_doubles_with_jitter_in_the_upper_half_and_is_capped() {
        let p = RetryPolicy::default();
        assert_eq!(backoff(&p, 0, 0.0), Duration::from_millis(125));
        assert_eq!(backoff(&p, 0, 1.0), Duration::from_millis(250));
        assert_eq!(backoff(&p, 2, 1.0), Duration::from_millis(1000));
        assert_eq!(backoff(&p, 40, 1.0), Duration::from_secs(10));
        let mut j = Jitter::new(7);
        let draws: Vec<f64> = (0..1000).map(|_| j.next_fraction()).collect();
        assert!(draws.iter().all(|d| (0.0..1.0).contains(d)));
        assert_eq!(Jitter::new(7).next_fraction(), draws[0]);
    }

    #[test]
    fn hints_read_seconds_dates_and_jira_reset() {
        let now = UNIX_EPOCH + Duration::from_secs(1_706_702_640); // 2024-01-31T12:04:00Z
                                                                   // Names as a target may case them: a header map reads them case-insensitively.
        let headers = |pairs: &[(&str, &str)]| {
            let mut map = HeaderMap::new();
            for (k, v) in pairs {
                map.insert(
                    HeaderName::from_bytes(k.as_bytes()).unwrap(),
                    v.parse().unwrap(),
                );
            }
            map
        };
        let h = read_hints(
            &headers(&[
                ("Retry-After", "Wed, 31 Jan 2024 12:04:02 GMT"),
                ("X-RateLimit-Reset", "2024-01-31T12:05Z"),
                ("X-RateLimit-Remaining", "0"),
                ("X-RateLimit-NearLimit", "true"),
            ]),
            now,
        );
        assert_eq!(
            h.retry_after.as_ref().map(|w| (w.wait, w.label.as_str())),
            Some((Duration::from_secs(2), "Retry-After 2 s (HTTP date)"))
        );
        assert_eq!(h.reset.map(|w| w.wait), Some(Duration::from_secs(60)));
        assert_eq!(h.remaining, Some(0));
        assert!(h.near_limit);
        let h = read_hints(&headers(&[("retry-after", "junk")]), now);
        assert_eq!(h, Hints::default());
        // A date in the past means: now.
        let h = read_hints(
            &headers(&[("retry-after", "Sun, 06 Nov 1994 08:49:37 GMT")]),
            now,
        );
        assert_eq!(h.retry_after.map(|w| w.wait), Some(Duration::ZERO));
    }

    #[test]
    fn durations_read_well() {
        assert_eq!(human(Duration::from_millis(250)), "250 ms");
        assert_eq!(human(Duration::from_secs(1)), "1 s");
        assert_eq!(human(Duration::from_millis(1500)), "1.5 s");
    }
}
