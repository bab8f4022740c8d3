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
//!
//! Files: `permission` holds the model, `rule` reads an operation's paragraph (found by
//! `paragraph`, each statement recognised by `statement` with the `phrases` table, the whole
//! combined by `combination`); `limits` reads the length limits and `property_rules` the
//! other rules stated beside them. Every rule is a [`Sourced`] value. `pattern` compiles their
//! regular expressions.

mod combination;
mod limits;
mod paragraph;
mod pattern;
mod permission;
mod phrases;
mod property_rules;
mod rule;
mod sourced;
mod statement;
#[cfg(test)]
mod tests;

pub use limits::{
    key_limit_in_characters, key_max_chars, stated_limits, value_max_bytes, LimitSubject,
    LimitUnit, StatedLimit, MAX_TESTABLE_LIMIT,
};
pub use permission::{
    Combination, GlobalPermission, Grant, Permission, PermissionRule, ProjectPermission,
};
pub use property_rules::{case_sensitive_params, delete_missing_404};
pub use rule::{permissions, permissions_with, Readings};
pub use sourced::Sourced;

/// Builds every pattern the prose reader uses, which it otherwise does on first use.
///
/// Building them cold takes a fresh process about 4 ms (a `list` of the full 2025 spec), on the
/// thread that generates the cases; the command line calls this on a helper thread while the
/// main one reads and parses the spec. Safe to call any number of times, from any thread: each
/// pattern is built once, and a thread that needs one still being built waits for it.
pub fn warm_up() {
    limits::warm_up();
    paragraph::however_re();
    phrases::warm_up();
    property_rules::warm_up();
    rule::warm_up();
    statement::warm_up();
}
