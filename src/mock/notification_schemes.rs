//! Notification schemes: the paged listing, filtered to the projects the caller administers.
//!
//! As documented, a scheme is listed to a caller who administers at least one project that
//! uses it; holders of *Administer Jira* see every scheme (they administer every project and
//! the schemes no project uses). The listing is ordered by name.

use std::collections::BTreeSet;

use axum::extract::rejection::QueryRejection;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, Method, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::any;
use axum::{Extension, Router};
use serde_json::{json, Map, Value};

use crate::fixtures::{NotificationScheme, Principal, Recipient};

use super::auth::{authenticate, Authentication};
use super::dashboards::{api_root, encode_segment, not_implemented, principal, user_bean};
use super::error::JiraError;
use super::faults::Fault;
use super::links::{ApiVersion, Links};
use super::project_roles::{self, StoredRole};
use super::response::json;
use super::state::MockState;

/// What `Allow` says for `/notificationscheme`.
const ALLOW_SCHEMES: &str = "GET, POST";
/// The page size when `maxResults` is not given (the documented default).
const DEFAULT_MAX_RESULTS: usize = 50;
/// The name Jira gives the scheme it creates with the site, which is its default scheme. The
/// fixtures have no "default" flag, so `onlyDefault` means the scheme of this name.
const DEFAULT_SCHEME_NAME: &str = "Default Notification Scheme";
/// What every listed scheme says may be expanded (as Jira Cloud answers).
const SCHEME_EXPAND: &str = "notificationSchemeEvents,user,group,projectRole,field,all";

/// The routes of this resource under one API version.
pub(crate) fn routes(version: ApiVersion) -> Router<MockState> {
    Router::new().route(
        &format!("{}/notificationscheme", version.prefix()),
        any(schemes).layer(Extension(version)),
    )
}

/// `/rest/api/N/notificationscheme`: GET (getNotificationSchemes) is served; POST
/// (createNotificationScheme) is documented but not part of the mock.
async fn schemes(
    State(state): State<MockState>,
    Extension(version): Extension<ApiVersion>,
    method: Method,
    headers: HeaderMap,
    query: Result<Query<Vec<(String, String)>>, QueryRejection>,
) -> Response {
    let reading = match method {
        Method::GET | Method::HEAD => true,
        Method::POST => false,
        _ => {
            return JiraError::method_not_allowed(
                ALLOW_SCHEMES,
                "The method is not allowed for this resource.",
            )
            .into_response()
        }
    };
    let Authentication::User(caller) = authenticate(&state, &headers) else {
        return JiraError::unauthorized().into_response();
    };
    if !reading {
        return not_implemented().into_response();
    }
    let Ok(Query(pairs)) = query else {
        return JiraError::bad_request("The query string is not valid.").into_response();
    };
    match Listing::parse(&pairs) {
        Ok(listing) => {
            let links = Links::new(&headers, version);
            json(
                StatusCode::OK,
                &listing.page(&state, caller, &links, &pairs),
            )
        }
        Err(error) => error.into_response(),
    }
}

/// Which expansions were asked for.
#[derive(Debug, Clone, Copy, Default)]
struct Expand {
    events: bool,
    user: bool,
    group: bool,
    project_role: bool,
    field: bool,
    projects: bool,
}

impl Expand {
    /// Reads `expand` values (comma lists). Unknown options are ignored, as Jira does.
    fn parse<'a>(values: impl Iterator<Item = &'a str>) -> Expand {
        let mut e = Expand::default();
        for option in values.flat_map(|v| v.split(',')).map(str::trim) {
            match option {
                "all" => {
                    e = Expand {
                        events: true,
                        user: true,
                        group: true,
                        project_role: true,
                        field: true,
                        projects: true,
                    }
                }
                // The documentation: the event list "is returned for all expandable
                // information", so every recipient detail brings the events with it.
                "notificationSchemeEvents" => e.events = true,
                "user" => (e.events, e.user) = (true, true),
                "group" => (e.events, e.group) = (true, true),
                "projectRole" => (e.events, e.project_role) = (true, true),
                "field" => (e.events, e.field) = (true, true),
                // The schema's `projects` (ids of the projects using the scheme) is not among the
                // documented options; it is given when asked for by name or with `all`.
                "projects" => e.projects = true,
                _ => {}
            }
        }
        e
    }
}

