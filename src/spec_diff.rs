//! Spec drift: what changed between two versions of a spec, operation by operation.
//!
//! [`diff`] compares two loaded [`Spec`]s and lists typed [`Change`]s: operations added or
//! removed, and for every operation both versions document (matched by method and path) a
//! renamed operationId, changed tags, parameters, request body, statuses, security, deprecation,
//! permission grants read from the prose, and documented limits (schema bounds of parameters, the
//! property value and key limits the prose states). Path-level, a path both versions document
//! whose set of methods changed is listed once.
//!
//! The comparison covers what the case generator reads, so an operation [`SpecDiff::unchanged`]
//! keeps the ids of its cases from one version to the next (the probes of a path's undocumented
//! methods are named by the path's methods alone, which the path-level change covers). Prose other than the
//! permission paragraph and the limit sentences, summaries and the shape of response schemas are
//! not compared.
//!
//! The rendering (text and JSON) is in [`crate::report::spec_diff`].

use std::collections::{BTreeMap, BTreeSet};

use serde::{Serialize, Serializer};
use serde_json::Value;

use crate::spec::prose::{self, Grant};
use crate::spec::{Operation, ParamLocation, Parameter, Spec};

/// The kinds of change, in the order reports list them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ChangeKind {
    /// An operation only the new version documents.
    OperationAdded,
    /// An operation only the old version documents.
    OperationRemoved,
    /// A path both versions document with a different set of methods.
    PathMethodsChanged,
    /// The same method and path under another operationId.
    OperationIdChanged,
    /// The operation's tags (the first names the resource of its cases).
    TagsChanged,
    /// The operation's `deprecated` flag.
    DeprecationChanged,
    /// The security schemes, or whether anonymous access is allowed.
    SecurityChanged,
    /// The grants the "Permissions required" prose states.
    PermissionsChanged,
    /// A parameter only the new version documents.
    ParameterAdded,
    /// A parameter only the old version documents.
    ParameterRemoved,
    /// A parameter's required flag, location, deprecation or schema (not its bounds).
    ParameterChanged,
    /// A request body added or removed, its required flag or its media types.
    RequestBodyChanged,
    /// A response status only the new version documents.
    StatusAdded,
    /// A response status only the old version documents.
    StatusRemoved,
    /// The media types of a response both versions document.
    ResponseContentChanged,
    /// A documented limit: a parameter's schema bound or a limit stated in the prose.
    LimitChanged,
}

impl ChangeKind {
    /// Every kind, in report order.
    pub const ALL: [ChangeKind; 16] = [
        ChangeKind::OperationAdded,
        ChangeKind::OperationRemoved,
        ChangeKind::PathMethodsChanged,
        ChangeKind::OperationIdChanged,
        ChangeKind::TagsChanged,
        ChangeKind::DeprecationChanged,
        ChangeKind::SecurityChanged,
        ChangeKind::PermissionsChanged,
        ChangeKind::ParameterAdded,
        ChangeKind::ParameterRemoved,
        ChangeKind::ParameterChanged,
        ChangeKind::RequestBodyChanged,
        ChangeKind::StatusAdded,
        ChangeKind::StatusRemoved,
        ChangeKind::ResponseContentChanged,
        ChangeKind::LimitChanged,
    ];

