//! One resolution of a run's settings: what the command line says, else what the fixtures'
//! `[run]` table says, else the defaults. Every caller (the suite, the journal cleanup, the
//! binary's `cleanup` and interrupt) reads its settings here.

use std::path::PathBuf;
use std::time::Duration;

use super::Config;
use crate::consent::Consent;
use crate::fixtures::Fixtures;
use crate::run::{RunOptions, Traffic};

/// The folder of snapshot profiles when none is given.
const SNAPSHOT_ROOT: &str = "snapshots";

/// The per-request timeout: `--timeout`, else the fixtures' `run.timeout_secs`.
pub fn timeout(config: &Config, fixtures: &Fixtures) -> Duration {
    config
        .timeout
        .unwrap_or(Duration::from_secs(fixtures.run.timeout_secs))
}

/// Concurrency, timeout and run prefix of a run.
pub fn run_options(config: &Config, fixtures: &Fixtures, run_prefix: String) -> RunOptions {
    RunOptions {
        concurrency: config.concurrency.unwrap_or(fixtures.run.concurrency),
        timeout: timeout(config, fixtures),
        run_prefix,
    }
}

/// Retries, rate, budget and deadline of a run (no journal, stop flag or request counter yet).
pub fn traffic(config: &Config, fixtures: &Fixtures) -> Traffic {
    let mut traffic = Traffic::default();
    let run = &fixtures.run;
    if let Some(n) = config.traffic.max_retries.or(run.max_retries) {
        traffic.retry.max_retries = n;
    }
    traffic.requests_per_second = config
        .traffic
        .requests_per_second
        .or(run.requests_per_second.map(f64::from));
    traffic.budget = config.traffic.request_budget.or(run.request_budget);
    traffic.deadline = config
        .traffic
        .deadline
        .or(run.deadline_secs.map(Duration::from_secs));
    traffic
}

/// What the user allowed to write: `--allow-writes` or the fixtures' `run.allow_writes`.
pub fn consent(config: &Config, fixtures: &Fixtures) -> Consent {
    Consent {
        allow_writes: config.consent.allow_writes || fixtures.run.allow_writes,
        ..config.consent
    }
}

/// The folder holding the snapshot profiles: `--snapshot-dir`, else `snapshots`.
pub fn snapshot_root(config: &Config) -> PathBuf {
    config
        .snapshot_root
        .clone()
        .unwrap_or_else(|| PathBuf::from(SNAPSHOT_ROOT))
}

/// The snapshot folder the run reads (and, for its own profile, writes): the `--against`
/// profile's, else the fixtures' profile's.
pub fn snapshot_dir(config: &Config, fixtures: &Fixtures) -> PathBuf {
    snapshot_root(config).join(config.against.as_deref().unwrap_or(&fixtures.profile))
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::*;
    use crate::TrafficSettings;

    fn fixtures() -> Fixtures {
        let mut fixtures = Fixtures::embedded().expect("the embedded fixtures load");
        fixtures.run.timeout_secs = 7;
        fixtures.run.max_retries = Some(5);
        fixtures.run.requests_per_second = Some(4);
        fixtures.run.deadline_secs = Some(60);
        fixtures
    }

    #[test]
    fn the_fixtures_fill_what_the_command_line_leaves_unset() {
        let fixtures = fixtures();
        let config = Config::default();
        assert_eq!(timeout(&config, &fixtures), Duration::from_secs(7));
        let traffic = traffic(&config, &fixtures);
        assert_eq!(traffic.retry.max_retries, 5);
        assert_eq!(traffic.requests_per_second, Some(4.0));
        assert_eq!(traffic.budget, None);
        assert_eq!(traffic.deadline, Some(Duration::from_secs(60)));
        let options = run_options(&config, &fixtures, "abc".into());
        assert_eq!(options.concurrency, fixtures.run.concurrency);
        assert_eq!(
            snapshot_dir(&config, &fixtures),
            Path::new("snapshots").join(&fixtures.profile)
        );
    }

    #[test]
    fn the_command_line_wins_over_the_fixtures() {
        let fixtures = fixtures();
        let config = Config {
            timeout: Some(Duration::from_secs(2)),
            concurrency: Some(1),
            traffic: TrafficSettings {
                max_retries: Some(0),
                requests_per_second: Some(0.5),
                request_budget: Some(100),
                deadline: Some(Duration::from_secs(3)),
            },
            snapshot_root: Some(PathBuf::from("elsewhere")),
            against: Some("jira-cloud".into()),
            ..Config::default()
        };
        assert_eq!(timeout(&config, &fixtures), Duration::from_secs(2));
        let traffic = traffic(&config, &fixtures);
        assert_eq!(traffic.retry.max_retries, 0);
        assert_eq!(traffic.requests_per_second, Some(0.5));
        assert_eq!(traffic.budget, Some(100));
        assert_eq!(traffic.deadline, Some(Duration::from_secs(3)));
        assert_eq!(
            run_options(&config, &fixtures, String::new()).concurrency,
            1
        );
        assert_eq!(
            snapshot_dir(&config, &fixtures),
            Path::new("elsewhere/jira-cloud")
        );
    }

    #[test]
    fn either_side_may_consent_to_writes() {
        let mut fixtures = fixtures();
        let mut config = Config::default();
        assert!(!consent(&config, &fixtures).allow_writes);
        fixtures.run.allow_writes = true;
        assert!(consent(&config, &fixtures).allow_writes);
        fixtures.run.allow_writes = false;
        config.consent.allow_writes = true;
        assert!(consent(&config, &fixtures).allow_writes);
    }
}
