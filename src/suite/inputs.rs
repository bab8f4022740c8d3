//! The inputs of a run: a given file, or the embedded default when none is given.

use std::path::Path;

use super::Config;
use crate::case::Api;
use crate::fixtures::{Fixtures, EMBEDDED_MOCK_FIXTURES};
use crate::spec::{self, Spec};
use crate::Error;

/// The spec at `path`, else the embedded one.
pub fn load_spec(path: Option<&Path>) -> Result<Spec, Error> {
    Ok(match path {
        Some(path) => spec::load_path(path)?,
        None => spec::embedded()?,
    })
}

/// The fixtures at `path`, else the embedded mock's.
pub fn load_fixtures(path: Option<&Path>) -> Result<Fixtures, Error> {
    Ok(match path {
        Some(path) => Fixtures::load(path)?,
        None => Fixtures::embedded()?,
    })
}

/// The text of the fixtures at `path` (empty when unreadable: it was loaded before), else of
/// the embedded mock's.
pub fn fixtures_text(path: Option<&Path>) -> String {
    match path {
        Some(path) => std::fs::read_to_string(path).unwrap_or_default(),
        None => EMBEDDED_MOCK_FIXTURES.to_string(),
    }
}

/// The spec, the fixtures and the API versions a configuration names.
pub(super) fn inputs(config: &Config) -> Result<(Spec, Fixtures, Vec<Api>), Error> {
    let spec = load_spec(config.spec.as_deref())?;
    let fixtures = load_fixtures(config.fixtures.as_deref())?;
    let apis = if config.selection.apis.is_empty() {
        Api::ALL.to_vec()
    } else {
        config.selection.apis.clone()
    };
    Ok((spec, fixtures, apis))
}
