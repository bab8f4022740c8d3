//! Where an expectation comes from, and which API version it is about: plain data shared by
//! the spec's prose reader (which finds the sentences) and the case model (which carries them).

use std::fmt;

use serde::{Deserialize, Serialize};

/// Which REST API version a case talks to: Jira serves every platform operation under both.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Api {
    /// `/rest/api/2`: rich-text fields are plain strings.
    V2,
    /// `/rest/api/3`: rich-text fields are Atlassian Document Format.
    V3,
}

impl Api {
    /// Both versions, in id order.
    pub const ALL: [Api; 2] = [Api::V2, Api::V3];

    /// The id prefix, `v2` or `v3`.
    pub fn label(self) -> &'static str {
        match self {
            Api::V2 => "v2",
            Api::V3 => "v3",
        }
    }

    /// The path prefix the version is served under.
    pub fn prefix(self) -> &'static str {
        match self {
            Api::V2 => "/rest/api/2",
            Api::V3 => "/rest/api/3",
        }
    }

    /// Parses `2`, `3`, `v2` or `v3`.
    pub fn parse(text: &str) -> Option<Api> {
        match text.trim_start_matches('v') {
            "2" => Some(Api::V2),
            "3" => Some(Api::V3),
            _ => None,
        }
    }
}

impl fmt::Display for Api {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.label())
    }
}

/// Where an expectation comes from, so a failure can say "the doc says X".
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "lowercase")]
pub enum Provenance {
    /// A statement of the spec: an operation's status list, schema or prose.
    Spec {
        /// The spec file the statement was read from.
        file: String,
        /// JSON pointer of the element inside that file.
        pointer: String,
        /// The words of the documentation (a sentence, or a short description of the element).
        text: String,
    },
    /// A line of the fixtures file (an override or a description of the target).
    Fixtures {
        /// The fixtures file.
        file: String,
        /// The key inside it.
        key: String,
        /// What it states.
        text: String,
    },
    /// A general HTTP rule where Jira's documentation is silent.
    Standard {
        /// The standard and section, e.g. `RFC 9110 §15.5.6`.
        reference: String,
        /// What it states.
        text: String,
    },
}

impl fmt::Display for Provenance {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Provenance::Spec {
                file,
                pointer,
                text,
            } => write!(f, "{text} ({file}#{pointer})"),
            Provenance::Fixtures { file, key, text } => write!(f, "{text} ({file}: {key})"),
            Provenance::Standard { reference, text } => write!(f, "{text} ({reference})"),
        }
    }
}
