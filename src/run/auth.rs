//! Credentials on the wire: the only place a token leaves its [`Secret`] wrapper.

use base64::Engine;

use crate::case::{Actor, INVALID_TOKEN};
use crate::fixtures::{Credentials, Fixtures};

/// The `Authorization` header value for an actor, or `None` for anonymous requests.
///
/// Invalid credentials use the first principal's e-mail with a wrong token, so a target that
/// checks only the e-mail is caught.
pub fn authorization(actor: &Actor, fixtures: &Fixtures) -> Result<Option<String>, String> {
    let basic = |email: &str, token: &str| {
        let raw = format!("{email}:{token}");
        format!(
            "Basic {}",
            base64::engine::general_purpose::STANDARD.encode(raw)
        )
    };
    match actor {
        Actor::Anonymous => Ok(None),
        Actor::InvalidCredentials => {
            let email = fixtures
                .principals
                .iter()
                .find_map(|p| match &p.credentials {
                    Credentials::Basic { email, .. } => Some(email.as_str()),
                    Credentials::Bearer { .. } => None,
                })
                .unwrap_or("nobody@example.invalid");
            Ok(Some(basic(email, INVALID_TOKEN)))
        }
        Actor::Principal(name) => {
            let p = fixtures
                .principal(name)
                .ok_or_else(|| format!("no principal named {name:?} in {}", fixtures.source))?;
            Ok(Some(match &p.credentials {
                Credentials::Basic { email, token } => basic(email, token.expose()),
                Credentials::Bearer { token } => format!("Bearer {}", token.expose()),
            }))
        }
    }
}
