//! The worklog resources: the paged listing, one worklog read or updated, and the issue's
//! `worklog` field.

use axum::body::Bytes;
use axum::extract::rejection::{BytesRejection, PathRejection};
use axum::extract::{Path, Query};
use axum::http::{Method, StatusCode};
use axum::response::Response;
use axum::Router;
use serde_json::{json, Value};

use crate::fixtures::{Issue, Principal, World};
use crate::mock::adf::adf_text;
use crate::mock::caller::{Call, Methods, PathSegment};
use crate::mock::error::JiraError;
use crate::mock::faults::Fault;
use crate::mock::issue_visibility::{admitted, find_issue, issue_not_found, sees_issue};
use crate::mock::jira_time::{now_timestamp, parse_duration, parse_timestamp};
use crate::mock::links::{ApiVersion, Links};
use crate::mock::query::{self, list_values, QueryPairs};
use crate::mock::response::json;
use crate::mock::state::MockState;
use crate::mock::versioned_routes::VersionedRoutes;

use super::json::worklog_json;
use super::store::{Entry, WORKLOG_NOT_FOUND};
use super::update::Changes;

/// `/issue/{issueIdOrKey}/worklog`: getIssueWorklog is served; addWorklog and
/// bulkDeleteWorklogs are documented but not built.
const LISTING: Methods = Methods::new("DELETE, GET, POST", &[Method::GET]);
/// `/issue/{issueIdOrKey}/worklog/{id}`: getWorklog and updateWorklog are served; deleteWorklog
/// is documented but not built.
const WORKLOG: Methods = Methods::new("DELETE, GET, PUT", &[Method::GET, Method::PUT]);

/// getIssueWorklog's documented default page size.
const DEFAULT_MAX_RESULTS: i32 = 5000;
/// How many worklogs the issue's `worklog` field embeds, as Jira Cloud's issue bodies show
/// (`"maxResults": 20`).
const ISSUE_FIELD_MAX_RESULTS: usize = 20;

const TIMETRACKING_DISABLED: &str = "Time tracking is disabled.";

/// The issue id or key and the worklog id of a path.
type WorklogIds = Result<Path<(String, String)>, PathRejection>;

/// The routes of this resource under one API version.
pub(crate) fn routes(version: ApiVersion) -> Router<MockState> {
    Router::new()
        .versioned(version, "/issue/{issueIdOrKey}/worklog", listing)
        .versioned(version, "/issue/{issueIdOrKey}/worklog/{id}", worklog)
}

/// `/rest/api/N/issue/{issueIdOrKey}/worklog/{id}`: one worklog, read or updated.
async fn worklog(
    call: Call,
    ids: WorklogIds,
    query: QueryPairs,
    body: Result<Bytes, BytesRejection>,
) -> Result<Response, JiraError> {
    let principal = WORKLOG.caller(&call)?;
    if call.method == Method::PUT {
        put(&call, principal, ids, query, body)
    } else {
        get(&call, principal, ids, query)
    }
}

/// A parameter's value: the first occurrence, as a JAX-RS resource reads it; empty is absent.
fn first<'q>(pairs: &'q [(String, String)], name: &str) -> Option<&'q str> {
    pairs
        .iter()
        .find(|(n, _)| n == name)
        .map(|(_, v)| v.as_str())
        .filter(|v| !v.is_empty())
}

/// A numeric query parameter. The doc answers a non-numeric `startAt` or `maxResults` with a 404
/// (what a JAX-RS resource does when a parameter does not convert); `startedAfter` and
/// `startedBefore` are integers of the same kind, so they are treated alike.
fn number<T: std::str::FromStr>(
    pairs: &[(String, String)],
    name: &str,
) -> Result<Option<T>, JiraError> {
    match first(pairs, name) {
        None => Ok(None),
        Some(text) => text.trim().parse().map(Some).map_err(|_| {
            JiraError::not_found(format!("The {name} query parameter must be a number."))
        }),
    }
}

