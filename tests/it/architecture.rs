//! The shape of the code, enforced: imports follow the pipeline (spec → case → generate → run →
//! check → report), the mock imports only the fixtures' data types, and no source file or
//! function grows past what a reader can hold. `docs/ARCHITECTURE.md` explains the rules; this
//! test reads the `crate::` paths of every file under `src/` and measures every file and `fn`.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

/// Longest source file, in lines.
const MAX_FILE_LINES: usize = 600;
/// Longest function, in lines (signature to closing brace).
const MAX_FN_LINES: usize = 120;

/// The stage of each top-level module: a module may import only modules of a lower stage
/// (or its own). `None` marks the application layer (commands and the suite that wires the
/// stages together): it may import anything, and nothing staged may import it.
fn stage(module: &str) -> Option<u8> {
    Some(match module {
        "spec" => 0,
        "fixtures" | "spec_diff" => 1,
        "case" => 2,
        "exchange" => 3,
        "generate" => 4,
        "select" => 5,
        "coverage" | "consent" | "verdict" => 6,
        "run" => 7,
        "check" => 8,
        // Recorded traffic is judged by the checks, like a run's; report does not read it.
        "report" | "validate" => 9,
        _ => return None,
    })
}

/// Modules outside the pipeline's stages: the binary's commands and the wiring of the suite.
const APPLICATION: &[&str] = &["main", "lib", "cli", "suite", "diff", "init", "error"];

fn sources() -> Vec<(String, String)> {
    fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
        let entries = std::fs::read_dir(dir).expect("src/ is readable");
        for entry in entries {
            let path = entry.expect("a directory entry").path();
            if path.is_dir() {
                walk(&path, out);
            } else if path.extension().is_some_and(|e| e == "rs") {
                out.push(path);
            }
        }
    }
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    walk(&root, &mut files);
    files.sort();
    let files: Vec<_> = files
        .into_iter()
        .map(|p| {
            let rel = p
                .strip_prefix(&root)
                .expect("under src/")
                .to_string_lossy()
                .replace('\\', "/");
            let text = std::fs::read_to_string(&p).expect("a readable source file");
            (rel, text)
        })
        .collect();
    assert!(
        files.len() > 50,
        "expected the crate's sources, found {} files",
        files.len()
    );
    files
}

/// The top-level module a file under `src/` belongs to (`run/executor.rs` → `run`).
fn module_of(rel: &str) -> &str {
    let first = rel.split('/').next().unwrap_or(rel);
    first.strip_suffix(".rs").unwrap_or(first)
}

/// Code without comments, so a doc link to a later stage is not an import.
fn code_lines(text: &str) -> impl Iterator<Item = &str> {
    text.lines().map(|l| match l.find("//") {
        Some(i) => &l[..i],
        None => l,
    })
}

/// Every top-level module a file names through `crate::` (paths and `use` groups).
fn imported_modules(text: &str) -> BTreeSet<String> {
    let mut found = BTreeSet::new();
    let code: String = code_lines(text).collect::<Vec<_>>().join("\n");
    let mut rest = code.as_str();
    while let Some(at) = rest.find("crate::") {
        rest = &rest[at + "crate::".len()..];
        if let Some(group) = rest.strip_prefix('{') {
            let end = group.find('}').unwrap_or(group.len());
            for item in group[..end].split(',') {
                let name: String = item
                    .trim()
                    .chars()
                    .take_while(|c| c.is_alphanumeric() || *c == '_')
                    .collect();
                if !name.is_empty() {
                    found.insert(name);
                }
            }
        } else {
            let name: String = rest
                .chars()
                .take_while(|c| c.is_alphanumeric() || *c == '_')
                .collect();
            if !name.is_empty() {
                found.insert(name);
            }
        }
    }
    found
}

fn is_module(name: &str) -> bool {
    stage(name).is_some() || APPLICATION.contains(&name) || name == "mock"
}

