//! The journal's writer thread: the one owner of the file. It takes what the cases queued and
//! what they left to be written later, writes it in one go and syncs once for everyone waiting
//! (group commit).

use std::fs::{File, OpenOptions};
use std::io::{Read, Seek, SeekFrom, Write};
use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{mpsc, Mutex, PoisonError};

/// How many lines written without waiting are held before the writer is woken for them.
pub const LATER_LINES: usize = 256;

/// Lines appended without waiting, held until the writer's next batch.
#[derive(Debug, Default)]
pub(super) struct Later {
    pub(super) text: String,
    pub(super) lines: usize,
}

/// What the writer is asked to do.
pub(super) enum Message {
    /// Append a line; tell `ack` once it is on disk (no ack: sync it with the next batch).
    Write { line: String, ack: Option<Ack> },
    /// Tell `ack` once everything sent before is on disk.
    Barrier(Ack),
    /// Write what is held (see [`LATER_LINES`]); nobody waits for it.
    Flush,
}

/// How the writer answers: to a task awaiting it, or to a thread blocked on it.
pub(super) enum Ack {
    Async(tokio::sync::oneshot::Sender<Result<(), String>>),
    Blocking(mpsc::SyncSender<Result<(), String>>),
}

impl Ack {
    pub(super) fn send(self, result: Result<(), String>) {
        match self {
            Ack::Async(tx) => {
                let _ = tx.send(result);
            }
            Ack::Blocking(tx) => {
                let _ = tx.send(result);
            }
        }
    }
}

impl std::fmt::Debug for Message {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("journal message")
    }
}

/// The writer thread: takes what is queued and what is held, writes it in one go, syncs once
/// if anyone waits for it, answers everyone; until the journal is dropped, when what is still
/// held is written and synced (nothing is, when the journal was discarded: `[failed,
/// discarded]` are the journal's flags).
pub(super) fn write_batches(
    path: &Path,
    queue: &mpsc::Receiver<Message>,
    later: &Mutex<Later>,
    [failed, discarded]: [&AtomicBool; 2],
) {
    let mut out = Output {
        path,
        file: None,
        unsynced: false,
    };
    loop {
        let received = queue.recv();
        let closed = received.is_err();
        if closed && discarded.load(Ordering::SeqCst) {
            return;
        }
        let mut text = String::new();
        let mut acks = Vec::new();
        for message in received.into_iter().chain(queue.try_iter()) {
            match message {
                Message::Write { line, ack } => {
                    text.push_str(&line);
                    acks.extend(ack);
                }
                Message::Barrier(ack) => acks.push(ack),
                Message::Flush => {}
            }
        }
        // Every held line is of a case whose pending entry is already on disk (it waited for
        // it), so held lines may follow or precede this batch's lines.
        text.push_str(
            &std::mem::take(&mut *later.lock().unwrap_or_else(PoisonError::into_inner)).text,
        );
        let result = out
            .write(&text, closed || !acks.is_empty())
            .map_err(|e| e.to_string());
        if result.is_err() {
            failed.store(true, Ordering::SeqCst);
        }
        for ack in acks {
            ack.send(result.clone());
        }
        if closed {
            return;
        }
    }
}

/// The journal file as the writer holds it.
struct Output<'a> {
    path: &'a Path,
    /// Opened at the first line.
    file: Option<File>,
    /// Written since the last sync.
    unsynced: bool,
}

impl Output<'_> {
    /// Appends `text` (opening the file at the first line); syncs when `sync` and anything is
    /// unsynced.
    fn write(&mut self, text: &str, sync: bool) -> std::io::Result<()> {
        if !text.is_empty() {
            if self.file.is_none() {
                self.file = Some(open_for_append(self.path)?);
            }
            if let Some(f) = self.file.as_mut() {
                f.write_all(text.as_bytes())?;
                f.flush()?;
                self.unsynced = true;
            }
        }
        if sync && self.unsynced {
            if let Some(f) = self.file.as_ref() {
                f.sync_data()?;
            }
            self.unsynced = false;
        }
        Ok(())
    }
}

/// Opens (creating it and its folder) a journal for appending. A last line cut short by a crash
/// gets its line end first, so the next entry is not glued onto it.
fn open_for_append(path: &Path) -> std::io::Result<File> {
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir)?;
    }
    let mut file = OpenOptions::new()
        .create(true)
        .read(true)
        .append(true)
        .open(path)?;
    let len = file.metadata()?.len();
    if len > 0 {
        let mut last = [0u8; 1];
        file.seek(SeekFrom::Start(len - 1))?;
        file.read_exact(&mut last)?;
        if last[0] != b'\n' {
            file.write_all(b"\n")?;
        }
    }
    Ok(file)
}
