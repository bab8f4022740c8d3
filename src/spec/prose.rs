//! Documented rules the schema does not encode, read from the operations' prose: the property
//! value limit in bytes, the property key limit in characters, and who may call an operation.
//! Every rule keeps the sentence it came from.

use std::sync::OnceLock;

use regex::Regex;

use super::model::{Operation, ParamLocation};
use crate::case::Provenance;

/// A value and where the documentation states it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sourced<T> {
    /// The value.
    pub value: T,
    /// Where it is stated.
    pub provenance: Provenance,
}

/// One way the "Permissions required" paragraph lets a caller in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Grant {
    /// *Administer Jira*, acting on any user's record.
    AdministerJira,
    /// Any user with access to Jira, acting on their own record only.
    OwnRecord,
    /// Any user with access to Jira.
    AccessJira,
    /// *Browse projects* on the project in question.
    BrowseProjects,
    /// *Administer projects* on the project in question.
    AdministerProjects,
    /// No permission at all ("None"), anonymous access included.
    Anyone,
}

/// What the "Permissions required" paragraph of an operation says.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PermissionRule {
    /// Recognised grants, each with its sentence.
    pub grants: Vec<Sourced<Grant>>,
    /// Statements that were not recognised: listed, never guessed.
    pub unrecognised: Vec<String>,
}

impl PermissionRule {
    /// The grant's provenance, if the paragraph states it.
    pub fn grant(&self, grant: Grant) -> Option<&Provenance> {
        self.grants
            .iter()
            .find(|g| g.value == grant)
            .map(|g| &g.provenance)
    }
}

/// The largest limit the cases can test: a limit case sends a value (key, `accountId`) of the
/// limit's size and one past it, so a larger stated limit (a typo, a corrupt file) is not taken
/// for one; 1 MiB is far above Jira's (32768 bytes, 255 and 128 characters).
pub const MAX_TESTABLE_LIMIT: usize = 1 << 20;

fn value_limit_re() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| {
        Regex::new(r"(?i)maximum length of the property value is (\d+) bytes").expect("valid regex")
    })
}

fn key_limit_re() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| {
        Regex::new(r"(?i)maximum length(?: of the property key)? is (\d+) characters")
            .expect("valid regex")
    })
}

/// The sentence of `text` around byte range `start..end`.
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

/// The documented maximum length of the property key in characters.
pub fn key_max_chars(op: &Operation, file: &str) -> Option<Sourced<usize>> {
    let param = op
        .parameter(ParamLocation::Path, "propertyKey")
        .map(|p| (p.description.as_str(), p.pointer.as_str()));
    stated(key_limit_re(), op, file, param)
}

/// Reads the "Permissions required" paragraph of an operation.
pub fn permissions(op: &Operation, file: &str) -> PermissionRule {
    let mut rule = PermissionRule::default();
    let text = &op.description;
    let lower = text.to_ascii_lowercase();
    let Some(at) = lower
        .find("permissions](#permissions) required")
        .or_else(|| lower.find("permissions required"))
    else {
        return rule;
    };
    let rest = &text[at..];
    let body = rest.find(':').map_or(rest, |i| &rest[i + 1..]);
    let body = body.trim_start_matches(['*', ' ']);
    let pointer = format!("{}/description", op.pointer);
    for statement in statements(body) {
        let grants = classify(&statement);
        if grants.is_empty() {
            rule.unrecognised.push(statement);
            continue;
        }
        for grant in grants {
            rule.grants.push(Sourced {
                value: grant,
                provenance: Provenance::Spec {
                    file: file.to_string(),
                    pointer: pointer.clone(),
                    text: statement.clone(),
                },
            });
        }
    }
    rule
}

/// Splits the paragraph into its bullets, or into sentences when it has none; stops at the
/// first paragraph that is neither (the rest of the description is about something else).
fn statements(body: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut in_list = false;
    for (i, para) in body.split("\n\n").enumerate() {
        let bullets: Vec<&str> = para
            .lines()
            .map(str::trim)
            .filter(|l| l.starts_with('*') && !l.starts_with("**"))
            .collect();
        if !bullets.is_empty() {
            in_list = true;
            out.extend(
                bullets
                    .iter()
                    .map(|b| strip_markup(b.trim_start_matches('*'))),
            );
        } else if i == 0 && !para.trim().is_empty() {
            out.push(strip_markup(para));
        } else if in_list || i > 0 {
            break;
        }
    }
    out.retain(|s| !s.is_empty());
    out
}

