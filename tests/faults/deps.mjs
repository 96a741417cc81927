// The hardening tests reuse the integration suite's installed dependencies (tests/js: the built
// package installed by path as `auth0-edge`, esbuild, miniflare) instead of a second copy of
// workerd. Everything is resolved by package name from there, through the package's export map.
import { createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

export const here = path.dirname(fileURLToPath(import.meta.url));
export const jsTestsDir = path.resolve(here, "..", "js");
export const jsNodeModules = path.join(jsTestsDir, "node_modules");
const require = createRequire(path.join(jsTestsDir, "package.json"));

/** `import "auth0-edge"` as Node resolves it from tests/js (the package's "node" condition). */
export async function importPackage() {
  let resolved;
  try {
    resolved = require.resolve("auth0-edge");
  } catch (cause) {
    throw new Error("auth0-edge is not installed in tests/js: run `npm ci` there (scripts/test.sh does)", { cause });
  }
  return { pkg: await import(pathToFileURL(resolved).href), resolved };
}

