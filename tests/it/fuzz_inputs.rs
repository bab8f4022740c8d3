//! Property-based fuzzing of the two files a user hands jira-conform: the OpenAPI spec
//! (`spec::parse`) and the fixtures file (`Fixtures::parse`).
//!
//! A bad input must be refused with an error that names the file (and the line, key or JSON
//! pointer where it can), never with a panic, a stack overflow, a hang or an exhausted memory.
//! Every spec or fixtures file that loads is also run through generation (and the spec's
//! schemas through conversion and compilation, the fixtures through seeding the mock) to show
//! that what the loaders accept the rest of the pipeline can use.
//!
//! The inputs: random bytes; random byte edits of the embedded spec and fixtures (flips,
//! truncations, deletions, duplications, insertions of `$ref`s, huge numbers, odd Unicode,
//! deep nesting, YAML anchors); edits of their parsed trees (values replaced, removed, `$ref`s
//! retargeted); `$ref` graphs over every kind of component (cycles, dangling, cross-kind,
//! external); OpenAPI/Swagger version markers; deeply nested JSON, YAML and TOML; and YAML
//! alias bombs.
//!
//! Each property runs a few dozen to a few hundred cases (the whole file takes about 15 s in a
//! debug build on two cores). For a longer run, set the number of cases of every property, or
//! of the ones named:
//!
//! ```sh
//! PROPTEST_CASES=100000 cargo test --release --test it fuzz_inputs::
//! PROPTEST_CASES=20000 cargo test --release --test it -- fuzz_inputs::spec_tree_edits fuzz_inputs::spec_ref_graphs
//! ```
//!
//! In a release build a case takes from about 20 µs (random bytes) to 30-50 ms (a spec that
//! loads, generated and its schemas compiled, or an alias bomb stopped at its budget).
//!
//! Failing inputs are not persisted to files: proptest prints the shrunk input and the seed.
//!
//! Coverage-guided fuzzing of the same two parsers lives in `fuzz/` (cargo-fuzz, nightly):
//! `fuzz/seeds.sh && cargo +nightly fuzz run spec_parse -- -max_total_time=300` (and
//! `fixtures_parse`).

use std::sync::OnceLock;
use std::time::{Duration, Instant};

use jira_conform::case::Api;
use jira_conform::fixtures::Fixtures;
use jira_conform::generate::generate;
use jira_conform::mock::MockState;
use jira_conform::spec::prose::{key_max_chars, permissions, value_max_bytes};
use jira_conform::spec::schema::{Direction, SchemaCache};
use jira_conform::spec::{escape_token, parse, Spec};
use proptest::prelude::*;
use proptest::sample::{select, Index};
use proptest::test_runner::Config as ProptestConfig;
use serde_json::{json, Map, Value};

use crate::support::shared;

const SPEC: &str = include_str!("../../specs/jira-conform.openapi.json");
const FIXTURES: &str = include_str!("../../fixtures/mock.toml");
const SPEC_FILE: &str = "fuzz.json";
const FIXTURES_FILE: &str = "fuzz.toml";

/// The longest one load (and generation) may take before it counts as a hang. Generous: debug
/// builds on a busy two-core machine.
const SLOW: Duration = Duration::from_secs(20);

/// `default` cases, or `PROPTEST_CASES` when set; failures are not written to files.
fn config(default: u32) -> ProptestConfig {
    ProptestConfig {
        cases: std::env::var("PROPTEST_CASES")
            .ok()
            .and_then(|v| v.parse().ok())
            .unwrap_or(default),
        failure_persistence: None,
        max_shrink_iters: 2048,
        ..ProptestConfig::default()
    }
}

// ---------------------------------------------------------------------------------------------
// What every input must satisfy

fn embedded_fixtures() -> &'static Fixtures {
    static F: OnceLock<Fixtures> = OnceLock::new();
    F.get_or_init(|| Fixtures::embedded().expect("the embedded fixtures parse"))
}

fn embedded_spec() -> &'static Spec {
    static S: OnceLock<Spec> = OnceLock::new();
    S.get_or_init(|| parse(SPEC, SPEC_FILE).expect("the embedded spec parses"))
}

/// Loads spec text: an error must name the file; a spec that loads must generate, and its
/// prose rules and schemas must be readable.
fn check_spec(text: &str) -> Result<(), TestCaseError> {
    let start = Instant::now();
    let loaded = parse(text, SPEC_FILE);
    match &loaded {
        Err(e) => {
            let message = e.to_string();
            eprintln!(
                "STAT spec-err {}",
                message
                    .chars()
                    .take(90)
                    .collect::<String>()
                    .replace('\n', " ")
            );
            prop_assert!(
                message.starts_with(SPEC_FILE),
                "the error does not name the file: {message}"
            );
            // A syntax error says where; the one exception is the YAML parser's alias-jump
            // limit, which is about the whole document.
            if message.contains(": not a valid ") && !message.contains("repetition limit") {
                prop_assert!(message.contains("line "), "no line: {message}");
            }
            // The flow-depth guard is an estimate: it must only refuse what the parser would.
            if message.contains("nested more than") && text.len() < 20_000 {
                prop_assert!(
                    serde_norway::from_str::<Value>(text).is_err(),
                    "refused as too deep, but serde_norway reads it: {message}"
                );
            }
        }
        Ok(spec) => {
            eprintln!("STAT spec-ok");
            exercise_spec(spec)?
        }
    }
    prop_assert!(
        start.elapsed() < SLOW,
        "took {:?} ({} bytes)",
        start.elapsed(),
        text.len()
    );
    Ok(())
}

