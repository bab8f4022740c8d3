//! Finding the "Permissions required" paragraph in a description and cutting it into plain
//! text: the lead-in and its bullets, sentences, "however" parts, Markdown removed.

use std::sync::OnceLock;

use regex::Regex;

use super::phrases::list_cue_re;

/// The paragraph as written: the lead-in after the heading and the bullets of the list that
/// follows it (raw Markdown).
#[derive(Debug, Default, PartialEq, Eq, Hash)]
pub(super) struct Paragraph {
    pub(super) lead: String,
    pub(super) bullets: Vec<String>,
}

fn is_bullet(line: &str) -> bool {
    let t = line.trim_start();
    t.starts_with("* ") || t.starts_with("*\t") || t.starts_with("- ")
}

fn bullet_text(line: &str) -> &str {
    line.trim_start()[1..].trim()
}

/// Finds the heading and cuts the paragraph: the lead-in block, and the bullet list that
/// directly follows a lead-in that is empty or introduces it (ends with a colon, says "either
/// of"). What comes after is about something else. `lower` is the description in ASCII lower
/// case.
pub(super) fn paragraph_in(description: &str, lower: &str) -> Option<Paragraph> {
    let at = lower
        .find("permissions](#permissions) required")
        .or_else(|| lower.find("permissions required"))?;
    let after = at + lower[at..].find("required")? + "required".len();
    let rest = description[after..].trim_start_matches(['*', ':', ' ', '\t']);
    let mut blocks: Vec<Vec<&str>> = Vec::new();
    let mut current = Vec::new();
    for line in rest.lines() {
        if line.trim().is_empty() {
            if !current.is_empty() {
                blocks.push(std::mem::take(&mut current));
            }
        } else {
            current.push(line);
        }
    }
    if !current.is_empty() {
        blocks.push(current);
    }
    let mut out = Paragraph::default();
    let mut blocks = blocks.into_iter().peekable();
    let mut in_list = false;
    if let Some(first) = blocks.next() {
        for line in first {
            if is_bullet(line) {
                in_list = true;
                out.bullets.push(bullet_text(line).to_string());
            } else if in_list {
                push_continuation(&mut out.bullets, line);
            } else {
                if !out.lead.is_empty() {
                    out.lead.push('\n');
                }
                out.lead.push_str(line.trim());
            }
        }
    }
    let lead = strip_markup(&out.lead);
    let introduces = in_list
        || lead.is_empty()
        || lead.ends_with(':')
        || list_cue_re().is_match(&lead.to_lowercase());
    if !introduces {
        return Some(out);
    }
    while let Some(block) = blocks.next_if(|b| is_bullet(b[0])) {
        for line in block {
            if is_bullet(line) {
                out.bullets.push(bullet_text(line).to_string());
            } else {
                push_continuation(&mut out.bullets, line);
            }
        }
    }
    Some(out)
}

fn push_continuation(bullets: &mut [String], line: &str) {
    if let Some(last) = bullets.last_mut() {
        last.push(' ');
        last.push_str(line.trim());
    }
}

/// Cuts plain text into sentences: at a full stop followed by a space and a capital letter.
pub(super) fn sentences(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut from = 0;
    let bytes = text.as_bytes();
    for (i, &b) in bytes.iter().enumerate() {
        if b == b'.'
            && bytes.get(i + 1) == Some(&b' ')
            && bytes.get(i + 2).is_some_and(u8::is_ascii_uppercase)
        {
            out.push(text[from..=i].trim().to_string());
            from = i + 1;
        }
    }
    out.push(text[from..].trim().to_string());
    out.retain(|s| !s.is_empty());
    out
}

/// Cuts a sentence before each ", however," / "; however,": "Permission to access Jira,
/// however, the user must own the filter" is two statements.
pub(super) fn however_parts(sentence: &str) -> Vec<String> {
    let re = however_re();
    let mut out = Vec::new();
    let mut from = 0;
    for caps in re.captures_iter(sentence) {
        let (cut, next) = (caps.get(0).expect("match"), caps.get(1).expect("group"));
        out.push(sentence[from..cut.start()].trim().to_string());
        from = next.start();
    }
    out.push(sentence[from..].trim().to_string());
    out.retain(|s| !s.is_empty());
    out
}

/// ", however," or "; however,", the word captured.
pub(super) fn however_re() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| super::pattern::compile(r"(?i)[,;]\s+(however\b)").expect("valid regex"))
}

/// Removes Markdown emphasis and links, keeping the link text.
///
/// A link is `[text](target)`: a `[`, text up to the first `]`, then `(`, a target up to the
/// first `)` (what the regex `\[([^\]]*)\]\([^)]*\)` matches, leftmost first); `*` is dropped and
/// every run of whitespace becomes one space, none at the ends. One pass, no regex: this runs on
/// every statement of every operation's permission paragraph.
pub(super) fn strip_markup(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut space = false;
    let mut rest = text;
    while let Some(open) = rest.find('[') {
        let link = rest[open + 1..].find(']').and_then(|close| {
            let close = open + 1 + close;
            let target = rest[close + 1..].strip_prefix('(')?;
            let end = target.find(')')?;
            Some((close, close + 2 + end))
        });
        match link {
            Some((close, end)) => {
                push_plain(&mut out, &mut space, &rest[..open]);
                push_plain(&mut out, &mut space, &rest[open + 1..close]);
                rest = &rest[end + 1..];
            }
            None => {
                push_plain(&mut out, &mut space, &rest[..=open]);
                rest = &rest[open + 1..];
            }
        }
    }
    push_plain(&mut out, &mut space, rest);
    out
}

/// Appends `piece` to `out` without `*`, each run of whitespace as one space between words;
/// `space` carries a run that ends a piece over to the next.
fn push_plain(out: &mut String, space: &mut bool, piece: &str) {
    for c in piece.chars() {
        if c == '*' {
            continue;
        }
        if c.is_whitespace() {
            *space = !out.is_empty();
            continue;
        }
        if std::mem::take(space) {
            out.push(' ');
        }
        out.push(c);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markup_is_stripped_as_the_link_regex_would() {
        // The reading `strip_markup` replaced, kept here as its specification.
        fn by_regex(text: &str) -> String {
            let link = super::super::pattern::compile(r"\[([^\]]*)\]\([^)]*\)").unwrap();
            link.replace_all(text, "$1")
                .replace('*', "")
                .split_whitespace()
                .collect::<Vec<_>>()
                .join(" ")
        }
        for text in [
            "",
            "   ",
            "*Browse projects* [project permission](https://x.y/z) for the project.",
            "[a [b](c) d](e) [f] (g) [h](i [j](k)",
            "[unclosed](target [x] ] ( ) [](empty)[]() *",
            "  **[Administer Jira](https://a/b(c))** global  permission \t\n or ’é’ [x]\n(y)",
            "[multi\nline](t\nu) \u{a0}non-breaking\u{2003}spaces *",
            "* * a*b* [*c*](*d*)",
        ] {
            assert_eq!(strip_markup(text), by_regex(text), "{text:?}");
        }
    }
}
