#!/usr/bin/env bash
# Compares what two builds of jira-conform print and write, to show a refactoring changed no
# behaviour (issue 16):
#   - `list` on the embedded spec and on every real spec in ../shared/specs (or $JIRA_CONFORM_SHARED/specs),
#   - every report format (terminal, JUnit, JSON, Markdown, HTML) of a faithful run and of a run
#     with three seeded faults, verified against a copy of the recorded snapshots.
# What differs between any two runs by nature is normalised first: the mock's port, timings,
# timestamps the mock stamps on updates, the run prefix inside run ids, and the ids the mock gives
# the roles a run creates (cases start in parallel order even at --concurrency 1). Runs use --concurrency 1 so the order of exchanges is fixed.
#
# Usage: scripts/same-behaviour.sh OLD_BINARY NEW_BINARY
# Build an old binary with e.g. `git worktree add /tmp/old <commit> && cargo build --manifest-path /tmp/old/Cargo.toml`.
# Exit 0 when every output is identical after normalisation, 1 with the diffs otherwise.
set -euo pipefail
if [ $# -ne 2 ]; then
    echo "usage: $0 OLD_BINARY NEW_BINARY" >&2
    exit 2
fi
old=$(realpath "$1")
new=$(realpath "$2")
cd "$(dirname "$0")/.."
shared=${JIRA_CONFORM_SHARED:-../shared}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

normalise() {
    sed -E \
        -e 's/127\.0\.0\.1:[0-9]+/127.0.0.1:PORT/g' \
        -e 's/\bj[0-9a-z]{3}0[0-9a-z]{3}\b/jRUNID/g' \
        -e 's/time="[0-9.]+"/time="T"/g' \
        -e 's/"elapsed_ms": [0-9]+/"elapsed_ms": T/g' \
        -e 's/[0-9]+\.[0-9]+ s\b/T s/g' \
        -e 's/[0-9]+ ms\b/T ms/g' \
        -e 's/\b100(0[4-9]|[1-9][0-9])\b/NEWID/g' \
        -e 's/[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\.[0-9]+)?([+-][0-9]{4}|Z)/TIMESTAMP/g' \
        "$1"
}

# outputs BINARY DIR: every output of one build into DIR.
outputs() {
    local bin=$1 dir=$2
    mkdir -p "$dir"
    "$bin" list >"$dir/list-embedded.txt" 2>&1 || echo "exit $?" >>"$dir/list-embedded.txt"
    for spec in "$shared"/specs/*.json "$shared"/specs/*.yaml "$shared"/specs/*.yml; do
        [ -f "$spec" ] || continue
        local name
        name=$(basename "$spec")
        "$bin" list --spec "$spec" >"$dir/list-$name.txt" 2>&1 || echo "exit $?" >>"$dir/list-$name.txt"
    done
    local run
    for run in faithful faults; do
        local faults=()
        if [ "$run" = faults ]; then
            faults=(--fault delete-200 --fault value-limit-off-by-one --fault allow-header-missing)
        fi
        # A copy of the snapshots: a failing verify writes .snap.new files beside them.
        rm -rf "$work/snapshots"
        cp -r snapshots "$work/snapshots"
        "$bin" run --concurrency 1 --snapshots verify --snapshot-dir "$work/snapshots" \
            "${faults[@]}" --color never \
            --report "junit=$dir/$run.xml" --report "json=$dir/$run.json" \
            --report "markdown=$dir/$run.md" --report "html=$dir/$run.html" \
            >"$dir/$run.txt" 2>&1 || echo "exit $?" >>"$dir/$run.txt"
    done
}

outputs "$old" "$work/old"
outputs "$new" "$work/new"

status=0
count=0
for file in "$work"/old/*; do
    name=$(basename "$file")
    count=$((count + 1))
    if ! diff -u <(normalise "$file") <(normalise "$work/new/$name") >"$work/diff" 2>&1; then
        echo "DIFFERS: $name"
        head -40 "$work/diff" | cut -c1-300
        status=1
    fi
done
new_count=$(find "$work/new" -type f | wc -l)
if [ "$new_count" -ne "$count" ]; then
    echo "DIFFERS: the old build wrote $count outputs, the new one $new_count"
    status=1
fi
if [ $status -eq 0 ]; then
    echo "same behaviour: $count outputs identical after normalisation"
fi
exit $status
