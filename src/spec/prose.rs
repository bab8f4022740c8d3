//! Documented rules the schema does not encode, read from the operations' prose: the property
//! value limit in bytes, the property key limit in characters, and who may call an operation.
//! Every rule keeps the sentence it came from.
//!
//! Who may call an operation is read from its "Permissions required" paragraph by
//! [`permissions`]: each statement (a sentence of the lead-in, a bullet of the list that follows)
//! is recognised when it names permissions the parser knows and says nothing around them that
//! negates them, restricts them or adds an alternative it cannot name; anything else is listed
//! as unrecognised, never guessed. How the permissions combine ("or", "and", "either of:", a
//! bullet per case, issue-level security added to a list) is read from the wording too, and said
//! to be unstated when the wording does not say.

use std::cell::RefCell;
use std::collections::HashMap;
use std::fmt;
use std::sync::OnceLock;

use regex::{Regex, RegexSet};

use super::model::{Operation, ParamLocation};
use super::Provenance;

/// A value and where the documentation states it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sourced<T> {
    /// The value.
    pub value: T,
    /// Where it is stated.
    pub provenance: Provenance,
}

/// One way the "Permissions required" paragraph lets a caller in, in the vocabulary the case
/// generator acts on. Everything else the paragraph is recognised to name is a [`Permission`]:
/// [`PermissionRule::permissions`] holds both, [`PermissionRule::grants`] only these.
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
    /// No permission at all ("None"). Whether callers without credentials are let in is stated
    /// apart: see [`PermissionRule::anonymous`].
    Anyone,
}

/// A project permission the prose names, other than *Browse projects* and *Administer
/// projects* (those are [`Grant`]s). Each variant is the permission of the same name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum ProjectPermission {
    CreateIssues,
    EditIssues,
    DeleteIssues,
    AssignIssues,
    AssignableUser,
    LinkIssues,
    TransitionIssues,
    MoveIssues,
    ResolveIssues,
    CloseIssues,
    ScheduleIssues,
    ModifyReporter,
    SetIssueSecurity,
    AddComments,
    EditAllComments,
    EditOwnComments,
    DeleteAllComments,
    DeleteOwnComments,
    CreateAttachments,
    DeleteAllAttachments,
    DeleteOwnAttachments,
    WorkOnIssues,
    EditAllWorklogs,
    EditOwnWorklogs,
    DeleteAllWorklogs,
    DeleteOwnWorklogs,
    ViewVotersAndWatchers,
    ManageWatchers,
    ViewReadOnlyWorkflow,
    EditWorkflows,
    ManageSprints,
    ViewDevelopmentTools,
}

impl ProjectPermission {
    /// The permission's name as Jira's administration pages write it.
    pub fn name(self) -> &'static str {
        use ProjectPermission::*;
        match self {
            CreateIssues => "Create issues",
            EditIssues => "Edit issues",
            DeleteIssues => "Delete issues",
            AssignIssues => "Assign issues",
            AssignableUser => "Assignable user",
            LinkIssues => "Link issues",
            TransitionIssues => "Transition issues",
            MoveIssues => "Move issues",
            ResolveIssues => "Resolve issues",
            CloseIssues => "Close issues",
            ScheduleIssues => "Schedule issues",
            ModifyReporter => "Modify reporter",
            SetIssueSecurity => "Set issue security",
            AddComments => "Add comments",
            EditAllComments => "Edit all comments",
            EditOwnComments => "Edit own comments",
            DeleteAllComments => "Delete all comments",
            DeleteOwnComments => "Delete own comments",
            CreateAttachments => "Create attachments",
            DeleteAllAttachments => "Delete all attachments",
            DeleteOwnAttachments => "Delete own attachments",
            WorkOnIssues => "Work on issues",
            EditAllWorklogs => "Edit all worklogs",
            EditOwnWorklogs => "Edit own worklogs",
            DeleteAllWorklogs => "Delete all worklogs",
            DeleteOwnWorklogs => "Delete own worklogs",
            ViewVotersAndWatchers => "View voters and watchers",
            ManageWatchers => "Manage watchers",
            ViewReadOnlyWorkflow => "View read-only workflow",
            EditWorkflows => "Edit workflows",
            ManageSprints => "Manage sprints",
            ViewDevelopmentTools => "View development tools",
        }
    }
}

/// A global permission the prose names, other than *Administer Jira* (a [`Grant`]). Each
/// variant is the permission of the same name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum GlobalPermission {
    BrowseUsersAndGroups,
    ShareDashboardsAndFilters,
    BulkChange,
    CreateSharedObjects,
    ManageGroupFilterSubscriptions,
    CreateTeamManagedProjects,
}

impl GlobalPermission {
    /// The permission's name as Jira's administration pages write it.
    pub fn name(self) -> &'static str {
        use GlobalPermission::*;
        match self {
            BrowseUsersAndGroups => "Browse users and groups",
            ShareDashboardsAndFilters => "Share dashboards and filters",
            BulkChange => "Make bulk changes",
            CreateSharedObjects => "Create shared objects",
            ManageGroupFilterSubscriptions => "Manage group filter subscriptions",
            CreateTeamManagedProjects => "Create team-managed projects",
        }
    }
}

/// Everything a "Permissions required" statement is recognised to name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Permission {
    /// One of the generator's grants.
    Grant(Grant),
    /// Where issue-level security is configured, the security level's permission to see the
    /// issue.
    IssueSecurity,
    /// A named project permission on the project in question.
    Project(ProjectPermission),
    /// A named global permission.
    Global(GlobalPermission),
    /// Site administration: membership of the `site-admin` group.
    SiteAdmin,
    /// Where the comment or worklog acted on has restricted visibility, membership of the
    /// group or role it is restricted to.
    Visibility,
    /// The caller owns the entity acted on (a filter, dashboard or task it created).
    Owner,
    /// The entity acted on (a filter, a dashboard) is shared with the caller: with a group they
    /// belong to, with a public project, or with the public.
    Shared,
    /// Only apps (Connect, Forge or OAuth 2.0 ones, as the statement says) may call: no user.
    AppOnly,
    /// The app that owns the entity acted on (it provided the field, its key is in the path),
    /// needing no Jira permission.
    OwningApp,
}

