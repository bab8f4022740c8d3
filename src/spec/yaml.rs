//! YAML specs read into a JSON value with a bound on how far aliases may expand it.
//!
//! `serde_norway` refuses the classic "billion laughs" (its alias jumps are capped at 100 per
//! event), but each jump may copy a whole anchored subtree: `a: &a [1,1,…]` followed by
//! `b: [*a,*a,…]` expands quadratically, so 15 KB of YAML became 9 million values (650 MB) and
//! 100 KB would exhaust memory. Counting the values as they are built stops that at a size that
//! no real spec reaches.
//!
//! The scanner underneath (libyaml) also spends time proportional to the flow nesting depth
//! (`[`, `{`) on every token, so 100 KB of `[[[…` took 6 s and 1 MB would take minutes before
//! the deserializer's own depth limit (128) refused it. Text whose flow collections nest deeper
//! than [`MAX_FLOW_DEPTH`] is refused before it reaches libyaml.

use std::cell::Cell;
use std::fmt;

use serde::de::{self, DeserializeSeed, MapAccess, SeqAccess, Visitor};
use serde_json::{Map, Number, Value};

/// Values any document may have, whatever its length.
const BASE_BUDGET: usize = 1_000_000;
/// Values allowed per byte of text on top of that (without aliases a document has fewer values
/// than bytes).
const PER_BYTE: usize = 4;

/// Flow collections nested deeper than this are refused unparsed. Deserializing refuses more
/// than 128 levels of any kind anyway; the margin covers the estimate's excess (brackets in
/// plain scalars that it takes for flow collections).
pub(crate) const MAX_FLOW_DEPTH: usize = 512;

/// Why YAML text was refused.
#[derive(Debug)]
pub(crate) enum YamlError {
    /// The parser's error (with its line and column).
    Parse(serde_norway::Error),
    /// Flow collections nested deeper than [`MAX_FLOW_DEPTH`], first at this line.
    TooDeep { line: usize },
    /// A character YAML does not allow in a document (the parser says so without a place).
    Control { line: usize, column: usize, c: char },
}

impl fmt::Display for YamlError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            YamlError::Parse(e) => {
                // serde_norway leaves out the place when it is the very start of the text.
                let message = e.to_string();
                match e.location() {
                    Some(at)
                        if !message.contains(" at line ") && !message.contains(" at position ") =>
                    {
                        write!(f, "{message} at line {} column {}", at.line(), at.column())
                    }
                    _ => f.write_str(&message),
                }
            }
            YamlError::TooDeep { line } => write!(
                f,
                "flow collections ([ or {{) nested more than {MAX_FLOW_DEPTH} deep at line {line}"
            ),
            YamlError::Control { line, column, c } => write!(
                f,
                "control character {c:?} is not allowed at line {line} column {column}"
            ),
        }
    }
}

/// Parses YAML text into a JSON value, refusing documents whose aliases expand past the budget
/// or whose flow collections nest too deep for the scanner.
pub(crate) fn from_str(text: &str) -> Result<Value, YamlError> {
    if let Some(e) = control_character(text) {
        return Err(e);
    }
    if let Some(line) = flow_depth_exceeds(text, MAX_FLOW_DEPTH) {
        return Err(YamlError::TooDeep { line });
    }
    let budget = BASE_BUDGET.saturating_add(text.len().saturating_mul(PER_BYTE));
    from_str_with_budget(text, budget).map_err(YamlError::Parse)
}

/// The first character outside YAML's printable set (the one libyaml refuses), with its place.
fn control_character(text: &str) -> Option<YamlError> {
    let printable = |c: char| {
        matches!(c, '\t' | '\n' | '\r' | ' '..='~' | '\u{85}')
            || ('\u{a0}'..='\u{fffd}').contains(&c)
            || c >= '\u{10000}'
    };
    let (at, c) = text.char_indices().find(|&(_, c)| !printable(c))?;
    let before = &text[..at];
    Some(YamlError::Control {
        line: before.matches('\n').count() + 1,
        column: before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1,
        c,
    })
}

