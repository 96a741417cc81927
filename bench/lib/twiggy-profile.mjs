// Writes bench/PROFILE.md from twiggy's item list (CSV) of the named .wasm: the shipped module's
// size, its bytes by area (this crate's modules, each dependency, std, wasm-bindgen's shims, data)
// and the largest items. Run by bench/profile.sh: node twiggy-profile.mjs TOP.csv PACKAGE.wasm OUT.md
import { readFileSync, writeFileSync } from "node:fs";
import { gzipSync } from "node:zlib";

const [csvPath, wasmPath, outPath] = process.argv.slice(2);
const shipped = readFileSync(wasmPath);
const rows = readFileSync(csvPath, "utf8").trim().split("\n").slice(1).map((line) => {
  // Name,ShallowSize,ShallowSizePercent,RetainedSize,RetainedSizePercent: the name may hold
  // commas and quotes; the retained columns are empty here.
  const m = line.match(/^(.*),(\d+),([\d.]+),[^,]*,[^,]*$/);
  return { name: m[1].replace(/^"|"$/g, "").replace(/""/g, '"'), bytes: Number(m[2]) };
});
const items = rows.filter((r) => !/^("function names"|Σ|\.\.\.)/.test(r.name));

/** The area an item belongs to: a module of this crate, a dependency, std, glue or data. */
function area(name) {
  if (name.startsWith("data segment")) return "data (strings, tables)";
  if (/future_to_promise/.test(name)) return "js_sys::futures (the operations' futures, inlined)";
  if (/externref shim|^import |__wbindgen|__externref/.test(name)) return "wasm-bindgen shims and imports";
  const own = name.match(/auth0_edge::((?:core::)?[a-z_]+)/);
  if (own) return `auth0_edge::${own[1]}`;
  const krate = name.replace(/^[<&]+/, "").match(/^([a-z_0-9]+)(\[[0-9a-f]+\])?::/);
  if (krate) return ["core", "alloc", "std", "__rustc"].includes(krate[1]) ? `std (${krate[1]})` : krate[1];
  if (/^<(f64|f32|char|&str|str|u\d+|i\d+)/.test(name)) return "std (core)";
  return "other";
}
const byArea = new Map();
for (const { name, bytes } of items) byArea.set(area(name), (byArea.get(area(name)) ?? 0) + bytes);
const total = items.reduce((s, r) => s + r.bytes, 0);
const pct = (n) => `${((100 * n) / total).toFixed(1)}%`;
const areas = [...byArea].sort((a, b) => b[1] - a[1]);
const largest = [...items].sort((a, b) => b.bytes - a.bytes).slice(0, 25);
const esc = (s) => s.replace(/\|/g, "\\|").replace(/\[[0-9a-f]{16}\]/g, "").replace(/::h[0-9a-f]{16}$/, "");

const md = `# Where the .wasm's bytes go

Written by \`bash bench/profile.sh\` (see [the README](../README.md#benchmark)) at commit ${process.env.PROFILE_COMMIT}: the
package's \`.wasm\` (wasm-bindgen's build of the Rust client, wasm-opt with the package's flags) is
${shipped.length} B, ${gzipSync(shipped, { level: 9 }).length} B gzip -9. twiggy's items of the same module built with names
(\`wasm-opt -g\`; the name section itself is left out): ${total} B.

## By area

| area | bytes | share |
|---|---:|---:|
${areas.map(([a, n]) => `| ${a} | ${n} | ${pct(n)} |`).join("\n")}

## The 25 largest items

| item | bytes |
|---|---:|
${largest.map((r) => `| \`${esc(r.name).slice(0, 110)}\` | ${r.bytes} |`).join("\n")}

`;
writeFileSync(outPath, md);
console.log(`    wrote ${outPath}: ${areas.length} areas, ${total} B of items`);
