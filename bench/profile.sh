#!/usr/bin/env bash
# Where the package's .wasm spends its bytes, and what V8 compiles for a first client, a first
# exchange and a first login (bench/lib/profile.mjs). Rebuilds the .wasm with the package's
# wasm-opt flags plus -g (names), checks it has the same code, and writes bench/PROFILE.md.
# A tool for the size and cold-start work of issue 6; not part of the CI gate.
set -euo pipefail
source "$(dirname "$0")/../scripts/lib.sh"
cd "$ROOT"

bash scripts/build.sh >/dev/null
step "Benchmark dependencies"
npm_ci "$ROOT/bench"
done_step

step "The .wasm with names (wasm-opt -g, the package's flags)"
named="$ROOT/target/profile/auth0_edge.named.wasm"
mkdir -p "$(dirname "$named")"
wasm_opt_package target/wasm32-unknown-unknown/release/auth0_edge.wasm "$named" -g
done_step

step "Profile (bench/lib/profile.mjs)"
PROFILE_COMMIT=$(git rev-parse --short HEAD 2>/dev/null || echo "?") PROFILE_WASM_OPT_FLAGS="${WASM_OPT_PACKAGE_FLAGS[*]}" \
  node bench/lib/profile.mjs "$named" pkg/auth0_edge_bg.wasm bench/PROFILE.md
done_step
