//! The reference mock: an in-memory, independent implementation of a slice of Jira Cloud's REST
//! API (user properties, `myself`, and the resources of the fixtures' world: attachments, time
//! tracking, dashboards and their item properties, issues, worklogs, notification schemes,
//! project roles, and the properties of issues, projects, worklogs and comments), with optional seeded
//! faults.
//!
//! The files import one another one way, from the bottom up (`layering.rs` reads the sources and
//! fails on a cycle, on a store that imports the state, and on a file other than `server` that
//! imports the router):
//!
//! 1. what knows no request: `links` (API versions, URLs), `response` and `error` (Jira's bodies),
//!    `query`, `faults` (the list of faults), `jira_time` (durations, timestamps) and `adf`;
//! 2. the stores, plain data behind a lock: `entity_properties::{value, store}`,
//!    `project_roles::store` and `worklogs::store`;
//! 3. `state`: the users, the faults switched on, the fixtures' world and the stores;
//! 4. what the handlers share: `auth`, `caller` and `anonymous` (who calls), `issue_visibility`,
//!    `user_json`, `versioned_routes` (how a resource registers its paths),
//!    `entity_properties::{operation, owner}` (every property resource's handlers), and the
//!    layers around the routes, `media_type` and `response_faults`;
//! 5. the resources, a file or a folder each. Where one shows or checks another's data it
//!    imports that resource, never the other way: an issue embeds its attachments and worklogs,
//!    the dashboard listing, gadgets and item properties use the dashboards' sharing rules, and
//!    `mypermissions` and `project_role_actors` find and see projects as `project_search` does;
//! 6. `router`: every resource's routes under each API version, and the layers;
//! 7. `server`: the accept loop over the router.

mod adf;
mod anonymous;
mod attachments;
mod auth;
mod caller;
mod comment_properties;
mod comments;
mod dashboard_gadgets;
mod dashboard_item_properties;
mod dashboard_listing;
mod dashboards;
mod entity_properties;
mod error;
mod faults;
mod issue_properties;
mod issue_search;
mod issue_visibility;
mod issues;
mod jira_time;
mod links;
mod media_type;
mod mypermissions;
mod myself;
mod notification_schemes;
mod project_properties;
mod project_role_actors;
mod project_roles;
mod project_search;
mod query;
mod response;
mod response_faults;
mod router;
mod server;
mod state;
mod timetracking;
mod user_groups;
mod user_json;
mod user_properties;
mod versioned_routes;
mod worklog_properties;
mod worklogs;

pub use faults::Fault;
pub use links::ApiVersion;
pub use router::{app, app_serving};
pub use server::{serve, serve_versions, MockError, MockServer};
pub use state::MockState;

#[cfg(test)]
mod layering;
