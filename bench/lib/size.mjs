// Sizes: each library bundled by esbuild the same way (--bundle --minify --platform=neutral
// --conditions=workerd,worker,browser, ESM, main fields module/main for packages without
// "exports", .wasm files copied next to the bundle as a Worker deploy uploads them), then every
// output file gzipped at level 9 (zlib, as gzip -9) and the sizes summed.
import path from "node:path";
import { fileURLToPath } from "node:url";
import { readFile, readdir, rm } from "node:fs/promises";
import { realpathSync } from "node:fs";
import { createRequire } from "node:module";
import { gzipSync } from "node:zlib";
import { build } from "esbuild";
import { WORKER_BUNDLE } from "./workerd.mjs";

const here = path.dirname(fileURLToPath(import.meta.url));
const benchDir = path.resolve(here, "..");

const gz = (buf) => gzipSync(buf, { level: 9 }).length;

/** Bundles `contents` (an ES module, resolved from bench/) into outdir; sums raw and gzip -9 per kind. */
export async function bundleSize(name, contents, outRoot) {
  const outdir = path.join(outRoot, name);
  await rm(outdir, { recursive: true, force: true });
  const result = await build({
    ...WORKER_BUNDLE,
    stdin: { contents, resolveDir: path.join(benchDir, "workerd"), sourcefile: `${name}.mjs`, loader: "js" },
    minify: true,
    outdir,
    entryNames: "index",
  });
  const files = await readdir(outdir);
  const sizes = { js: { raw: 0, gz: 0 }, wasm: { raw: 0, gz: 0 } };
  for (const f of files) {
    const buf = await readFile(path.join(outdir, f));
    const kind = f.endsWith(".wasm") ? "wasm" : "js";
    sizes[kind].raw += buf.length;
    sizes[kind].gz += gz(buf);
  }
  return { name, files, inputs: Object.keys(result.metafile.inputs), js: sizes.js, wasm: sizes.wasm, total: { raw: sizes.js.raw + sizes.wasm.raw, gz: sizes.js.gz + sizes.wasm.gz } };
}

/** The whole auth0-edge package as built in pkg/: every .js file and the .wasm, each gzip -9, summed. */
export async function packageSize() {
  const dir = path.dirname(realpathSync(createRequire(path.join(benchDir, "package.json")).resolve("auth0-edge/package.json")));
  // Recursive: any .js the package holds, at any depth, counts.
  const files = (await readdir(dir, { recursive: true })).filter((f) => f.endsWith(".js") || f.endsWith(".wasm")).sort();
  const sizes = { js: { raw: 0, gz: 0 }, wasm: { raw: 0, gz: 0 } };
  const perFile = {};
  for (const f of files) {
    const buf = await readFile(path.join(dir, f));
    const kind = f.endsWith(".wasm") ? "wasm" : "js";
    sizes[kind].raw += buf.length;
    sizes[kind].gz += gz(buf);
    perFile[f] = { raw: buf.length, gz: gz(buf) };
  }
  return { name: "auth0-edge package", files, perFile, js: sizes.js, wasm: sizes.wasm, total: { raw: sizes.js.raw + sizes.wasm.raw, gz: sizes.js.gz + sizes.wasm.gz } };
}

/** Every size the benchmark reports. */
export async function allSizes(outRoot) {
  const edge = await bundleSize("edge-worker", `export * from "./edge-lib.mjs";`, outRoot);
  if (!edge.inputs.some((f) => /workerd\.js$/.test(f))) throw new Error(`auth0-edge not bundled through its workerd condition: ${edge.inputs.join(", ")}`);
  if (edge.wasm.raw === 0) throw new Error("auth0-edge bundle has no .wasm");
  return {
    edgeWorker: edge,
    edgePackage: await packageSize(),
    sdkWorker: await bundleSize("sdk-worker", `export * from "./sdk-lib.mjs";`, outRoot),
    sdkAll: await bundleSize("sdk-all", `export * from "@auth0/auth0-server-js";`, outRoot),
    authJsAll: await bundleSize("auth-js-all", `export * from "@auth0/auth0-auth-js";`, outRoot),
    openidClientAll: await bundleSize("openid-client-all", `export * from "openid-client";`, outRoot),
  };
}
