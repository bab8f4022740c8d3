//! JSON pointers (RFC 6901), which every spec error and provenance uses to point into a file.

/// Escapes one pointer token (`~` → `~0`, `/` → `~1`).
pub fn escape_token(token: &str) -> String {
    token.replace('~', "~0").replace('/', "~1")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn path_tokens_are_escaped() {
        assert_eq!(escape_token("/rest/api/3/a~b"), "~1rest~1api~13~1a~0b");
    }
}
