//! Negative cases that cannot destroy: a credential, permission or limits case on an operation
//! that deletes, changes or creates must act on something the run made (a run-prefixed property
//! its setup stored, a run-named role its cleanup deletes) or on the fixtures' designated
//! scratch worklog, which its cleanup restores. A target that wrongly accepts the request then
//! changes only that. Where the world offers no such entity the case is skipped, with the reason.

use serde_json::json;

use super::context::Ctx;
use super::world::{request, restore_worklog, scratch_worklog, who};
use crate::case::{Body, Request, RUN_TOKEN};

/// Why a negative case on a write is skipped: sent to a target that wrongly accepts it, it
/// would delete or change an entity of the site.
pub const NO_SCRATCH: &str = "acts on a site entity the run cannot create: a target that wrongly accepted this refused write would change or delete site data";

/// How a path names a value an earlier step returned (see [`crate::case::step_ref`]).
const STEP_REF: &str = "{{step:";

/// Whether a request only reads.
pub fn reads(method: &str) -> bool {
    matches!(method, "GET" | "HEAD" | "OPTIONS")
}

/// Whether `request`, sent by a negative case with this `cleanup`, can only touch what the run
/// made: a read; a DELETE of a run-prefixed entity; a write naming a run-prefixed entity (in its
/// path or body) that the cleanup removes; a create whose cleanup deletes what its answer names;
/// or an update of the fixtures' scratch worklog that the cleanup restores.
pub fn acts_on_scratch(ctx: &Ctx<'_>, request: &Request, cleanup: &[Request]) -> bool {
    if reads(&request.method) {
        return true;
    }
    // Deleting what only the run can have made leaves nothing to undo.
    if request.method == "DELETE" && names_run_entity(request) {
        return true;
    }
    !cleanup.is_empty()
        && (names_run_entity(request)
            || is_scratch_worklog(ctx, request)
            || deletes_what_it_creates(request, cleanup))
}

/// Whether the request creates (POST) and the cleanup deletes what its answer names (by the id
/// a step returned), so whatever a wrongly accepting target creates is removed.
fn deletes_what_it_creates(request: &Request, cleanup: &[Request]) -> bool {
    request.method == "POST"
        && cleanup
            .iter()
            .any(|c| c.method == "DELETE" && c.path.contains(STEP_REF))
}

/// Whether the request names an entity of the run: its path carries the run token, or it
/// creates (POST) something whose body carries it (a run-named role). A body with the token
/// does not make an update of a site entity safe, so for other methods only the path counts.
fn names_run_entity(request: &Request) -> bool {
    request.path.contains(RUN_TOKEN)
        || (request.method == "POST"
            && match &request.body {
                Body::None => false,
                Body::Json(v) => v.to_string().contains(RUN_TOKEN),
                Body::Raw { text, .. } => text.contains(RUN_TOKEN),
            })
}

/// Whether the request addresses the scratch worklog of this API version.
fn is_scratch_worklog(ctx: &Ctx<'_>, request: &Request) -> bool {
    scratch_worklog(ctx, &ctx.actor).is_some_and(|l| {
        let tail = format!(
            "/issue/{}/worklog/{}",
            crate::case::encode_segment(&l.issue),
            crate::case::encode_segment(&l.id)
        );
        request.path.ends_with(&tail)
    })
}