#[test]
fn imports_follow_the_pipeline_and_the_mock_imports_only_fixtures() {
    let mut wrong = Vec::new();
    let mut checked = 0;
    for (rel, text) in sources() {
        let from = module_of(&rel);
        for to in imported_modules(&text) {
            // Re-exported items at the crate root (`crate::Error`) are the application layer's.
            if to == from || !is_module(&to) {
                continue;
            }
            checked += 1;
            let allowed = if from == "mock" {
                to == "fixtures"
            } else if APPLICATION.contains(&from) {
                true
            } else {
                match (stage(from), stage(&to)) {
                    (Some(f), Some(t)) => t < f,
                    // A staged module importing the application layer or the mock.
                    _ => false,
                }
            };
            if !allowed {
                wrong.push(format!("src/{rel} imports crate::{to}"));
            }
        }
    }
    assert!(
        checked > 100,
        "only {checked} cross-module imports were read"
    );
    assert!(
        wrong.is_empty(),
        "imports against the pipeline (see docs/ARCHITECTURE.md):\n{}",
        wrong.join("\n")
    );
}

/// `(name, first line, length)` of every `fn` with a body, found by rustfmt's layout: the
/// body ends at the first line that is the signature's indentation followed by `}`.
fn functions(text: &str) -> Vec<(String, usize, usize)> {
    let lines: Vec<&str> = text.lines().collect();
    let mut out = Vec::new();
    for (i, line) in lines.iter().enumerate() {
        let trimmed = line.trim_start();
        let indent = &line[..line.len() - trimmed.len()];
        let mut words = trimmed.split_whitespace();
        let mut is_fn = false;
        for w in words.by_ref() {
            if w == "fn" {
                is_fn = true;
                break;
            }
            if !(w.starts_with("pub") || matches!(w, "async" | "const" | "unsafe" | "extern")) {
                break;
            }
        }
        if !is_fn {
            continue;
        }
        let name: String = words
            .next()
            .unwrap_or("")
            .chars()
            .take_while(|c| c.is_alphanumeric() || *c == '_')
            .collect();
        // The signature ends at a line ending in `{` (a body) or `;` (a declaration).
        let Some(open) = (i..lines.len()).find(|&j| {
            let l = lines[j].trim_end();
            l.ends_with('{') || l.ends_with(';')
        }) else {
            continue;
        };
        if lines[open].trim_end().ends_with(';') {
            continue;
        }
        let close = format!("{indent}}}");
        if let Some(end) = (open + 1..lines.len()).find(|&j| lines[j] == close) {
            out.push((name, i + 1, end - i + 1));
        }
    }
    out
}

#[test]
fn no_source_file_or_function_is_longer_than_a_reader_can_hold() {
    let mut wrong = Vec::new();
    let mut measured = 0;
    for (rel, text) in sources() {
        let lines = text.lines().count();
        if lines > MAX_FILE_LINES {
            wrong.push(format!(
                "src/{rel}: {lines} lines (at most {MAX_FILE_LINES})"
            ));
        }
        for (name, line, length) in functions(&text) {
            measured += 1;
            if length > MAX_FN_LINES {
                wrong.push(format!(
                    "src/{rel}:{line} fn {name}: {length} lines (at most {MAX_FN_LINES})"
                ));
            }
        }
    }
    assert!(measured > 500, "only {measured} functions were measured");
    assert!(wrong.is_empty(), "too long:\n{}", wrong.join("\n"));
}

#[test]
fn the_readers_find_what_they_measure() {
    let text = "use crate::{case::Api, spec};\n// crate::report in a comment\nfn a() {\n    crate::run::x();\n}\n    pub(crate) async fn b(\n        x: u8,\n    ) -> u8 {\n        x\n    }\n";
    let found: Vec<_> = imported_modules(text).into_iter().collect();
    assert_eq!(found, ["case", "run", "spec"]);
    let fns = functions(text);
    assert_eq!(
        fns,
        [("a".to_string(), 3, 3), ("b".to_string(), 6, 5)],
        "every fn with its first line and length"
    );
}
