//! Methods: each documented method works for an allowed principal; each undocumented one on a
//! documented path is refused with 405 and an `Allow` header (RFC 9110 §15.5.6).

use serde_json::json;

use crate::case::{Body, Case, Expectation, Family, Provenance, StatusExpectation};
use crate::generate::context::Place;
use crate::generate::context::{CaseBuilder, Ctx};
use crate::generate::entity_property::EntityPropertyGroup;
use crate::generate::happy::happy;

/// Methods a client may plausibly send by mistake (the forum thread's POST-for-PUT among them).
const PROBED: [&str; 5] = ["GET", "PUT", "POST", "DELETE", "PATCH"];

/// `documented_<method>` for the operation at `index`.
pub fn documented(
    ctx: &Ctx<'_>,
    resource: &str,
    index: usize,
    place: Place<'_>,
    out: &mut Vec<Case>,
) {
    let op = ctx.op(index);
    let Some(h) = happy(ctx, index, place, "methods") else {
        return;
    };
    let h = h.into_owned();
    let Some(mut expect) = ctx.expect_documented(index, h.status) else {
        return;
    };
    expect.body = h.checks;
    let name = format!("documented_{}", op.method.to_ascii_lowercase());
    let mut b = CaseBuilder::new(
        ctx,
        resource,
        op,
        Family::Methods,
        &name,
        format!(
            "{} {} succeeds for an allowed principal",
            op.method,
            ctx.shown_path(index)
        ),
    );
    for s in h.setup {
        b = b.step(s);
    }
    b = b.check(
        format!("{} as {}", op.method, h.request.actor),
        h.request,
        Some(ctx.op_ref(index)),
        expect,
    );
    for c in h.cleanup {
        b = b.cleanup(c);
    }
    if let Some(reason) = h.skip {
        b = b.skip(reason);
    }
    out.push(b.build());
}

/// `<method>_refused` for every probed method the path does not document. `ops` are the
/// operations on the path; the first with a happy path gives the concrete URL.
pub fn refused(
    ctx: &Ctx<'_>,
    resource: &str,
    ops: &[usize],
    place: Place<'_>,
    out: &mut Vec<Case>,
) {
    let Some(&first) = ops.first() else { return };
    let path = &ctx.op(first).path;
    let Some(documented) = ctx.spec.methods_by_path.get(path) else {
        return;
    };
    let Some((first_index, first_h)) = ops
        .iter()
        .find_map(|&i| happy(ctx, i, place, "refused").map(|h| (i, h)))
    else {
        return;
    };
    // A write method sent by mistake (POST or PATCH for PUT) belongs with the documented write.
    // Cases are named after an operation chosen by the path's methods alone, never by which
    // operation the fixtures can reach, so the ids stay put when the fixtures or a sibling
    // operation change.
    let put = ops.iter().copied().find(|&i| ctx.op(i).method == "PUT");
    let read = ops.iter().copied().find(|&i| ctx.op(i).method == "GET");
    let write = put.and_then(|i| happy(ctx, i, place, "refused").map(|h| (i, h)));
    let pointer = format!("/paths/{}", crate::spec::escape_token(path));
    // The concrete URL may also fill another documented template (`/dashboard/gadgets` is
    // `/dashboard/{id}` for id `gadgets`): a method counts as undocumented only when no
    // template matching the URL documents it. The Allow header still lists the methods of the
    // literal template, the resource that answers the URL.
    let concrete = first_h
        .request
        .path
        .strip_prefix(ctx.api.prefix())
        .unwrap_or(&first_h.request.path);
    let also = other_templates(ctx.spec, path, concrete);
    let mut allowed = documented.clone();
    for (_, methods) in &also {
        allowed.extend(methods.iter().cloned());
    }
    allowed.sort();
    allowed.dedup();
    // The same for every refused method of the path.
    let rule = if also.is_empty() {
        format!(
            "{path} documents only {}; any other method is refused with 405 and an Allow header (RFC 9110 §15.5.6)",
            documented.join(", ")
        )
    } else {
        let others: Vec<&str> = also.iter().map(|(t, _)| t.as_str()).collect();
        format!(
            "{path} documents only {} (and {}, matching the same URL, only {}); any other method is refused with 405 and an Allow header (RFC 9110 §15.5.6)",
            documented.join(", "),
            others.join(", "),
            allowed.join(", ")
        )
    };
    for method in PROBED.iter().filter(|m| !allowed.iter().any(|d| d == *m)) {
        let (index, h) = match (&write, *method) {
            (Some((i, h)), "POST" | "PATCH") => (*i, h),
            _ => (first_index, &first_h),
        };
        let named = match (put, *method) {
            (Some(i), "POST" | "PATCH") => i,
            _ => read.unwrap_or(first),
        };
        let owner = ctx.op(named);
        let mut request = h.request.clone();
        request.method = (*method).to_string();
        request.body = if matches!(*method, "PUT" | "POST" | "PATCH") {
            Body::Json(json!({"probe": true}))
        } else {
            Body::None
        };
        let expect = Expectation {
            status: StatusExpectation::Exact(405),
            body: Vec::new(),
            allow: Some(documented.clone()),
            provenance: Provenance::Spec {
                file: ctx.spec.source.clone(),
                pointer: pointer.clone(),
                text: rule.clone(),
            },
        };
        let name = format!("{}_refused", method.to_ascii_lowercase());
        let mut b = CaseBuilder::new(
            ctx,
            resource,
            owner,
            Family::Methods,
            &name,
            format!(
                "{method} {} is not documented and must be refused",
                ctx.shown_path(index)
            ),
        );
        b = b.check(
            format!("{method} as {}", request.actor),
            request,
            None,
            expect,
        );
        // A target that wrongly accepts the method may have stored something: remove it.
        for c in &h.cleanup {
            b = b.cleanup(c.clone());
        }
        if let Some(reason) = h.skip {
            b = b.skip(reason);
        }
        out.push(b.build());
    }
}

