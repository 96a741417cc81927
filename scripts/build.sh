#!/usr/bin/env bash
# Builds the npm package into pkg/ from the Rust crate and pkg-templates/.
# Installs what is missing first (wasm32 target, wasm-bindgen-cli at the crate's version, npm dev
# tools); reruns only rebuild what changed.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
cd "$ROOT"

step "Build tools"
ensure_wasm_target
ensure_wasm_bindgen_cli
npm_ci "$ROOT"
done_step

step "cargo build --release --target wasm32-unknown-unknown --no-default-features --features js (no_std)"
cargo build --release --target wasm32-unknown-unknown --no-default-features --features js
done_step

step "wasm-bindgen --target web, wasm-opt -Oz"
out="$ROOT/pkg"
rm -rf "$out.tmp" && mkdir -p "$out.tmp"
wasm-bindgen --target web --out-dir "$out.tmp" --out-name auth0_edge --no-typescript \
  target/wasm32-unknown-unknown/release/auth0_edge.wasm
"$ROOT/node_modules/.bin/wasm-opt" -Oz --enable-bulk-memory --enable-nontrapping-float-to-int \
  --enable-sign-ext --enable-mutable-globals --enable-reference-types --enable-multivalue \
  "$out.tmp/auth0_edge_bg.wasm" -o "$out.tmp/auth0_edge_bg.wasm"
# The package's JavaScript (api.js and what it imports: the driver, host composites, errors,
# stores, the core's operations) as one ES module, index.js, next to the wasm-bindgen glue it imports: a runtime loads
# three modules (loader, index.js, glue) instead of eight (measured: about 3 ms of a cold start in
# Node). Not minified: what ships stays readable; bundlers minify.
stage="$ROOT/target/pkg-js" && rm -rf "$stage" && mkdir -p "$stage"
cp pkg-templates/{api,client,core,errors,stores}.js "$stage/"
cp src/host/host.js "$stage/host.js"
"$ROOT/node_modules/.bin/esbuild" "$stage/api.js" --bundle --format=esm --platform=neutral \
  --external:./auth0_edge.js --legal-comments=none --log-level=warning --outfile="$out.tmp/index.js"
for f in workerd.js node.js deno.js browser.js index.d.ts README.md; do
  cp "pkg-templates/$f" "$out.tmp/$f"
done
version=$(sed -n 's/^version = "\(.*\)"/\1/p' Cargo.toml | head -1)
sed "s/\"version\": \"0.0.0\"/\"version\": \"$version\"/" pkg-templates/package.json > "$out.tmp/package.json"
rm -rf "$out" && mv "$out.tmp" "$out"
done_step

step "Package size (gzip -9; JS also minified with esbuild, as a Worker bundle ships it)"
total_raw=0; total_gz=0; total_min=0
printf '    %-20s %10s %10s %14s\n' "" "raw" "gz" "minified+gz"
for f in auth0_edge_bg.wasm auth0_edge.js index.js workerd.js node.js; do
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
