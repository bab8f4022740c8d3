//! The suite as `cargo test` tests: every generated case is a trial, run against the embedded
//! reference mock and verified against the committed snapshots in `snapshots/mock/`.
//! Name filters work as usual: `cargo test --test conformance -- setUserProperty::limits`.

use std::path::PathBuf;
use std::sync::Arc;

use jira_conform::report::failure_text;
use jira_conform::verdict::Outcome;
use jira_conform::{prepare, run_suite, Config, SnapshotChoice};
use libtest_mimic::{Arguments, Failed, Trial};

fn main() {
    let args = Arguments::from_args();
    let config = Config {
        snapshots: SnapshotChoice::Verify,
        snapshot_root: Some(PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("snapshots")),
        ..Config::default()
    };
    let prepared = prepare(&config).expect("the embedded spec and fixtures load");
    let runtime = tokio::runtime::Runtime::new().expect("a tokio runtime");
    // The whole suite takes well under a second against the in-process mock, so it runs once
    // and each trial reports its own case's verdict.
    let output = runtime
        .block_on(run_suite(&config, &prepared, Arc::new(|_| {})))
        .expect("the suite runs against the embedded mock");
    let trials = output
        .report
        .verdicts
        .into_iter()
        .map(|v| {
            let ignored = v.outcome == Outcome::Skipped;
            let name = v.case_id.clone();
            let kind = v.family.name();
            Trial::test(name, move || match v.outcome {
                Outcome::Pass | Outcome::Skipped | Outcome::Known => Ok(()),
                Outcome::Fail | Outcome::NowConforms => Err(Failed::from(failure_text(&v))),
                Outcome::Error => Err(Failed::from(format!(
                    "error: {}",
                    v.reason.clone().unwrap_or_default()
                ))),
                // The reference mock serves every operation it is tested on.
                Outcome::NotServed => Err(Failed::from(format!(
                    "not served: {}",
                    v.reason.clone().unwrap_or_default()
                ))),
            })
            .with_kind(kind)
            .with_ignored_flag(ignored)
        })
        .collect::<Vec<_>>();
    // A harness that generated nothing would pass by running nothing.
    assert!(!trials.is_empty(), "the embedded suite generated no cases");
    libtest_mimic::run(&args, trials).exit();
}
