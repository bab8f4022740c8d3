//! A value read from the prose, and the sentence that states it.

use crate::spec::Provenance;

/// A value and where the documentation states it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sourced<T> {
    /// The value.
    pub value: T,
    /// Where it is stated.
    pub provenance: Provenance,
}

/// The sentence of `text` around byte range `start..end`.
pub(super) fn sentence(text: &str, start: usize, end: usize) -> String {
    let from = text[..start].rfind(['.', '\n']).map_or(0, |i| i + 1);
    let to = text[end..]
        .find(['.', '\n'])
        .map_or(text.len(), |i| end + i + 1);
    text[from..to]
        .trim()
        .trim_start_matches(['*', ' '])
        .to_string()
}

/// Where a rule is stated: the sentence around byte range `start..end` of `text`, at `pointer`
/// of `file`.
pub(super) fn provenance(
    file: &str,
    pointer: String,
    text: &str,
    start: usize,
    end: usize,
) -> Provenance {
    Provenance::Spec {
        file: file.to_string(),
        pointer,
        text: sentence(text, start, end),
    }
}
