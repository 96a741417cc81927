// Where an access token verification's time goes in workerd: bench/workerd/verify.mjs under the V8
// inspector's sampling profiler (Miniflare's inspectorPort), auth0-edge's verifyAccessToken run
// OPS times, the samples' self time summed by area; then what scheduling a poll costs there,
// queueMicrotask against a promise reaction. Prints a markdown section (bench/profile.sh appends
// it to bench/PROFILE.md): node verify-profile.mjs OPS
import { readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { Miniflare } from "miniflare";
import WebSocket from "ws";
import { benchTenant } from "./verify.mjs";
import { bundleWorker, modules } from "./workerd.mjs";

const benchDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const ops = Number(process.argv[2] ?? 20000);
const PORT = 9339;

/** Sends CDP commands over one inspector connection. */
async function inspector(url) {
  const ws = new WebSocket(url);
  await new Promise((resolve, reject) => {
    ws.once("open", resolve);
    ws.once("error", reject);
  });
  let id = 0;
  const pending = new Map();
  ws.on("message", (m) => {
    const msg = JSON.parse(m);
    pending.get(msg.id)?.(msg);
    pending.delete(msg.id);
  });
  const send = (method, params = {}) =>
    new Promise((resolve) => {
      pending.set(++id, resolve);
      ws.send(JSON.stringify({ id, method, params }));
    });
  return { send, close: () => ws.close() };
}

/** The area of a sample's function; `line` is the source line of a bundled JavaScript function. */
function area({ functionName, url }, line) {
  if (functionName === "(garbage collector)") return "garbage collection";
  if (functionName === "(idle)" || functionName === "(program)") return null;
  if (url.startsWith("wasm://") || /auth0_edge\.wasm|wasm-function|^js-to-wasm|^wasm-to-js/.test(`${url} ${functionName}`)) {
    return "the .wasm and its calls into JavaScript";
  }
  // The glue's function that calls WebCrypto carries the call's cost (workerd verifies in it).
  if (functionName === "verify" && !url) return "WebCrypto's verify (RSA in workerd)";
  if (line && /\.verify\(/.test(line)) return "WebCrypto's verify (RSA in workerd)";
  if (!url && /^(parse|decode|encodeInto|encode|now|get)$/.test(functionName)) {
    return "host built-ins (JSON.parse, TextEncoder, TextDecoder, Reflect, Date.now)";
  }
  if (!url && functionName === "queueMicrotask") return "queueMicrotask";
  if (line && /queueMicrotask/.test(line)) return "queueMicrotask";
  if (/verify\.js$/.test(url) && line && /verifiers|fetch\(request|verify\[/.test(line)) return "the benchmark loop";
  if (/verify\.js$/.test(url)) return "the package's JavaScript (wasm-bindgen glue)";
  return "other (microtasks, promises)";
}

/** A bundled function's first lines (from its start, up to the next glue import's name). */
function text({ lineNumber, columnNumber }) {
  const from = source.slice(lineNumber, lineNumber + 3).join(" ").slice(columnNumber);
  const next = from.indexOf("__wbg_", 1);
  return next > 0 ? from.slice(0, next) : from;
}

const tenant = await benchTenant();
const bundle = await bundleWorker("verify", path.join(benchDir, ".build", "verify-profile"), { external: ["crypto", "node:*"] });
const source = readFileSync(path.join(bundle.dir, bundle.entry), "utf8").split("\n");
const mf = new Miniflare({
  modules: modules(bundle),
  modulesRoot: bundle.dir,
  compatibilityDate: "2025-09-01",
  compatibilityFlags: ["nodejs_compat"],
  bindings: { TENANT: JSON.stringify(tenant) },
  inspectorPort: PORT,
});
const byArea = new Map();
let wallUs;
try {
  await mf.ready;
  const run = async (n) => {
    const r = await mf.dispatchFetch(`http://worker/?lib=auth0-edge&n=${n}`);
    if ((await r.json()).sub !== "auth0|bench") throw new Error(`verify: HTTP ${r.status}`);
  };
  await run(3000); // warm: the key cached, the .wasm's hot functions optimized
  const [target] = await (await fetch(`http://127.0.0.1:${PORT}/json`)).json();
  const cdp = await inspector(target.webSocketDebuggerUrl);
  await cdp.send("Profiler.enable");
  await cdp.send("Profiler.setSamplingInterval", { interval: 50 });
  await cdp.send("Profiler.start");
  const t0 = performance.now();
  await run(ops);
  wallUs = ((performance.now() - t0) * 1000) / ops;
  const { result } = await cdp.send("Profiler.stop");
  cdp.close();
  const p = result.profile;
  const byId = new Map(p.nodes.map((n) => [n.id, n]));
  for (let i = 0; i < p.samples.length; i++) {
    const frame = byId.get(p.samples[i]).callFrame;
    const line = /verify\.js$/.test(frame.url) ? text(frame) : undefined;
    const a = area(frame, line);
    if (a) byArea.set(a, (byArea.get(a) ?? 0) + (p.timeDeltas[i] ?? 0));
  }
} finally {
  await mf.dispose();
}

// What a poll's scheduling costs in workerd: wasm-bindgen-futures schedules with queueMicrotask,
// the package's executor (src/bindings/task.rs) with a reaction to a settled promise.
const schedule = new Miniflare({
  modules: true,
  script: `export default { async fetch(request) {
    const url = new URL(request.url), n = Number(url.searchParams.get("n")), how = url.searchParams.get("how");
    const settled = Promise.resolve(), job = () => {};
    for (let i = 0; i < n; i++) { if (how === "queueMicrotask") queueMicrotask(job); else if (how === "then") settled.then(job); }
    await new Promise((resolve) => setTimeout(resolve, 0));
    return new Response("ok");
  } };`,
  compatibilityDate: "2025-09-01",
});
const perSchedule = {};
try {
  await schedule.ready;
  const time = async (how, n) => {
    const t0 = performance.now();
    await (await schedule.dispatchFetch(`http://worker/?how=${how}&n=${n}`)).text();
    return performance.now() - t0;
  };
  for (const how of ["queueMicrotask", "then"]) {
    const figures = [];
    for (let r = 0; r < 5; r++) figures.push(((await time(how, 100000)) - (await time("none", 0))) / 100); // µs per job
    perSchedule[how] = figures.sort((a, b) => a - b)[2];
  }
} finally {
  await schedule.dispose();
}

const total = [...byArea.values()].reduce((a, b) => a + b, 0);
const rows = [...byArea]
  .sort((x, y) => y[1] - x[1])
  .map(([a, us]) => `| ${a} | ${(us / ops).toFixed(1)} µs | ${((100 * us) / total).toFixed(1)}% |`);
console.log(`
## Where an access token verification goes (workerd, V8 inspector)

\`bench/workerd/verify.mjs\` in Miniflare's workerd, auth0-edge's \`verifyAccessToken\` on one RS256
token (the key cached) ${ops} times in one request, sampled every 50 µs: ${wallUs.toFixed(1)} µs per
verification under the profiler. Self time by area, per verification:

| area | sampled time per verification | share |
|---|---:|---:|
${rows.join("\n")}

Scheduling a poll in workerd (median of 5 × 100000 jobs): \`queueMicrotask\` ${perSchedule.queueMicrotask.toFixed(2)} µs a job,
a reaction to a settled promise ${perSchedule.then.toFixed(2)} µs. wasm-bindgen-futures polls in \`queueMicrotask\` jobs;
the package's promises poll in reactions (src/bindings/task.rs), twice per verification.
`);
