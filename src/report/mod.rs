//! Reports of a run: a terminal summary (and one for a differential run), JUnit XML for CI, a versioned JSON document, and two
//! bug-report formats (Markdown to paste into a tracker, a self-contained HTML page) that group
//! the failures by operation and discrepancy kind.
//!
//! What every format reads (pure: a run in, a model out):
//! - `fidelity.rs`: the share of judged cases that agree, per resource; operations not served;
//! - `root_causes.rs`: failures grouped into causes, each with one reproducible example;
//! - `findings.rs`: failed cases split by discrepancy and grouped by operation (Markdown, HTML);
//! - `discrepancy.rs`: what a failure means to the person filing the bug;
//! - `table.rs`: the outcome counts per resource and family (terminal, HTML);
//! - `failure.rs`: the text explaining one verdict (terminal, JUnit);
//! - `drift.rs`: a snapshot drift as two columns (HTML);
//! - `excerpt.rs`: bounds on what a target sent, so reports grow with cases, not bytes;
//! - `style.rs`: terminal colour and the clean-up of text from the target.
//!
//! The writers, one per format:
//! - `terminal/`: the report printed after `run` (outline, cases, tables, root causes, totals);
//! - `markdown/` and `html/`: the bug reports (the page's CSS and JS are in `assets/`);
//! - `json.rs`, `junit.rs`: the versioned document and the CI XML;
//! - `coverage.rs`: `list --coverage`, for people and as JSON;
//! - `diff.rs`, `spec_diff.rs`: the renderings of a differential run and of a spec comparison;
//! - `merge.rs`: the shards' JSON reports joined into the report of the whole run;
//! - `output.rs`, `error.rs`: writing a rendered report out, and the error naming its format;
//! - `sample.rs` (tests only): a small run holding every outcome, failure kind and provenance.

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
