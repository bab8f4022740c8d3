//! Notification schemes: the paged listing, filtered to the projects the caller administers.
//!
//! As documented, a scheme is listed to a caller who administers at least one project that
//! uses it; holders of *Administer Jira* see every scheme (they administer every project and
//! the schemes no project uses). The listing is ordered by name.

use std::collections::BTreeSet;

use axum::http::{Method, StatusCode};
use axum::response::Response;
use axum::Router;
use serde_json::{json, Map, Value};

use crate::fixtures::{NotificationScheme, Principal, Recipient};

use super::caller::{Call, Methods};
use super::error::JiraError;
use super::faults::Fault;
use super::links::{encode, ApiVersion, Links};
use super::project_roles::store::StoredRole;
use super::query::{self, flag, list_values, QueryPairs};
use super::response::{id_value, json};
use super::state::MockState;
use super::user_json::user_bean;
use super::versioned_routes::VersionedRoutes;

/// `/notificationscheme`: GET (getNotificationSchemes) is served; POST
/// (createNotificationScheme) is documented but not part of the mock.
const SCHEMES: Methods = Methods::new("GET, POST", &[Method::GET]);
/// The page size when `maxResults` is not given (the documented default).
const DEFAULT_MAX_RESULTS: usize = 50;
/// The name Jira gives the scheme it creates with the site, which is its default scheme. The
/// fixtures have no "default" flag, so `onlyDefault` means the scheme of this name.
const DEFAULT_SCHEME_NAME: &str = "Default Notification Scheme";
/// What every listed scheme says may be expanded (as Jira Cloud answers).
const SCHEME_EXPAND: &str = "notificationSchemeEvents,user,group,projectRole,field,all";

/// The routes of this resource under one API version.
pub(crate) fn routes(version: ApiVersion) -> Router<MockState> {
    Router::new().versioned(version, "/notificationscheme", schemes)
}

/// `/rest/api/N/notificationscheme`: the schemes, a page at a time.
async fn schemes(call: Call, query: QueryPairs) -> Result<Response, JiraError> {
    let caller = SCHEMES.caller(&call)?;
    let pairs = query::pairs(query)?;
    let listing = Listing::parse(&pairs)?;
    Ok(json(
        StatusCode::OK,
        &listing.page(&call.state, caller, &call.links(), &pairs),
    ))
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
    /// Reads the options of `expand`. Unknown options are ignored, as Jira does.
    fn parse(options: &[&str]) -> Expand {
        let mut e = Expand::default();
        for option in options {
            match *option {
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
        let start_at = first("startAt").map_or(Ok(0), |v| count("startAt", v))?;
        let max_results =
            first("maxResults").map_or(Ok(DEFAULT_MAX_RESULTS), |v| count("maxResults", v))?;
        let only_default = flag(pairs, "onlyDefault")?;
        Ok(Listing {
            start_at,
            max_results,
            ids: id_filter("id", &list_values(pairs, "id"))?,
            project_ids: id_filter("projectId", &list_values(pairs, "projectId"))?,
            only_default,
            expand: Expand::parse(&list_values(pairs, "expand")),
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
        let describe = Describe {
            state,
            caller,
            links,
            api: links.api(),
            roles: state.roles().all(),
            expand: self.expand,
        };
        let api = &describe.api;
        let values: Vec<Value> = schemes
            .iter()
            .skip(self.start_at)
            .take(self.max_results)
            .map(|s| describe.scheme(s))
            .collect();
        let is_last = self.start_at.saturating_add(values.len()) >= total;
        let mut page = Map::new();
        page.insert(
            "self".into(),
            json!(page_url(api, pairs, self.start_at, self.max_results)),
        );
        // A next page of size zero would not advance, so none is offered.
        if !is_last && self.max_results > 0 {
            let next = if state.has(Fault::NextPageRepeats) {
                // The seeded fault: the next page link points at this page again.
                self.start_at
            } else {
                self.start_at.saturating_add(self.max_results)
            };
            page.insert(
                "nextPage".into(),
                json!(page_url(api, pairs, next, self.max_results)),
            );
        }
        page.insert("maxResults".into(), json!(self.max_results));
        page.insert("startAt".into(), json!(self.start_at));
        page.insert("total".into(), json!(total));
        page.insert("isLast".into(), json!(is_last));
        page.insert("values".into(), Value::Array(values));
        Value::Object(page)
    }
}

/// What the schemes of one page are described with: who is looking, the links, the roles and
/// the expansions asked for.
struct Describe<'a> {
    state: &'a MockState,
    caller: &'a Principal,
    links: &'a Links,
    /// The REST API base, for `self` links.
    api: String,
    roles: Vec<StoredRole>,
    expand: Expand,
}

impl Describe<'_> {
    fn scheme(&self, scheme: &NotificationScheme) -> Value {
        let (state, caller, api) = (self.state, self.caller, &self.api);
        let mut body = Map::new();
        body.insert("expand".into(), json!(SCHEME_EXPAND));
        body.insert("id".into(), id_value(&scheme.id));
        body.insert(
            "self".into(),
            json!(format!("{api}/notificationscheme/{}", encode(&scheme.id))),
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
                            self.notification(r, next_id)
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
    fn notification(&self, recipient: &Recipient, id: u64) -> Value {
        let (state, links, api) = (self.state, self.links, &self.api);
        let mut body = Map::new();
        body.insert("id".into(), json!(id));
        body.insert("notificationType".into(), json!(recipient.kind));
        let Some(parameter) = recipient.parameter.as_deref() else {
            return Value::Object(body);
        };
        match recipient.kind.as_str() {
            "User" => {
                // The fixtures name principals; an unknown name is passed on as an account id.
                let user = state.principal(parameter).or_else(|| state.user(parameter));
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
                let role = self
                    .roles
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
                            "self": format!("{api}/role/{}", encode(&role.id)),
                            "name": role.name,
                            "id": id_value(&role.id),
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
fn id_filter(name: &str, items: &[&str]) -> Result<Option<BTreeSet<u64>>, JiraError> {
    let mut ids = BTreeSet::new();
    for item in items {
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
            query.push_str(&encode(name));
            query.push('=');
            query.push_str(&encode(value));
        }
    }
    format!("{api}/notificationscheme?{query}")
}
