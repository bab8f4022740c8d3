//! What several test areas share: where the data that is not part of the project lives
//! (`shared`), the binary and the reference mock run as child processes (`child`), and the
//! loopback harness the mock's behaviour tests send requests through (`mock`), hand-built
//! cases for tests that drive the runner against targets of their own (`cases`), and the
//! loopback server those targets run on (`loopback`).

pub mod cases;
pub mod child;
pub mod leftovers;
pub mod loopback;
pub mod mock;
pub mod shared;

pub use mock::*;
