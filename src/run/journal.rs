//! The cleanup journal: before a case sends its first writing request, the requests that undo
//! it are appended to a file; when its cleanup has run, the case is marked done. A run that is
//! interrupted (Ctrl-C, SIGTERM, a lost connection, a crash) leaves the undo requests of every
//! unfinished case in the file, and `jira-conform cleanup --journal FILE` sends them later.
//!
//! One JSON object per line, appended and flushed, so a crash loses at most the line being
//! written. Requests name principals, never credentials: the journal holds no secret.
//!
//! Writes are group-committed: one writer thread owns the file; entries that arrive while it
//! syncs are written together and share the next `fdatasync`. A case still waits until its
//! undo entry is on disk before its first write is sent. "Done" marks and filled-in undo
//! requests are not waited for: they are held in memory and written with the writer's next
//! batch (or once [`LATER_LINES`] of them wait), so a case ending does not wake the writer. A
//! crash of the process loses at most those: their undo is sent again by `cleanup` and finds
//! nothing (a lost filled-in request leaves the case to its sweep by name).

use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc;

pub use super::journal_read::{pending, read, Contents, PendingCase};
pub use super::journal_writer::LATER_LINES;
use super::journal_writer::{write_batches, Ack, Later, Message};
use std::sync::{Arc, Mutex, PoisonError};

use serde::{Deserialize, Serialize};

use crate::case::{Request, Sweep};

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
        /// How to find what the case created by its run-prefixed name when an undo request
        /// cannot be filled in (journals written before sweeps existed have none).
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        sweeps: Vec<Sweep>,
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
    /// Not one line of the file is a journal entry: it is not a journal (and is kept).
    #[error("cleanup journal {file}: not one line is a journal entry ({lines} lines); refusing it, the file is kept")]
    NoEntry {
        /// The file.
        file: String,
        /// Its non-blank lines.
        lines: usize,
    },
}

/// An open journal, shared by the cases of one run. The file (and its folder) is created when
/// the first entry is written, so a run that writes nothing leaves no file behind.
#[derive(Debug)]
pub struct Journal {
    path: PathBuf,
    /// To the writer thread; `None` once closed.
    queue: Mutex<Option<mpsc::Sender<Message>>>,
    /// Lines appended without waiting, taken by the writer with its next batch.
    later: Arc<Mutex<Later>>,
    writer: Mutex<Option<std::thread::JoinHandle<()>>>,
    /// What this journal holds, as far as this process knows it (see [`Journal::settled`]).
    known: Mutex<Known>,
    /// A write failed (in the writer, or because it had stopped).
    failed: Arc<AtomicBool>,
    /// Set by [`Journal::remove_settled`]: the writer stops without writing what is held.
    discarded: Arc<AtomicBool>,
}

/// The journal as written by this process.
#[derive(Debug, Default)]
struct Known {
    /// The file did not exist when the journal was opened: everything in it comes from here.
    fresh: bool,
    /// Cases with a pending entry and no done mark.
    open: HashSet<String>,
}

impl Journal {
    /// The journal at `path`; entries are appended to what it already holds.
    pub fn open(path: &Path) -> Result<Journal, JournalError> {
        let (tx, rx) = mpsc::channel();
        let file_path = path.to_path_buf();
        let fresh = !path.exists();
        let failed = Arc::new(AtomicBool::new(false));
        let writer_failed = failed.clone();
        let later = Arc::new(Mutex::new(Later::default()));
        let writer_later = later.clone();
        let discarded = Arc::new(AtomicBool::new(false));
        let writer_discarded = discarded.clone();
        let writer = std::thread::Builder::new()
            .name("jira-conform-journal".into())
            .spawn(move || {
                write_batches(
                    &file_path,
                    &rx,
                    &writer_later,
                    [&writer_failed, &writer_discarded],
                )
            })
            .map_err(|source| JournalError::Io {
                file: path.display().to_string(),
                source,
            })?;
        Ok(Journal {
            path: path.to_path_buf(),
            queue: Mutex::new(Some(tx)),
            later,
            writer: Mutex::new(Some(writer)),
            known: Mutex::new(Known {
                fresh,
                open: HashSet::new(),
            }),
            failed,
            discarded,
        })
    }

