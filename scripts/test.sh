#!/usr/bin/env bash
# Runs every test. Installs what it needs first (idempotent: reruns skip what is there).
set -euo pipefail
source "$(dirname "$0")/lib.sh"
cd "$ROOT"
started=$(date +%s)

step "Rust core: cargo test (native)"
cargo test --quiet
done_step

step "Local OpenID provider: node --test tests/provider/"
npm_ci "$ROOT/tests/provider"
run_logged provider node --test --test-reporter=spec tests/provider/
done_step

printf '\nAll test suites passed in %ss.\n' "$(( $(date +%s) - started ))"
