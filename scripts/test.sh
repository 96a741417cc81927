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
(cd tests/js && NO_COLOR=1 run_logged js-deno with_provider node_modules/.bin/deno test --no-check --unstable-kv --allow-env --allow-net --allow-read deno.test.mjs)
run_logged stores-node node --test --test-reporter=spec tests/js/stores.test.mjs
(cd tests/js && NO_COLOR=1 run_logged stores-deno node_modules/.bin/deno test --no-check --unstable-kv --allow-read stores.deno.test.mjs)
done_step

step "Interop with auth0-server-python: sessions sealed by one open with the other"
ensure_python_peer
run_logged interop with_provider node --test --test-reporter=spec tests/js/interop.test.mjs
done_step

step "Rust API compiled to wasm32: wasm-bindgen-test in Node and headless Chromium"
ensure_chromium
export CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER=wasm-bindgen-test-runner CHROMEDRIVER=/usr/bin/chromedriver
run_logged wasm-node with_provider cargo test --target wasm32-unknown-unknown --test wasm_api
WASM_BINDGEN_USE_BROWSER=1 run_logged wasm-chromium with_provider cargo test --target wasm32-unknown-unknown --test wasm_api
grep -q 'Running headless tests in Chrome' target/test-logs/wasm-chromium.log || die "the browser suite did not run in Chrome"
done_step

printf '\nAll test suites passed in %ss.\n' "$(( $(date +%s) - started ))"
