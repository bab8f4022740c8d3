//! The error a report writer returns.

/// Why a report could not be written; the message names the report format.
#[derive(Debug, thiserror::Error)]
pub enum ReportError {
    /// The destination refused the bytes (disk full, closed pipe, ...).
    #[error("cannot write the {format} report: {source}")]
    Io {
        /// The report format, e.g. `JSON` or `JUnit`.
        format: &'static str,
        /// The underlying error.
        #[source]
        source: std::io::Error,
    },
    /// The JSON document could not be built.
    #[error("cannot serialise the JSON report: {0}")]
    Json(#[source] serde_json::Error),
    /// The JUnit XML document could not be built.
    #[error("cannot serialise the JUnit report: {0}")]
    Junit(#[source] quick_junit::SerializeError),
}