impl Permission {
    /// The generator's grant, when this is one.
    pub fn as_grant(self) -> Option<Grant> {
        match self {
            Permission::Grant(g) => Some(g),
            _ => None,
        }
    }
}

impl From<Grant> for Permission {
    fn from(g: Grant) -> Self {
        Permission::Grant(g)
    }
}

impl fmt::Display for Permission {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Permission::Grant(Grant::AdministerJira) => f.write_str("global: Administer Jira"),
            Permission::Grant(Grant::OwnRecord) => f.write_str("own record"),
            Permission::Grant(Grant::AccessJira) => f.write_str("access to Jira"),
            Permission::Grant(Grant::BrowseProjects) => f.write_str("project: Browse projects"),
            Permission::Grant(Grant::AdministerProjects) => {
                f.write_str("project: Administer projects")
            }
            Permission::Grant(Grant::Anyone) => f.write_str("none (anyone)"),
            Permission::IssueSecurity => f.write_str("issue-level security"),
            Permission::Project(p) => write!(f, "project: {}", p.name()),
            Permission::Global(g) => write!(f, "global: {}", g.name()),
            Permission::SiteAdmin => f.write_str("site administration"),
            Permission::Visibility => f.write_str("restricted visibility"),
            Permission::Owner => f.write_str("owner of the entity"),
            Permission::Shared => f.write_str("shared with the caller"),
            Permission::AppOnly => f.write_str("apps only"),
            Permission::OwningApp => f.write_str("the owning app"),
        }
    }
}

/// How the recognised permissions of a rule combine.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub enum Combination {
    /// Any one of them lets the caller in: alternatives ("or", "either of", one bullet per
    /// case). Also the reading when the rule names at most one permission, and what callers
    /// assumed before the combination was read.
    #[default]
    AnyOf,
    /// Every one of them is needed ("and", a list whose bullets add conditions such as
    /// issue-level security).
    AllOf,
    /// The wording nests "and" and "or" (a choice inside a list of requirements, or the
    /// reverse): neither reading holds for the whole rule; the statements tell which.
    Mixed,
    /// The wording does not say how they combine (bullets or sentences side by side with no
    /// connective and no per-case clause): not guessed.
    Unstated,
}

/// What the "Permissions required" paragraph of an operation says.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PermissionRule {
    /// Recognised grants in the generator's vocabulary, each with its statement: the
    /// [`Permission::Grant`]s of [`permissions`](Self::permissions), in the same order.
    pub grants: Vec<Sourced<Grant>>,
    /// Every recognised permission, each with its statement, in the order of the paragraph.
    pub permissions: Vec<Sourced<Permission>>,
    /// Statements that were not recognised: listed, never guessed.
    pub unrecognised: Vec<String>,
    /// How the permissions combine.
    pub combination: Combination,
    /// The sentence saying the operation can be called anonymously, if the description has one
    /// (it stands outside the paragraph).
    pub anonymous: Option<Provenance>,
}

impl PermissionRule {
    /// The grant's provenance, if the paragraph states it.
    pub fn grant(&self, grant: Grant) -> Option<&Provenance> {
        self.grants
            .iter()
            .find(|g| g.value == grant)
            .map(|g| &g.provenance)
    }

    /// The permission's provenance, if the paragraph states it.
    pub fn permission(&self, permission: impl Into<Permission>) -> Option<&Provenance> {
        let permission = permission.into();
        self.permissions
            .iter()
            .find(|p| p.value == permission)
            .map(|p| &p.provenance)
    }

    /// Whether the wording says every permission is needed.
    pub fn all_required(&self) -> bool {
        self.combination == Combination::AllOf
    }

    /// Whether every statement of the paragraph was recognised and at least one permission was.
    pub fn fully_recognised(&self) -> bool {
        !self.permissions.is_empty() && self.unrecognised.is_empty()
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

fn key_limit_in_prose_re() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| {
        Regex::new(r"(?i)maximum length of the property key is (\d+) characters")
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
        Regex::new(
            r"(?i)\b(?:this operation can be accessed anonymously|anonymous callers may use this operation)\b",
        )
        .expect("valid regex")
    })
}

/// The paragraph as written: the lead-in after the heading and the bullets of the list that
/// follows it (raw Markdown).
#[derive(Debug, Default, PartialEq, Eq, Hash)]
struct Paragraph {
    lead: String,
    bullets: Vec<String>,
}

fn is_bullet(line: &str) -> bool {
    let t = line.trim_start();
    t.starts_with("* ") || t.starts_with("*\t") || t.starts_with("- ")
}

fn bullet_text(line: &str) -> &str {
    line.trim_start()[1..].trim()
}

/// Finds the heading and cuts the paragraph: the lead-in block, and the bullet list that
/// directly follows a lead-in that is empty or introduces it (ends with a colon, says "either
/// of"). What comes after is about something else. `lower` is the description in ASCII lower
/// case.
fn paragraph_in(description: &str, lower: &str) -> Option<Paragraph> {
    let at = lower
        .find("permissions](#permissions) required")
        .or_else(|| lower.find("permissions required"))?;
    let after = at + lower[at..].find("required")? + "required".len();
    let rest = description[after..].trim_start_matches(['*', ':', ' ', '\t']);
    let mut blocks: Vec<Vec<&str>> = Vec::new();
    let mut current = Vec::new();
    for line in rest.lines() {
        if line.trim().is_empty() {
            if !current.is_empty() {
                blocks.push(std::mem::take(&mut current));
            }
        } else {
            current.push(line);
        }
    }
    if !current.is_empty() {
        blocks.push(current);
    }
    let mut out = Paragraph::default();
    let mut blocks = blocks.into_iter().peekable();
    let mut in_list = false;
    if let Some(first) = blocks.next() {
        for line in first {
            if is_bullet(line) {
                in_list = true;
                out.bullets.push(bullet_text(line).to_string());
            } else if in_list {
                push_continuation(&mut out.bullets, line);
            } else {
                if !out.lead.is_empty() {
                    out.lead.push('\n');
                }
                out.lead.push_str(line.trim());
            }
        }
    }
    let lead = strip_markup(&out.lead);
    let introduces = in_list
        || lead.is_empty()
        || lead.ends_with(':')
        || list_cue_re().is_match(&lead.to_lowercase());
    if !introduces {
        return Some(out);
    }
    while let Some(block) = blocks.next_if(|b| is_bullet(b[0])) {
        for line in block {
            if is_bullet(line) {
                out.bullets.push(bullet_text(line).to_string());
            } else {
                push_continuation(&mut out.bullets, line);
            }
        }
    }
    Some(out)
}

