#!/usr/bin/env bash
# Seeds the cargo-fuzz corpora with the embedded spec and the two fixtures files.
set -euo pipefail
cd "$(dirname "$0")"
mkdir -p corpus/spec_parse corpus/fixtures_parse
cp ../specs/jira-conform.openapi.json corpus/spec_parse/embedded.json
cp ../fixtures/mock.toml corpus/fixtures_parse/mock.toml
cp ../fixtures/jira-cloud.example.toml corpus/fixtures_parse/jira-cloud.example.toml
