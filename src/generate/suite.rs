//! The whole generation pass: every family for every operation it applies to, per API version,
//! in a stable order with unique ids.

use std::collections::{BTreeMap, BTreeSet};

use super::context::Ctx;
use super::entity_property::{find_groups, EntityPropertyGroup};
use super::families::{
    keys, limits, methods, observations, parameters, permissions, roundtrip, schema,
};
use super::rules::Rules;
use super::world;
use crate::case::{Api, Case, Family};
use crate::fixtures::Fixtures;
use crate::spec::Spec;

/// A generation bug: two cases with one id would make snapshots and filters ambiguous.
#[derive(Debug, thiserror::Error)]
#[error("two generated cases share the id {id}; this is a bug in jira-conform, please report it")]
pub struct GenerateError {
    /// The duplicated id.
    pub id: String,
}

/// Something the generator could not build for an operation, and why.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, serde::Serialize)]
pub struct Gap {
    /// The operation.
    pub operation_id: String,
    /// The family left without cases; `None` for the happy path, which most families start
    /// from (methods, keys, schema, limits, parameters).
    pub family: Option<Family>,
    /// Why, naming what the fixtures or the spec lack, e.g. ``no fixture for `{reactionId}` ``.
    pub reason: String,
}

/// The cases and the gaps of one generation pass.
#[derive(Debug, Clone)]
pub struct Generated {
    /// Every case, sorted by id.
    pub cases: Vec<Case>,
    /// What could not be built and why, sorted and without repeats (the API versions share
    /// their reasons).
    pub gaps: Vec<Gap>,
}

/// Every case for `spec` and `fixtures` under the given API versions, sorted by id.
pub fn generate(
    spec: &Spec,
    fixtures: &Fixtures,
    apis: &[Api],
) -> Result<Vec<Case>, GenerateError> {
    generate_with_gaps(spec, fixtures, apis).map(|g| g.cases)
}

/// Every case, and every gap with its reason, for `spec` and `fixtures` under the given API
/// versions. Operations outside `/rest/api/2|3` (the agile API, Connect and Forge paths) have
/// no API version: they are generated once, with the last version asked for.
pub fn generate_with_gaps(
    spec: &Spec,
    fixtures: &Fixtures,
    apis: &[Api],
) -> Result<Generated, GenerateError> {
    let groups = find_groups(spec);
    let rules = Rules::read(spec, fixtures, &groups);
    let mut cases = Vec::new();
    // Keyed as `Gap` orders (operation id, family, reason), the id borrowed: the API versions
    // repeat each other's gaps, and a clone per repeat showed in the profile.
    let mut gaps: BTreeSet<(&str, Option<Family>, String)> = BTreeSet::new();
    for (pass, &api) in apis.iter().enumerate() {
        let ctx = Ctx::new(spec, fixtures, api, &rules);
        let mut grouped = BTreeSet::new();
        for group in &groups {
            if world::own_subject(&ctx, group, &ctx.actor).is_none() {
                let why = world::owner_params(&ctx, group, &ctx.actor)
                    .err()
                    .unwrap_or_else(|| "no entity in the fixtures that the caller owns".into());
                for index in group.operations() {
                    ctx.gap(index, None, why.clone());
                }
            }
            grouped.extend(group.operations());
            for_group(&ctx, group, &mut cases);
        }
        let mut by_path: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
        for (index, op) in spec.operations.iter().enumerate() {
            if grouped.contains(&index)
                || (op.api_relative_path().is_none() && pass + 1 < apis.len())
            {
                continue;
            }
            by_path.entry(op.path.as_str()).or_default().push(index);
            for_operation(&ctx, &rules.of(index).resource, index, &mut cases);
        }
        for ops in by_path.values() {
            let resource = &rules.of(ops[0]).resource;
            methods::path(&ctx, resource, ops, &mut cases);
        }
        for (index, family, reason) in ctx.gaps.take() {
            gaps.insert((&spec.operations[index].operation_id, family, reason));
        }
    }
    let mut cases = sorted_by_id(cases);
    world::sweep_created_roles(&mut cases);
    if let Some(pair) = cases.windows(2).find(|w| w[0].id == w[1].id) {
        return Err(GenerateError {
            id: pair[0].id.clone(),
        });
    }
    Ok(Generated {
        cases,
        gaps: gaps
            .into_iter()
            .map(|(operation_id, family, reason)| Gap {
                operation_id: operation_id.to_string(),
                family,
                reason,
            })
            .collect(),
    })
}

