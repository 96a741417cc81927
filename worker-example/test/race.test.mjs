// The refresh race at the edge's scale: the Worker example's bundle as three Workers (three
// isolates) sharing one namespace of SessionDurableObject, a user logged in against the rotating
// client (refresh token rotation with reuse detection, access tokens due 5 s after issue), then
// 60 concurrent GET /token with the same session cookie spread over the three. With the
// Durable Object coordinator: one refresh, every answer 200 with the same token, the grant alive.
// Without it: each isolate refreshes with the same refresh token and the grant is revoked.
// Run through the provider harness: node ../tests/provider/harness.mjs -- node --test test/race.test.mjs
import { test, after } from "node:test";
import assert from "node:assert/strict";
import path from "node:path";
import { Miniflare } from "miniflare";
import { AUDIENCE, CLIENTS, ROTATING_ACCESS_TOKEN_TTL, TOKEN_TYPES } from "../../tests/provider/fixtures.mjs";
import { bundle, bundledWorker, exampleDir, CookieJar } from "./workerd.mjs";

const ISSUER = process.env.AUTH0_EDGE_TEST_ISSUER;
if (!ISSUER) throw new Error("run this through node tests/provider/harness.mjs -- <command>");
const ISOLATES = ["a", "b", "c"];
const outdir = path.join(exampleDir, ".build", "race");
await bundle(outdir);

/** Three Workers of the bundle; "a" defines SessionDurableObject, "b" and "c" bind a's. */
async function start(coordinator) {
  const vars = {
    AUTH0_DOMAIN: ISSUER,
    AUTH0_CLIENT_ID: CLIENTS.rotating.clientId,
    AUTH0_CLIENT_SECRET: CLIENTS.rotating.clientSecret,
    AUTH0_SECRET: "race-test-session-secret-0123456789abcdef",
    AUTH0_AUDIENCE: AUDIENCE,
    COOKIE_SECURE: "false",
    SESSION_STORE: "durable-object",
    REFRESH_COORDINATOR: coordinator ? "durable-object" : "",
  };
  const mf = new Miniflare({
    workers: ISOLATES.map((name) => ({
      ...bundledWorker(outdir, name),
      routes: [`${name}.localhost/*`],
      durableObjects: { SESSION_OBJECTS: name === "a" ? "SessionDurableObject" : { className: "SessionDurableObject", scriptName: "a" } },
      bindings: vars,
    })),
  });
  await mf.ready;
  const fetchAt = (name, urlPath, init) => mf.dispatchFetch(`http://${name}.localhost${urlPath}`, init);
  return { mf, fetchAt };
}

/** Logs alice in through Worker a; waits until her access token is due; fires 60 GET /token. */
async function race({ fetchAt }) {
  const jar = new CookieJar();
  const login = await fetchAt("a", "/login", {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ subject_token: "legacy-alice", subject_token_type: TOKEN_TYPES.LEGACY, scope: "openid offline_access read:data" }),
  });
  assert.equal(login.status, 200, await login.clone().text());
  jar.update(login);
  await login.arrayBuffer();
  // Due 30 s before expiry: ROTATING_ACCESS_TOKEN_TTL - 30 seconds after the login, plus a margin.
  await new Promise((r) => setTimeout(r, (ROTATING_ACCESS_TOKEN_TTL - 30 + 1.5) * 1000));
  const answers = await Promise.all(
    Array.from({ length: 60 }, async (_, i) => {
      const r = await fetchAt(ISOLATES[i % ISOLATES.length], "/token", { headers: { cookie: jar.header() } });
      return { status: r.status, body: await r.json() };
    }),
  );
  return { jar, answers };
}

test("with the Durable Object coordinator: 60 concurrent refreshes over 3 isolates are one grant, all 200 with the same token, the grant alive", async () => {
  const w = await start(true);
  after(() => w.mf.dispose());
  const { jar, answers } = await race(w);
  const statuses = answers.map((a) => a.status);
  assert.deepEqual([...new Set(statuses)], [200], `statuses: ${JSON.stringify(answers.filter((a) => a.status !== 200).slice(0, 3))}`);
  const tokens = new Set(answers.map((a) => a.body.access_token));
  // Each grant issues a different access token: one token for all is one grant.
  assert.equal(tokens.size, 1, `${tokens.size} different access tokens`);
  // The stored session holds the rotated refresh token, and the grant is not revoked: when the
  // new access token is due, the next refresh works, from another isolate.
  await new Promise((r) => setTimeout(r, (ROTATING_ACCESS_TOKEN_TTL - 30 + 1.5) * 1000));
  const next = await w.fetchAt("b", "/token", { headers: { cookie: jar.header() } });
  const body = await next.json();
  assert.equal(next.status, 200, JSON.stringify(body));
  assert.notEqual(body.access_token, [...tokens][0], "refreshed again with the rotated refresh token");
});

test("without it (each isolate on its own): several refreshes with the same refresh token, and the grant revoked", async () => {
  const w = await start(false);
  after(() => w.mf.dispose());
  const { answers } = await race(w);
  const failed = answers.filter((a) => a.status !== 200);
  assert.ok(failed.length > 0, "some requests fail: the rotated refresh token was presented again");
  assert.ok(failed.every((a) => a.status === 401 && a.body.error === "refresh_token_error"), JSON.stringify(failed[0]));
});
