//! One change and the whole diff: what changed where, both sides, and the operations that did
//! not change.

use serde::Serialize;
use serde_json::Value;

use super::fields::{grant_names, location_name, BodyField, Limit, ParamField, Security};
use super::ChangeKind;
use crate::spec::prose::Grant;
use crate::spec::{ParamLocation, Spec};

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
    pub(super) fn of(spec: &Spec) -> SpecInfo {
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

#[cfg(test)]
mod tests {
    use super::super::Bound;
    use super::*;

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