    /// The stable name used in JSON (`operation_added`…).
    pub fn name(self) -> &'static str {
        match self {
            ChangeKind::OperationAdded => "operation_added",
            ChangeKind::OperationRemoved => "operation_removed",
            ChangeKind::PathMethodsChanged => "path_methods_changed",
            ChangeKind::OperationIdChanged => "operation_id_changed",
            ChangeKind::TagsChanged => "tags_changed",
            ChangeKind::DeprecationChanged => "deprecation_changed",
            ChangeKind::SecurityChanged => "security_changed",
            ChangeKind::PermissionsChanged => "permissions_changed",
            ChangeKind::ParameterAdded => "parameter_added",
            ChangeKind::ParameterRemoved => "parameter_removed",
            ChangeKind::ParameterChanged => "parameter_changed",
            ChangeKind::RequestBodyChanged => "request_body_changed",
            ChangeKind::StatusAdded => "status_added",
            ChangeKind::StatusRemoved => "status_removed",
            ChangeKind::ResponseContentChanged => "response_content_changed",
            ChangeKind::LimitChanged => "limit_changed",
        }
    }

    /// A heading for people.
    pub fn title(self) -> &'static str {
        match self {
            ChangeKind::OperationAdded => "operations added",
            ChangeKind::OperationRemoved => "operations removed",
            ChangeKind::PathMethodsChanged => "methods of a path changed",
            ChangeKind::OperationIdChanged => "operationIds changed",
            ChangeKind::TagsChanged => "tags changed",
            ChangeKind::DeprecationChanged => "deprecation changed",
            ChangeKind::SecurityChanged => "security changed",
            ChangeKind::PermissionsChanged => "permission grants changed",
            ChangeKind::ParameterAdded => "parameters added",
            ChangeKind::ParameterRemoved => "parameters removed",
            ChangeKind::ParameterChanged => "parameters changed",
            ChangeKind::RequestBodyChanged => "request bodies changed",
            ChangeKind::StatusAdded => "statuses added",
            ChangeKind::StatusRemoved => "statuses removed",
            ChangeKind::ResponseContentChanged => "response media types changed",
            ChangeKind::LimitChanged => "documented limits changed",
        }
    }
}

impl std::fmt::Display for ChangeKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

/// What of a parameter changed (its bounds are [`Limit`]s instead).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub enum ParamField {
    /// `required`.
    #[serde(rename = "required")]
    Required,
    /// `in`: the parameter moved (e.g. from the query to a header).
    #[serde(rename = "in")]
    In,
    /// `deprecated`.
    #[serde(rename = "deprecated")]
    Deprecated,
    /// `schema.type`.
    #[serde(rename = "type")]
    Type,
    /// `schema.format`.
    #[serde(rename = "format")]
    Format,
    /// `schema.enum`.
    #[serde(rename = "enum")]
    Enum,
    /// `schema.pattern`.
    #[serde(rename = "pattern")]
    Pattern,
    /// `schema.default`.
    #[serde(rename = "default")]
    Default,
    /// `schema.items.type`.
    #[serde(rename = "items.type")]
    ItemsType,
    /// `schema.items.enum`.
    #[serde(rename = "items.enum")]
    ItemsEnum,
}

impl ParamField {
    /// The field's name as in JSON.
    pub fn name(self) -> &'static str {
        match self {
            ParamField::Required => "required",
            ParamField::In => "in",
            ParamField::Deprecated => "deprecated",
            ParamField::Type => "type",
            ParamField::Format => "format",
            ParamField::Enum => "enum",
            ParamField::Pattern => "pattern",
            ParamField::Default => "default",
            ParamField::ItemsType => "items.type",
            ParamField::ItemsEnum => "items.enum",
        }
    }

    /// The schema keywords compared, with their field.
    const SCHEMA: [(ParamField, &'static [&'static str]); 7] = [
        (ParamField::Type, &["type"]),
        (ParamField::Format, &["format"]),
        (ParamField::Enum, &["enum"]),
        (ParamField::Pattern, &["pattern"]),
        (ParamField::Default, &["default"]),
        (ParamField::ItemsType, &["items", "type"]),
        (ParamField::ItemsEnum, &["items", "enum"]),
    ];
}

/// A schema bound (a JSON Schema keyword).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "camelCase")]
pub enum Bound {
    /// `minLength`.
    MinLength,
    /// `maxLength`.
    MaxLength,
    /// `minimum`.
    Minimum,
    /// `maximum`.
    Maximum,
    /// `exclusiveMinimum`.
    ExclusiveMinimum,
    /// `exclusiveMaximum`.
    ExclusiveMaximum,
    /// `minItems`.
    MinItems,
    /// `maxItems`.
    MaxItems,
}

