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
  server = await startProcess(deno, ["run", "--allow-net", "--allow-env", "--allow-read", "--unstable-kv", "deno/main.ts"], {
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
