//! Access to Jira: for plain operations whose prose says any user with access to Jira may call
//! them, every principal succeeds, anonymous and invalid credentials get 401.

use serde_json::json;

use crate::case::{Actor, BodyCheck, Case, Expectation, Family, StatusExpectation};
use crate::fixtures::Principal;
use crate::generate::context::{
    CaseBuilder, Ctx, Place, NEEDS_ADMIN, NEEDS_SECOND_USER, NEEDS_USER,
};
use crate::generate::happy::happy;
use crate::generate::scratch;
use crate::spec::prose::Grant;

/// For plain operations whose prose says any user with access to Jira may call them: every
/// principal succeeds, anonymous and invalid credentials get 401.
pub fn access_jira(ctx: &Ctx<'_>, resource: &str, index: usize, out: &mut Vec<Case>) {
    let op = ctx.op(index);
    let rule = ctx.permissions(index);
    let Some(grant) = rule.grant(Grant::AccessJira) else {
        return;
    };
    let Some(h) = happy(ctx, index, Place::Plain, "perm") else {
        return;
    };
    let actors: [(&str, Option<&Principal>, &str); 3] = [
        ("admin", ctx.roles.admin, NEEDS_ADMIN),
        ("user", ctx.roles.user, NEEDS_USER),
        ("other_user", ctx.roles.other, NEEDS_SECOND_USER),
    ];
    for (name, who, why) in actors {
        let mut request = h.request.clone();
        request.actor = Actor::Principal(who.map_or("missing".into(), |p| p.name.clone()));
        let checks = match (op.operation_id.as_str(), who) {
            // The current user is the caller: the one place the generator knows the answer's id.
            ("getCurrentUser", Some(p)) => vec![BodyCheck::Equals {
                pointer: "/accountId".into(),
                value: json!(p.account_id),
            }],
            _ => Vec::new(),
        };
        let mut b = CaseBuilder::new(
            ctx,
            resource,
            op,
            Family::Permissions,
            name,
            format!("{} {} as {name}: allowed", op.method, ctx.shown_path(index)),
        )
        .check(
            format!("{} as {}", op.method, request.actor),
            request,
            Some(ctx.op_ref(index)),
            Expectation {
                status: StatusExpectation::Exact(h.status),
                body: checks,
                allow: None,
                provenance: grant.clone(),
            },
        );
        if who.is_none() {
            b = b.skip(why);
        }
        out.push(b.build());
    }
    for actor in [Actor::Anonymous, Actor::InvalidCredentials] {
        let Some(expect) = ctx.expect_documented(index, 401) else {
            continue;
        };
        let mut request = h.request.clone();
        request.actor = actor.clone();
        let name = if actor == Actor::Anonymous {
            "anonymous"
        } else {
            "invalid_credentials"
        };
        // A write the run cannot undo is listed, not sent: a target that wrongly accepted it
        // would change the site.
        let skip =
            (!scratch::acts_on_scratch(ctx, &request, &h.cleanup)).then_some(scratch::NO_SCRATCH);
        let mut b = CaseBuilder::new(
            ctx,
            resource,
            op,
            Family::Permissions,
            name,
            format!("{} {} as {name}: refused", op.method, ctx.shown_path(index)),
        )
        .check(
            format!("{} as {actor}", op.method),
            request,
            Some(ctx.op_ref(index)),
            expect,
        );
        for c in &h.cleanup {
            b = b.cleanup(c.clone());
        }
        out.push(b.skip_if(skip).build());
    }
}
