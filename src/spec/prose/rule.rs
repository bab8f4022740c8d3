//! An operation's [`PermissionRule`]: the "Permissions required" paragraph found, read (each
//! distinct paragraph once per [`Readings`]) and quoted, and the sentence that lets anonymous
//! callers in.

use std::cell::RefCell;
use std::collections::HashMap;
use std::sync::OnceLock;

use regex::Regex;

use super::combination::{read, Reading};
use super::paragraph::{paragraph_in, Paragraph};
use super::sourced::sentence;
use super::statement::Clause;
use super::{PermissionRule, Sourced};
use crate::spec::Operation;
use crate::spec::Provenance;

/// Reads the "Permissions required" paragraph of an operation: its lead-in sentences and the
/// bullet list that follows them, each statement recognised or listed as unrecognised, and how
/// the recognised permissions combine. The sentence saying the operation can be called
/// anonymously, elsewhere in the description, is read too.
pub fn permissions(op: &Operation, file: &str) -> PermissionRule {
    permissions_with(op, file, &Readings::default())
}

/// Paragraphs already read, by their text as written: the operations of a spec often share
/// theirs word for word (the 2025 platform spec has roughly three operations per distinct
/// paragraph), and reading one is most of what [`permissions`] costs. One of these, shared by
/// the calls of [`permissions_with`] for the operations of a spec, reads each paragraph once.
#[derive(Debug, Default)]
pub struct Readings {
    by_paragraph: RefCell<HashMap<Paragraph, Reading>>,
    /// Statements already classified: distinct paragraphs still share most of theirs.
    clauses: RefCell<HashMap<String, Option<Clause>>>,
}

/// [`permissions`], reading each distinct paragraph once across the calls that share `readings`
/// (the answer is the same).
pub fn permissions_with(op: &Operation, file: &str, readings: &Readings) -> PermissionRule {
    let pointer = format!("{}/description", op.pointer);
    let source = |text: &str| Provenance::Spec {
        file: file.to_string(),
        pointer: pointer.clone(),
        text: text.to_string(),
    };
    let lower = op.description.to_ascii_lowercase();
    let mut rule = PermissionRule {
        // The sentence is searched for only where the word is: the regex is slow on the
        // non-ASCII text most descriptions hold, and none of the letters of "anonymou" has a
        // case variant outside ASCII, so a description without them in any case cannot match.
        anonymous: lower
            .contains("anonymou")
            .then(|| anonymous_re().find(&op.description))
            .flatten()
            .map(|m| source(&sentence(&op.description, m.start(), m.end()))),
        ..PermissionRule::default()
    };
    let Some(paragraph) = paragraph_in(&op.description, &lower) else {
        return rule;
    };
    let mut by_paragraph = readings.by_paragraph.borrow_mut();
    let reading = by_paragraph
        .entry(paragraph)
        .or_insert_with_key(|p| read(p, &mut readings.clauses.borrow_mut()));
    for statement in &reading.statements {
        match &statement.clause {
            Some(clause) => {
                for &permission in &clause.permissions {
                    rule.permissions.push(Sourced {
                        value: permission,
                        provenance: source(&statement.source),
                    });
                }
            }
            None => rule.unrecognised.push(statement.text.clone()),
        }
    }
    rule.grants = rule
        .permissions
        .iter()
        .filter_map(|p| {
            Some(Sourced {
                value: p.value.as_grant()?,
                provenance: p.provenance.clone(),
            })
        })
        .collect();
    rule.combination = reading.combination;
    rule
}

fn anonymous_re() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| {
        super::pattern::compile(
            r"(?i)\b(?:this operation can be accessed anonymously|anonymous callers may use this operation)\b",
        )
        .expect("valid regex")
    })
}

/// Builds this file's patterns now (see [`super::warm_up`]).
pub(super) fn warm_up() {
    anonymous_re();
}
