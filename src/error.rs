//! The errors a run can stop with, one variant per stage; the binary renders them.

/// Why a run could not start or finish (a failing case is not an error: see verdicts).
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The spec could not be loaded.
    #[error(transparent)]
    Spec(#[from] crate::spec::SpecError),
    /// The fixtures could not be loaded.
    #[error(transparent)]
    Fixtures(#[from] crate::fixtures::FixturesError),
    /// The generator found a bug in itself.
    #[error(transparent)]
    Generate(#[from] crate::generate::GenerateError),
    /// A filter names something the spec does not have.
    #[error(transparent)]
    Select(#[from] crate::select::SelectError),
    /// The embedded mock could not start.
    #[error(transparent)]
    Mock(#[from] crate::mock::MockError),
    /// The target is not a usable URL or does not answer at all.
    #[error("target {url}: {message}")]
    Target {
        /// The base URL.
        url: String,
        /// What went wrong.
        message: String,
    },
    /// The preflight found the target unusable (not Jira, refused credentials, wrong account).
    #[error(transparent)]
    Preflight(#[from] crate::run::preflight::PreflightError),
    /// A combination of settings that would silently do nothing (a fault for a target the run
    /// does not start, a reference profile with no snapshots, a selection of no case).
    #[error("{0}")]
    Refused(String),
    /// Snapshot files could not be read or written.
    #[error("snapshots in {dir}: {source}")]
    Snapshots {
        /// The folder.
        dir: String,
        /// The I/O error.
        source: std::io::Error,
    },
    /// The cleanup journal could not be written or read.
    #[error(transparent)]
    Journal(#[from] crate::run::journal::JournalError),
    /// A journal named for `cleanup` does not exist.
    #[error("{}: no such journal", .0.display())]
    NoJournal(std::path::PathBuf),
    /// The folder of journals could not be listed.
    #[error("{}: {source}", dir.display())]
    JournalDir {
        /// The folder.
        dir: std::path::PathBuf,
        /// Why.
        source: std::io::Error,
    },
}