    /// Whether the file holds nothing left to undo, known without reading it back: this
    /// process created it, wrote every entry in it without a failure, and marked done every
    /// case it wrote as pending. A journal that held entries before it was opened is never
    /// settled (its old entries are only known by reading it).
    pub fn settled(&self) -> bool {
        let known = self.known.lock().unwrap_or_else(PoisonError::into_inner);
        known.fresh && known.open.is_empty() && !self.failed.load(Ordering::SeqCst)
    }

    /// When the journal is [settled](Journal::settled): stops its writer without writing what
    /// it holds and removes the file; `false` (and nothing done) otherwise. The held lines are
    /// only done marks and filled-in requests of cases that need nothing more, so writing and
    /// syncing them into a file about to go would only make the run wait for the disk.
    pub fn remove_settled(&self) -> bool {
        if !self.settled() {
            return false;
        }
        self.discarded.store(true, Ordering::SeqCst);
        self.close();
        let _ = std::fs::remove_file(&self.path);
        true
    }

    /// Closes the queue and waits for the writer to end (once it has written what was sent,
    /// unless the journal was discarded).
    fn close(&self) {
        if let Ok(mut queue) = self.queue.lock() {
            queue.take();
        }
        if let Some(writer) = self.writer.lock().ok().and_then(|mut w| w.take()) {
            let _ = writer.join();
        }
    }

    /// Notes an entry handed to the writer.
    fn track(&self, entries: &[&Entry]) {
        let mut known = self.known.lock().unwrap_or_else(PoisonError::into_inner);
        for entry in entries {
            match entry {
                Entry::Pending { case, .. } => {
                    known.open.insert(case.clone());
                }
                Entry::Done { case } => {
                    known.open.remove(case);
                }
                Entry::Resolved { .. } => {}
            }
        }
    }

    /// Where the journal is.
    pub fn path(&self) -> &Path {
        &self.path
    }

    fn io(&self, message: String) -> JournalError {
        JournalError::Io {
            file: self.path.display().to_string(),
            source: std::io::Error::other(message),
        }
    }

    fn send(&self, message: Message) -> Result<(), JournalError> {
        let queue = self
            .queue
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        match queue.as_ref() {
            Some(tx) => tx.send(message).map_err(|_| {
                self.failed.store(true, Ordering::SeqCst);
                self.io("the journal's writer has stopped".into())
            }),
            None => {
                self.failed.store(true, Ordering::SeqCst);
                Err(self.io("the journal is closed".into()))
            }
        }
    }

    fn line(&self, entry: &Entry) -> Result<String, JournalError> {
        let mut line = serde_json::to_string(entry).map_err(|e| self.io(e.to_string()))?;
        line.push('\n');
        Ok(line)
    }

    /// Appends one entry and returns once it is on disk, so the request it announces is sent
    /// only once the entry is safe from a crash of this process. Blocks the calling thread; a
    /// task uses [`Journal::append_synced`].
    pub fn append(&self, entry: &Entry) -> Result<(), JournalError> {
        let (tx, rx) = mpsc::sync_channel(1);
        self.send(Message::Write {
            line: self.line(entry)?,
            ack: Some(Ack::Blocking(tx)),
        })?;
        self.track(&[entry]);
        rx.recv()
            .map_err(|_| self.io("the journal's writer has stopped".into()))?
            .map_err(|m| self.io(m))
    }

    /// [`Journal::append`] for a task: it waits without holding a thread, so entries of many
    /// cases share one sync.
    pub async fn append_synced(&self, entry: &Entry) -> Result<(), JournalError> {
        let (tx, rx) = tokio::sync::oneshot::channel();
        self.send(Message::Write {
            line: self.line(entry)?,
            ack: Some(Ack::Async(tx)),
        })?;
        self.track(&[entry]);
        rx.await
            .map_err(|_| self.io("the journal's writer has stopped".into()))?
            .map_err(|m| self.io(m))
    }

