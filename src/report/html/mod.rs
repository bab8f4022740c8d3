//! The HTML report: the Markdown report's content as one self-contained page (inline CSS and a
//! little inline JavaScript, no external asset, font or request), with outcome colours, filters
//! by discrepancy kind and by resource, the totals table per resource and family, and snapshot
//! drift shown side by side.
//!
//! Everything that comes from the target, the fixtures or the spec is HTML-escaped, and the
//! page's Content-Security-Policy forbids loading anything, so a hostile body can neither run
//! script nor make the reader's browser fetch a URL.
//!
//! - `page.rs`: the frame (head, style and script from `../assets/`, header, footer) and the
//!   order of the sections;
//! - `overview.rs`: fidelity, root causes, operations not served, the totals table;
//! - `discrepancies.rs`: the filters and the findings by operation and discrepancy kind;
//! - `exchange.rs`: what the target answered at a step, and the curl reproduction;
//! - `listed.rs`: known deviations, now-conforming entries, untestable cases, skip reasons;
//! - `escape.rs`: HTML escaping of everything that comes from outside.

mod discrepancies;
mod escape;
mod exchange;
mod listed;
mod overview;
mod page;
#[cfg(test)]
mod tests;

pub use page::write_html;
