//! What every entity property resource shares, whatever the entity (a user, a dashboard item, an
//! issue, a project, a worklog): the operations and their methods, the key and value limits, how
//! a value is read from a PUT body and answered to a GET, the key listing's body, and the store.
//!
//! The entities whose properties live under a path of their own (`…/properties`, `…/properties/`
//! and `…/properties/{propertyKey}`) share the handlers too: [`routes`] serves them for a
//! [`PropertyOwner`], which says only how the path names its entity and who may read or write
//! its properties.
//!
//! `operation` names the operations, `value` the limits and answers, `store` keeps the values
//! (plain data, below the state), `owner` serves the paths of a [`PropertyOwner`].

mod operation;
mod owner;
pub(crate) mod store;
mod value;

pub(crate) use operation::{keyless, Operation, ALLOW_PROPERTY, LISTING};
pub(crate) use owner::{routes, PropertyOwner, Target};
pub(crate) use store::Store;
pub(crate) use value::{
    check_key, check_key_bytes, not_found, read_value, set_status, too_large, KEY_MAX_CHARS,
    VALUE_MAX_BYTES,
};
