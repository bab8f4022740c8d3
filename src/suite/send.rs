//! The one effectful step: the cases sent to a started target with the configured pacing and
//! journal, and the journal's undo requests sent once more at the end.

use std::sync::atomic::AtomicBool;
use std::sync::Arc;
use std::time::Instant;

use super::cleanup::{finish_journal, journal_path, leftovers};
use super::target::{check_target, start_target};
use super::{settings, Config, Leftovers, Prepared};
use crate::case::Case;
use crate::exchange::CaseRun;
use crate::fixtures::Fixtures;
use crate::run::journal::Journal;
use crate::run::scrub::Scrubber;
use crate::run::{cleanup_grace, execute_shared, run_prefix};
use crate::Error;

/// Everything [`execute_cases`] produced.
pub struct Executed {
    /// The base URL the cases went to.
    pub base_url: String,
    /// The runs, aligned with the prepared cases (`None` for skipped ones).
    pub runs: Vec<Option<CaseRun>>,
    /// What is left in the run's journal.
    pub leftovers: Option<Leftovers>,
}

/// The one effectful step: starts the target (see [`super::run_suite`]), checks it, sends every
/// case, stops the mock. Returns the base URL and the runs aligned with the prepared cases
/// (`None` for skipped ones).
pub async fn run_cases(
    config: &Config,
    prepared: &Prepared,
    progress: Arc<dyn Fn(&CaseRun) + Send + Sync>,
) -> Result<(String, Vec<Option<CaseRun>>), Error> {
    let done = execute_cases(config, prepared, progress).await?;
    Ok((done.base_url, done.runs))
}

/// [`run_cases`], and what the run left in its journal.
pub async fn execute_cases(
    config: &Config,
    prepared: &Prepared,
    progress: Arc<dyn Fn(&CaseRun) + Send + Sync>,
) -> Result<Executed, Error> {
    let target = start_target(config, &prepared.fixtures).await?;
    // One scrubber for the preflight and the run: building one compiles a large pattern.
    let scrubber = Scrubber::new(&prepared.fixtures);
    let sent = match check_target(config, prepared, &target.base_url, &scrubber, true).await {
        Ok(_) => {
            send_cases(
                config,
                &prepared.cases,
                &prepared.fixtures,
                scrubber,
                &target.base_url,
                progress,
                None,
            )
            .await
        }
        Err(e) => Err(e),
    };
    let base_url = target.base_url.clone();
    target.stop().await;
    let (runs, leftovers) = sent?;
    Ok(Executed {
        base_url,
        runs,
        leftovers,
    })
}

/// Sends `cases` to a started target with the configured pacing and journal, and sends what
/// the journal still holds once more at the end; what is still left after that is returned.
pub(super) async fn send_cases(
    config: &Config,
    cases: &Arc<[Case]>,
    fixtures: &Fixtures,
    scrubber: Scrubber,
    base_url: &str,
    progress: Arc<dyn Fn(&CaseRun) + Send + Sync>,
    stop: Option<Arc<AtomicBool>>,
) -> Result<(Vec<Option<CaseRun>>, Option<Leftovers>), Error> {
    let started = Instant::now();
    let embedded = config.target_url(fixtures).is_none();
    let prefix = config.run_prefix.clone().unwrap_or_else(run_prefix);
    let options = settings::run_options(config, fixtures, prefix.clone());
    let mut traffic = settings::traffic(config, fixtures);
    traffic.stop = stop;
    traffic.requests = config.request_counter.clone();
    traffic.scrubber = Some(scrubber);
    let journal = journal_path(config, fixtures, embedded, &prefix)
        .map(|path| Journal::open(&path).map(Arc::new))
        .transpose()?;
    traffic.journal = journal.clone();
    let runs = execute_shared(cases, base_url, fixtures, &options, &traffic, progress).await;
    let Some(journal) = journal.filter(|j| j.path().exists()) else {
        return Ok((runs, None));
    };
    // Every case this run wrote as pending it also marked done: nothing to send, and nothing
    // to read back to know it; the file goes as a finished journal does, without waiting for
    // the disk to take the last done marks.
    if journal.remove_settled() {
        return Ok((runs, None));
    }
    // What a panicking case or a failed cleanup left: one more try now (within what is left of
    // the deadline and its grace), then the journal keeps what is still pending for
    // `jira-conform cleanup`.
    let within = traffic.deadline.map(|d| {
        let grace = cleanup_grace(d);
        (
            (d + grace).saturating_sub(started.elapsed()),
            format!(
                "the run's deadline ({}) plus its cleanup grace ({})",
                crate::run::retry::human(d),
                crate::run::retry::human(grace)
            ),
        )
    });
    let cleaned = finish_journal(
        &journal,
        base_url,
        fixtures,
        &options,
        &traffic.retry,
        within,
    )
    .await;
    Ok((runs, leftovers(config, &journal, cleaned)))
}
