//! Known deviations: the fixtures list cases their target is known to fail. A listed case that
//! fails is reported as known; one that passes is reported as now conforming, so the list is
//! kept honest. Pure: verdicts in, verdicts out.

use globset::{Glob, GlobMatcher};

use crate::fixtures::KnownDeviationEntry;
use crate::verdict::{KnownDeviation, Outcome, Verdict};

/// Marks the verdicts the entries match; the first matching entry wins.
pub fn apply_known(verdicts: &mut [Verdict], entries: &[KnownDeviationEntry]) {
    // The fixtures parser has checked every pattern; one that still fails to compile matches
    // nothing rather than everything.
    let matchers: Vec<(GlobMatcher, &KnownDeviationEntry)> = entries
        .iter()
        .filter_map(|e| Some((Glob::new(&e.cases).ok()?.compile_matcher(), e)))
        .collect();
    for v in verdicts {
        let Some((_, entry)) = matchers.iter().find(|(m, _)| m.is_match(&v.case_id)) else {
            continue;
        };
        v.outcome = match v.outcome {
            Outcome::Fail => Outcome::Known,
            Outcome::Pass => Outcome::NowConforms,
            other => other,
        };
        v.known = Some(KnownDeviation {
            cases: entry.cases.clone(),
            reason: entry.reason.clone(),
            link: entry.link.clone(),
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::case::{Api, Family};

    fn verdict(id: &str, outcome: Outcome) -> Verdict {
        Verdict {
            case_id: id.into(),
            api: Api::V3,
            resource: "r".into(),
            operation_id: "op".into(),
            family: Family::Methods,
            summary: String::new(),
            outcome,
            failures: Vec::new(),
            reason: None,
            exchanges: Vec::new(),
            reproduce: None,
            elapsed_ms: 0,
            known: None,
        }
    }

    #[test]
    fn failing_listed_cases_become_known_and_passing_ones_now_conform() {
        let entries = vec![KnownDeviationEntry {
            cases: "v*::r::op::methods::*".into(),
            reason: "Jira accepts POST".into(),
            link: Some("https://example.test/BUG-1".into()),
        }];
        let mut v = vec![
            verdict("v3::r::op::methods::post_refused", Outcome::Fail),
            verdict("v2::r::op::methods::patch_refused", Outcome::Pass),
            verdict("v3::r::op::methods::documented_get", Outcome::Skipped),
            verdict("v3::r::op::limits::key_256_chars", Outcome::Fail),
        ];
        apply_known(&mut v, &entries);
        let outcomes: Vec<Outcome> = v.iter().map(|v| v.outcome).collect();
        assert_eq!(
            outcomes,
            [
                Outcome::Known,
                Outcome::NowConforms,
                Outcome::Skipped,
                Outcome::Fail
            ]
        );
        assert_eq!(
            v[0].known.as_ref().map(|k| k.reason.as_str()),
            Some("Jira accepts POST")
        );
        assert!(v[3].known.is_none());
    }
}
