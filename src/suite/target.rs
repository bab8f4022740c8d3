//! The target of a run: the named base URL (checked, and probed without a preflight) or an
//! embedded mock started for the run; and the preflight against it.

use crate::run::scrub::Scrubber;
use std::time::Duration;

use super::prepare::check_target_url;
use super::{settings, Config, Prepared};
use crate::case::Api;
use crate::fixtures::Fixtures;
use crate::mock::MockServer;
use crate::Error;

/// The preflight when the configuration asks for it (else, for a target other than the embedded
/// mock, a bare check that something answers). With `force_all`, no API version is left out:
/// only the errors count.
pub(super) async fn check_target(
    config: &Config,
    prepared: &Prepared,
    base_url: &str,
    scrubber: &Scrubber,
    force_all: bool,
) -> Result<crate::run::preflight::Preflight, Error> {
    if !config.preflight {
        return Ok(Default::default());
    }
    let mut apis: Vec<Api> = prepared
        .cases
        .iter()
        .filter(|c| c.skip.is_none())
        .map(|c| c.api)
        .collect();
    apis.sort_by_key(|a| a.label());
    apis.dedup();
    let forced = if force_all {
        Api::ALL.to_vec()
    } else {
        config.selection.apis.clone()
    };
    let timeout = settings::timeout(config, &prepared.fixtures);
    Ok(crate::run::preflight::preflight(
        base_url,
        &prepared.fixtures,
        scrubber,
        &apis,
        &forced,
        timeout,
    )
    .await?)
}

/// A run's target: a base URL, and the embedded mock when the run started one.
pub(super) struct Target {
    pub(super) base_url: String,
    pub(super) mock: Option<MockServer>,
}

impl Target {
    pub(super) async fn stop(self) {
        if let Some(mock) = self.mock {
            mock.stop().await;
        }
    }
}

/// Starts the embedded mock when no target is named (seeded from the fixtures, with the
/// configured faults), else checks the named URL (and, without a preflight, that something
/// answers there).
pub(super) async fn start_target(config: &Config, fixtures: &Fixtures) -> Result<Target, Error> {
    match config.target_url(fixtures) {
        Some(url) => {
            check_target_url(url)?;
            if !config.preflight {
                probe(url).await?;
            }
            Ok(Target {
                base_url: url.to_string(),
                mock: None,
            })
        }
        None => {
            let mock = MockServer::start(fixtures, &config.faults).await?;
            Ok(Target {
                base_url: mock.base_url.clone(),
                mock: Some(mock),
            })
        }
    }
}

/// Fails early, with one clear message, when nothing answers at the target.
async fn probe(url: &str) -> Result<(), Error> {
    let client = reqwest::Client::builder()
        .timeout(Duration::from_secs(10))
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .map_err(|e| Error::Target {
            url: url.to_string(),
            message: e.to_string(),
        })?;
    match client.get(url).send().await {
        Ok(_) => Ok(()),
        Err(e) => {
            let why = if e.is_timeout() {
                "did not answer within 10 s"
            } else if e.is_connect() {
                "refused the connection or could not be reached"
            } else {
                "could not be reached"
            };
            Err(Error::Target {
                url: url.to_string(),
                message: format!("{why}; is the server running and the URL right?"),
            })
        }
    }
}
