//! The pure part of a run: the selected cases, the coverage, and the settings refused before
//! anything is sent.

use std::path::Path;

use super::inputs::inputs;
use super::{settings, Config, NoCases};
use crate::case::Case;
use crate::fixtures::{check_base_url, without_userinfo, Fixtures};
use crate::generate::generate;
use crate::select::select;
use crate::spec::Spec;
use crate::Error;

/// The pure part of a run: what will be tested.
pub struct Prepared {
    /// The spec.
    pub spec: Spec,
    /// The fixtures.
    pub fixtures: Fixtures,
    /// The selected cases, in id order.
    pub cases: std::sync::Arc<[Case]>,
}

/// Loads the spec and fixtures and generates the selected cases.
pub fn prepare(config: &Config) -> Result<Prepared, Error> {
    let (spec, fixtures, apis) = inputs(config)?;
    let cases = generate(&spec, &fixtures, &apis)?;
    let mut cases = select(cases, &spec, &config.selection)?;
    let consent = settings::consent(config, &fixtures);
    let target = config.target_url(&fixtures);
    // Refused before anything is sent or printed (a dry run and `diff` too): a bad URL, or one
    // carrying credentials.
    if let Some(url) = target {
        check_target_url(url)?;
    }
    crate::consent::apply_consent(&mut cases, consent, target);
    Ok(Prepared {
        spec,
        fixtures,
        cases: cases.into(),
    })
}

/// Refuses a base URL that is not usable or carries credentials; the error shows it without
/// them.
pub fn check_target_url(url: &str) -> Result<(), Error> {
    check_base_url(url).map_err(|message| Error::Target {
        url: without_userinfo(url),
        message,
    })
}

/// Loads the spec and fixtures, generates every case and reports, for the operations the
/// selection keeps, which families produced cases and why the others did not.
pub fn coverage(config: &Config) -> Result<crate::coverage::Coverage, Error> {
    let (spec, fixtures, apis) = inputs(config)?;
    let generated = crate::generate::generate_with_gaps(&spec, &fixtures, &apis)?;
    let filter = crate::select::operation_filter(&spec, &config.selection)?;
    Ok(crate::coverage::coverage(
        &spec,
        &generated.cases,
        &generated.gaps,
        &filter,
    ))
}

/// Refuses settings that would silently do nothing: `--fault` with a target other than the
/// embedded mock, `--against` a profile without snapshots, a selection of no case (unless
/// [`Config::no_cases`] accepts it).
pub fn check_settings(config: &Config, prepared: &Prepared) -> Result<(), Error> {
    if let (Some(url), Some(fault)) = (config.target_url(&prepared.fixtures), config.faults.first())
    {
        return Err(Error::Refused(format!(
            "--fault {fault} seeds the embedded mock, but the run goes to {url}: start \
             `jira-conform mock --fault {fault}` and point --target at it, or drop --target"
        )));
    }
    if let Some(profile) = &config.against {
        let root = settings::snapshot_root(config);
        if !has_snapshots(&root.join(profile)) {
            let mut known: Vec<String> = std::fs::read_dir(&root)
                .into_iter()
                .flatten()
                .flatten()
                .filter(|e| has_snapshots(&e.path()))
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .collect();
            known.sort();
            return Err(Error::Refused(format!(
                "--against {profile}: no snapshots of that profile in {}/ (record them with \
                 `run --fixtures <its fixtures> --record`); profiles with snapshots: {}",
                root.display(),
                if known.is_empty() {
                    "none".to_string()
                } else {
                    known.join(", ")
                }
            )));
        }
    }
    if prepared.cases.is_empty() && config.no_cases == NoCases::Fail {
        return Err(Error::Refused(
            "the selection matches no case (check the filters, --tag, --operation, --path, \
             --family, --api); --no-cases pass runs nothing and exits 0"
                .into(),
        ));
    }
    Ok(())
}

/// Whether a folder holds at least one `.snap` file.
fn has_snapshots(dir: &Path) -> bool {
    std::fs::read_dir(dir)
        .into_iter()
        .flatten()
        .flatten()
        .any(|e| e.path().extension().and_then(|x| x.to_str()) == Some("snap"))
}
