//! Why a spec could not be loaded: each error names the file and, where it can, the JSON pointer.

/// A spec that cannot be used.
#[derive(Debug, thiserror::Error)]
pub enum SpecError {
    /// The file could not be read.
    #[error("cannot read spec {file}: {source}")]
    Read {
        /// The file.
        file: String,
        /// The I/O error.
        source: std::io::Error,
    },
    /// The text is not valid JSON or YAML.
    #[error("{file}: not a valid {format} document: {message}")]
    Syntax {
        /// The file.
        file: String,
        /// `JSON` or `YAML`.
        format: &'static str,
        /// The parser's message with line and column.
        message: String,
    },
    /// A document that is not OpenAPI 3.0 (Swagger 2.0, OpenAPI 3.1, something else).
    #[error("{file}: {message}")]
    Unsupported {
        /// The file.
        file: String,
        /// What it is and what is supported.
        message: String,
    },
    /// An element is missing or has the wrong shape.
    #[error("{file}#{pointer}: {message}")]
    Invalid {
        /// The file.
        file: String,
        /// JSON pointer of the element.
        pointer: String,
        /// What is wrong.
        message: String,
    },
    /// A `$ref` that points nowhere, outside the document, or in a circle.
    #[error("{file}#{pointer}: $ref {target:?} {message}")]
    Reference {
        /// The file.
        file: String,
        /// JSON pointer of the `$ref`.
        pointer: String,
        /// The `$ref` value.
        target: String,
        /// What is wrong with it.
        message: String,
    },
}
