//! The rules step, run once per generation pass before any family: for each operation, what
//! the spec and the fixtures say about it, read once and shared by the API versions. The
//! documented statuses (and which one a successful call answers), the permission rule from the
//! "Permissions required" prose and anonymous access, the resource it belongs to, and,
//! for the operations of entity-property groups, the limits the families probe (with the
//! fixtures' overrides, `[rules]`, before the prose) and the other prose rules they test (a
//! missing property's 404, case-sensitive path parameters).

use crate::case::Provenance;
use crate::fixtures::Fixtures;
use crate::spec::prose::{self, PermissionRule, Sourced};
use crate::spec::prose_rules::{
    case_sensitive_params, delete_missing_404, key_limit_in_characters,
};
use crate::spec::{Operation, ParamLocation, Spec};

use super::entity_property::{snake, EntityPropertyGroup};

/// The rules of every operation of a spec, by index.
pub struct Rules {
    operations: Vec<OperationRules>,
}

/// What the spec and the fixtures say about one operation.
pub struct OperationRules {
    /// The resource: the operation's first tag in snake case.
    pub resource: String,
    /// The "Permissions required" paragraph, read.
    pub permissions: PermissionRule,
    /// The operation's security list admits a request without credentials.
    pub anonymous_by_security: bool,
    /// Each documented numeric status, in the operation's order, with the provenance of an
    /// expectation of it.
    statuses: Vec<(u16, Provenance)>,
    /// 201 for a PUT that documents it, else the first documented 2xx.
    pub create_status: Option<u16>,
    /// Limits, for the operations of entity-property groups (`None` elsewhere).
    pub limits: Limits,
    /// For the DELETE of an entity-property group: the sentence saying a missing property
    /// answers 404.
    pub delete_missing_404: Option<Provenance>,
    /// For the operations of entity-property groups: the path parameters documented as case
    /// sensitive.
    pub case_sensitive: Vec<Sourced<String>>,
}

/// The limits an operation states (or the fixtures override).
#[derive(Default)]
pub struct Limits {
    /// The property value in bytes: `rules.property_value_max_bytes`, else the prose.
    pub value_bytes: Option<Sourced<usize>>,
    /// The property key in characters: `rules.property_key_max_chars`, else the prose.
    pub key_chars: Option<Sourced<usize>>,
    /// The property key in characters, where the prose says characters in so many words (the
    /// multi-byte cases need that reading; no override).
    pub key_chars_stated: Option<Sourced<usize>>,
    /// The `accountId` length: `rules.account_id_max_chars`, else the parameter's `maxLength`.
    pub account_id_chars: Option<Sourced<usize>>,
}

impl Rules {
    /// Reads the rules of every operation of `spec`; the limits of those in `groups`.
    pub fn read(spec: &Spec, fixtures: &Fixtures, groups: &[EntityPropertyGroup]) -> Rules {
        let readings = prose::Readings::default();
        let mut in_group = vec![false; spec.operations.len()];
        for index in groups.iter().flat_map(EntityPropertyGroup::operations) {
            in_group[index] = true;
        }
        let operations = spec
            .operations
            .iter()
            .zip(in_group)
            .map(|(op, grouped)| OperationRules {
                resource: snake(op.tag()),
                permissions: prose::permissions_with(op, &spec.source, &readings),
                anonymous_by_security: op.allows_anonymous,
                statuses: statuses(spec, op),
                create_status: create_status(op),
                limits: if grouped {
                    Limits::of(spec, fixtures, op)
                } else {
                    Limits::default()
                },
                delete_missing_404: delete_missing_404(op, &spec.source).filter(|_| grouped),
                case_sensitive: if grouped {
                    case_sensitive_params(op, &spec.source)
                } else {
                    Vec::new()
                },
            })
            .collect();
        Rules { operations }
    }

    /// The rules of the operation at `index`.
    pub fn of(&self, index: usize) -> &OperationRules {
        &self.operations[index]
    }
}

impl OperationRules {
    /// Anonymous access is allowed, by the security list or by the prose ("can be accessed
    /// anonymously"): a request without credentials is not refused for want of them.
    pub fn anonymous(&self) -> bool {
        self.anonymous_by_security || self.permissions.anonymous.is_some()
    }

    /// Provenance of a documented status; `None` if it is not documented.
    pub fn status_provenance(&self, status: u16) -> Option<&Provenance> {
        self.statuses
            .iter()
            .find(|(code, _)| *code == status)
            .map(|(_, provenance)| provenance)
    }
}

