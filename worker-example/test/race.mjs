// The refresh race at the edge's scale, for any build of the Worker example (the JavaScript
// bundle, the workers-rs build): three Workers (three isolates) of one build sharing a namespace of
// SessionDurableObject, a user logged in against the rotating client (refresh token rotation with
// reuse detection, access tokens due 5 s after issue), then 60 concurrent GET /token with the
// same session cookie spread over the three.
import assert from "node:assert/strict";
import { Miniflare } from "miniflare";
import { AUDIENCE, CLIENTS, ROTATING_ACCESS_TOKEN_TTL, TOKEN_TYPES } from "../../tests/provider/fixtures.mjs";
import { bundledWorker, CookieJar } from "./workerd.mjs";

export const ISOLATES = ["a", "b", "c"];

/** Waits until an access token issued now by the rotating client is due for a refresh. */
export const untilDue = () => new Promise((r) => setTimeout(r, (ROTATING_ACCESS_TOKEN_TTL - 30 + 1.5) * 1000));

/** Three Workers of the build in `outdir`; "a" defines SessionDurableObject, "b" and "c" bind a's. */
export async function start(outdir, issuer, coordinator) {
  const vars = {
    AUTH0_DOMAIN: issuer,
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
export async function race({ fetchAt }) {
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
  await untilDue();
  const answers = await Promise.all(
    Array.from({ length: 60 }, async (_, i) => {
      const r = await fetchAt(ISOLATES[i % ISOLATES.length], "/token", { headers: { cookie: jar.header() } });
      return { status: r.status, body: await r.json() };
    }),
  );
  return { jar, answers };
}

/**
 * With the Durable Object coordinator: one refresh for all 60 (each grant issues a different
 * access token, so one token for all is one grant), every answer 200, the rotated refresh token
 * stored and the grant alive (the next refresh works, from another isolate).
 */
export async function oneGrant(outdir, issuer) {
  const w = await start(outdir, issuer, true);
  try {
    const { jar, answers } = await race(w);
    const statuses = answers.map((a) => a.status);
    assert.deepEqual([...new Set(statuses)], [200], `statuses: ${JSON.stringify(answers.filter((a) => a.status !== 200).slice(0, 3))}`);
    const tokens = new Set(answers.map((a) => a.body.access_token));
    assert.equal(tokens.size, 1, `${tokens.size} different access tokens`);
    await untilDue();
    const next = await w.fetchAt("b", "/token", { headers: { cookie: jar.header() } });
    const body = await next.json();
    assert.equal(next.status, 200, JSON.stringify(body));
    assert.notEqual(body.access_token, [...tokens][0], "refreshed again with the rotated refresh token");
  } finally {
    await w.mf.dispose();
  }
}

/** Without it (each isolate on its own): the rotated refresh token presented again, and refused. */
export async function revoked(outdir, issuer) {
  const w = await start(outdir, issuer, false);
  try {
    const { answers } = await race(w);
    const failed = answers.filter((a) => a.status !== 200);
    assert.ok(failed.length > 0, "some requests fail: the rotated refresh token was presented again");
    assert.ok(failed.every((a) => a.status === 401 && a.body.error === "refresh_token_error"), JSON.stringify(failed[0]));
  } finally {
    await w.mf.dispose();
  }
}