impl Bound {
    /// Every bound compared.
    pub const ALL: [Bound; 8] = [
        Bound::MinLength,
        Bound::MaxLength,
        Bound::Minimum,
        Bound::Maximum,
        Bound::ExclusiveMinimum,
        Bound::ExclusiveMaximum,
        Bound::MinItems,
        Bound::MaxItems,
    ];

    /// The JSON Schema keyword.
    pub fn keyword(self) -> &'static str {
        match self {
            Bound::MinLength => "minLength",
            Bound::MaxLength => "maxLength",
            Bound::Minimum => "minimum",
            Bound::Maximum => "maximum",
            Bound::ExclusiveMinimum => "exclusiveMinimum",
            Bound::ExclusiveMaximum => "exclusiveMaximum",
            Bound::MinItems => "minItems",
            Bound::MaxItems => "maxItems",
        }
    }
}

/// A documented limit.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(tag = "source", rename_all = "snake_case")]
pub enum Limit {
    /// The maximum size of a property value in bytes, stated in the prose
    /// ([`prose::value_max_bytes`]).
    PropertyValueMaxBytes,
    /// The maximum length of a property key in characters, stated in the prose
    /// ([`prose::key_max_chars`]).
    PropertyKeyMaxChars,
    /// A bound in a parameter's schema.
    Parameter {
        /// Where the parameter goes.
        #[serde(rename = "in", serialize_with = "location_name")]
        location: ParamLocation,
        /// Its name.
        name: String,
        /// The bound.
        bound: Bound,
    },
}

impl std::fmt::Display for Limit {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Limit::PropertyValueMaxBytes => f.write_str("property value maximum (bytes, prose)"),
            Limit::PropertyKeyMaxChars => f.write_str("property key maximum (characters, prose)"),
            Limit::Parameter {
                location,
                name,
                bound,
            } => write!(f, "{} {name} {}", location.name(), bound.keyword()),
        }
    }
}

/// What of a request body changed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum BodyField {
    /// Whether a body is documented at all.
    Present,
    /// `required`.
    Required,
    /// The media types of its content.
    MediaTypes,
}

impl BodyField {
    /// The field's name as in JSON.
    pub fn name(self) -> &'static str {
        match self {
            BodyField::Present => "present",
            BodyField::Required => "required",
            BodyField::MediaTypes => "media_types",
        }
    }
}

/// Who may call an operation, as far as the `security` of the spec says.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Security {
    /// The security schemes, sorted.
    pub schemes: Vec<String>,
    /// Whether anonymous access is allowed (an empty requirement, or no security at all).
    pub anonymous: bool,
}

impl Security {
    fn of(op: &Operation) -> Security {
        let mut schemes = op.security.clone();
        schemes.sort();
        schemes.dedup();
        Security {
            schemes,
            anonymous: op.allows_anonymous,
        }
    }
}

