#!/usr/bin/env bash
# Schemathesis over the reference mock, driven by the project's own spec.
#
# Installs Schemathesis 4.x from PyPI into a venv under target/ when it is missing, builds and
# starts the mock on a free loopback port (`jira-conform mock --port 0`), runs
# `st run specs/jira-conform.openapi.json` against it as the embedded administrator, stops the
# mock, and exits non-zero when Schemathesis fails (by default: on any 5xx).
#
#   scripts/schemathesis.sh                          # not_a_server_error, 25 examples per operation
#   MAX_EXAMPLES=200 scripts/schemathesis.sh         # more examples
#   CHECKS=all scripts/schemathesis.sh               # every check (reports spec departures too)
#   SEED=42 scripts/schemathesis.sh -v               # reproducible; extra arguments go to `st run`
#
# Bounded: MAX_EXAMPLES per operation and phase, and the whole Schemathesis run is stopped after
# TIME_LIMIT seconds (default 600). The spec's paths carry /rest/api/3, so --url is the mock's
# origin. Only loopback traffic.
#
# The documented operations outside the mock's slice (DELETE /attachment/{id}, PUT /dashboard/{id},
# POST …/worklog …) answer 501 "not implemented by the reference mock" by design (README), so they
# are excluded; every operation the mock serves is tested. Path and query parameters that name
# the fixtures' entities (accounts, issues, dashboards and their items, worklogs, projects) take
# one of their real values most of the time (the generated config below), so the cases get
# past the 404s into the operations' logic; the rest of the time they are generated.
set -euo pipefail
cd "$(dirname "$0")/.."

VENV=target/schemathesis-venv
ST_SPEC="${ST_SPEC:-schemathesis>=4.32,<5}"
MAX_EXAMPLES="${MAX_EXAMPLES:-25}"
TIME_LIMIT="${TIME_LIMIT:-600}"
CHECKS="${CHECKS:-not_a_server_error}"
PHASES="${PHASES:-examples,coverage,fuzzing,stateful}"
# The embedded administrator of fixtures/mock.toml (mock-only credentials).
CREDENTIALS="${CREDENTIALS:-admin@example.test:mock-admin-token}"
REPORT_DIR=target/schemathesis-report
CONFIG=target/schemathesis.toml
NOT_SERVED='^(removeAttachment|selectTimeTrackingImplementation|updateDashboard|deleteDashboard|editIssue|deleteIssue|addWorklog|bulkDeleteWorklogs|deleteWorklog|createNotificationScheme)$'

if [ ! -x "$VENV/bin/st" ]; then
    echo "installing Schemathesis into $VENV" >&2
    python3 -m venv "$VENV"
    "$VENV/bin/pip" install --quiet --upgrade pip
    "$VENV/bin/pip" install --quiet "$ST_SPEC"
fi
"$VENV/bin/st" --version

# The entities of fixtures/mock.toml, for the parameters that name them.
cat >"$CONFIG" <<'TOML'
[dictionaries.accounts]
values = ["5b10a2844c20165700ede210", "5b10ac8d82e05b22cc7d4ef5", "5b109f2e9729b51b54dc274d"]
[dictionaries.dashboards]
values = ["10000", "10001", "10002", "10003"]
[dictionaries.items]
values = ["10000", "10010", "10020", "10030"]
[dictionaries.issues]
values = ["CONF-1", "CONF-2", "CONF-3", "HID-1", "QUIET-1", "10200", "10201", "conf-1"]
[dictionaries.projects]
values = ["CONF", "HID", "QUIET", "10000", "10001"]
# attachment, dashboard and worklog ids share the parameter name `id`
[dictionaries.ids]
values = ["10300", "10301", "10000", "10001", "10002", "10003", "10400", "10401", "10402", "10404"]
[dictionaries.keys]
values = ["k", "colour", "a.b", "x-1"]

[parameters]
accountId = { dictionary = "accounts", probability = 0.8 }
dashboardId = { dictionary = "dashboards", probability = 0.8 }
itemId = { dictionary = "items", probability = 0.8 }
issueIdOrKey = { dictionary = "issues", probability = 0.8 }
projectIdOrKey = { dictionary = "projects", probability = 0.8 }
"path.id" = { dictionary = "ids", probability = 0.8 }
propertyKey = { dictionary = "keys", probability = 0.5 }
TOML

cargo build --release --quiet
log="$(mktemp)"
target/release/jira-conform mock --port 0 >"$log" 2>&1 &
mock_pid=$!
cleanup() {
    kill "$mock_pid" 2>/dev/null || true
    wait "$mock_pid" 2>/dev/null || true
    rm -f "$log"
}
trap cleanup EXIT

# "reference mock listening on http://127.0.0.1:PORT (profile mock, faults: none)"
url=""
for _ in $(seq 1 200); do
    url="$(sed -n 's|^reference mock listening on \(http://[^ ]*\).*|\1|p' "$log")"
    [ -n "$url" ] && break
    if ! kill -0 "$mock_pid" 2>/dev/null; then
        echo "the mock did not start:" >&2
        cat "$log" >&2
        exit 2
    fi
    sleep 0.05
done
if [ -z "$url" ]; then
    echo "the mock did not say where it listens:" >&2
    cat "$log" >&2
    exit 2
fi
echo "mock at $url"

seed_args=()
if [ -n "${SEED:-}" ]; then
    seed_args=(--seed "$SEED")
fi

status=0
timeout --signal=INT --kill-after=10 "$TIME_LIMIT" \
    "$VENV/bin/st" --config-file "$CONFIG" run specs/jira-conform.openapi.json \
    --url "$url" \
    -H "Authorization: Basic $(printf '%s' "$CREDENTIALS" | base64 -w0)" \
    --checks "$CHECKS" \
    --exclude-operation-id-regex "$NOT_SERVED" \
    --phases "$PHASES" \
    --max-examples "$MAX_EXAMPLES" \
    --workers 2 \
    --request-timeout 10 \
    --report junit --report-dir "$REPORT_DIR" \
    "${seed_args[@]}" \
    "$@" || status=$?

if ! kill -0 "$mock_pid" 2>/dev/null; then
    echo "the mock died during the run:" >&2
    cat "$log" >&2
    exit 1
fi
if [ "$status" -eq 124 ]; then
    echo "Schemathesis did not finish within ${TIME_LIMIT}s" >&2
fi
exit "$status"
