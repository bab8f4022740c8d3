//! What every family needs to build cases: the roles of the fixtures' principals, request
//! construction for an entity-property group, provenance of documented statuses, and the case
//! builder that names cases.

use std::cell::{OnceCell, RefCell};

use serde_json::Value;

use super::entity_property::{snake, EntityPropertyGroup};
pub use crate::case::encode_segment;
use crate::case::{
    Actor, Api, Body, BodyCheck, Case, Expectation, Family, OperationRef, Provenance, Request,
    StatusExpectation, Step, RUN_TOKEN,
};
use crate::fixtures::{Fixtures, Principal};
use crate::spec::prose::{self, PermissionRule, Sourced};
use crate::spec::{Operation, ParamLocation, Spec};

/// An account id no fixtures principal has: the "unknown user" of 404 cases.
pub const UNKNOWN_ACCOUNT_ID: &str = "000000:00000000-0000-0000-0000-00000000dead";

/// Why a case needs fixtures it does not have.
pub const NEEDS_ADMIN: &str = "needs an administrator principal (admin = true) in the fixtures";
/// Why a case needs fixtures it does not have.
pub const NEEDS_USER: &str = "needs an ordinary (non-admin) principal in the fixtures";
/// Why a case needs fixtures it does not have.
pub const NEEDS_SECOND_USER: &str = "needs a second ordinary principal in the fixtures";

/// Whose record a user-property request names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Subject<'a> {
    /// A principal's own account id.
    Of(&'a Principal),
    /// An account id nobody has.
    Unknown,
    /// This literal `accountId` (limit cases).
    Raw(String),
    /// No `accountId` at all.
    Missing,
    /// An entity named by path parameters (a dashboard item…), and the principal who owns it.
    Entity {
        /// Path parameter name → value.
        params: Vec<(String, String)>,
        /// Who owns the entity: sets up and cleans up its properties.
        owner: &'a Principal,
        /// What the entity is, for summaries, e.g. `dashboard 10001 item 10010`.
        label: String,
    },
}

/// The fixtures' principals in the roles the matrix needs.
pub struct Roles<'a> {
    /// The first administrator.
    pub admin: Option<&'a Principal>,
    /// The first ordinary user: acts on its own record.
    pub user: Option<&'a Principal>,
    /// The second ordinary user: the "someone else" of the matrix.
    pub other: Option<&'a Principal>,
}

/// A request that should succeed, with what it needs around it.
#[derive(Clone)]
pub struct Happy {
    /// Steps that prepare state.
    pub setup: Vec<Step>,
    /// The request itself.
    pub request: Request,
    /// The documented success status.
    pub status: u16,
    /// Checks on the success body.
    pub checks: Vec<BodyCheck>,
    /// Cleanup requests.
    pub cleanup: Vec<Request>,
    /// Why it cannot run with these fixtures.
    pub skip: Option<&'static str>,
}

/// Where an operation sits: in an entity-property group, or on its own.
#[derive(Clone, Copy)]
pub enum Place<'g> {
    /// Part of an entity-property group.
    Property(&'g EntityPropertyGroup),
    /// A plain operation.
    Plain,
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
    /// What the API versions of the pass share.
    shared: &'a Shared,
    /// The happy path of each plain operation, by index, once built (it does not depend on the
    /// family asking for it).
    plain_happy: Vec<OnceCell<Option<Happy>>>,
}

/// What every API version of one generation pass reads from the spec the same way, read once
/// per operation and shared by the versions' contexts.
pub struct Shared {
    /// The permission rule of each operation, by index, once read.
    permission_rules: Vec<OnceCell<PermissionRule>>,
    /// The permission paragraphs read so far: operations often share theirs.
    readings: prose::Readings,
    /// The documented statuses of each operation, by index.
    statuses: Vec<Statuses>,
    /// The resource of each operation (its first tag in snake case), by index.
    resources: Vec<String>,
}

/// The documented statuses of an operation, parsed once: most cases ask for one.
struct Statuses {
    /// The numeric status of each response, in the operation's order, and its provenance once
    /// a case has asked for it.
    responses: Vec<(Option<u16>, OnceCell<Provenance>)>,
    /// 201 for a PUT that documents it, else the first documented 2xx.
    create: Option<u16>,
}

