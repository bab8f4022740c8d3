//! Checks: from a case and what came back to a verdict. Pure: snapshots come in as text and
//! go out as text; the caller reads and writes the files.

mod body;
pub mod compare;
pub mod entity_kind;
mod headers;
mod implied;
mod judge;
mod known;
mod links;
mod redact;
mod reproduce;
mod response;
mod served;
mod snapshot;
mod state;

pub use judge::{judge, CheckContext, Judged};
pub use known::apply_known;
pub use redact::{Generated, Redactor, Scope};
pub use reproduce::{curl_command, with_base_variable};
pub(crate) use response::{undocumented_status, DocumentedBody};
pub use served::apply_not_served;
pub use snapshot::{
    load_snapshots, render_snapshot, snapshot_file_name, write_snapshot, SnapshotMode, SnapshotSet,
    SNAPSHOT_SOURCE,
};
