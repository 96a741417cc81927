// The Rust Worker (workers-rs) in workerd against the local provider: the build worker-build made
// (build/index.js and its .wasm) run by Miniflare, each route called over HTTP with sessions in
// a KV namespace, and every error mapped to its JSON status. Build first, then run through the
// provider harness (scripts/test.sh does both):
//   (cd worker-example/rust && worker-build --release)
//   node tests/provider/harness.mjs -- node --test worker-example/rust/test/worker.test.mjs
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { existsSync, statSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { AUDIENCE, CLIENTS, TOKEN_TYPES } from "../../../tests/provider/fixtures.mjs";
import { start, CookieJar } from "../../test/workerd.mjs";
import { alice, apiWorkerVars, bob, caller, checkApiWorker, claims, checkDpopWorker, dpopWorkerVars, EXCHANGE_ERRORS, neverInErrors, workerVars } from "../../test/http.mjs";

const ISSUER = process.env.AUTH0_EDGE_TEST_ISSUER;
if (!ISSUER) throw new Error("run this through node tests/provider/harness.mjs -- <command>");
const buildDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "build");
const SECRET = "rust-worker-session-secret-0123456789abc";
const config = workerVars(ISSUER, SECRET);
const NEVER = neverInErrors(SECRET);

let w;
before(async () => {
  assert.ok(existsSync(path.join(buildDir, "index.js")), "build the Worker first: (cd worker-example/rust && worker-build --release)");
  const wasm = path.join(buildDir, "index_bg.wasm");
  assert.ok(statSync(wasm).size > 0, "the Worker's .wasm");
  w = await start(buildDir, {
    rs: config,
    "rs-api": apiWorkerVars(config),
    "rs-do": { ...config, SESSION_STORE: "durable-object", REFRESH_COORDINATOR: "durable-object" },
    "rs-bad-store": { ...config, SESSION_STORE: "memory" },
    "rs-dpop": dpopWorkerVars(config, ISSUER),
    "rs-dpop-bad-key": { ...config, AUTH0_DPOP_JWK: "{\"kty\":\"EC\"}" },
    "rs-short-secret": { ...config, AUTH0_SECRET: "too-short" },
    "rs-wrong-client-secret": { ...config, AUTH0_CLIENT_SECRET: "not-the-secret-0123456789" },
    "rs-unreachable": { ...config, AUTH0_DOMAIN: "http://127.0.0.1:9/" },
  });
});
after(() => w?.dispose());

const call = caller(() => w, NEVER);

const sessionKeys = async () => (await (await w.kv("rs")).list()).keys.length;

test("GET / lists the routes", async () => {
  const r = await call("rs", "GET", "/");
  assert.deepEqual([r.status, r.body.routes], [200, ["POST /exchange", "POST /login", "GET /me", "GET /token", "POST /logout", "GET /api", "GET /protected", "GET /protected/downstream"]]);
});

test("GET /protected and /protected/downstream (API_AUDIENCE, DOWNSTREAM_AUDIENCE): ApiClient from Rust; refusals answered by workers::error_response with their WWW-Authenticate", () =>
  checkApiWorker(call, "rs-api"));

test("POST /exchange: the token response in snake_case, absent fields left out", async () => {
  const r = await call("rs", "POST", "/exchange", { body: { ...alice, audience: AUDIENCE, scope: "openid profile offline_access" } });
  assert.equal(r.status, 200, JSON.stringify(r.body));
  assert.deepEqual(Object.keys(r.body).sort(), ["access_token", "expires_in", "id_token", "issued_token_type", "refresh_token", "scope", "token_type"]);
  assert.deepEqual([r.body.token_type, r.body.expires_in], ["Bearer", 3600]);
  assert.deepEqual([claims(r.body.access_token).sub, claims(r.body.access_token).aud], ["auth0|alice", AUDIENCE]);
  assert.equal(claims(r.body.id_token).sub, "auth0|alice");
  assert.equal(r.headers.getSetCookie().length, 0, "an exchange sets no cookie");
});

test("POST /exchange with an actor token: act from the verified ID token, organization", async () => {
  const b = await call("rs", "POST", "/exchange", { body: { ...bob, audience: AUDIENCE } });
  const r = await call("rs", "POST", "/exchange", {
    body: { ...alice, actor_token: b.body.access_token, actor_token_type: TOKEN_TYPES.ACCESS_TOKEN, audience: AUDIENCE, scope: "openid", organization: "acme" },
  });
  assert.equal(r.status, 200, JSON.stringify(r.body));
  assert.deepEqual(r.body.act, { sub: "auth0|bob" });
  assert.equal(claims(r.body.access_token).org_id, "org_acme");
});

test("POST /exchange errors: 400 JSON with the code, the server's 4xx passed on", async () => {
  const cases = EXCHANGE_ERRORS;
  for (const [body, status, error] of cases) {
    const r = await call("rs", "POST", "/exchange", { body });
    assert.deepEqual([r.status, r.body.error], [status, error], JSON.stringify(Object.keys(body)));
    assert.deepEqual(Object.keys(r.body).sort(), ["error", "error_description"]);
    assert.equal(typeof r.body.error_description, "string");
  }
});

