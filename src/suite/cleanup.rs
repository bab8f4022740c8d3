//! The cleanup journal of a run: where it goes, the one way its undo requests are sent (at the
//! end of a run, after an interrupt, by `jira-conform cleanup`), what is left in it and the
//! command that finishes it.

use std::path::{Path, PathBuf};
use std::time::Duration;

use super::{settings, Config, Leftovers};
use crate::fixtures::Fixtures;
use crate::run::journal::{Journal, JournalError};
use crate::run::{clean_up, Cleaned, RetryPolicy, RunOptions};
use crate::Error;

/// Where the cleanup journal of a run goes: `--journal`, else a file of its own (profile, run
/// prefix and process id in its name, so parallel runs and shards never share one) for any
/// target but the embedded mock (whose state dies with the run).
pub fn journal_path(
    config: &Config,
    fixtures: &Fixtures,
    embedded_mock: bool,
    run_prefix: &str,
) -> Option<PathBuf> {
    match (&config.journal, embedded_mock) {
        (Some(path), _) => Some(path.clone()),
        (None, true) => None,
        (None, false) => Some(PathBuf::from(JOURNAL_DIR).join(format!(
            "journal-{}-j{run_prefix}-{}.jsonl",
            fixtures.profile,
            std::process::id()
        ))),
    }
}

/// The folder of default journals; `jira-conform cleanup` without `--journal` reads every
/// `journal-*.jsonl` in it.
pub const JOURNAL_DIR: &str = ".jira-conform";

/// The command that sends what `journal` still holds, as the user would type it.
pub fn cleanup_command(config: &Config, journal: &Path) -> String {
    let mut command = format!(
        "jira-conform cleanup --journal {}",
        shell_word(&journal.display().to_string())
    );
    if let Some(fixtures) = &config.fixtures {
        command.push_str(&format!(
            " --fixtures {}",
            shell_word(&fixtures.display().to_string())
        ));
    }
    if let Some(target) = &config.target {
        // Never a password in a printed command.
        let shown = match reqwest::Url::parse(target) {
            Ok(mut url) => {
                let _ = url.set_username("");
                let _ = url.set_password(None);
                url.to_string().trim_end_matches('/').to_string()
            }
            Err(_) => target.clone(),
        };
        command.push_str(&format!(" --target {}", shell_word(&shown)));
    }
    command
}

/// `text` as one shell word: as is when it is plain, else in single quotes.
fn shell_word(text: &str) -> String {
    let plain = !text.is_empty()
        && text
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "-_./:=@%+,".contains(c));
    if plain {
        text.to_string()
    } else {
        format!("'{}'", text.replace('\'', "'\\''"))
    }
}

/// Sends the undo requests `journal` still holds (as `retry` says, within `within`) and
/// removes the file once nothing is left.
pub(super) async fn finish_journal(
    journal: &Journal,
    base_url: &str,
    fixtures: &Fixtures,
    options: &RunOptions,
    retry: &RetryPolicy,
    within: Option<(Duration, String)>,
) -> Result<Cleaned, JournalError> {
    let cleaned = clean_up(journal, base_url, fixtures, options, retry, within).await?;
    if cleaned.left() == 0 {
        let _ = std::fs::remove_file(journal.path());
    }
    Ok(cleaned)
}

/// The journal at `path`, finished one case at a time with the default retries, each request
/// within `timeout` and the whole within `within` (`jira-conform cleanup`, after an interrupt).
pub async fn clean_journal(
    path: &Path,
    base_url: &str,
    fixtures: &Fixtures,
    timeout: Duration,
    within: Option<(Duration, String)>,
) -> Result<Cleaned, Error> {
    let journal = Journal::open(path)?;
    let options = RunOptions {
        concurrency: 1,
        timeout,
        run_prefix: String::new(),
    };
    let retry = RetryPolicy::default();
    Ok(finish_journal(&journal, base_url, fixtures, &options, &retry, within).await?)
}

/// What is left in a run's journal after its last cleanup (`None`: nothing, the file is gone).
pub(super) fn leftovers(
    config: &Config,
    journal: &Journal,
    cleaned: Result<Cleaned, JournalError>,
) -> Option<Leftovers> {
    let (cases, problems) = match cleaned {
        Ok(c) if c.left() == 0 => return None,
        Ok(c) => (
            c.left(),
            c.cases
                .iter()
                .flat_map(|k| k.problems.iter().map(move |p| format!("{}: {p}", k.case)))
                .collect(),
        ),
        Err(e) => (
            crate::run::journal::pending(journal.path()).map_or(0, |p| p.len()),
            vec![e.to_string()],
        ),
    };
    Some(Leftovers {
        journal: journal.path().to_path_buf(),
        cases,
        problems,
        command: cleanup_command(config, journal.path()),
    })
}

/// The journals `cleanup` reads: the one named, else every `journal-*.jsonl` in
/// [`JOURNAL_DIR`], by name.
pub fn journals(named: Option<&Path>) -> Result<Vec<PathBuf>, Error> {
    if let Some(path) = named {
        if !path.exists() {
            return Err(Error::NoJournal(path.to_path_buf()));
        }
        return Ok(vec![path.to_path_buf()]);
    }
    let dir = Path::new(JOURNAL_DIR);
    let entries = match std::fs::read_dir(dir) {
        Ok(e) => e,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(source) => {
            return Err(Error::JournalDir {
                dir: dir.to_path_buf(),
                source,
            })
        }
    };
    let mut found: Vec<PathBuf> = entries
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| {
            p.file_name()
                .and_then(|n| n.to_str())
                .is_some_and(|n| n.starts_with("journal-") && n.ends_with(".jsonl"))
        })
        .collect();
    found.sort();
    Ok(found)
}

/// Where the undo of an interrupted run stands before it starts.
pub enum InterruptedRun {
    /// The run went to the embedded mock, whose state ends with it: nothing to undo.
    EmbeddedMock,
    /// The run keeps no journal.
    NoJournal,
    /// The run's journal does not exist: no case had written yet.
    NothingWritten,
    /// The run's journal, to undo.
    Journal(InterruptedJournal),
}

/// The journal of an interrupted run and what undoing it takes.
pub struct InterruptedJournal {
    /// The journal.
    pub path: PathBuf,
    /// The target its undo requests go to.
    pub base_url: String,
    /// The command that finishes it later.
    pub command: String,
    /// The per-request timeout.
    pub timeout: Duration,
}

/// The journal a run (set up with a run prefix in `config`) left when interrupted.
pub fn interrupted_run(config: &Config, fixtures: &Fixtures) -> InterruptedRun {
    let Some(base_url) = config.target_url(fixtures) else {
        return InterruptedRun::EmbeddedMock;
    };
    let prefix = config.run_prefix.clone().unwrap_or_default();
    let Some(path) = journal_path(config, fixtures, false, &prefix) else {
        return InterruptedRun::NoJournal;
    };
    if !path.exists() {
        return InterruptedRun::NothingWritten;
    }
    InterruptedRun::Journal(InterruptedJournal {
        command: cleanup_command(config, &path),
        base_url: base_url.to_string(),
        timeout: settings::timeout(config, fixtures),
        path,
    })
}