/// The issue in the path, if it exists and the caller may see it. Issue security always applies
/// here: the IssueSecurityIgnored fault concerns getIssue only.
fn visible_issue<'s>(
    state: &'s MockState,
    principal: &Principal,
    key: &str,
) -> Result<&'s Issue, JiraError> {
    find_issue(state, key)
        .filter(|i| sees_issue(state.world(), principal, i, true))
        .ok_or_else(issue_not_found)
}

/// Whether the issue's project hides the *Log work* field (its worklogs are then not shown).
fn field_hidden(world: &World, issue: &Issue) -> bool {
    world
        .project(&issue.project)
        .is_some_and(|p| p.worklog_field_hidden)
}

/// Whether a worklog's restriction admits the caller; `restrictions_apply` is false where the
/// WorklogVisibilityIgnored fault switches them off (the reads).
fn admits(
    state: &MockState,
    principal: &Principal,
    issue: &Issue,
    entry: &Entry,
    restrictions_apply: bool,
) -> bool {
    !restrictions_apply
        || admitted(
            state.world(),
            principal,
            &issue.project,
            entry.visibility.as_ref(),
        )
}

/// `/rest/api/N/issue/{issueIdOrKey}/worklog`: an issue's worklogs, a page at a time.
async fn listing(call: Call, key: PathSegment, query: QueryPairs) -> Result<Response, JiraError> {
    let principal = LISTING.caller(&call)?;
    let state = &call.state;
    let links = call.links();
    let pairs = query::pairs(query)?;
    let start_at = number::<i64>(&pairs, "startAt")?.unwrap_or(0).max(0);
    let max_results = number::<i32>(&pairs, "maxResults")?
        .unwrap_or(DEFAULT_MAX_RESULTS)
        .max(0);
    let started_after = number::<i64>(&pairs, "startedAfter")?;
    let started_before = number::<i64>(&pairs, "startedBefore")?;
    let with_properties = list_values(&pairs, "expand").contains(&"properties");
    if !state.world().timetracking.enabled {
        return Err(JiraError::not_found(TIMETRACKING_DISABLED));
    }
    let Ok(Path(key)) = key else {
        return Err(issue_not_found());
    };
    let issue = visible_issue(state, principal, &key)?;
    let page = |total: usize, worklogs: Vec<Value>| {
        json(
            StatusCode::OK,
            &json!({
                "startAt": start_at,
                "maxResults": max_results,
                "total": total,
                "worklogs": worklogs,
            }),
        )
    };
    if field_hidden(state.world(), issue) {
        return Ok(page(0, Vec::new()));
    }
    let restrictions_apply = !state.has(Fault::WorklogVisibilityIgnored);
    // The operation's description: worklogs "started on or after" startedAfter (inclusive);
    // startedBefore's parameter text says "before" (exclusive).
    let matching: Vec<Entry> = state
        .worklogs()
        .for_issue(&issue.key)
        .into_iter()
        .filter(|e| admits(state, principal, issue, e, restrictions_apply))
        .filter(|e| {
            let started = parse_timestamp(&e.started);
            started_after.is_none_or(|after| started.is_some_and(|s| s >= after))
                && started_before.is_none_or(|before| started.is_some_and(|s| s < before))
        })
        .collect();
    let skip = usize::try_from(start_at).unwrap_or(usize::MAX);
    let take = if state.has(Fault::WorklogMaxResultsIgnored) {
        usize::MAX
    } else {
        usize::try_from(max_results).unwrap_or(usize::MAX)
    };
    let worklogs = matching
        .iter()
        .skip(skip)
        .take(take)
        .map(|e| worklog_json(state, &links, call.version, issue, e, with_properties))
        .collect();
    Ok(page(matching.len(), worklogs))
}

