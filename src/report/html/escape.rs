//! Escaping: everything that comes from the target, the fixtures or the spec goes through
//! [`text`] (or [`attr`], [`link_html`]) before it reaches the page.

use crate::report::style::clean;

/// A link from the fixtures: a live link only for a plain http(s) URL, so a `javascript:` value
/// stays inert text.
pub(super) fn link_html(link: &str) -> String {
    let plain = (link.starts_with("https://") || link.starts_with("http://"))
        && !link.chars().any(|c| c.is_whitespace() || c.is_control());
    if plain {
        format!(
            "<a href=\"{}\" rel=\"noopener noreferrer\">{}</a>",
            attr(link),
            text(link)
        )
    } else {
        text(link)
    }
}

/// Text for an element's content: control characters defused, then HTML-escaped.
pub(super) fn text(s: &str) -> String {
    escape(&clean(s))
}

/// Text for a quoted attribute value; [`text`] escapes quotes too, so it serves both.
pub(super) fn attr(s: &str) -> String {
    text(s)
}

/// `&`, `<`, `>`, `"` and `'` as entities: safe in element content and in quoted attributes.
pub(super) fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}