/// The documented templates other than `own` that a concrete API-relative path (`/dashboard/gadgets`)
/// also fills, with the methods each documents. A `{param}` segment matches any one segment.
pub fn other_templates(
    spec: &crate::spec::Spec,
    own: &str,
    concrete: &str,
) -> Vec<(String, Vec<String>)> {
    // Borrowed, not copied: this runs for every path against every template of the spec.
    fn relative(template: &str) -> &str {
        ["/rest/api/3", "/rest/api/2"]
            .iter()
            .find_map(|p| template.strip_prefix(p))
            .unwrap_or(template)
    }
    let own = relative(own);
    let concrete: Vec<&str> = concrete.split('/').collect();
    spec.methods_by_path
        .iter()
        .filter(|(template, _)| {
            let rel = relative(template);
            // The same template under the other API version is not another template.
            if rel == own {
                return false;
            }
            // As many segments as the URL, each the same or a parameter filled by a segment.
            let mut segments = rel.split('/');
            let fits = concrete.iter().all(|c| {
                segments.next().is_some_and(|t| {
                    let param = t.starts_with('{') && t.ends_with('}');
                    (param && !c.is_empty()) || t == *c
                })
            });
            fits && segments.next().is_none()
        })
        .map(|(template, methods)| (template.clone(), methods.clone()))
        .collect()
}

/// The methods cases of an entity-property group: each documented method works, and the
/// methods the listing path and the key path do not document are refused.
pub fn group(ctx: &Ctx<'_>, group: &EntityPropertyGroup, out: &mut Vec<Case>) {
    let place = Place::Property(group);
    for index in group.operations() {
        documented(ctx, &group.resource, index, place, out);
    }
    let listing: Vec<usize> = group.keys.into_iter().collect();
    refused(ctx, &group.resource, &listing, place, out);
    let item: Vec<usize> = [group.get, group.set, group.delete]
        .into_iter()
        .flatten()
        .collect();
    refused(ctx, &group.resource, &item, place, out);
}

/// The documented method of a plain operation works.
pub fn operation(ctx: &Ctx<'_>, resource: &str, index: usize, out: &mut Vec<Case>) {
    documented(ctx, resource, index, Place::Plain, out);
}

/// The methods a path of plain operations (`ops`, all on one path) does not document are
/// refused.
pub fn path(ctx: &Ctx<'_>, resource: &str, ops: &[usize], out: &mut Vec<Case>) {
    refused(ctx, resource, ops, Place::Plain, out);
}