/// The query of one listing request, validated.
#[derive(Debug)]
struct Listing {
    start_at: usize,
    max_results: usize,
    ids: Option<BTreeSet<u64>>,
    project_ids: Option<BTreeSet<u64>>,
    only_default: bool,
    expand: Expand,
}

impl Listing {
    fn parse(pairs: &[(String, String)]) -> Result<Listing, JiraError> {
        let first = |name: &str| {
            pairs
                .iter()
                .find(|(n, _)| n == name)
                .map(|(_, v)| v.as_str())
        };
        let all = |name: &'static str| {
            pairs
                .iter()
                .filter(move |(n, _)| n == name)
                .map(|(_, v)| v.as_str())
        };
        let start_at = first("startAt").map_or(Ok(0), |v| count("startAt", v))?;
        let max_results =
            first("maxResults").map_or(Ok(DEFAULT_MAX_RESULTS), |v| count("maxResults", v))?;
        let only_default = match first("onlyDefault") {
            None => false,
            Some(v) if v.eq_ignore_ascii_case("true") => true,
            Some(v) if v.eq_ignore_ascii_case("false") => false,
            Some(v) => {
                return Err(JiraError::bad_request(format!(
                    "'{v}' is not a valid value. onlyDefault must be true or false."
                )))
            }
        };
        Ok(Listing {
            start_at,
            max_results,
            ids: id_filter("id", all("id"))?,
            project_ids: id_filter("projectId", all("projectId"))?,
            only_default,
            expand: Expand::parse(all("expand")),
        })
    }

    fn page(
        &self,
        state: &MockState,
        caller: &Principal,
        links: &Links,
        pairs: &[(String, String)],
    ) -> Value {
        let world = state.world();
        let mut schemes: Vec<&NotificationScheme> = world
            .notification_schemes
            .iter()
            .filter(|s| may_see(state, caller, s))
            .filter(|s| self.ids.as_ref().is_none_or(|ids| ids.contains_id(&s.id)))
            .filter(|s| {
                self.project_ids.as_ref().is_none_or(|wanted| {
                    world.projects.iter().any(|p| {
                        p.notification_scheme.as_deref() == Some(s.id.as_str())
                            && wanted.contains_id(&p.id)
                    })
                })
            })
            // With project ids given, the default scheme survives only when one of those projects
            // uses it; otherwise the page is empty, as documented.
            .filter(|s| !self.only_default || s.name == DEFAULT_SCHEME_NAME)
            .collect();
        order(state, &mut schemes);
        let total = schemes.len();
        let roles = state.roles().all();
        let api = api_root(links);
        let values: Vec<Value> = schemes
            .iter()
            .skip(self.start_at)
            .take(self.max_results)
            .map(|s| self.scheme(state, caller, s, links, &api, &roles))
            .collect();
        let is_last = self.start_at.saturating_add(values.len()) >= total;
        let mut page = Map::new();
        page.insert(
            "self".into(),
            json!(page_url(&api, pairs, self.start_at, self.max_results)),
        );
        // A next page of size zero would not advance, so none is offered.
        if !is_last && self.max_results > 0 {
            let next = self.start_at.saturating_add(self.max_results);
            page.insert(
                "nextPage".into(),
                json!(page_url(&api, pairs, next, self.max_results)),
            );
        }
        page.insert("maxResults".into(), json!(self.max_results));
        page.insert("startAt".into(), json!(self.start_at));
        page.insert("total".into(), json!(total));
        page.insert("isLast".into(), json!(is_last));
        page.insert("values".into(), Value::Array(values));
        Value::Object(page)
    }

    fn scheme(
        &self,
        state: &MockState,
        caller: &Principal,
        scheme: &NotificationScheme,
        links: &Links,
        api: &str,
        roles: &[StoredRole],
    ) -> Value {
        let mut body = Map::new();
        body.insert("expand".into(), json!(SCHEME_EXPAND));
        body.insert("id".into(), project_roles::id_value(&scheme.id));
        body.insert(
            "self".into(),
            json!(format!(
                "{api}/notificationscheme/{}",
                encode_segment(&scheme.id)
            )),
        );
        body.insert("name".into(), json!(scheme.name));
        if let Some(description) = &scheme.description {
            body.insert("description".into(), json!(description));
        }
        if self.expand.events {
            // Notification ids are numbered through the scheme: the fixtures give none, and this
            // keeps them stable and unique within it.
            let mut next_id = 0u64;
            let events: Vec<Value> = scheme
                .events
                .iter()
                .map(|event| {
                    let notifications: Vec<Value> = event
                        .recipients
                        .iter()
                        .map(|r| {
                            next_id += 1;
                            self.notification(state, r, next_id, links, api, roles)
                        })
                        .collect();
                    json!({
                        "event": { "id": event.id, "name": event.name },
                        "notifications": notifications,
                    })
                })
                .collect();
            body.insert("notificationSchemeEvents".into(), Value::Array(events));
        }
        if self.expand.projects {
            // Only the projects the caller administers (all of them for an administrator), so
            // the expansion names no project the caller could not already see.
            let projects: Vec<Value> = state
                .world()
                .projects
                .iter()
                .filter(|p| p.notification_scheme.as_deref() == Some(scheme.id.as_str()))
                .filter(|p| caller.admin || p.administer.contains(&caller.name))
                .filter_map(|p| p.id.parse::<u64>().ok())
                .map(Value::from)
                .collect();
            body.insert("projects".into(), Value::Array(projects));
        }
        Value::Object(body)
    }

    /// One `EventNotification`. `parameter` and `recipient` follow the documented meaning per
    /// type: an account id for users, a role id for roles, a field id for custom fields. Groups
    /// have no id in the fixtures, so their `recipient` is left out.
    fn notification(
        &self,
        state: &MockState,
        recipient: &Recipient,
        id: u64,
        links: &Links,
        api: &str,
        roles: &[StoredRole],
    ) -> Value {
        let mut body = Map::new();
        body.insert("id".into(), json!(id));
        body.insert("notificationType".into(), json!(recipient.kind));
        let Some(parameter) = recipient.parameter.as_deref() else {
            return Value::Object(body);
        };
        match recipient.kind.as_str() {
            "User" => {
                // The fixtures name principals; an unknown name is passed on as an account id.
                let user = principal(state, parameter).or_else(|| state.user(parameter));
                let account_id = user.map_or(parameter, |u| u.account_id.as_str());
                body.insert("expand".into(), json!("user"));
                body.insert("parameter".into(), json!(account_id));
                body.insert("recipient".into(), json!(account_id));
                if let (true, Some(user)) = (self.expand.user, user) {
                    body.insert("user".into(), user_bean(user, links));
                }
            }
            "Group" => {
                body.insert("expand".into(), json!("group"));
                body.insert("parameter".into(), json!(parameter));
                if self.expand.group {
                    body.insert(
                        "group".into(),
                        json!({ "name": parameter, "self": links.group(parameter) }),
                    );
                }
            }
            "ProjectRole" => {
                // The fixtures name roles; the role's id is what Jira gives.
                let role = roles
                    .iter()
                    .find(|r| r.name == parameter || r.id == parameter);
                let role_id = role.map_or(parameter, |r| r.id.as_str());
                body.insert("expand".into(), json!("projectRole"));
                body.insert("parameter".into(), json!(role_id));
                body.insert("recipient".into(), json!(role_id));
                if let (true, Some(role)) = (self.expand.project_role, role) {
                    body.insert(
                        "projectRole".into(),
                        json!({
                            "self": format!("{api}/role/{}", encode_segment(&role.id)),
                            "name": role.name,
                            "id": project_roles::id_value(&role.id),
                            "description": role.description,
                        }),
                    );
                }
            }
            "EmailAddress" => {
                body.insert("emailAddress".into(), json!(parameter));
                body.insert("parameter".into(), json!(parameter));
                body.insert("recipient".into(), json!(parameter));
            }
            "UserCustomField" | "GroupCustomField" => {
                body.insert("expand".into(), json!("field"));
                body.insert("parameter".into(), json!(parameter));
                body.insert("recipient".into(), json!(parameter));
                if self.expand.field {
                    // The fixtures know only the field's id.
                    body.insert(
                        "field".into(),
                        json!({ "id": parameter, "key": parameter, "custom": true }),
                    );
                }
            }
            _ => {
                body.insert("parameter".into(), json!(parameter));
            }
        }
        Value::Object(body)
    }
}

