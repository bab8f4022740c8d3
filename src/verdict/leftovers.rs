//! What a run could not undo: the cases still in its cleanup journal.

use std::path::PathBuf;

/// Cases whose undo the run could not complete (or verify): they stay in the journal for
/// `jira-conform cleanup`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Leftovers {
    /// The journal holding them.
    pub journal: PathBuf,
    /// How many cases.
    pub cases: usize,
    /// What went wrong, one line per problem (`case: what`), no credential.
    pub problems: Vec<String>,
    /// The command that sends them later.
    pub command: String,
}
