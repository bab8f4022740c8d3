//! The cleanup journal: before a case sends its first writing request, the requests that undo
//! it are appended to a file; when its cleanup has run, the case is marked done. A run that is
//! interrupted (Ctrl-C, SIGTERM, a lost connection, a crash) leaves the undo requests of every
//! unfinished case in the file, and `jira-conform cleanup --journal FILE` sends them later.
//!
//! One JSON object per line, appended and flushed, so a crash loses at most the line being
//! written. Requests name principals, never credentials: the journal holds no secret.

use std::collections::BTreeMap;
use std::fs::{File, OpenOptions};
use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use serde::{Deserialize, Serialize};

use crate::case::Request;

/// One line of the journal.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Entry {
    /// A case is about to write; these requests undo it (run token already substituted; a
    /// path may still name a value a later step returns, `{{step:N:/pointer}}`).
    Pending {
        /// The case id.
        case: String,
        /// The case's run id (its key prefix).
        run: String,
        /// The undo requests.
        cleanup: Vec<Request>,
    },
    /// The undo requests with the values the target returned filled in.
    Resolved {
        /// The case id.
        case: String,
        /// The undo requests.
        cleanup: Vec<Request>,
    },
    /// The case's cleanup has been sent: nothing of it is left.
    Done {
        /// The case id.
        case: String,
    },
}

/// Why the journal could not be written or read.
#[derive(Debug, thiserror::Error)]
pub enum JournalError {
    /// Opening, writing or reading failed.
    #[error("cleanup journal {file}: {source}")]
    Io {
        /// The journal file.
        file: String,
        /// The I/O error.
        source: std::io::Error,
    },
    /// A line is not a journal entry.
    #[error("cleanup journal {file}, line {line}: not a journal entry: {message}")]
    Syntax {
        /// The journal file.
        file: String,
        /// The 1-based line.
        line: usize,
        /// The parser's message.
        message: String,
    },
}

/// An open journal, shared by the cases of one run.
#[derive(Debug)]
pub struct Journal {
    path: PathBuf,
    file: Mutex<File>,
}

impl Journal {
    /// Opens (creating or appending to) the journal at `path`.
    pub fn open(path: &Path) -> Result<Journal, JournalError> {
        let file = OpenOptions::new()
            .create(true)
            .append(true)
            .open(path)
            .map_err(|source| JournalError::Io {
                file: path.display().to_string(),
                source,
            })?;
        Ok(Journal {
            path: path.to_path_buf(),
            file: Mutex::new(file),
        })
    }

    /// Where the journal is.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Appends one entry and flushes it to the operating system before returning, so the
    /// request it announces is sent only once the entry is safe from a crash of this process.
    pub fn append(&self, entry: &Entry) -> Result<(), JournalError> {
        let io = |source| JournalError::Io {
            file: self.path.display().to_string(),
            source,
        };
        let mut line = serde_json::to_string(entry).map_err(|e| io(e.into()))?;
        line.push('\n');
        let mut file = self
            .file
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        file.write_all(line.as_bytes()).map_err(io)?;
        file.flush().map_err(io)?;
        file.sync_data().map_err(io)
    }
}

/// The undo requests of every case the journal does not mark done, in the order the cases
/// started: what is still to clean up.
pub fn pending(path: &Path) -> Result<Vec<(String, Vec<Request>)>, JournalError> {
    let file = File::open(path).map_err(|source| JournalError::Io {
        file: path.display().to_string(),
        source,
    })?;
    let mut order: Vec<String> = Vec::new();
    let mut open: BTreeMap<String, Vec<Request>> = BTreeMap::new();
    for (n, line) in BufReader::new(file).lines().enumerate() {
        let line = line.map_err(|source| JournalError::Io {
            file: path.display().to_string(),
            source,
        })?;
        if line.trim().is_empty() {
            continue;
        }
        let entry: Entry = match serde_json::from_str(&line) {
            Ok(e) => e,
            // A crash can cut the last line short; anything before it still counts.
            Err(_) if n + 1 == count_lines(path) => break,
            Err(e) => {
                return Err(JournalError::Syntax {
                    file: path.display().to_string(),
                    line: n + 1,
                    message: e.to_string(),
                })
            }
        };
        match entry {
            Entry::Pending { case, cleanup, .. } => {
                if !open.contains_key(&case) {
                    order.push(case.clone());
                }
                open.insert(case, cleanup);
            }
            Entry::Resolved { case, cleanup } => {
                open.insert(case, cleanup);
            }
            Entry::Done { case } => {
                open.remove(&case);
            }
        }
    }
    Ok(order
        .into_iter()
        .filter_map(|case| open.remove(&case).map(|c| (case, c)))
        .collect())
}

fn count_lines(path: &Path) -> usize {
    std::fs::read_to_string(path)
        .map(|t| t.lines().count())
        .unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::case::{Actor, Body};

    fn delete(path: &str) -> Request {
        Request {
            method: "DELETE".into(),
            path: path.into(),
            query: Vec::new(),
            actor: Actor::Principal("admin".into()),
            body: Body::None,
        }
    }

    #[test]
    fn unfinished_cases_are_pending_and_finished_ones_are_not() {
        let dir = std::env::temp_dir().join(format!("jc-journal-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("journal.jsonl");
        let _ = std::fs::remove_file(&path);
        let j = Journal::open(&path).unwrap();
        let pending_entry = |case: &str| Entry::Pending {
            case: case.into(),
            run: "jab0001".into(),
            cleanup: vec![delete(&format!("/x/{case}"))],
        };
        j.append(&pending_entry("a")).unwrap();
        j.append(&pending_entry("b")).unwrap();
        j.append(&Entry::Resolved {
            case: "b".into(),
            cleanup: vec![delete("/role/10004")],
        })
        .unwrap();
        j.append(&Entry::Done { case: "a".into() }).unwrap();
        // A line cut short by a crash at the end is ignored.
        std::fs::OpenOptions::new()
            .append(true)
            .open(&path)
            .unwrap()
            .write_all(b"{\"kind\":\"pend")
            .unwrap();
        let left = pending(&path).unwrap();
        assert_eq!(left, vec![("b".to_string(), vec![delete("/role/10004")])]);
        assert!(!std::fs::read_to_string(&path).unwrap().contains("token"));
    }
}
