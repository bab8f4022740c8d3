//! Time tracking (`mock/timetracking.rs`): the selected implementation, for administrators
//! only; 204 while time tracking is off.

use super::address::{plain_happy, request, who};
use super::matrix::{cell, yes_no, Cell};
use crate::generate::context::{Ctx, Happy};

/// The status a successful read answers: 200, or 204 while time tracking is off.
fn success(ctx: &Ctx<'_>) -> u16 {
    if ctx.fixtures.world.timetracking.enabled {
        200
    } else {
        204
    }
}

/// getSelectedTimeTrackingImplementation as the administrator.
pub fn happy(ctx: &Ctx<'_>, index: usize) -> Option<Happy> {
    let admin = ctx.roles.admin?;
    Some(plain_happy(ctx, index, &[], admin, success(ctx)))
}

/// Every principal reads the implementation: administrators only.
pub fn matrix(ctx: &Ctx<'_>, index: usize) -> Vec<Cell> {
    ctx.fixtures
        .principals
        .iter()
        .map(|p| {
            cell(
                p.name.clone(),
                format!(
                    "{} reads the time-tracking implementation: {}",
                    p.name,
                    if p.admin {
                        "allowed"
                    } else {
                        "refused with 403"
                    }
                ),
                request(ctx, index, &[], who(p)),
                yes_no(p.admin, success(ctx), 403),
                "administrators only (Administer Jira)".into(),
            )
        })
        .collect()
}
