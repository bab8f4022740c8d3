//! Issue worklogs: the paged listing, one worklog, and updating it.
//!
//! `store` keeps the worklogs (plain data, below the state); `update` reads an update body;
//! `json` writes the `Worklog` shape; `handlers` serves the paths.

mod handlers;
mod json;
pub(crate) mod store;
mod update;

pub(crate) use handlers::{issue_field, routes};
