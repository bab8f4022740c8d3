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

/// The `Authorization` value of each actor a run names, worked out once per run rather than
/// once per request (the same bytes [`authorization`] gives).
#[derive(Debug, Default, Clone)]
pub(super) struct AuthHeaders {
    by_actor: Vec<(Actor, Option<reqwest::header::HeaderValue>)>,
}

impl AuthHeaders {
    /// The values of the built-in actors and of every principal of `fixtures`. An actor whose
    /// value is not a valid header (or not found) is left out: it is worked out per request,
    /// so its error reads as before.
    pub(super) fn new(fixtures: &Fixtures) -> AuthHeaders {
        let actors = [Actor::Anonymous, Actor::InvalidCredentials]
            .into_iter()
            .chain(
                fixtures
                    .principals
                    .iter()
                    .map(|p| Actor::Principal(p.name.clone())),
            );
        let by_actor = actors
            .filter_map(|actor| {
                let value = match authorization(&actor, fixtures).ok()? {
                    None => None,
                    Some(text) => Some(reqwest::header::HeaderValue::from_str(&text).ok()?),
                };
                Some((actor, value))
            })
            .collect();
        AuthHeaders { by_actor }
    }

    /// The value for `actor`, when it was worked out ahead (`Some(None)`: no header).
    pub(super) fn get(&self, actor: &Actor) -> Option<Option<reqwest::header::HeaderValue>> {
        self.by_actor
            .iter()
            .find(|(a, _)| a == actor)
            .map(|(_, value)| value.clone())
    }
}
