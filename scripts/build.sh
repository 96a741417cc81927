#!/usr/bin/env bash
# Builds the npm package into pkg/ from the Rust crate and pkg-templates/.
# Installs what is missing first (wasm32 target, npm dev tools); reruns only rebuild what changed.
# The package's .wasm needs no wasm-bindgen: its exports take and return numbers (src/js.rs) and
# pkg-templates/core.js calls them.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
cd "$ROOT"

step "Build tools"
ensure_wasm_target
npm_ci "$ROOT"
done_step

step "cargo build --release --target wasm32-unknown-unknown --no-default-features --features js (no_std)"
cargo build --release --target wasm32-unknown-unknown --no-default-features --features js
done_step

step "wasm-opt -Oz"
out="$ROOT/pkg"
rm -rf "$out.tmp" && mkdir -p "$out.tmp"
# The flags, and why each: wasm_opt_package in scripts/lib.sh (bench/profile.sh uses the same).
wasm_opt_package target/wasm32-unknown-unknown/release/auth0_edge.wasm "$out.tmp/auth0_edge_bg.wasm"
# The package's JavaScript (api.js and what it imports: the driver, host composites, errors,
# stores, and the core's operations with the calls into the .wasm) as one ES module, index.js: a runtime
# loads one module (Node: index.js itself) or two (its entry and index.js) instead of nine
# (measured in Node: each module costs about 0.5-1 ms of a cold start). Minified, with a source map that embeds the sources
# (--enable-source-maps and debuggers show pkg-templates/client.js): 13.4 -> 9.2 KB gz, and Node
# imports it in 2.5 instead of 2.9 ms (median of 15; whitespace-only minifying saved nothing:
# the parser's cost is in its tokens and identifiers). api.js restores the exported classes' names.
# index.js exports only the public API: it is Node's entry itself (it loads the .wasm on the first
# client, see pkg-templates/core.js), and the other runtimes' entries load the .wasm through
# ServerClient[Symbol.for("auth0-edge.loader")], then `export *` from it.
stage="$ROOT/target/pkg-js" && rm -rf "$stage" && mkdir -p "$stage"
cp pkg-templates/{api,client,core,errors,stores}.js "$stage/"
cp src/host/host.js "$stage/host.js"
printf '%s\n' 'export * from "./api.js";' > "$stage/index.js"
"$ROOT/node_modules/.bin/esbuild" "$stage/index.js" --bundle --format=esm --platform=neutral \
  --minify --sourcemap --sources-content=true \
  --legal-comments=none --log-level=warning --outfile="$out.tmp/index.js"
# The map's sources named by where they come from in this repository.
node -e 'const fs = require("fs"); const f = process.argv[1]; const m = JSON.parse(fs.readFileSync(f, "utf8"));
  const from = { "host.js": "src/host/host.js" };
  m.sources = m.sources.map((s) => { const b = s.split("/").pop(); return from[b] ?? `pkg-templates/${b}`; });
  fs.writeFileSync(f, JSON.stringify(m));' "$out.tmp/index.js.map"
# The runtimes' entries, minified too (their comments are in pkg-templates/): 951 -> 654 B gzip -9.
for f in workerd.js deno.js browser.js; do
  "$ROOT/node_modules/.bin/esbuild" "pkg-templates/$f" --minify --format=esm --log-level=warning --outfile="$out.tmp/$f"
done
for f in index.d.ts README.md; do
  cp "pkg-templates/$f" "$out.tmp/$f"
done
version=$(sed -n 's/^version = "\(.*\)"/\1/p' Cargo.toml | head -1)
sed "s/\"version\": \"0.0.0\"/\"version\": \"$version\"/" pkg-templates/package.json > "$out.tmp/package.json"
rm -rf "$out" && mv "$out.tmp" "$out"
done_step

step "Package size (gzip -9; JS also minified with esbuild, as a Worker bundle ships it)"
total_raw=0; total_gz=0; total_min=0
printf '    %-20s %10s %10s %14s\n' "" "raw" "gz" "minified+gz"
for f in auth0_edge_bg.wasm index.js workerd.js; do
  raw=$(wc -c < "$out/$f"); gz=$(gzip -9 -c "$out/$f" | wc -c)
  case "$f" in
    *.js) min=$("$ROOT/node_modules/.bin/esbuild" --minify --log-level=error < "$out/$f" | gzip -9 | wc -c) ;;
    *) min=$gz ;;
  esac
  total_raw=$((total_raw + raw)); total_gz=$((total_gz + gz)); total_min=$((total_min + min))
  printf '    %-20s %8d B %8d B %12d B\n' "$(basename "$f")" "$raw" "$gz" "$min"
done
printf '    %-20s %8d B %8d B %12d B  (%s KB minified+gz; budget 30 KB)\n' "total" "$total_raw" "$total_gz" "$total_min" \
  "$(awk "BEGIN{printf \"%.1f\", $total_min/1000}")"
echo "    package ready in pkg/"
