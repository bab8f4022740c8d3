//! The kinds of change a spec diff lists, in report order.

use serde::Serialize;

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