/// What changed, with the old and new values where there are two.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Detail {
    /// An operation only the new version documents.
    OperationAdded,
    /// An operation only the old version documents.
    OperationRemoved,
    /// The documented methods of a path both versions have.
    PathMethodsChanged {
        /// Old methods, sorted.
        old: Vec<String>,
        /// New methods, sorted.
        new: Vec<String>,
    },
    /// A renamed operation.
    OperationIdChanged {
        /// The old operationId.
        old: String,
        /// The new one.
        new: String,
    },
    /// The tags, in order.
    TagsChanged {
        /// Old tags.
        old: Vec<String>,
        /// New tags.
        new: Vec<String>,
    },
    /// The `deprecated` flag.
    DeprecationChanged {
        /// Old flag.
        old: bool,
        /// New flag.
        new: bool,
    },
    /// Security schemes or anonymous access.
    SecurityChanged {
        /// Old security.
        old: Security,
        /// New security.
        new: Security,
    },
    /// Grants recognised in the "Permissions required" prose.
    PermissionsChanged {
        /// Old grants, sorted.
        #[serde(serialize_with = "grant_names")]
        old: Vec<Grant>,
        /// New grants, sorted.
        #[serde(serialize_with = "grant_names")]
        new: Vec<Grant>,
    },
    /// A new parameter.
    ParameterAdded {
        /// Where it goes.
        #[serde(rename = "in", serialize_with = "location_name")]
        location: ParamLocation,
        /// Its name.
        name: String,
        /// Whether it is required.
        required: bool,
    },
    /// A parameter gone.
    ParameterRemoved {
        /// Where it went.
        #[serde(rename = "in", serialize_with = "location_name")]
        location: ParamLocation,
        /// Its name.
        name: String,
        /// Whether it was required.
        required: bool,
    },
    /// A field of a parameter (in its new location when it moved).
    ParameterChanged {
        /// Where it goes.
        #[serde(rename = "in", serialize_with = "location_name")]
        location: ParamLocation,
        /// Its name.
        name: String,
        /// What changed.
        field: ParamField,
        /// The old value (`null`: absent).
        old: Value,
        /// The new value (`null`: absent).
        new: Value,
    },
    /// The request body.
    RequestBodyChanged {
        /// What changed.
        field: BodyField,
        /// The old value.
        old: Value,
        /// The new value.
        new: Value,
    },
    /// A new response status (as written: `200`, `4XX`, `default`).
    StatusAdded {
        /// The status.
        status: String,
    },
    /// A response status gone.
    StatusRemoved {
        /// The status.
        status: String,
    },
    /// The media types of a response.
    ResponseContentChanged {
        /// The status.
        status: String,
        /// Old media types, sorted.
        old: Vec<String>,
        /// New media types, sorted.
        new: Vec<String>,
    },
    /// A documented limit.
    LimitChanged {
        /// Which limit.
        limit: Limit,
        /// The old value (`null`: not stated).
        old: Value,
        /// The new value (`null`: not stated).
        new: Value,
    },
}

impl Detail {
    /// The kind of this change.
    pub fn kind(&self) -> ChangeKind {
        match self {
            Detail::OperationAdded => ChangeKind::OperationAdded,
            Detail::OperationRemoved => ChangeKind::OperationRemoved,
            Detail::PathMethodsChanged { .. } => ChangeKind::PathMethodsChanged,
            Detail::OperationIdChanged { .. } => ChangeKind::OperationIdChanged,
            Detail::TagsChanged { .. } => ChangeKind::TagsChanged,
            Detail::DeprecationChanged { .. } => ChangeKind::DeprecationChanged,
            Detail::SecurityChanged { .. } => ChangeKind::SecurityChanged,
            Detail::PermissionsChanged { .. } => ChangeKind::PermissionsChanged,
            Detail::ParameterAdded { .. } => ChangeKind::ParameterAdded,
            Detail::ParameterRemoved { .. } => ChangeKind::ParameterRemoved,
            Detail::ParameterChanged { .. } => ChangeKind::ParameterChanged,
            Detail::RequestBodyChanged { .. } => ChangeKind::RequestBodyChanged,
            Detail::StatusAdded { .. } => ChangeKind::StatusAdded,
            Detail::StatusRemoved { .. } => ChangeKind::StatusRemoved,
            Detail::ResponseContentChanged { .. } => ChangeKind::ResponseContentChanged,
            Detail::LimitChanged { .. } => ChangeKind::LimitChanged,
        }
    }
}

/// One change, where it is and what it is.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Change {
    /// The path as the spec writes it.
    pub path: String,
    /// The upper-case method; `None` for a path-level change.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub method: Option<String>,
    /// The operationId (the new one for an operation in both versions, the old one for a
    /// removed operation); `None` for a path-level change.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub operation_id: Option<String>,
    /// What changed; its `kind` names the change kind.
    #[serde(flatten)]
    pub detail: Detail,
}

