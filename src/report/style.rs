//! Colour for the terminal report, and the clean-up every report applies to text from the target.

use owo_colors::Style;

use crate::verdict::Outcome;

/// Applies styles only when colour is on, so plain output never holds an escape sequence.
#[derive(Debug, Clone, Copy)]
pub(super) struct Paint {
    color: bool,
}

impl Paint {
    /// No colour: the form shared with JUnit and used when the output is not a terminal.
    pub(super) const PLAIN: Paint = Paint { color: false };

    /// Colour on or off.
    pub(super) fn new(color: bool) -> Paint {
        Paint { color }
    }

    /// `text` in `style`, or unchanged without colour.
    pub(super) fn apply(self, text: &str, style: Style) -> String {
        if self.color {
            style.style(text).to_string()
        } else {
            text.to_owned()
        }
    }

    /// `text` in the colour of an outcome (green pass, red fail, magenta error, yellow skipped).
    pub(super) fn outcome(self, text: &str, outcome: Outcome) -> String {
        self.apply(text, outcome_style(outcome))
    }

    /// Secondary text: labels such as `documented by:`.
    pub(super) fn dim(self, text: &str) -> String {
        self.apply(text, Style::new().dimmed())
    }

    /// Emphasised text: step headers.
    pub(super) fn bold(self, text: &str) -> String {
        self.apply(text, Style::new().bold())
    }
}

/// The colour of an outcome.
fn outcome_style(outcome: Outcome) -> Style {
    match outcome {
        Outcome::Pass => Style::new().green(),
        Outcome::Fail => Style::new().red().bold(),
        Outcome::Error => Style::new().magenta().bold(),
        Outcome::Skipped => Style::new().yellow(),
        Outcome::Known => Style::new().cyan(),
        Outcome::NowConforms => Style::new().red().bold(),
        Outcome::NotServed => Style::new().blue(),
    }
}

/// `text` with control characters escaped (`\u{1b}`), newlines and tabs kept.
///
/// Bodies, messages and headers come from the target: an escape sequence in them must not reach
/// the user's terminal (it could recolour or rewrite the screen), nor break the promise that plain
/// output holds no escape at all.
pub(super) fn clean(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        // U+FFFE and U+FFFF are not characters; XML refuses them, so JUnit would too.
        if (c.is_control() && c != '\n' && c != '\t') || matches!(c, '\u{fffe}' | '\u{ffff}') {
            out.extend(c.escape_default());
        } else {
            out.push(c);
        }
    }
    out
}

/// [`clean`] for text that must stay on one line (URLs, header values): newlines escaped too.
pub(super) fn clean_line(text: &str) -> String {
    clean(text).replace('\n', "\\n")
}

/// At most `max` characters of `text`, with `…` when cut; counts characters, never splits one.
pub(super) fn cut(text: &str, max: usize) -> String {
    match text.char_indices().nth(max) {
        None => text.to_owned(),
        Some((end, _)) => format!("{}…", &text[..end]),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_paint_adds_nothing_and_colour_adds_escapes() {
        assert_eq!(Paint::PLAIN.outcome("FAIL", Outcome::Fail), "FAIL");
        assert!(Paint::new(true)
            .outcome("FAIL", Outcome::Fail)
            .contains('\x1b'));
    }

    #[test]
    fn clean_escapes_control_characters_but_keeps_lines() {
        assert_eq!(clean("a\x1b[31mb\nc\td"), "a\\u{1b}[31mb\nc\td");
        assert_eq!(clean_line("a\nb\r"), "a\\nb\\r");
        assert_eq!(clean("a\u{fffe}b"), "a\\u{fffe}b");
    }

    #[test]
    fn cut_counts_characters() {
        assert_eq!(cut("héllo", 3), "hél…");
        assert_eq!(cut("hé", 2), "hé");
    }
}