/// Each response with a numeric status, with the provenance of an expectation of it.
fn statuses(spec: &Spec, op: &Operation) -> Vec<(u16, Provenance)> {
    op.responses
        .iter()
        .filter_map(|response| {
            let status = response.code()?;
            let provenance = Provenance::Spec {
                file: spec.source.clone(),
                pointer: response.pointer.clone(),
                text: format!(
                    "{} documents {status}: {}",
                    op.operation_id,
                    response.description.trim()
                ),
            };
            Some((status, provenance))
        })
        .collect()
}

/// 201 for a PUT that documents it, else the first documented 2xx.
fn create_status(op: &Operation) -> Option<u16> {
    let codes = || op.responses.iter().filter_map(|r| r.code());
    if op.method == "PUT" && codes().any(|c| c == 201) {
        return Some(201);
    }
    codes().filter(|s| (200..300).contains(s)).min()
}

impl Limits {
    /// The limits of one operation of an entity-property group.
    fn of(spec: &Spec, fixtures: &Fixtures, op: &Operation) -> Limits {
        let rules = &fixtures.rules;
        let over = |key: &str, value: Option<usize>, unit: &str| {
            value.map(|v| fixtures_rule(fixtures, key, v, unit))
        };
        Limits {
            value_bytes: over(
                "rules.property_value_max_bytes",
                rules.property_value_max_bytes,
                "bytes",
            )
            .or_else(|| prose::value_max_bytes(op, &spec.source)),
            key_chars: over(
                "rules.property_key_max_chars",
                rules.property_key_max_chars,
                "characters",
            )
            .or_else(|| prose::key_max_chars(op, &spec.source)),
            key_chars_stated: key_limit_in_characters(op, &spec.source),
            account_id_chars: over(
                "rules.account_id_max_chars",
                rules.account_id_max_chars,
                "characters",
            )
            .or_else(|| account_id_max_length(spec, op)),
        }
    }
}

/// The `accountId` query parameter's `maxLength`.
fn account_id_max_length(spec: &Spec, op: &Operation) -> Option<Sourced<usize>> {
    let param = op.parameter(ParamLocation::Query, "accountId")?;
    let max = usize::try_from(param.max_length()?).ok()?;
    Some(Sourced {
        value: max,
        provenance: Provenance::Spec {
            file: spec.source.clone(),
            pointer: format!("{}/schema/maxLength", param.pointer),
            text: format!("accountId has maxLength {max}"),
        },
    })
}

/// A limit the fixtures set for the target.
fn fixtures_rule(fixtures: &Fixtures, key: &str, value: usize, unit: &str) -> Sourced<usize> {
    Sourced {
        value,
        provenance: Provenance::Fixtures {
            file: fixtures.source.clone(),
            key: key.to_string(),
            text: format!("the target's limit is {value} {unit}"),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::generate::find_groups;

    #[test]
    fn the_fixtures_limits_override_the_prose_on_property_operations_only() {
        let spec = crate::spec::embedded().expect("embedded spec");
        let mut fixtures = Fixtures::embedded().expect("embedded fixtures");
        let groups = find_groups(&spec);
        let set = groups
            .iter()
            .find_map(|g| g.set)
            .expect("a group with a PUT");
        let plain = (0..spec.operations.len())
            .find(|i| !groups.iter().any(|g| g.operations().any(|o| o == *i)))
            .expect("a plain operation");
        fixtures.rules.property_value_max_bytes = Some(100);
        let rules = Rules::read(&spec, &fixtures, &groups);
        let limit = rules
            .of(set)
            .limits
            .value_bytes
            .as_ref()
            .expect("the override");
        assert_eq!(limit.value, 100);
        assert!(matches!(limit.provenance, Provenance::Fixtures { .. }));
        assert!(rules.of(plain).limits.value_bytes.is_none());
    }

    #[test]
    fn every_documented_status_has_its_provenance_and_a_put_creates_with_201() {
        let spec = crate::spec::embedded().expect("embedded spec");
        let fixtures = Fixtures::embedded().expect("embedded fixtures");
        let rules = Rules::read(&spec, &fixtures, &find_groups(&spec));
        for (index, op) in spec.operations.iter().enumerate() {
            let of = rules.of(index);
            for code in op.responses.iter().filter_map(|r| r.code()) {
                assert!(of.status_provenance(code).is_some(), "{}", op.operation_id);
            }
            let documents_201 = op.responses.iter().any(|r| r.code() == Some(201));
            if op.method == "PUT" && documents_201 {
                assert_eq!(of.create_status, Some(201), "{}", op.operation_id);
            }
        }
    }
}
