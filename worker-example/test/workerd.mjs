// Runs the Worker example offline: `wrangler deploy --dry-run --outdir` bundles it exactly as a
// deploy would, and Miniflare runs that bundle in workerd. Used by the tests and by
// scripts/demo.sh.
import { execFile } from "node:child_process";
import { readdir, rm } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { Miniflare } from "miniflare";

export const exampleDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const wrangler = path.join(exampleDir, "node_modules", "wrangler", "bin", "wrangler.js");

/**
 * Bundles the Worker of `projectDir` (its wrangler.jsonc; the example's by default) into `outdir`
 * (emptied first); resolves to the files written (name → path).
 */
export async function bundle(outdir, projectDir = exampleDir) {
  await rm(outdir, { recursive: true, force: true });
  const env = { ...process.env, WRANGLER_SEND_METRICS: "false", NO_COLOR: "1", CI: "1" };
  // No account is needed for a dry run: make sure none is used.
  for (const k of Object.keys(env)) if (k.startsWith("CLOUDFLARE_")) delete env[k];
  await promisify(execFile)(process.execPath, [wrangler, "deploy", "--dry-run", "--outdir", outdir], {
    cwd: projectDir,
    env,
    maxBuffer: 16 << 20,
  });
  const files = await readdir(outdir);
  return Object.fromEntries(files.map((f) => [f, path.join(outdir, f)]));
}

/** Miniflare's options for a Worker `name` running the bundle in `outdir`. */
export function bundledWorker(outdir, name) {
  return {
    name,
    modules: true,
    scriptPath: path.join(outdir, "index.js"),
    modulesRoot: outdir,
    modulesRules: [{ type: "CompiledWasm", include: ["**/*.wasm"] }],
    compatibilityDate: "2026-04-01",
  };
}

/**
 * Starts workerd with one Worker per entry of `workers` (name → vars and secrets), each running
 * the bundle in `outdir` with its own in-memory KV namespace SESSIONS and its own namespace of
 * the SessionDurableObject it exports, SESSION_OBJECTS.
 * Resolves to { fetch(name, path, init), kv(name), dispose() }.
 */

export async function start(outdir, workers) {
  const mf = new Miniflare({
    workers: Object.entries(workers).map(([name, bindings]) => ({
      ...bundledWorker(outdir, name),
      kvNamespaces: { SESSIONS: `sessions-${name}` },
      durableObjects: { SESSION_OBJECTS: "SessionDurableObject" },
      // Requests reach each Worker through Miniflare's router (dispatchFetch), not through the
      // getWorker() proxy: every property read on that proxy is a synchronous call across a
      // worker thread, whose handshake can desynchronise under load (miniflare 4's
      // SynchronousFetcher, fixed only in miniflare 5, which needs a newer Node; seen here as
      // "AssertionError: false == true" failing every later request of a run).
      // The Worker also answers its subdomains (several custom domains, one Worker).
      routes: [`${name}.localhost/*`, `*.${name}.localhost/*`],
      bindings,
    })),
  });
  await mf.ready;
  return {
    /** One request to the named Worker; `init` as for fetch. */
    fetch(name, urlPath, init) {
      return mf.dispatchFetch(`http://${name}.localhost${urlPath}`, init);
    },
    /** The same for a subdomain of the named Worker's host (`sub.name.localhost`). */
    fetchAt(sub, name, urlPath, init) {
      return mf.dispatchFetch(`http://${sub}.${name}.localhost${urlPath}`, init);
    },
    kv: (name) => mf.getKVNamespace("SESSIONS", name),
    dispose: () => mf.dispose(),
  };
}

/** A cookie jar for one client: replays Set-Cookie as the next request's Cookie header. */
export class CookieJar {
  #cookies = new Map();
  /** Takes the response's Set-Cookie headers (an expired cookie is removed). */
  update(response) {
    for (const line of response.headers.getSetCookie()) {
      const [pair] = line.split(";");
      const i = pair.indexOf("=");
      const name = pair.slice(0, i).trim();
      if (/;\s*max-age=0\s*(;|$)/i.test(line)) this.#cookies.delete(name);
      else this.#cookies.set(name, pair.slice(i + 1));
    }
  }
  get names() {
    return [...this.#cookies.keys()];
  }
  get size() {
    return this.#cookies.size;
  }
  /** The Cookie header value, or undefined when the jar is empty. */
  header() {
    return this.#cookies.size ? [...this.#cookies].map(([k, v]) => `${k}=${v}`).join("; ") : undefined;
  }
  /** Value lengths, for display: {name: characters}. */
  lengths() {
    return Object.fromEntries([...this.#cookies].map(([k, v]) => [k, v.length]));
  }
}
