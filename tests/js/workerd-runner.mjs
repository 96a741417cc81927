// Runs a test Worker in workerd the way Cloudflare ships one: esbuild bundles it through the
// package's "workerd" export condition with the .wasm kept as a separate CompiledWasm module,
// and Miniflare starts it. Shared by tests/js/workerd.test.mjs and tests/faults/workerd.test.mjs.
import path from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";
import { Miniflare } from "miniflare";

const here = path.dirname(fileURLToPath(import.meta.url));

/**
 * @param entry the Worker module
 * @param outdir where the bundle goes
 * @param options extra Miniflare options (bindings, kvNamespaces...)
 * @returns {{ mf: Miniflare, inputs: string[] }} `inputs`: the bundle's source files
 */
export async function startWorker(entry, outdir, options = {}) {
  const result = await build({
    entryPoints: [entry],
    bundle: true,
    format: "esm",
    platform: "neutral",
    conditions: ["workerd", "worker", "browser"],
    mainFields: ["module", "main"],
    nodePaths: [path.join(here, "node_modules")], // auth0-edge is installed (by path) here
    loader: { ".wasm": "copy" },
    outdir,
    metafile: true,
    logLevel: "error",
  });
  const mf = new Miniflare({
    modules: true,
    scriptPath: path.join(outdir, `${path.basename(entry, path.extname(entry))}.js`),
    modulesRules: [{ type: "CompiledWasm", include: ["**/*.wasm"] }],
    compatibilityDate: "2025-09-01",
    ...options,
  });
  return { mf, inputs: Object.keys(result.metafile.inputs) };
}
