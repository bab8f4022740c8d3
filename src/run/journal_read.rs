//! A journal read back: the cases it leaves unfinished, with their undo requests, for the
//! end of a run and for `jira-conform cleanup`.

use std::collections::BTreeMap;
use std::fs::File;
use std::io::{BufRead, BufReader};
use std::path::Path;

use super::journal::{Entry, JournalError};
use crate::case::{Request, Sweep};

/// A case the journal does not mark done: what is still to clean up.
#[derive(Debug, Clone, PartialEq)]
pub struct PendingCase {
    /// The case id.
    pub case: String,
    /// The case's run id: the names of what it created start with it.
    pub run: String,
    /// The undo requests, with the values the target returned filled in where it did.
    pub cleanup: Vec<Request>,
    /// How to find what it created when an undo request still names a value never returned.
    pub sweeps: Vec<Sweep>,
}

/// What a journal file holds.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Contents {
    /// The unfinished cases, in the order they started.
    pub pending: Vec<PendingCase>,
    /// Lines that are not journal entries (a torn write): 1-based line and the parser's
    /// message. They are skipped; the rest still counts.
    pub skipped: Vec<(usize, String)>,
}

/// Reads a journal: the cases it leaves unfinished, and the lines it had to skip. A file in
/// which not one line is an entry is refused ([`JournalError::NoEntry`]).
pub fn read(path: &Path) -> Result<Contents, JournalError> {
    let io = |source| JournalError::Io {
        file: path.display().to_string(),
        source,
    };
    let file = File::open(path).map_err(io)?;
    let mut order: Vec<String> = Vec::new();
    let mut open: BTreeMap<String, PendingCase> = BTreeMap::new();
    let mut skipped = Vec::new();
    let mut entries = 0;
    for (n, line) in BufReader::new(file).split(b'\n').enumerate() {
        let line = line.map_err(io)?;
        let text = String::from_utf8_lossy(&line);
        if text.trim().is_empty() {
            continue;
        }
        let entry: Entry = match serde_json::from_str(&text) {
            Ok(e) => e,
            Err(e) => {
                skipped.push((n + 1, e.to_string()));
                continue;
            }
        };
        entries += 1;
        match entry {
            Entry::Pending {
                case,
                run,
                cleanup,
                sweeps,
            } => {
                if !open.contains_key(&case) {
                    order.push(case.clone());
                }
                open.insert(
                    case.clone(),
                    PendingCase {
                        case,
                        run,
                        cleanup,
                        sweeps,
                    },
                );
            }
            Entry::Resolved { case, cleanup } => {
                if let Some(p) = open.get_mut(&case) {
                    p.cleanup = cleanup;
                }
            }
            Entry::Done { case } => {
                open.remove(&case);
            }
        }
    }
    if entries == 0 {
        return Err(JournalError::NoEntry {
            file: path.display().to_string(),
            lines: skipped.len(),
        });
    }
    Ok(Contents {
        pending: order
            .into_iter()
            .filter_map(|case| open.remove(&case))
            .collect(),
        skipped,
    })
}

/// The undo requests of every case the journal does not mark done, in the order the cases
/// started (see [`read`] for the lines skipped and the sweeps).
pub fn pending(path: &Path) -> Result<Vec<(String, Vec<Request>)>, JournalError> {
    Ok(read(path)?
        .pending
        .into_iter()
        .map(|p| (p.case, p.cleanup))
        .collect())
}