/// The line where flow collections first nest deeper than `limit`, by an estimate that never
/// counts fewer levels than the YAML parser opens: inside flow collections every `[`/`{` outside
/// quoted scalars and comments counts; in block context one counts where a node may start (line
/// start, after `- `, `? `, `: `, `---`, an anchor or a tag), quoted and block scalars skipped.
fn flow_depth_exceeds(text: &str, limit: usize) -> Option<usize> {
    let b = text.as_bytes();
    let blank = |i: usize| b.get(i).is_none_or(|c| c.is_ascii_whitespace());
    let mut i = 0;
    let mut line = 1;
    let mut depth = 0usize;
    // Whether a node (and so a flow collection or a quoted scalar) may start here.
    let mut node_start = true;
    while i < b.len() {
        let c = b[i];
        match c {
            b'\n' => {
                line += 1;
                node_start |= depth == 0;
                i += 1;
                continue;
            }
            b' ' | b'\t' | b'\r' => {
                i += 1;
                continue;
            }
            b'#' if i == 0 || b[i - 1].is_ascii_whitespace() => {
                while i < b.len() && b[i] != b'\n' {
                    i += 1;
                }
                continue;
            }
            _ => {}
        }
        if depth > 0 {
            match c {
                b'[' | b'{' => {
                    depth += 1;
                    if depth > limit {
                        return Some(line);
                    }
                    node_start = true;
                }
                b']' | b'}' => {
                    depth -= 1;
                    node_start = false;
                }
                b',' | b':' | b'?' => node_start = true,
                // A quote after an indicator or a space may open a quoted scalar: taking it for
                // one skips closing brackets, never opening ones the parser would see.
                b'"' | b'\'' if node_start || b[i - 1].is_ascii_whitespace() => {
                    i = skip_quoted(b, i, &mut line);
                    node_start = false;
                    continue;
                }
                _ => node_start = false,
            }
            i += 1;
            continue;
        }
        if !node_start {
            // In a plain scalar or after a quoted key: `: ` (or `:[`) starts a value.
            if c == b':' && (blank(i + 1) || matches!(b.get(i + 1), Some(b'[' | b'{'))) {
                node_start = true;
            }
            i += 1;
            continue;
        }
        match c {
            b'[' | b'{' => {
                depth = 1;
                if depth > limit {
                    return Some(line);
                }
            }
            b'"' | b'\'' => {
                i = skip_quoted(b, i, &mut line);
                node_start = false;
                continue;
            }
            b'|' | b'>' => {
                i = skip_block_scalar(b, i, &mut line);
                continue;
            }
            b'-' if b[i..].starts_with(b"---") && blank(i + 3) => i += 2,
            b'-' | b'?' | b':' if blank(i + 1) => {}
            b'&' | b'!' => {
                while i < b.len() && !b[i].is_ascii_whitespace() {
                    i += 1;
                }
                continue;
            }
            _ => node_start = false,
        }
        i += 1;
    }
    None
}

/// The index after the quoted scalar opening at `start` (or the end of the text).
fn skip_quoted(b: &[u8], start: usize, line: &mut usize) -> usize {
    let quote = b[start];
    let mut i = start + 1;
    while i < b.len() {
        match b[i] {
            b'\n' => *line += 1,
            b'\\' if quote == b'"' => i += 1,
            c if c == quote => {
                if quote == b'\'' && b.get(i + 1) == Some(&b'\'') {
                    i += 1;
                } else {
                    return i + 1;
                }
            }
            _ => {}
        }
        i += 1;
    }
    b.len()
}

/// The index of the first line after the block scalar whose indicator is at `start`: lines that
/// are blank or indented past the node the scalar belongs to (its line's first character after
/// the indentation and any `- `).
fn skip_block_scalar(b: &[u8], start: usize, line: &mut usize) -> usize {
    let line_start = b[..start]
        .iter()
        .rposition(|&c| c == b'\n')
        .map_or(0, |p| p + 1);
    let node = b[line_start..start]
        .iter()
        .position(|&c| !matches!(c, b' ' | b'-'))
        .unwrap_or(start - line_start);
    let mut i = start;
    while i < b.len() && b[i] != b'\n' {
        i += 1;
    }
    while i < b.len() {
        // At a newline: look at the next line.
        let next = i + 1;
        let indent = b[next..].iter().take_while(|&&c| c == b' ').count();
        let rest = next + indent;
        let empty = rest >= b.len() || matches!(b[rest], b'\n' | b'\r');
        if !empty && indent <= node {
            return i;
        }
        *line += 1;
        i = rest;
        while i < b.len() && b[i] != b'\n' {
            i += 1;
        }
    }
    b.len()
}

fn from_str_with_budget(text: &str, budget: usize) -> Result<Value, serde_norway::Error> {
    let left = Cell::new(budget);
    Node {
        left: &left,
        budget,
    }
    .deserialize(serde_norway::Deserializer::from_str(text))
}

/// One value of the document; every value built spends one unit of `left`.
#[derive(Clone, Copy)]
struct Node<'b> {
    left: &'b Cell<usize>,
    budget: usize,
}

impl Node<'_> {
    fn spend<E: de::Error>(self) -> Result<(), E> {
        match self.left.get().checked_sub(1) {
            Some(n) => {
                self.left.set(n);
                Ok(())
            }
            None => Err(E::custom(format_args!(
                "the document expands to more than {} values (aliases repeated too often?)",
                self.budget
            ))),
        }
    }
}

impl<'de> DeserializeSeed<'de> for Node<'_> {
    type Value = Value;

    fn deserialize<D: de::Deserializer<'de>>(self, deserializer: D) -> Result<Value, D::Error> {
        deserializer.deserialize_any(self)
    }
}

