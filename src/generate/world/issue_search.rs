//! Issue search (`mock/issue_search.rs`): the issues a bounded JQL query finds, as the caller
//! may see them, with the fields asked for and without those excluded.

use super::address::{request, who};
use super::variants::{absent, emit, present, variant};
use super::view::WorldView;
use crate::case::Case;
use crate::generate::context::Ctx;

/// searchAndReconsileIssuesUsingJql: field selection and exclusion on the first issue the
/// actor may read, found by its key (a bounded query, as the documentation asks).
pub fn parameters(ctx: &Ctx<'_>, resource: &str, index: usize, out: &mut Vec<Case>) {
    let actor = &ctx.actor;
    let Some(issue) = WorldView::new(ctx.fixtures).readable_issue(actor) else {
        return;
    };
    let base = request(ctx, index, &[], who(actor));
    let jql = format!("key = {}", issue.key);
    let on = |text: &str| format!("{text} ({jql})");
    let variants = vec![
        variant(
            "fields_one",
            on("fields=summary returns summary and nothing else"),
            &[("jql", &jql), ("fields", "summary")],
            vec![
                present("/issues/0/fields/summary"),
                absent("/issues/0/fields/project"),
            ],
            "fields lists the fields to return for each issue",
        ),
        variant(
            "fields_excluded",
            on("fields=*all,-summary returns every field but summary"),
            &[("jql", &jql), ("fields", "*all,-summary")],
            vec![
                absent("/issues/0/fields/summary"),
                present("/issues/0/fields/project"),
            ],
            "any issue field, prefixed with a minus to exclude; `*all,-comment` returns all fields except comments",
        ),
        variant(
            "fields_navigable_excluded",
            on("fields=*navigable,-project returns the navigable fields but project"),
            &[("jql", &jql), ("fields", "*navigable,-project")],
            vec![
                present("/issues/0/fields/summary"),
                absent("/issues/0/fields/project"),
            ],
            "`*navigable` returns navigable fields; a field prefixed with a minus is excluded",
        ),
    ];
    emit(ctx, resource, index, &base, variants, out);
}
