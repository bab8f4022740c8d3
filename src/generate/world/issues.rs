//! Issues (`mock/issues.rs`): visible to those who may browse the project and pass the issue's
//! security level; named by id or by key (in any case); fields and expansions on request.

use serde_json::json;

use super::address::{lookup, plain_happy, request, who, OneStep, UNKNOWN_ISSUE};
use super::matrix::{cell, yes_no, Cell};
use super::variants::{absent, emit, present, variant, Variant};
use super::view::WorldView;
use super::worklogs::is_scratch_issue;
use crate::case::{BodyCheck, Case};
use crate::fixtures::Issue;
use crate::generate::context::{Ctx, Happy};

/// getIssue as the actor, on the first issue it may read.
pub fn happy(ctx: &Ctx<'_>, index: usize) -> Option<Happy> {
    let i = WorldView::new(ctx.fixtures).readable_issue(&ctx.actor)?;
    Some(plain_happy(
        ctx,
        index,
        &[("issueIdOrKey", &i.key)],
        &ctx.actor,
        200,
    ))
}

/// getIssue: every principal on every issue whose worklogs no update case changes.
pub fn matrix(ctx: &Ctx<'_>, index: usize) -> Vec<Cell> {
    let view = WorldView::new(ctx.fixtures);
    let mut cells = Vec::new();
    let issues = ctx.fixtures.world.issues.iter();
    for i in issues.filter(|i| !is_scratch_issue(ctx, &i.key)) {
        for p in &ctx.fixtures.principals {
            let ok = view.sees_issue(p, i);
            let r = request(ctx, index, &[("issueIdOrKey", &i.key)], who(p));
            cells.push(cell(
                format!("{}_on_issue_{}", p.name, i.label),
                format!(
                    "{} reads {}: {}",
                    p.name,
                    i.key,
                    if ok { "visible" } else { "404" }
                ),
                r,
                yes_no(ok, 200, 404),
                "Browse projects for the issue's project, and issue-level security where set"
                    .into(),
            ));
        }
    }
    cells
}

/// getIssue: found by id, by key and by key in lower case; an issue nobody has is 404.
pub fn lookups(ctx: &Ctx<'_>, resource: &str, index: usize, out: &mut Vec<Case>) {
    let actor = &ctx.actor;
    let by = |params: &[(&str, &str)]| request(ctx, index, params, who(actor));
    let mut cases = Vec::new();
    if let Some(i) = WorldView::new(ctx.fixtures).readable_issue(actor) {
        let key_is = || vec![equals_key(i)];
        let rule = "the issue is named by id or key";
        cases.push(OneStep {
            checks: key_is(),
            ..lookup(
                "by_id",
                format!("{} found by its id {}", i.key, i.id),
                by(&[("issueIdOrKey", &i.id)]),
                200,
                rule,
            )
        });
        cases.push(OneStep {
            checks: vec![BodyCheck::Equals {
                pointer: "/id".into(),
                value: json!(i.id),
            }],
            ..lookup(
                "by_key",
                format!("{} found by its key", i.key),
                by(&[("issueIdOrKey", &i.key)]),
                200,
                rule,
            )
        });
        let lower = i.key.to_lowercase();
        if lower != i.key {
            cases.push(OneStep {
                checks: key_is(),
                ..lookup(
                    "key_lower_case",
                    format!("{} found by its key in lower case ({lower})", i.key),
                    by(&[("issueIdOrKey", &lower)]),
                    200,
                    "issue keys are matched case-insensitively",
                )
            });
        }
    }
    cases.push(lookup(
        "unknown_issue",
        "an issue nobody has is 404".into(),
        by(&[("issueIdOrKey", UNKNOWN_ISSUE)]),
        404,
        "an unknown issue is 404",
    ));
    out.extend(
        cases
            .into_iter()
            .filter_map(|c| c.build(ctx, resource, index)),
    );
}

/// The answer names issue `i` by its key.
fn equals_key(i: &Issue) -> BodyCheck {
    BodyCheck::Equals {
        pointer: "/key".into(),
        value: json!(i.key),
    }
}

/// getIssue: field selection and expansion, on the first issue the actor may read.
pub fn parameters(ctx: &Ctx<'_>, resource: &str, index: usize, out: &mut Vec<Case>) {
    let actor = &ctx.actor;
    let Some(issue) = WorldView::new(ctx.fixtures).readable_issue(actor) else {
        return;
    };
    let base = request(ctx, index, &[("issueIdOrKey", &issue.key)], who(actor));
    let on = |text: &str| format!("{text} ({})", issue.key);
    let mut variants = field_variants(&on);
    variants.extend(expand_variants(&on));
    emit(ctx, resource, index, &base, variants, out);
}

/// `fields`: one field, all but one, repeated, the navigable ones.
fn field_variants(on: &dyn Fn(&str) -> String) -> Vec<Variant> {
    vec![
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
    ]
}

/// `expand`: rendered fields, names, and neither when not asked.
fn expand_variants(on: &dyn Fn(&str) -> String) -> Vec<Variant> {
    vec![
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
    ]
}