impl Change {
    /// The kind of this change.
    pub fn kind(&self) -> ChangeKind {
        self.detail.kind()
    }
}

/// An operation both versions document identically, as far as the diff compares.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct OperationKey {
    /// The path.
    pub path: String,
    /// The upper-case method.
    pub method: String,
    /// The operationId.
    pub operation_id: String,
}

/// One side of the comparison.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SpecInfo {
    /// The file it was read from.
    pub source: String,
    /// `info.title`.
    pub title: String,
    /// `info.version`.
    pub version: String,
    /// How many operations it documents.
    pub operations: usize,
}

impl SpecInfo {
    fn of(spec: &Spec) -> SpecInfo {
        SpecInfo {
            source: spec.source.clone(),
            title: spec.title.clone(),
            version: spec.version.clone(),
            operations: spec.operations.len(),
        }
    }
}

/// What changed between two versions of a spec.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SpecDiff {
    /// The old version.
    pub old: SpecInfo,
    /// The new version.
    pub new: SpecInfo,
    /// Every change, by kind (in [`ChangeKind::ALL`] order), then path and method.
    pub changes: Vec<Change>,
    /// Operations in both versions with no change, by path and method.
    pub unchanged: Vec<OperationKey>,
}

impl SpecDiff {
    /// Whether the versions differ at all.
    pub fn differs(&self) -> bool {
        !self.changes.is_empty()
    }

    /// The number of changes of each kind, every kind listed (in report order).
    pub fn counts(&self) -> Vec<(ChangeKind, usize)> {
        ChangeKind::ALL
            .iter()
            .map(|&k| (k, self.changes.iter().filter(|c| c.kind() == k).count()))
            .collect()
    }

    /// The changes of one operation (by method and path), path-level ones excluded.
    pub fn changes_of<'a>(
        &'a self,
        method: &'a str,
        path: &'a str,
    ) -> impl Iterator<Item = &'a Change> + 'a {
        self.changes
            .iter()
            .filter(move |c| c.path == path && c.method.as_deref() == Some(method))
    }

    /// Keeps only the platform REST API (`/rest/api/2|3/…`, what the cases cover); other
    /// paths (Connect, Forge…) are dropped.
    pub fn api_only(mut self) -> SpecDiff {
        self.changes.retain(|c| is_platform_path(&c.path));
        self.unchanged.retain(|o| is_platform_path(&o.path));
        self
    }
}

/// Whether `path` is under `/rest/api/2` or `/rest/api/3`.
pub fn is_platform_path(path: &str) -> bool {
    ["/rest/api/3", "/rest/api/2"].iter().any(|prefix| {
        path.strip_prefix(prefix)
            .is_some_and(|rest| rest.is_empty() || rest.starts_with('/'))
    })
}

/// Compares two versions of a spec.
pub fn diff(old: &Spec, new: &Spec) -> SpecDiff {
    let old_ops: BTreeMap<(&str, &str), &Operation> = old
        .operations
        .iter()
        .map(|op| ((op.path.as_str(), op.method.as_str()), op))
        .collect();
    let new_ops: BTreeMap<(&str, &str), &Operation> = new
        .operations
        .iter()
        .map(|op| ((op.path.as_str(), op.method.as_str()), op))
        .collect();
    let mut changes = Vec::new();
    let mut unchanged = Vec::new();
    for (&(path, method), op) in &old_ops {
        if !new_ops.contains_key(&(path, method)) {
            changes.push(at(op, Some(&op.operation_id), Detail::OperationRemoved));
        }
    }
    for (&(path, method), &new_op) in &new_ops {
        let Some(&old_op) = old_ops.get(&(path, method)) else {
            changes.push(at(
                new_op,
                Some(&new_op.operation_id),
                Detail::OperationAdded,
            ));
            continue;
        };
        let details = operation(old_op, &old.source, new_op, &new.source);
        if details.is_empty() {
            unchanged.push(OperationKey {
                path: path.to_string(),
                method: method.to_string(),
                operation_id: new_op.operation_id.clone(),
            });
        }
        changes.extend(
            details
                .into_iter()
                .map(|d| at(new_op, Some(&new_op.operation_id), d)),
        );
    }
    for (path, old_methods) in &old.methods_by_path {
        let Some(new_methods) = new.methods_by_path.get(path) else {
            continue;
        };
        let sorted = |m: &Vec<String>| -> Vec<String> {
            let set: BTreeSet<&String> = m.iter().collect();
            set.into_iter().cloned().collect()
        };
        let (o, n) = (sorted(old_methods), sorted(new_methods));
        if o != n {
            changes.push(Change {
                path: path.clone(),
                method: None,
                operation_id: None,
                detail: Detail::PathMethodsChanged { old: o, new: n },
            });
        }
    }
    // Stable: within a kind, path and method, the order the comparison found them in.
    changes.sort_by(|a, b| {
        a.kind()
            .cmp(&b.kind())
            .then_with(|| a.path.cmp(&b.path))
            .then_with(|| a.method.cmp(&b.method))
    });
    SpecDiff {
        old: SpecInfo::of(old),
        new: SpecInfo::of(new),
        changes,
        unchanged,
    }
}