fn push_continuation(bullets: &mut [String], line: &str) {
    if let Some(last) = bullets.last_mut() {
        last.push(' ');
        last.push_str(line.trim());
    }
}

/// How statements or the parts of one combine.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Conn {
    And,
    Or,
    Unstated,
}

/// A recognised statement: its permissions (each once, in order) and how they combine.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Clause {
    permissions: Vec<Permission>,
    conn: Conn,
    /// The statement states the case it covers ("…, to set a property on any user", "for
    /// system avatars, …"), so bullets that all do are alternatives.
    case: bool,
}

/// One statement of the paragraph as read.
#[derive(Debug)]
struct Statement {
    /// The statement, plain text (the part of a sentence that was classified).
    text: String,
    /// What provenance quotes: the whole sentence or bullet.
    source: String,
    clause: Option<Clause>,
}

#[derive(Debug)]
struct Reading {
    statements: Vec<Statement>,
    combination: Combination,
}

fn read(paragraph: &Paragraph, clauses: &mut HashMap<String, Option<Clause>>) -> Reading {
    let mut classify = |statement: &str| match clauses.get(statement) {
        Some(known) => known.clone(),
        None => clauses
            .entry(statement.to_string())
            .or_insert_with(|| classify(statement))
            .clone(),
    };
    let mut statements = Vec::new();
    // Lead-in: sentences, each cut at "however" (which adds a condition: "and").
    let lead = strip_markup(&paragraph.lead);
    let mut parts: Vec<(String, String)> = Vec::new();
    for s in sentences(&lead) {
        for part in however_parts(&s) {
            parts.push((part, s.clone()));
        }
    }
    // The part that introduces the list ("either of:", "Issues are returned where the user
    // has:") names no permission: it is read for its cue, not listed.
    let mut framing = None;
    if !paragraph.bullets.is_empty() {
        if let Some((last, _)) = parts.last() {
            if last.ends_with(':') && classify(last).is_none() {
                framing = parts.pop().map(|(p, _)| p.to_lowercase());
            }
        }
    }
    let mut lead_nodes: Vec<(Clause, bool)> = Vec::new();
    for (part, source) in parts {
        let clause = classify(&part);
        if let Some(c) = &clause {
            lead_nodes.push((c.clone(), starts_with_however(&part)));
        }
        statements.push(Statement {
            text: part,
            source,
            clause,
        });
    }
    let mut list = Vec::new();
    for bullet in &paragraph.bullets {
        let text = strip_markup(bullet);
        if text.is_empty() {
            continue;
        }
        let clause = classify(&text);
        if let Some(c) = &clause {
            list.push(c.clone());
        }
        statements.push(Statement {
            source: text.clone(),
            text,
            clause,
        });
    }
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
    let mut seen = Vec::new();
    // Each clause that names two permissions or more says how they combine.
    for c in lead_nodes.iter().map(|(c, _)| c).chain(&list) {
        if distinct(std::slice::from_ref(c)) > 1 {
            seen.push(c.conn);
        }
    }
    // The bullets among themselves.
    let list_conn = if list_cue_re().is_match(&framing) {
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
    };
    if list.len() > 1 && distinct(&list) > 1 {
        seen.push(list_conn);
    }
    // The lead-in's sentences among themselves and with the list.
    let mut top: Vec<(Vec<Clause>, Conn)> = lead_nodes
        .iter()
        .enumerate()
        .map(|(i, (c, however))| {
            let joined = if i == 0 {
                Conn::Unstated
            } else if *however {
                Conn::And
            } else if c.permissions.iter().all(|&p| p == Permission::OwningApp) {
                // "Jira permissions are not required for the app providing the field": a way
                // in besides the others.
                Conn::Or
            } else {
                Conn::Unstated
            };
            (vec![c.clone()], joined)
        })
        .collect();
    if !list.is_empty() {
        let joined = if starts_with_however(&framing) {
            Conn::And
        } else {
            Conn::Unstated
        };
        top.push((list.clone(), joined));
    }
    let all: Vec<Clause> = top.iter().flat_map(|(c, _)| c.clone()).collect();
    if top.len() > 1 && distinct(&all) > 1 {
        let joins: Vec<Conn> = top.iter().skip(1).map(|(_, j)| *j).collect();
        seen.push(if joins.iter().all(|&j| j == joins[0]) {
            joins[0]
        } else {
            Conn::Unstated
        });
    }
    let combination = if seen.contains(&Conn::Unstated) {
        Combination::Unstated
    } else if seen.iter().all(|&c| c == Conn::Or) {
        Combination::AnyOf
    } else if seen.iter().all(|&c| c == Conn::And) {
        Combination::AllOf
    } else {
        Combination::Mixed
    };
    Reading {
        statements,
        combination,
    }
}

fn distinct(clauses: &[Clause]) -> usize {
    let mut all: Vec<Permission> = clauses
        .iter()
        .flat_map(|c| c.permissions.iter().copied())
        .collect();
    all.sort_unstable();
    all.dedup();
    all.len()
}

fn starts_with_however(text: &str) -> bool {
    text.trim_start().to_lowercase().starts_with("however")
}