impl Statuses {
    fn of(op: &Operation) -> Statuses {
        let responses: Vec<(Option<u16>, OnceCell<Provenance>)> = op
            .responses
            .iter()
            .map(|r| (r.code(), OnceCell::new()))
            .collect();
        let success = responses
            .iter()
            .filter_map(|(code, _)| *code)
            .filter(|s| (200..300).contains(s))
            .min();
        let documents_201 = responses.iter().any(|(code, _)| *code == Some(201));
        Statuses {
            create: if op.method == "PUT" && documents_201 {
                Some(201)
            } else {
                success
            },
            responses,
        }
    }
}

impl Shared {
    /// The resource of the operation at `index`: its first tag in snake case.
    pub fn resource(&self, index: usize) -> &str {
        &self.resources[index]
    }

    /// An empty cache for the operations of `spec`.
    pub fn new(spec: &Spec) -> Shared {
        Shared {
            permission_rules: vec![OnceCell::new(); spec.operations.len()],
            readings: prose::Readings::default(),
            statuses: spec.operations.iter().map(Statuses::of).collect(),
            resources: spec.operations.iter().map(|op| snake(op.tag())).collect(),
        }
    }
}

impl<'a> Ctx<'a> {
    /// A context for one API version.
    pub fn new(spec: &'a Spec, fixtures: &'a Fixtures, api: Api, shared: &'a Shared) -> Ctx<'a> {
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
            shared,
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
        let op = self.op(index);
        let (at, (_, provenance)) = self.shared.statuses[index]
            .responses
            .iter()
            .enumerate()
            .find(|(_, (code, _))| *code == Some(status))?;
        let provenance = provenance.get_or_init(|| {
            let response = &op.responses[at];
            Provenance::Spec {
                file: self.spec.source.clone(),
                pointer: response.pointer.clone(),
                text: format!(
                    "{} documents {status}: {}",
                    op.operation_id,
                    response.description.trim()
                ),
            }
        });
        Some(provenance.clone())
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
        self.shared.statuses[index].create
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

    /// Permission prose of an operation, read once per operation for every API version: most
    /// families ask for it and reading it is most of the generator's time on a full spec.
    pub fn permissions(&self, index: usize) -> &'a PermissionRule {
        let (spec, shared) = (self.spec, self.shared);
        shared.permission_rules[index].get_or_init(|| {
            prose::permissions_with(&spec.operations[index], &spec.source, &shared.readings)
        })
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

    /// The property value limit: the fixtures override, else the operation's prose.
    pub fn value_limit(&self, index: usize) -> Option<Sourced<usize>> {
        match self.fixtures.rules.property_value_max_bytes {
            Some(v) => Some(self.fixtures_rule("rules.property_value_max_bytes", v, "bytes")),
            None => prose::value_max_bytes(self.op(index), &self.spec.source),
        }
    }

    /// The property key limit: the fixtures override, else the operation's prose.
    pub fn key_limit(&self, index: usize) -> Option<Sourced<usize>> {
        match self.fixtures.rules.property_key_max_chars {
            Some(v) => Some(self.fixtures_rule("rules.property_key_max_chars", v, "characters")),
            None => prose::key_max_chars(self.op(index), &self.spec.source),
        }
    }

    /// The `accountId` length limit: the fixtures override, else the parameter's `maxLength`.
    pub fn account_id_limit(&self, index: usize) -> Option<Sourced<usize>> {
        if let Some(v) = self.fixtures.rules.account_id_max_chars {
            return Some(self.fixtures_rule("rules.account_id_max_chars", v, "characters"));
        }
        let param = self
            .op(index)
            .parameter(ParamLocation::Query, "accountId")?;
        let max = usize::try_from(param.max_length()?).ok()?;
        Some(Sourced {
            value: max,
            provenance: Provenance::Spec {
                file: self.spec.source.clone(),
                pointer: format!("{}/schema/maxLength", param.pointer),
                text: format!("accountId has maxLength {max}"),
            },
        })
    }

    fn fixtures_rule(&self, key: &str, value: usize, unit: &str) -> Sourced<usize> {
        Sourced {
            value,
            provenance: Provenance::Fixtures {
                file: self.fixtures.source.clone(),
                key: key.to_string(),
                text: format!("the target's limit is {value} {unit}"),
            },
        }
    }

    /// Who can repair a subject's record (set up and clean up): the admin, else the subject.
    pub fn keeper<'s>(&'s self, subject: &Subject<'s>) -> Option<&'s Principal> {
        match (self.roles.admin, subject) {
            (_, Subject::Entity { owner, .. }) => Some(owner),
            (Some(admin), _) => Some(admin),
            (None, Subject::Of(p)) => Some(p),
            _ => None,
        }
    }

    /// A request to an entity-property path: `key` `None` is the listing, `Some("")` the
    /// listing path with a trailing slash (no key).
    pub fn property_request(
        &self,
        group: &EntityPropertyGroup,
        method: &str,
        key: Option<&str>,
        subject: &Subject<'_>,
        actor: Actor,
        body: Body,
    ) -> Request {
        let mut path = self.api_path(&group.base);
        if let Subject::Entity { params, .. } = subject {
            for (name, value) in params {
                path = path.replace(&format!("{{{name}}}"), &encode_segment(value));
            }
        }
        if let Some(key) = key {
            path.push('/');
            path.push_str(&encode_segment(key));
        }
        let query = match subject {
            Subject::Of(p) => vec![("accountId".to_string(), p.account_id.clone())],
            Subject::Unknown => vec![("accountId".to_string(), UNKNOWN_ACCOUNT_ID.to_string())],
            Subject::Raw(id) => vec![("accountId".to_string(), id.clone())],
            Subject::Missing | Subject::Entity { .. } => Vec::new(),
        };
        Request {
            method: method.to_string(),
            path,
            query,
            actor,
            body,
        }
    }

    /// A permission-matrix request: `p` calls the operation at `index` of `group` on the
    /// subject, on `key` (none for the key listing), a write carrying a body that names `p`.
    pub fn matrix_request(
        &self,
        group: &EntityPropertyGroup,
        index: usize,
        key: &str,
        subject: &Subject<'_>,
        p: &Principal,
    ) -> Request {
        let method = &self.op(index).method;
        let body = if method == "PUT" {
            Body::Json(serde_json::json!({"by": p.name}))
        } else {
            Body::None
        };
        let key = (Some(index) != group.keys).then_some(key);
        self.property_request(
            group,
            method,
            key,
            subject,
            Actor::Principal(p.name.clone()),
            body,
        )
    }

    /// The key and body a request to the operation at `index` of `group` carries: no key for
    /// the listing, a run key otherwise; a small JSON body for the write.
    pub fn property_target(
        &self,
        group: &EntityPropertyGroup,
        index: usize,
        suffix: &str,
    ) -> (Option<String>, Body) {
        let key = (Some(index) != group.keys).then(|| run_key(suffix));
        let body = if self.op(index).method == "PUT" {
            Body::Json(serde_json::json!(1))
        } else {
            Body::None
        };
        (key, body)
    }

    /// A setup step that creates `key` with `value` on the subject's record, as its keeper.
    pub fn setup_put(
        &self,
        group: &EntityPropertyGroup,
        key: &str,
        subject: &Subject<'_>,
        keeper: &Principal,
        value: Value,
    ) -> Option<Step> {
        let set = group.set?;
        Some(Step {
            label: format!(
                "set up: {keeper} stores property {key}",
                keeper = keeper.name
            ),
            setup: true,
            request: self.property_request(
                group,
                "PUT",
                Some(key),
                subject,
                Actor::Principal(keeper.name.clone()),
                Body::Json(value),
            ),
            operation: Some(self.op_ref(set)),
            expect: Expectation {
                status: StatusExpectation::Success,
                body: Vec::new(),
                allow: None,
                provenance: self
                    .status_provenance(set, 201)
                    .or_else(|| self.status_provenance(set, 200))?,
            },
        })
    }

    /// The cleanup request deleting `key` from the subject's record, as its keeper.
    pub fn cleanup_delete(
        &self,
        group: &EntityPropertyGroup,
        key: &str,
        subject: &Subject<'_>,
        keeper: &Principal,
    ) -> Request {
        self.property_request(
            group,
            "DELETE",
            Some(key),
            subject,
            Actor::Principal(keeper.name.clone()),
            Body::None,
        )
    }
}

/// An expectation of `status` with no body checks, for the rule `provenance` states.
pub fn expect(status: StatusExpectation, provenance: Provenance) -> Expectation {
    Expectation {
        status,
        body: Vec::new(),
        allow: None,
        provenance,
    }
}

/// A property key unique to the case and run: the run token, then `suffix`.
pub fn run_key(suffix: &str) -> String {
    format!("{RUN_TOKEN}.{suffix}")
}

/// `api::resource::operationId::family::name`, built in one allocation (`format!` costs more,
/// and every case needs one).
fn case_id(api: Api, resource: &str, operation_id: &str, family: Family, name: &str) -> String {
    let parts = [api.label(), resource, operation_id, family.name(), name];
    let mut id = String::with_capacity(parts.iter().map(|p| p.len() + 2).sum());
    for (i, part) in parts.into_iter().enumerate() {
        if i > 0 {
            id.push_str("::");
        }
        id.push_str(part);
    }
    id
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

/// Builds a case and names it `api::resource::operationId::family::name`.
pub struct CaseBuilder {
    case: Case,
}

impl CaseBuilder {
    /// Starts a case.
    pub fn new(
        ctx: &Ctx<'_>,
        resource: &str,
        op: &Operation,
        family: Family,
        name: &str,
        summary: impl Into<String>,
    ) -> CaseBuilder {
        CaseBuilder {
            case: Case {
                id: case_id(ctx.api, resource, &op.operation_id, family, name),
                api: ctx.api,
                resource: resource.to_string(),
                operation_id: op.operation_id.clone(),
                family,
                summary: summary.into(),
                // Most cases have one step: room for exactly one (a first push would make room
                // for four, and a step is a few hundred bytes).
                steps: Vec::with_capacity(1),
                cleanup: Vec::new(),
                sweeps: Vec::new(),
                writes: false,
                skip: None,
            },
        }
    }

    /// Adds a step.
    pub fn step(mut self, step: Step) -> CaseBuilder {
        self.case.steps.push(step);
        self
    }

    /// Adds a step if there is one (an optional setup).
    pub fn step_opt(self, step: Option<Step>) -> CaseBuilder {
        match step {
            Some(s) => self.step(s),
            None => self,
        }
    }

    /// Adds a checked step.
    pub fn check(
        self,
        label: impl Into<String>,
        request: Request,
        operation: Option<OperationRef>,
        expect: Expectation,
    ) -> CaseBuilder {
        self.step(Step {
            label: label.into(),
            setup: false,
            request,
            operation,
            expect,
        })
    }

    /// Adds a cleanup request.
    pub fn cleanup(mut self, request: Request) -> CaseBuilder {
        self.case.cleanup.push(request);
        self
    }

    /// Marks the case as not runnable when the fixtures lack what it needs (`why` is `Some`).
    pub fn skip_if(self, why: Option<&str>) -> CaseBuilder {
        match why {
            Some(reason) => self.skip(reason),
            None => self,
        }
    }

    /// Marks the case as not runnable with these fixtures.
    pub fn skip(mut self, reason: &str) -> CaseBuilder {
        self.case.skip = Some(reason.to_string());
        self
    }

    /// The finished case.
    pub fn build(mut self) -> Case {
        self.case.writes = self
            .case
            .steps
            .iter()
            .any(|s| !matches!(s.request.method.as_str(), "GET" | "HEAD" | "OPTIONS"));
        // A full spec makes thousands of cases, all kept until the run ends: no spare room.
        self.case.steps.shrink_to_fit();
        self.case.cleanup.shrink_to_fit();
        self.case
    }
}

/// Placeholder principal for cases that will be skipped: keeps request shapes uniform.
pub fn placeholder() -> Principal {
    Principal {
        name: "missing".into(),
        account_id: "missing".into(),
        display_name: "missing".into(),
        admin: false,
        credentials: crate::fixtures::Credentials::Bearer {
            token: crate::fixtures::Secret::new(""),
        },
        key: "missing".into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn segments_are_percent_encoded() {
        assert_eq!(encode_segment("a/b c%é"), "a%2Fb%20c%25%C3%A9");
        assert_eq!(encode_segment("jcRUNTOK.k-1_~"), "jcRUNTOK.k-1_~");
    }
}
