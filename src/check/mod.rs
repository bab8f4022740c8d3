//! Checks: from a case and what came back to a verdict. Pure: snapshots come in as text and
//! go out as text; the caller reads and writes the files. Checks read the case model, the
//! exchanges and the spec; they never call the runner.
//!
//! One job per file:
//! - `judge.rs`: every check on every step of a case, then its snapshot, into one verdict.
//! - `response.rs`: one response against the documentation (status, schema, content type,
//!   the `Allow` of a 405).
//! - `body.rs`: the body checks a case states (values, arrays listed in order, keys).
//! - `page.rs`: a page keeps the paging contract (`startAt`, `maxResults`, `total`, `isLast`).
//! - `implied.rs`: which checks the documentation implies, and their dispatch to
//!   `headers.rs` (standard headers), `links.rs` (`self` and `nextPage` links) and `state.rs`
//!   (an expansion against the unexpanded read).
//! - `snapshot.rs`: the normalised exchange as an insta snapshot, compared as a diff;
//!   `redact.rs` normalises what is volatile or personal; `compare.rs` compares two normalised
//!   exchanges level by level; `entity_kind.rs` tells which entity an id names.
//! - `known.rs` (known deviations) and `served.rs` (operations the target does not serve):
//!   verdicts in, verdicts out.
//! - `reproduce.rs`: the `curl` command that reproduces a request.

mod body;
pub mod compare;
pub mod entity_kind;
mod headers;
mod implied;
mod judge;
mod known;
mod links;
mod page;
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