fn exercise_spec(spec: &Spec) -> Result<(), TestCaseError> {
    if let Err(e) = generate(spec, embedded_fixtures(), &Api::ALL) {
        return Err(TestCaseError::fail(format!(
            "generation failed on a spec that loaded: {e}"
        )));
    }
    let cache = SchemaCache::new();
    for op in &spec.operations {
        let _ = value_max_bytes(op, &spec.source);
        let _ = key_max_chars(op, &spec.source);
        let _ = permissions(op, &spec.source);
        let _ = (op.statuses(), op.api_relative_path(), op.tag());
        let bodies = op
            .request_body
            .iter()
            .map(|b| (&b.pointer, &b.content, Direction::Request));
        let responses = op
            .responses
            .iter()
            .map(|r| (&r.pointer, &r.content, Direction::Response));
        for (pointer, content, direction) in bodies.chain(responses) {
            for (media, _) in content {
                let at = format!("{pointer}/content/{}/schema", escape_token(media));
                for body in [Value::Null, json!({}), json!({"key": "k", "value": [1]})] {
                    // A schema that does not compile is reported by the checks; only a panic
                    // or a hang is a failure here.
                    let _ = cache.validate(&spec.document, &at, direction, &body);
                }
            }
        }
    }
    Ok(())
}

/// Loads fixtures text: an error must name the file; fixtures that load must generate and
/// seed a mock.
fn check_fixtures(text: &str) -> Result<(), TestCaseError> {
    let start = Instant::now();
    match Fixtures::parse(text, FIXTURES_FILE, &|_| None) {
        Err(e) => {
            let message = e.to_string();
            eprintln!(
                "STAT fix-err {}",
                message
                    .chars()
                    .take(90)
                    .collect::<String>()
                    .replace('\n', " ")
            );
            prop_assert!(
                message.starts_with(FIXTURES_FILE),
                "the error does not name the file: {message}"
            );
            // Then the line (a syntax error) or the key (a value refused).
            let rest = &message[FIXTURES_FILE.len()..];
            prop_assert!(
                rest.starts_with(": line ")
                    || rest.split(':').nth(1).is_some_and(|k| !k.trim().is_empty()),
                "neither line nor key: {message}"
            );
        }
        Ok(fixtures) => {
            eprintln!("STAT fix-ok");
            if let Err(e) = generate(embedded_spec(), &fixtures, &Api::ALL) {
                return Err(TestCaseError::fail(format!(
                    "generation failed on fixtures that loaded: {e}"
                )));
            }
            let _ = MockState::new(&fixtures, &[]);
            // The runner bounds cases in flight with a semaphore, which panics past this.
            prop_assert!(
                fixtures.run.concurrency <= tokio::sync::Semaphore::MAX_PERMITS,
                "run.concurrency = {} was accepted",
                fixtures.run.concurrency
            );
        }
    }
    prop_assert!(start.elapsed() < SLOW, "took {:?}", start.elapsed());
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// Byte-level edits

/// Fragments worth inserting anywhere: references, numbers parsers choke on, odd Unicode,
/// version markers, structure, YAML's anchors and tags, TOML's tables.
const SNIPPETS: &[&str] = &[
    r##""$ref":"#/components/schemas/Nope","##,
    r##""$ref":"#","##,
    r##"{"$ref":"#/paths"}"##,
    r##"{"$ref":"#/paths/~1rest~1api~13~1myself/get"}"##,
    r##""$ref":"other.yaml#/x","##,
    r##""$ref":42,"##,
    r##""$ref":"#/components/parameters/accountId","##,
    r##""$ref":"#/~","##,
    "1e999999",
    "-1e-999999",
    "18446744073709551616",
    "-9223372036854775809",
    "123456789012345678901234567890123456789",
    "0.0000000000000000000000000000001",
    "-0",
    "NaN",
    "inf",
    r#""\ud800""#,
    r#""\u0000""#,
    "\u{0}",
    "\u{feff}",
    "é",
    "🦀",
    "\u{202e}",
    "\u{fffd}",
    r#""swagger":"2.0","#,
    r#""openapi":"3.1.0","#,
    r#""openapi":3.0,"#,
    r#""openapi":"3.0.4","#,
    "null",
    "true",
    "[]",
    "{}",
    ",",
    ":",
    "\"",
    "}",
    "]",
    "\n",
    "\\",
    "&a ",
    "*a",
    "<<: *a\n",
    "!!binary ",
    "!tag ",
    "\n---\n",
    "? ",
    "%YAML 1.2\n",
    "[principals.x]\n",
    "[[known_deviations]]\n",
    "a.b.c = 1\n",
    "profile = \"p\"\n",
    "= ",
    "'''",
    "\"\"\"",
    "1979-05-27T07:32:00Z",
    "0x7fffffffffffffff",
    "9223372036854775807",
];

#[derive(Debug, Clone)]
enum ByteEdit {
    Flip(Index, u8),
    Set(Index, u8),
    Truncate(Index),
    Delete(Index, usize),
    Duplicate(Index, usize),
    Insert(Index, Vec<u8>),
}

fn insertion() -> impl Strategy<Value = Vec<u8>> {
    prop_oneof![
        4 => select(SNIPPETS).prop_map(|s| s.as_bytes().to_vec()),
        1 => prop::collection::vec(any::<u8>(), 1..16),
        1 => "\\PC{1,8}".prop_map(String::into_bytes),
        1 => (1usize..3000, select(vec!["[", "{\"a\":", "{a: ", "- "]))
            .prop_map(|(n, open)| open.repeat(n).into_bytes()),
    ]
}

fn byte_edit() -> impl Strategy<Value = ByteEdit> {
    prop_oneof![
        3 => (any::<Index>(), 1u8..).prop_map(|(i, m)| ByteEdit::Flip(i, m)),
        2 => (any::<Index>(), any::<u8>()).prop_map(|(i, b)| ByteEdit::Set(i, b)),
        1 => any::<Index>().prop_map(ByteEdit::Truncate),
        2 => (any::<Index>(), 1usize..64).prop_map(|(i, n)| ByteEdit::Delete(i, n)),
        1 => (any::<Index>(), 1usize..256).prop_map(|(i, n)| ByteEdit::Duplicate(i, n)),
        4 => (any::<Index>(), insertion()).prop_map(|(i, s)| ByteEdit::Insert(i, s)),
    ]
}

fn apply_bytes(base: &str, edits: &[ByteEdit]) -> String {
    let mut bytes = base.as_bytes().to_vec();
    for edit in edits {
        let len = bytes.len();
        let at = |i: &Index| if len == 0 { 0 } else { i.index(len) };
        match edit {
            ByteEdit::Flip(i, mask) if len > 0 => bytes[at(i)] ^= mask,
            ByteEdit::Set(i, b) if len > 0 => bytes[at(i)] = *b,
            ByteEdit::Truncate(i) => bytes.truncate(at(i)),
            ByteEdit::Delete(i, n) => {
                let from = at(i);
                bytes.drain(from..(from + n).min(len));
            }
            ByteEdit::Duplicate(i, n) => {
                let from = at(i);
                let piece = bytes[from..(from + n).min(len)].to_vec();
                bytes.splice(from..from, piece);
            }
            ByteEdit::Insert(i, piece) => {
                let from = at(i);
                bytes.splice(from..from, piece.iter().copied());
            }
            _ => {}
        }
    }
    String::from_utf8_lossy(&bytes).into_owned()
}

// ---------------------------------------------------------------------------------------------
// Tree-level edits of the spec

fn spec_document() -> &'static Value {
    static D: OnceLock<Value> = OnceLock::new();
    D.get_or_init(|| serde_json::from_str(SPEC).expect("the embedded spec is JSON"))
}

