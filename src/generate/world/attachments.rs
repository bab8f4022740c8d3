//! Attachments (`mock/attachments.rs`): the settings anyone may read, and an attachment's
//! metadata for those who may see its issue, while attachments are enabled.

use super::address::{lookup, plain_happy, request, who, UNKNOWN_ID};
use super::matrix::{cell, yes_no, Cell};
use super::view::WorldView;
use crate::case::Case;
use crate::generate::context::{Ctx, Happy};

/// getAttachment as the actor, on the first attachment it may see.
pub fn happy(ctx: &Ctx<'_>, index: usize) -> Option<Happy> {
    let (world, w) = (WorldView::new(ctx.fixtures), &ctx.fixtures.world);
    if !w.attachment_settings.enabled {
        return None;
    }
    let a = w
        .attachments
        .iter()
        .find(|a| world.sees_attachment(&ctx.actor, a))?;
    Some(plain_happy(ctx, index, &[("id", &a.id)], &ctx.actor, 200))
}

/// getAttachmentMeta: every principal reads the settings.
pub fn settings_matrix(ctx: &Ctx<'_>, index: usize) -> Vec<Cell> {
    ctx.fixtures
        .principals
        .iter()
        .map(|p| {
            cell(
                format!("{}_reads_settings", p.name),
                format!("{} reads the attachment settings", p.name),
                request(ctx, index, &[], who(p)),
                200,
                "needs no permission".into(),
            )
        })
        .collect()
}

/// getAttachment: every principal on every attachment.
pub fn matrix(ctx: &Ctx<'_>, index: usize) -> Vec<Cell> {
    let (view, w) = (WorldView::new(ctx.fixtures), &ctx.fixtures.world);
    let mut cells = Vec::new();
    for a in &w.attachments {
        for p in &ctx.fixtures.principals {
            let enabled = w.attachment_settings.enabled;
            let ok = view.sees_attachment(p, a);
            let r = request(ctx, index, &[("id", &a.id)], who(p));
            cells.push(cell(
                format!("{}_on_attachment_{}", p.name, a.label),
                format!(
                    "{} reads attachment {} of {}: {}",
                    p.name,
                    a.id,
                    a.issue,
                    match (enabled, ok) {
                        (false, _) => "404, attachments are disabled",
                        (true, true) => "allowed",
                        (true, false) => "refused with 403",
                    }
                ),
                r,
                if enabled { yes_no(ok, 200, 403) } else { 404 },
                format!(
                    "404 when attachments are disabled; else metadata only for those who may browse the issue's project and pass its issue security ({} {} see {})",
                    p.name,
                    if ok { "may" } else { "may not" },
                    a.issue
                ),
            ));
        }
    }
    cells
}

/// getAttachment: an id nobody has is 404.
pub fn lookups(ctx: &Ctx<'_>, resource: &str, index: usize, out: &mut Vec<Case>) {
    let r = request(ctx, index, &[("id", UNKNOWN_ID)], who(&ctx.actor));
    out.extend(
        lookup(
            "unknown_id",
            "an attachment id nobody has is 404".into(),
            r,
            404,
            "an unknown attachment is 404",
        )
        .build(ctx, resource, index),
    );
}
