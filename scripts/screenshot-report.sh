#!/usr/bin/env bash
# Renders the HTML report of a run against the embedded mock with a seeded fault, then takes a
# headless Chromium screenshot of it (target/report.png), so the page can be looked at as a
# person sees it. Installs Debian's chromium when it is missing (needs root or sudo).
#
# Usage: scripts/screenshot-report.sh [FAULT]    (default: value-limit-not-enforced)
set -euo pipefail
cd "$(dirname "$0")/.."

fault="${1:-value-limit-not-enforced}"

if ! command -v chromium >/dev/null 2>&1; then
  echo "chromium not found: installing Debian's chromium package" >&2
  sudo=""
  if [ "$(id -u)" -ne 0 ]; then sudo="sudo"; fi
  $sudo apt-get update -qq
  # DejaVu gives the page's system-ui/monospace stacks a real font on a bare machine.
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq chromium fonts-dejavu-core >/dev/null
fi

mkdir -p target
# Verify against a copy of the snapshots: the fault makes cases drift, and the run leaves
# pending `.snap.new` files beside the snapshots it verifies; they belong under target/, not in
# the committed snapshots/.
rm -rf target/screenshot-snapshots
cp -r snapshots target/screenshot-snapshots

set +e
cargo run --release -- run --fault "$fault" --snapshot-dir target/screenshot-snapshots \
  --color never --report html=target/report.html >target/report.txt
status=$?
set -e
# Exit code 1 is what a caught fault gives; anything else means the run itself went wrong.
if [ "$status" -ne 1 ]; then
  echo "expected exit code 1 (the fault caught), got $status: see target/report.txt" >&2
  exit 1
fi

profile="$(mktemp -d)"
trap 'rm -rf "$profile"' EXIT
# The background-networking flags keep Chromium from calling home: this page loads nothing, and
# on a closed network those connections only fail noisily.
chromium --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
  --disable-background-networking --disable-component-update --disable-sync \
  --user-data-dir="$profile" --hide-scrollbars \
  --screenshot="$PWD/target/report.png" --window-size=1280,1800 \
  "file://$PWD/target/report.html" 2>target/chromium.log
echo "wrote target/report.html and target/report.png"
