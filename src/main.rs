//! The `jira-conform` command: parses arguments, calls the library through one function per
//! command (`src/cli/`), renders the one error a command may end with, and exits with the code
//! [`cli::Exit`] documents (0 all passed, 1 a case failed or errored, 2 bad input or unusable
//! target, 3 undo requests left in a cleanup journal, 130 interrupted).

mod cli;

use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    let exit = match cli::execute(cli::Cli::parse()) {
        Ok(exit) => exit,
        Err(e) => cli::fail(&e),
    };
    exit.into()
}
