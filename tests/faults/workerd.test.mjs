// The hardening scenarios and the cookie fuzz inside workerd (through Miniflare): the Worker is
// bundled with esbuild using the "workerd" export condition, the .wasm kept as a separate
// CompiledWasm module, as Cloudflare's own bundler does. The fault servers run in this process;
// their ports reach the Worker as a JSON binding. Each case is one request, one node:test.
import { test, after } from "node:test";
import assert from "node:assert/strict";
import path from "node:path";
import { here, jsNodeModules, requireFromJsTests } from "./deps.mjs";
import { startFaultServer } from "./server.mjs";

const { build } = requireFromJsTests("esbuild");
const { Miniflare } = requireFromJsTests("miniflare");

const outdir = path.join(here, ".build", "workerd");
const result = await build({
  entryPoints: [path.join(here, "worker.mjs")],
  bundle: true,
  format: "esm",
  platform: "neutral",
  conditions: ["workerd", "worker", "browser"],
  mainFields: ["module", "main"],
  nodePaths: [jsNodeModules], // auth0-edge is installed (by path) in tests/js
  loader: { ".wasm": "copy" },
  outdir,
  metafile: true,
  logLevel: "error",
});
const inputs = Object.keys(result.metafile.inputs);

const faults = await startFaultServer();
const mf = new Miniflare({
  modules: true,
  scriptPath: path.join(outdir, "worker.js"),
  modulesRules: [{ type: "CompiledWasm", include: ["**/*.wasm"] }],
  compatibilityDate: "2025-09-01",
  bindings: {
    FAULT_PORTS: JSON.stringify(faults.ports),
    AUTH0_EDGE_FUZZ_ITERATIONS: process.env.AUTH0_EDGE_FUZZ_ITERATIONS ?? "",
    AUTH0_EDGE_FUZZ_SEED: process.env.AUTH0_EDGE_FUZZ_SEED ?? "",
  },
});
// Every test is registered before the first one runs; the instance and servers go after the last.
const names = await (await mf.dispatchFetch("http://worker/list")).json();
after(async () => {
  await mf.dispose();
  await faults.stop();
});

test("the package was bundled through its workerd export condition", () => {
  assert.ok(inputs.some((f) => f.endsWith("pkg/workerd.js")), `inputs: ${inputs.join(", ")}`);
  assert.ok(!inputs.some((f) => /pkg\/(node|deno|browser)\.js$/.test(f)), "no other runtime loader");
});

for (const name of names) {
  test(`workerd: ${name}`, async (t) => {
    const r = await (await mf.dispatchFetch(`http://worker/run?name=${encodeURIComponent(name)}`)).json();
    if (r.note) t.diagnostic(r.note);
    assert.ok(r.ok, r.error);
  });
}
