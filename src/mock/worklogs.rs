//! Issue worklogs: the paged listing, one worklog, and updating it.

use std::sync::{PoisonError, RwLock, RwLockReadGuard, RwLockWriteGuard};
use std::time::{SystemTime, UNIX_EPOCH};

use axum::body::Bytes;
use axum::extract::rejection::{BytesRejection, PathRejection};
use axum::extract::{Path, Query};
use axum::http::{Method, StatusCode};
use axum::response::Response;
use axum::Router;
use serde_json::{json, Map, Value};

use crate::fixtures::{Issue, Principal, Visibility, World};

use super::caller::{Call, Methods, PathSegment};
use super::entity_properties::KEY_MAX_CHARS;
use super::error::JiraError;
use super::faults::Fault;
use super::issue_visibility::{
    admitted, find_issue, holds_role, in_group, issue_not_found, sees_issue,
};
use super::issues::{adf_document, adf_text};
use super::links::{ApiVersion, Links};
use super::query::{self, list_values, QueryPairs};
use super::response::json;
use super::router::VersionedRoutes;
use super::state::MockState;
use super::user_json::user_details;

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

/// The fields an update may set: the writable properties of the `Worklog` schema.
const SETTABLE: [&str; 6] = [
    "comment",
    "visibility",
    "started",
    "timeSpent",
    "timeSpentSeconds",
    "properties",
];

/// The longest time spent accepted: 100 years of seconds. Far beyond any real worklog, small
/// enough that no arithmetic on it can overflow.
const MAX_SECONDS: u64 = 100 * 365 * 24 * 3600;

const WORKLOG_NOT_FOUND: &str =
    "The worklog does not exist or you do not have permission to see it.";
const TIMETRACKING_DISABLED: &str = "Time tracking is disabled.";

/// One worklog as the store keeps it. People are fixtures names; times are Jira timestamps in
/// UTC (`2026-01-05T09:00:00.000+0000`), so they compare as text in time order.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Entry {
    /// The worklog id.
    pub(crate) id: String,
    /// The issue's key.
    pub(crate) issue: String,
    /// Who logged it.
    pub(crate) author: String,
    /// Who changed it last.
    pub(crate) update_author: String,
    /// When it was logged.
    pub(crate) created: String,
    /// When it was changed last.
    pub(crate) updated: String,
    /// When the work started.
    pub(crate) started: String,
    /// Time spent, in seconds.
    pub(crate) time_spent_seconds: u64,
    /// The comment as plain text (v3's documents are kept as their text); empty when none.
    pub(crate) comment: String,
    /// The restriction, if any.
    pub(crate) visibility: Option<Visibility>,
    /// Worklog properties, key → value, in the order they were first set.
    pub(crate) properties: Vec<(String, Value)>,
}

impl Entry {
    /// Whether `other` carries the same user-settable content (the timestamps and update author
    /// an update sets are not content).
    fn same_content(&self, other: &Entry) -> bool {
        self.comment == other.comment
            && self.visibility == other.visibility
            && self.started == other.started
            && self.time_spent_seconds == other.time_spent_seconds
            && self.properties == other.properties
    }
}

/// The worklogs, as the fixtures seed them and updates change them.
///
/// One lock over all of them: an update reads, checks and writes inside one critical section,
/// so two concurrent updates of one worklog both land (each on the other's result).
#[derive(Debug)]
pub(crate) struct Store {
    entries: RwLock<Vec<Entry>>,
}

impl Store {
    /// The store as the fixtures' world seeds it. The world records no creation time, so a
    /// seeded worklog counts as logged (and last changed, by its author) when the work started.
    pub(crate) fn new(world: &World) -> Store {
        let entries = world
            .worklogs
            .iter()
            .map(|w| {
                let started = normalize_timestamp(&w.started).unwrap_or_else(|| w.started.clone());
                Entry {
                    id: w.id.clone(),
                    issue: w.issue.clone(),
                    author: w.author.clone(),
                    update_author: w.author.clone(),
                    created: started.clone(),
                    updated: started.clone(),
                    started,
                    time_spent_seconds: w.time_spent_seconds,
                    comment: w.comment.clone(),
                    visibility: w.visibility.clone(),
                    properties: Vec::new(),
                }
            })
            .collect();
        Store {
            entries: RwLock::new(entries),
        }
    }