/// The issue's `worklog` field in getIssue: the first page of what getIssueWorklog would list
/// for the caller (empty where time tracking is off or the project hides the field).
pub(crate) fn issue_field(
    state: &MockState,
    links: &Links,
    version: ApiVersion,
    principal: &Principal,
    issue: &Issue,
) -> Value {
    let shown = state.world().timetracking.enabled && !field_hidden(state.world(), issue);
    let restrictions_apply = !state.has(Fault::WorklogVisibilityIgnored);
    let matching: Vec<Entry> = if shown {
        state
            .worklogs()
            .for_issue(&issue.key)
            .into_iter()
            .filter(|e| admits(state, principal, issue, e, restrictions_apply))
            .collect()
    } else {
        Vec::new()
    };
    let worklogs: Vec<Value> = matching
        .iter()
        .take(ISSUE_FIELD_MAX_RESULTS)
        .map(|e| worklog_json(state, links, version, issue, e, false))
        .collect();
    json!({
        "startAt": 0,
        "maxResults": ISSUE_FIELD_MAX_RESULTS,
        "total": matching.len(),
        "worklogs": worklogs,
    })
}

/// The worklog the path names, checked the way getWorklog and updateWorklog share: time
/// tracking on, the issue visible, its Log work field shown, the worklog on that issue and its
/// restriction admitting the caller.
fn addressed<'s>(
    state: &'s MockState,
    principal: &Principal,
    ids: WorklogIds,
    restrictions_apply: bool,
) -> Result<(&'s Issue, Entry), JiraError> {
    if !state.world().timetracking.enabled {
        return Err(JiraError::not_found(TIMETRACKING_DISABLED));
    }
    let Ok(Path((key, id))) = ids else {
        return Err(issue_not_found());
    };
    let issue = visible_issue(state, principal, &key)?;
    if field_hidden(state.world(), issue) {
        return Err(JiraError::not_found(WORKLOG_NOT_FOUND));
    }
    let entry = state
        .worklogs()
        .get(&id)
        .filter(|e| e.issue == issue.key)
        .filter(|e| admits(state, principal, issue, e, restrictions_apply))
        .ok_or_else(|| JiraError::not_found(WORKLOG_NOT_FOUND))?;
    Ok((issue, entry))
}

fn get(
    call: &Call,
    principal: &Principal,
    ids: WorklogIds,
    query: QueryPairs,
) -> Result<Response, JiraError> {
    let state = &call.state;
    let restrictions_apply = !state.has(Fault::WorklogVisibilityIgnored);
    let (issue, entry) = addressed(state, principal, ids, restrictions_apply)?;
    // An unreadable query string only loses the expansion; the worklog is still known.
    let with_properties =
        query.is_ok_and(|Query(pairs)| list_values(&pairs, "expand").contains(&"properties"));
    Ok(answer(call, issue, &entry, with_properties))
}

/// Who may edit a worklog: its author (*Edit own worklogs*, which everyone who may browse
/// holds) or a holder of *Edit all worklogs* in the project.
fn may_edit(world: &World, principal: &Principal, issue: &Issue, entry: &Entry) -> bool {
    entry.author == principal.name
        || world
            .project(&issue.project)
            .is_some_and(|p| p.edit_all_worklogs.contains(&principal.name))
}

const NO_EDIT_PERMISSION: &str = "You do not have the permission to edit this worklog.";

/// The RefusedCommentStored fault: the text of the body's comment, in either version's format,
/// is stored although the update was refused.
fn store_any_comment(state: &MockState, id: &str, body: Option<&[u8]>) {
    let Some(comment) = body
        .and_then(|b| serde_json::from_slice::<Value>(b).ok())
        .and_then(|v| v.get("comment").cloned())
    else {
        return;
    };
    let Some(text) = comment
        .as_str()
        .map(str::to_string)
        .or_else(|| adf_text(&comment))
    else {
        return;
    };
    // The refusal is what the caller sees; the stored comment is the fault's only trace.
    let _ = state.worklogs().update(id, |current| {
        let mut next = current.clone();
        next.comment = text;
        Ok(next)
    });
}

