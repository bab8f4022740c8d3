//! What several test areas share: where the data that is not part of the project lives
//! (`shared`), the binary and the reference mock run as child processes (`child`), and the
//! loopback harness the mock's behaviour tests send requests through (`mock`).

pub mod child;
pub mod leftovers;
pub mod mock;
pub mod shared;

pub use mock::*;
