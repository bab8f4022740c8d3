//! Credentials out of whatever a target sends back, before anything keeps it.
//!
//! A target may echo the request's `Authorization` header, or the token in it, anywhere: in
//! the body, in `Content-Type` parameters, in `Allow` or `Location`, in an error it closes the
//! connection with. The executor passes every piece of text it keeps of an answer through one
//! [`Scrubber`], built from the fixtures' principals, so checks, snapshots, reports, `diff` and
//! the terminal never see a credential: each form of each secret becomes `{secret:NAME}`.
//!
//! The forms, for each principal: the token itself; base64 of `email:token` and of the token
//! (standard and URL-safe alphabets, padded or not); the whole `Basic …`/`Bearer …` header
//! value. Each is matched however a target may have encoded it: any character but a letter or
//! digit may come back percent-encoded (once or more, either case of hex, `+` for a space),
//! JSON-escaped (`\/`, `\"`, `\u002f`, nested backslashes), or as an HTML character reference.

use std::borrow::Cow;

use base64::Engine;
use regex::{Captures, Regex, RegexBuilder};

use crate::fixtures::{Credentials, Fixtures};

/// Forms shorter than this are not scrubbed: replacing every `t` of a body because a mock's
/// token is `t` would destroy the answer. Every real API token is far longer, and the composed
/// forms (base64 of `email:token`, the header value) always are.
pub const MIN_SECRET_CHARS: usize = 8;

/// Replaces every form of every credential in play with a marker naming its principal.
#[derive(Debug, Clone, Default)]
pub struct Scrubber {
    /// One capture group per principal, in `names` order; `None` when there is nothing to
    /// scrub.
    pattern: Option<Regex>,
    /// The principal of each capture group.
    names: Vec<String>,
    /// Plain replacement, used only if the pattern cannot be compiled (it is too large): every
    /// literal form with its marker, longest first.
    literals: Vec<(String, String)>,
}

/// The marker that replaces a secret of `principal`.
pub fn marker(principal: &str) -> String {
    format!("{{secret:{principal}}}")
}

impl Scrubber {
    /// The scrubber of every principal of `fixtures`.
    pub fn new(fixtures: &Fixtures) -> Scrubber {
        Scrubber::from_forms(
            fixtures
                .principals
                .iter()
                .map(|p| (p.name.clone(), forms(&p.credentials)))
                .collect(),
        )
    }

    /// A scrubber of the given literal forms, by principal name.
    pub fn from_forms(principals: Vec<(String, Vec<String>)>) -> Scrubber {
        let mut groups = Vec::new();
        let mut names = Vec::new();
        let mut literals = Vec::new();
        for (name, mut forms) in principals {
            forms.retain(|f| f.chars().count() >= MIN_SECRET_CHARS);
            forms.sort_by_key(|f| std::cmp::Reverse(f.len()));
            forms.dedup();
            if forms.is_empty() {
                continue;
            }
            // A regex alternation takes the first alternative that matches: longest first, so
            // a header value is replaced whole rather than the base64 inside it.
            let alternatives: Vec<String> = forms.iter().map(|f| form_pattern(f)).collect();
            groups.push(format!("({})", alternatives.join("|")));
            literals.extend(forms.into_iter().map(|f| (f, marker(&name))));
            names.push(name);
        }
        literals.sort_by_key(|(f, _)| std::cmp::Reverse(f.len()));
        let pattern = (!groups.is_empty())
            .then(|| {
                RegexBuilder::new(&groups.join("|"))
                    .size_limit(64 * 1024 * 1024)
                    .dfa_size_limit(16 * 1024 * 1024)
                    .build()
                    .ok()
            })
            .flatten();
        Scrubber {
            pattern,
            names,
            literals,
        }
    }

    /// Whether there is any secret to scrub.
    pub fn is_empty(&self) -> bool {
        self.literals.is_empty()
    }

