//! The Markdown report: a run's discrepancies laid out to be pasted into a bug report (to
//! Atlassian, or to a mock's tracker), grouped by operation and then by discrepancy kind, each
//! entry with the documentation's words, the observed response and a curl reproduction.
//!
//! Everything that comes from the target, the fixtures or the spec is escaped: prose with
//! backslashes, code in spans and fences longer than any backtick run inside, pipes in tables.
//!
//! - `document.rs`: the header and the order of the sections;
//! - `overview.rs`: fidelity, root causes, operations not served, discrepancies per operation;
//! - `discrepancies.rs`: a section per operation, an entry per case and discrepancy;
//! - `exchange.rs`: what the target answered at a step, and the curl reproduction;
//! - `listed.rs`: known deviations, now-conforming entries, untestable cases, skip reasons;
//! - `escape.rs`: Markdown escaping of everything that comes from outside.

mod discrepancies;
mod document;
mod escape;
mod exchange;
mod listed;
mod overview;
#[cfg(test)]
mod tests;

pub use document::write_markdown;
