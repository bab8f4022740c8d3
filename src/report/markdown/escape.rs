//! Escaping: prose with backslashes, code in spans and fences longer than any backtick run
//! inside, pipes in table cells, links only when plain http(s).

use crate::report::style::clean;

/// A link from the fixtures: an autolink when it is a plain http(s) URL, else escaped text, so
/// a `javascript:` or malformed value never becomes a live link.
pub(super) fn link_text(link: &str) -> String {
    let plain = (link.starts_with("https://") || link.starts_with("http://"))
        && !link
            .chars()
            .any(|c| c.is_whitespace() || c.is_control() || matches!(c, '<' | '>' | '`'));
    if plain {
        format!("<{link}>")
    } else {
        inline(link)
    }
}

/// Prose from the target, the fixtures or the spec, on one line, with every character that
/// Markdown (CommonMark and GitHub's extensions) could read as markup backslash-escaped.
pub(super) fn inline(text: &str) -> String {
    let text = clean(text);
    let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
    let mut out = String::with_capacity(text.len());
    for (i, c) in text.chars().enumerate() {
        let markup = matches!(
            c,
            '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '|' | '&' | '~' | '!'
        );
        // These only mean something at the start of a line (heading, list, setext underline).
        let leading = i == 0 && matches!(c, '#' | '+' | '-' | '=');
        if markup || leading {
            out.push('\\');
        }
        out.push(c);
    }
    // `1. text` or `1) text` at the start would become an ordered list.
    if let Some(pos) = out.find(|c: char| !c.is_ascii_digit()) {
        if pos > 0 && matches!(out[pos..].chars().next(), Some('.' | ')')) {
            out.insert(pos, '\\');
        }
    }
    out
}

/// `text` as an inline code span: delimited by more backticks than any run inside, padded
/// when it starts or ends with a backtick, on one line.
pub(super) fn code(text: &str) -> String {
    let text = clean(text).replace('\n', " ");
    let ticks = "`".repeat(longest_backtick_run(&text) + 1);
    let pad = if text.starts_with('`') || text.ends_with('`') || text.trim().is_empty() {
        " "
    } else {
        ""
    };
    format!("{ticks}{pad}{text}{pad}{ticks}")
}

/// A code span inside a table cell: GitHub splits cells on every unescaped pipe, code spans
/// included, so pipes are escaped there.
pub(super) fn cell_code(text: &str) -> String {
    code(text).replace('|', "\\|")
}

/// A fenced code block: the fence is longer than any backtick run in `body`, so the body cannot
/// close it early.
pub(super) fn fence(info: &str, body: &str) -> String {
    let ticks = "`".repeat(longest_backtick_run(body).max(2) + 1);
    let body = body.trim_end_matches('\n');
    format!("{ticks}{info}\n{body}\n{ticks}\n\n")
}

/// The length of the longest run of backticks in `text`.
fn longest_backtick_run(text: &str) -> usize {
    let mut longest = 0;
    let mut run = 0;
    for c in text.chars() {
        if c == '`' {
            run += 1;
            longest = longest.max(run);
        } else {
            run = 0;
        }
    }
    longest
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prose_is_escaped() {
        assert_eq!(
            inline("a *b* _c_ `d` <script> [x](y) | & ~ \\"),
            "a \\*b\\* \\_c\\_ \\`d\\` \\<script\\> \\[x\\](y) \\| \\& \\~ \\\\"
        );
        assert_eq!(inline("# not a heading"), "\\# not a heading");
        assert_eq!(inline("- not a list"), "\\- not a list");
        assert_eq!(inline("12. not a list"), "12\\. not a list");
        assert_eq!(inline("12 apples."), "12 apples.");
        assert_eq!(inline("two\nlines\x1b"), "two lines\\\\u{1b}");
        assert_eq!(link_text("javascript:alert(1)"), "javascript:alert(1)");
        assert_eq!(link_text("https://x.test/a b"), "https://x.test/a b");
        assert_eq!(link_text("https://x.test/BUG-1"), "<https://x.test/BUG-1>");
    }

    #[test]
    fn code_spans_and_fences_outlast_the_backticks_inside() {
        assert_eq!(code("a"), "`a`");
        assert_eq!(code("a`b"), "``a`b``");
        assert_eq!(code("`a"), "`` `a ``");
        assert_eq!(code("x\ny"), "`x y`");
        assert_eq!(cell_code("a|b"), "`a\\|b`");
        assert_eq!(fence("json", "{}"), "```json\n{}\n```\n\n");
        assert_eq!(fence("", "```\nx\n"), "````\n```\nx\n````\n\n");
        assert_eq!(fence("", "a ````` b"), "``````\na ````` b\n``````\n\n");
    }
}
