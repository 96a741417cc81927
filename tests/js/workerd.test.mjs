// The shared suite inside workerd (through Miniflare): the Worker is bundled with esbuild using
// the "workerd" export condition, the .wasm kept as a separate CompiledWasm module, as
// Cloudflare's own bundler does. Each suite case is one request, reported as one node:test.
import { test, after } from "node:test";
import assert from "node:assert/strict";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";
import { Miniflare } from "miniflare";
import { providerEnv } from "./env.mjs";

const here = path.dirname(fileURLToPath(import.meta.url));
const outdir = path.join(here, ".build", "workerd");
const result = await build({
  entryPoints: [path.join(here, "worker.mjs")],
  bundle: true,
  format: "esm",
  platform: "neutral",
  conditions: ["workerd", "worker", "browser"],
  mainFields: ["module", "main"],
  loader: { ".wasm": "copy" },
  outdir,
  metafile: true,
  logLevel: "error",
});
const inputs = Object.keys(result.metafile.inputs);
const env = providerEnv((k) => process.env[k]);
const mf = new Miniflare({
  modules: true,
  scriptPath: path.join(outdir, "worker.js"),
  modulesRules: [{ type: "CompiledWasm", include: ["**/*.wasm"] }],
  compatibilityDate: "2025-09-01",
  kvNamespaces: ["SESSIONS"],
  bindings: { ISSUER: env.issuer, PKJWT_KEY: env.pkjwtKey, EXTERNAL_JWT: env.externalJwt },
});
// Every test is registered before the first one runs, and the instance disposed after the last.
const names = await (await mf.dispatchFetch("http://worker/list")).json();
after(() => mf.dispose());

test("the package was bundled through its workerd export condition", () => {
  assert.ok(inputs.some((f) => f.endsWith("pkg/workerd.js")), `inputs: ${inputs.join(", ")}`);
  assert.ok(!inputs.some((f) => /pkg\/(node|deno|browser)\.js$/.test(f)), "no other runtime loader");
});

for (const name of names) {
  test(`workerd: ${name}`, async () => {
    const r = await (await mf.dispatchFetch(`http://worker/run?name=${encodeURIComponent(name)}`)).json();
    assert.ok(r.ok, r.error);
  });
}
