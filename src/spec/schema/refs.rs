//! Local `$ref`s and the `definitions` keys of a standalone document, both ways: where a
//! reference goes, and where in the spec a place of the standalone document comes from.

const COMPONENT_PREFIX: &str = "#/components/schemas/";

/// Where a local `$ref` goes in the standalone document. `None` for a reference that is not
/// of the form `#/pointer` (external, an anchor, the whole document): those are left alone.
pub(super) struct RefTarget {
    /// The key in `definitions`.
    pub(super) key: String,
    /// JSON pointer of the referenced element in the spec (percent-decoded).
    pub(super) pointer: String,
}

pub(super) fn ref_target(reference: &str) -> Option<RefTarget> {
    let fragment = reference.strip_prefix('#')?;
    let pointer = percent_decode(fragment)?;
    if !pointer.starts_with('/') {
        return None;
    }
    let key = match pointer.strip_prefix(COMPONENT_PREFIX.trim_start_matches('#')) {
        Some(token) if !token.contains('/') => unescape_token(token),
        // A pointer starts with `/`; a component name (`[A-Za-z0-9._-]+` in OpenAPI) cannot:
        // the two kinds of key never collide.
        _ => pointer.clone(),
    };
    Some(RefTarget { key, pointer })
}

pub(super) fn rewrite_ref(reference: &str) -> String {
    match ref_target(reference) {
        Some(target) => format!(
            "#/definitions/{}",
            percent_encode_fragment(&escape_token(&target.key))
        ),
        None => reference.to_string(),
    }
}

fn escape_token(token: &str) -> String {
    crate::spec::escape_token(token)
}

fn unescape_token(token: &str) -> String {
    token.replace("~1", "/").replace("~0", "~")
}

/// Decodes `%XX` escapes of a URI fragment; `None` if they do not decode to UTF-8.
fn percent_decode(text: &str) -> Option<String> {
    if !text.contains('%') {
        return Some(text.to_string());
    }
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = |b: u8| (b as char).to_digit(16);
        match (bytes[i], bytes.get(i + 1), bytes.get(i + 2)) {
            (b'%', Some(&h), Some(&l)) if hex(h).is_some() && hex(l).is_some() => {
                out.push((hex(h)? * 16 + hex(l)?) as u8);
                i += 3;
            }
            (b, _, _) => {
                out.push(b);
                i += 1;
            }
        }
    }
    String::from_utf8(out).ok()
}

/// Escapes what may not appear literally in a URI fragment (RFC 3986: unreserved, sub-delims,
/// `:`, `@`, `/`, `?` may).
fn percent_encode_fragment(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for b in text.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~!$&'()*+,;=:@/?".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// Where in the spec a place of the standalone document comes from (`/definitions/Name/type` →
/// `#/components/schemas/Name/type`), for a compiler message that names a place. `None` for
/// the root of the schema, which the error's pointer already names. The path is that of the
/// converted schema: a `nullable` one gains an `anyOf` level the spec does not have.
pub(super) fn spec_location(path: &str, pointer: &str) -> Option<String> {
    if path.is_empty() {
        return None;
    }
    let Some(rest) = path.strip_prefix("/definitions/") else {
        return Some(format!("#{pointer}{path}"));
    };
    let (token, tail) = rest.split_once('/').map_or((rest, ""), |(t, r)| (t, r));
    let key = unescape_token(token);
    let tail = if tail.is_empty() {
        String::new()
    } else {
        format!("/{tail}")
    };
    Some(if key.starts_with('/') {
        format!("#{key}{tail}")
    } else {
        format!("{COMPONENT_PREFIX}{}{tail}", escape_token(&key))
    })
}