/// Whether `caller` is shown `scheme`.
fn may_see(state: &MockState, caller: &Principal, scheme: &NotificationScheme) -> bool {
    caller.admin
        || state.has(Fault::NotificationSchemesUnfiltered)
        || state.world().projects.iter().any(|p| {
            p.notification_scheme.as_deref() == Some(scheme.id.as_str())
                && p.administer.contains(&caller.name)
        })
}

/// Sorts by name (ignoring case), then id. With the fault, by id instead; should that happen to
/// be the name order for the schemes at hand, reversed, so the fault always shows.
fn order(state: &MockState, schemes: &mut [&NotificationScheme]) {
    schemes.sort_by(|a, b| {
        a.name
            .to_lowercase()
            .cmp(&b.name.to_lowercase())
            .then_with(|| id_key(&a.id).cmp(&id_key(&b.id)))
    });
    if state.has(Fault::NotificationSchemesUnordered) {
        let by_name: Vec<String> = schemes.iter().map(|s| s.id.clone()).collect();
        schemes.sort_by(|a, b| id_key(&a.id).cmp(&id_key(&b.id)));
        if schemes.iter().map(|s| &s.id).eq(by_name.iter()) {
            schemes.reverse();
        }
    }
}

/// Numeric ids in numeric order, any others after them.
fn id_key(id: &str) -> (u64, &str) {
    (id.parse().unwrap_or(u64::MAX), id)
}