/// Every family's cases for an entity-property group.
fn for_group(ctx: &Ctx<'_>, group: &EntityPropertyGroup, cases: &mut Vec<Case>) {
    methods::group(ctx, group, cases);
    limits::group(ctx, group, cases);
    permissions::group(ctx, group, cases);
    keys::group(ctx, group, cases);
    schema::group(ctx, group, cases);
    roundtrip::group(ctx, group, cases);
    observations::group(ctx, group, cases);
}

/// Every family's cases for a plain operation.
fn for_operation(ctx: &Ctx<'_>, resource: &str, index: usize, cases: &mut Vec<Case>) {
    methods::operation(ctx, resource, index, cases);
    limits::operation(ctx, resource, index, cases);
    permissions::operation(ctx, resource, index, cases);
    keys::operation(ctx, resource, index, cases);
    schema::operation(ctx, resource, index, cases);
    roundtrip::operation(ctx, resource, index, cases);
    parameters::operation(ctx, resource, index, cases);
    observations::operation(ctx, resource, index, cases);
}

/// The cases in id order (a stable sort). Sorting the cases themselves moves each one, a few
/// hundred bytes, about log n times; this sorts their ids, then moves each case at most once
/// more, in place.
fn sorted_by_id(mut cases: Vec<Case>) -> Vec<Case> {
    let mut order: Vec<(&str, usize)> = cases
        .iter()
        .enumerate()
        .map(|(i, c)| (c.id.as_str(), i))
        .collect();
    order.sort_by(|a, b| a.0.cmp(b.0));
    // Where each case goes.
    let mut to = vec![0; order.len()];
    for (place, (_, from)) in order.into_iter().enumerate() {
        to[from] = place;
    }
    // Each swap puts the case at `i` where it goes, until the one that belongs at `i` is there.
    for i in 0..cases.len() {
        while to[i] != i {
            let j = to[i];
            cases.swap(i, j);
            to.swap(i, j);
        }
    }
    cases
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::case::Family;

    fn embedded_cases() -> Vec<Case> {
        let spec = crate::spec::embedded().unwrap();
        let fixtures = Fixtures::embedded().unwrap();
        generate(&spec, &fixtures, &Api::ALL).unwrap()
    }

    #[test]
    fn cases_are_put_in_id_order_in_place() {
        let mut cases = embedded_cases();
        // Interleave the two halves backwards: every case moves, in long and short cycles.
        cases.reverse();
        let half = cases.len() / 2;
        let (a, b) = cases.split_at(half);
        let mixed: Vec<Case> = a
            .iter()
            .zip(b)
            .flat_map(|(x, y)| [y.clone(), x.clone()])
            .chain(b[a.len()..].iter().cloned())
            .collect();
        let mut expected = mixed.clone();
        expected.sort_by(|a, b| a.id.cmp(&b.id));
        let ids = |cases: &[Case]| cases.iter().map(|c| c.id.clone()).collect::<Vec<_>>();
        assert_eq!(ids(&sorted_by_id(mixed)), ids(&expected));
    }

    #[test]
    fn generation_is_deterministic() {
        let a: Vec<String> = embedded_cases().into_iter().map(|c| c.id).collect();
        let b: Vec<String> = embedded_cases().into_iter().map(|c| c.id).collect();
        assert_eq!(a, b);
    }

    #[test]
    fn every_family_is_generated_for_user_properties_on_both_versions() {
        let cases = embedded_cases();
        for api in Api::ALL {
            // Parameters are query parameters of the world's listings; user properties have none.
            for family in Family::ALL.into_iter().filter(|f| *f != Family::Parameters) {
                assert!(
                    cases.iter().any(|c| c.api == api
                        && c.family == family
                        && c.resource == "user_properties"),
                    "no {family} case for {api}"
                );
            }
        }
    }

    #[test]
    fn every_resource_of_the_brief_has_cases_on_both_versions() {
        let cases = embedded_cases();
        let expected: [(&str, &[Family]); 10] = [
            ("user_properties", &Family::ALL),
            (
                "myself",
                &[
                    Family::Methods,
                    Family::Permissions,
                    Family::Keys,
                    Family::Schema,
                ],
            ),
            (
                "issue_attachments",
                &[
                    Family::Methods,
                    Family::Permissions,
                    Family::Keys,
                    Family::Schema,
                ],
            ),
            (
                "time_tracking",
                &[Family::Methods, Family::Permissions, Family::Schema],
            ),
            (
                "dashboards",
                &[
                    Family::Methods,
                    Family::Permissions,
                    Family::Keys,
                    Family::Schema,
                ],
            ),
            (
                "dashboard_item_properties",
                &[
                    Family::Methods,
                    Family::Limits,
                    Family::Permissions,
                    Family::Keys,
                    Family::Schema,
                    Family::Roundtrip,
                ],
            ),
            (
                "issues",
                &[
                    Family::Methods,
                    Family::Permissions,
                    Family::Keys,
                    Family::Schema,
                    Family::Parameters,
                ],
            ),
            (
                "issue_worklogs",
                &[
                    Family::Methods,
                    Family::Limits,
                    Family::Permissions,
                    Family::Keys,
                    Family::Schema,
                    Family::Roundtrip,
                    Family::Parameters,
                ],
            ),
            (
                "issue_notification_schemes",
                &[
                    Family::Methods,
                    Family::Permissions,
                    Family::Schema,
                    Family::Parameters,
                ],
            ),
            (
                "project_roles",
                &[
                    Family::Methods,
                    Family::Limits,
                    Family::Permissions,
                    Family::Keys,
                    Family::Schema,
                    Family::Roundtrip,
                ],
            ),
        ];
        for api in Api::ALL {
            for (resource, families) in expected {
                for family in families
                    .iter()
                    .filter(|f| **f != Family::Parameters || resource != "user_properties")
                {
                    assert!(
                        cases
                            .iter()
                            .any(|c| c.api == api && c.resource == resource && c.family == *family),
                        "no {family} case for {resource} on {api}"
                    );
                }
            }
        }
    }

    #[test]
    fn the_issue_example_id_exists() {
        let cases = embedded_cases();
        assert!(cases
            .iter()
            .any(|c| c.id == "v3::user_properties::setUserProperty::limits::value_32769_bytes"));
        assert!(cases
            .iter()
            .any(|c| c.id == "v2::user_properties::setUserProperty::methods::post_refused"));
    }

    #[test]
    fn one_user_only_skips_what_needs_a_second_user() {
        let spec = crate::spec::embedded().unwrap();
        let small = "profile = \"p\"\n[principals.admin]\naccount_id = \"a\"\nadmin = true\nemail = \"a@x\"\ntoken = \"t\"\n[principals.alice]\naccount_id = \"b\"\nemail = \"b@x\"\ntoken = \"t\"\n";
        let fixtures = Fixtures::parse(small, "small.toml", &|_| None).unwrap();
        let cases = generate(&spec, &fixtures, &[Api::V3]).unwrap();
        // Negative writes on entities the run cannot create are skipped whatever the principals.
        let skipped: Vec<&Case> = cases
            .iter()
            .filter(|c| {
                c.skip.is_some() && c.skip.as_deref() != Some(super::super::scratch::NO_SCRATCH)
            })
            .collect();
        assert!(!skipped.is_empty());
        assert!(
            skipped
                .iter()
                .all(|c| c.skip.as_deref() == Some(super::super::context::NEEDS_SECOND_USER)),
            "{:?}",
            skipped.iter().map(|c| (&c.id, &c.skip)).collect::<Vec<_>>()
        );
        assert!(skipped
            .iter()
            .any(|c| c.id.ends_with("permissions::user_on_other_user")));
    }
}
