//! How closely two exchanges are compared.

use serde::{Deserialize, Serialize};

/// How closely two exchanges are compared (a snapshot with its reference, or two targets), from
/// the coarsest to the finest. Drift names the first level at which they differ.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum CompareLevel {
    /// The status codes.
    Status,
    /// The status codes and the media types.
    ContentType,
    /// The above and, at each JSON pointer, the set of members and their JSON types (arrays by
    /// the shape of their elements).
    Shape,
    /// The above and the redacted values.
    Values,
}

impl CompareLevel {
    /// Every level, coarsest first.
    pub const ALL: [CompareLevel; 4] = [
        CompareLevel::Status,
        CompareLevel::ContentType,
        CompareLevel::Shape,
        CompareLevel::Values,
    ];

    /// The name used on the command line and in reports.
    pub fn name(self) -> &'static str {
        match self {
            CompareLevel::Status => "status",
            CompareLevel::ContentType => "content-type",
            CompareLevel::Shape => "shape",
            CompareLevel::Values => "values",
        }
    }

    /// Parses a name.
    pub fn parse(text: &str) -> Option<CompareLevel> {
        CompareLevel::ALL.into_iter().find(|l| l.name() == text)
    }
}

impl std::fmt::Display for CompareLevel {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}
