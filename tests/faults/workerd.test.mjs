// The hardening scenarios and the cookie fuzz inside workerd (through Miniflare): the Worker is
// bundled with esbuild using the "workerd" export condition, the .wasm kept as a separate
// CompiledWasm module, as Cloudflare's own bundler does. The fault servers run in this process;
// their ports reach the Worker as a JSON binding. Each case is one request, one node:test.
import { test, after } from "node:test";
import assert from "node:assert/strict";
import path from "node:path";
import { here } from "./deps.mjs";
import { startWorker } from "../js/workerd-runner.mjs";
import { startFaultServer } from "./server.mjs";

const faults = await startFaultServer();
const { mf, inputs } = await startWorker(path.join(here, "worker.mjs"), path.join(here, ".build", "workerd"), {
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
