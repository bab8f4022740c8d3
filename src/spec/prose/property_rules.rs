//! Rules the documentation states in prose beside the limits and permissions: which names are
//! case sensitive, and the 404 a DELETE of a missing property answers. Each rule carries the
//! sentence it was read from.

use std::sync::OnceLock;

use regex::Regex;

use super::sourced::provenance;
use super::Sourced;
use crate::spec::Provenance;
use crate::spec::{Operation, ParamLocation};

fn case_sensitive_re() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| super::pattern::compile(r"(?i)\bcase[- ]sensitive\b").expect("valid regex"))
}

/// The path parameters whose documentation says they are case sensitive ("The project ID or
/// project key (case sensitive)."): a value that differs only by case names another entity.
pub fn case_sensitive_params(op: &Operation, file: &str) -> Vec<Sourced<String>> {
    op.parameters
        .iter()
        .filter(|p| p.location == ParamLocation::Path)
        .filter_map(|p| {
            let found = case_sensitive_re().find(&p.description)?;
            Some(Sourced {
                value: p.name.clone(),
                provenance: provenance(
                    file,
                    format!("{}/description", p.pointer),
                    &p.description,
                    found.start(),
                    found.end(),
                ),
            })
        })
        .collect()
}

fn property_not_found_re() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| {
        super::pattern::compile(r"(?i)\bproperty (?:is not|isn't) found|\bproperty does not exist")
            .expect("valid regex")
    })
}

/// The sentence of a DELETE's documented 404 that says it is answered when the property is not
/// found ("Returned if the issue or property is not found"): deleting a key the entity has no
/// property under must answer 404, not 204.
pub fn delete_missing_404(op: &Operation, file: &str) -> Option<Provenance> {
    if op.method != "DELETE" || op.parameter(ParamLocation::Path, "propertyKey").is_none() {
        return None;
    }
    let response = op.responses.iter().find(|r| r.status == "404")?;
    let found = property_not_found_re().find(&response.description)?;
    Some(provenance(
        file,
        format!("{}/description", response.pointer),
        &response.description,
        found.start(),
        found.end(),
    ))
}

/// Builds this file's patterns now (see [`super::warm_up`]).
pub(super) fn warm_up() {
    case_sensitive_re();
    property_not_found_re();
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::spec::prose::key_limit_in_characters;
    use crate::spec::prose::tests::property_op as op;

    #[test]
    fn a_case_sensitive_parameter_is_read_with_its_sentence() {
        let found = case_sensitive_params(&op("GET"), "f.json");
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].value, "projectIdOrKey");
        assert!(matches!(&found[0].provenance,
            Provenance::Spec { text, pointer, .. }
                if text == "The project ID or project key (case sensitive)." && pointer == "/p/0/description"));
    }

    #[test]
    fn only_a_delete_whose_404_names_the_property_states_the_rule() {
        let p = delete_missing_404(&op("DELETE"), "f.json").expect("stated");
        assert!(matches!(p, Provenance::Spec { text, .. }
            if text == "Returned if the project or property is not found."));
        assert!(delete_missing_404(&op("GET"), "f.json").is_none());
        let mut other = op("DELETE");
        other.responses[0].description = "Returned if the dashboard item is not found.".into();
        assert!(delete_missing_404(&other, "f.json").is_none());
    }

    #[test]
    fn the_embedded_spec_states_each_rule() {
        let spec = crate::spec::embedded().expect("embedded spec loads");
        let file = &spec.source;
        let mut deletes: Vec<&str> = spec
            .operations
            .iter()
            .filter(|op| delete_missing_404(op, file).is_some())
            .map(|op| op.operation_id.as_str())
            .collect();
        deletes.sort_unstable();
        assert_eq!(
            deletes,
            [
                "deleteCommentProperty",
                "deleteIssueProperty",
                "deleteProjectProperty",
                "deleteUserProperty",
                "deleteWorklogProperty"
            ]
        );
        let case_sensitive: Vec<&str> = spec
            .operations
            .iter()
            .filter(|op| !case_sensitive_params(op, file).is_empty())
            .map(|op| op.operation_id.as_str())
            .collect();
        for op in [
            "getProjectPropertyKeys",
            "getProjectProperty",
            "setProjectProperty",
            "deleteProjectProperty",
        ] {
            assert!(case_sensitive.contains(&op), "{op}: {case_sensitive:?}");
        }
        let key_limits = spec
            .operations
            .iter()
            .filter(|op| key_limit_in_characters(op, file).is_some())
            .count();
        assert_eq!(key_limits, 6, "every property write");
    }
}