    /// Appends several entries and returns once all are on disk (one sync for all).
    pub async fn append_all_synced(&self, entries: &[&Entry]) -> Result<(), JournalError> {
        if entries.is_empty() {
            return Ok(());
        }
        let mut text = String::new();
        for entry in entries {
            text.push_str(&self.line(entry)?);
        }
        let (tx, rx) = tokio::sync::oneshot::channel();
        self.send(Message::Write {
            line: text,
            ack: Some(Ack::Async(tx)),
        })?;
        self.track(entries);
        rx.await
            .map_err(|_| self.io("the journal's writer has stopped".into()))?
            .map_err(|m| self.io(m))
    }

    /// Appends an entry without waiting for it to reach the disk: it is held until the
    /// writer's next batch (at the latest once [`LATER_LINES`] are held, or by
    /// [`Journal::sync`] or the journal's drop), and synced with the next sync.
    pub fn append_later(&self, entry: &Entry) -> Result<(), JournalError> {
        let line = self.line(entry)?;
        if self
            .queue
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .is_none()
        {
            self.failed.store(true, Ordering::SeqCst);
            return Err(self.io("the journal is closed".into()));
        }
        let full = {
            let mut later = self.later.lock().unwrap_or_else(PoisonError::into_inner);
            later.text.push_str(&line);
            later.lines += 1;
            // Once per filling: the writer takes every held line with that one wake-up.
            later.lines == LATER_LINES
        };
        self.track(&[entry]);
        if full {
            self.send(Message::Flush)?;
        }
        Ok(())
    }

    /// Returns once every entry sent before is on disk.
    pub fn sync(&self) -> Result<(), JournalError> {
        let (tx, rx) = mpsc::sync_channel(1);
        self.send(Message::Barrier(Ack::Blocking(tx)))?;
        rx.recv()
            .map_err(|_| self.io("the journal's writer has stopped".into()))?
            .map_err(|m| self.io(m))
    }
}

