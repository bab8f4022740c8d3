//! The shape of a happy path: a request an allowed principal can make and what the
//! documentation promises it (built in `generate/happy.rs`), and where an operation sits.

use crate::case::{BodyCheck, Request, Step};
use crate::generate::entity_property::EntityPropertyGroup;

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
