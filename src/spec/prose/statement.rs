//! Recognising one statement of the paragraph: the permissions it names, how they combine
//! within it, and whether it states the case it covers; or that it cannot be recognised.

use std::sync::OnceLock;

use regex::Regex;

use super::phrases::{list_cue_re, mentions};
use super::{Grant, Permission};

/// How statements or the parts of one combine.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Conn {
    And,
    Or,
    Unstated,
}

/// A recognised statement: its permissions (each once, in order) and how they combine.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Clause {
    pub(super) permissions: Vec<Permission>,
    pub(super) conn: Conn,
    /// The statement states the case it covers ("…, to set a property on any user", "for
    /// system avatars, …"), so bullets that all do are alternatives.
    pub(super) case: bool,
}

/// Words before the first permission that turn the statement around or add an alternative the
/// parser cannot read ("if the user does not have", "the creator of the filter or a user with").
fn prefix_bad_re() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| {
        super::pattern::compile(
            r"\b(?:not|no|never|unless|except|without|however|but|cannot|otherwise|or)\b|n't\b",
        )
        .expect("valid regex")
    })
}

/// Words between two permissions that make the statement more than a list of them.
fn gap_bad_re() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| {
        super::pattern::compile(
            r"\b(?:not|no|never|unless|except|without|however|but|cannot)\b|n't\b",
        )
        .expect("valid regex")
    })
}

/// Words after the last permission that restrict it or add an alternative ("is only needed
/// when", "or have the dashboard shared with them", "results may be incomplete otherwise").
fn tail_bad_re() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| {
        super::pattern::compile(
            r"\b(?:otherwise|unless|except|however|but|instead|only|not)\b|n't\b|\bor (?:have|has|be|is|are|if|when|where|the user|a user|users?)\b",
        )
        .expect("valid regex")
    })
}

/// A permission followed by the case it covers: "…global permission, to set a property on any
/// user", "…project permission to delete any comment".
fn purpose_re() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| {
        super::pattern::compile(
            r"^(?:\s+(?:global|project)\s+permissions?|\s+permissions?)?,?\s+(?:to\s+[a-z]|if\s)|,\s+(?:to\s+[a-z]|if\s)",
        )
        .expect("valid regex")
    })
}

/// Another permission named after a connective, one the phrases do not know: "… and Foo bar
/// project permission".
fn unknown_named_re() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| {
        super::pattern::compile(
            r"\b(?:and|or)\s+(?:the\s+)?(?:[\w()'-]+\s+){1,4}(?:project|global)\s+permissions?\b",
        )
        .expect("valid regex")
    })
}

/// A permission kind glued to the word before it ("Edit all worklogsproject permission").
fn glued_re() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| {
        super::pattern::compile(r"([a-z])((?:project|global) permission)").expect("valid regex")
    })
}

/// A statement that opens with the case it covers: "for system avatars, …", "if the user has
/// the …", "to remove other users from the watchlist, …".
fn condition_re() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| {
        super::pattern::compile(r"^(?:(?:for|if|when|to)\b[^.]*,\s*$|if the user has\b)")
            .expect("valid regex")
    })
}

/// A permission kind: before the first recognised name it belongs to a name the phrases do not
/// know.
fn kind_re() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| {
        super::pattern::compile(r"\b(?:project|global)\s+permissions?\b").expect("valid regex")
    })
}

fn or_re() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| super::pattern::compile(r"\b(?:or|otherwise)\b").expect("valid regex"))
}

/// Recognises one statement (plain text), or says it cannot: a statement is recognised when it
/// names permissions and says nothing around them that negates them, restricts them or adds an
/// alternative the parser has no name for.
pub(super) fn classify(statement: &str) -> Option<Clause> {
    let lower = statement.to_lowercase().replace('’', "'");
    let lower = glued_re().replace_all(&lower, "$1 $2");
    let lower = lower
        .trim()
        .strip_prefix("however")
        .map_or(lower.trim(), |rest| rest.trim_start_matches([',', ' ']));
    let found = mentions(lower);
    let (first, last) = (found.first()?, found.last()?);
    let prefix = &lower[..first.start];
    let tail = &lower[last.end..];
    if prefix_bad_re().is_match(prefix)
        || tail_bad_re().is_match(tail)
        || unknown_named_re().is_match(tail)
        || kind_re().is_match(prefix)
    {
        return None;
    }
    let mut conns = Vec::new();
    for pair in found.windows(2) {
        let gap = &lower[pair[0].end..pair[1].start];
        if gap_bad_re().is_match(gap) || unknown_named_re().is_match(gap) {
            return None;
        }
        if pair[0].permission == pair[1].permission {
            continue;
        }
        conns.push(if gap.contains(". ") {
            Conn::Unstated
        } else if or_re().is_match(gap) {
            Conn::Or
        } else if gap.contains(" and ") || gap.contains(',') {
            Conn::And
        } else {
            Conn::Unstated
        });
    }
    // "Access to Jira, to … the calling user's record": the caller's own record. Elsewhere
    // "the calling user's" describes the case of another permission.
    let own = found
        .iter()
        .any(|m| m.permission == Permission::Grant(Grant::OwnRecord));
    let only_access = found.iter().all(|m| {
        matches!(
            m.permission,
            Permission::Grant(Grant::OwnRecord | Grant::AccessJira)
        )
    });
    let mut permissions = Vec::new();
    for m in &found {
        let keep = match m.permission {
            Permission::Grant(Grant::OwnRecord) => only_access,
            Permission::Grant(Grant::AccessJira) => !(own && only_access),
            _ => true,
        };
        if keep && !permissions.contains(&m.permission) {
            permissions.push(m.permission);
        }
    }
    if permissions.is_empty() {
        return None;
    }
    let conn = if list_cue_re().is_match(prefix) {
        Conn::Or
    } else if conns.is_empty() {
        Conn::And
    } else if conns.iter().all(|&c| c == conns[0]) {
        conns[0]
    } else {
        Conn::Unstated
    };
    let case = condition_re().is_match(prefix)
        || found.iter().any(|m| purpose_re().is_match(&lower[m.end..]));
    Some(Clause {
        permissions,
        conn,
        case,
    })
}

/// Builds this file's patterns now (see [`super::warm_up`]).
pub(super) fn warm_up() {
    prefix_bad_re();
    gap_bad_re();
    tail_bad_re();
    purpose_re();
    unknown_named_re();
    glued_re();
    condition_re();
    kind_re();
    or_re();
}