    /// The issue's worklogs, in id order (the world's order; updates never reorder).
    pub(crate) fn for_issue(&self, issue_key: &str) -> Vec<Entry> {
        self.read()
            .iter()
            .filter(|e| e.issue == issue_key)
            .cloned()
            .collect()
    }

    /// One worklog by id.
    pub(crate) fn get(&self, id: &str) -> Option<Entry> {
        self.read().iter().find(|e| e.id == id).cloned()
    }

    /// Every worklog as stored, in id order, as JSON: what `MockState::dump` shows.
    pub(crate) fn dump(&self) -> Value {
        let entries: Vec<Value> = self
            .read()
            .iter()
            .map(|e| {
                json!({
                    "id": e.id,
                    "issue": e.issue,
                    "author": e.author,
                    "updateAuthor": e.update_author,
                    "created": e.created,
                    "updated": e.updated,
                    "started": e.started,
                    "timeSpentSeconds": e.time_spent_seconds,
                    "comment": e.comment,
                    "visibility": e.visibility.as_ref().map(|v| format!("{v:?}")),
                    "properties": e.properties.iter().map(|(k, v)| json!([k, v])).collect::<Vec<_>>(),
                })
            })
            .collect();
        Value::Array(entries)
    }

    /// When any of the issue's worklogs last changed.
    pub(crate) fn latest_update(&self, issue_key: &str) -> Option<String> {
        self.read()
            .iter()
            .filter(|e| e.issue == issue_key)
            .map(|e| e.updated.clone())
            .max()
    }

    /// Replaces a worklog by what `change` makes of its current value, under the write lock.
    fn update(
        &self,
        id: &str,
        change: impl FnOnce(&Entry) -> Result<Entry, JiraError>,
    ) -> Result<Entry, JiraError> {
        let mut entries = self.write();
        let entry = entries
            .iter_mut()
            .find(|e| e.id == id)
            .ok_or_else(|| JiraError::not_found(WORKLOG_NOT_FOUND))?;
        let changed = change(entry)?;
        *entry = changed.clone();
        Ok(changed)
    }

    // A panic while the lock is held cannot leave the Vec half-updated (an entry is replaced
    // whole), so a poisoned lock is still used rather than failing every later request.
    fn read(&self) -> RwLockReadGuard<'_, Vec<Entry>> {
        self.entries.read().unwrap_or_else(PoisonError::into_inner)
    }

    fn write(&self) -> RwLockWriteGuard<'_, Vec<Entry>> {
        self.entries.write().unwrap_or_else(PoisonError::into_inner)
    }
}

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
    let changes = Changes::parse(world, principal, issue, call.version, body)?;
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

/// What an update body asks for; `None` is a field the body leaves out.
#[derive(Debug, Default)]
struct Changes {
    comment: Option<String>,
    /// `Some(None)`: the body sets `visibility` to null, lifting the restriction.
    visibility: Option<Option<Visibility>>,
    started: Option<String>,
    time_spent_seconds: Option<u64>,
    properties: Option<Vec<(String, Value)>>,
}

impl Changes {
    /// Reads and checks an update body: a JSON object of settable fields, each well-formed.
    fn parse(
        world: &World,
        principal: &Principal,
        issue: &Issue,
        version: ApiVersion,
        body: Result<Bytes, BytesRejection>,
    ) -> Result<Changes, JiraError> {
        let body = body?;
        let Ok(value) = serde_json::from_slice::<Value>(&body) else {
            return Err(JiraError::bad_request(
                "The request body is not valid JSON.",
            ));
        };
        let Value::Object(object) = value else {
            return Err(JiraError::bad_request(
                "The request body must be a JSON object of worklog fields.",
            ));
        };
        if let Some(name) = object.keys().find(|k| !SETTABLE.contains(&k.as_str())) {
            let shown: String = name.chars().take(64).collect();
            return Err(JiraError::bad_request(format!(
                "Unrecognized field \"{shown}\": a worklog update may set only {}.",
                SETTABLE.join(", ")
            )));
        }
        let mut changes = Changes::default();
        if let Some(comment) = object.get("comment") {
            changes.comment = Some(parse_comment(version, comment)?);
        }
        if let Some(visibility) = object.get("visibility") {
            changes.visibility = Some(parse_visibility(world, principal, issue, visibility)?);
        }
        if let Some(started) = object.get("started") {
            let normalized = started
                .as_str()
                .and_then(normalize_timestamp)
                .ok_or_else(|| {
                    JiraError::bad_request(
                        "started must be a date and time like 2026-01-05T09:00:00.000+0000.",
                    )
                })?;
            changes.started = Some(normalized);
        }
        changes.time_spent_seconds = parse_time_spent(&object)?;
        if let Some(properties) = object.get("properties") {
            changes.properties = Some(parse_properties(properties)?);
        }
        Ok(changes)
    }