/// Cuts plain text into sentences: at a full stop followed by a space and a capital letter.
fn sentences(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut from = 0;
    let bytes = text.as_bytes();
    for (i, &b) in bytes.iter().enumerate() {
        if b == b'.'
            && bytes.get(i + 1) == Some(&b' ')
            && bytes.get(i + 2).is_some_and(u8::is_ascii_uppercase)
        {
            out.push(text[from..=i].trim().to_string());
            from = i + 1;
        }
    }
    out.push(text[from..].trim().to_string());
    out.retain(|s| !s.is_empty());
    out
}

/// Cuts a sentence before each ", however," / "; however,": "Permission to access Jira,
/// however, the user must own the filter" is two statements.
fn however_parts(sentence: &str) -> Vec<String> {
    static RE: OnceLock<Regex> = OnceLock::new();
    let re = RE.get_or_init(|| Regex::new(r"(?i)[,;]\s+(however\b)").expect("valid regex"));
    let mut out = Vec::new();
    let mut from = 0;
    for caps in re.captures_iter(sentence) {
        let (cut, next) = (caps.get(0).expect("match"), caps.get(1).expect("group"));
        out.push(sentence[from..cut.start()].trim().to_string());
        from = next.start();
    }
    out.push(sentence[from..].trim().to_string());
    out.retain(|s| !s.is_empty());
    out
}

/// Removes Markdown emphasis and links, keeping the link text.
///
/// A link is `[text](target)`: a `[`, text up to the first `]`, then `(`, a target up to the
/// first `)` (what the regex `\[([^\]]*)\]\([^)]*\)` matches, leftmost first); `*` is dropped and
/// every run of whitespace becomes one space, none at the ends. One pass, no regex: this runs on
/// every statement of every operation's permission paragraph.
fn strip_markup(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut space = false;
    let mut rest = text;
    while let Some(open) = rest.find('[') {
        let link = rest[open + 1..].find(']').and_then(|close| {
            let close = open + 1 + close;
            let target = rest[close + 1..].strip_prefix('(')?;
            let end = target.find(')')?;
            Some((close, close + 2 + end))
        });
        match link {
            Some((close, end)) => {
                push_plain(&mut out, &mut space, &rest[..open]);
                push_plain(&mut out, &mut space, &rest[open + 1..close]);
                rest = &rest[end + 1..];
            }
            None => {
                push_plain(&mut out, &mut space, &rest[..=open]);
                rest = &rest[open + 1..];
            }
        }
    }
    push_plain(&mut out, &mut space, rest);
    out
}

/// Appends `piece` to `out` without `*`, each run of whitespace as one space between words;
/// `space` carries a run that ends a piece over to the next.
fn push_plain(out: &mut String, space: &mut bool, piece: &str) {
    for c in piece.chars() {
        if c == '*' {
            continue;
        }
        if c.is_whitespace() {
            *space = !out.is_empty();
            continue;
        }
        if std::mem::take(space) {
            out.push(' ');
        }
        out.push(c);
    }
}

/// The words that say a list's bullets are alternatives.
fn list_cue_re() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| Regex::new(r"\b(?:either|one of|any of)\b").expect("valid regex"))
}

/// The phrases recognised in a statement (lower case, Markdown removed), each naming a
/// permission. Leftmost-first: a longer phrase comes before one it starts with.
const PHRASES: &[(&str, Permission)] = {
    use GlobalPermission as G;
    use Grant::*;
    use Permission::{Global, Grant as Gr, Project};
    use ProjectPermission as P;
    &[
        ("administer jira", Gr(AdministerJira)),
        ("jira admins?", Gr(AdministerJira)),
        ("administer projects?", Gr(AdministerProjects)),
        ("browse users and groups", Global(G::BrowseUsersAndGroups)),
        ("browse projects?", Gr(BrowseProjects)),
        ("permission to access jira", Gr(AccessJira)),
        ("access to jira", Gr(AccessJira)),
        ("calling user's", Gr(OwnRecord)),
        ("issue[- ]level security permission", Permission::IssueSecurity),
        (
            "issue[- ]level security is (?:configured|implemented), permission to view",
            Permission::IssueSecurity,
        ),
        (
            "belongs to the group or has the role(?: (?:role )?visibility is)+ restricted to",
            Permission::Visibility,
        ),
        (
            "the comment-level restriction will be applied",
            Permission::Visibility,
        ),
        ("site administration", Permission::SiteAdmin),
        ("site[- ]admins?", Permission::SiteAdmin),
        (
            "share dashboards and filters",
            Global(G::ShareDashboardsAndFilters),
        ),
        ("(?:global )?bulk change|make bulk changes", Global(G::BulkChange)),
        ("create shared objects", Global(G::CreateSharedObjects)),
        (
            "manage group filter subscriptions",
            Global(G::ManageGroupFilterSubscriptions),
        ),
        (
            "create (?:team-managed|next-gen) projects",
            Global(G::CreateTeamManagedProjects),
        ),
        ("create issues", Project(P::CreateIssues)),
        ("edit issues", Project(P::EditIssues)),
        ("delete issues", Project(P::DeleteIssues)),
        ("assign issues", Project(P::AssignIssues)),
        ("assignable user", Project(P::AssignableUser)),
        ("link issues", Project(P::LinkIssues)),
        ("transition issues", Project(P::TransitionIssues)),
        ("move issues", Project(P::MoveIssues)),
        ("resolve issues", Project(P::ResolveIssues)),
        ("close issues", Project(P::CloseIssues)),
        ("schedule issues", Project(P::ScheduleIssues)),
        ("modify reporter", Project(P::ModifyReporter)),
        ("set issue security", Project(P::SetIssueSecurity)),
        ("add comments", Project(P::AddComments)),
        ("edit all comments", Project(P::EditAllComments)),
        ("edit own comments", Project(P::EditOwnComments)),
        ("delete all comments", Project(P::DeleteAllComments)),
        ("delete own comments", Project(P::DeleteOwnComments)),
        ("create attachments", Project(P::CreateAttachments)),
        ("delete all attachments", Project(P::DeleteAllAttachments)),
        ("delete own attachments", Project(P::DeleteOwnAttachments)),
        ("work on issues", Project(P::WorkOnIssues)),
        ("edit all worklogs", Project(P::EditAllWorklogs)),
        ("edit own worklogs", Project(P::EditOwnWorklogs)),
        ("delete all worklogs", Project(P::DeleteAllWorklogs)),
        ("delete own worklogs", Project(P::DeleteOwnWorklogs)),
        ("view voters and watchers", Project(P::ViewVotersAndWatchers)),
        ("manage watcher list|manage watchers", Project(P::ManageWatchers)),
        (
            r"view \(read-only\) workflows?",
            Project(P::ViewReadOnlyWorkflow),
        ),
        ("edit workflows?", Project(P::EditWorkflows)),
        ("manage sprints?", Project(P::ManageSprints)),
        ("view development tools", Project(P::ViewDevelopmentTools)),
        (
            "the user must own the (?:filter|dashboard)|must be the owner of the (?:filter|dashboard)|owned by the user|creator of the (?:filter|dashboard|task)",
            Permission::Owner,
        ),
        (
            "shared with (?:a group that the user is a member of|a public project|the public|them)",
            Permission::Shared,
        ),
        (
            r"only (?:connect|forge|oauth 2\.0)(?: apps?)?(?:,? (?:and|or) (?:connect|forge|oauth 2\.0)(?: apps?)?)* can (?:make this request|use this operation)",
            Permission::AppOnly,
        ),
        (
            "only accessible to apps(?: and apps can only [a-z]+ their own [a-z]+)?",
            Permission::AppOnly,
        ),
        (
            "only the app that (?:owns|created) the custom field(?: or custom field type)?",
            Permission::OwningApp,
        ),
        (
            "jira permissions are not required for the (?:forge )?app (?:that (?:provided|created|owns)|providing) the (?:custom )?field(?: type)?",
            Permission::OwningApp,
        ),
        ("only a connect app whose key matches", Permission::OwningApp),
        (
            "forge apps can access connect app properties",
            Permission::OwningApp,
        ),
    ]
};

