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
# -ocimfs 20: a function with one caller is inlined only if tiny. The operations each have one
# caller (the dispatcher in src/js.rs), and inlining them all made one 20 KB function that V8
# compiles, lazily but whole, on the first call: measured, the first configure took 2.3 -> 1.8 ms
# and the .wasm shrank by 0.8 KB gz. --converge: repeat -Oz while it still shrinks (-0.2 KB).
# -aimfs 6: functions up to 6 bytes are inlined at every call (default 2): 14 fewer functions
# for V8 to compile lazily on the first client (130 -> 116), -17 B gz.
# --strip-producers/--strip-target-features: custom sections no runtime reads (-0.2 KB gz).
# --remove-exports __*: the linker's __heap_base and __data_end, which nothing reads.
# --flatten --rereloop between two -Oz: the control flow rebuilt by binaryen's relooper, then
# shrunk again (-206 B gz; login CPU unchanged in a same-process A/B, 0.95-0.98x).
"$ROOT/node_modules/.bin/wasm-opt" --remove-exports --pass-arg=remove-exports@__* -Oz --flatten --rereloop -Oz -ocimfs 20 -aimfs 6 --converge --strip-producers --strip-target-features --enable-bulk-memory --enable-nontrapping-float-to-int \
  --enable-sign-ext --enable-mutable-globals --enable-reference-types --enable-multivalue \
  target/wasm32-unknown-unknown/release/auth0_edge.wasm -o "$out.tmp/auth0_edge_bg.wasm"
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
for f in workerd.js deno.js browser.js index.d.ts README.md; do
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
