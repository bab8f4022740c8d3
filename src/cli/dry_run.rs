//! `run --dry-run`: every request each runnable case would send, in order, none sent.

use std::io::Write;

use jira_conform::case::{Body, Case, RUN_TOKEN};
use jira_conform::{Config, Prepared};

/// Prints the requests of every case (skipped ones with their reason) and a count; a closed
/// pipe ends it quietly.
pub fn dry_run(config: &Config, prepared: &Prepared) {
    let base = config
        .target_url(&prepared.fixtures)
        .unwrap_or("{embedded mock}")
        .to_string();
    let mut out = std::io::stdout().lock();
    let mut requests = 0;
    let mut skipped = 0;
    for case in prepared.cases.iter() {
        if let Some(reason) = &case.skip {
            skipped += 1;
            if writeln!(out, "# {} skipped: {reason}", case.id).is_err() {
                return;
            }
            continue;
        }
        let _ = writeln!(out, "# {}", case.id);
        match write_requests(&mut out, case, &base) {
            Some(n) => requests += n,
            None => return,
        }
    }
    let _ = writeln!(
        out,
        "dry run: {requests} requests in {} cases would be sent to {base} ({skipped} cases skipped); nothing was sent",
        prepared.cases.len() - skipped
    );
}

/// One line per request of `case` (its steps, then its cleanup); how many, or `None` once
/// standard output is closed.
fn write_requests(out: &mut dyn Write, case: &Case, base: &str) -> Option<usize> {
    let sends = case
        .steps
        .iter()
        .map(|s| (&s.request, ""))
        .chain(case.cleanup.iter().map(|r| (r, " (cleanup)")));
    let mut requests = 0;
    for (request, what) in sends {
        let size = match &request.body {
            Body::None => String::new(),
            Body::Json(v) => format!(" ({} bytes)", v.to_string().len()),
            Body::Raw { text, .. } => format!(" ({} bytes)", text.len()),
        };
        let url = jira_conform::run::url_for(base, request).replace(RUN_TOKEN, "{run}");
        requests += 1;
        writeln!(
            out,
            "{} {url} as {}{size}{what}",
            request.method, request.actor
        )
        .ok()?;
    }
    Some(requests)
}
