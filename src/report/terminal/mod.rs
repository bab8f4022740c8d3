//! The report a user reads after `jira-conform run`: failures in detail, then a summary table.
//!
//! - `outline.rs`: the options and the order of the sections;
//! - `cases.rs`: the cases one by one (blocks, one-line entries, the ids to rerun);
//! - `table.rs`: the outcomes per resource and family;
//! - `fidelity.rs`: the share of judged cases that agree, per resource;
//! - `root_causes.rs`: the root causes with their examples;
//! - `not_served.rs`: the operations the target does not serve;
//! - `totals.rs`: the totals line and the skip reasons.

mod cases;
mod fidelity;
mod not_served;
mod outline;
mod root_causes;
mod table;
#[cfg(test)]
mod tests;
mod totals;

pub use outline::{write_terminal, TerminalOptions};
