//! The length limits the prose states: the property value limit in bytes, the property key
//! limit in characters, and every stated limit with what it limits and its unit.

use std::sync::OnceLock;

use regex::Regex;

use super::sourced::{provenance, sentence};
use super::Sourced;
use crate::spec::Provenance;
use crate::spec::{Operation, ParamLocation};

/// The largest limit the cases can test: a limit case sends a value (key, `accountId`) of the
/// limit's size and one past it, so a larger stated limit (a typo, a corrupt file) is not taken
/// for one; 1 MiB is far above Jira's (32768 bytes, 255 and 128 characters).
pub const MAX_TESTABLE_LIMIT: usize = 1 << 20;

fn value_limit_re() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| {
        super::pattern::compile(r"(?i)maximum length of the property value is (\d+) bytes")
            .expect("valid regex")
    })
}

fn key_limit_re() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| {
        super::pattern::compile(r"(?i)maximum length(?: of the property key)? is (\d+) characters")
            .expect("valid regex")
    })
}

fn find_number(re: &Regex, text: &str, file: &str, pointer: String) -> Option<Sourced<usize>> {
    let caps = re.captures(text)?;
    let whole = caps.get(0)?;
    let value = caps
        .get(1)?
        .as_str()
        .parse()
        .ok()
        .filter(|&v| v <= MAX_TESTABLE_LIMIT)?;
    Some(Sourced {
        value,
        provenance: Provenance::Spec {
            file: file.to_string(),
            pointer,
            text: sentence(text, whole.start(), whole.end()),
        },
    })
}

/// Looks for `re` in an element's description first (request body, parameter), then in the
/// operation's own prose.
fn stated(
    re: &Regex,
    op: &Operation,
    file: &str,
    element: Option<(&str, &str)>,
) -> Option<Sourced<usize>> {
    element
        .and_then(|(text, pointer)| find_number(re, text, file, format!("{pointer}/description")))
        .or_else(|| {
            find_number(
                re,
                &op.description,
                file,
                format!("{}/description", op.pointer),
            )
        })
}

/// The documented maximum size of a property value in bytes (request body or operation prose).
pub fn value_max_bytes(op: &Operation, file: &str) -> Option<Sourced<usize>> {
    let body = op
        .request_body
        .as_ref()
        .map(|b| (b.description.as_str(), b.pointer.as_str()));
    stated(value_limit_re(), op, file, body)
}

fn key_limit_in_prose_re() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| {
        super::pattern::compile(r"(?i)maximum length of the property key is (\d+) characters")
            .expect("valid regex")
    })
}

/// The documented maximum length of the property key in characters: the `propertyKey`
/// parameter's own sentence ("The maximum length is 255 characters."), else a sentence of the
/// operation's prose that names the key. A bare "The maximum length is N characters" in the
/// operation's prose is about the value (Connect and Forge app properties say so of it).
pub fn key_max_chars(op: &Operation, file: &str) -> Option<Sourced<usize>> {
    let param = op.parameter(ParamLocation::Path, "propertyKey");
    param
        .and_then(|p| {
            find_number(
                key_limit_re(),
                &p.description,
                file,
                format!("{}/description", p.pointer),
            )
        })
        .or_else(|| {
            find_number(
                key_limit_in_prose_re(),
                &op.description,
                file,
                format!("{}/description", op.pointer),
            )
        })
}

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

fn limit_re() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| {
        super::pattern::compile(
            r"(?i)maximum length(?: of (?:the |single issue )?(?:property )?(key|value|property value)| of the property key)?(?: property value)? is (\d+) (characters|bytes)",
        )
        .expect("valid regex")
    })
}

/// Every length limit the operation states for a property key or value, with its unit: the
/// `propertyKey` parameter's sentence is about the key; the request body's and the operation's
/// prose are about the value unless they name the key. A limit larger than
/// [`MAX_TESTABLE_LIMIT`](MAX_TESTABLE_LIMIT) is not taken for one.
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
                .filter(|&m| m > 0 && m <= MAX_TESTABLE_LIMIT)
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

/// Builds this file's patterns now (see [`super::warm_up`]).
pub(super) fn warm_up() {
    value_limit_re();
    key_limit_re();
    key_limit_in_prose_re();
    limit_re();
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::spec::embedded;
    use crate::spec::prose::tests::{op_with, property_op as op};

    #[test]
    fn an_untestably_large_limit_is_not_taken_for_one() {
        // Found by fuzzing: the limit cases allocate a value of the stated size.
        let spec = embedded().unwrap();
        let (_, set) = spec.operation("setUserProperty").unwrap();
        let mut op = set.clone();
        let huge = "The maximum length of the property value is 8848808970072262394 bytes.";
        op.description = huge.into();
        op.request_body = None;
        assert_eq!(value_max_bytes(&op, "f"), None);
        op.description = format!(
            "The maximum length is {} characters.",
            MAX_TESTABLE_LIMIT + 1
        );
        op.parameters.clear();
        assert_eq!(key_max_chars(&op, "f"), None);
        op.description =
            format!("The maximum length of the property key is {MAX_TESTABLE_LIMIT} characters.");
        assert_eq!(
            key_max_chars(&op, "f").map(|s| s.value),
            Some(MAX_TESTABLE_LIMIT)
        );
    }

    #[test]
    fn a_bare_length_in_the_operations_prose_is_not_a_key_limit() {
        // Connect and Forge app properties say this of the value, not of the key.
        let op = op_with("Sets a property. The maximum length is 32768 characters.");
        assert_eq!(key_max_chars(&op, "f"), None);
    }

    #[test]
    fn sentence_is_cut_at_full_stops() {
        let t = "First. The maximum length is 255 characters. Then more.";
        let m = key_limit_re().find(t).unwrap();
        assert_eq!(
            sentence(t, m.start(), m.end()),
            "The maximum length is 255 characters."
        );
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
}
