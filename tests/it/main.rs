//! The integration tests, one binary with a module per area (issue 16: one binary links the
//! crate once instead of once per test file). `support` holds what several areas share: the
//! real specs and recorded data next to the checkout (`support::shared`), child processes of
//! the binary, what a run left on a target, the mock harness. Two binaries stay apart:
//! `tests/conformance.rs` (the generated suite as libtest-mimic trials) and
//! `tests/hostile_targets.rs` (it measures the peak RSS of child runs, which on Linux starts
//! from the spawning process's own).
//!
//! Run one area with `cargo test --test it <module>::`, e.g. `cargo test --test it cli::`.

mod support;

mod architecture;
mod cleanup_safety;
mod cli;
mod faults;
mod full_spec_coverage;
mod full_spec_properties;
mod full_specs;
mod fuzz_inputs;
mod init;
mod interrupt;
mod known_deviations;
mod mock_behaviour;
mod mock_dashboards_roles;
mod mock_entity_properties;
mod mock_issues;
mod mock_load;
mod permission_prose;
mod real_responses;
mod real_spec_cases;
mod record_verify;
mod report_formats;
mod retries;
mod scheduling;
mod secrets;
mod spec_crosscheck;
mod spec_diff;
mod validate;
mod world_variants;
