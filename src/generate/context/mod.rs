//! What every family needs to build cases: the pass's state for one API version (the rules,
//! the principals by role, the gaps), the case builder that names cases, requests to an
//! entity-property record, and the shape of a happy path.

mod builder;
mod happy_path;
mod pass;
mod property;

pub use builder::{expect, run_key, CaseBuilder};
pub use happy_path::{Happy, Place};
pub use pass::{placeholder, Ctx, Roles, NEEDS_ADMIN, NEEDS_SECOND_USER, NEEDS_USER};
pub use property::Subject;
