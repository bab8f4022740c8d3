//! The state of one generation pass for one API version: the spec, the fixtures, the rules
//! read before the families ran, the principals by role, and the gaps noted so far.

use std::cell::{OnceCell, RefCell};

use super::happy_path::Happy;
use crate::case::{Api, Expectation, Family, OperationRef, Provenance, StatusExpectation};
use crate::fixtures::{Credentials, Fixtures, Principal, Secret};
use crate::generate::rules::{Limits, OperationRules, Rules};
use crate::spec::prose::PermissionRule;
use crate::spec::{Operation, Spec};

/// Why a case needs fixtures it does not have.
pub const NEEDS_ADMIN: &str = "needs an administrator principal (admin = true) in the fixtures";
/// Why a case needs fixtures it does not have.
pub const NEEDS_USER: &str = "needs an ordinary (non-admin) principal in the fixtures";
/// Why a case needs fixtures it does not have.
pub const NEEDS_SECOND_USER: &str = "needs a second ordinary principal in the fixtures";

/// The fixtures' principals in the roles the matrix needs.
pub struct Roles<'a> {
    /// The first administrator.
    pub admin: Option<&'a Principal>,
    /// The first ordinary user: acts on its own record.
    pub user: Option<&'a Principal>,
    /// The second ordinary user: the "someone else" of the matrix.
    pub other: Option<&'a Principal>,
}

/// Shared state of one generation pass for one API version.
pub struct Ctx<'a> {
    /// The spec.
    pub spec: &'a Spec,
    /// The fixtures.
    pub fixtures: &'a Fixtures,
    /// The API version being generated.
    pub api: Api,
    /// The principals by role.
    pub roles: Roles<'a>,
    /// The principal most cases act as: the first ordinary user (the least privileged one the
    /// documentation allows), else the admin; a stand-in when the fixtures have neither.
    pub actor: Principal,
    /// Why cases acting as [`Ctx::actor`] are skipped, when it is the stand-in.
    pub actor_missing: Option<&'static str>,
    /// What the generator could not build, and why: operation index, family (`None`: every
    /// family that starts from the happy path), reason. Read by the coverage report.
    pub gaps: RefCell<Vec<(usize, Option<Family>, String)>>,
    /// The rules of every operation, read once for every API version.
    rules: &'a Rules,
    /// The happy path of each plain operation, by index, once built (it does not depend on the
    /// family asking for it).
    plain_happy: Vec<OnceCell<Option<Happy>>>,
}

impl<'a> Ctx<'a> {
    /// A context for one API version.
    pub fn new(spec: &'a Spec, fixtures: &'a Fixtures, api: Api, rules: &'a Rules) -> Ctx<'a> {
        let users = fixtures.users();
        let roles = Roles {
            admin: fixtures.admin(),
            user: users.first().copied(),
            other: users.get(1).copied(),
        };
        let found = roles.user.or(roles.admin);
        Ctx {
            spec,
            fixtures,
            api,
            actor: found.cloned().unwrap_or_else(placeholder),
            actor_missing: found.is_none().then_some(NEEDS_USER),
            roles,
            gaps: RefCell::new(Vec::new()),
            rules,
            plain_happy: std::iter::repeat_with(OnceCell::new)
                .take(spec.operations.len())
                .collect(),
        }
    }

    /// Notes that `family` (or, for `None`, the happy path every family starts from) builds no
    /// case for the operation at `index`, and why.
    pub fn gap(&self, index: usize, family: Option<Family>, reason: impl Into<String>) {
        self.gaps.borrow_mut().push((index, family, reason.into()));
    }

    /// The operation at an index.
    pub fn op(&self, index: usize) -> &'a Operation {
        &self.spec.operations[index]
    }

    /// The rules of the operation at an index.
    pub fn rules(&self, index: usize) -> &'a OperationRules {
        self.rules.of(index)
    }

    /// The limits the operation at an index states (or the fixtures override).
    pub fn limits(&self, index: usize) -> &'a Limits {
        &self.rules(index).limits
    }

    /// A reference to the operation at an index, for schema and status-set checks.
    pub fn op_ref(&self, index: usize) -> OperationRef {
        OperationRef {
            operation_id: self.op(index).operation_id.clone(),
            index,
        }
    }

    /// The concrete path of an operation under this API version.
    pub fn api_path(&self, rel: &str) -> String {
        format!("{}{}", self.api.prefix(), rel)
    }

    /// Provenance of a documented status of an operation; `None` if it is not documented.
    pub fn status_provenance(&self, index: usize, status: u16) -> Option<Provenance> {
        self.rules(index).status_provenance(status).cloned()
    }

    /// An expectation of exactly `status`, documented by the operation's response list.
    pub fn expect_documented(&self, index: usize, status: u16) -> Option<Expectation> {
        Some(Expectation {
            status: StatusExpectation::Exact(status),
            body: Vec::new(),
            allow: None,
            provenance: self.status_provenance(index, status)?,
        })
    }

    /// The status a successful call answers with when it creates: 201 for a documented
    /// create (PUT of a new property), else the first documented 2xx.
    pub fn create_status(&self, index: usize) -> Option<u16> {
        self.rules(index).create_status
    }

    /// The operation's path as sent under this API version (for summaries), written where it
    /// is formatted: most summaries show it, and a `String` of its own for each cost more.
    pub fn shown_path(&self, index: usize) -> ShownPath<'a> {
        let op = self.op(index);
        match op.api_relative_path() {
            Some(rel) => ShownPath(self.api.prefix(), rel),
            None => ShownPath("", &op.path),
        }
    }

    /// The permission prose of an operation, as the rules step read it.
    pub fn permissions(&self, index: usize) -> &'a PermissionRule {
        &self.rules(index).permissions
    }

    /// The happy path of the plain operation at `index`, built once per API version (`build`
    /// builds it; it notes its own gaps, once).
    pub fn plain_happy(
        &self,
        index: usize,
        build: impl FnOnce() -> Option<Happy>,
    ) -> Option<&Happy> {
        self.plain_happy[index].get_or_init(build).as_ref()
    }
}

/// An operation's path as sent under an API version: the version's prefix, then the path
/// relative to it (or no prefix and the whole path).
pub struct ShownPath<'s>(&'static str, &'s str);

impl std::fmt::Display for ShownPath<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.0)?;
        f.write_str(self.1)
    }
}

/// Placeholder principal for cases that will be skipped: keeps request shapes uniform.
pub fn placeholder() -> Principal {
    Principal {
        name: "missing".into(),
        account_id: "missing".into(),
        display_name: "missing".into(),
        admin: false,
        credentials: Credentials::Bearer {
            token: Secret::new(""),
        },
        key: "missing".into(),
    }
}