fn at(op: &Operation, operation_id: Option<&str>, detail: Detail) -> Change {
    Change {
        path: op.path.clone(),
        method: Some(op.method.clone()),
        operation_id: operation_id.map(str::to_string),
        detail,
    }
}

/// The differences of one operation both versions document.
fn operation(old: &Operation, old_file: &str, new: &Operation, new_file: &str) -> Vec<Detail> {
    let mut out = Vec::new();
    if old.operation_id != new.operation_id {
        out.push(Detail::OperationIdChanged {
            old: old.operation_id.clone(),
            new: new.operation_id.clone(),
        });
    }
    if old.tags != new.tags {
        out.push(Detail::TagsChanged {
            old: old.tags.clone(),
            new: new.tags.clone(),
        });
    }
    if old.deprecated != new.deprecated {
        out.push(Detail::DeprecationChanged {
            old: old.deprecated,
            new: new.deprecated,
        });
    }
    let (os, ns) = (Security::of(old), Security::of(new));
    if os != ns {
        out.push(Detail::SecurityChanged { old: os, new: ns });
    }
    let (og, ng) = (grants(old, old_file), grants(new, new_file));
    if og != ng {
        out.push(Detail::PermissionsChanged { old: og, new: ng });
    }
    parameters(old, new, &mut out);
    request_body(old, new, &mut out);
    responses(old, new, &mut out);
    for (limit, of) in [
        (
            Limit::PropertyValueMaxBytes,
            prose::value_max_bytes as fn(&Operation, &str) -> Option<prose::Sourced<usize>>,
        ),
        (Limit::PropertyKeyMaxChars, prose::key_max_chars),
    ] {
        let o = of(old, old_file).map(|s| s.value);
        let n = of(new, new_file).map(|s| s.value);
        if o != n {
            out.push(Detail::LimitChanged {
                limit,
                old: o.map_or(Value::Null, Value::from),
                new: n.map_or(Value::Null, Value::from),
            });
        }
    }
    out
}

/// The grants the permission prose states, sorted, each once.
fn grants(op: &Operation, file: &str) -> Vec<Grant> {
    let set: BTreeSet<Grant> = prose::permissions(op, file)
        .grants
        .iter()
        .map(|g| g.value)
        .collect();
    set.into_iter().collect()
}

