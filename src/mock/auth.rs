//! Who is calling: `Authorization: Basic base64(email:token)` or `Authorization: Bearer token`,
//! matched against the fixtures' principals.

use axum::http::header::AUTHORIZATION;
use axum::http::HeaderMap;
use base64::alphabet;
use base64::engine::general_purpose::{GeneralPurpose, GeneralPurposeConfig};
use base64::engine::DecodePaddingMode;
use base64::Engine as _;

use crate::fixtures::{Credentials, Principal};

use super::faults::Fault;
use super::state::MockState;

/// Clients differ on base64 padding; the credentials are the same either way.
const BASE64: GeneralPurpose = GeneralPurpose::new(
    &alphabet::STANDARD,
    GeneralPurposeConfig::new().with_decode_padding_mode(DecodePaddingMode::Indifferent),
);

/// The outcome of reading a request's credentials.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Authentication<'s> {
    /// No `Authorization` header at all.
    Anonymous,
    /// Credentials that match nobody, or a header that cannot be read.
    Rejected,
    /// A known principal.
    User(&'s Principal),
}

/// Reads the `Authorization` header. Nothing the client sent is kept or echoed.
pub(crate) fn authenticate<'s>(state: &'s MockState, headers: &HeaderMap) -> Authentication<'s> {
    let found = read_credentials(state, headers);
    if !state.has(Fault::CredentialsUnchecked) {
        return found;
    }
    // The fault: whoever the header names (or fails to name) is served as the administrator.
    match found {
        Authentication::User(_) => found,
        Authentication::Anonymous | Authentication::Rejected => state
            .users()
            .iter()
            .find(|p| p.admin)
            .map_or(found, Authentication::User),
    }
}

/// The principal the `Authorization` header names, as a faithful Jira reads it.
fn read_credentials<'s>(state: &'s MockState, headers: &HeaderMap) -> Authentication<'s> {
    let mut values = headers.get_all(AUTHORIZATION).iter();
    let Some(value) = values.next() else {
        return Authentication::Anonymous;
    };
    // Two Authorization headers are ambiguous: refuse rather than pick one.
    if values.next().is_some() {
        return Authentication::Rejected;
    }
    let Ok(value) = value.to_str() else {
        return Authentication::Rejected;
    };
    let value = value.trim();
    let (scheme, rest) = value.split_once(' ').unwrap_or((value, ""));
    let found = if scheme.eq_ignore_ascii_case("basic") {
        basic(state, rest.trim())
    } else if scheme.eq_ignore_ascii_case("bearer") {
        bearer(state, rest.trim())
    } else {
        None
    };
    found.map_or(Authentication::Rejected, Authentication::User)
}

fn basic<'s>(state: &'s MockState, encoded: &str) -> Option<&'s Principal> {
    let decoded = BASE64.decode(encoded).ok()?;
    let decoded = String::from_utf8(decoded).ok()?;
    let (email, token) = decoded.split_once(':')?;
    if token.is_empty() {
        return None;
    }
    let lax = state.has(Fault::InvalidCredentialsAccepted);
    state.users().iter().find(|p| match &p.credentials {
        Credentials::Basic {
            email: known,
            token: secret,
        } => {
            // E-mail addresses are compared without regard to ASCII case, as Atlassian does.
            known.eq_ignore_ascii_case(email)
                && (same_secret(secret.expose().as_bytes(), token.as_bytes()) || lax)
        }
        Credentials::Bearer { .. } => false,
    })
}

fn bearer<'s>(state: &'s MockState, token: &str) -> Option<&'s Principal> {
    if token.is_empty() {
        return None;
    }
    state.users().iter().find(|p| match &p.credentials {
        Credentials::Bearer { token: secret } => {
            same_secret(secret.expose().as_bytes(), token.as_bytes())
        }
        Credentials::Basic { .. } => false,
    })
}

/// Compares two secrets in time that depends only on their lengths, so response timing does not
/// reveal how much of a guessed token was right.
fn same_secret(known: &[u8], given: &[u8]) -> bool {
    let mut diff = u8::from(known.len() != given.len());
    for i in 0..known.len().max(given.len()) {
        let a = known.get(i).copied().unwrap_or(0);
        let b = given.get(i).copied().unwrap_or(0);
        diff |= a ^ b;
    }
    std::hint::black_box(diff) == 0
}

#[cfg(test)]
mod tests {
    use super::same_secret;

    #[test]
    fn same_secret_needs_equal_bytes_and_length() {
        assert!(same_secret(b"abc", b"abc"));
        assert!(!same_secret(b"abc", b"abd"));
        assert!(!same_secret(b"abc", b"abc\0"));
        assert!(!same_secret(b"", b"a"));
    }
}
