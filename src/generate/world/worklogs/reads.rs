//! Reading worklogs: an issue's listing and one worklog, their permission matrix, lookups by
//! id, and the listing's paging and start-date filters.

use serde_json::{json, Value};

use super::jira_time::jira_millis;
use super::scratch::is_scratch_issue;
use crate::case::{BodyCheck, Case};
use crate::generate::context::{Ctx, Happy};
use crate::generate::world::address::{
    lookup, plain_happy, request, who, UNKNOWN_ID, UNKNOWN_ISSUE,
};
use crate::generate::world::matrix::{cell, yes_no, Cell};
use crate::generate::world::variants::{emit, equals, lists, variant};
use crate::generate::world::view::WorldView;

/// getIssueWorklog or getWorklog as the actor, on what it may see; nothing while time
/// tracking is off (worklogs are not served at all).
pub fn happy(ctx: &Ctx<'_>, index: usize) -> Option<Happy> {
    let (world, w, actor) = (
        WorldView::new(ctx.fixtures),
        &ctx.fixtures.world,
        &ctx.actor,
    );
    if !w.timetracking.enabled {
        return None;
    }
    if ctx.op(index).operation_id == "getIssueWorklog" {
        let i = world.readable_issue(actor)?;
        return Some(plain_happy(
            ctx,
            index,
            &[("issueIdOrKey", &i.key)],
            actor,
            200,
        ));
    }
    let l = w.worklogs.iter().find(|l| world.sees_worklog(actor, l))?;
    Some(plain_happy(
        ctx,
        index,
        &[("issueIdOrKey", &l.issue), ("id", &l.id)],
        actor,
        200,
    ))
}

/// getIssueWorklog (every principal on every issue no update changes: the worklogs it may see)
/// or getWorklog (every principal on every such worklog).
pub fn matrix(ctx: &Ctx<'_>, index: usize) -> Vec<Cell> {
    if ctx.op(index).operation_id == "getIssueWorklog" {
        listing_matrix(ctx, index)
    } else {
        worklog_matrix(ctx, index)
    }
}

fn listing_matrix(ctx: &Ctx<'_>, index: usize) -> Vec<Cell> {
    let (view, w) = (WorldView::new(ctx.fixtures), &ctx.fixtures.world);
    let mut cells = Vec::new();
    for i in w.issues.iter().filter(|i| !is_scratch_issue(ctx, &i.key)) {
        for p in &ctx.fixtures.principals {
            let ok = view.sees_issue(p, i) && w.timetracking.enabled;
            let r = request(ctx, index, &[("issueIdOrKey", &i.key)], who(p));
            let visible = view.visible_worklogs(p, i);
            let mut c = cell(
                format!("{}_on_issue_{}", p.name, i.label),
                format!(
                    "{} lists the worklogs of {}: {}",
                    p.name,
                    i.key,
                    if ok {
                        format!("{} visible", visible.len())
                    } else {
                        "404".into()
                    }
                ),
                r,
                yes_no(ok, 200, 404),
                "worklogs only where the caller may see the issue, the Log work field is shown, and any visibility restriction admits them".into(),
            );
            if ok {
                c.checks = vec![
                    BodyCheck::Lists {
                        pointer: "/worklogs".into(),
                        field: "id".into(),
                        values: visible.iter().map(|l| json!(l.id)).collect(),
                    },
                    BodyCheck::Equals {
                        pointer: "/total".into(),
                        value: json!(visible.len()),
                    },
                ];
            }
            cells.push(c);
        }
    }
    cells
}

fn worklog_matrix(ctx: &Ctx<'_>, index: usize) -> Vec<Cell> {
    let (view, w) = (WorldView::new(ctx.fixtures), &ctx.fixtures.world);
    let mut cells = Vec::new();
    for l in w
        .worklogs
        .iter()
        .filter(|l| !is_scratch_issue(ctx, &l.issue))
    {
        for p in &ctx.fixtures.principals {
            let ok = view.sees_worklog(p, l) && w.timetracking.enabled;
            let r = request(
                ctx,
                index,
                &[("issueIdOrKey", &l.issue), ("id", &l.id)],
                who(p),
            );
            cells.push(cell(
                format!("{}_on_worklog_{}", p.name, l.label),
                format!(
                    "{} reads worklog {} of {}: {}",
                    p.name,
                    l.id,
                    l.issue,
                    if ok { "visible" } else { "404" }
                ),
                r,
                yes_no(ok, 200, 404),
                "the issue must be visible and any visibility restriction must admit the caller"
                    .into(),
            ));
        }
    }
    cells
}

