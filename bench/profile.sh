#!/usr/bin/env bash
# Where the package spends its bytes and its CPU, written to bench/PROFILE.md: twiggy over the
# .wasm built with the package's wasm-opt flags plus -g (names), summed by area of the crate and by
# dependency; then node --cpu-prof over an exchange and a login (bench/lib/cpu-profile.mjs), and
# an access token verification in workerd through the V8 inspector (bench/lib/verify-profile.mjs).
# A tool for the size and speed work; not part of the CI gate.
set -euo pipefail
source "$(dirname "$0")/../scripts/lib.sh"
cd "$ROOT"

bash scripts/build.sh >/dev/null
step "twiggy"
command -v twiggy >/dev/null || { echo "    installing twiggy (builds from source, about 2 minutes)"; cargo install twiggy; }
done_step

step "The .wasm with names (wasm-opt -g, the package's flags)"
named="$ROOT/target/profile/auth0_edge.named.wasm"
mkdir -p "$(dirname "$named")"
wasm_opt_package target/bindgen/auth0_edge_bg.wasm "$named" -g
twiggy top -n 100000 -f csv "$named" > "$ROOT/target/profile/top.csv"
done_step

step "Profile (bench/lib/twiggy-profile.mjs, bench/lib/cpu-profile.mjs, bench/lib/verify-profile.mjs)"
npm_ci "$ROOT/bench"
PROFILE_COMMIT=$(git rev-parse --short HEAD 2>/dev/null || echo "?") \
  node bench/lib/twiggy-profile.mjs target/profile/top.csv pkg/auth0_edge_bg.wasm bench/PROFILE.md
node bench/lib/cpu-profile.mjs 2000 >> bench/PROFILE.md
node bench/lib/verify-profile.mjs 20000 >> bench/PROFILE.md
done_step