fn collect_pointers(value: &Value, at: &str, out: &mut Vec<String>) {
    out.push(at.to_string());
    match value {
        Value::Object(map) => {
            for (k, v) in map {
                collect_pointers(v, &format!("{at}/{}", escape_token(k)), out);
            }
        }
        Value::Array(items) => {
            for (i, v) in items.iter().enumerate() {
                collect_pointers(v, &format!("{at}/{i}"), out);
            }
        }
        _ => {}
    }
}

/// Every JSON pointer of the embedded spec, and those of its `$ref`s.
fn spec_pointers() -> &'static (Vec<String>, Vec<String>) {
    static P: OnceLock<(Vec<String>, Vec<String>)> = OnceLock::new();
    P.get_or_init(|| {
        let mut all = Vec::new();
        collect_pointers(spec_document(), "", &mut all);
        let refs = all
            .iter()
            .filter(|p| p.ends_with("/$ref"))
            .cloned()
            .collect();
        (all, refs)
    })
}

/// Where a `$ref` may point: anywhere in the document, nowhere, elsewhere, or to nonsense.
fn ref_target() -> impl Strategy<Value = String> {
    prop_oneof![
        4 => select(spec_pointers().0.clone()).prop_map(|p| format!("#{p}")),
        2 => select(vec![
            "#", "", "#/", "#/components/schemas/Nope", "#/paths/~1nope", "#/components",
            "#/paths", "#/openapi", "#/info/title", "#/~2", "#/a~", "other.json#/x",
            "https://example.test/spec.json#/components/schemas/A", "#/paths/0",
            "#/components/schemas/User/properties", "%23/paths",
        ])
        .prop_map(str::to_string),
        1 => "\\PC{0,12}",
    ]
}

/// Keys that mean something to the loader, the generator or the schema converter.
const KEYS: &[&str] = &[
    "$ref",
    "type",
    "properties",
    "items",
    "allOf",
    "anyOf",
    "oneOf",
    "not",
    "required",
    "nullable",
    "readOnly",
    "writeOnly",
    "enum",
    "default",
    "additionalProperties",
    "pattern",
    "maxLength",
    "in",
    "name",
    "schema",
    "content",
    "application/json",
    "responses",
    "200",
    "4XX",
    "default",
    "parameters",
    "requestBody",
    "get",
    "put",
    "post",
    "delete",
    "security",
    "operationId",
    "tags",
    "description",
    "definitions",
    "format",
    "minimum",
    "maximum",
];

fn json_leaf() -> impl Strategy<Value = Value> {
    prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::from),
        any::<u64>().prop_map(Value::from),
        any::<f64>()
            .prop_map(|f| serde_json::Number::from_f64(f).map_or(Value::Null, Value::Number)),
        Just(json!(1e308)),
        "\\PC{0,24}".prop_map(Value::String),
        select(vec![
            "path",
            "query",
            "header",
            "cookie",
            "body",
            "string",
            "object",
            "array",
            "integer",
            "3.0.0",
            "3.1.0",
            "2.0",
            "accountId",
            "propertyKey",
            "getUserProperty",
            "[",
            "(",
            "*",
            "\\",
            "Administer Jira",
            "None.",
            "application/json",
            "basicAuth",
        ])
        .prop_map(|s| Value::String(s.to_string())),
        ref_target().prop_map(|t| json!({ "$ref": t })),
    ]
}

fn json_value() -> impl Strategy<Value = Value> {
    json_leaf().prop_recursive(4, 48, 6, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
            prop::collection::vec(
                (
                    prop_oneof![3 => select(KEYS).prop_map(str::to_string), 1 => "\\PC{0,8}"],
                    inner
                ),
                0..6
            )
            .prop_map(|pairs| Value::Object(pairs.into_iter().collect::<Map<_, _>>())),
        ]
    })
}

/// JSON values (no floats: they need not survive YAML exactly) whose strings are full of what
/// YAML gives meaning to.
fn yaml_value() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        1 => Just(Value::Null),
        1 => any::<bool>().prop_map(Value::Bool),
        1 => any::<i64>().prop_map(Value::from),
        3 => "[\\[\\]{}'\"#:|>&*!,? \\-a\n\\\\]{0,16}".prop_map(Value::String),
    ];
    leaf.prop_recursive(6, 64, 5, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..5).prop_map(Value::Array),
            prop::collection::vec(("[\\[\\]{}'\"#:|>&*!,? \\-a]{1,6}", inner), 0..5)
                .prop_map(|pairs| Value::Object(pairs.into_iter().collect::<Map<_, _>>())),
        ]
    })
}

#[derive(Debug, Clone)]
enum TreeEdit {
    Replace(Index, Value),
    Remove(Index),
    Retarget(Index, String),
    AddRef(Index, String),
    Nest(Index, usize),
}

fn tree_edit() -> impl Strategy<Value = TreeEdit> {
    prop_oneof![
        4 => (any::<Index>(), json_value()).prop_map(|(i, v)| TreeEdit::Replace(i, v)),
        2 => any::<Index>().prop_map(TreeEdit::Remove),
        4 => (any::<Index>(), ref_target()).prop_map(|(i, t)| TreeEdit::Retarget(i, t)),
        2 => (any::<Index>(), ref_target()).prop_map(|(i, t)| TreeEdit::AddRef(i, t)),
        1 => (any::<Index>(), 1usize..200).prop_map(|(i, n)| TreeEdit::Nest(i, n)),
    ]
}

