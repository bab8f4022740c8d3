//! Checks the documentation implies rather than states: standard headers (`headers.rs`),
//! paging and `self` links (`links.rs`), expansions against the unexpanded read
//! (`state.rs`). Judged apart from the body checks: a header check needs no JSON body, and
//! the link checks need the run id.

use crate::case::{BodyCheck, Provenance};
use crate::exchange::Exchange;
use crate::verdict::Failure;

/// Whether `check` is judged here (the body checks leave it alone).
pub fn is_implied(check: &BodyCheck) -> bool {
    matches!(
        check,
        BodyCheck::Header { .. }
            | BodyCheck::PageLinks { .. }
            | BodyCheck::KeySelf { .. }
            | BodyCheck::Expanded { .. }
    )
}

/// Departures of `exchanges[index]` from the implied checks among `checks`.
pub fn check_implied(
    checks: &[BodyCheck],
    index: usize,
    exchanges: &[Exchange],
    run_id: &str,
    provenance: &Provenance,
) -> Vec<Failure> {
    let mut failures = Vec::new();
    for check in checks {
        match check {
            // Its own provenance (an RFC section), not the step's.
            BodyCheck::Header { name, provenance } => failures.extend(
                super::headers::check_header(name, index, exchanges, provenance),
            ),
            BodyCheck::PageLinks {
                start_at,
                max_results,
            } => failures.extend(super::links::check_page_links(
                *start_at,
                *max_results,
                index,
                exchanges,
                provenance,
            )),
            BodyCheck::KeySelf { key, path, query } => {
                failures.extend(super::links::check_key_self(
                    key, path, query, index, exchanges, run_id, provenance,
                ))
            }
            BodyCheck::Expanded { step, pointer } => failures.extend(super::state::check_expanded(
                *step, pointer, index, exchanges, provenance,
            )),
            _ => {}
        }
    }
    failures
}
