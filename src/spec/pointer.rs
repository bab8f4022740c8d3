//! JSON pointers (RFC 6901), which every spec error and provenance uses to point into a file.

use serde_json::Value;

/// Escapes one pointer token (`~` → `~0`, `/` → `~1`).
pub fn escape_token(token: &str) -> String {
    token.replace('~', "~0").replace('/', "~1")
}

/// The value at a pointer, if there is one.
pub fn pointer_get<'a>(root: &'a Value, pointer: &str) -> Option<&'a Value> {
    root.pointer(pointer)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn path_tokens_are_escaped() {
        assert_eq!(escape_token("/rest/api/3/a~b"), "~1rest~1api~13~1a~0b");
    }
}
