//! The data next to the checkout that is not part of the project: Atlassian's real specs
//! (`specs/`) and recorded real Jira answers (`real-responses/`, with its `INDEX.md`).
//!
//! One environment variable says where they are: `JIRA_CONFORM_SHARED`, the folder holding
//! `specs/` and `real-responses/` (default: `../shared` beside the crate root). Where a file is
//! absent, a test says `skipped: …` on stderr and passes, unless `JIRA_CONFORM_REQUIRE_SHARED=1`
//! (`.ci/run` sets it when `../shared/specs` is there): then the absence fails the test.

use std::path::{Path, PathBuf};

/// The real platform spec of 2021-11-23.
pub const SPEC_2021: &str = "jira-platform-v3.2021-11-23.json";
/// The real platform spec of 2022-07-16.
pub const SPEC_2022: &str = "jira-platform-v3.2022-07-16.json";
/// The real platform spec of 2025-07-30, the one most tests read.
pub const SPEC_2025: &str = "jira-platform-v3.2025-07-30.json";

/// The folder holding `specs/` and `real-responses/`.
pub fn shared_dir() -> PathBuf {
    match std::env::var_os("JIRA_CONFORM_SHARED") {
        Some(dir) if !dir.is_empty() => PathBuf::from(dir),
        _ => Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared"),
    }
}

/// The folder of the real Jira specs.
pub fn specs_dir() -> PathBuf {
    shared_dir().join("specs")
}

/// The folder of the recorded real Jira answers.
pub fn real_responses_dir() -> PathBuf {
    shared_dir().join("real-responses")
}

/// Where the real spec `file` would be, present or not.
pub fn spec_path(file: &str) -> PathBuf {
    specs_dir().join(file)
}

/// The real spec `file` where it is present; otherwise says so (see [`absent`]) and gives `None`.
pub fn real_spec(file: &str) -> Option<PathBuf> {
    let path = spec_path(file);
    if path.exists() {
        Some(path)
    } else {
        absent(&format!("{} not found", path.display()));
        None
    }
}

/// Whether absent shared data fails the test (`JIRA_CONFORM_REQUIRE_SHARED=1`).
pub fn required() -> bool {
    std::env::var_os("JIRA_CONFORM_REQUIRE_SHARED").is_some_and(|v| v == "1")
}

/// Says that shared data the test reads is absent: `skipped: <what>` on stderr, or, with
/// `JIRA_CONFORM_REQUIRE_SHARED=1`, a failure of the test.
pub fn absent(what: &str) {
    assert!(
        !required(),
        "{what} (JIRA_CONFORM_REQUIRE_SHARED=1: the shared data must be present; \
         JIRA_CONFORM_SHARED names its folder)"
    );
    eprintln!("skipped: {what} (set JIRA_CONFORM_SHARED to the folder holding specs/ and real-responses/)");
}
