//! The reference mock: an in-memory, independent implementation of a slice of Jira Cloud's REST API (user properties and `myself`), with optional seeded faults.

mod auth;
mod error;
mod faults;
mod links;
mod myself;
mod response;
mod router;
mod server;
mod state;
mod user_properties;

pub use faults::Fault;
pub use router::app;
pub use server::{serve, MockError, MockServer};
pub use state::MockState;