/// `startAt` and `maxResults`: strings in the spec holding a count.
fn count(name: &str, value: &str) -> Result<usize, JiraError> {
    match value.parse::<u64>() {
        // Larger than the address space is no different from "all of them".
        Ok(n) => Ok(usize::try_from(n).unwrap_or(usize::MAX)),
        Err(_) => Err(JiraError::bad_request(format!(
            "'{value}' is not a valid value. {name} must be zero or a positive integer."
        ))),
    }
}

/// An `id` or `projectId` filter: repeated parameters and comma lists alike; empty entries are
/// skipped. `None` (no filtering) when the parameter is absent or names no id at all, as the
/// spec's empty-string default implies.
fn id_filter<'a>(
    name: &str,
    values: impl Iterator<Item = &'a str>,
) -> Result<Option<BTreeSet<u64>>, JiraError> {
    let mut ids = BTreeSet::new();
    for item in values.flat_map(|v| v.split(',')) {
        let item = item.trim();
        if item.is_empty() {
            continue;
        }
        let id = item.parse::<u64>().map_err(|_| {
            JiraError::bad_request(format!(
                "'{item}' is not a valid value. {name} must be zero or a positive integer."
            ))
        })?;
        ids.insert(id);
    }
    Ok((!ids.is_empty()).then_some(ids))
}

/// Matching a world id (text) against parsed filter ids.
trait ContainsId {
    fn contains_id(&self, id: &str) -> bool;
}

impl ContainsId for BTreeSet<u64> {
    fn contains_id(&self, id: &str) -> bool {
        id.parse::<u64>().is_ok_and(|n| self.contains(&n))
    }
}

/// The listing's URL for a page: the request's own filters kept, the paging replaced.
fn page_url(api: &str, pairs: &[(String, String)], start_at: usize, max_results: usize) -> String {
    let mut query = format!("startAt={start_at}&maxResults={max_results}");
    for (name, value) in pairs {
        if name != "startAt" && name != "maxResults" {
            query.push('&');
            query.push_str(&encode_segment(name));
            query.push('=');
            query.push_str(&encode_segment(value));
        }
    }
    format!("{api}/notificationscheme?{query}")
}
