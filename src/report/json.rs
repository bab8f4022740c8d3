//! The JSON report: a versioned document holding every verdict, described by
//! `docs/report.schema.json`.

use std::io::Write;

use serde::Serialize;

use super::error::ReportError;
use super::excerpt::{bounded, Limits};
use super::fidelity::{fidelity, not_served, FidelityRow, NotServed};
use super::root_causes::{root_causes, RootCause};
use crate::verdict::{Outcome, RunReport, Verdict};

/// Version of the JSON report's layout; raised whenever `docs/report.schema.json` changes
/// incompatibly, so consumers can refuse documents they do not understand.
pub const JSON_REPORT_VERSION: u32 = 4;

/// The document; field order is the key order written (serde keeps declaration order).
#[derive(Serialize)]
struct Document<'a> {
    format_version: u32,
    tool: &'static str,
    tool_version: &'static str,
    profile: &'a str,
    target: &'a str,
    spec: &'a str,
    elapsed_ms: u64,
    /// The shard this run ran, for `report merge`.
    partition: Option<crate::select::Partition>,
    totals: Totals,
    snapshots_verified: bool,
    fidelity: Vec<FidelityRow>,
    root_causes: Vec<RootCause>,
    not_served: Vec<NotServed>,
    verdicts: &'a [Verdict],
}

/// Verdict counts per outcome.
#[derive(Serialize)]
struct Totals {
    pass: usize,
    fail: usize,
    error: usize,
    skipped: usize,
    known: usize,
    now_conforms: usize,
    not_served: usize,
    total: usize,
}

/// Writes `report` to `out` as the JSON document described by `docs/report.schema.json`.
///
/// The document is pretty-printed with a final newline; keys come in a fixed order, so two runs
/// with the same verdicts give identical bytes.
pub fn write_json(report: &RunReport, out: &mut dyn Write) -> Result<(), ReportError> {
    let report = &*bounded(report, Limits::JSON);
    let document = Document {
        format_version: JSON_REPORT_VERSION,
        tool: "jira-conform",
        tool_version: env!("CARGO_PKG_VERSION"),
        profile: &report.profile,
        target: &report.target,
        spec: &report.spec,
        elapsed_ms: report.elapsed_ms,
        partition: report.partition,
        totals: Totals {
            pass: report.count(Outcome::Pass),
            fail: report.count(Outcome::Fail),
            error: report.count(Outcome::Error),
            skipped: report.count(Outcome::Skipped),
            known: report.count(Outcome::Known),
            now_conforms: report.count(Outcome::NowConforms),
            not_served: report.count(Outcome::NotServed),
            total: report.verdicts.len(),
        },
        snapshots_verified: report.snapshots_verified,
        fidelity: fidelity(report),
        root_causes: root_causes(report),
        not_served: not_served(report),
        verdicts: &report.verdicts,
    };
    // Streamed, not built in memory first: against a hostile target the document is tens of
    // MiB of excerpts. serde_json says whether an error came from the writer or from
    // serialisation, so the two are still told apart.
    let mut buffered = std::io::BufWriter::new(out);
    let written = serde_json::to_writer_pretty(&mut buffered, &document).map_err(|e| {
        if e.is_io() {
            ReportError::Io {
                format: "JSON",
                source: std::io::Error::other(e),
            }
        } else {
            ReportError::Json(e)
        }
    });
    written?;
    buffered
        .write_all(b"\n")
        .and_then(|()| buffered.flush())
        .map_err(|source| ReportError::Io {
            format: "JSON",
            source,
        })
}

#[cfg(test)]
mod tests {
    use serde_json::{json, Value};

    use super::*;
    use crate::case::Family;
    use crate::report::sample::{self, KINDS};

    const SCHEMA: &str = include_str!("../../docs/report.schema.json");

    fn document() -> Value {
        let mut out = Vec::new();
        write_json(&sample::report(), &mut out).unwrap();
        assert!(out.ends_with(b"}\n"));
        serde_json::from_slice(&out).unwrap()
    }

    fn schema() -> Value {
        serde_json::from_str(SCHEMA).expect("docs/report.schema.json is JSON")
    }

