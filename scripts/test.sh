#!/usr/bin/env bash
# Runs every test. Installs what it needs first (idempotent: reruns skip what is there).
set -euo pipefail
source "$(dirname "$0")/lib.sh"
cd "$ROOT"
started=$(date +%s)

step "Rust: cargo fmt --check, cargo test (native)"
rustup component list --installed 2>/dev/null | grep -q '^rustfmt' || rustup component add rustfmt
cargo fmt --check    # the layout of rustfmt.toml
for crate in worker-example/rust examples/rust-wasm-test; do cargo fmt --check --manifest-path "$crate/Cargo.toml"; done
cargo test --quiet   # the pure core, its proptest fuzzing, the doc examples (compiled, not run)
done_step

step "Local OpenID provider: node --test tests/provider/"
npm_ci "$ROOT/tests/provider"
run_logged provider node --test --test-reporter=spec tests/provider/
done_step

bash scripts/build.sh

step "The packed package: npm pack of pkg/, publint --strict, @arethetypeswrong/cli --profile esm-only"
npm_ci "$ROOT" # publint and attw are the repository's dev tools
tarball=$(pack_package)
run_logged publint node_modules/.bin/publint run "$tarball" --strict
run_logged attw node_modules/.bin/attw "$tarball" --profile esm-only --no-color
echo "    ${tarball#$ROOT/}: publint --strict and attw --profile esm-only pass"
done_step

step "Rust API docs: cargo doc --no-deps, warnings as errors (the examples compile in cargo test)"
RUSTDOCFLAGS="-D warnings" cargo doc --no-deps --target wasm32-unknown-unknown --features worker --quiet
echo "    target/wasm32-unknown-unknown/doc/auth0_edge/index.html"
done_step

step "Package in Node, Deno and workerd against the local provider (tests/js/)"
npm_ci "$ROOT/tests/js"
with_provider() { node "$ROOT/tests/provider/harness.mjs" -- "$@"; }
run_logged js-node with_provider node --test --test-reporter=spec tests/js/node.test.mjs
run_logged js-workerd with_provider node --test --test-reporter=spec tests/js/workerd.test.mjs
(cd tests/js && NO_COLOR=1 run_logged js-deno with_provider node_modules/.bin/deno test --no-check --unstable-kv --allow-env --allow-net deno.test.mjs)
# The refresh race across two Deno processes sharing one Deno KV file, with and without the coordinator.
(cd tests/js && NO_COLOR=1 run_logged js-deno-race with_provider node_modules/.bin/deno test --no-check --unstable-kv --allow-env --allow-net --allow-read --allow-write --allow-run deno-race.test.mjs)
run_logged stores-node node --test --test-reporter=spec tests/js/stores.test.mjs
(cd tests/js && NO_COLOR=1 run_logged stores-deno node_modules/.bin/deno test --no-check --unstable-kv stores.deno.test.mjs)
done_step

step "Worker example in workerd, Deno and browser examples, types, README code blocks, the demo"
npm_ci "$ROOT/worker-example"
npm_ci "$ROOT/examples"
# The Worker example and the examples install the packed tarball, as a user would.
install_packed "$ROOT/worker-example" "$tarball"
install_packed "$ROOT/examples" "$tarball"
echo "    worker-example/ and examples/ run ${tarball#$ROOT/}"
ensure_chromium
export WRANGLER_SEND_METRICS=false
run_logged worker-bundle node --test --test-reporter=spec worker-example/test/bundle.test.mjs
sed -n 's/^ℹ bundle /    bundle: /p' target/test-logs/worker-bundle.log
run_logged worker with_provider node --test --test-reporter=spec worker-example/test/worker.test.mjs
# The refresh race: three isolates, 60 concurrent refreshes, with and without the coordinator.
run_logged worker-race with_provider node --test --test-reporter=spec worker-example/test/race.test.mjs
run_logged worker-readme with_provider node --test --test-reporter=spec worker-example/test/readme.test.mjs
run_logged types worker-example/node_modules/.bin/tsc --noEmit --strict -p worker-example/tsconfig.json
echo "    tsc --noEmit --strict: the Worker example and worker-example/test/package-types.ts compile"
# Every code block of README.md and pkg-templates/README.md, checked against pkg/ (scripts/check-snippets.mjs).
run_logged snippets node scripts/check-snippets.mjs "$ROOT/worker-example/node_modules/.bin/tsc" "$ROOT/tests/js/node_modules/.bin/deno"
sed -n 's/^    \(.*\): \([0-9]*\)$/    README blocks, \1: \2/p' target/test-logs/snippets.log
run_logged examples with_provider node --test --test-reporter=spec examples/test/deno.test.mjs examples/test/browser.test.mjs
NO_COLOR=1 run_logged demo with_provider node scripts/demo.mjs
grep -q '^Done: every route answered as expected' target/test-logs/demo.log || die "the demo did not finish its walk"
echo "    demo: every route answered as expected"
done_step