    /// The worklog after the update. Fields left out stay as they are, except that the
    /// WorklogUpdateClearsUnset fault empties a left-out comment and lifts a left-out restriction.
    fn apply(&self, current: &Entry, clears_unset: bool) -> Entry {
        let mut next = current.clone();
        match &self.comment {
            Some(comment) => next.comment.clone_from(comment),
            None if clears_unset => next.comment.clear(),
            None => {}
        }
        match &self.visibility {
            Some(visibility) => next.visibility.clone_from(visibility),
            None if clears_unset => next.visibility = None,
            None => {}
        }
        if let Some(started) = &self.started {
            next.started.clone_from(started);
        }
        if let Some(seconds) = self.time_spent_seconds {
            next.time_spent_seconds = seconds;
        }
        // Properties given are set; the others are kept, as Jira's entity properties behave.
        for (key, value) in self.properties.iter().flatten() {
            match next.properties.iter_mut().find(|(k, _)| k == key) {
                Some(slot) => slot.1 = value.clone(),
                None => next.properties.push((key.clone(), value.clone())),
            }
        }
        next
    }
}

/// v2 takes a comment as plain text, v3 as an Atlassian Document Format document (kept as its
/// text, so both versions show it).
fn parse_comment(version: ApiVersion, comment: &Value) -> Result<String, JiraError> {
    match version {
        ApiVersion::V2 => comment
            .as_str()
            .map(str::to_string)
            .ok_or_else(|| JiraError::bad_request("comment must be a string in API version 2.")),
        ApiVersion::V3 => adf_text(comment).ok_or_else(|| {
            JiraError::bad_request(
                "comment must be an Atlassian Document Format document (type doc, version 1, with content) in API version 3.",
            )
        }),
    }
}

/// A restriction: `{"type": "group", "identifier"|"value": name}` or `{"type": "role", "value":
/// name}`; null lifts it. As in Jira, the updater must belong to the group or hold the role, so
/// nobody restricts a worklog to a circle they are outside of.
fn parse_visibility(
    world: &World,
    principal: &Principal,
    issue: &Issue,
    value: &Value,
) -> Result<Option<Visibility>, JiraError> {
    if value.is_null() {
        return Ok(None);
    }
    let invalid = || {
        JiraError::bad_request(
            "visibility must be an object with type group or role and the group's identifier or the role's value.",
        )
    };
    let object = value.as_object().ok_or_else(invalid)?;
    let text = |name: &str| object.get(name).and_then(Value::as_str);
    match text("type") {
        Some("group") => {
            // The doc calls `identifier` the reliable way to name a group; in the world a
            // group's identifier is its name.
            let name = text("identifier")
                .or_else(|| text("value"))
                .ok_or_else(invalid)?;
            if world.group(name).is_none() {
                return Err(JiraError::bad_request(
                    "The visibility group does not exist.",
                ));
            }
            if !in_group(world, principal, name) {
                return Err(JiraError::bad_request(
                    "You are not a member of the group the worklog would be restricted to.",
                ));
            }
            Ok(Some(Visibility::Group(name.to_string())))
        }
        Some("role") => {
            let name = text("value")
                .or_else(|| text("identifier"))
                .ok_or_else(invalid)?;
            if !world.roles.iter().any(|r| r.name == name) {
                return Err(JiraError::bad_request(
                    "The visibility role does not exist.",
                ));
            }
            if !holds_role(world, principal, name, &issue.project) {
                return Err(JiraError::bad_request(
                    "You do not hold the project role the worklog would be restricted to.",
                ));
            }
            Ok(Some(Visibility::Role(name.to_string())))
        }
        _ => Err(invalid()),
    }
}

