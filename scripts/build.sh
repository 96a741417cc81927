#!/usr/bin/env bash
# Builds the npm package into pkg/ (or $OUT): wasm-bindgen's build of the Rust ServerClient
# (src/bindings.rs) with the per-runtime entries, error classes and stores of pkg-templates/.
# Installs what is missing first (wasm32 target, wasm-bindgen CLI, npm dev tools); reruns only
# rebuild what changed.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
cd "$ROOT"
out="${OUT:-$ROOT/pkg}"

step "Build tools"
ensure_wasm_target
ensure_wasm_bindgen_cli
npm_ci "$ROOT"
done_step

step "cargo build --release --target wasm32-unknown-unknown, wasm-bindgen --target web, wasm-opt"
cargo build --release --target wasm32-unknown-unknown --features npm
gen="$ROOT/target/bindgen" && rm -rf "$gen"
wasm-bindgen --target web --out-dir "$gen" target/wasm32-unknown-unknown/release/auth0_edge.wasm
rm -rf "$out.tmp" && mkdir -p "$out.tmp"
# The flags, and why each: wasm_opt_package in scripts/lib.sh (bench/profile.sh uses the same).
wasm_opt_package "$gen/auth0_edge_bg.wasm" "$out.tmp/auth0_edge_bg.wasm"
done_step

step "JavaScript: one ES module (index.js), the error classes (errors.js) and an entry per runtime"
# api.js, wasm-bindgen's glue and the stores, bundled and minified with a source map: whitespace
# and syntax only, so classes and functions keep their names without esbuild's --keep-names,
# which renames each closure the glue makes at run time (a defineProperty per call). The error
# classes stay a module of their own, as written (errors.js): the glue's import of them (a
# wasm-bindgen snippet) is pointed at it, so the classes the Rust side throws are the ones
# exported, and an uncaught error's first frame is a readable line, not the minified bundle.
stage="$ROOT/target/pkg-js" && rm -rf "$stage" && mkdir -p "$stage"
cp -r "$gen/auth0_edge.js" "$gen/snippets" "$stage/"
cp pkg-templates/api.js pkg-templates/stores.js pkg-templates/errors.js "$stage/"
sed -i 's#from '"'"'\./snippets/[^/]*/pkg-templates/errors\.js'"'"'#from "./errors.js"#' "$stage/auth0_edge.js"
grep -q 'from "./errors.js"' "$stage/auth0_edge.js" || { echo "the glue does not import the error classes" >&2; exit 1; }
"$ROOT/node_modules/.bin/esbuild" "$stage/api.js" --bundle --format=esm --platform=neutral \
  --external:./errors.js --minify-whitespace --minify-syntax --sourcemap --sources-content=true \
  --legal-comments=none --log-level=warning --outfile="$out.tmp/index.js"
cp pkg-templates/errors.js "$out.tmp/errors.js"
# The map's sources named by where they come from (this repository, or wasm-bindgen's glue)
# under a scheme of their own: they are embedded, not files beside the package, and a stack trace
# must not name a path that does not exist (Deno resolves plain names against the package).
node -e 'const fs = require("fs"); const f = process.argv[1]; const m = JSON.parse(fs.readFileSync(f, "utf8"));
  m.sources = m.sources.map((s) => "auth0-edge:///" + (s.includes("/snippets/") ? s.slice(s.indexOf("pkg-templates/"))
    : s.endsWith("/auth0_edge.js") ? "wasm-bindgen/auth0_edge.js" : `pkg-templates/${s.split("/").pop()}`));
  fs.writeFileSync(f, JSON.stringify(m));' "$out.tmp/index.js.map"
for f in node.js workerd.js deno.js browser.js; do
  "$ROOT/node_modules/.bin/esbuild" "pkg-templates/$f" --minify --format=esm --log-level=warning --outfile="$out.tmp/$f"
done
# Deno takes the types of a module imported by path from this directive (the minifier drops
# comments, so it goes in after): `deno check` then checks a caller against index.d.ts.
printf '// @ts-self-types="./index.d.ts"\n%s\n' "$(cat "$out.tmp/deno.js")" > "$out.tmp/deno.js"
for f in index.d.ts README.md; do
  cp "pkg-templates/$f" "$out.tmp/$f"
done
cp LICENSE CHANGELOG.md "$out.tmp/"
# ServerClient's types and its option and result shapes, as wasm-bindgen writes them; index.d.ts
# re-exports them beside the JavaScript parts' declarations.
cp "$gen/auth0_edge.d.ts" "$out.tmp/auth0_edge.d.ts"
version=$(sed -n 's/^version = "\(.*\)"/\1/p' Cargo.toml | head -1)
sed "s/\"version\": \"0.0.0\"/\"version\": \"$version\"/" pkg-templates/package.json > "$out.tmp/package.json"
rm -rf "$out" && mv "$out.tmp" "$out"
done_step

step "Package size (gzip -9)"
for f in auth0_edge_bg.wasm index.js errors.js workerd.js node.js; do
  printf '    %-20s %8d B %8d B gz\n' "$f" "$(wc -c < "$out/$f")" "$(gzip -9 -c "$out/$f" | wc -c)"
done
echo "    package ready in ${out#$ROOT/}"