    /// `text` with every form of every secret replaced by its marker.
    pub fn scrub<'t>(&self, text: &'t str) -> Cow<'t, str> {
        if self.literals.is_empty() {
            return Cow::Borrowed(text);
        }
        match &self.pattern {
            Some(re) => re.replace_all(text, |caps: &Captures<'_>| {
                let group = (1..caps.len()).find(|&i| caps.get(i).is_some());
                let name = group
                    .and_then(|i| self.names.get(i - 1))
                    .map_or("principal", String::as_str);
                marker(name)
            }),
            None => {
                let mut out = Cow::Borrowed(text);
                for (literal, marker) in &self.literals {
                    if out.contains(literal.as_str()) {
                        out = Cow::Owned(out.replace(literal.as_str(), marker));
                    }
                }
                out
            }
        }
    }

    /// [`Scrubber::scrub`] of an owned text, without a copy when nothing is replaced.
    pub fn scrub_string(&self, text: String) -> String {
        match self.scrub(&text) {
            Cow::Borrowed(_) => text,
            Cow::Owned(scrubbed) => scrubbed,
        }
    }

    /// A body: scrubbed, and when it was cut at the size cap (`truncated`), the beginning of a
    /// secret the cut left at its end (4 bytes or more of a form, as sent) dropped too.
    pub fn body(&self, text: String, truncated: bool) -> String {
        let mut text = self.scrub_string(text);
        if truncated {
            if let Some(cut) = self.partial_tail(&text) {
                text.truncate(cut);
            }
        }
        text
    }

    /// Where a partial form at the end of `text` begins, if there is one.
    fn partial_tail(&self, text: &str) -> Option<usize> {
        self.literals.iter().find_map(|(form, _)| {
            (PARTIAL_MIN_BYTES..form.len())
                .rev()
                .filter(|&k| form.is_char_boundary(k))
                .find(|&k| text.ends_with(&form[..k]))
                .map(|k| text.len() - k)
        })
    }
}

/// The shortest beginning of a secret a cut body loses at its end.
const PARTIAL_MIN_BYTES: usize = 4;

/// Every literal form in which `credentials` may come back from a target.
pub fn forms(credentials: &Credentials) -> Vec<String> {
    let standard = base64::engine::general_purpose::STANDARD;
    let url_safe = base64::engine::general_purpose::URL_SAFE;
    let both = |raw: &str| [standard.encode(raw), url_safe.encode(raw)];
    let mut out = Vec::new();
    match credentials {
        Credentials::Basic { email, token } => {
            let token = token.expose();
            let pair = format!("{email}:{token}");
            out.push(token.to_string());
            for encoded in both(&pair) {
                out.push(format!("Basic {encoded}"));
                out.push(encoded);
            }
            out.extend(both(token));
        }
        Credentials::Bearer { token } => {
            let token = token.expose();
            out.push(token.to_string());
            out.push(format!("Bearer {token}"));
            out.extend(both(token));
        }
    }
    out
}

/// The pattern of one literal form: each character as itself or encoded; trailing base64
/// padding optional (a target may strip it).
fn form_pattern(form: &str) -> String {
    let unpadded = form.trim_end_matches('=');
    let padding = form.len() - unpadded.len();
    let mut out = String::new();
    for (i, c) in unpadded.chars().enumerate() {
        // The space of `Basic …`/`Bearer …`: any run of spaces.
        let scheme_space =
            (i == 5 && form.starts_with("Basic ")) || (i == 6 && form.starts_with("Bearer "));
        if scheme_space {
            out.push_str(&format!("(?:{})+", char_pattern(' ')));
            continue;
        }
        out.push_str(&char_pattern(c));
    }
    if padding > 0 {
        out.push_str(&format!("(?:{}){{0,{padding}}}", char_pattern('=')));
    }
    out
}