// The same values serde_json's own `Value` visitor builds.
impl<'de> Visitor<'de> for Node<'_> {
    type Value = Value;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any YAML value")
    }

    fn visit_bool<E: de::Error>(self, v: bool) -> Result<Value, E> {
        self.spend()?;
        Ok(Value::Bool(v))
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Value, E> {
        self.spend()?;
        Ok(Value::Number(v.into()))
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Value, E> {
        self.spend()?;
        Ok(Value::Number(v.into()))
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Value, E> {
        self.spend()?;
        Ok(Number::from_f64(v).map_or(Value::Null, Value::Number))
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Value, E> {
        self.spend()?;
        Ok(Value::String(v.to_string()))
    }

    fn visit_string<E: de::Error>(self, v: String) -> Result<Value, E> {
        self.spend()?;
        Ok(Value::String(v))
    }

    fn visit_unit<E: de::Error>(self) -> Result<Value, E> {
        self.spend()?;
        Ok(Value::Null)
    }

    fn visit_none<E: de::Error>(self) -> Result<Value, E> {
        self.visit_unit()
    }

    fn visit_some<D: de::Deserializer<'de>>(self, deserializer: D) -> Result<Value, D::Error> {
        deserializer.deserialize_any(self)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        self.spend()?;
        let mut items = Vec::new();
        while let Some(item) = seq.next_element_seed(self)? {
            items.push(item);
        }
        Ok(Value::Array(items))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        self.spend()?;
        let mut object = Map::new();
        while let Some(key) = map.next_key::<String>()? {
            self.spend()?;
            let value = map.next_value_seed(self)?;
            object.insert(key, value);
        }
        Ok(Value::Object(object))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_same_values_as_serde_norway() {
        let text = "a: 1\nb: [true, null, 2.5, -3, x]\n200: {c: &x 'y', d: *x}\n";
        let expected: Value = serde_norway::from_str(text).unwrap();
        assert_eq!(from_str(text).unwrap(), expected);
    }

    #[test]
    fn quadratic_alias_expansion_is_refused() {
        // 15 KB that serde_norway alone expands to 9 million values.
        let n = 3000;
        let text = format!("a: &a [{}1]\nb: [{}*a]\n", "1,".repeat(n), "*a,".repeat(n));
        let err = from_str(&text).unwrap_err().to_string();
        assert!(err.contains("expands to more than"), "{err}");
    }

    #[test]
    fn deep_flow_nesting_is_refused_before_parsing() {
        // 100 KB that took libyaml 6 s (quadratic in the depth).
        let text = format!("a: 1\nb: {}{}\n", "[".repeat(50_000), "]".repeat(50_000));
        let start = std::time::Instant::now();
        let err = from_str(&text).unwrap_err().to_string();
        assert!(err.contains("nested more than 512 deep at line 2"), "{err}");
        assert!(start.elapsed() < std::time::Duration::from_secs(1));
        let text = format!("b: {}1{}\n", "{a: ".repeat(600), "}".repeat(600));
        assert!(from_str(&text).is_err());
    }

    #[test]
    fn an_error_at_the_very_start_is_placed() {
        // Found by fuzzing: serde_norway prints no place for line 1 column 1.
        let err = from_str("@").unwrap_err().to_string();
        assert!(err.ends_with("at line 1 column 1"), "{err}");
    }

    #[test]
    fn a_control_character_is_placed() {
        // Found by fuzzing: libyaml names no place for one at the very start.
        let err = from_str("\u{1}a: 1").unwrap_err().to_string();
        assert_eq!(
            err,
            "control character '\\u{1}' is not allowed at line 1 column 1"
        );
        let err = from_str("a: 1\nbé: \u{7f}").unwrap_err().to_string();
        assert!(err.ends_with("at line 2 column 5"), "{err}");
        assert!(from_str("a: \"\u{85}\u{a0}\u{fffd}\u{10000}\\u0001\"").is_ok());
    }

    #[test]
    fn flow_depth_counts_what_the_parser_opens() {
        let depth = |t: &str| (0..20).find(|&n| flow_depth_exceeds(t, n).is_none());
        assert_eq!(depth("a: [[1], {b: [2]}]"), Some(3));
        assert_eq!(
            depth("- - [[x]]\n--- [[y]]\n? [z]\n: &a !t [[[w]]]"),
            Some(3)
        );
        // Brackets in plain, quoted and block scalars and comments open nothing.
        assert_eq!(
            depth("a: see [x\nb: \"[[[\"\nc: '[['\n# [[[\nd: |\n  [[[\n  [[\ne: 1"),
            Some(0)
        );
        // Closing brackets in quoted scalars close nothing.
        assert_eq!(depth("a: [[\"]]\", [']]', [x]]]]"), Some(4));
        // A block scalar ends at the next key of its mapping, even inside a sequence.
        assert_eq!(depth("- a: |\n    x\n  b: [[1]]"), Some(2));
    }

    #[test]
    fn the_budget_counts_expanded_values() {
        let text = "a: &a [1, 2]\nb: [*a, *a]\n";
        // root, a, [1, 2], b, [*a, *a] with two copies of [1, 2]: 13 values.
        assert!(from_str_with_budget(text, 13).is_ok());
        assert!(from_str_with_budget(text, 12).is_err());
    }
}
