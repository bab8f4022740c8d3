//! What of an operation's element changed: a parameter's field, a documented limit and its
//! bound, a request body's field, the security requirements; and the stable names JSON writes
//! them by.

use serde::{Serialize, Serializer};

use crate::spec::prose::Grant;
use crate::spec::{Operation, ParamLocation};

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
    pub(super) const SCHEMA: [(ParamField, &'static [&'static str]); 7] = [
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
    /// ([`prose::value_max_bytes`](crate::spec::prose::value_max_bytes)).
    PropertyValueMaxBytes,
    /// The maximum length of a property key in characters, stated in the prose
    /// ([`prose::key_max_chars`](crate::spec::prose::key_max_chars)).
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
    pub(super) fn of(op: &Operation) -> Security {
        let mut schemes = op.security.clone();
        schemes.sort();
        schemes.dedup();
        Security {
            schemes,
            anonymous: op.allows_anonymous,
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

pub(super) fn grant_names<S: Serializer>(grants: &[Grant], s: S) -> Result<S::Ok, S::Error> {
    s.collect_seq(grants.iter().map(|&g| grant_name(g)))
}

pub(super) fn location_name<S: Serializer>(
    location: &ParamLocation,
    s: S,
) -> Result<S::Ok, S::Error> {
    s.serialize_str(location.name())
}
