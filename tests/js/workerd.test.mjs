// The shared suite inside workerd (through Miniflare): the Worker is bundled with esbuild using
// the "workerd" export condition, the .wasm kept as a separate CompiledWasm module, as
// Cloudflare's own bundler does. Each suite case is one request, reported as one node:test.
import { test, after } from "node:test";
import assert from "node:assert/strict";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { startWorker } from "./workerd-runner.mjs";
import { providerEnv } from "./env.mjs";

const here = path.dirname(fileURLToPath(import.meta.url));
const env = providerEnv((k) => process.env[k]);
const { mf, inputs } = await startWorker(path.join(here, "worker.mjs"), path.join(here, ".build", "workerd"), {
  kvNamespaces: ["SESSIONS"],
  durableObjects: { SESSION_OBJECTS: "SessionDurableObject" },
  bindings: { ISSUER: env.issuer, PKJWT_KEY: env.pkjwtKey, EXTERNAL_JWT: env.externalJwt, SIGNING_JWK: env.signingJwk },
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
