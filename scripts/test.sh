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

bash scripts/build.sh

step "Package in Node, Deno and workerd against the local provider (tests/js/)"
npm_ci "$ROOT/tests/js"
with_provider() { node "$ROOT/tests/provider/harness.mjs" -- "$@"; }
run_logged js-node with_provider node --test --test-reporter=spec tests/js/node.test.mjs
run_logged js-workerd with_provider node --test --test-reporter=spec tests/js/workerd.test.mjs
(cd tests/js && NO_COLOR=1 run_logged js-deno with_provider node_modules/.bin/deno test --no-check --allow-env --allow-net --allow-read deno.test.mjs)
done_step

printf '\nAll test suites passed in %ss.\n' "$(( $(date +%s) - started ))"
