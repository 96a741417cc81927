// Memory over many exchanges, in a fresh process: node --expose-gc bench/lib/memory.mjs <edge|sdk> <ops> <warmup>
// Runs <warmup> customTokenExchange calls, collects garbage (global.gc(), twice), reads the figures,
// runs <ops> more (sampling every tenth), collects again and reads them again. Prints JSON with
// the figures before and after and the samples. Figures:
// - rss: process.memoryUsage().rss;
// - heapUsed, external, arrayBuffers: process.memoryUsage();
// - wasm (auth0-edge only): the byteLength of the wasm instance's linear memory
//   (WebAssembly.Memory). The package does not export its instance; the way in of its runtime
//   entries, ServerClient[Symbol.for("auth0-edge.loader")], returns the loaded instance's exports
//   from initSync() (checked: it must not instantiate a second one).
import { LIBS, check } from "./clients.mjs";

const [lib, opsArg, warmupArg] = process.argv.slice(2);
const ops = Number(opsArg);
const warmup = Number(warmupArg);
if (typeof global.gc !== "function") throw new Error("run with --expose-gc");

const client = await LIBS[lib]();
let wasmMemory = null;
if (lib === "edge") {
  const { ServerClient } = await import("auth0-edge");
  let exports;
  try {
    exports = ServerClient[Symbol.for("auth0-edge.loader")].initSync(); // the existing instance's exports; throws if none
  } catch (e) {
    throw new Error(`cannot reach the package's wasm instance: ${e}`);
  }
  if (!(exports?.memory instanceof WebAssembly.Memory)) throw new Error("the loaded instance has no exported memory");
  wasmMemory = exports.memory;
}

const gc = () => {
  global.gc();
  global.gc();
};
const read = () => {
  const m = process.memoryUsage();
  return { rss: m.rss, heapUsed: m.heapUsed, external: m.external, arrayBuffers: m.arrayBuffers, wasm: wasmMemory ? wasmMemory.buffer.byteLength : null };
};
// Let finalizers (FinalizationRegistry callbacks) run before reading.
const settle = async () => {
  gc();
  await new Promise((r) => setTimeout(r, 50));
  gc();
};

check(lib, "exchange", await client.exchange());
for (let i = 0; i < warmup; i++) await client.exchange();
await settle();
const before = read();
const samples = [];
const every = Math.max(1, Math.floor(ops / 10));
const t0 = performance.now();
for (let i = 1; i <= ops; i++) {
  await client.exchange();
  if (i % every === 0) samples.push({ ops: i, ...read() });
}
const wallMs = performance.now() - t0;
check(lib, "exchange", await client.exchange());
await settle();
const after = read();
process.stdout.write(`${JSON.stringify({ lib, ops, warmup, wallMs, before, after, samples })}\n`);