fn unescape(token: &str) -> String {
    token.replace("~1", "/").replace("~0", "~")
}

fn remove_at(doc: &mut Value, pointer: &str) {
    let Some((parent, last)) = pointer.rsplit_once('/') else {
        return;
    };
    match doc.pointer_mut(parent) {
        Some(Value::Object(map)) => {
            map.remove(&unescape(last));
        }
        Some(Value::Array(items)) => {
            if let Ok(i) = last.parse::<usize>() {
                if i < items.len() {
                    items.remove(i);
                }
            }
        }
        _ => {}
    }
}

fn apply_tree(edits: &[TreeEdit]) -> Value {
    let mut doc = spec_document().clone();
    let (all, refs) = spec_pointers();
    for edit in edits {
        match edit {
            TreeEdit::Replace(i, v) => {
                if let Some(slot) = doc.pointer_mut(&all[i.index(all.len())]) {
                    *slot = v.clone();
                }
            }
            TreeEdit::Remove(i) => remove_at(&mut doc, &all[i.index(all.len())]),
            TreeEdit::Retarget(i, t) => {
                if let Some(slot) = doc.pointer_mut(&refs[i.index(refs.len())]) {
                    *slot = Value::String(t.clone());
                }
            }
            TreeEdit::AddRef(i, t) => {
                if let Some(Value::Object(map)) = doc.pointer_mut(&all[i.index(all.len())]) {
                    map.insert("$ref".into(), Value::String(t.clone()));
                }
            }
            TreeEdit::Nest(i, depth) => {
                if let Some(slot) = doc.pointer_mut(&all[i.index(all.len())]) {
                    let mut v = slot.take();
                    for _ in 0..*depth {
                        v = json!({ "items": v });
                    }
                    *slot = v;
                }
            }
        }
    }
    doc
}

// ---------------------------------------------------------------------------------------------
// `$ref` graphs over components

const KINDS: [&str; 5] = [
    "parameters",
    "responses",
    "requestBodies",
    "schemas",
    "pathItems",
];
const NODES: usize = 5;

#[derive(Debug, Clone)]
enum Node {
    /// `{"$ref": "#/components/<kind>/n<node>"}`, possibly another kind.
    Ref(usize, usize),
    /// A `$ref` to anywhere else.
    Elsewhere(String),
    /// A well-formed element of its kind that refers to node `n` (schemas: to schemas).
    Valid(usize, usize),
    /// Anything at all.
    Junk(Value),
}

fn node() -> impl Strategy<Value = Node> {
    prop_oneof![
        4 => (0..KINDS.len(), 0..NODES).prop_map(|(k, n)| Node::Ref(k, n)),
        1 => ref_target().prop_map(Node::Elsewhere),
        4 => (0usize..4, 0..NODES).prop_map(|(shape, n)| Node::Valid(shape, n)),
        1 => json_value().prop_map(Node::Junk),
    ]
}

fn component(kind: &str, n: usize) -> String {
    format!("#/components/{kind}/n{n}")
}

fn node_value(kind: &str, node: &Node) -> Value {
    let schema = |n: usize| json!({ "$ref": component("schemas", n) });
    match node {
        Node::Ref(k, n) => json!({ "$ref": component(KINDS[*k], *n) }),
        Node::Elsewhere(t) => json!({ "$ref": t }),
        Node::Junk(v) => v.clone(),
        Node::Valid(shape, n) => match kind {
            "parameters" => {
                let name = ["accountId", "propertyKey", "x", ""][*shape];
                let place = ["query", "path", "header", "cookie"][*shape];
                json!({"name": name, "in": place, "schema": schema(*n)})
            }
            "responses" => {
                json!({"description": "r", "content": {"application/json": {"schema": schema(*n)}}})
            }
            "requestBodies" => {
                json!({"required": true, "content": {"application/json": {"schema": schema(*n)}}})
            }
            "schemas" => match shape {
                0 => json!({"type": "object", "properties": {"a": schema(*n)}, "required": ["a"]}),
                1 => json!({"allOf": [schema(*n), schema((*n + 1) % NODES)]}),
                2 => json!({"type": "array", "items": schema(*n), "nullable": true}),
                _ => json!({"type": "string"}),
            },
            _ => {
                json!({"get": {"operationId": format!("graph{n}"), "parameters": [{"$ref": component("parameters", *n)}],
                "responses": {"200": {"$ref": component("responses", *n)}}}})
            }
        },
    }
}

#[derive(Debug, Clone)]
enum Use {
    Parameter,
    Body,
    Response,
    ResponseSchema,
    PathItem,
}

fn use_site() -> impl Strategy<Value = (Use, Index, usize, usize)> {
    (
        select(vec![
            Use::Parameter,
            Use::Body,
            Use::Response,
            Use::ResponseSchema,
            Use::PathItem,
        ]),
        any::<Index>(),
        0..KINDS.len(),
        0..NODES,
    )
}

/// Pointers of the embedded spec's path items and operations.
fn operation_pointers() -> &'static (Vec<String>, Vec<String>) {
    static O: OnceLock<(Vec<String>, Vec<String>)> = OnceLock::new();
    O.get_or_init(|| {
        let mut items = Vec::new();
        let mut ops = Vec::new();
        for (path, item) in spec_document()["paths"].as_object().expect("paths") {
            let at = format!("/paths/{}", escape_token(path));
            for method in item.as_object().expect("a path item").keys() {
                if method != "parameters" {
                    ops.push(format!("{at}/{method}"));
                }
            }
            items.push(at);
        }
        (items, ops)
    })
}