step "workers-rs Worker (worker-example/rust): worker-build, then every route and the refresh race in workerd"
run_logged worker-rs-build build_rust_worker
printf '    build/index_bg.wasm: %s bytes, %s gzipped\n' "$(wc -c <worker-example/rust/build/index_bg.wasm)" \
  "$(gzip -9c worker-example/rust/build/index_bg.wasm | wc -c)"
run_logged worker-rs with_provider node --test --test-reporter=spec worker-example/rust/test/worker.test.mjs
run_logged worker-rs-race with_provider node --test --test-reporter=spec worker-example/rust/test/race.test.mjs
done_step

step "Interop with auth0-server-python: sessions sealed by one open with the other"
ensure_python_peer
run_logged interop with_provider node --test --test-reporter=spec tests/js/interop.test.mjs
done_step

step "Rust API compiled to wasm32: wasm-bindgen-test in Node, headless Chromium and headless Firefox; a downstream crate in Chromium"
ensure_wasm_bindgen_cli # wasm-bindgen-test-runner, at the crate's version
ensure_chromium
export CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER=wasm-bindgen-test-runner CHROMEDRIVER=/usr/bin/chromedriver
run_logged wasm-node with_provider cargo test --target wasm32-unknown-unknown --test wasm_api
WASM_BINDGEN_USE_BROWSER=1 run_logged wasm-chromium with_provider cargo test --target wasm32-unknown-unknown --test wasm_api
grep -q 'Running headless tests in Chrome' target/test-logs/wasm-chromium.log || die "the browser suite did not run in Chrome"
ensure_firefox
( unset CHROMEDRIVER; export GECKODRIVER="$(command -v geckodriver)"
  WASM_BINDGEN_USE_BROWSER=1 run_logged wasm-firefox with_provider cargo test --target wasm32-unknown-unknown --test wasm_api )
grep -q 'Running headless tests in Firefox' target/test-logs/wasm-firefox.log || die "the browser suite did not run in Firefox"
# A downstream crate (a user's, depending on this one by path) testing its own code in Chromium.
(cd examples/rust-wasm-test && run_logged wasm-downstream with_provider cargo test --target wasm32-unknown-unknown --test browser)
grep -q 'Running headless tests in Chrome' target/test-logs/wasm-downstream.log || die "the downstream crate's tests did not run in Chrome"
for run in wasm-node wasm-chromium wasm-firefox wasm-downstream; do
  printf '    %-14s %s\n' "$run:" "$(grep -o 'test result: .*passed[^;]*; [0-9]* failed' "target/test-logs/$run.log" | tail -1)"
done
done_step

step "Hardening: fault server, tamper, store faults, secrets (tests/faults/, Node and workerd)"
npm_ci "$ROOT/tests/js" # the package, esbuild and miniflare come from tests/js
run_logged faults-node node --test --test-reporter=spec tests/faults/node.test.mjs
run_logged faults-workerd node --test --test-reporter=spec tests/faults/workerd.test.mjs
sed -n 's/^ℹ \([0-9]* tampered values.*\)/    node: \1/p' target/test-logs/faults-node.log
done_step

printf '\nAll test suites passed in %ss.\n' "$(( $(date +%s) - started ))"