/// One character of a secret: itself, or any encoding a target may have given it. Letters and
/// digits are left alone by every encoder, so they match only themselves.
fn char_pattern(c: char) -> String {
    if c.is_ascii_alphanumeric() {
        return c.to_string();
    }
    let mut alternatives = vec![regex::escape(c.encode_utf8(&mut [0u8; 4]))];
    // Percent-encoding, of each UTF-8 byte, possibly encoded again (`%252F`).
    let percent: String = c
        .encode_utf8(&mut [0u8; 4])
        .bytes()
        .map(|b| format!("%(?:25)*{}", hex_pattern(u32::from(b), 2)))
        .collect();
    alternatives.push(percent);
    if c == ' ' {
        alternatives.push(r"\+".into());
    }
    // JSON escapes: `\uXXXX` (a surrogate pair beyond the BMP), and `\/`, `\"`, `\\`; one or
    // more backslashes, for a JSON string inside a JSON string.
    let unicode: String = c
        .encode_utf16(&mut [0u16; 2])
        .iter()
        .map(|u| format!(r"\\+u{}", hex_pattern(u32::from(*u), 4)))
        .collect();
    alternatives.push(unicode);
    if matches!(c, '/' | '"' | '\\') {
        alternatives.push(format!(
            r"\\+{}",
            regex::escape(c.encode_utf8(&mut [0u8; 4]))
        ));
    }
    // HTML character references.
    alternatives.push(format!("&#0*{};", c as u32));
    alternatives.push(format!("&#[xX]0*{};", hex_pattern(c as u32, 1)));
    let named = match c {
        '&' => Some("&amp;"),
        '<' => Some("&lt;"),
        '>' => Some("&gt;"),
        '"' => Some("&quot;"),
        '\'' => Some("&apos;"),
        _ => None,
    };
    alternatives.extend(named.map(str::to_string));
    format!("(?:{})", alternatives.join("|"))
}

