//! Reports of a run: a terminal summary, JUnit XML for CI, and a versioned JSON document.

mod error;
mod failure;
mod json;
mod junit;
#[cfg(test)]
mod sample;
mod style;
mod terminal;

pub use error::ReportError;
pub use failure::failure_text;
pub use json::{write_json, JSON_REPORT_VERSION};
pub use junit::write_junit;
pub use terminal::{write_terminal, TerminalOptions};
