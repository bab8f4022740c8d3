//! The exit codes of every command, in one place (the README's "Exit codes" table says the
//! same).

use std::process::ExitCode;

/// How a command ended, as the shell sees it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[repr(u8)]
pub enum Exit {
    /// 0: every case passed or was skipped (`diff`, `spec-diff`: the two sides agree;
    /// `cleanup`: nothing is left).
    Ok = 0,
    /// 1: a case failed or errored (`diff`, `spec-diff`, `validate`: a difference or a
    /// discrepancy).
    Failed = 1,
    /// 2: bad input (spec, fixtures, arguments, a journal with no entry), a target that does
    /// not answer at all or that the preflight refuses. Every [`super::CliError`] ends so.
    BadInput = 2,
    /// 3: undo requests are left in a cleanup journal (printed with the command that finishes
    /// them); takes precedence over 1.
    Leftovers = 3,
    /// 130: interrupted by Ctrl-C or SIGTERM (128 + SIGINT, as shells report it).
    Interrupted = 130,
}

impl Exit {
    /// [`Exit::Failed`] when `failed`, else [`Exit::Ok`].
    pub fn failed_if(failed: bool) -> Exit {
        if failed {
            Exit::Failed
        } else {
            Exit::Ok
        }
    }

    /// The number the process exits with.
    pub fn code(self) -> u8 {
        self as u8
    }
}

impl From<Exit> for ExitCode {
    fn from(exit: Exit) -> ExitCode {
        ExitCode::from(exit.code())
    }
}

#[cfg(test)]
mod tests {
    use super::Exit;

    #[test]
    fn the_codes_are_the_documented_ones() {
        let codes: Vec<u8> = [
            Exit::Ok,
            Exit::Failed,
            Exit::BadInput,
            Exit::Leftovers,
            Exit::Interrupted,
        ]
        .into_iter()
        .map(Exit::code)
        .collect();
        assert_eq!(codes, [0, 1, 2, 3, 130]);
        assert_eq!(Exit::failed_if(true), Exit::Failed);
        assert_eq!(Exit::failed_if(false), Exit::Ok);
    }
}