/// Jira products whose names start like "access to Jira": not access to Jira itself.
const OTHER_PRODUCTS: [&str; 4] = [
    " software",
    " service management",
    " work management",
    " product discovery",
];

fn phrase_re() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| {
        let alternatives: Vec<String> = PHRASES.iter().map(|(p, _)| format!("({p})")).collect();
        Regex::new(&format!(r"\b(?:{})\b", alternatives.join("|"))).expect("valid regex")
    })
}

/// "None": at the start of a statement, after "otherwise", or ending it after a comma ("for
/// system avatars, none.").
fn none_re() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| {
        Regex::new(r"^(none)\b|\botherwise,? (none)\b|, (none)\W*$").expect("valid regex")
    })
}

/// Words before the first permission that turn the statement around or add an alternative the
/// parser cannot read ("if the user does not have", "the creator of the filter or a user with").
fn prefix_bad_re() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| {
        Regex::new(
            r"\b(?:not|no|never|unless|except|without|however|but|cannot|otherwise|or)\b|n't\b",
        )
        .expect("valid regex")
    })
}

/// Words between two permissions that make the statement more than a list of them.
fn gap_bad_re() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| {
        Regex::new(r"\b(?:not|no|never|unless|except|without|however|but|cannot)\b|n't\b")
            .expect("valid regex")
    })
}

/// Words after the last permission that restrict it or add an alternative ("is only needed
/// when", "or have the dashboard shared with them", "results may be incomplete otherwise").
fn tail_bad_re() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| {
        Regex::new(
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
        Regex::new(
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
        Regex::new(
            r"\b(?:and|or)\s+(?:the\s+)?(?:[\w()'-]+\s+){1,4}(?:project|global)\s+permissions?\b",
        )
        .expect("valid regex")
    })
}

/// A permission kind glued to the word before it ("Edit all worklogsproject permission").
fn glued_re() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| Regex::new(r"([a-z])((?:project|global) permission)").expect("valid regex"))
}

/// A statement that opens with the case it covers: "for system avatars, …", "if the user has
/// the …", "to remove other users from the watchlist, …".
fn condition_re() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| {
        Regex::new(r"^(?:(?:for|if|when|to)\b[^.]*,\s*$|if the user has\b)").expect("valid regex")
    })
}

/// A permission kind: before the first recognised name it belongs to a name the phrases do not
/// know.
fn kind_re() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| Regex::new(r"\b(?:project|global)\s+permissions?\b").expect("valid regex"))
}

fn or_re() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| Regex::new(r"\b(?:or|otherwise)\b").expect("valid regex"))
}

#[derive(Debug, Clone, Copy)]
struct Mention {
    start: usize,
    end: usize,
    permission: Permission,
}

/// Each phrase alone, anchored: the phrases that match where a match of [`phrase_re`] starts.
fn phrase_set() -> &'static RegexSet {
    static SET: OnceLock<RegexSet> = OnceLock::new();
    SET.get_or_init(|| {
        RegexSet::new(PHRASES.iter().map(|(p, _)| format!(r"\A(?:{p})\b"))).expect("valid regex")
    })
}

/// The phrase a match of [`phrase_re`] at the start of `tail` took: the first phrase that
/// matches there, as leftmost-first alternation prefers it (what the phrase's capture group
/// says, without running a capture engine over sixty groups for every match).
fn phrase_at(tail: &str) -> Option<usize> {
    phrase_set().matches(tail).iter().next()
}

fn mentions(lower: &str) -> Vec<Mention> {
    let mut out = Vec::new();
    for m in phrase_re().find_iter(lower) {
        let Some(i) = phrase_at(&lower[m.start()..]) else {
            continue;
        };
        let permission = PHRASES[i].1;
        if permission == Permission::Grant(Grant::AccessJira)
            && OTHER_PRODUCTS
                .iter()
                .any(|p| lower[m.end()..].starts_with(p))
        {
            continue;
        }
        out.push(Mention {
            start: m.start(),
            end: m.end(),
            permission,
        });
    }
    if let Some(caps) = none_re().captures(lower) {
        if let Some(m) = caps.iter().skip(1).flatten().next() {
            out.push(Mention {
                start: m.start(),
                end: m.end(),
                permission: Permission::Grant(Grant::Anyone),
            });
        }
    }
    out.sort_by_key(|m| m.start);
    out
}

