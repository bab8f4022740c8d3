//! The operations the target does not serve, once each (or once per resource when many).

use std::collections::BTreeMap;
use std::io::{self, Write};

use crate::case::Api;
use crate::report::fidelity::{not_served, NotServed};
use crate::report::style::{clean_line, Paint};
use crate::verdict::{Outcome, RunReport};

/// Not-served operations listed one line each without `-v`; beyond, one line per resource.
const NOT_SERVED_SHOWN: usize = 60;

/// Resources with not-served operations listed without `-v`, when grouped by resource.
const NOT_SERVED_RESOURCES_SHOWN: usize = 20;

/// The operations the target does not serve, one line each (one line per resource when there
/// are more than [`NOT_SERVED_SHOWN`] and not `verbose`: a partial mock of the whole spec).
pub(super) fn write_not_served(
    report: &RunReport,
    out: &mut dyn Write,
    paint: Paint,
    verbose: bool,
) -> io::Result<()> {
    let ops = not_served(report);
    if ops.is_empty() {
        return Ok(());
    }
    if !verbose && ops.len() > NOT_SERVED_SHOWN {
        write_per_resource(&ops, out, paint)?;
    } else {
        write_per_operation(&ops, out, paint)?;
    }
    writeln!(out)
}

/// One line per resource (at most [`NOT_SERVED_RESOURCES_SHOWN`]) naming its first operations.
fn write_per_resource(ops: &[NotServed], out: &mut dyn Write, paint: Paint) -> io::Result<()> {
    let mut resources: BTreeMap<(Api, &str), Vec<&str>> = BTreeMap::new();
    for op in ops {
        resources
            .entry((op.api, op.resource.as_str()))
            .or_default()
            .push(op.operation_id.as_str());
    }
    writeln!(
        out,
        "{}",
        paint.bold(&format!(
            "not served: {} operations of {} resources (-v lists each)",
            ops.len(),
            resources.len()
        ))
    )?;
    for ((api, resource), names) in resources.iter().take(NOT_SERVED_RESOURCES_SHOWN) {
        let mut listed = names
            .iter()
            .take(3)
            .map(|n| clean_line(n))
            .collect::<Vec<_>>()
            .join(", ");
        if names.len() > 3 {
            listed.push_str(", …");
        }
        writeln!(
            out,
            "  {} {api}::{}: {} ({listed})",
            paint.outcome("NOT SERVED", Outcome::NotServed),
            clean_line(resource),
            if names.len() == 1 {
                "1 operation".to_owned()
            } else {
                format!("{} operations", names.len())
            }
        )?;
    }
    if resources.len() > NOT_SERVED_RESOURCES_SHOWN {
        writeln!(
            out,
            "  … and {} more resources (-v lists each operation; every report has them)",
            resources.len() - NOT_SERVED_RESOURCES_SHOWN
        )?;
    }
    Ok(())
}

/// One line per operation with its number of cases.
fn write_per_operation(ops: &[NotServed], out: &mut dyn Write, paint: Paint) -> io::Result<()> {
    writeln!(
        out,
        "{}",
        paint.bold(&format!("not served: {} operations", ops.len()))
    )?;
    for op in ops {
        writeln!(
            out,
            "  {} {}::{}::{} ({} {})",
            paint.outcome("NOT SERVED", Outcome::NotServed),
            op.api,
            clean_line(&op.resource),
            clean_line(&op.operation_id),
            op.cases,
            if op.cases == 1 { "case" } else { "cases" }
        )?;
    }
    Ok(())
}