impl Drop for Journal {
    fn drop(&mut self) {
        self.close();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::case::{Actor, Body};
    use std::io::Write;

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
            sweeps: Vec::new(),
        };
        j.append(&pending_entry("a")).unwrap();
        j.append(&pending_entry("b")).unwrap();
        j.append(&Entry::Resolved {
            case: "b".into(),
            cleanup: vec![delete("/role/10004")],
        })
        .unwrap();
        j.append(&Entry::Done { case: "a".into() }).unwrap();
        assert!(!j.settled(), "b is still pending");
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
        // An entry written after the torn line starts on a line of its own and counts.
        let j = Journal::open(&path).unwrap();
        j.append(&Entry::Done { case: "b".into() }).unwrap();
        assert!(
            !j.settled(),
            "what the file held before is known only by reading it"
        );
        let read_back = read(&path).unwrap();
        assert_eq!(read_back.pending, Vec::new());
        assert_eq!(read_back.skipped.len(), 1);
        assert_eq!(read_back.skipped[0].0, 5);
    }

    #[test]
    fn a_torn_line_in_the_middle_is_skipped_and_a_file_without_entries_refused() {
        let dir = std::env::temp_dir().join(format!("jc-journal-torn-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("journal.jsonl");
        let pending_line = |case: &str| {
            serde_json::to_string(&Entry::Pending {
                case: case.into(),
                run: "jab0001".into(),
                cleanup: vec![delete(&format!("/x/{case}"))],
                sweeps: Vec::new(),
            })
            .unwrap()
        };
        std::fs::write(
            &path,
            format!(
                "{}\n{{\"kind\":\"pe\n{}\n",
                pending_line("a"),
                pending_line("b")
            ),
        )
        .unwrap();
        let contents = read(&path).unwrap();
        let cases: Vec<&str> = contents.pending.iter().map(|p| p.case.as_str()).collect();
        assert_eq!(cases, ["a", "b"]);
        assert_eq!(contents.skipped.len(), 1);
        assert_eq!(contents.skipped[0].0, 2);

        std::fs::write(&path, "not a journal\n{}\n").unwrap();
        assert!(matches!(
            read(&path),
            Err(JournalError::NoEntry { lines: 2, .. })
        ));
        assert!(path.exists());
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn a_journal_is_created_only_when_written() {
        let dir = std::env::temp_dir().join(format!("jc-journal-lazy-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        let path = dir.join("sub").join("journal.jsonl");
        let j = Journal::open(&path).unwrap();
        assert!(!path.exists());
        j.append(&Entry::Done { case: "a".into() }).unwrap();
        assert!(path.exists());
        assert!(j.settled(), "created here, nothing pending");
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn a_settled_journal_is_removed_without_writing_what_it_held() {
        let dir = std::env::temp_dir().join(format!("jc-journal-settled-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("journal.jsonl");
        // A second name of the same file shows what the writer still puts in it once the
        // journal's own name is gone.
        let witness = dir.join("witness.jsonl");
        let j = Journal::open(&path).unwrap();
        j.append(&Entry::Pending {
            case: "a".into(),
            run: "jab0001".into(),
            cleanup: vec![delete("/x/a")],
            sweeps: Vec::new(),
        })
        .unwrap();
        std::fs::hard_link(&path, &witness).unwrap();
        assert!(!j.remove_settled(), "a is still pending");
        assert!(path.exists());
        j.append_later(&Entry::Done { case: "a".into() }).unwrap();
        assert!(j.remove_settled());
        assert!(!path.exists());
        assert!(j.append_later(&Entry::Done { case: "b".into() }).is_err());
        drop(j);
        assert!(!path.exists());
        let kept = std::fs::read_to_string(&witness).unwrap();
        assert_eq!(
            kept.lines().count(),
            1,
            "the held done mark was not written: {kept}"
        );
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn lines_written_later_reach_the_file_with_the_next_batch_a_sync_or_the_drop() {
        let dir = std::env::temp_dir().join(format!("jc-journal-later-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        let path = dir.join("journal.jsonl");
        let pending_entry = |case: &str| Entry::Pending {
            case: case.into(),
            run: "jab0001".into(),
            cleanup: vec![delete(&format!("/x/{case}"))],
            sweeps: Vec::new(),
        };
        let open_cases = || -> Vec<String> {
            read(&path)
                .unwrap()
                .pending
                .into_iter()
                .map(|p| p.case)
                .collect()
        };
        let j = Journal::open(&path).unwrap();
        j.append(&pending_entry("a")).unwrap();
        j.append(&pending_entry("b")).unwrap();
        j.append_later(&Entry::Done { case: "a".into() }).unwrap();
        // The next batch carries what was held.
        j.append(&pending_entry("c")).unwrap();
        assert_eq!(open_cases(), ["b", "c"]);
        j.append_later(&Entry::Done { case: "b".into() }).unwrap();
        j.sync().unwrap();
        assert_eq!(open_cases(), ["c"]);
        // More than a flush's worth held, then the journal dropped: every line is written.
        for n in 0..LATER_LINES + 3 {
            j.append_later(&Entry::Resolved {
                case: "c".into(),
                cleanup: vec![delete(&format!("/role/{n}"))],
            })
            .unwrap();
        }
        j.append_later(&Entry::Done { case: "c".into() }).unwrap();
        assert!(j.settled());
        drop(j);
        assert_eq!(open_cases(), Vec::<String>::new());
        let lines = std::fs::read_to_string(&path).unwrap().lines().count();
        // Three pending entries, three done marks, the filled-in requests.
        assert_eq!(lines, 3 + 3 + LATER_LINES + 3);
        let _ = std::fs::remove_dir_all(&dir);
    }
}
