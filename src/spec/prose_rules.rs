//! Rules the documentation states in prose beside the limits and permissions: which names are
//! case sensitive, the unit each limit is measured in, and the 404 a DELETE of a missing
//! property answers. Each rule carries the sentence it was read from.

use std::sync::OnceLock;

use regex::Regex;

use super::model::{Operation, ParamLocation};
use super::prose::Sourced;
use super::Provenance;

/// What a length limit counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum LimitUnit {
    /// Unicode characters: multi-byte text may be longer in bytes.
    Characters,
    /// Bytes of the UTF-8 text: multi-byte text holds fewer characters.
    Bytes,
}

impl LimitUnit {
    /// `characters` or `bytes`, as the documentation writes it.
    pub fn name(self) -> &'static str {
        match self {
            LimitUnit::Characters => "characters",
            LimitUnit::Bytes => "bytes",
        }
    }
}

/// What a stated limit applies to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum LimitSubject {
    /// The property key (the `propertyKey` parameter).
    Key,
    /// The property value (the request body).
    Value,
}

/// One length limit as the documentation states it: what it limits, the number, the unit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StatedLimit {
    /// What is limited.
    pub subject: LimitSubject,
    /// The number.
    pub max: usize,
    /// What the number counts.
    pub unit: LimitUnit,
}

/// The sentence of `text` around byte range `start..end` (up to the surrounding full stops or
/// line breaks), without list markup.
fn sentence(text: &str, start: usize, end: usize) -> String {
    let from = text[..start].rfind(['.', '\n']).map_or(0, |i| i + 1);
    let to = text[end..]
        .find(['.', '\n'])
        .map_or(text.len(), |i| end + i + 1);
    text[from..to]
        .trim()
        .trim_start_matches(['*', ' '])
        .to_string()
}

fn provenance(file: &str, pointer: String, text: &str, start: usize, end: usize) -> Provenance {
    Provenance::Spec {
        file: file.to_string(),
        pointer,
        text: sentence(text, start, end),
    }
}

fn case_sensitive_re() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| Regex::new(r"(?i)\bcase[- ]sensitive\b").expect("valid regex"))
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

fn limit_re() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| {
        Regex::new(
            r"(?i)maximum length(?: of (?:the |single issue )?(?:property )?(key|value|property value)| of the property key)?(?: property value)? is (\d+) (characters|bytes)",
        )
        .expect("valid regex")
    })
}

/// Every length limit the operation states for a property key or value, with its unit: the
/// `propertyKey` parameter's sentence is about the key; the request body's and the operation's
/// prose are about the value unless they name the key. A limit larger than
/// [`MAX_TESTABLE_LIMIT`](super::prose::MAX_TESTABLE_LIMIT) is not taken for one.
pub fn stated_limits(op: &Operation, file: &str) -> Vec<Sourced<StatedLimit>> {
    let mut places: Vec<(&str, String, LimitSubject)> = Vec::new();
    if let Some(p) = op.parameter(ParamLocation::Path, "propertyKey") {
        places.push((
            &p.description,
            format!("{}/description", p.pointer),
            LimitSubject::Key,
        ));
    }
    if let Some(body) = &op.request_body {
        places.push((
            &body.description,
            format!("{}/description", body.pointer),
            LimitSubject::Value,
        ));
    }
    places.push((
        &op.description,
        format!("{}/description", op.pointer),
        LimitSubject::Value,
    ));
    let mut out = Vec::new();
    for (text, pointer, default) in places {
        for caps in limit_re().captures_iter(text) {
            let (Some(whole), Some(number), Some(unit)) = (caps.get(0), caps.get(2), caps.get(3))
            else {
                continue;
            };
            let Some(max) = number
                .as_str()
                .parse::<usize>()
                .ok()
                .filter(|&m| m > 0 && m <= super::prose::MAX_TESTABLE_LIMIT)
            else {
                continue;
            };
            let subject = match caps.get(1).map(|m| m.as_str().to_ascii_lowercase()) {
                Some(named) if named == "key" => LimitSubject::Key,
                Some(_) => LimitSubject::Value,
                None if whole.as_str().to_ascii_lowercase().contains("property key") => {
                    LimitSubject::Key
                }
                None => default,
            };
            let unit = if unit.as_str().eq_ignore_ascii_case("bytes") {
                LimitUnit::Bytes
            } else {
                LimitUnit::Characters
            };
            out.push(Sourced {
                value: StatedLimit { subject, max, unit },
                provenance: provenance(file, pointer.clone(), text, whole.start(), whole.end()),
            });
        }
    }
    out
}

/// The key limit in characters, if the operation states one: the limit a multi-byte key is
/// held to by its characters, not its bytes.
pub fn key_limit_in_characters(op: &Operation, file: &str) -> Option<Sourced<usize>> {
    stated_limits(op, file)
        .into_iter()
        .find(|l| l.value.subject == LimitSubject::Key && l.value.unit == LimitUnit::Characters)
        .map(|l| Sourced {
            value: l.value.max,
            provenance: l.provenance,
        })
}

fn property_not_found_re() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| {
        Regex::new(r"(?i)\bproperty (?:is not|isn't) found|\bproperty does not exist")
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::spec::{Parameter, RequestBody, Response};
    use serde_json::json;

    fn op(method: &str) -> Operation {
        Operation {
            method: method.into(),
            path: "/rest/api/3/project/{projectIdOrKey}/properties/{propertyKey}".into(),
            operation_id: "op".into(),
            tags: vec![],
            summary: String::new(),
            description: "Sets the value. The maximum length is 32768 characters.".into(),
            deprecated: false,
            parameters: vec![
                Parameter {
                    name: "projectIdOrKey".into(),
                    location: ParamLocation::Path,
                    required: true,
                    deprecated: false,
                    description: "The project ID or project key (case sensitive).".into(),
                    schema: json!({"type": "string"}),
                    pointer: "/p/0".into(),
                },
                Parameter {
                    name: "propertyKey".into(),
                    location: ParamLocation::Path,
                    required: true,
                    deprecated: false,
                    description: "The key of the property. The maximum length is 255 characters."
                        .into(),
                    schema: json!({"type": "string"}),
                    pointer: "/p/1".into(),
                },
            ],
            request_body: Some(RequestBody {
                required: true,
                description: "The value. The maximum length of the property value is 32768 bytes."
                    .into(),
                content: vec![],
                pointer: "/b".into(),
            }),
            responses: vec![Response {
                status: "404".into(),
                description: "Returned if the project or property is not found.".into(),
                content: vec![],
                pointer: "/r/404".into(),
            }],
            security: vec![],
            allows_anonymous: false,
            pointer: "/o".into(),
        }
    }

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
    fn limits_name_their_subject_and_unit() {
        let limits: Vec<StatedLimit> = stated_limits(&op("PUT"), "f.json")
            .into_iter()
            .map(|l| l.value)
            .collect();
        use LimitSubject::*;
        use LimitUnit::*;
        assert_eq!(
            limits,
            [
                StatedLimit {
                    subject: Key,
                    max: 255,
                    unit: Characters
                },
                StatedLimit {
                    subject: Value,
                    max: 32768,
                    unit: Bytes
                },
                StatedLimit {
                    subject: Value,
                    max: 32768,
                    unit: Characters
                },
            ]
        );
        assert_eq!(
            key_limit_in_characters(&op("PUT"), "f.json").map(|l| l.value),
            Some(255)
        );
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
        assert_eq!(key_limits, 5, "every property write");
    }
}
