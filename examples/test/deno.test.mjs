// The Deno example (deno/main.ts) under `deno run` against the local provider: its types check,
// and a login, /me and a failed exchange answer as the Worker example's do.
//   node ../tests/provider/harness.mjs -- node --test test/deno.test.mjs
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { CLIENTS, TOKEN_TYPES } from "../../tests/provider/fixtures.mjs";
import { startProcess } from "./spawn.mjs";

const dir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const deno = path.join(dir, "node_modules", ".bin", "deno");
const issuer = process.env.AUTH0_EDGE_TEST_ISSUER;
if (!issuer) throw new Error("run this through node tests/provider/harness.mjs -- <command>");

let server;
before(async () => {
  server = await startProcess(deno, ["run", "--allow-net", "--allow-env", "--unstable-kv", "deno/main.ts"], {
    cwd: dir,
    env: {
      AUTH0_DOMAIN: issuer,
      AUTH0_CLIENT_ID: CLIENTS.basic.clientId,
      AUTH0_CLIENT_SECRET: CLIENTS.basic.clientSecret,
      AUTH0_SECRET: "deno-example-session-secret-0123456789",
      PORT: "0",
      DENO_KV_PATH: ":memory:",
      COOKIE_SECURE: "false",
    },
  });
});
after(() => server?.stop());

test("deno check: the example type-checks against the package's types", async () => {
  await promisify(execFile)(deno, ["check", "deno/main.ts"], { cwd: dir, env: { ...process.env, NO_COLOR: "1" } });
});

test("deno run: POST /login, then GET /me with the session cookie from Deno KV", async () => {
  const base = server.match[1];
  const login = await fetch(new URL("login", base), {
    method: "POST",
    body: JSON.stringify({ subject_token: "legacy-alice", subject_token_type: TOKEN_TYPES.LEGACY, scope: "openid profile" }),
  });
  assert.equal(login.status, 200);
  assert.equal((await login.json()).user.sub, "auth0|alice");
  const [cookie] = login.headers.getSetCookie();
  assert.match(cookie, /^_a0_session=[\w-]{43}; HttpOnly; SameSite=Lax; Path=\//);
  const me = await fetch(new URL("me", base), { headers: { cookie: cookie.split(";")[0] } });
  assert.deepEqual([me.status, (await me.json()).user.name], [200, "Alice Liddell"]);
  const anonymous = await fetch(new URL("me", base));
  assert.deepEqual([anonymous.status, await anonymous.json()], [401, { error: "missing_session" }]);
});

test("deno run: a bad subject token is 400 with the error code", async () => {
  const r = await fetch(new URL("exchange", server.match[1]), {
    method: "POST",
    body: JSON.stringify({ subject_token: "legacy-nobody", subject_token_type: TOKEN_TYPES.LEGACY }),
  });
  const body = await r.json();
  assert.deepEqual([r.status, body.error], [400, "invalid_grant"]);
  assert.ok(!JSON.stringify(body).includes(CLIENTS.basic.clientSecret));
});

// The package as published: `npm pack` of pkg/, served by a local npm registry, imported by Deno as
// `npm:auth0-edge` (into Deno's own npm cache, no node_modules) and run with network access only:
// Deno compiles the .wasm through its source-phase import (`import source`), so no read permission
// is needed. A real exchange against the local provider.
test("deno run npm:auth0-edge from an npm registry: the packed tarball works with --allow-net only", async (t) => {
  const { mkdtemp, readFile, writeFile, rm } = await import("node:fs/promises");
  const { createHash } = await import("node:crypto");
  const http = await import("node:http");
  const os = await import("node:os");
  const tmp = await mkdtemp(path.join(os.tmpdir(), "auth0-edge-deno-npm-"));
  t.after(() => rm(tmp, { recursive: true, force: true }));
  const pkgDir = path.resolve(dir, "..", "pkg");
  const { stdout } = await promisify(execFile)("npm", ["pack", pkgDir, "--pack-destination", tmp, "--silent"]);
  const tarball = await readFile(path.join(tmp, stdout.trim().split("\n").pop()));
  const manifest = JSON.parse(await readFile(path.join(pkgDir, "package.json"), "utf8"));
  const registry = http.createServer((req, res) => {
    const base = `http://127.0.0.1:${registry.address().port}`;
    if (req.url === "/auth0-edge") {
      const dist = {
        tarball: `${base}/auth0-edge/-/auth0-edge-${manifest.version}.tgz`,
        integrity: `sha512-${createHash("sha512").update(tarball).digest("base64")}`,
        shasum: createHash("sha1").update(tarball).digest("hex"),
      };
      res.setHeader("content-type", "application/json");
      res.end(JSON.stringify({ name: manifest.name, "dist-tags": { latest: manifest.version }, versions: { [manifest.version]: { ...manifest, dist } } }));
    } else if (req.url.endsWith(".tgz")) {
      res.end(tarball);
    } else {
      res.statusCode = 404;
      res.end("{}");
    }
  });
  await new Promise((resolve) => registry.listen(0, "127.0.0.1", resolve));
  t.after(() => registry.close());
  const script = path.join(tmp, "main.ts");
  await writeFile(
    script,
    `import { CustomTokenExchangeError, ServerClient } from "npm:auth0-edge";
const client = new ServerClient({ domain: Deno.args[0], clientId: Deno.args[1], clientSecret: Deno.args[2], secret: "x".repeat(40) });
const tokens = await client.customTokenExchange({ subjectToken: "legacy-alice", subjectTokenType: Deno.args[3] });
const failed = await client.customTokenExchange({ subjectToken: "legacy-nobody", subjectTokenType: Deno.args[3] }).catch((e) => e);
console.log(JSON.stringify({ type: tokens.tokenType, expiresIn: tokens.expiresIn, error: failed instanceof CustomTokenExchangeError && failed.code }));
`,
  );
  const run = await promisify(execFile)(
    deno,
    ["run", "--no-config", "--no-check", "--allow-net=127.0.0.1", script, issuer, CLIENTS.basic.clientId, CLIENTS.basic.clientSecret, TOKEN_TYPES.LEGACY],
    { cwd: tmp, env: { ...process.env, NO_COLOR: "1", DENO_DIR: path.join(tmp, "deno-dir"), NPM_CONFIG_REGISTRY: `http://127.0.0.1:${registry.address().port}/` } },
  );
  assert.deepEqual(JSON.parse(run.stdout.trim().split("\n").pop()), { type: "Bearer", expiresIn: 3600, error: "invalid_grant" });
});
