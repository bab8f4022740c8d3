//! What a live differential run found (`jira-conform diff`): the data the report renders,
//! apart from the code that runs the two targets (`crate::diff`).

use serde::Serialize;

use super::{CompareLevel, Leftovers};
use crate::case::Family;

/// One case whose normalised exchanges differ between the targets.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Disagreement {
    /// The case id.
    pub case_id: String,
    /// Resource, for grouping.
    pub resource: String,
    /// Family, for grouping.
    pub family: Family,
    /// The first level at which the two differ.
    pub level: CompareLevel,
    /// A unified diff at that level, target A as `-`, target B as `+`.
    pub diff: String,
}

/// What a differential run found.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DiffReport {
    /// Target A's base URL.
    pub target_a: String,
    /// Target B's base URL.
    pub target_b: String,
    /// The level the two were compared at.
    pub level: CompareLevel,
    /// Cases run on both sides that agree.
    pub agreeing: usize,
    /// Cases whose exchanges differ, in id order.
    pub disagreements: Vec<Disagreement>,
    /// Case ids generated only for A (its fixtures name what B's do not), and only for B.
    pub only_a: Vec<String>,
    /// See `only_a`.
    pub only_b: Vec<String>,
    /// What either run could not undo, still in its cleanup journal.
    #[serde(skip)]
    pub leftovers: Vec<Leftovers>,
}

impl DiffReport {
    /// Whether the targets disagree anywhere.
    pub fn differs(&self) -> bool {
        !self.disagreements.is_empty()
    }
}
