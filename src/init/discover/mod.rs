//! Asking the target: who the principals are and what they see, bounded and chosen to make the
//! permission matrix informative. GET requests only, through [`Client`](super::client::Client).
//!
//! [`discover`] checks the options and runs one step per resource, in this order (each step
//! may use what the earlier ones found): principals and their groups, projects and roles,
//! notification schemes, issues and attachments, worklogs, comments, dashboards, settings. It then
//! assembles the world and gives every entity its label.

mod assemble;
mod choose;
mod comments;
mod dashboards;
mod issues;
mod principals;
mod projects;
mod read;
mod roles;
mod run;
mod schemes;
mod settings;
mod worklogs;

pub use assemble::discover;
