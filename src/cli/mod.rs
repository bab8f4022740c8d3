//! The binary's command line: one file per command (its clap arguments, its help text and
//! the one function it calls in the library), the options several share (`select`,
//! `output`), the exit codes and the one error a command ends with.
//!
//! A module of the binary, not of the library: nothing in the library needs the argument
//! types, and a change here rebuilds the binary alone, not every test linked to the library.

mod cleanup;
mod command;
mod diff;
mod dry_run;
mod error;
mod exit;
mod init;
mod interrupt;
mod list;
mod mock;
mod output;
mod parse;
mod progress;
mod report;
mod run;
mod select;
mod spec_diff;
mod validate;
mod warm_start;

pub use command::{execute, Cli};
pub use error::{fail, CliError};
pub use exit::Exit;