/// `timeSpent` (Jira duration text) or `timeSpentSeconds`. The Worklog schema says each "cannot
/// be provided if" the other is, so giving both is a 400 rather than a silent pick. Time spent
/// must be positive.
fn parse_time_spent(object: &Map<String, Value>) -> Result<Option<u64>, JiraError> {
    let text = object.get("timeSpent");
    let seconds = object.get("timeSpentSeconds");
    let invalid = |what: &str| {
        JiraError::bad_request(format!(
            "{what} must be a positive amount of time of at most 100 years."
        ))
    };
    match (text, seconds) {
        (Some(_), Some(_)) => Err(JiraError::bad_request(
            "timeSpent and timeSpentSeconds cannot both be given.",
        )),
        (Some(text), None) => text
            .as_str()
            .and_then(parse_duration)
            .filter(|s| *s > 0)
            .map(Some)
            .ok_or_else(|| invalid("timeSpent (for example 3h 20m, 2d or 90)")),
        (None, Some(seconds)) => seconds
            .as_u64()
            .filter(|s| (1..=MAX_SECONDS).contains(s))
            .map(Some)
            .ok_or_else(|| invalid("timeSpentSeconds")),
        (None, None) => Ok(None),
    }
}

/// Worklog properties: an array of `{"key": …, "value": …}` (the `EntityProperty` schema).
fn parse_properties(value: &Value) -> Result<Vec<(String, Value)>, JiraError> {
    let invalid = || {
        JiraError::bad_request(format!(
            "properties must be an array of objects with a key (1 to {KEY_MAX_CHARS} characters) and a value."
        ))
    };
    let items = value.as_array().ok_or_else(invalid)?;
    let mut properties: Vec<(String, Value)> = Vec::with_capacity(items.len());
    for item in items {
        let object = item.as_object().ok_or_else(invalid)?;
        if object.keys().any(|k| k != "key" && k != "value") {
            return Err(invalid());
        }
        let key = object
            .get("key")
            .and_then(Value::as_str)
            .filter(|k| !k.is_empty() && k.chars().count() <= KEY_MAX_CHARS)
            .ok_or_else(invalid)?;
        let value = object.get("value").ok_or_else(invalid)?;
        // A key given twice keeps its last value, as setting it twice would.
        match properties.iter_mut().find(|(k, _)| k == key) {
            Some(slot) => slot.1 = value.clone(),
            None => properties.push((key.to_string(), value.clone())),
        }
    }
    Ok(properties)
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

/// A worklog in the `Worklog` shape. The comment and the restriction appear only when there is
/// one, as in Jira's bodies.
fn worklog_json(
    state: &MockState,
    links: &Links,
    version: ApiVersion,
    issue: &Issue,
    entry: &Entry,
    with_properties: bool,
) -> Value {
    let api = links.api();
    let mut body = Map::new();
    body.insert(
        "self".into(),
        json!(format!("{api}/issue/{}/worklog/{}", issue.id, entry.id)),
    );
    body.insert("author".into(), user_details(state, links, &entry.author));
    body.insert(
        "updateAuthor".into(),
        user_details(state, links, &entry.update_author),
    );
    if !entry.comment.is_empty() {
        let comment = match version {
            ApiVersion::V2 if !state.has(Fault::V2RichTextAsAdf) => json!(entry.comment),
            ApiVersion::V2 => adf_document(&entry.comment),
            ApiVersion::V3 => adf_document(&entry.comment),
        };
        body.insert("comment".into(), comment);
    }
    body.insert("created".into(), json!(entry.created));
    body.insert("updated".into(), json!(entry.updated));
    match &entry.visibility {
        Some(Visibility::Group(g)) => {
            body.insert(
                "visibility".into(),
                json!({ "type": "group", "value": g, "identifier": g }),
            );
        }
        Some(Visibility::Role(r)) => {
            body.insert("visibility".into(), json!({ "type": "role", "value": r }));
        }
        None => {}
    }
    body.insert("started".into(), json!(entry.started));
    body.insert(
        "timeSpent".into(),
        json!(format_duration(entry.time_spent_seconds)),
    );
    body.insert("timeSpentSeconds".into(), json!(entry.time_spent_seconds));
    body.insert("id".into(), json!(entry.id));
    body.insert("issueId".into(), json!(issue.id));
    if with_properties {
        let properties: Vec<Value> = entry
            .properties
            .iter()
            .map(|(key, value)| json!({ "key": key, "value": value }))
            .collect();
        body.insert("properties".into(), Value::Array(properties));
    }
    Value::Object(body)
}

// ---- durations -------------------------------------------------------------------------------

const MINUTE: u64 = 60;
const HOUR: u64 = 60 * MINUTE;
/// Jira's default working day.
const DAY: u64 = 8 * HOUR;
/// Jira's default working week.
const WEEK: u64 = 5 * DAY;

/// Jira's duration text (`1w 2d 3h 30m`): weeks of 5 days, days of 8 hours, to the minute.
fn format_duration(seconds: u64) -> String {
    let mut rest = seconds / MINUTE * MINUTE;
    let mut parts = Vec::new();
    for (unit, suffix) in [(WEEK, 'w'), (DAY, 'd'), (HOUR, 'h'), (MINUTE, 'm')] {
        let count = rest / unit;
        if count > 0 {
            parts.push(format!("{count}{suffix}"));
            rest -= count * unit;
        }
    }
    if parts.is_empty() {
        "0m".to_string()
    } else {
        parts.join(" ")
    }
}

/// Reads Jira duration text: numbers with a unit `w`, `d`, `h` or `m` (or none, meaning
/// minutes), optionally fractional (`1.5h`), separated by spaces or not. `None` for anything
/// else, or for more than [`MAX_SECONDS`].
fn parse_duration(text: &str) -> Option<u64> {
    let text = text.trim();
    if text.is_empty() {
        return None;
    }
    let mut total: u64 = 0;
    let mut chars = text.chars().peekable();
    while chars.peek().is_some() {
        while chars.peek().is_some_and(|c| c.is_whitespace()) {
            chars.next();
        }
        let mut whole = String::new();
        let mut fraction = String::new();
        while let Some(c) = chars.peek().copied().filter(char::is_ascii_digit) {
            whole.push(c);
            chars.next();
        }
        if chars.peek() == Some(&'.') {
            chars.next();
            while let Some(c) = chars.peek().copied().filter(char::is_ascii_digit) {
                fraction.push(c);
                chars.next();
            }
        }
        if whole.is_empty() && fraction.is_empty() {
            return None;
        }
        let unit = match chars.next() {
            None => MINUTE,
            Some(c) if c.is_whitespace() => MINUTE,
            Some('w' | 'W') => WEEK,
            Some('d' | 'D') => DAY,
            Some('h' | 'H') => HOUR,
            Some('m' | 'M') => MINUTE,
            Some(_) => return None,
        };
        // Long digit strings are refused before they can overflow anything.
        if whole.len() > 12 || fraction.len() > 6 {
            return None;
        }
        let whole: u64 = if whole.is_empty() {
            0
        } else {
            whole.parse().ok()?
        };
        let scale = 10u64.pow(u32::try_from(fraction.len()).ok()?);
        let fraction: u64 = if fraction.is_empty() {
            0
        } else {
            fraction.parse().ok()?
        };
        let seconds = whole
            .checked_mul(unit)?
            .checked_add(fraction.checked_mul(unit)? / scale)?;
        total = total.checked_add(seconds)?;
        if total > MAX_SECONDS {
            return None;
        }
    }
    Some(total)
}

// ---- timestamps ------------------------------------------------------------------------------

/// Milliseconds since the Unix epoch of a Jira timestamp (`2026-01-05T09:00:00.000+0000`: date,
/// time with milliseconds, and an RFC 822 offset), or `None` if it is not one.
fn parse_timestamp(text: &str) -> Option<i64> {
    let b = text.as_bytes();
    if b.len() != 28
        || b[4] != b'-'
        || b[7] != b'-'
        || b[10] != b'T'
        || b[13] != b':'
        || b[16] != b':'
        || b[19] != b'.'
        || !matches!(b[23], b'+' | b'-')
    {
        return None;
    }
    let digits = |from: usize, to: usize| -> Option<i64> {
        b.get(from..to)?.iter().try_fold(0i64, |acc, d| {
            d.is_ascii_digit().then(|| acc * 10 + i64::from(d - b'0'))
        })
    };
    let (year, month, day) = (digits(0, 4)?, digits(5, 7)?, digits(8, 10)?);
    let (hour, minute, second, milli) = (
        digits(11, 13)?,
        digits(14, 16)?,
        digits(17, 19)?,
        digits(20, 23)?,
    );
    let (offset_hours, offset_minutes) = (digits(24, 26)?, digits(26, 28)?);
    if !(1..=12).contains(&month)
        || day < 1
        || day > days_in_month(year, month)
        || hour > 23
        || minute > 59
        || second > 59
        || offset_hours > 23
        || offset_minutes > 59
    {
        return None;
    }
    let offset = (offset_hours * 60 + offset_minutes) * 60_000;
    let offset = if b[23] == b'-' { -offset } else { offset };
    let local = days_from_civil(year, month, day) * 86_400_000
        + ((hour * 60 + minute) * 60 + second) * 1000
        + milli;
    Some(local - offset)
}

/// A Jira timestamp in UTC for milliseconds since the Unix epoch.
fn format_timestamp(millis: i64) -> String {
    let days = millis.div_euclid(86_400_000);
    let in_day = millis.rem_euclid(86_400_000);
    let (year, month, day) = civil_from_days(days);
    let (hour, minute) = (in_day / 3_600_000, in_day / 60_000 % 60);
    let (second, milli) = (in_day / 1000 % 60, in_day % 1000);
    format!("{year:04}-{month:02}-{day:02}T{hour:02}:{minute:02}:{second:02}.{milli:03}+0000")
}

/// The same instant written in UTC, so stored times compare as text and an update giving the
/// same instant in another offset changes nothing.
fn normalize_timestamp(text: &str) -> Option<String> {
    parse_timestamp(text).map(format_timestamp)
}

/// Now, as a Jira timestamp in UTC.
fn now_timestamp() -> String {
    let millis = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_millis()).unwrap_or(i64::MAX / 2));
    format_timestamp(millis)
}

