//! Standard headers: a response carries the header a general HTTP rule requires (a 401's
//! `WWW-Authenticate`, RFC 9110 §11.6.1), cited with the RFC section.

use crate::case::Provenance;
use crate::exchange::Exchange;
use crate::verdict::{Failure, FailureDetail};

/// The failure when `exchanges[index]` lacks the header `name` (only the headers the runner
/// keeps can be checked: `WWW-Authenticate`, `Allow`).
pub fn check_header(
    name: &str,
    index: usize,
    exchanges: &[Exchange],
    provenance: &Provenance,
) -> Option<Failure> {
    let received = exchanges.get(index)?.response.as_ref().ok()?;
    let value = match name.to_ascii_lowercase().as_str() {
        "www-authenticate" => received.www_authenticate.as_deref(),
        "allow" => received.allow.as_deref(),
        _ => None,
    };
    match value {
        Some(v) if !v.trim().is_empty() => None,
        _ => Some(Failure::new(
            index,
            FailureDetail::MissingHeader {
                header: name.to_string(),
                status: received.status,
            },
            Some(provenance.clone()),
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::check_header;
    use crate::case::Provenance;
    use crate::exchange::Exchange;

    fn answer(challenge: Option<&str>) -> Vec<Exchange> {
        let mut e = Exchange::answered(
            0,
            "http://127.0.0.1/rest/api/3/myself",
            "anonymous",
            401,
            "",
        );
        if let Ok(r) = &mut e.response {
            r.content_type = None;
            r.www_authenticate = challenge.map(str::to_string);
        }
        vec![e]
    }

    #[test]
    fn a_401_without_a_challenge_fails_with_the_rfc_as_provenance() {
        let rfc = Provenance::Standard {
            reference: "RFC 9110 §11.6.1".into(),
            text: "a 401 carries WWW-Authenticate".into(),
        };
        let failure = check_header("WWW-Authenticate", 0, &answer(None), &rfc).expect("fails");
        assert!(failure.message.contains("no WWW-Authenticate header"));
        assert_eq!(failure.provenance, Some(rfc.clone()));
        assert!(check_header(
            "WWW-Authenticate",
            0,
            &answer(Some("Basic realm=\"x\"")),
            &rfc
        )
        .is_none());
    }
}
