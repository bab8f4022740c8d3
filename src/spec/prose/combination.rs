//! Reading a paragraph's statements together: each classified (once per distinct text), and
//! how the recognised permissions combine across sentences and bullets.

use std::collections::HashMap;

use super::paragraph::{however_parts, sentences, strip_markup, Paragraph};
use super::phrases::list_cue_re;
use super::statement::{classify, Clause, Conn};
use super::{Combination, Permission};

/// One statement of the paragraph as read.
#[derive(Debug)]
pub(super) struct Statement {
    /// The statement, plain text (the part of a sentence that was classified).
    pub(super) text: String,
    /// What provenance quotes: the whole sentence or bullet.
    pub(super) source: String,
    pub(super) clause: Option<Clause>,
}

#[derive(Debug)]
pub(super) struct Reading {
    pub(super) statements: Vec<Statement>,
    pub(super) combination: Combination,
}

/// Reads a paragraph: its statements in order (the lead-in's, then the list's), each
/// recognised or not, and how the recognised permissions combine. `clauses` caches the
/// statements already classified.
pub(super) fn read(
    paragraph: &Paragraph,
    clauses: &mut HashMap<String, Option<Clause>>,
) -> Reading {
    let mut parts = lead_parts(&paragraph.lead);
    let framing = take_framing(&mut parts, !paragraph.bullets.is_empty(), clauses);
    let mut statements = Vec::new();
    let lead = read_lead(parts, clauses, &mut statements);
    let list = read_list(&paragraph.bullets, clauses, &mut statements);
    if statements.is_empty() {
        statements.push(Statement {
            text: framing
                .clone()
                .unwrap_or_else(|| "(nothing follows the heading)".into()),
            source: String::new(),
            clause: None,
        });
    }
    let framing = framing.unwrap_or_default();
    Reading {
        statements,
        combination: combination(&lead, &list, &framing),
    }
}

/// [`classify`], once per distinct statement.
fn classify_once(clauses: &mut HashMap<String, Option<Clause>>, statement: &str) -> Option<Clause> {
    match clauses.get(statement) {
        Some(known) => known.clone(),
        None => clauses
            .entry(statement.to_string())
            .or_insert_with(|| classify(statement))
            .clone(),
    }
}

/// The lead-in's sentences, each cut at "however" (which adds a condition: "and"), each part
/// with the sentence it comes from.
fn lead_parts(lead: &str) -> Vec<(String, String)> {
    let lead = strip_markup(lead);
    let mut parts = Vec::new();
    for s in sentences(&lead) {
        for part in however_parts(&s) {
            parts.push((part, s.clone()));
        }
    }
    parts
}

/// Takes the part that introduces the list ("either of:", "Issues are returned where the user
/// has:") off the lead-in, in lower case: it names no permission and is read for its cue, not
/// listed.
fn take_framing(
    parts: &mut Vec<(String, String)>,
    has_list: bool,
    clauses: &mut HashMap<String, Option<Clause>>,
) -> Option<String> {
    let (last, _) = parts.last().filter(|_| has_list)?;
    if last.ends_with(':') && classify_once(clauses, last).is_none() {
        return parts.pop().map(|(p, _)| p.to_lowercase());
    }
    None
}

/// Reads the lead-in's parts into `statements`; returns the recognised clauses, each with
/// whether it opens with "however".
fn read_lead(
    parts: Vec<(String, String)>,
    clauses: &mut HashMap<String, Option<Clause>>,
    statements: &mut Vec<Statement>,
) -> Vec<(Clause, bool)> {
    let mut lead = Vec::new();
    for (part, source) in parts {
        let clause = classify_once(clauses, &part);
        if let Some(c) = &clause {
            lead.push((c.clone(), starts_with_however(&part)));
        }
        statements.push(Statement {
            text: part,
            source,
            clause,
        });
    }
    lead
}

/// Reads the bullets into `statements`; returns the recognised clauses.
fn read_list(
    bullets: &[String],
    clauses: &mut HashMap<String, Option<Clause>>,
    statements: &mut Vec<Statement>,
) -> Vec<Clause> {
    let mut list = Vec::new();
    for bullet in bullets {
        let text = strip_markup(bullet);
        if text.is_empty() {
            continue;
        }
        let clause = classify_once(clauses, &text);
        if let Some(c) = &clause {
            list.push(c.clone());
        }
        statements.push(Statement {
            source: text.clone(),
            text,
            clause,
        });
    }
    list
}

/// How the recognised permissions combine, from every place the wording joins two or more:
/// inside a clause, between the bullets, between the lead-in's sentences and the list.
fn combination(lead: &[(Clause, bool)], list: &[Clause], framing: &str) -> Combination {
    let mut seen = Vec::new();
    // Each clause that names two permissions or more says how they combine.
    for c in lead.iter().map(|(c, _)| c).chain(list) {
        if distinct([c]) > 1 {
            seen.push(c.conn);
        }
    }
    if list.len() > 1 && distinct(list) > 1 {
        seen.push(list_conn(list, framing));
    }
    if let Some(conn) = top_conn(lead, list, framing) {
        seen.push(conn);
    }
    if seen.contains(&Conn::Unstated) {
        Combination::Unstated
    } else if seen.iter().all(|&c| c == Conn::Or) {
        Combination::AnyOf
    } else if seen.iter().all(|&c| c == Conn::And) {
        Combination::AllOf
    } else {
        Combination::Mixed
    }
}

/// How the bullets combine among themselves.
fn list_conn(list: &[Clause], framing: &str) -> Conn {
    if list_cue_re().is_match(framing) {
        Conn::Or
    } else if list
        .iter()
        .any(|c| c.permissions.contains(&Permission::IssueSecurity))
    {
        Conn::And
    } else if list.iter().all(|c| c.case) {
        Conn::Or
    } else {
        Conn::Unstated
    }
}

/// How the lead-in's sentences combine among themselves and with the list (taken as one), when
/// there are two or more of them naming two permissions or more.
fn top_conn(lead: &[(Clause, bool)], list: &[Clause], framing: &str) -> Option<Conn> {
    let mut joins: Vec<Conn> = lead
        .iter()
        .skip(1)
        .map(|(c, however)| {
            if *however {
                Conn::And
            } else if c.permissions.iter().all(|&p| p == Permission::OwningApp) {
                // "Jira permissions are not required for the app providing the field": a way
                // in besides the others.
                Conn::Or
            } else {
                Conn::Unstated
            }
        })
        .collect();
    if !lead.is_empty() && !list.is_empty() {
        joins.push(if starts_with_however(framing) {
            Conn::And
        } else {
            Conn::Unstated
        });
    }
    let all = lead.iter().map(|(c, _)| c).chain(list);
    let first = *joins.first()?;
    if distinct(all) <= 1 {
        return None;
    }
    Some(if joins.iter().all(|&j| j == first) {
        first
    } else {
        Conn::Unstated
    })
}

/// The number of distinct permissions the clauses name.
fn distinct<'a>(clauses: impl IntoIterator<Item = &'a Clause>) -> usize {
    let mut all: Vec<Permission> = clauses
        .into_iter()
        .flat_map(|c| c.permissions.iter().copied())
        .collect();
    all.sort_unstable();
    all.dedup();
    all.len()
}

fn starts_with_however(text: &str) -> bool {
    text.trim_start().to_lowercase().starts_with("however")
}
