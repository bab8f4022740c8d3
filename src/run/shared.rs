//! What every request of a run shares: the HTTP client, the target's base URL, the fixtures'
//! credentials, the pace and retry policy, the journal, the scrubber and the body budget.

use std::sync::atomic::AtomicU64;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use super::auth::AuthHeaders;
use super::body_cap::BodyBudget;
use super::journal::Journal;
use super::options::RunOptions;
use super::rate::Pace;
use super::retry::{Jitter, RetryPolicy};
use super::scrub::Scrubber;
use super::url::BaseUrl;
use crate::fixtures::Fixtures;

pub(super) struct Shared {
    pub(super) client: reqwest::Client,
    pub(super) base: BaseUrl,
    pub(super) fixtures: Fixtures,
    /// The `Authorization` value of each actor, worked out once.
    pub(super) auth: AuthHeaders,
    pub(super) timeout: Duration,
    pub(super) retry: RetryPolicy,
    /// Shared by every shard of a run (see `executor`): one pace, one budget.
    pub(super) pace: Arc<Pace>,
    pub(super) jitter: Arc<Mutex<Jitter>>,
    pub(super) journal: Option<Arc<Journal>>,
    /// Every form of every credential of the fixtures, taken out of all text kept of an
    /// answer (body, headers, transport errors) before anything downstream sees it.
    pub(super) scrubber: Scrubber,
    /// What the run may still keep of response bodies (see `body_cap`).
    pub(super) bodies: Arc<BodyBudget>,
    /// See [`super::Traffic::requests`].
    pub(super) requests: Option<Arc<AtomicU64>>,
}

impl Shared {
    /// The same run with another client: what one shard of the executor's workers uses (its
    /// own connections, polled on its own thread), sharing everything else, the pace, the
    /// jitter, the journal and the body budget included.
    pub(super) fn with_client(&self, client: reqwest::Client) -> Shared {
        Shared {
            client,
            base: self.base.clone(),
            fixtures: self.fixtures.clone(),
            auth: self.auth.clone(),
            timeout: self.timeout,
            retry: self.retry.clone(),
            pace: self.pace.clone(),
            jitter: self.jitter.clone(),
            journal: self.journal.clone(),
            scrubber: self.scrubber.clone(),
            bodies: self.bodies.clone(),
            requests: self.requests.clone(),
        }
    }

    pub(super) fn jitter(&self) -> f64 {
        self.jitter
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .next_fraction()
    }
}

/// The HTTP client of a run.
pub(super) fn build_client(options: &RunOptions) -> reqwest::Result<reqwest::Client> {
    reqwest::Client::builder()
        .timeout(options.timeout)
        // Credentials must never follow a redirect to another host; and a redirect is itself
        // an answer worth seeing.
        .redirect(reqwest::redirect::Policy::none())
        .user_agent(concat!("jira-conform/", env!("CARGO_PKG_VERSION")))
        .build()
}
