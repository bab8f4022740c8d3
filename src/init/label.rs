//! Labels for the fixtures' tables, derived from keys and names: lower case, runs of other
//! characters made one `_`, unique within a kind.

use std::collections::BTreeSet;

/// Hands out unique labels for one kind of entity.
#[derive(Debug, Default)]
pub(super) struct Labeler {
    used: BTreeSet<String>,
}

impl Labeler {
    /// Takes `label` as it is (a label kept from another file), if it is still free.
    pub(super) fn keep(&mut self, label: &str) -> Option<String> {
        self.used
            .insert(label.to_string())
            .then(|| label.to_string())
    }

    /// A label from `text` (a key or a name), or from `fallback` when `text` has no letter or
    /// digit; `_2`, `_3`… added until it is unused.
    pub(super) fn label(&mut self, text: &str, fallback: &str) -> String {
        let mut base = slug(text);
        if base.is_empty() {
            base = slug(fallback);
        }
        if base.is_empty() {
            base = "entity".into();
        }
        let mut label = base.clone();
        let mut n = 2;
        while self.used.contains(&label) {
            label = format!("{base}_{n}");
            n += 1;
        }
        self.used.insert(label.clone());
        label
    }
}

/// Lower-case ASCII letters and digits; apostrophes dropped; every other run one `_`.
pub(super) fn slug(text: &str) -> String {
    let mut out = String::new();
    let mut gap = false;
    for c in text.chars().filter(|c| !matches!(c, '\'' | '\u{2019}')) {
        if c.is_ascii_alphanumeric() {
            if gap && !out.is_empty() {
                out.push('_');
            }
            gap = false;
            out.push(c.to_ascii_lowercase());
        } else {
            gap = true;
        }
    }
    // Long names make unwieldy case ids.
    out.chars()
        .take(40)
        .collect::<String>()
        .trim_end_matches('_')
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_are_slugs_and_unique() {
        let mut l = Labeler::default();
        assert_eq!(l.label("CONF-1", "x"), "conf_1");
        assert_eq!(
            l.label("Alice's private board", "x"),
            "alices_private_board"
        );
        assert_eq!(l.label("conf 1", "x"), "conf_1_2");
        assert_eq!(l.label("日本", "dashboard 7"), "dashboard_7");
        assert_eq!(l.label("", ""), "entity");
    }
}
