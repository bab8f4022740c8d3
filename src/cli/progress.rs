//! Progress on a terminal: a spinner (`init`) or a bar of cases (`run`), never in CI or a pipe.

use std::io::IsTerminal;

use indicatif::{ProgressBar, ProgressStyle};

/// Whether a person watches stderr: a terminal, and not CI.
pub fn interactive() -> bool {
    std::io::stderr().is_terminal() && std::env::var_os("CI").is_none()
}

/// A spinner with a message and the elapsed time, when [`interactive`].
pub fn spinner() -> Option<ProgressBar> {
    interactive().then(|| {
        let bar = ProgressBar::new_spinner();
        if let Ok(style) = ProgressStyle::with_template("{spinner} {msg} {elapsed}") {
            bar.set_style(style);
        }
        bar
    })
}

/// A bar of `cases` cases, when [`interactive`].
pub fn case_bar(cases: u64) -> Option<ProgressBar> {
    interactive().then(|| {
        let bar = ProgressBar::new(cases);
        if let Ok(style) =
            ProgressStyle::with_template("{spinner} [{bar:30}] {pos}/{len} cases {elapsed} {msg}")
        {
            bar.set_style(style.progress_chars("=> "));
        }
        bar
    })
}
