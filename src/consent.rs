//! Consent to write: a suite pointed at a real site changes data there (properties, worklogs,
//! roles), so writing cases run against a non-loopback target only when the user says so. Pure:
//! cases in, cases out, the ones not allowed to run marked skipped with the reason.

use crate::case::Case;

/// What the user allowed.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Consent {
    /// `--allow-writes` or the fixtures' `run.allow_writes`.
    pub allow_writes: bool,
    /// `--read-only`: nothing that writes runs, whatever the target.
    pub read_only: bool,
}

/// Why a writing case does not run against a remote target without consent.
pub const NEEDS_CONSENT: &str = "writes to a non-loopback target: run with --allow-writes (or set run.allow_writes = true in the fixtures) to allow it";

/// Why a writing case does not run in read-only mode.
pub const READ_ONLY: &str = "writes, and the run is --read-only";

/// Whether a base URL points at this machine (127.0.0.0/8, ::1, localhost); `None` (the
/// embedded mock) is.
pub fn is_loopback(base_url: Option<&str>) -> bool {
    let Some(url) = base_url else {
        return true;
    };
    let Ok(parsed) = reqwest::Url::parse(url) else {
        return false;
    };
    let Some(host) = parsed.host_str() else {
        return false;
    };
    let bare = host.trim_start_matches('[').trim_end_matches(']');
    match bare.parse::<std::net::IpAddr>() {
        Ok(ip) => ip.is_loopback(),
        Err(_) => bare.eq_ignore_ascii_case("localhost"),
    }
}

/// Marks the writing cases that may not run.
pub fn apply_consent(cases: &mut [Case], consent: Consent, base_url: Option<&str>) {
    let reason = if consent.read_only {
        READ_ONLY
    } else if !consent.allow_writes && !is_loopback(base_url) {
        NEEDS_CONSENT
    } else {
        return;
    };
    for case in cases.iter_mut() {
        if case.writes && case.skip.is_none() {
            case.skip = Some(reason.to_string());
        }
        // A reading case's cleanup only matters on a target that wrongly wrote; without
        // consent nothing is written, not even a delete of a key that should not exist.
        if !case.writes {
            case.cleanup.clear();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn loopback_targets_are_recognised() {
        assert!(is_loopback(None));
        assert!(is_loopback(Some("http://127.0.0.1:8080")));
        assert!(is_loopback(Some("http://127.5.0.1")));
        assert!(is_loopback(Some("http://[::1]:9000")));
        assert!(is_loopback(Some("http://LOCALHOST:1")));
        assert!(!is_loopback(Some("https://your-domain.atlassian.net")));
        assert!(!is_loopback(Some("http://203.0.113.5")));
        assert!(!is_loopback(Some("not a url")));
    }

    #[test]
    fn writing_cases_need_consent_off_loopback() {
        let spec = crate::spec::embedded().unwrap();
        let fixtures = crate::fixtures::Fixtures::embedded().unwrap();
        let all = crate::generate::generate(&spec, &fixtures, &crate::case::Api::ALL).unwrap();
        // Writes skipped already (negative writes with no scratch entity) keep their reason.
        let writes = all.iter().filter(|c| c.writes && c.skip.is_none()).count();
        assert!(writes > 0);
        let remote = Some("https://x.atlassian.net");

        let mut cases = all.clone();
        apply_consent(&mut cases, Consent::default(), remote);
        let refused = cases
            .iter()
            .filter(|c| c.skip.as_deref() == Some(NEEDS_CONSENT));
        assert_eq!(refused.count(), writes);
        assert!(cases.iter().filter(|c| !c.writes).all(|c| c.skip.is_none()));
        assert!(cases
            .iter()
            .filter(|c| !c.writes)
            .all(|c| c.cleanup.is_empty()));

        let mut cases = all.clone();
        let allowed = Consent {
            allow_writes: true,
            read_only: false,
        };
        apply_consent(&mut cases, allowed, remote);
        assert!(cases.iter().zip(&all).all(|(c, a)| c.skip == a.skip));

        let mut cases = all.clone();
        apply_consent(&mut cases, Consent::default(), None);
        assert!(cases.iter().zip(&all).all(|(c, a)| c.skip == a.skip));

        let mut cases = all;
        let read_only = Consent {
            allow_writes: true,
            read_only: true,
        };
        apply_consent(&mut cases, read_only, None);
        let skipped = cases
            .iter()
            .filter(|c| c.skip.as_deref() == Some(READ_ONLY));
        assert_eq!(skipped.count(), writes);
    }
}
