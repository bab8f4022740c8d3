//! The generator's knowledge of the fixtures' world, one file per resource as the mock has
//! them (`mock/<resource>.rs`): how each operation on it is addressed, its happy path, its
//! permission matrix, its lookups and parameters, and its writes. The rules are those the
//! documentation states, applied to the fixtures' facts; the mock implements the same rules
//! separately, and the two meet only in the fixtures file.
//!
//! `view` (who may see and own what) and `fill` (any operation's parameters from the world)
//! come first, `address` (requests, the owned entity of a property group, one-step cases) and
//! `matrix` / `variants` (the shapes the resources fill) next, then the resources (`comments`
//! adds to the view who may see and edit a comment, which `fill` and the entity-property
//! permission matrix read). The
//! functions below say which resource serves which operation; the families call them.

mod address;
mod attachments;
mod comments;
mod dashboards;
mod fill;
mod issue_search;
mod issues;
mod matrix;
mod notification_schemes;
mod project_roles;
mod timetracking;
mod variants;
mod view;
mod worklogs;

pub use address::{other_subject, own_subject, owner_params, request, rule_provenance, who};
pub use dashboards::item_property_matrix;
pub use fill::fill;
pub use matrix::{cell, Cell};
pub use project_roles::sweep_created_roles;
pub use view::WorldView;
pub use worklogs::{restore_worklog, scratch_worklog};

use crate::case::Case;
use crate::generate::context::{Ctx, Happy};

/// The operations [`happy`] addresses from the world's rules; a generic filling must not stand
/// in for them when the world says they have nothing to address.
pub fn handles(operation_id: &str) -> bool {
    matches!(
        operation_id,
        "getAttachment"
            | "getSelectedTimeTrackingImplementation"
            | "getDashboard"
            | "getIssue"
            | "getIssueWorklog"
            | "getWorklog"
            | "getProjectRoles"
            | "getProjectRoleDetails"
            | "createProjectRole"
    )
}

/// The happy path of a world operation, when the fixtures name what it needs.
pub fn happy(ctx: &Ctx<'_>, index: usize) -> Option<Happy> {
    match ctx.op(index).operation_id.as_str() {
        "getAttachment" => attachments::happy(ctx, index),
        "getSelectedTimeTrackingImplementation" => timetracking::happy(ctx, index),
        "getDashboard" => dashboards::happy(ctx, index),
        "getIssue" => issues::happy(ctx, index),
        "getIssueWorklog" | "getWorklog" => worklogs::happy(ctx, index),
        "getProjectRoles" | "getProjectRoleDetails" => project_roles::happy(ctx, index),
        "createProjectRole" => project_roles::create_happy(ctx, index),
        _ => None,
    }
}

/// The permission matrix of a world operation: every principal against the entities the
/// fixtures describe; empty for an operation the world does not know.
pub fn matrix(ctx: &Ctx<'_>, index: usize) -> Vec<Cell> {
    match ctx.op(index).operation_id.as_str() {
        "getAttachmentMeta" => attachments::settings_matrix(ctx, index),
        "getAttachment" => attachments::matrix(ctx, index),
        "getSelectedTimeTrackingImplementation" => timetracking::matrix(ctx, index),
        "getDashboard" => dashboards::matrix(ctx, index),
        "getIssue" => issues::matrix(ctx, index),
        "getIssueWorklog" | "getWorklog" => worklogs::read_matrix(ctx, index),
        "updateWorklog" => worklogs::update_matrix(ctx, index),
        "getNotificationSchemes" => notification_schemes::matrix(ctx, index),
        "getProjectRoles" | "getProjectRoleDetails" => project_roles::matrix(ctx, index),
        "createProjectRole" => project_roles::create_matrix(ctx, index),
        _ => Vec::new(),
    }
}

/// Keys: the world's entities found by id and by key, and ids nobody has answering 404.
pub fn lookups(ctx: &Ctx<'_>, resource: &str, index: usize, out: &mut Vec<Case>) {
    match ctx.op(index).operation_id.as_str() {
        "getIssue" => issues::lookups(ctx, resource, index, out),
        "getAttachment" => attachments::lookups(ctx, resource, index, out),
        "getDashboard" => dashboards::lookups(ctx, resource, index, out),
        "getIssueWorklog" | "getWorklog" => worklogs::lookups(ctx, resource, index, out),
        "getProjectRoles" | "getProjectRoleDetails" => {
            project_roles::lookups(ctx, resource, index, out);
        }
        _ => {}
    }
}

/// Parameters: field selection and expansion on getIssue, field selection and exclusion on
/// the issue search; paging and start-date filters on the
/// worklog listing; paging and name order on the notification-scheme listing. Expected pages
/// come from the fixtures' world.
pub fn parameters(ctx: &Ctx<'_>, resource: &str, index: usize, out: &mut Vec<Case>) {
    match ctx.op(index).operation_id.as_str() {
        "getIssue" => issues::parameters(ctx, resource, index, out),
        "searchAndReconsileIssuesUsingJql" => issue_search::parameters(ctx, resource, index, out),
        "getIssueWorklog" => worklogs::paging(ctx, resource, index, out),
        "getNotificationSchemes" => notification_schemes::paging(ctx, resource, index, out),
        _ => {}
    }
}

/// Roundtrip: a partial worklog update keeps the other fields; a created role is listed and its
/// name cannot be reused.
pub fn roundtrip(ctx: &Ctx<'_>, resource: &str, index: usize, out: &mut Vec<Case>) {
    match ctx.op(index).operation_id.as_str() {
        "updateWorklog" => worklogs::partial_update(ctx, resource, index, out),
        "createProjectRole" => project_roles::created_role(ctx, resource, index, out),
        _ => {}
    }
}

/// Limits: the refused worklog updates and role names the documentation names.
pub fn limits(ctx: &Ctx<'_>, resource: &str, index: usize, out: &mut Vec<Case>) {
    match ctx.op(index).operation_id.as_str() {
        "updateWorklog" => worklogs::refused_updates(ctx, resource, index, out),
        "createProjectRole" => project_roles::refused_creates(ctx, resource, index, out),
        _ => {}
    }
}

/// Observations: what a worklog update that gives no field or changes nothing answers.
pub fn observations(ctx: &Ctx<'_>, resource: &str, index: usize, out: &mut Vec<Case>) {
    if ctx.op(index).operation_id == "updateWorklog" {
        worklogs::observed_updates(ctx, resource, index, out);
    }
}