/// Recognises one statement (plain text), or says it cannot: a statement is recognised when it
/// names permissions and says nothing around them that negates them, restricts them or adds an
/// alternative the parser has no name for.
fn classify(statement: &str) -> Option<Clause> {
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
    fn unknown_wording_is_listed_not_guessed() {
        let rule = read_rule(" Be on the moon.");
        assert!(rule.grants.is_empty());
        assert_eq!(rule.unrecognised, vec!["Be on the moon.".to_string()]);
    }

    // ----------------------------------------------------------------------------------------
    // The shapes of the "Permissions required" paragraph, in wording written for these tests.

    const HEAD: &str = "**[Permissions](#permissions) required:**";
    const ADMIN: Permission = Permission::Grant(Grant::AdministerJira);
    const OWN: Permission = Permission::Grant(Grant::OwnRecord);
    const ACCESS: Permission = Permission::Grant(Grant::AccessJira);
    const BROWSE: Permission = Permission::Grant(Grant::BrowseProjects);
    const ADMIN_PROJECTS: Permission = Permission::Grant(Grant::AdministerProjects);
    const ANYONE: Permission = Permission::Grant(Grant::Anyone);

    fn op_with(description: &str) -> Operation {
        Operation {
            method: "GET".into(),
            path: "/x".into(),
            operation_id: "x".into(),
            tags: vec![],
            summary: String::new(),
            description: description.into(),
            deprecated: false,
            parameters: vec![],
            request_body: None,
            responses: vec![],
            security: vec![],
            allows_anonymous: false,
            pointer: "/paths/~1x/get".into(),
        }
    }

    /// The rule of "Does x." followed by the heading and `paragraph`.
    fn read_rule(paragraph: &str) -> PermissionRule {
        permissions(&op_with(&format!("Does x.\n\n{HEAD}{paragraph}")), "f")
    }

    fn values(rule: &PermissionRule) -> Vec<Permission> {
        rule.permissions.iter().map(|p| p.value).collect()
    }

    fn quoted(p: &Provenance) -> &str {
        match p {
            Provenance::Spec { text, .. } => text,
            _ => panic!("{p:?}"),
        }
    }

    #[test]
    fn one_sentence_one_permission_with_its_provenance() {
        let rule = read_rule(" *Administer Jira* [global permission](https://x/y).");
        assert_eq!(values(&rule), [ADMIN]);
        assert_eq!(rule.combination, Combination::AnyOf);
        assert!(rule.fully_recognised());
        assert_eq!(
            rule.permissions[0].provenance,
            Provenance::Spec {
                file: "f".into(),
                pointer: "/paths/~1x/get/description".into(),
                text: "Administer Jira global permission.".into(),
            }
        );
        assert_eq!(rule.grants.len(), 1);
        assert_eq!(rule.grants[0].value, Grant::AdministerJira);
    }

    #[test]
    fn the_heading_comes_in_several_forms() {
        for description in [
            "**[Permissions](#permissions) required**: None.",
            "**Permissions required:** None",
            "**[Permissions](#permissions) required:**\n\n * None.",
        ] {
            let rule = permissions(&op_with(description), "f");
            assert_eq!(values(&rule), [ANYONE], "{description}");
        }
        // No heading: no rule at all.
        let rule = permissions(
            &op_with("Does x. *Administer Jira* global permission."),
            "f",
        );
        assert_eq!(rule, PermissionRule::default());
    }

    #[test]
    fn bullets_that_each_state_their_case_are_alternatives() {
        let rule = read_rule(
            "\n\n *  *Administer Jira* global permission, to change any user's entry.\n \
             *  Access to Jira, to change the calling user's entry.",
        );
        assert_eq!(values(&rule), [ADMIN, OWN]);
        assert_eq!(rule.combination, Combination::AnyOf);
        // Access to Jira is folded into the own-record grant.
        assert!(rule.grant(Grant::AccessJira).is_none());
        assert!(quoted(rule.grant(Grant::OwnRecord).unwrap()).contains("calling user's"));
        let rule = read_rule(
            "\n\n *  For built-in icons, none.\n *  For a project's own icons, *Browse projects* \
             project permission for that project.",
        );
        assert_eq!(values(&rule), [ANYONE, BROWSE]);
        assert_eq!(rule.combination, Combination::AnyOf);
    }

    #[test]
    fn either_of_makes_a_list_of_alternatives() {
        let rule = read_rule(
            " either of:\n\n *  *Browse users and groups* global permission.\n *  \
             *Administer Jira* global permission.",
        );
        let users = Permission::Global(GlobalPermission::BrowseUsersAndGroups);
        assert_eq!(values(&rule), [users, ADMIN]);
        assert_eq!(rule.combination, Combination::AnyOf);
        assert!(
            rule.unrecognised.is_empty(),
            "the lead-in is not a statement"
        );
    }

    #[test]
    fn a_list_with_issue_security_is_all_required() {
        let rule = read_rule(
            " For the issue in question:\n\n *  *Browse projects* [project permission](x) for \
             the issue's project.\n *  If [issue-level security](y) is configured, \
             issue-level security permission to view the issue.",
        );
        assert_eq!(values(&rule), [BROWSE, Permission::IssueSecurity]);
        assert_eq!(rule.combination, Combination::AllOf);
        assert!(rule.all_required());
        assert!(rule.unrecognised.is_empty());
    }

    #[test]
    fn and_and_or_inside_one_sentence() {
        let rule = read_rule(
            " *Browse projects* and *Edit issues* [project permissions](x) for the project.",
        );
        let edit = Permission::Project(ProjectPermission::EditIssues);
        assert_eq!(values(&rule), [BROWSE, edit]);
        assert_eq!(rule.combination, Combination::AllOf);
        assert_eq!(
            rule.grants.len(),
            1,
            "Edit issues is not one of the generator's grants"
        );
        let rule = read_rule(
            " *Administer projects* project permission for the project or *Administer Jira* \
             global permission.",
        );
        assert_eq!(values(&rule), [ADMIN_PROJECTS, ADMIN]);
        assert_eq!(rule.combination, Combination::AnyOf);
        let rule = read_rule(" *Browse projects*, *Edit issues*, and *Link issues* permission.");
        assert_eq!(rule.permissions.len(), 3);
        assert_eq!(rule.combination, Combination::AllOf);
    }

    #[test]
    fn a_choice_inside_required_bullets_is_mixed() {
        let rule = read_rule(
            "\n\n *  *Browse projects* project permission for the project.\n *  If \
             issue-level security is configured, issue-level security permission to view the \
             issue.\n *  *Edit all worklogs* project permission to change any worklog or *Edit \
             own worklogs* to change the caller's.",
        );
        assert_eq!(rule.permissions.len(), 4);
        assert_eq!(rule.combination, Combination::Mixed);
        assert!(!rule.all_required());
    }

    #[test]
    fn bullets_side_by_side_do_not_say_how_they_combine() {
        let rule = read_rule(
            "\n\n *  *Administer projects* project permission for the project.\n *  \
             *Administer Jira* global permission.",
        );
        assert_eq!(values(&rule), [ADMIN_PROJECTS, ADMIN]);
        assert_eq!(rule.combination, Combination::Unstated);
        assert!(rule.fully_recognised(), "every statement is recognised");
    }

    #[test]
    fn however_adds_a_condition() {
        let rule = read_rule(" Permission to access Jira, however, the user must own the filter.");
        assert_eq!(values(&rule), [ACCESS, Permission::Owner]);
        assert_eq!(rule.combination, Combination::AllOf);
        // Both keep the whole sentence as provenance.
        assert_eq!(
            rule.permissions[0].provenance,
            rule.permissions[1].provenance
        );
        let rule = read_rule(
            " Permission to access Jira. However, the user must own the filter or have the \
             *Administer Jira* global permission.",
        );
        assert_eq!(values(&rule), [ACCESS, Permission::Owner, ADMIN]);
        assert_eq!(rule.combination, Combination::Mixed);
        // "None, however, …:" introduces a list and is not itself listed.
        let rule = read_rule(
            " None, however, results are only returned where the user has:\n\n *  *Browse \
             projects* project permission for the project.\n *  If issue-level security is \
             configured, issue-level security permission to view the issue.",
        );
        assert_eq!(values(&rule), [ANYONE, BROWSE, Permission::IssueSecurity]);
        assert_eq!(rule.combination, Combination::AllOf);
        assert!(rule.unrecognised.is_empty());
    }

    #[test]
    fn wording_that_negates_restricts_or_adds_an_unknown_alternative_is_not_recognised() {
        for statement in [
            // Another product.
            "Permission to access Jira Software.",
            // Negated.
            "If the user does not have the *Edit issues* project permission, nothing is listed.",
            // Restricted.
            "*Administer Jira* global permission is only needed when the key changes.",
            // An alternative the parser has no name for.
            "The user must be the owner of the dashboard or be its editor.",
            // A permission the phrases do not know, next to one they do.
            "*Browse projects* and *Teleport issues* project permission.",
            "*Teleport issues* project permission and *Browse projects*.",
        ] {
            let rule = read_rule(&format!(" {statement}"));
            assert!(rule.permissions.is_empty(), "{statement}: {rule:?}");
            assert_eq!(rule.unrecognised.len(), 1, "{statement}: {rule:?}");
        }
    }

    #[test]
    fn other_sentences_of_the_lead_in_are_statements_too() {
        let rule = read_rule(
            " *Browse users and groups* global permission. Callers without it get an empty \
             list.",
        );
        assert_eq!(
            values(&rule),
            [Permission::Global(GlobalPermission::BrowseUsersAndGroups)]
        );
        assert_eq!(rule.unrecognised, ["Callers without it get an empty list."]);
        assert!(!rule.fully_recognised());
    }

    #[test]
    fn apps() {
        for statement in [
            "Only Connect apps can make this request.",
            "Only [Connect](x) and [OAuth 2.0](y) apps can use this operation.",
            "Only Forge apps can make this request.",
        ] {
            let rule = read_rule(&format!(" {statement}"));
            assert_eq!(values(&rule), [Permission::AppOnly], "{statement}");
            assert!(rule.grants.is_empty());
        }
        let rule = read_rule(
            " *Administer Jira* global permission. Jira permissions are not required for the \
             app providing the field.",
        );
        assert_eq!(values(&rule), [ADMIN, Permission::OwningApp]);
        assert_eq!(rule.combination, Combination::AnyOf);
        let rule =
            read_rule(" Only a Connect app whose key matches `appKey` can make this request.");
        assert_eq!(values(&rule), [Permission::OwningApp]);
    }

    #[test]
    fn site_administration_and_otherwise_none() {
        let rule =
            read_rule(" Site administration (that is, member of the *site-admin* [group](x)).");
        assert_eq!(values(&rule), [Permission::SiteAdmin]);
        let rule = read_rule(
            " *Administer Jira* global permission to ask about other users, otherwise none.",
        );
        assert_eq!(values(&rule), [ADMIN, ANYONE]);
        assert_eq!(rule.combination, Combination::AnyOf);
    }

    #[test]
    fn the_anonymous_sentence_is_read_from_the_whole_description() {
        let op = op_with(&format!(
            "Does x.\n\nThis operation can be accessed anonymously.\n\n{HEAD} None."
        ));
        let rule = permissions(&op, "f");
        assert_eq!(
            rule.anonymous.as_ref().map(quoted),
            Some("This operation can be accessed anonymously.")
        );
        let op = op_with(&format!(
            "Does x.\n\nThis API can't be accessed anonymously.\n\n{HEAD} None."
        ));
        assert_eq!(permissions(&op, "f").anonymous, None);
        let op = op_with("Does x.\n\nAnonymous callers may use this operation.");
        let rule = permissions(&op, "f");
        assert!(rule.anonymous.is_some());
        assert!(rule.permissions.is_empty() && rule.unrecognised.is_empty());
    }

    #[test]
    fn the_paragraph_ends_where_its_list_ends() {
        let rule = read_rule(
            "\n\n *  *Administer Jira* global permission.\n\nThe queries are:\n\n *  \
             *Browse projects* is not read.",
        );
        assert_eq!(values(&rule), [ADMIN]);
        assert!(rule.unrecognised.is_empty());
        // A lead-in that does not introduce a list does not read the next one.
        let rule = read_rule(
            " *Administer Jira* global permission.\n\n *  `is assignee of PROJ` matches.",
        );
        assert_eq!(values(&rule), [ADMIN]);
        assert!(rule.unrecognised.is_empty());
        // A bullet continued on the next line is one statement.
        let rule = read_rule(
            "\n\n *  *Browse projects* project permission\n    for the project.\n *  If \
             issue-level security is configured, issue-level security permission to view the \
             issue.",
        );
        assert_eq!(
            quoted(&rule.permissions[0].provenance),
            "Browse projects project permission for the project."
        );
    }

    #[test]
    fn nothing_after_the_heading_is_listed_not_dropped() {
        let rule = permissions(&op_with("Does x.\n\n**Permissions required:**"), "f");
        assert!(rule.permissions.is_empty());
        assert_eq!(rule.unrecognised.len(), 1);
        // A lead-in that announces a list that never comes is a statement.
        let rule = read_rule(" For the issue in question:");
        assert_eq!(rule.unrecognised, ["For the issue in question:"]);
    }

    #[test]
    fn a_kind_glued_to_the_name_is_still_read() {
        let rule = read_rule(" *Delete all worklogs* and *Edit all worklogs*project permission");
        assert_eq!(
            values(&rule),
            [
                Permission::Project(ProjectPermission::DeleteAllWorklogs),
                Permission::Project(ProjectPermission::EditAllWorklogs)
            ]
        );
        assert_eq!(rule.combination, Combination::AllOf);
    }

    #[test]
    fn restricted_visibility_and_sharing() {
        let rule = read_rule(
            "\n\n *  *Browse projects* project permission for the project.\n *  If the \
             worklog has visibility restrictions, belongs to the group or has the role \
             visibility is restricted to.",
        );
        assert_eq!(values(&rule), [BROWSE, Permission::Visibility]);
        let rule =
            read_rule(" The user must be the owner of the dashboard or have it shared with them.");
        assert_eq!(values(&rule), [Permission::Owner, Permission::Shared]);
        assert_eq!(rule.combination, Combination::AnyOf);
    }

    #[test]
    fn odd_text_does_not_panic() {
        for description in [
            "permissions required",
            "**Permissions required:**",
            "**Permissions required:** İİ. *\n\n* \n- x\n\n*",
            "Permissions required: ÉÉ. İstanbul, otherwise none. Ünïcode’s calling user’s.",
            "**Permissions required:** *\n *\n * *\n\n *",
            "**Permissions required:** a. B. c, however, d; however: e.\n * f",
            "**Permissions required:** None, none, otherwise none,",
        ] {
            let rule = permissions(&op_with(description), "f");
            assert!(
                !rule.permissions.is_empty() || !rule.unrecognised.is_empty(),
                "{description:?}: {rule:?}"
            );
        }
    }

    #[test]
    fn markup_is_stripped_as_the_link_regex_would() {
        // The reading `strip_markup` replaced, kept here as its specification.
        fn by_regex(text: &str) -> String {
            let link = Regex::new(r"\[([^\]]*)\]\([^)]*\)").unwrap();
            link.replace_all(text, "$1")
                .replace('*', "")
                .split_whitespace()
                .collect::<Vec<_>>()
                .join(" ")
        }
        for text in [
            "",
            "   ",
            "*Browse projects* [project permission](https://x.y/z) for the project.",
            "[a [b](c) d](e) [f] (g) [h](i [j](k)",
            "[unclosed](target [x] ] ( ) [](empty)[]() *",
            "  **[Administer Jira](https://a/b(c))** global  permission \t\n or ’é’ [x]\n(y)",
            "[multi\nline](t\nu) \u{a0}non-breaking\u{2003}spaces *",
            "* * a*b* [*c*](*d*)",
        ] {
            assert_eq!(strip_markup(text), by_regex(text), "{text:?}");
        }
    }

    #[test]
    fn the_phrase_of_a_match_is_its_capture_group() {
        let texts = [
            "administer jira global permission and browse projects project permission",
            "jira admins, site admin, administer project, administer projects",
            "access to jira software, access to jira, permission to access jira",
            "global bulk change, make bulk changes, bulk change",
            "issue-level security permission; issue level security is configured, permission to view",
            "view (read-only) workflow, edit workflows, manage sprint",
            "only connect and forge apps can make this request. only oauth 2.0 can use this operation",
            "the user must own the filter or shared with the public or owned by the user",
            "xadminister jira, administer jiras, é administer jira é",
        ];
        for text in texts {
            let by_groups: Vec<(usize, usize, usize)> = phrase_re()
                .captures_iter(text)
                .filter_map(|caps| {
                    let (i, m) = caps
                        .iter()
                        .skip(1)
                        .enumerate()
                        .find_map(|(i, m)| Some((i, m?)))?;
                    Some((i, m.start(), m.end()))
                })
                .collect();
            let by_set: Vec<(usize, usize, usize)> = phrase_re()
                .find_iter(text)
                .filter_map(|m| Some((phrase_at(&text[m.start()..])?, m.start(), m.end())))
                .collect();
            assert!(!by_groups.is_empty(), "{text}");
            assert_eq!(by_set, by_groups, "{text}");
        }
    }

    #[test]
    fn every_permission_has_a_name() {
        use std::collections::BTreeSet;
        let names: BTreeSet<String> = PHRASES.iter().map(|(_, p)| p.to_string()).collect();
        assert!(names.len() > 40, "{names:?}");
        assert!(names.contains("project: Edit issues"));
        assert_eq!(ADMIN.as_grant(), Some(Grant::AdministerJira));
        assert_eq!(Permission::AppOnly.as_grant(), None);
    }
}