fn graph_spec(nodes: &[Vec<Node>], uses: &[(Use, Index, usize, usize)]) -> Value {
    let mut doc = spec_document().clone();
    for (kind, kind_nodes) in KINDS.iter().zip(nodes) {
        for (n, node) in kind_nodes.iter().enumerate() {
            doc["components"][kind][format!("n{n}")] = node_value(kind, node);
        }
    }
    let (items, ops) = operation_pointers();
    for (site, i, kind, n) in uses {
        let target = json!({ "$ref": component(KINDS[*kind], *n) });
        let op = &ops[i.index(ops.len())];
        let Some(op) = doc.pointer_mut(op) else {
            continue;
        };
        match site {
            Use::Parameter => match op.get_mut("parameters").and_then(Value::as_array_mut) {
                Some(list) if !list.is_empty() => list[0] = target,
                _ => op["parameters"] = json!([target]),
            },
            Use::Body => op["requestBody"] = target,
            Use::Response => op["responses"]["200"] = target,
            Use::ResponseSchema => {
                op["responses"]["200"] = json!({"description": "ok",
                    "content": {"application/json": {"schema": {"$ref": component("schemas", *n)}}}})
            }
            Use::PathItem => {
                let item = items[i.index(items.len())].clone();
                if let Some(slot) = doc.pointer_mut(&item) {
                    *slot = target;
                }
            }
        }
    }
    doc
}

// ---------------------------------------------------------------------------------------------
// Tree-level edits of the fixtures

fn fixtures_table() -> &'static toml::Table {
    static T: OnceLock<toml::Table> = OnceLock::new();
    T.get_or_init(|| toml::from_str(FIXTURES).expect("the embedded fixtures are TOML"))
}

/// A path into a TOML tree: table keys and array indexes.
#[derive(Debug, Clone)]
enum Seg {
    Key(String),
    At(usize),
}

fn toml_paths(value: &toml::Value, at: &mut Vec<Seg>, out: &mut Vec<Vec<Seg>>) {
    out.push(at.clone());
    match value {
        toml::Value::Table(t) => {
            for (k, v) in t {
                at.push(Seg::Key(k.clone()));
                toml_paths(v, at, out);
                at.pop();
            }
        }
        toml::Value::Array(items) => {
            for (i, v) in items.iter().enumerate() {
                at.push(Seg::At(i));
                toml_paths(v, at, out);
                at.pop();
            }
        }
        _ => {}
    }
}

fn fixtures_paths() -> &'static Vec<Vec<Seg>> {
    static P: OnceLock<Vec<Vec<Seg>>> = OnceLock::new();
    P.get_or_init(|| {
        let mut out = Vec::new();
        toml_paths(
            &toml::Value::Table(fixtures_table().clone()),
            &mut Vec::new(),
            &mut out,
        );
        out
    })
}

fn toml_at<'v>(value: &'v mut toml::Value, path: &[Seg]) -> Option<&'v mut toml::Value> {
    path.iter().try_fold(value, |v, seg| match (seg, v) {
        (Seg::Key(k), toml::Value::Table(t)) => t.get_mut(k),
        (Seg::At(i), toml::Value::Array(a)) => a.get_mut(*i),
        _ => None,
    })
}

/// Strings that mean something in a fixtures file: names of principals, groups, projects,
/// shares, recipients; URLs; globs; empty, long and odd text.
const FIXTURE_WORDS: &[&str] = &[
    "admin",
    "alice",
    "bob",
    "anonymous",
    "invalid-credentials",
    "conf",
    "hidden",
    "quiet",
    "open",
    "secured",
    "scratch",
    "system",
    "private",
    "default",
    "archive",
    "reviewers",
    "jira-administrators",
    "group:reviewers",
    "group:nope",
    "role:Developers",
    "role:",
    "user:bob",
    "user:",
    "project:conf",
    "project:CONF",
    "global",
    "loggedin",
    "User:alice",
    "Group",
    "ProjectRole:Developers",
    "Nobody",
    "EmailAddress:",
    "10000",
    "10010",
    "10400",
    "CONF-1",
    "CONF",
    "",
    " ",
    "\t",
    "a/b",
    "a::b",
    "a b",
    "é",
    "🦀",
    "\u{0}",
    "*",
    "[",
    "{",
    "**",
    "v3::*",
    "http://127.0.0.1:1",
    "https://x.test/",
    "ftp://x",
    "http://",
    "http://x?y",
    "http://x#f",
    "JIRA",
    "Developers",
    "Administrators",
    "mock",
    "p-1",
    "P_2",
    "2026-01-05T09:00:00.000+0000",
    "not a date",
];

fn toml_leaf() -> impl Strategy<Value = toml::Value> {
    prop_oneof![
        4 => select(FIXTURE_WORDS).prop_map(|s| toml::Value::String(s.to_string())),
        1 => "\\PC{0,16}".prop_map(toml::Value::String),
        1 => (1usize..400).prop_map(|n| toml::Value::String("k".repeat(n))),
        2 => select(vec![0i64, 1, -1, 8, 255, 256, 32768, 32769, i64::MAX, i64::MIN])
            .prop_map(toml::Value::Integer),
        1 => any::<i64>().prop_map(toml::Value::Integer),
        1 => any::<f64>().prop_map(toml::Value::Float),
        1 => any::<bool>().prop_map(toml::Value::Boolean),
        1 => select(vec!["1979-05-27T07:32:00Z", "1979-05-27", "07:32:00"])
            .prop_map(|d| toml::Value::Datetime(d.parse().expect("a TOML datetime"))),
    ]
}

fn toml_value() -> impl Strategy<Value = toml::Value> {
    toml_leaf().prop_recursive(3, 24, 5, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..5).prop_map(toml::Value::Array),
            prop::collection::vec((select(FIXTURE_WORDS), inner), 0..5).prop_map(|pairs| {
                toml::Value::Table(pairs.into_iter().map(|(k, v)| (k.to_string(), v)).collect())
            }),
        ]
    })
}

/// Keys a fixtures table may have, and some it may not.
const FIXTURE_KEYS: &[&str] = &[
    "profile",
    "base_url",
    "account_id",
    "display_name",
    "admin",
    "email",
    "token",
    "token_env",
    "bearer",
    "bearer_env",
    "concurrency",
    "timeout_secs",
    "allow_writes",
    "property_value_max_bytes",
    "property_key_max_chars",
    "account_id_max_chars",
    "key",
    "id",
    "name",
    "browse",
    "administer",
    "edit_all_worklogs",
    "edit_all_comments",
    "edit_own_comments",
    "body",
    "notification_scheme",
    "worklog_field_hidden",
    "project",
    "summary",
    "security",
    "issue",
    "filename",
    "size",
    "author",
    "visibility",
    "owner",
    "shared_with",
    "items",
    "system",
    "events",
    "recipients",
    "actors",
    "cases",
    "reason",
    "link",
    "enabled",
    "upload_limit",
    "bogus",
];