fn put(
    call: &Call,
    principal: &Principal,
    ids: WorklogIds,
    query: QueryPairs,
    body: Result<Bytes, BytesRejection>,
) -> Result<Response, JiraError> {
    let state = &call.state;
    // Visibility restrictions always apply to updates: the fault concerns the reads.
    let (issue, entry) = addressed(state, principal, ids, true)?;
    let world = state.world();
    // The doc lists a missing permission among the 400s of this operation.
    if !may_edit(world, principal, issue, &entry) {
        return Err(JiraError::bad_request(NO_EDIT_PERMISSION));
    }
    let pairs = query::pairs(query)?;
    check_estimate(&pairs)?;
    // notifyUsers and overrideEditableFlag change nothing the mock models: nobody is notified,
    // and no issue is closed to edits.
    let with_properties = list_values(&pairs, "expand").contains(&"properties");
    let raw = body.as_ref().ok().cloned();
    let changes = match Changes::parse(world, principal, issue, call.version, body) {
        Ok(changes) => changes,
        Err(refused) => {
            if state.has(Fault::RefusedCommentStored) {
                store_any_comment(state, &entry.id, raw.as_deref());
            }
            return Err(refused);
        }
    };
    let clears_unset = state.has(Fault::WorklogUpdateClearsUnset);
    let empty_accepted = state.has(Fault::WorklogEmptyUpdateAccepted);
    let now = now_timestamp();
    let updated = state.worklogs().update(&entry.id, |current| {
        // Checked again under the lock: only what holds for the value being replaced counts.
        if current.issue != issue.key
            || !admitted(
                world,
                principal,
                &issue.project,
                current.visibility.as_ref(),
            )
        {
            return Err(JiraError::not_found(WORKLOG_NOT_FOUND));
        }
        if !may_edit(world, principal, issue, current) {
            return Err(JiraError::bad_request(NO_EDIT_PERMISSION));
        }
        let mut next = changes.apply(current, clears_unset);
        if next.same_content(current) && !empty_accepted {
            return Err(JiraError::bad_request(
                "Nothing to update: the request changes none of the worklog's fields.",
            ));
        }
        next.updated = now.clone();
        next.update_author = principal.name.clone();
        Ok(next)
    })?;
    Ok(answer(call, issue, &updated, with_properties))
}

/// `adjustEstimate` and `newEstimate`. The 2025 doc for updateWorklog lists `manual` in the enum
/// but documents no `reduceBy`/`increaseBy` for this operation, so `manual` needs nothing more;
/// `new` needs a valid `newEstimate`. The mock has no estimates, so a valid choice changes
/// nothing.
fn check_estimate(pairs: &[(String, String)]) -> Result<(), JiraError> {
    let adjust = pairs
        .iter()
        .find(|(n, _)| n == "adjustEstimate")
        .map(|(_, v)| v.as_str());
    match adjust {
        None | Some("leave" | "manual" | "auto") => Ok(()),
        Some("new") => match first(pairs, "newEstimate").and_then(parse_duration) {
            Some(_) => Ok(()),
            None => Err(JiraError::bad_request(
                "The newEstimate query parameter must be a valid duration (for example 2d, 4h or 30m) when adjustEstimate is new.",
            )),
        },
        Some(_) => Err(JiraError::bad_request(
            "The adjustEstimate query parameter must be one of new, leave, manual or auto.",
        )),
    }
}

/// The 200 of getWorklog and updateWorklog: the worklog in the `Worklog` shape.
fn answer(call: &Call, issue: &Issue, entry: &Entry, with_properties: bool) -> Response {
    let body = worklog_json(
        &call.state,
        &call.links(),
        call.version,
        issue,
        entry,
        with_properties,
    );
    json(StatusCode::OK, &body)
}
