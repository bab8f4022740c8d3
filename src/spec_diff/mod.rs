//! Spec drift: what changed between two versions of a spec, operation by operation.
//!
//! [`diff`] compares two loaded [`Spec`](crate::spec::Spec)s and lists typed [`Change`]s:
//! operations added or removed, and for every operation both versions document (matched by
//! method and path) a renamed operationId, changed tags, parameters, request body, statuses,
//! security, deprecation, permission grants read from the prose, and documented limits (schema
//! bounds of parameters, the property value and key limits the prose states). Path-level, a
//! path both versions document whose set of methods changed is listed once.
//!
//! The comparison covers what the case generator reads, so an operation
//! [`SpecDiff::unchanged`] keeps the ids of its cases from one version to the next (the probes
//! of a path's undocumented methods are named by the path's methods alone, which the path-level
//! change covers). Prose other than the permission paragraph and the limit sentences, summaries
//! and the shape of response schemas are not compared.
//!
//! The rendering (text and JSON) is in `report::spec_diff`.
//!
//! The change types are in `kind` (what kinds there are), `fields` (what of a parameter, body,
//! limit or security changed) and `model` (the change, the diff); the comparison that finds
//! them is in `compare`.

mod compare;
mod fields;
mod kind;
mod model;

pub use compare::diff;
pub use fields::{grant_name, BodyField, Bound, Limit, ParamField, Security};
pub use kind::ChangeKind;
pub use model::{is_platform_path, Change, Detail, OperationKey, SpecDiff, SpecInfo};