fn parameters(old: &Operation, new: &Operation, out: &mut Vec<Detail>) {
    let key = |p: &Parameter| (p.location, p.name.clone());
    let old_by: BTreeMap<_, &Parameter> = old.parameters.iter().map(|p| (key(p), p)).collect();
    let new_by: BTreeMap<_, &Parameter> = new.parameters.iter().map(|p| (key(p), p)).collect();
    let mut gone: Vec<&Parameter> = old
        .parameters
        .iter()
        .filter(|p| !new_by.contains_key(&key(p)))
        .collect();
    let mut came: Vec<&Parameter> = new
        .parameters
        .iter()
        .filter(|p| !old_by.contains_key(&key(p)))
        .collect();
    // A parameter that left one location for another under the same name moved.
    let mut moved = Vec::new();
    gone.retain(|o| {
        let candidates = came.iter().filter(|p| p.name == o.name).count();
        let old_twins = old.parameters.iter().filter(|p| p.name == o.name).count();
        match came.iter().position(|p| p.name == o.name) {
            Some(i) if candidates == 1 && old_twins == 1 => {
                moved.push((*o, came.remove(i)));
                false
            }
            _ => true,
        }
    });
    for p in gone {
        out.push(Detail::ParameterRemoved {
            location: p.location,
            name: p.name.clone(),
            required: p.required,
        });
    }
    for p in came {
        out.push(Detail::ParameterAdded {
            location: p.location,
            name: p.name.clone(),
            required: p.required,
        });
    }
    let mut pairs: Vec<(&Parameter, &Parameter)> = new
        .parameters
        .iter()
        .filter_map(|n| old_by.get(&key(n)).map(|o| (*o, n)))
        .collect();
    pairs.extend(moved);
    for (o, n) in pairs {
        parameter(o, n, out);
    }
}

fn parameter(old: &Parameter, new: &Parameter, out: &mut Vec<Detail>) {
    let mut field = |field: ParamField, o: Value, n: Value| {
        if o != n {
            out.push(Detail::ParameterChanged {
                location: new.location,
                name: new.name.clone(),
                field,
                old: o,
                new: n,
            });
        }
    };
    field(
        ParamField::In,
        Value::from(old.location.name()),
        Value::from(new.location.name()),
    );
    field(
        ParamField::Required,
        Value::from(old.required),
        Value::from(new.required),
    );
    field(
        ParamField::Deprecated,
        Value::from(old.deprecated),
        Value::from(new.deprecated),
    );
    for (f, keys) in ParamField::SCHEMA {
        field(f, keyword(&old.schema, keys), keyword(&new.schema, keys));
    }
    for bound in Bound::ALL {
        let (o, n) = (
            keyword(&old.schema, &[bound.keyword()]),
            keyword(&new.schema, &[bound.keyword()]),
        );
        if o != n {
            out.push(Detail::LimitChanged {
                limit: Limit::Parameter {
                    location: new.location,
                    name: new.name.clone(),
                    bound,
                },
                old: o,
                new: n,
            });
        }
    }
}

/// The value at `keys` inside a schema, `null` when absent.
fn keyword(schema: &Value, keys: &[&str]) -> Value {
    keys.iter()
        .try_fold(schema, |v, k| v.get(k))
        .cloned()
        .unwrap_or(Value::Null)
}

fn media_types(content: &[(String, Value)]) -> Vec<String> {
    let set: BTreeSet<&String> = content.iter().map(|(m, _)| m).collect();
    set.into_iter().cloned().collect()
}

fn request_body(old: &Operation, new: &Operation, out: &mut Vec<Detail>) {
    let change = |field, old: Value, new: Value| Detail::RequestBodyChanged { field, old, new };
    match (&old.request_body, &new.request_body) {
        (None, None) => {}
        (Some(_), None) | (None, Some(_)) => out.push(change(
            BodyField::Present,
            Value::from(old.request_body.is_some()),
            Value::from(new.request_body.is_some()),
        )),
        (Some(o), Some(n)) => {
            if o.required != n.required {
                out.push(change(
                    BodyField::Required,
                    Value::from(o.required),
                    Value::from(n.required),
                ));
            }
            let (om, nm) = (media_types(&o.content), media_types(&n.content));
            if om != nm {
                out.push(change(
                    BodyField::MediaTypes,
                    Value::from(om),
                    Value::from(nm),
                ));
            }
        }
    }
}