#[derive(Debug, Clone)]
enum TomlEdit {
    Replace(Index, toml::Value),
    Remove(Index),
    Insert(Index, String, toml::Value),
    Rename(Index, String),
    /// A value of the same type: another word for a string, an edge for an integer, a word
    /// added to or an element dropped from an array, a flipped boolean.
    Similar(Index, Index),
}

fn toml_edit() -> impl Strategy<Value = TomlEdit> {
    let key = prop_oneof![
        3 => select(FIXTURE_KEYS).prop_map(str::to_string),
        2 => select(FIXTURE_WORDS).prop_map(str::to_string),
        1 => "\\PC{0,10}",
    ];
    prop_oneof![
        2 => (any::<Index>(), toml_value()).prop_map(|(i, v)| TomlEdit::Replace(i, v)),
        2 => any::<Index>().prop_map(TomlEdit::Remove),
        3 => (any::<Index>(), key.clone(), toml_value())
            .prop_map(|(i, k, v)| TomlEdit::Insert(i, k, v)),
        2 => (any::<Index>(), key).prop_map(|(i, k)| TomlEdit::Rename(i, k)),
        10 => (any::<Index>(), any::<Index>()).prop_map(|(i, c)| TomlEdit::Similar(i, c)),
    ]
}

fn apply_toml(edits: &[TomlEdit]) -> toml::Value {
    let mut doc = toml::Value::Table(fixtures_table().clone());
    let paths = fixtures_paths();
    for edit in edits {
        match edit {
            TomlEdit::Replace(i, v) => {
                let path = &paths[i.index(paths.len())];
                if path.is_empty() {
                    continue; // the root stays a table
                }
                if let Some(slot) = toml_at(&mut doc, path) {
                    *slot = v.clone();
                }
            }
            TomlEdit::Remove(i) | TomlEdit::Rename(i, _) => {
                let path = &paths[i.index(paths.len())];
                let Some((last, parent)) = path.split_last() else {
                    continue;
                };
                let removed = match (toml_at(&mut doc, parent), last) {
                    (Some(toml::Value::Table(t)), Seg::Key(k)) => t.remove(k),
                    (Some(toml::Value::Array(a)), Seg::At(n)) if *n < a.len() => Some(a.remove(*n)),
                    _ => None,
                };
                if let (TomlEdit::Rename(_, new), Some(v)) = (edit, removed) {
                    if let Some(toml::Value::Table(t)) = toml_at(&mut doc, parent) {
                        t.insert(new.clone(), v);
                    }
                }
            }
            TomlEdit::Similar(i, choice) => {
                let path = &paths[i.index(paths.len())];
                let word = FIXTURE_WORDS[choice.index(FIXTURE_WORDS.len())].to_string();
                const INTS: [i64; 10] = [0, 1, -1, 8, 255, 256, 32768, 32769, i64::MAX, i64::MIN];
                match toml_at(&mut doc, path) {
                    Some(toml::Value::String(s)) => *s = word,
                    Some(toml::Value::Integer(n)) => *n = INTS[choice.index(INTS.len())],
                    Some(toml::Value::Boolean(b)) => *b = !*b,
                    Some(toml::Value::Array(items)) => {
                        if choice.index(2) == 0 || items.is_empty() {
                            items.push(toml::Value::String(word));
                        } else {
                            items.remove(choice.index(items.len()));
                        }
                    }
                    _ => {}
                }
            }
            TomlEdit::Insert(i, k, v) => {
                let path = &paths[i.index(paths.len())];
                if let Some(toml::Value::Table(t)) = toml_at(&mut doc, path) {
                    t.insert(k.clone(), v.clone());
                }
            }
        }
    }
    doc
}

// ---------------------------------------------------------------------------------------------
// Nesting and alias bombs

#[derive(Debug, Clone, Copy)]
enum Nesting {
    JsonArray,
    JsonObject,
    JsonInSchema,
    YamlFlowSeq,
    YamlFlowMap,
    YamlBlockSeq,
    YamlBlockMap,
}

fn nested(kind: Nesting, depth: usize) -> String {
    let minimal = r#""openapi":"3.0.1","info":{"title":"t","version":"1"}"#;
    match kind {
        Nesting::JsonArray => format!(
            "{{{minimal},\"x-deep\":{}{}}}",
            "[".repeat(depth),
            "]".repeat(depth)
        ),
        Nesting::JsonObject => format!(
            "{{{minimal},\"x-deep\":{}1{}}}",
            "{\"a\":".repeat(depth),
            "}".repeat(depth)
        ),
        Nesting::JsonInSchema => format!(
            "{{{minimal},\"paths\":{{\"/rest/api/3/myself\":{{\"get\":{{\"responses\":{{\"200\":{{\"description\":\"ok\",\"content\":{{\"application/json\":{{\"schema\":{}{{\"type\":\"string\"}}{}}}}}}}}}}}}}}}}}}}",
            "{\"type\":\"array\",\"items\":".repeat(depth),
            "}".repeat(depth)
        ),
        Nesting::YamlFlowSeq => format!(
            "openapi: 3.0.1\npaths: {{}}\nx-deep: {}{}\n",
            "[".repeat(depth),
            "]".repeat(depth)
        ),
        Nesting::YamlFlowMap => format!(
            "openapi: 3.0.1\npaths: {{}}\nx-deep: {}1{}\n",
            "{a: ".repeat(depth),
            "}".repeat(depth)
        ),
        Nesting::YamlBlockSeq => {
            let mut t = String::from("openapi: 3.0.1\npaths: {}\nx-deep:\n");
            for d in 0..depth.min(2000) {
                t.push_str(&" ".repeat(d + 1));
                t.push_str("-\n");
            }
            t
        }
        Nesting::YamlBlockMap => {
            let mut t = String::from("openapi: 3.0.1\npaths: {}\nx-deep:\n");
            for d in 0..depth.min(2000) {
                t.push_str(&" ".repeat(d + 1));
                t.push_str("a:\n");
            }
            t
        }
    }
}