test("request errors: not a JSON object, a field of the wrong type, wrong method, unknown route", async () => {
  for (const body of ["{not json", "[1]", "null", "", JSON.stringify({ ...alice, audience: 42 })]) {
    const r = await call("rs", "POST", "/exchange", { body, raw: true });
    assert.deepEqual([r.status, r.body.error], [400, "invalid_request"], body);
  }
  const wrongMethod = await call("rs", "GET", "/exchange");
  assert.deepEqual([wrongMethod.status, wrongMethod.body], [405, { error: "method_not_allowed" }]);
  assert.equal(wrongMethod.headers.get("allow"), "POST");
  assert.equal((await call("rs", "DELETE", "/me")).headers.get("allow"), "GET");
  assert.deepEqual(await call("rs", "GET", "/nope").then((r) => [r.status, r.body]), [404, { error: "not_found" }]);
});

test("configuration errors are 500 with the code only; an unreachable tenant is 502; bad client credentials 401", async () => {
  const short = await call("rs-short-secret", "POST", "/exchange", { body: alice });
  assert.deepEqual([short.status, short.body], [500, { error: "invalid_secret" }]);
  const down = await call("rs-unreachable", "POST", "/exchange", { body: alice });
  assert.deepEqual([down.status, down.body.error], [502, "token_exchange_failed"]);
  assert.match(down.body.error_description, /http:\/\/127\.0\.0\.1:9\//, "the URL it could not reach");
  const creds = await call("rs-wrong-client-secret", "POST", "/exchange", { body: alice });
  assert.deepEqual([creds.status, creds.body.error], [401, "invalid_client"]);
});

test("GET /me and /token without a session: 401 missing_session", async () => {
  assert.deepEqual(await call("rs", "GET", "/me").then((r) => [r.status, r.body]), [401, { error: "missing_session" }]);
  assert.deepEqual(await call("rs", "GET", "/token").then((r) => [r.status, r.body]), [401, { error: "missing_session" }]);
});

test("login → me → token → logout → me, the session in KV", async () => {
  const jar = new CookieJar();
  const before = await sessionKeys();
  const login = await call("rs", "POST", "/login", { jar, body: { ...alice, audience: AUDIENCE, scope: "profile offline_access" } });
  assert.equal(login.status, 200, JSON.stringify(login.body));
  assert.deepEqual(Object.keys(login.body), ["user"], "the user, not the tokens");
  assert.deepEqual([login.body.user.sub, login.body.user.name], ["auth0|alice", "Alice Liddell"], "openid added: a login has a user");
  for (const line of login.headers.getSetCookie()) assert.match(line, /; HttpOnly; SameSite=Lax; Path=\/; Max-Age=\d+$/);
  assert.deepEqual(jar.names, ["_a0_session"], "only the session id in a cookie");
  assert.equal(Object.values(jar.lengths())[0], 43);
  assert.equal(await sessionKeys(), before + 1, "the session is in KV");

  const me = await call("rs", "GET", "/me", { jar });
  assert.deepEqual([me.status, me.body.user.sub, me.body.user.aud], [200, "auth0|alice", undefined]);

  const token = await call("rs", "GET", `/token?audience=${encodeURIComponent(AUDIENCE)}`, { jar });
  assert.equal(token.status, 200, JSON.stringify(token.body));
  assert.deepEqual(Object.keys(token.body), ["access_token", "expires_at"]);
  const at = claims(token.body.access_token);
  assert.deepEqual([at.sub, at.aud, at.iss], ["auth0|alice", AUDIENCE, ISSUER]);
  assert.ok(Math.abs(token.body.expires_at - at.exp) <= 1, `expires_at ${token.body.expires_at} (exp ${at.exp})`);
  const again = await call("rs", "GET", `/token?audience=${encodeURIComponent(AUDIENCE)}`, { jar });
  assert.equal(again.body.access_token, token.body.access_token, "the stored token, not a new one");
  const scoped = await call("rs", "GET", `/token?audience=${encodeURIComponent(AUDIENCE)}&scope=write:everything`, { jar });
  assert.deepEqual([scoped.status, scoped.body], [401, { error: "refresh_token_error" }], "a scope the session's token lacks is refreshed; the provider refuses it");

  const logout = await call("rs", "POST", "/logout", { jar, body: { return_to: "https://app.example/bye" } });
  assert.equal(logout.status, 200);
  assert.equal(
    logout.body.logout_url,
    `${ISSUER.replace(/\/$/, "")}/oidc/logout?client_id=${CLIENTS.basic.clientId}&post_logout_redirect_uri=https%3A%2F%2Fapp.example%2Fbye`,
  );
  assert.ok(logout.headers.getSetCookie().length > 0 && logout.headers.getSetCookie().every((l) => /Max-Age=0/.test(l)), "cookie cleared");
  assert.equal(jar.size, 0);
  assert.equal(await sessionKeys(), before, "the KV entry is gone");
  assert.equal((await call("rs", "GET", "/me", { jar })).status, 401);
  assert.equal((await call("rs", "POST", "/logout", { jar })).status, 200, "no session, no body: fine");
  const bad = await call("rs", "POST", "/logout", { jar, body: { return_to: 42 } });
  assert.deepEqual([bad.status, bad.body.error], [400, "invalid_request"]);
});

test("sessions in the Durable Object the Worker declares: login → me → token → logout, nothing in KV", async () => {
  const jar = new CookieJar();
  const kvBefore = (await (await w.kv("rs-do")).list()).keys.length;
  const login = await call("rs-do", "POST", "/login", { jar, body: { ...alice, scope: "openid offline_access" } });
  assert.equal(login.status, 200, JSON.stringify(login.body));
  assert.deepEqual([jar.names, Object.values(jar.lengths())], [["_a0_session"], [43]], "only the session id in a cookie");
  assert.equal((await (await w.kv("rs-do")).list()).keys.length, kvBefore, "not in KV");
  assert.equal((await call("rs", "GET", "/me", { jar })).status, 401, "another Worker's objects do not hold it");
  const me = await call("rs-do", "GET", "/me", { jar });
  assert.deepEqual([me.status, me.body.user.sub], [200, "auth0|alice"]);
  // The API's token is a refresh (the login had no audience), through the coordinator's object;
  // the provider issues it opaque (the grant names no resource).
  const token = await call("rs-do", "GET", `/token?audience=${encodeURIComponent(AUDIENCE)}`, { jar });
  assert.equal(token.status, 200, JSON.stringify(token.body));
  assert.match(token.body.access_token, /^[\w-]{20,}$/);
  const again = await call("rs-do", "GET", `/token?audience=${encodeURIComponent(AUDIENCE)}`, { jar });
  assert.equal(again.body.access_token, token.body.access_token, "stored in the session's object");
  assert.equal((await call("rs-do", "POST", "/logout", { jar })).status, 200);
  assert.equal((await call("rs-do", "GET", "/me", { jar: new CookieJar() })).status, 401);
  jar.update(login);
  assert.equal((await call("rs-do", "GET", "/me", { jar })).status, 401, "the logged-out session id no longer opens a session");
});

test("DPoP (AUTH0_DPOP_JWK): tokens bound to the Worker's key; GET /api calls the provider's DPoP-checking API through fetch_with_auth; a JWK that is no EC private key is a 500", () =>
  checkDpopWorker(call, "rs-dpop", "rs-dpop-bad-key", ISSUER));

test("an unknown SESSION_STORE is a 500 configuration_error", async () => {
  const r = await call("rs-bad-store", "GET", "/me");
  assert.deepEqual([r.status, r.body], [500, { error: "configuration_error" }]);
});

test("a delegated login keeps act; without a refresh token another audience is 401", async () => {
  const jar = new CookieJar();
  const b = await call("rs", "POST", "/exchange", { body: { ...bob, audience: AUDIENCE } });
  const login = await call("rs", "POST", "/login", {
    jar,
    body: { ...alice, actor_token: b.body.access_token, actor_token_type: TOKEN_TYPES.ACCESS_TOKEN, scope: "openid offline_access" },
  });
  assert.equal(login.status, 200, JSON.stringify(login.body));
  assert.deepEqual(login.body.user.act, { sub: "auth0|bob" });
  assert.deepEqual((await call("rs", "GET", "/me", { jar })).body.user.act, { sub: "auth0|bob" });
  const other = await call("rs", "GET", `/token?audience=${encodeURIComponent(AUDIENCE)}`, { jar });
  assert.deepEqual([other.status, other.body], [401, { error: "missing_refresh_token" }]);
});

test("POST /login with a bad subject token: 400, no session, no cookie", async () => {
  const jar = new CookieJar();
  const before = await sessionKeys();
  const r = await call("rs", "POST", "/login", { jar, body: { subject_token: "legacy-nobody", subject_token_type: TOKEN_TYPES.LEGACY } });
  assert.deepEqual([r.status, r.body.error], [400, "invalid_grant"]);
  assert.equal(r.headers.getSetCookie().length, 0);
  assert.equal(await sessionKeys(), before);
});

test("the README's lines are src/readme.rs and src/lib.rs, which the Worker's build compiles", async () => {
  const { readFile } = await import("node:fs/promises");
  const dir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
  const readme = await readFile(path.join(dir, "README.md"), "utf8");
  const block = readme.match(/```rust\n([\s\S]*?)```/)[1];
  const source = await readFile(path.join(dir, "src", "readme.rs"), "utf8");
  assert.equal(source.slice(source.indexOf("\n") + 1), block);
  const lib = await readFile(path.join(dir, "src", "lib.rs"), "utf8");
  assert.match(lib, /^mod readme;$/m);
  const durableObject = [...readme.matchAll(/```rust\n([\s\S]*?)```/g)][1][1];
  assert.ok(lib.includes(durableObject), "the Durable Object block is src/lib.rs's");
});
