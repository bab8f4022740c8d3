//! The reference mock: an in-memory, independent implementation of a slice of Jira Cloud's REST
//! API (user properties, `myself`, and the resources of the fixtures' world: attachments, time
//! tracking, dashboards and their item properties, issues, worklogs, notification schemes,
//! project roles, and the properties of issues, projects and worklogs), with optional seeded
//! faults.

mod adf;
mod anonymous;
mod attachments;
mod auth;
mod caller;
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