/// Removes Markdown emphasis and links, keeping the link text.
fn strip_markup(text: &str) -> String {
    static LINK: OnceLock<Regex> = OnceLock::new();
    let link = LINK.get_or_init(|| Regex::new(r"\[([^\]]*)\]\([^)]*\)").expect("valid regex"));
    let plain = link.replace_all(text, "$1");
    plain
        .replace('*', "")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

fn classify(statement: &str) -> Vec<Grant> {
    let s = statement.to_ascii_lowercase();
    let mut grants = Vec::new();
    if s.starts_with("none") {
        grants.push(Grant::Anyone);
        return grants;
    }
    // "the calling user's record" and, for the key listing, "the calling user's property keys".
    if s.contains("calling user's") || s.contains("calling user’s") {
        grants.push(Grant::OwnRecord);
        return grants;
    }
    if s.contains("administer jira") {
        grants.push(Grant::AdministerJira);
    }
    if s.contains("administer projects") {
        grants.push(Grant::AdministerProjects);
    }
    if s.contains("browse projects") {
        grants.push(Grant::BrowseProjects);
    }
    if grants.is_empty()
        && (s.contains("access to jira") || s.contains("permission to access jira"))
    {
        grants.push(Grant::AccessJira);
    }
    grants
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::spec::embedded;

    #[test]
    fn our_spec_states_the_user_property_rules() {
        let spec = embedded().unwrap();
        let (_, set) = spec.operation("setUserProperty").unwrap();
        assert_eq!(value_max_bytes(set, "f").map(|s| s.value), Some(32768));
        assert_eq!(key_max_chars(set, "f").map(|s| s.value), Some(255));
        let rule = permissions(set, "f");
        assert!(rule.grant(Grant::AdministerJira).is_some(), "{rule:?}");
        assert!(rule.grant(Grant::OwnRecord).is_some(), "{rule:?}");
        assert!(rule.unrecognised.is_empty(), "{rule:?}");
    }

    #[test]
    fn real_spec_user_property_rules_are_recognised() {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../shared/specs/jira-platform-v3.2025-07-30.json");
        if !path.exists() {
            eprintln!(
                "skipped: {} not found (the real Jira spec lives in ../shared/specs)",
                path.display()
            );
            return;
        }
        let spec = crate::spec::load_path(&path).unwrap();
        let (_, set) = spec.operation("setUserProperty").unwrap();
        assert_eq!(value_max_bytes(set, "f").map(|s| s.value), Some(32768));
        assert_eq!(key_max_chars(set, "f").map(|s| s.value), Some(255));
        for id in [
            "getUserPropertyKeys",
            "getUserProperty",
            "setUserProperty",
            "deleteUserProperty",
        ] {
            let rule = permissions(spec.operation(id).unwrap().1, "f");
            assert!(
                rule.grant(Grant::AdministerJira).is_some()
                    && rule.grant(Grant::OwnRecord).is_some(),
                "{id}: {rule:?}"
            );
        }
    }

    #[test]
    fn myself_needs_access_to_jira() {
        let spec = embedded().unwrap();
        let (_, me) = spec.operation("getCurrentUser").unwrap();
        let rule = permissions(me, "f");
        assert_eq!(rule.grants.len(), 1, "{rule:?}");
        assert_eq!(rule.grants[0].value, Grant::AccessJira);
    }

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
        op.description = format!("The maximum length is {MAX_TESTABLE_LIMIT} characters.");
        assert_eq!(
            key_max_chars(&op, "f").map(|s| s.value),
            Some(MAX_TESTABLE_LIMIT)
        );
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
    fn unknown_wording_is_listed_not_guessed() {
        let op = Operation {
            method: "GET".into(),
            path: "/x".into(),
            operation_id: "x".into(),
            tags: vec![],
            summary: String::new(),
            description: "Does x.\n\n**[Permissions](#permissions) required:** Be on the moon."
                .into(),
            deprecated: false,
            parameters: vec![],
            request_body: None,
            responses: vec![],
            security: vec![],
            allows_anonymous: false,
            pointer: "/paths/~1x/get".into(),
        };
        let rule = permissions(&op, "f");
        assert!(rule.grants.is_empty());
        assert_eq!(rule.unrecognised, vec!["Be on the moon.".to_string()]);
    }
}
