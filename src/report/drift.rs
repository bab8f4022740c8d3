//! Snapshot drift as two columns: the unified diff of a `snapshot_drift` failure's detail turned into
//! rows of reference and this-run lines, for the HTML report's side-by-side view.

/// What a line of one column is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Change {
    /// The same on both sides (diff context).
    Same,
    /// Only in the reference snapshot (`-`).
    Removed,
    /// Only in this run (`+`).
    Added,
}

/// One row of the side-by-side view.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Row<'a> {
    /// A hunk header, `@@ -1,9 +1,3 @@`: where the lines below sit.
    Hunk(&'a str),
    /// A reference line and a this-run line; `None` pads the shorter side of a change.
    Pair {
        /// The reference snapshot's line.
        left: Option<(Change, &'a str)>,
        /// This run's line.
        right: Option<(Change, &'a str)>,
    },
}

/// The rows of a unified diff: context on both sides, each run of removed lines paired with the
/// run of added lines that follows it, line by line, the shorter run padded.
pub(super) fn side_by_side(diff: &str) -> Vec<Row<'_>> {
    let mut rows = Vec::new();
    let mut removed: Vec<&str> = Vec::new();
    let mut added: Vec<&str> = Vec::new();
    let mut in_header = true;
    for line in diff.lines() {
        // The `---`/`+++` file lines come before the first hunk only; inside a hunk a removed
        // line may well start with `--`.
        if in_header && (line.starts_with("--- ") || line.starts_with("+++ ")) {
            continue;
        }
        if line.starts_with("@@") {
            in_header = false;
            flush(&mut rows, &mut removed, &mut added);
            rows.push(Row::Hunk(line));
            continue;
        }
        in_header = false;
        if let Some(text) = line.strip_prefix('-') {
            // A removal after additions starts a new change.
            if !added.is_empty() {
                flush(&mut rows, &mut removed, &mut added);
            }
            removed.push(text);
        } else if let Some(text) = line.strip_prefix('+') {
            added.push(text);
        } else if line.starts_with('\\') {
            // `\ No newline at end of file` describes the line before; nothing to show.
        } else {
            flush(&mut rows, &mut removed, &mut added);
            let text = line.strip_prefix(' ').unwrap_or(line);
            rows.push(Row::Pair {
                left: Some((Change::Same, text)),
                right: Some((Change::Same, text)),
            });
        }
    }
    flush(&mut rows, &mut removed, &mut added);
    rows
}

/// Pairs the pending removed and added lines into rows and empties both.
fn flush<'a>(rows: &mut Vec<Row<'a>>, removed: &mut Vec<&'a str>, added: &mut Vec<&'a str>) {
    let n = removed.len().max(added.len());
    for i in 0..n {
        rows.push(Row::Pair {
            left: removed.get(i).map(|t| (Change::Removed, *t)),
            right: added.get(i).map(|t| (Change::Added, *t)),
        });
    }
    removed.clear();
    added.clear();
}

#[cfg(test)]
mod tests {
    use super::*;

    const DIFF: &str =
        "--- reference\n+++ this run\n@@ -1,5 +1,3 @@\n PUT {base}/x as alice (32769 bytes)\n\
        -→ 400 application/json\n-{\n-  \"errors\": {}\n+→ 201 -\n # end\n";

    #[test]
    fn removed_and_added_runs_are_paired() {
        let rows = side_by_side(DIFF);
        use Change::*;
        assert_eq!(
            rows,
            [
                Row::Hunk("@@ -1,5 +1,3 @@"),
                Row::Pair {
                    left: Some((Same, "PUT {base}/x as alice (32769 bytes)")),
                    right: Some((Same, "PUT {base}/x as alice (32769 bytes)")),
                },
                Row::Pair {
                    left: Some((Removed, "→ 400 application/json")),
                    right: Some((Added, "→ 201 -")),
                },
                Row::Pair {
                    left: Some((Removed, "{")),
                    right: None,
                },
                Row::Pair {
                    left: Some((Removed, "  \"errors\": {}")),
                    right: None,
                },
                Row::Pair {
                    left: Some((Same, "# end")),
                    right: Some((Same, "# end")),
                },
            ]
        );
    }

    #[test]
    fn additions_before_removals_and_dash_lines_inside_hunks() {
        let diff = "--- reference\n+++ this run\n@@ -1 +1 @@\n+new\n---- old\n+++ plus\n";
        let rows = side_by_side(diff);
        use Change::*;
        assert_eq!(
            rows,
            [
                Row::Hunk("@@ -1 +1 @@"),
                Row::Pair {
                    left: None,
                    right: Some((Added, "new")),
                },
                Row::Pair {
                    left: Some((Removed, "--- old")),
                    right: Some((Added, "++ plus")),
                },
            ]
        );
    }
}
