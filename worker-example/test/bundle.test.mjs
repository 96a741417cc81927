// `wrangler deploy --dry-run --outdir` bundles the Worker offline, exactly as a deploy would upload
// it. Prints the bundle's size and fails unless the package is inside: its JavaScript (the error
// classes, the calls into the .wasm, the workerd loader) and its .wasm, imported by the bundle.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import path from "node:path";
import { gzipSync } from "node:zlib";
import { bundle, exampleDir } from "./workerd.mjs";

test("wrangler deploy --dry-run bundles the Worker with the package inside", async (t) => {
  const outdir = path.join(exampleDir, "dist");
  const files = await bundle(outdir);
  assert.ok(files["index.js"], `no index.js in ${Object.keys(files).join(", ")}`);
  const js = await readFile(files["index.js"], "utf8");
  const wasmNames = Object.keys(files).filter((f) => f.endsWith(".wasm"));
  assert.equal(wasmNames.length, 1, `one .wasm module: ${Object.keys(files).join(", ")}`);
  const wasm = await readFile(files[wasmNames[0]]);

  // The package's .wasm, byte for byte, imported by the bundle and instantiated at load.
  assert.ok(wasm.equals(await readFile(path.join(exampleDir, "..", "pkg", "auth0_edge_bg.wasm"))), "the .wasm is pkg/auth0_edge_bg.wasm");
  const imported = js.match(new RegExp(`^import (\\w+) from "\\./${wasmNames[0].replace(/\./g, "\\.")}";$`, "m"));
  assert.ok(imported, "the bundle imports the .wasm");
  // The package's index.js is minified: the loader's initSync has a short name by now.
  assert.match(js, new RegExp(`[\\w$]+\\(\\{ module: ${imported[1]} \\}\\);`), "the workerd loader instantiates it (not tree-shaken away)");
  // Its JavaScript (names that minifying keeps): the error classes, wasm-bindgen's ServerClient
  // and its calls into the .wasm's exports, the stores.
  for (const marker of ['"ConfigurationError"', "loginWithCustomTokenExchange(", ".serverclient_loginWithCustomTokenExchange(", '"KvStore"', '"CookieStore"']) {
    assert.ok(js.includes(marker), `the bundle lacks ${marker}`);
  }
  // Only the workerd entry: not Node's, Deno's or the browser's.
  assert.ok(!js.includes("node:fs") && !js.includes("import source"), "no Node or Deno entry in the bundle");
  // The workerd entry instantiates a compiled module: no fetching or streaming of the .wasm.
  assert.ok(!js.includes("instantiateStreaming") && !js.includes("compileStreaming"), "no streaming instantiation in the bundle");
  assert.ok(!/\binit\(\{\s*module_or_path:/.test(js), "no browser entry in the bundle");

  const size = (buf) => ({ raw: buf.length, gz: gzipSync(buf, { level: 9 }).length });
  const rows = [["index.js", size(Buffer.from(js))], [wasmNames[0].replace(/^[0-9a-f]+-/, ""), size(wasm)]];
  rows.push(["total", { raw: rows[0][1].raw + rows[1][1].raw, gz: rows[0][1].gz + rows[1][1].gz }]);
  for (const [name, { raw, gz }] of rows) {
    t.diagnostic(`bundle ${name.padEnd(20)} ${String(raw).padStart(8)} B raw ${String(gz).padStart(8)} B gzip -9`);
  }
});
