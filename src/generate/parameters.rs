//! Parameters: documented query parameters do what the documentation says. Field selection and
//! expansion on getIssue; paging and start-date filters on the worklog listing; paging and
//! name order on the notification-scheme listing. Expected pages come from the fixtures' world.

use serde_json::{json, Value};

use super::context::Ctx;
use super::world::{jira_millis, WorldView};
use super::world_ops::{request, who, OneStep};
use crate::case::{BodyCheck, Case, Family};

fn present(p: &str) -> BodyCheck {
    BodyCheck::Present { pointer: p.into() }
}

fn absent(p: &str) -> BodyCheck {
    BodyCheck::Absent { pointer: p.into() }
}

fn has_param(ctx: &Ctx<'_>, index: usize, name: &str) -> bool {
    ctx.op(index)
        .parameters
        .iter()
        .any(|p| p.name == name && p.location == crate::spec::ParamLocation::Query)
}

/// One parameter case: a query on the base request and what the answer must show.
struct Variant {
    name: &'static str,
    summary: String,
    query: Vec<(String, String)>,
    checks: Vec<BodyCheck>,
    rule: &'static str,
}

fn variant(
    name: &'static str,
    summary: impl Into<String>,
    query: &[(&str, &str)],
    checks: Vec<BodyCheck>,
    rule: &'static str,
) -> Variant {
    Variant {
        name,
        summary: summary.into(),
        query: query
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect(),
        checks,
        rule,
    }
}

/// The cases of `variants` on `base`, skipping those whose parameters the operation lacks.
fn emit(
    ctx: &Ctx<'_>,
    resource: &str,
    index: usize,
    base: &crate::case::Request,
    variants: Vec<Variant>,
    out: &mut Vec<Case>,
) {
    for v in variants {
        if v.query.iter().any(|(k, _)| !has_param(ctx, index, k)) {
            continue;
        }
        let mut r = base.clone();
        r.query = v.query;
        out.extend(
            OneStep {
                family: Family::Parameters,
                name: v.name,
                summary: v.summary,
                request: r,
                status: 200,
                checks: v.checks,
                rule: v.rule,
                cleanup: Vec::new(),
            }
            .build(ctx, resource, index),
        );
    }
}

/// The parameter cases of the operation at `index`, where it is one the generator knows.
pub fn world(ctx: &Ctx<'_>, resource: &str, index: usize, out: &mut Vec<Case>) {
    let op = ctx.op(index);
    let view = WorldView::new(ctx.fixtures);
    let actor = &ctx.actor;
    match op.operation_id.as_str() {
        "getIssue" => {
            let Some(issue) = view.readable_issue(actor) else {
                return;
            };
            let base = request(ctx, index, &[("issueIdOrKey", &issue.key)], who(actor));
            let on = |text: &str| format!("{text} ({})", issue.key);
            let variants = vec![
                variant(
                    "fields_one",
                    on("fields=summary returns summary and nothing else"),
                    &[("fields", "summary")],
                    vec![present("/fields/summary"), absent("/fields/project")],
                    "fields lists the fields to return",
                ),
                variant(
                    "fields_excluded",
                    on("fields=-summary returns every field but summary"),
                    &[("fields", "-summary")],
                    vec![absent("/fields/summary"), present("/fields/project")],
                    "a field prefixed with a minus is excluded",
                ),
                variant(
                    "fields_all_but_one",
                    on("fields=*all,-project returns every field but project"),
                    &[("fields", "*all,-project")],
                    vec![present("/fields/summary"), absent("/fields/project")],
                    "*all returns all fields; a minus excludes one",
                ),
                variant(
                    "fields_repeated",
                    on("fields given twice returns the fields of both"),
                    &[("fields", "summary"), ("fields", "project")],
                    vec![
                        present("/fields/summary"),
                        present("/fields/project"),
                        absent("/fields/status"),
                    ],
                    "fields can be given more than once",
                ),
                variant(
                    "fields_navigable",
                    on("fields=*navigable returns the navigable fields"),
                    &[("fields", "*navigable")],
                    vec![present("/fields/summary"), present("/fields/project")],
                    "*navigable returns the navigable fields",
                ),
                variant(
                    "expand_rendered_fields",
                    on("expand=renderedFields adds the rendered fields"),
                    &[("expand", "renderedFields")],
                    vec![present("/renderedFields")],
                    "expand=renderedFields returns field values rendered in HTML",
                ),
                variant(
                    "expand_names",
                    on("expand=names adds the field names"),
                    &[("expand", "names")],
                    vec![present("/names")],
                    "expand=names returns the display name of each field",
                ),
                variant(
                    "no_expand",
                    on("without expand there are no rendered fields or names"),
                    &[],
                    vec![absent("/renderedFields"), absent("/names")],
                    "expansions are returned only when asked for",
                ),
            ];
            emit(ctx, resource, index, &base, variants, out);
        }
        "getIssueWorklog" => worklog_paging(ctx, resource, index, out),
        "getNotificationSchemes" => scheme_paging(ctx, resource, index, out),
        _ => {}
    }
}

fn lists(pointer: &str, field: &str, values: Vec<Value>) -> BodyCheck {
    BodyCheck::Lists {
        pointer: pointer.into(),
        field: field.into(),
        values,
    }
}

fn equals(pointer: &str, value: Value) -> BodyCheck {
    BodyCheck::Equals {
        pointer: pointer.into(),
        value,
    }
}

/// Paging and start-date filters of the worklog listing, on an issue with two or more worklogs
/// the actor may see.
fn worklog_paging(ctx: &Ctx<'_>, resource: &str, index: usize, out: &mut Vec<Case>) {
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

/// Paging and name order of the notification schemes, as the principal who sees the most.
fn scheme_paging(ctx: &Ctx<'_>, resource: &str, index: usize, out: &mut Vec<Case>) {
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
