#!/usr/bin/env bash
# Runs every test: the Maven reactor (unit, contract and in-process tests with Surefire, real-socket
# integration tests with Failsafe, format and dependency checks), then the Python suites (SDK unit
# tests and the end-to-end tests that drive `agora serve` with the Python SDK, tritonclient and
# perf_analyzer). Run scripts/install-prereqs.sh once first (.ci/run does).
set -euo pipefail
cd "$(dirname "$0")/.."

mvn -B -ntp verify
.venv/bin/python -m pytest -q sdk/python/tests tests/e2e