fn nesting_kind() -> impl Strategy<Value = Nesting> {
    select(vec![
        Nesting::JsonArray,
        Nesting::JsonObject,
        Nesting::JsonInSchema,
        Nesting::YamlFlowSeq,
        Nesting::YamlFlowMap,
        Nesting::YamlBlockSeq,
        Nesting::YamlBlockMap,
    ])
}

fn depth() -> impl Strategy<Value = usize> {
    prop_oneof![1usize..200, 100usize..140, 200usize..50_000]
}

/// A YAML document whose aliases expand: `levels` anchors, each a list of `fanout` aliases of
/// the one before, the first a list of `width` scalars.
fn alias_bomb(levels: usize, fanout: usize, width: usize, quadratic: bool) -> String {
    let mut t = format!(
        "openapi: 3.0.0\npaths: {{}}\nl0: &l0 [{}x]\n",
        "x,".repeat(width)
    );
    if quadratic {
        t.push_str(&format!("l1: [{}*l0]\n", "*l0,".repeat(fanout * 50)));
        return t;
    }
    for i in 1..=levels {
        let p = i - 1;
        t.push_str(&format!(
            "l{i}: &l{i} [{}*l{p}]\n",
            format!("*l{p},").repeat(fanout.saturating_sub(1))
        ));
    }
    t
}

// ---------------------------------------------------------------------------------------------
// The properties

proptest! {
    #![proptest_config(config(256))]

    #[test]
    fn spec_random_bytes(bytes in prop::collection::vec(any::<u8>(), 0..2048), json in any::<bool>()) {
        let mut text = String::from_utf8_lossy(&bytes).into_owned();
        if json {
            text.insert(0, '{');
        }
        check_spec(&text)?;
    }

    #[test]
    fn spec_byte_edits(edits in prop::collection::vec(byte_edit(), 1..8)) {
        check_spec(&apply_bytes(SPEC, &edits))?;
    }

    #[test]
    fn fixtures_random_bytes(bytes in prop::collection::vec(any::<u8>(), 0..1024)) {
        check_fixtures(&String::from_utf8_lossy(&bytes))?;
    }

    #[test]
    fn fixtures_byte_edits(edits in prop::collection::vec(byte_edit(), 1..8)) {
        check_fixtures(&apply_bytes(FIXTURES, &edits))?;
    }

    #[test]
    fn fixtures_numbers(
        field in select(vec![
            "run.concurrency = ", "run.timeout_secs = ", "run.allow_writes = ",
            "rules.property_value_max_bytes = ", "rules.property_key_max_chars = ",
            "rules.account_id_max_chars = ", "attachment_settings.upload_limit = ",
        ]),
        value in prop_oneof![
            select(vec!["0", "1", "-1", "9223372036854775807", "-9223372036854775808",
                "9223372036854775808", "18446744073709551615", "1e308", "inf", "nan", "0x7fffffffffffffff",
                "1_000_000", "+1", "2305843009213693952", "4294967296", "\"8\"", "true"])
                .prop_map(str::to_string),
            any::<i64>().prop_map(|n| n.to_string()),
        ],
    ) {
        // The embedded file with one more setting: its tables are spelt once, so add the
        // setting as a dotted key right after `profile`.
        let (section, key) = field.split_once('.').expect("a dotted key");
        let text = FIXTURES.replacen(
            "profile = \"mock\"\n",
            &format!("profile = \"mock\"\n{section}.{key}{value}\n"),
            1,
        );
        // [run] and [attachment_settings] are tables of their own in the file: drop them.
        let text = text
            .replacen("[run]\nconcurrency = 8\ntimeout_secs = 10\n", "", 1)
            .replacen("[attachment_settings]\nenabled = true\nupload_limit = 10485760\n", "", 1);
        check_fixtures(&text)?;
    }

    #[test]
    fn fixtures_tree_edits(edits in prop::collection::vec(toml_edit(), 1..6)) {
        let doc = apply_toml(&edits);
        // A tree TOML cannot write (e.g. a value after a table) is no input at all.
        // A tree TOML cannot write is no input at all.
        if let Ok(text) = toml::to_string(&doc) {
            check_fixtures(&text)?;
        }
    }
}

proptest! {
    #![proptest_config(config(128))]

    #[test]
    fn spec_tree_edits(edits in prop::collection::vec(tree_edit(), 1..6), yaml in any::<bool>()) {
        let doc = apply_tree(&edits);
        let text = if yaml {
            serde_norway::to_string(&doc).expect("YAML")
        } else {
            serde_json::to_string(&doc).expect("JSON")
        };
        check_spec(&text)?;
    }

    #[test]
    fn spec_ref_graphs(
        nodes in prop::collection::vec(prop::collection::vec(node(), NODES), KINDS.len()),
        uses in prop::collection::vec(use_site(), 1..6),
    ) {
        let doc = graph_spec(&nodes, &uses);
        check_spec(&serde_json::to_string(&doc).expect("JSON"))?;
    }
}