/// `value` in hex, at least `width` digits, each letter digit in either case.
fn hex_pattern(value: u32, width: usize) -> String {
    format!("{value:0width$x}")
        .chars()
        .map(|d| {
            if d.is_ascii_digit() {
                d.to_string()
            } else {
                format!("[{d}{}]", d.to_ascii_uppercase())
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fixtures::Secret;

    const EMAIL: &str = "admin@example.test";
    const TOKEN: &str = "adm!n-Zq9/+=s3cr3t?&x?> é!";

    fn scrubber() -> Scrubber {
        Scrubber::from_forms(vec![
            (
                "admin".into(),
                forms(&Credentials::Basic {
                    email: EMAIL.into(),
                    token: Secret::new(TOKEN),
                }),
            ),
            (
                "robot".into(),
                forms(&Credentials::Bearer {
                    token: Secret::new("eyJhbGciOi.bearer/token+x"),
                }),
            ),
        ])
    }

    /// Asserts that `text` scrubs to `expected`.
    fn scrubs(text: &str, expected: &str) {
        assert_eq!(scrubber().scrub(text), expected, "scrubbing {text:?}");
    }

    fn percent(s: &str, lower: bool) -> String {
        s.bytes()
            .map(|b| match b {
                b if b.is_ascii_alphanumeric() => (b as char).to_string(),
                b if lower => format!("%{b:02x}"),
                b => format!("%{b:02X}"),
            })
            .collect()
    }

    #[test]
    fn the_plain_token() {
        scrubs(&format!("echo: {TOKEN}."), "echo: {secret:admin}.");
    }

    #[test]
    fn base64_of_email_and_token_in_every_alphabet_with_and_without_padding() {
        let pair = format!("{EMAIL}:{TOKEN}");
        let standard = base64::engine::general_purpose::STANDARD.encode(&pair);
        let url_safe = base64::engine::general_purpose::URL_SAFE.encode(&pair);
        assert_ne!(
            standard, url_safe,
            "the test token differs between alphabets"
        );
        assert!(standard.ends_with('='), "the test pair needs padding");
        for encoded in [
            standard.clone(),
            url_safe.clone(),
            standard.trim_end_matches('=').to_string(),
            url_safe.trim_end_matches('=').to_string(),
        ] {
            scrubs(&format!("[{encoded}]"), "[{secret:admin}]");
        }
        let alone = base64::engine::general_purpose::STANDARD_NO_PAD.encode(TOKEN);
        scrubs(&format!("t={alone}"), "t={secret:admin}");
    }

    #[test]
    fn the_whole_header_value() {
        let pair = format!("{EMAIL}:{TOKEN}");
        let value = format!(
            "Basic {}",
            base64::engine::general_purpose::STANDARD.encode(pair)
        );
        scrubs(
            &format!("{{\"authorization\": \"{value}\"}}"),
            "{\"authorization\": \"{secret:admin}\"}",
        );
        scrubs(
            "WWW-Authenticate: Bearer eyJhbGciOi.bearer/token+x",
            "WWW-Authenticate: {secret:robot}",
        );
    }

    #[test]
    fn the_url_encoded_token_in_either_case_and_encoded_twice() {
        scrubs(
            &format!("?t={}&", percent(TOKEN, false)),
            "?t={secret:admin}&",
        );
        scrubs(
            &format!("?t={}&", percent(TOKEN, true)),
            "?t={secret:admin}&",
        );
        let twice = percent(TOKEN, false).replace('%', "%25");
        scrubs(&format!("/{twice}/"), "/{secret:admin}/");
        // Form encoding: a space as `+`.
        let form = percent(TOKEN, false).replace("%20", "+");
        scrubs(&format!("t={form}"), "t={secret:admin}");
    }

    #[test]
    fn the_token_inside_json_escaped_strings() {
        // serde_json escapes only `"`, `\` and controls; PHP and others escape `/` too.
        let serde = serde_json::to_string(TOKEN).expect("a string");
        scrubs(&serde, "\"{secret:admin}\"");
        let slashes = TOKEN.replace('/', "\\/");
        scrubs(&format!("\"{slashes}\""), "\"{secret:admin}\"");
        // Every character beyond letters and digits as \uXXXX (ensure_ascii, .NET's encoder).
        let unicode: String = TOKEN
            .chars()
            .map(|c| {
                if c.is_ascii_alphanumeric() {
                    c.to_string()
                } else {
                    format!("\\u{:04X}", c as u32)
                }
            })
            .collect();
        scrubs(&unicode, "{secret:admin}");
        // A JSON string inside a JSON string.
        let nested = serde_json::to_string(&serde_json::json!({ "h": slashes }).to_string())
            .expect("a string");
        assert!(!scrubber().scrub(&nested).contains("s3cr3t"), "{nested}");
    }

    #[test]
    fn html_character_references() {
        let html = TOKEN.replace('&', "&amp;").replace('/', "&#x2F;");
        scrubs(&format!("<p>{html}</p>"), "<p>{secret:admin}</p>");
    }

    #[test]
    fn short_secrets_and_ordinary_text_are_left_alone() {
        let short = Scrubber::from_forms(vec![("a".into(), vec!["t".into()])]);
        assert!(short.is_empty());
        assert_eq!(short.scrub("a text with t"), "a text with t");
        let text =
            "{\"accountId\":\"5b10a2844c20165700ede210\",\"emailAddress\":\"admin@example.test\"}";
        assert!(matches!(scrubber().scrub(text), Cow::Borrowed(_)));
    }

    #[test]
    fn a_body_cut_at_the_cap_loses_a_half_secret_at_its_end() {
        let s = scrubber();
        let half = &TOKEN[..10];
        let body = format!("{}{half}", "x".repeat(1000));
        assert_eq!(s.body(body.clone(), true), "x".repeat(1000));
        // Not cut: the end is whatever the target sent; cut without a partial secret: kept.
        assert_eq!(s.body(body.clone(), false), body);
        let plain = "x".repeat(1000);
        assert_eq!(s.body(plain.clone(), true), plain);
    }
}
