//! The mock's files import one another one way (the order `mod.rs` describes), read from the
//! sources: every `super::…` and `crate::mock::…` path, and every path a `mod.rs` takes from
//! its own children, is an edge from one file to another.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use regex::Regex;

/// A file by its module path under `mock` (`["worklogs", "store"]`; `[]` is `mod.rs`).
type Module = Vec<String>;

/// Every file of the mock: its module path and its code (comments and tests left out).
fn sources() -> BTreeMap<Module, String> {
    fn walk(dir: &Path, prefix: &[String], out: &mut BTreeMap<Module, String>) {
        let entries = std::fs::read_dir(dir).unwrap_or_else(|e| panic!("{dir:?}: {e}"));
        for entry in entries.flatten() {
            let path = entry.path();
            let name = entry.file_name().to_string_lossy().into_owned();
            let mut module = prefix.to_vec();
            if path.is_dir() {
                module.push(name);
                walk(&path, &module, out);
                continue;
            }
            let Some(stem) = name.strip_suffix(".rs") else {
                continue;
            };
            if stem != "mod" {
                module.push(stem.to_string());
            }
            let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path:?}: {e}"));
            out.insert(module, code(&text));
        }
    }
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("src/mock");
    let mut out = BTreeMap::new();
    walk(&root, &[], &mut out);
    out
}

/// The text before a file's tests (where `super::` means the file itself), without comments.
fn code(text: &str) -> String {
    let before_tests = text.split("#[cfg(test)]").next().unwrap_or(text);
    before_tests
        .lines()
        .map(|line| line.split("//").next().unwrap_or(line))
        .collect::<Vec<_>>()
        .join("\n")
}

/// The files each file imports.
fn imports(files: &BTreeMap<Module, String>) -> BTreeMap<Module, BTreeSet<Module>> {
    let path = Regex::new(r"\b((?:super::)+|crate::mock::)(\{[^}]*\}|[A-Za-z_][\w:]*)")
        .unwrap_or_else(|e| panic!("{e}"));
    let own_child = Regex::new(r"\buse\s+([a-z_]\w*)::").unwrap_or_else(|e| panic!("{e}"));
    let mut edges = BTreeMap::new();
    for (module, text) in files {
        let mut to = BTreeSet::new();
        for found in path.captures_iter(text) {
            let base: Module = if found[1].starts_with("crate") {
                Vec::new()
            } else {
                let up = found[1].matches("super::").count();
                module[..module.len().saturating_sub(up)].to_vec()
            };
            for item in found[2].trim_matches(|c| c == '{' || c == '}').split(',') {
                to.extend(resolve(files, &base, item));
            }
        }
        for found in own_child.captures_iter(text) {
            let mut child = module.clone();
            child.push(found[1].to_string());
            if files.contains_key(&child) {
                to.insert(child);
            }
        }
        to.remove(module);
        edges.insert(module.clone(), to);
    }
    edges
}

/// The file a path names: the longest prefix of `base` + the path that is a file.
fn resolve(files: &BTreeMap<Module, String>, base: &[String], item: &str) -> Option<Module> {
    let item = item.split(" as ").next().unwrap_or(item).trim();
    let segments: Vec<String> = item
        .split("::")
        .filter(|s| !s.is_empty() && *s != "self")
        .map(str::to_string)
        .collect();
    (1..=segments.len()).rev().find_map(|n| {
        let candidate: Module = base.iter().cloned().chain(segments[..n].to_vec()).collect();
        files.contains_key(&candidate).then_some(candidate)
    })
}

/// A cycle of imports, if there is one, as the files along it.
fn cycle(edges: &BTreeMap<Module, BTreeSet<Module>>) -> Option<Vec<Module>> {
    fn visit(
        at: &Module,
        edges: &BTreeMap<Module, BTreeSet<Module>>,
        done: &mut BTreeSet<Module>,
        path: &mut Vec<Module>,
    ) -> Option<Vec<Module>> {
        if let Some(start) = path.iter().position(|m| m == at) {
            return Some(path[start..].to_vec());
        }
        if done.contains(at) {
            return None;
        }
        path.push(at.clone());
        for next in edges.get(at).into_iter().flatten() {
            if let Some(found) = visit(next, edges, done, path) {
                return Some(found);
            }
        }
        path.pop();
        done.insert(at.clone());
        None
    }
    let mut done = BTreeSet::new();
    edges
        .keys()
        .find_map(|start| visit(start, edges, &mut done, &mut Vec::new()))
}

fn name(module: &Module) -> String {
    if module.is_empty() {
        "mod".to_string()
    } else {
        module.join("::")
    }
}

#[test]
fn the_mocks_files_import_one_another_one_way() {
    let files = sources();
    assert!(files.len() > 40, "read only {} files", files.len());
    let edges = imports(&files);
    let count: usize = edges.values().map(BTreeSet::len).sum();
    assert!(count > 200, "read only {count} imports");
    if let Some(found) = cycle(&edges) {
        let names: Vec<String> = found.iter().chain(found.first()).map(name).collect();
        panic!("an import cycle: {}", names.join(" → "));
    }
}

#[test]
fn stores_sit_below_the_state_and_only_the_server_takes_the_router() {
    let edges = imports(&sources());
    let state = vec!["state".to_string()];
    let router = vec!["router".to_string()];
    for (from, to) in &edges {
        let is_store = from.last().is_some_and(|last| last == "store");
        assert!(
            !(is_store && to.contains(&state)),
            "{} is a store and imports the state",
            name(from)
        );
        let may_take_router = from.is_empty() || name(from) == "server";
        assert!(
            may_take_router || !to.contains(&router),
            "{} imports the router",
            name(from)
        );
    }
}
