//! Reports of a run: a terminal summary (and one for a differential run), JUnit XML for CI, a versioned JSON document, and two
//! bug-report formats (Markdown to paste into a tracker, a self-contained HTML page) that group
//! the failures by operation and discrepancy kind.

mod coverage;
mod diff;
mod discrepancy;
mod drift;
mod error;
mod excerpt;
mod failure;
mod fidelity;
mod findings;
mod html;
mod json;
mod junit;
mod markdown;
pub mod merge;
mod output;
mod root_causes;
#[cfg(test)]
mod sample;
pub mod spec_diff;
mod style;
mod table;
mod terminal;

pub use coverage::{write_coverage, write_coverage_json, COVERAGE_JSON_VERSION};
pub use diff::write_diff;
pub use discrepancy::{classify, expected_class, Discrepancy, ExpectedStatus};
pub use error::ReportError;
pub use failure::failure_text;
pub use fidelity::{fidelity, not_served, FidelityRow, NotServed};
pub use html::write_html;
pub use json::{write_json, JSON_REPORT_VERSION};
pub use junit::write_junit;
pub use markdown::write_markdown;
pub use root_causes::{root_causes, Example, RootCause};
pub use terminal::{write_terminal, TerminalOptions};