    /// Every way `instance` departs from the schema, one per line.
    fn violations(instance: &Value) -> Vec<String> {
        let validator = jsonschema::validator_for(&schema()).expect("the schema compiles");
        validator
            .iter_errors(instance)
            // The message quotes the instance; the sample's 32 KiB value would drown the report.
            .map(|e| {
                format!(
                    "{}: {}",
                    e.instance_path(),
                    crate::report::style::cut(&e.to_string(), 300)
                )
            })
            .collect()
    }

    #[test]
    fn the_schema_is_a_valid_schema() {
        let schema = schema();
        if let Err(error) = jsonschema::meta::validate(&schema) {
            panic!("docs/report.schema.json: {error}");
        }
    }

    #[test]
    fn the_output_matches_the_schema() {
        let document = document();
        let violations = violations(&document);
        assert!(violations.is_empty(), "{}", violations.join("\n"));
    }

    #[test]
    fn the_schema_rejects_departures() {
        // Each mutation is something the schema must catch; if it did not, the schema would not
        // describe the output closely enough to guard it.
        type Mutation = (&'static str, fn(&mut Value));
        let mutations: [Mutation; 13] = [
            ("unknown top-level key", |d| d["extra"] = json!(1)),
            ("other format version", |d| d["format_version"] = json!(1)),
            ("missing verdict key", |d| {
                d["verdicts"][0]
                    .as_object_mut()
                    .unwrap()
                    .shift_remove("reason");
            }),
            ("upper-case api", |d| d["verdicts"][0]["api"] = json!("V3")),
            ("unknown failure kind", |d| {
                d["verdicts"][2]["failures"][0]["kind"] = json!("wrong status")
            }),
            ("response not wrapped in received", |d| {
                let ok = d["verdicts"][2]["exchanges"][0]["response"]["received"].take();
                d["verdicts"][2]["exchanges"][0]["response"] = ok;
            }),
            ("provenance without its kind", |d| {
                let p = &mut d["verdicts"][2]["failures"][0]["provenance"];
                p.as_object_mut().unwrap().shift_remove("kind");
            }),
            ("negative count", |d| d["totals"]["fail"] = json!(-1)),
            ("unknown detail type", |d| {
                d["verdicts"][2]["failures"][0]["detail"]["type"] = json!("wrong status")
            }),
            ("wrong status detail without its expectation", |d| {
                let detail = d["verdicts"][2]["failures"][0]["detail"].as_object_mut();
                detail.unwrap().shift_remove("expected");
            }),
            ("root cause without its cases", |d| {
                let cause = d["root_causes"][0].as_object_mut().unwrap();
                cause.shift_remove("cases");
            }),
            ("fidelity row without judged", |d| {
                let row = d["fidelity"][0].as_object_mut().unwrap();
                row.shift_remove("judged");
            }),
            ("known entry without its reason", |d| {
                let known = d["verdicts"][10]["known"].as_object_mut().unwrap();
                known.shift_remove("reason");
            }),
        ];
        for (what, mutate) in mutations {
            let mut document = document();
            mutate(&mut document);
            assert!(
                !violations(&document).is_empty(),
                "the schema accepts: {what}"
            );
        }
    }

    #[test]
    fn the_schema_enums_are_the_names_the_code_writes() {
        let schema = schema();
        let names = |def: &str| -> Vec<String> {
            serde_json::from_value(schema["$defs"][def]["enum"].clone()).unwrap()
        };
        assert_eq!(names("outcome"), Outcome::ALL.map(|o| o.name()));
        assert_eq!(names("family"), Family::ALL.map(|f| f.name()));
        assert_eq!(names("failure_kind"), KINDS.map(|k| k.name()));
        // The serialised names are the ones `name()` gives.
        for kind in KINDS {
            assert_eq!(serde_json::to_value(kind).unwrap(), json!(kind.name()));
        }
    }

    #[test]
    fn header_totals_and_verdicts() {
        let report = sample::report();
        let document = document();
        let keys: Vec<&str> = document
            .as_object()
            .unwrap()
            .keys()
            .map(String::as_str)
            .collect();
        assert_eq!(
            keys,
            [
                "format_version",
                "tool",
                "tool_version",
                "profile",
                "target",
                "spec",
                "elapsed_ms",
                "partition",
                "totals",
                "snapshots_verified",
                "fidelity",
                "root_causes",
                "not_served",
                "verdicts"
            ]
        );
        assert_eq!(document["format_version"], json!(JSON_REPORT_VERSION));
        assert_eq!(document["tool"], json!("jira-conform"));
        assert_eq!(document["tool_version"], json!(env!("CARGO_PKG_VERSION")));
        assert_eq!(document["profile"], json!("mock"));
        assert_eq!(document["elapsed_ms"], json!(1320));
        assert_eq!(
            document["totals"],
            json!({"pass": 4, "fail": 2, "error": 1, "skipped": 3, "known": 1, "now_conforms": 1, "not_served": 2, "total": 14})
        );
        // The verdicts as they are, but for the bodies over the excerpt size.
        let shown = bounded(&report, Limits::JSON);
        assert_eq!(
            document["verdicts"],
            serde_json::to_value(&shown.verdicts).unwrap()
        );
        let long = &document["verdicts"][2]["exchanges"][1]["response"]["received"];
        let body = long["body"].as_str().unwrap();
        assert!(body.len() < 8 * 1024 + 64, "{}", body.len());
        assert!(
            body.ends_with(" bytes more not shown"),
            "{}",
            &body[body.len() - 40..]
        );
        assert_eq!(long["truncated"], json!(true));
        // The shapes the schema spells out, checked here against the real output too.
        assert_eq!(
            document["verdicts"][3]["exchanges"][0]["response"],
            json!({"error": "operation timed out\n(no byte received)"})
        );
        assert_eq!(
            document["verdicts"][2]["exchanges"][0]["response"]["received"]["status"],
            json!(201)
        );
        assert_eq!(
            document["verdicts"][2]["failures"][0]["provenance"]["kind"],
            json!("spec")
        );
        assert_eq!(document["verdicts"][0]["api"], json!("v3"));
        // Failures carry their typed detail; the reports read these fields, not the message.
        assert_eq!(
            document["verdicts"][2]["failures"][0]["detail"],
            json!({"type": "wrong_status", "label": "PUT as alice",
                   "expected": {"kind": "exact", "value": 400}, "got": 201})
        );
        assert_eq!(
            document["verdicts"][2]["failures"][1]["detail"]["pointer"],
            json!("/value")
        );
        assert_eq!(
            document["not_served"][0]["operation_id"],
            json!("deleteIssueProperty")
        );
        assert_eq!(document["not_served"][0]["cases"], json!(2));
        let total = document["fidelity"].as_array().unwrap().last().unwrap();
        assert_eq!(total["resource"], json!("total"));
        assert_eq!(total["not_served_operations"], json!(1));
        assert!(document["root_causes"].as_array().unwrap().len() >= 2);
    }

    #[test]
    fn the_document_reads_back_as_the_run_it_shows() {
        // What `report merge` and other readers rely on: the run, with its verdicts as the
        // document shows them (texts as excerpts), the typed details included.
        let mut out = Vec::new();
        write_json(&sample::report(), &mut out).unwrap();
        let read: RunReport = serde_json::from_slice(&out).expect("a run report");
        let report = sample::report();
        assert_eq!(read, *bounded(&report, Limits::JSON));
    }

    #[test]
    fn output_is_deterministic() {
        let mut first = Vec::new();
        let mut second = Vec::new();
        write_json(&sample::report(), &mut first).unwrap();
        write_json(&sample::report(), &mut second).unwrap();
        assert_eq!(first, second);
    }

    #[test]
    fn a_write_error_names_the_format() {
        let mut full = [0u8; 16];
        let error = write_json(&sample::report(), &mut &mut full[..]).unwrap_err();
        assert!(matches!(error, ReportError::Io { format: "JSON", .. }));
        assert!(
            error
                .to_string()
                .starts_with("cannot write the JSON report: "),
            "{error}"
        );
    }
}
