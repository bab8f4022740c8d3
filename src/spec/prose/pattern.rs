//! How the prose reader compiles its patterns: with ASCII classes, case folding and word
//! boundaries where the pattern allows it (every pattern whose classes cannot match a byte of a
//! multi-byte character), Unicode otherwise. The prose is English; Unicode `\w`, `\s` and `\b`
//! compile into automata tens of times larger, and building them was a third of what a fresh
//! `list` spent.

use regex::{Regex, RegexBuilder, RegexSet, RegexSetBuilder};

/// `pattern` compiled ASCII-only when it can be, with Unicode when it cannot.
pub(super) fn compile(pattern: &str) -> Result<Regex, regex::Error> {
    RegexBuilder::new(pattern)
        .unicode(false)
        .build()
        .or_else(|_| Regex::new(pattern))
}

/// The patterns as one set, compiled the same way as [`compile`] (ASCII when every pattern
/// allows it).
pub(super) fn compile_set<I>(patterns: I) -> Result<RegexSet, regex::Error>
where
    I: IntoIterator,
    I::Item: AsRef<str>,
{
    let patterns: Vec<I::Item> = patterns.into_iter().collect();
    RegexSetBuilder::new(&patterns)
        .unicode(false)
        .build()
        .or_else(|_| RegexSet::new(&patterns))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ascii_where_it_can_be_and_unicode_where_it_must() {
        let words = compile(r"(?i)\bmaximum length is (\d+) bytes\b").unwrap();
        assert_eq!(
            &words
                .captures("The Maximum length is 32768 bytes.")
                .unwrap()[1],
            "32768"
        );
        // A negated class could match part of a multi-byte character in ASCII mode: Unicode.
        let any = compile(r"\[([^\]]*)\]").unwrap();
        assert_eq!(
            &any.captures("see [Jira’s docs](x)").unwrap()[1],
            "Jira’s docs"
        );
    }
}