/// getIssueWorklog: an issue nobody has is 404; getWorklog: an id nobody has, and a worklog
/// asked for under another issue, are 404.
pub fn lookups(ctx: &Ctx<'_>, resource: &str, index: usize, out: &mut Vec<Case>) {
    let (view, w, actor) = (
        WorldView::new(ctx.fixtures),
        &ctx.fixtures.world,
        &ctx.actor,
    );
    let by = |params: &[(&str, &str)]| request(ctx, index, params, who(actor));
    let mut cases = Vec::new();
    if ctx.op(index).operation_id == "getIssueWorklog" {
        cases.push(lookup(
            "unknown_issue",
            "the worklogs of an issue nobody has are 404".into(),
            by(&[("issueIdOrKey", UNKNOWN_ISSUE)]),
            404,
            "an unknown issue is 404",
        ));
    } else if let Some(i) = view.readable_issue(actor) {
        cases.push(lookup(
            "unknown_id",
            format!("a worklog id nobody has on {} is 404", i.key),
            by(&[("issueIdOrKey", &i.key), ("id", UNKNOWN_ID)]),
            404,
            "an unknown worklog is 404",
        ));
        if let Some(l) = w
            .worklogs
            .iter()
            .find(|l| l.issue != i.key && view.sees_worklog(actor, l))
        {
            cases.push(lookup(
                "worklog_of_another_issue",
                format!(
                    "worklog {} asked for under {} (it belongs to {}) is 404",
                    l.id, i.key, l.issue
                ),
                by(&[("issueIdOrKey", &i.key), ("id", &l.id)]),
                404,
                "a worklog is found only under its own issue",
            ));
        }
    }
    out.extend(
        cases
            .into_iter()
            .filter_map(|c| c.build(ctx, resource, index)),
    );
}

/// Paging and start-date filters of the worklog listing, on an issue with two or more worklogs
/// the actor may see.
pub fn paging(ctx: &Ctx<'_>, resource: &str, index: usize, out: &mut Vec<Case>) {
    let view = WorldView::new(ctx.fixtures);
    let actor = &ctx.actor;
    if !ctx.fixtures.world.timetracking.enabled {
        return;
    }
    let Some(issue) = ctx
        .fixtures
        .world
        .issues
        .iter()
        .find(|i| view.visible_worklogs(actor, i).len() >= 2)
    else {
        return;
    };
    let logs = view.visible_worklogs(actor, issue);
    let ids = |keep: &dyn Fn(usize, Option<i64>) -> bool| -> Vec<Value> {
        logs.iter()
            .enumerate()
            .filter(|(i, l)| keep(*i, jira_millis(&l.started)))
            .map(|(_, l)| json!(l.id))
            .collect()
    };
    let base = request(ctx, index, &[("issueIdOrKey", &issue.key)], who(actor));
    let on = |text: String| format!("{text} ({})", issue.key);
    let mut variants = vec![
        variant(
            "max_results",
            on("maxResults=1 returns one worklog and the full total".into()),
            &[("maxResults", "1")],
            vec![
                lists("/worklogs", "id", ids(&|i, _| i == 0)),
                equals("/maxResults", json!(1)),
                equals("/total", json!(logs.len())),
            ],
            "maxResults is the most worklogs a page holds; total counts them all",
        ),
        variant(
            "start_at",
            on("startAt=1 skips the first worklog".into()),
            &[("startAt", "1")],
            vec![
                lists("/worklogs", "id", ids(&|i, _| i >= 1)),
                equals("/startAt", json!(1)),
            ],
            "startAt is the index of the first worklog returned",
        ),
    ];
    let starts: Vec<Option<i64>> = logs.iter().map(|l| jira_millis(&l.started)).collect();
    if let (Some(Some(a)), Some(Some(b))) = (starts.first(), starts.get(1)) {
        if a < b {
            // Midway between two starts, so inclusive and exclusive readings agree.
            let mid = a + (b - a) / 2;
            let at = mid.to_string();
            variants.push(variant(
                "started_after",
                on(format!(
                    "startedAfter={mid} returns the worklogs started later"
                )),
                &[("startedAfter", &at)],
                vec![lists(
                    "/worklogs",
                    "id",
                    ids(&|_, s| s.is_some_and(|s| s > mid)),
                )],
                "startedAfter returns worklogs started after the time given",
            ));
            variants.push(variant(
                "started_before",
                on(format!(
                    "startedBefore={mid} returns the worklogs started earlier"
                )),
                &[("startedBefore", &at)],
                vec![lists(
                    "/worklogs",
                    "id",
                    ids(&|_, s| s.is_some_and(|s| s < mid)),
                )],
                "startedBefore returns worklogs started before the time given",
            ));
        }
    }
    emit(ctx, resource, index, &base, variants, out);
}
