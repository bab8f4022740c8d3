//! Value parsers of the options: each refuses with a message naming what is accepted.

use jira_conform::case::{Api, Family};
use jira_conform::mock::Fault;
use jira_conform::verdict::CompareLevel;

pub fn parse_principal(s: &str) -> Result<jira_conform::init::PrincipalSpec, String> {
    s.parse()
}

pub fn parse_api(s: &str) -> Result<Api, String> {
    Api::parse(s).ok_or_else(|| format!("{s:?} is not an API version: use 2 or 3"))
}

pub fn parse_family(s: &str) -> Result<Family, String> {
    Family::parse(s).ok_or_else(|| {
        let names: Vec<&str> = Family::ALL.iter().map(|f| f.name()).collect();
        format!("{s:?} is not a family: use one of {}", names.join(", "))
    })
}

pub fn parse_rps(s: &str) -> Result<f64, String> {
    match s.parse::<f64>() {
        Ok(v) if v > 0.0 && v.is_finite() => Ok(v),
        _ => Err(format!(
            "{s:?} is not a rate: give requests per second, more than 0"
        )),
    }
}

pub fn parse_compare(s: &str) -> Result<CompareLevel, String> {
    CompareLevel::parse(s).ok_or_else(|| {
        format!("{s:?} is not a comparison level: use status, content-type, shape or values")
    })
}

pub fn parse_fault(s: &str) -> Result<Fault, String> {
    Fault::parse(s).ok_or_else(|| {
        let names: Vec<&str> = Fault::ALL.iter().map(|f| f.name()).collect();
        format!("{s:?} is not a fault: use one of {}", names.join(", "))
    })
}
