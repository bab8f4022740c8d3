//! Worklogs (`mock/worklogs.rs`): visible where the issue is, the Log work field shown and any
//! restriction admits the caller; served only while time tracking is on. Update cases change a
//! scratch worklog of the acting user and restore it afterwards.

mod jira_time;
mod reads;
mod scratch;
mod updates;

pub use reads::{happy, lookups, matrix as read_matrix, paging};
pub use scratch::{is_scratch_issue, restore_worklog, scratch_worklog};
pub use updates::{matrix as update_matrix, observed_updates, partial_update, refused_updates};
