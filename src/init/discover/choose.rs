//! Choosing what to describe so the permission matrix is informative.

/// `keys` (in their order) with the first that every principal who might see it sees, and the
/// first that some of them cannot, moved to the front: the matrix needs one of each.
pub(super) fn informative_first<'k>(
    keys: impl Iterator<Item = &'k String> + Clone,
    seen_by_all: impl Fn(&str) -> bool,
) -> Vec<String> {
    let mut chosen: Vec<String> = Vec::new();
    if let Some(k) = keys.clone().find(|k| seen_by_all(k)) {
        chosen.push(k.clone());
    }
    if let Some(k) = keys.clone().find(|k| !seen_by_all(k)) {
        chosen.push(k.clone());
    }
    for k in keys {
        if !chosen.contains(k) {
            chosen.push(k.clone());
        }
    }
    chosen
}
