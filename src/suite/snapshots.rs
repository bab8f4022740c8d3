//! The snapshot files at the edges of a run: which set is read and how it is used, and a
//! record written to a staging folder that replaces the set only when complete.

use std::path::{Path, PathBuf};

use super::{settings, Config, SnapshotChoice};
use crate::check::{load_snapshots, write_snapshot, SnapshotMode, SnapshotSet};
use crate::fixtures::Fixtures;
use crate::Error;

/// The snapshots of a run: the folder, what it holds, and how the run uses it.
pub(super) struct SnapshotPlan {
    /// The profile's folder (or the `--against` profile's).
    pub dir: PathBuf,
    /// The reference set (read from `dir`, or given in memory).
    pub stored: SnapshotSet,
    /// Verify, record or off.
    pub mode: SnapshotMode,
}

impl SnapshotPlan {
    /// Reads the reference set the configuration names and decides the mode.
    pub fn new(config: &Config, fixtures: &Fixtures) -> Result<SnapshotPlan, Error> {
        let dir = settings::snapshot_dir(config, fixtures);
        // Off means off: no snapshot folder is read (or required to be readable).
        let stored = match (&config.reference, config.snapshots) {
            (Some(reference), _) => reference.as_ref().clone(),
            (None, SnapshotChoice::Off) => Default::default(),
            (None, _) => load_snapshots(&dir).map_err(|e| snapshot_error(&dir, e))?,
        };
        let mode = match config.snapshots {
            _ if config.reference.is_some() => SnapshotMode::Verify,
            SnapshotChoice::Auto if stored.is_empty() => SnapshotMode::Off,
            SnapshotChoice::Auto | SnapshotChoice::Verify => SnapshotMode::Verify,
            SnapshotChoice::Record => SnapshotMode::Record,
            SnapshotChoice::Off => SnapshotMode::Off,
        };
        Ok(SnapshotPlan { dir, stored, mode })
    }

    /// The error of a snapshot file of this folder.
    pub fn error(&self, source: std::io::Error) -> Error {
        snapshot_error(&self.dir, source)
    }

    /// A record goes to a staging folder that replaces the set only when complete, so an
    /// interrupted record never leaves a half-written set; `None` when not recording.
    pub fn stage(&self, everything: bool) -> Result<Option<PathBuf>, Error> {
        (self.mode == SnapshotMode::Record)
            .then(|| stage_snapshots(&self.dir, &self.stored, everything))
            .transpose()
            .map_err(|e| self.error(e))
    }

    /// Swaps a complete staging folder in for the set.
    pub fn commit(&self, staging: &Path) -> Result<(), Error> {
        commit_snapshots(staging, &self.dir).map_err(|e| self.error(e))
    }
}

fn snapshot_error(dir: &Path, source: std::io::Error) -> Error {
    Error::Snapshots {
        dir: dir.display().to_string(),
        source,
    }
}

/// A fresh staging folder next to `dir` holding the stored snapshots a partial record keeps
/// (all of them unless every case is being recorded).
fn stage_snapshots(dir: &Path, stored: &SnapshotSet, everything: bool) -> std::io::Result<PathBuf> {
    let name = dir
        .file_name()
        .map_or_else(|| "snapshots".into(), |n| n.to_string_lossy().into_owned());
    let staging = dir.with_file_name(format!(".{name}.recording-{}", std::process::id()));
    if staging.exists() {
        std::fs::remove_dir_all(&staging)?;
    }
    std::fs::create_dir_all(&staging)?;
    if !everything {
        for (id, text) in stored.iter() {
            write_snapshot(&staging, id, text, false)?;
        }
    }
    Ok(staging)
}

/// Swaps the staging folder in for `dir`: two renames, so a reader sees the old set or the new
/// one, and a crash between them leaves the old set beside the new one, never a mix.
fn commit_snapshots(staging: &Path, dir: &Path) -> std::io::Result<()> {
    let old = staging.with_extension("old");
    if dir.exists() {
        std::fs::rename(dir, &old)?;
    }
    std::fs::rename(staging, dir)?;
    if old.exists() {
        std::fs::remove_dir_all(&old)?;
    }
    Ok(())
}
