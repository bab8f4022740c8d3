//! jira-conform: conformance cases for the Jira Cloud REST API, run against any base URL.
pub mod case;
pub mod exchange;
pub mod fixtures;
pub mod spec;
pub mod verdict;
pub mod mock;
pub mod report;
pub mod generate;
