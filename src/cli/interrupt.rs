//! Ctrl-C and SIGTERM during `run`: undo what the unfinished cases may have created, within a
//! grace, and leave the rest in the journal for `cleanup`.

use std::time::Duration;

use jira_conform::{Config, InterruptedRun, Prepared};

use super::cleanup::{clean_and_report, report_leftovers};
use super::Exit;

/// How long the undo after a first Ctrl-C may take before the run leaves the rest in the journal.
const INTERRUPT_GRACE: Duration = Duration::from_secs(10);

/// Ctrl-C and SIGTERM, listened to from the moment this is made: a signal that arrives while
/// nobody waits (between the first interrupt and the wait for a second) is kept, not lost.
pub struct Signals {
    #[cfg(unix)]
    listeners: Option<(tokio::signal::unix::Signal, tokio::signal::unix::Signal)>,
}

impl Signals {
    pub fn new() -> Signals {
        #[cfg(unix)]
        {
            use tokio::signal::unix::{signal, SignalKind};
            let listeners = match (
                signal(SignalKind::interrupt()),
                signal(SignalKind::terminate()),
            ) {
                (Ok(int), Ok(term)) => Some((int, term)),
                _ => None,
            };
            Signals { listeners }
        }
        #[cfg(not(unix))]
        Signals {}
    }

    /// Waits for the next Ctrl-C or SIGTERM; says which.
    pub async fn next(&mut self) -> &'static str {
        #[cfg(unix)]
        if let Some((int, term)) = &mut self.listeners {
            return tokio::select! {
                _ = int.recv() => "interrupted (SIGINT)",
                _ = term.recv() => "terminated (SIGTERM)",
            };
        }
        let _ = tokio::signal::ctrl_c().await;
        "interrupted"
    }
}

/// After a signal: the cases in flight were dropped; what they may have created is undone from
/// the journal now, within [`INTERRUPT_GRACE`], and what cannot be is left there for `cleanup`.
/// A second signal stops the undo at once.
pub async fn after_interrupt(
    config: &Config,
    prepared: &Prepared,
    signal: &str,
    signals: &mut Signals,
) -> Exit {
    let journal = match jira_conform::interrupted_run(config, &prepared.fixtures) {
        InterruptedRun::EmbeddedMock => {
            eprintln!("{signal}: the embedded mock's state ends with the run; nothing to clean up");
            return Exit::Interrupted;
        }
        InterruptedRun::NoJournal => return Exit::Interrupted,
        InterruptedRun::NothingWritten => {
            eprintln!("{signal}: no case had written yet; nothing to clean up");
            return Exit::Interrupted;
        }
        InterruptedRun::Journal(journal) => journal,
    };
    eprintln!(
        "{signal}: undoing the unfinished cases of {} (at most {} s; interrupt again to stop now)",
        journal.path.display(),
        INTERRUPT_GRACE.as_secs()
    );
    let within = (
        INTERRUPT_GRACE,
        format!(
            "the time given to undo after the interrupt ({} s)",
            INTERRUPT_GRACE.as_secs()
        ),
    );
    let cleaned = tokio::select! {
        cleaned = clean_and_report(&journal.path, &journal.base_url, &prepared.fixtures, journal.timeout, Some(within)) => cleaned,
        second = signals.next() => {
            let pending = jira_conform::run::journal::pending(&journal.path).map_or(0, |p| p.len());
            eprintln!("{second} again: stopped undoing");
            report_leftovers(pending, &journal.path, &journal.command, &[]);
            // At once: nothing else of the run is worth waiting for.
            std::process::exit(i32::from(Exit::Interrupted.code()));
        }
    };
    match cleaned {
        Ok((cleaned, 0)) => {
            eprintln!(
                "{signal}: cleaned up {cleaned} unfinished cases; nothing is left (verified)"
            );
        }
        Ok((cleaned, left)) => {
            eprintln!("{signal}: cleaned up {cleaned} unfinished cases");
            report_leftovers(left, &journal.path, &journal.command, &[]);
        }
        Err(e) => eprintln!("{signal}: {e}"),
    }
    Exit::Interrupted
}
