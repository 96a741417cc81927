#!/usr/bin/env bash
# The benchmark (issue 6): installs bench/'s locked dependencies if needed, then runs
# bench/run.mjs, which prints one table and writes bench/RESULTS.md. Not part of the CI gate.
# Counts: BENCH_OPS, BENCH_COLD_SAMPLES, BENCH_MEMORY_OPS (see run.mjs).
set -euo pipefail
source "$(dirname "$0")/../scripts/lib.sh"
cd "$ROOT"

# pkg/ is the package under test (npm links bench/node_modules/auth0-edge to it). A rebuild
# replaces it in one move: wait a little for it, and build it only if it does not appear.
for _ in $(seq 30); do [ -f pkg/package.json ] && [ -f pkg/auth0_edge_bg.wasm ] && break; sleep 2; done
[ -f pkg/package.json ] && [ -f pkg/auth0_edge_bg.wasm ] || bash scripts/build.sh

step "Benchmark dependencies"
npm_ci "$ROOT/bench"
done_step

step "Benchmark (bench/run.mjs)"
node bench/run.mjs
done_step