fn is_leap(year: i64) -> bool {
    (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
}

fn days_in_month(year: i64, month: i64) -> i64 {
    match month {
        2 if is_leap(year) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm).
fn days_from_civil(year: i64, month: i64, day: i64) -> i64 {
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (month + 9) % 12;
    let doy = (153 * mp + 2) / 5 + day - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// The date of a day count since 1970-01-01 (the inverse of [`days_from_civil`]).
fn civil_from_days(days: i64) -> (i64, i64, i64) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_print_in_working_weeks_days_hours_and_minutes() {
        assert_eq!(format_duration(3600), "1h");
        assert_eq!(format_duration(1800), "30m");
        assert_eq!(format_duration(5400), "1h 30m");
        assert_eq!(format_duration(8 * 3600), "1d");
        assert_eq!(format_duration(2 * 8 * 3600), "2d");
        assert_eq!(format_duration(7 * 8 * 3600 + 90), "1w 2d 1m");
        assert_eq!(format_duration(0), "0m");
        assert_eq!(format_duration(59), "0m");
    }

    #[test]
    fn durations_parse_with_units_fractions_and_bare_minutes() {
        assert_eq!(parse_duration("1h"), Some(3600));
        assert_eq!(parse_duration("3h 20m"), Some(12000));
        assert_eq!(parse_duration("1h30m"), Some(5400));
        assert_eq!(parse_duration("90"), Some(5400));
        assert_eq!(parse_duration("2d"), Some(57600));
        assert_eq!(parse_duration("1w"), Some(144_000));
        assert_eq!(parse_duration("1.5h"), Some(5400));
        assert_eq!(parse_duration("0m"), Some(0));
        for bad in [
            "",
            " ",
            "h",
            "1x",
            "1h-",
            "abc",
            "99999999999999999999h",
            "1e9w",
        ] {
            assert_eq!(parse_duration(bad), None, "{bad:?}");
        }
        assert_eq!(parse_duration("999999999999w"), None);
    }

    #[test]
    fn timestamps_parse_normalize_and_round_trip() {
        let t = parse_timestamp("1970-01-01T00:00:00.000+0000");
        assert_eq!(t, Some(0));
        assert_eq!(
            parse_timestamp("2026-01-05T10:00:00.000+0100"),
            parse_timestamp("2026-01-05T09:00:00.000+0000")
        );
        assert_eq!(
            normalize_timestamp("2026-01-05T04:30:00.123-0500").as_deref(),
            Some("2026-01-05T09:30:00.123+0000")
        );
        assert_eq!(
            format_timestamp(parse_timestamp("2024-02-29T23:59:59.999+0000").unwrap_or(0)),
            "2024-02-29T23:59:59.999+0000"
        );
        for bad in [
            "2026-01-05",
            "2026-01-05T09:00:00.000Z",
            "2026-13-05T09:00:00.000+0000",
            "2025-02-29T09:00:00.000+0000",
            "2026-01-05T24:00:00.000+0000",
            "2026-01-05T09:00:00.000+00:0",
            "2026-01-05T09:00:00,000+0000",
            "２026-01-05T09:00:00.000+000",
        ] {
            assert_eq!(parse_timestamp(bad), None, "{bad:?}");
        }
    }
}
