//! Notification schemes (`mock/notification_schemes.rs`): a principal sees the schemes of the
//! projects it administers (an administrator every scheme), a page at a time, ordered by name.

use serde_json::{json, Value};

use super::address::{request, who};
use super::matrix::{cell, id_value, Cell};
use super::variants::{emit, equals, lists, variant};
use super::view::WorldView;
use crate::case::{BodyCheck, Case};
use crate::generate::context::Ctx;

/// getNotificationSchemes: every principal lists the schemes it may see.
pub fn matrix(ctx: &Ctx<'_>, index: usize) -> Vec<Cell> {
    let view = WorldView::new(ctx.fixtures);
    let mut cells = Vec::new();
    for p in &ctx.fixtures.principals {
        let visible = view.visible_schemes(p);
        let r = request(ctx, index, &[], who(p));
        let mut c = cell(
            format!("{}_sees_own_schemes", p.name),
            format!(
                "{} lists notification schemes: {} visible",
                p.name,
                visible.len()
            ),
            r,
            200,
            "only schemes of projects the caller administers are returned, ordered by name".into(),
        );
        c.checks = vec![
            BodyCheck::Lists {
                pointer: "/values".into(),
                field: "id".into(),
                values: visible.iter().map(|s| id_value(&s.id)).collect(),
            },
            BodyCheck::Equals {
                pointer: "/total".into(),
                value: json!(visible.len()),
            },
        ];
        cells.push(c);
    }
    cells
}

/// Paging and name order of the notification schemes, as the principal who sees the most.
pub fn paging(ctx: &Ctx<'_>, resource: &str, index: usize, out: &mut Vec<Case>) {
    let view = WorldView::new(ctx.fixtures);
    let Some((p, schemes)) = ctx
        .fixtures
        .principals
        .iter()
        .map(|p| (p, view.visible_schemes(p)))
        .max_by_key(|(_, s)| s.len())
    else {
        return;
    };
    if schemes.len() < 2 {
        return;
    }
    let id = |i: usize| -> Value {
        let s = &schemes[i].id;
        s.parse::<u64>().map_or_else(|_| json!(s), |n| json!(n))
    };
    let base = request(ctx, index, &[], who(p));
    let variants = vec![
        variant(
            "first_page",
            format!(
                "maxResults=1 as {} returns the first scheme by name, not the last page",
                p.name
            ),
            &[("maxResults", "1")],
            vec![
                lists("/values", "id", vec![id(0)]),
                equals("/isLast", json!(false)),
                equals("/total", json!(schemes.len())),
                BodyCheck::PageLinks {
                    start_at: 0,
                    max_results: 1,
                },
            ],
            "a page of schemes ordered by display name; isLast says whether more follow, and nextPage names the page that does",
        ),
        variant(
            "second_page",
            format!(
                "startAt=1&maxResults=1 as {} returns the second scheme by name",
                p.name
            ),
            &[("startAt", "1"), ("maxResults", "1")],
            vec![
                lists("/values", "id", vec![id(1)]),
                equals("/startAt", json!(1)),
                BodyCheck::PageLinks {
                    start_at: 1,
                    max_results: 1,
                },
            ],
            "startAt is the index of the first scheme returned",
        ),
        variant(
            "ordered_by_name",
            format!("as {} the schemes come ordered by display name", p.name),
            &[],
            vec![
                lists(
                    "/values",
                    "name",
                    schemes.iter().map(|s| json!(s.name)).collect(),
                ),
                equals("/isLast", json!(true)),
            ],
            "notification schemes are ordered by display name",
        ),
    ];
    emit(ctx, resource, index, &base, variants, out);
}