proptest! {
    #![proptest_config(config(64))]

    #[test]
    fn spec_version_markers(
        openapi in prop::option::of(json_leaf()),
        swagger in prop::option::of(json_leaf()),
        version in select(vec!["2.0", "3.0", "3.0.0", "3.0.3", "3.0.4", "3.1.0", "3.1", "3", "4.0.0", "", "3.0.0-rc0", "v3.0.0"]),
        as_string in any::<bool>(),
    ) {
        let mut doc = spec_document().clone();
        let map = doc.as_object_mut().expect("an object");
        map.remove("openapi");
        if let Some(v) = openapi {
            map.insert("openapi".into(), v);
        } else if as_string {
            map.insert("openapi".into(), json!(version));
        }
        if let Some(v) = swagger {
            map.insert("swagger".into(), v);
        } else if !as_string {
            map.insert("swagger".into(), json!(version));
        }
        check_spec(&serde_json::to_string(&doc).expect("JSON"))?;
    }

    #[test]
    fn spec_huge_limits(
        site in select(vec![
            "maximum length is 255 characters",
            "maximum length of the property value is 32768 bytes",
            "\"maxLength\": 128",
        ]),
        value in prop_oneof![
            select(vec!["0", "1", "18446744073709551615", "18446744073709551616",
                "8848808970072262394", "1048576", "1048577", "99999999999999999999999999"])
                .prop_map(str::to_string),
            any::<u64>().prop_map(|n| n.to_string()),
        ],
    ) {
        let number = site.rsplit(' ').nth(usize::from(!site.contains("maxLength"))).expect("a number");
        let text = SPEC.replace(site, &site.replace(number, &value));
        check_spec(&text)?;
    }

    #[test]
    fn deep_nesting(kind in nesting_kind(), depth in depth()) {
        check_spec(&nested(kind, depth))?;
    }

    #[test]
    fn fixtures_deep_nesting(depth in depth(), shape in 0usize..4) {
        let text = match shape {
            0 => format!("profile = \"p\"\nx = {}1{}\n", "[".repeat(depth), "]".repeat(depth)),
            1 => format!("profile = \"p\"\nx = {}1{}\n", "{a=".repeat(depth), "}".repeat(depth)),
            2 => format!("profile = \"p\"\n{} = 1\n", vec!["a"; depth].join(".")),
            _ => format!("profile = \"p\"\n[{}]\n", vec!["groups"; depth].join(".")),
        };
        check_fixtures(&text)?;
    }

    #[test]
    fn yaml_scalars_full_of_brackets_load_as_written(value in yaml_value(), flow in any::<bool>()) {
        let doc = json!({"openapi": "3.0.1", "paths": {}, "x-value": value});
        let mut text = serde_norway::to_string(&doc).expect("YAML");
        if flow {
            // serde_norway writes block style; JSON is YAML's flow style.
            text = format!("openapi: 3.0.1\npaths: {{}}\nx-value: {}\n", serde_json::to_string(&value).expect("JSON"));
        }
        let spec = parse(&text, "fuzz.yaml").map_err(|e| TestCaseError::fail(format!("{e}\n{text}")))?;
        prop_assert_eq!(&spec.document, &doc, "{}", text);
    }

}

proptest! {
    // Each bomb builds up to a million values before it is refused: fewer cases.
    #![proptest_config(config(24))]

    #[test]
    fn yaml_alias_bombs(levels in 1usize..12, fanout in 2usize..12, width in 1usize..400, quadratic in any::<bool>()) {
        check_spec(&alias_bomb(levels, fanout, width, quadratic))?;
    }
}

// ---------------------------------------------------------------------------------------------
// Fixed cases: what the properties found, and the shapes worth pinning

#[test]
fn the_embedded_inputs_pass_the_checks() {
    check_spec(SPEC).expect("the embedded spec");
    check_fixtures(FIXTURES).expect("the embedded fixtures");
}

#[test]
fn the_embedded_spec_as_yaml_loads_the_same_document() {
    let yaml = serde_norway::to_string(spec_document()).expect("YAML");
    let spec = parse(&yaml, "fuzz.yaml").expect("the YAML spec loads");
    assert_eq!(&spec.document, spec_document());
}

/// The real Jira specs, where the checkout has them, written as YAML: the flow-depth guard and
/// the alias budget must let every one through unchanged.
#[test]
fn real_specs_as_yaml_load_the_same_document() {
    let dir = shared::specs_dir();
    let Ok(entries) = std::fs::read_dir(&dir) else {
        shared::absent(&format!("{} is not present", dir.display()));
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.extension().and_then(|e| e.to_str()) != Some("json") {
            continue;
        }
        let text = std::fs::read_to_string(&path).expect("readable");
        let doc: Value = serde_json::from_str(&text).expect("JSON");
        let yaml = serde_norway::to_string(&doc).expect("YAML");
        let name = path.display().to_string();
        match parse(&yaml, &name) {
            Ok(spec) => assert!(spec.document == doc, "{name}: the YAML loads differently"),
            // Only a refusal for what the document is (not OpenAPI 3.0) is acceptable.
            Err(e) => assert!(!e.to_string().contains("not a valid YAML"), "{name}: {e}"),
        }
    }
}

#[test]
fn quadratic_yaml_alias_expansion_is_refused_quickly() {
    // 30 KB that expands to 36 million values without the guard.
    let n = 6000;
    let text = format!(
        "openapi: 3.0.0\npaths: {{}}\na: &a [{}1]\nb: [{}*a]\n",
        "1,".repeat(n),
        "*a,".repeat(n)
    );
    let start = Instant::now();
    let e = parse(&text, "bomb.yaml").unwrap_err().to_string();
    assert!(e.starts_with("bomb.yaml: not a valid YAML document"), "{e}");
    assert!(e.contains("expands to more than"), "{e}");
    assert!(start.elapsed() < SLOW, "{:?}", start.elapsed());
}

#[test]
fn billion_laughs_is_refused() {
    let e = parse(&alias_bomb(9, 10, 9, false), "laughs.yaml")
        .unwrap_err()
        .to_string();
    assert!(
        e.starts_with("laughs.yaml: not a valid YAML document"),
        "{e}"
    );
}

#[test]
fn a_long_ref_chain_loads_in_linear_time() {
    let n = 50_000;
    let mut parameters = Map::new();
    for i in 0..n {
        parameters.insert(
            format!("p{i}"),
            json!({"$ref": format!("#/components/parameters/p{}", i + 1)}),
        );
    }
    parameters.insert(
        format!("p{n}"),
        json!({"name": "x", "in": "query", "schema": {"type": "string"}}),
    );
    let doc = json!({"openapi": "3.0.1", "info": {"title": "t", "version": "1"},
        "components": {"parameters": parameters},
        "paths": {"/rest/api/3/x": {"get": {"parameters": [{"$ref": "#/components/parameters/p0"}],
            "responses": {"200": {"description": "ok"}}}}}});
    let text = serde_json::to_string(&doc).expect("JSON");
    let start = Instant::now();
    let spec = parse(&text, "chain.json").expect("a long chain is still a valid spec");
    assert_eq!(spec.operations[0].parameters[0].name, "x");
    assert!(
        start.elapsed() < Duration::from_secs(5),
        "{:?}",
        start.elapsed()
    );
}