fn responses(old: &Operation, new: &Operation, out: &mut Vec<Detail>) {
    let old_by: BTreeMap<&str, _> = old
        .responses
        .iter()
        .map(|r| (r.status.as_str(), r))
        .collect();
    let new_by: BTreeMap<&str, _> = new
        .responses
        .iter()
        .map(|r| (r.status.as_str(), r))
        .collect();
    for status in old_by.keys().filter(|s| !new_by.contains_key(*s)) {
        out.push(Detail::StatusRemoved {
            status: status.to_string(),
        });
    }
    for status in new_by.keys().filter(|s| !old_by.contains_key(*s)) {
        out.push(Detail::StatusAdded {
            status: status.to_string(),
        });
    }
    for (status, n) in &new_by {
        let Some(o) = old_by.get(status) else {
            continue;
        };
        let (om, nm) = (media_types(&o.content), media_types(&n.content));
        if om != nm {
            out.push(Detail::ResponseContentChanged {
                status: status.to_string(),
                old: om,
                new: nm,
            });
        }
    }
}

/// The stable name of a grant, as JSON and the text report write it.
pub fn grant_name(grant: Grant) -> &'static str {
    match grant {
        Grant::AdministerJira => "administer_jira",
        Grant::OwnRecord => "own_record",
        Grant::AccessJira => "access_jira",
        Grant::BrowseProjects => "browse_projects",
        Grant::AdministerProjects => "administer_projects",
        Grant::Anyone => "anyone",
    }
}

fn grant_names<S: Serializer>(grants: &[Grant], s: S) -> Result<S::Ok, S::Error> {
    s.collect_seq(grants.iter().map(|&g| grant_name(g)))
}

fn location_name<S: Serializer>(location: &ParamLocation, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(location.name())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spec(doc: Value) -> Spec {
        crate::spec::parse(&doc.to_string(), "t.json").unwrap()
    }

    fn doc(get: Value) -> Value {
        serde_json::json!({
            "openapi": "3.0.1",
            "info": {"title": "t", "version": "1"},
            "paths": {"/rest/api/3/x": {"get": get}}
        })
    }

    #[test]
    fn a_spec_equals_itself() {
        let s = crate::spec::embedded().unwrap();
        let d = diff(&s, &s);
        assert!(!d.differs(), "{:?}", d.changes);
        assert_eq!(d.unchanged.len(), s.operations.len());
    }

    #[test]
    fn a_moved_parameter_is_one_change() {
        let p = |at: &str| {
            serde_json::json!({"operationId": "x", "parameters": [
                {"name": "a", "in": at, "schema": {"type": "string"}}
            ], "responses": {"200": {"description": "ok"}}})
        };
        let d = diff(&spec(doc(p("query"))), &spec(doc(p("header"))));
        assert_eq!(d.changes.len(), 1, "{:?}", d.changes);
        assert!(matches!(
            &d.changes[0].detail,
            Detail::ParameterChanged {
                field: ParamField::In,
                location: ParamLocation::Header,
                ..
            }
        ));
    }

    #[test]
    fn json_names_are_flat_and_stable() {
        let c = Change {
            path: "/p".into(),
            method: Some("GET".into()),
            operation_id: Some("x".into()),
            detail: Detail::LimitChanged {
                limit: Limit::Parameter {
                    location: ParamLocation::Query,
                    name: "accountId".into(),
                    bound: Bound::MaxLength,
                },
                old: Value::from(128),
                new: Value::Null,
            },
        };
        assert_eq!(
            serde_json::to_value(&c).unwrap(),
            serde_json::json!({"path": "/p", "method": "GET", "operation_id": "x",
                "kind": "limit_changed",
                "limit": {"source": "parameter", "in": "query", "name": "accountId", "bound": "maxLength"},
                "old": 128, "new": null})
        );
        for k in ChangeKind::ALL {
            assert_eq!(serde_json::to_value(k).unwrap(), Value::from(k.name()));
        }
    }
}
