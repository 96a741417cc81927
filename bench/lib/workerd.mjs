// Cold start in workerd, through Miniflare (the workerd binary of the miniflare package), one
// fresh Miniflare instance (a fresh workerd process) per sample.
//
// Each Worker (bench/workerd/{empty,edge,sdk}.mjs) is bundled with esbuild as tests/js does it
// (the "workerd" export condition, the .wasm kept as a separate CompiledWasm module, not
// minified, as `wrangler deploy` by default), with code splitting so that the library is its own
// module, imported dynamically by the first request. Two figures per sample:
// - inside: the Worker's own clock around `await import(lib)` + `new ServerClient(...)`. workerd
//   compiles the .wasm when it loads the Worker, so this is evaluation + instantiation + the
//   first client, not compilation. workerd's clocks tick in whole milliseconds.
// - first response: wall time in this process from `new Miniflare(...)` to the first response's
//   body, minus the same for the empty Worker in the same round (paired): everything the library
//   adds to a cold start, compilation of the .wasm included, with process-start noise.
import path from "node:path";
import { fileURLToPath } from "node:url";
import { rm } from "node:fs/promises";
import { build } from "esbuild";
import { Miniflare } from "miniflare";

const here = path.dirname(fileURLToPath(import.meta.url));
const benchDir = path.resolve(here, "..");
export const VARIANTS = ["empty", "edge", "sdk"];

/** esbuild's options for a Worker as a deploy bundles it: the package's workerd condition, the .wasm beside the JS. */
export const WORKER_BUNDLE = {
  bundle: true,
  format: "esm",
  platform: "neutral",
  conditions: ["workerd", "worker", "browser"],
  mainFields: ["module", "main"],
  loader: { ".wasm": "copy" },
  metafile: true,
  logLevel: "error",
};

/** Bundles the three Workers into <outRoot>/<variant>/; resolves to { variant: { dir, files } }. */
export async function bundleWorkers(outRoot) {
  const out = {};
  for (const variant of VARIANTS) out[variant] = await bundleWorker(variant, path.join(outRoot, variant));
  return out;
}

/** Bundles bench/workerd/<variant>.mjs into `outdir` (esbuild `extra` options added); resolves to { dir, entry, files }. */
export async function bundleWorker(variant, outdir, extra = {}) {
  await rm(outdir, { recursive: true, force: true });
  const result = await build({
    ...WORKER_BUNDLE,
    entryPoints: [path.join(benchDir, "workerd", `${variant}.mjs`)],
    splitting: true,
    outdir,
    ...extra,
  });
  const inputs = Object.keys(result.metafile.inputs);
  // The package must load through its workerd condition.
  if (variant !== "empty" && variant !== "sdk" && !inputs.some((f) => /pkg\/workerd\.js$/.test(f))) {
    throw new Error(`auth0-edge was not bundled through "workerd": ${inputs.join(", ")}`);
  }
  return { dir: outdir, entry: `${variant}.js`, files: Object.keys(result.metafile.outputs).map((f) => path.basename(f)) };
}

/**
 * The Worker's modules, listed: the entry first, every other .js an ES module, the .wasm a
 * CompiledWasm module. Listing them (rather than `modules: true` + `scriptPath`) keeps Miniflare
 * from parsing each module with acorn in this process to find its imports, a cost that grows with
 * the JavaScript's size and is no part of workerd's start.
 */
export function modules({ dir, files, entry }) {
  const list = [{ type: "ESModule", path: path.join(dir, entry) }];
  for (const f of files) {
    if (f === entry) continue;
    list.push({ type: f.endsWith(".wasm") ? "CompiledWasm" : "ESModule", path: path.join(dir, f) });
  }
  return list;
}

/** One cold start of `variant` in a fresh Miniflare instance. */
export async function sample(bundles, variant, bindings) {
  const { dir } = bundles[variant];
  const t0 = performance.now();
  const mf = new Miniflare({
    modules: modules(bundles[variant]),
    modulesRoot: dir,
    compatibilityDate: "2025-09-01",
    bindings,
  });
  try {
    await mf.ready;
    const tReady = performance.now();
    const res = await mf.dispatchFetch("http://worker/");
    const body = await res.json();
    const tResponse = performance.now();
    if (!body.ok) throw new Error(`${variant}: ${JSON.stringify(body)}`);
    return { variant, insideMs: body.ms, insideDateMs: body.dateMs, readyMs: tReady - t0, firstResponseMs: tResponse - t0 };
  } finally {
    await mf.dispose();
  }
}