/// A write the operation at `index` can make on a scratch entity of the world, for negative
/// cases that have no happy path to start from: an update of the scratch worklog (its time
/// spent, which the cleanup restores). `None` when the operation has no scratch entity.
pub fn write(ctx: &Ctx<'_>, index: usize) -> Option<(Request, Vec<Request>)> {
    let op = ctx.op(index);
    if op.operation_id != "updateWorklog" || !ctx.fixtures.world.timetracking.enabled {
        return None;
    }
    let l = scratch_worklog(ctx, &ctx.actor)?;
    let author = ctx.fixtures.principal(&l.author)?;
    let mut r = request(
        ctx,
        index,
        &[("issueIdOrKey", l.issue.as_str()), ("id", l.id.as_str())],
        who(&ctx.actor),
    );
    // A change that is valid in itself, so the credentials are the only reason to refuse it.
    r.body = Body::Json(json!({ "timeSpentSeconds": l.time_spent_seconds + 120 }));
    Some((r, vec![restore_worklog(ctx, index, l, author)]))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::case::{Case, Family, StatusExpectation};
    use crate::fixtures::Fixtures;

    /// Whether a step expects a refusal: every status it admits is a 4xx. A 405 is left out:
    /// a method the path does not document is refused before any entity is looked up.
    fn refused(status: &StatusExpectation) -> bool {
        let refusal = |s: &u16| (400..500).contains(s) && *s != 405;
        match status {
            StatusExpectation::Exact(s) => refusal(s),
            StatusExpectation::OneOf(all) => all.iter().all(refusal),
            StatusExpectation::Success | StatusExpectation::Observe => false,
        }
    }

    /// The negative cases that would write: credential, permission and limits cases (and the
    /// keys family's other refusals) whose checked steps write and expect a refusal.
    fn negative_writes(cases: &[Case]) -> Vec<&Case> {
        cases
            .iter()
            .filter(|c| {
                matches!(
                    c.family,
                    Family::Keys | Family::Permissions | Family::Limits | Family::Schema
                ) && c
                    .steps
                    .iter()
                    .any(|s| !s.setup && !reads(&s.request.method) && refused(&s.expect.status))
            })
            .collect()
    }

    /// Every negative write that runs acts on a run-made entity or on a scratch worklog it
    /// restores; the others are skipped with the reason.
    fn check(spec: &crate::spec::Spec, fixtures: &Fixtures) -> (usize, usize) {
        let cases =
            crate::generate::generate(spec, fixtures, &crate::case::Api::ALL).expect("generates");
        let scratch: Vec<String> = fixtures
            .world
            .worklogs
            .iter()
            .filter(|w| w.issue == "CONF-3")
            .map(|w| format!("/worklog/{}", w.id))
            .collect();
        let mut bad = Vec::new();
        let (mut ran, mut skipped) = (0, 0);
        for c in negative_writes(&cases) {
            if c.skip.is_some() {
                skipped += 1;
                continue;
            }
            ran += 1;
            for s in c
                .steps
                .iter()
                .filter(|s| !s.setup && !reads(&s.request.method))
            {
                let on_run_entity = names_run_entity(&s.request);
                let on_scratch = scratch.iter().any(|t| s.request.path.ends_with(t));
                let deletes_run_entity = s.request.method == "DELETE" && on_run_entity;
                // A create is undone by deleting the id its answer carries.
                let undone_create = s.request.method == "POST"
                    && c.cleanup
                        .iter()
                        .any(|u| u.method == "DELETE" && u.path.contains("{{step:"));
                let undone = !c.cleanup.is_empty() && (on_run_entity || on_scratch);
                if !(deletes_run_entity || undone_create || undone) {
                    bad.push(format!("{}: {} {}", c.id, s.request.method, s.request.path));
                }
            }
        }
        assert!(bad.is_empty(), "negative writes on site data: {bad:#?}");
        (ran, skipped)
    }

    #[test]
    fn embedded_negative_writes_act_on_scratch_entities_only() {
        let spec = crate::spec::embedded().expect("embedded spec");
        let fixtures = Fixtures::embedded().expect("embedded fixtures");
        let (ran, skipped) = check(&spec, &fixtures);
        eprintln!("embedded spec: {ran} negative writes run, {skipped} skipped");
        assert!(ran > 50, "only {ran} negative writes run");
        assert!(
            skipped > 0,
            "the embedded spec's deleteIssue negatives must be skipped"
        );
        let cases =
            crate::generate::generate(&spec, &fixtures, &crate::case::Api::ALL).expect("cases");
        let delete_issue = cases
            .iter()
            .find(|c| c.id == "v3::issues::deleteIssue::keys::invalid_credentials")
            .expect("the case of issue 14 is still listed");
        assert_eq!(delete_issue.skip.as_deref(), Some(NO_SCRATCH));
    }

    #[test]
    fn full_spec_negative_writes_act_on_scratch_entities_only() {
        // The shared data as the integration tests find it (tests/it/support/shared.rs): the
        // folder JIRA_CONFORM_SHARED names, else ../shared next to the checkout; with
        // JIRA_CONFORM_REQUIRE_SHARED=1 its absence fails instead of skipping.
        let shared = std::env::var_os("JIRA_CONFORM_SHARED")
            .filter(|d| !d.is_empty())
            .map_or_else(
                || std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared"),
                std::path::PathBuf::from,
            );
        let path = shared.join("specs/jira-platform-v3.2025-07-30.json");
        if !path.exists() {
            let required = std::env::var("JIRA_CONFORM_REQUIRE_SHARED").is_ok_and(|v| v == "1");
            assert!(!required, "{} not found", path.display());
            eprintln!("skipped: {} not found", path.display());
            return;
        }
        let spec = crate::spec::load_path(&path).expect("the 2025 spec loads");
        let fixtures = Fixtures::embedded().expect("embedded fixtures");
        let (ran, skipped) = check(&spec, &fixtures);
        eprintln!("2025 spec: {ran} negative writes run, {skipped} skipped");
        assert!(ran > 50 && skipped > 500, "ran {ran}, skipped {skipped}");
    }
}
