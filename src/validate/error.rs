//! Why recorded traffic could not be read: each error names the file and, where it can, the JSON
//! pointer of the element that could not be read.

/// Recorded traffic that cannot be validated (as opposed to traffic that departs from the spec,
/// which is a failed verdict).
#[derive(Debug, thiserror::Error)]
pub enum ValidateError {
    /// A file or directory could not be read.
    #[error("cannot read {file}: {source}")]
    Read {
        /// The file or directory.
        file: String,
        /// The I/O error.
        source: std::io::Error,
    },
    /// The text is not JSON at all.
    #[error("{file}: not a valid JSON document: {message}")]
    Syntax {
        /// The file.
        file: String,
        /// The parser's message with line and column.
        message: String,
    },
    /// An element is missing or has the wrong shape.
    #[error("{file}#{pointer}: {message}")]
    Invalid {
        /// The file.
        file: String,
        /// JSON pointer of the element, e.g. `/log/entries/3/response/content/text`.
        pointer: String,
        /// What is wrong.
        message: String,
    },
    /// A pairs directory without a single pair: almost certainly the wrong directory.
    #[error("{dir}: no request/response pairs (*.json files) found")]
    Empty {
        /// The directory.
        dir: String,
    },
}
