// The Worker example in workerd against the local provider: the bundle `wrangler deploy --dry-run`
// makes, run by Miniflare, every route called over HTTP with sessions in KV and in cookies, and
// every error mapped to a JSON status. Run through the provider harness:
//   node ../tests/provider/harness.mjs -- node --test test/worker.test.mjs
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import path from "node:path";
import { AUDIENCE, CLIENTS, TOKEN_TYPES } from "../../tests/provider/fixtures.mjs";
import { bundle, start, exampleDir, CookieJar } from "./workerd.mjs";
import { alice, apiWorkerVars, bob, caller, checkApiWorker, claims, checkDpopWorker, dpopWorkerVars, EXCHANGE_ERRORS, neverInErrors, workerVars } from "./http.mjs";

const ISSUER = process.env.AUTH0_EDGE_TEST_ISSUER;
if (!ISSUER) throw new Error("run this through node tests/provider/harness.mjs -- <command>");
const SECRET = "worker-example-session-secret-0123456789";
const config = workerVars(ISSUER, SECRET);
const NEVER = neverInErrors(SECRET);

let w;
before(async () => {
  const outdir = path.join(exampleDir, ".build", "test");
  await bundle(outdir);
  w = await start(outdir, {
    kv: { ...config, SESSION_STORE: "kv" },
    api: { ...apiWorkerVars(config), SESSION_STORE: "cookie" },
    dpop: { ...dpopWorkerVars(config, ISSUER), SESSION_STORE: "cookie" },
    "dpop-bad-key": { ...config, AUTH0_DPOP_JWK: "{\"kty\":\"EC\"}" },
    cookie: { ...config, SESSION_STORE: "cookie", ALLOWED_REDIRECT_ORIGINS: "https://web.example" },
    "short-secret": { ...config, AUTH0_SECRET: "too-short" },
    "unknown-store": { ...config, SESSION_STORE: "redis" },
    "wrong-client-secret": { ...config, AUTH0_CLIENT_SECRET: "not-the-secret-0123456789" },
    unreachable: { ...config, AUTH0_DOMAIN: "http://127.0.0.1:9/" },
    // Several custom domains: a.domains.localhost uses the tenant, every other host a domain
    // that cannot be reached.
    domains: { ...config, SESSION_STORE: "cookie", AUTH0_DOMAIN: "http://127.0.0.1:9/", AUTH0_DOMAINS: JSON.stringify({ "a.domains.localhost": ISSUER }) },
    // The same, with an allowlist that leaves AUTH0_DOMAIN out: hosts mapped to it are refused.
    allowlist: { ...config, SESSION_STORE: "cookie", AUTH0_DOMAIN: "http://127.0.0.1:9/", AUTH0_DOMAINS: JSON.stringify({ "a.allowlist.localhost": ISSUER }), AUTH0_ALLOWED_DOMAINS: ISSUER },
  });
});
after(() => w?.dispose());

const call = caller(() => w, NEVER);

test("DPoP (AUTH0_DPOP_JWK): the session's tokens are bound to the key; GET /api calls the provider's DPoP-checking API with a proof; a JWK that is no EC private key is a 500", () =>
  checkDpopWorker(call, "dpop", "dpop-bad-key", ISSUER));


test("GET /protected and /protected/downstream (API_AUDIENCE, DOWNSTREAM_AUDIENCE): the caller's token verified, then exchanged on its behalf; refusals carry their status and WWW-Authenticate", () =>
  checkApiWorker(call, "api"));

test("GET / lists the routes", async () => {
  const r = await call("cookie", "GET", "/");
  assert.equal(r.status, 200);
  assert.deepEqual(r.body.routes, ["POST /exchange", "POST /login", "GET /me", "GET /token", "POST /logout", "POST /session-transfer", "GET /domain", "GET /api", "GET /protected", "GET /protected/downstream"]);
});

test("POST /session-transfer: the session's ID token acts; the token added to the target login URL", async () => {
  const jar = new CookieJar();
  assert.equal((await call("cookie", "POST", "/login", { jar, body: alice })).status, 200);
  const r = await call("cookie", "POST", "/session-transfer", { jar, body: { ...alice, target_login_url: "https://web.example/login?lang=en", organization: "org_acme" } });
  assert.equal(r.status, 200, JSON.stringify(r.body));
  const url = new URL(r.body.redirect_url);
  assert.equal(url.origin + url.pathname, "https://web.example/login");
  assert.deepEqual([...url.searchParams.keys()], ["lang", "session_transfer_token", "organization"]);
  assert.match(url.searchParams.get("session_transfer_token"), /^stt_/);
  assert.equal(r.body.expires_in, 60);
  const bad = await call("cookie", "POST", "/session-transfer", { jar, body: { ...alice, target_login_url: "http://web.example/login" } });
  assert.deepEqual([bad.status, bad.body.error], [400, "invalid_parameter"], "http: for a host that is not loopback");
  const foreign = await call("cookie", "POST", "/session-transfer", { jar, body: { ...alice, target_login_url: "https://evil.example/login" } });
  assert.deepEqual([foreign.status, foreign.body.error], [400, "invalid_parameter"], "a target outside ALLOWED_REDIRECT_ORIGINS");
  const userinfo = await call("cookie", "POST", "/session-transfer", { jar, body: { ...alice, target_login_url: "https://web.example@evil.example/login" } });
  assert.deepEqual([userinfo.status, userinfo.body.error], [400, "invalid_parameter"], "a target with user info");
  const nobody = await call("cookie", "POST", "/session-transfer", { body: { ...alice, target_login_url: "https://web.example/login" } });
  assert.deepEqual([nobody.status, nobody.body.error], [400, "missing_actor_token"], "no session, no actor");
});

test("allowed domains: a host mapped outside AUTH0_ALLOWED_DOMAINS is 500 domain_not_allowed before any request; a listed one works", async () => {
  const ok = await call("allowlist", "POST", "/exchange", { body: alice, sub: "a" });
  assert.equal(ok.status, 200, JSON.stringify(ok.body));
  for (const path of ["/exchange", "/login"]) {
    const refused = await call("allowlist", "POST", path, { body: alice, sub: "evil" });
    assert.deepEqual([refused.status, refused.body.error], [500, "domain_not_allowed"], `${path} from a foreign host`);
  }
});

test("several custom domains: the tenant domain by request host; a session of one domain is none under another", async () => {
  const jar = new CookieJar();
  assert.deepEqual((await call("domains", "GET", "/domain", { sub: "a" })).body, { domain: ISSUER });
  assert.deepEqual((await call("domains", "GET", "/domain", { sub: "b" })).body, { domain: "http://127.0.0.1:9/" });
  const login = await call("domains", "POST", "/login", { jar, body: alice, sub: "a" });
  assert.equal(login.status, 200, JSON.stringify(login.body));
  assert.equal((await call("domains", "GET", "/me", { jar, sub: "a" })).body.user.sub, "auth0|alice");
  const elsewhere = await call("domains", "GET", "/me", { jar, sub: "b" });
  assert.deepEqual([elsewhere.status, elsewhere.body.error], [401, "missing_session"], "the same cookie under another domain");
  const unreachable = await call("domains", "POST", "/exchange", { body: alice, sub: "b" });
  assert.equal(unreachable.status, 502, "domain b is another tenant's (unreachable here)");
});

test("POST /exchange: the token response in snake_case, absent fields left out", async () => {
  const r = await call("cookie", "POST", "/exchange", { body: { ...alice, audience: AUDIENCE, scope: "openid profile offline_access" } });
  assert.equal(r.status, 200);
  assert.deepEqual(Object.keys(r.body).sort(), ["access_token", "expires_in", "id_token", "issued_token_type", "refresh_token", "scope", "token_type"]);
  assert.equal(r.body.token_type, "Bearer");
  assert.equal(r.body.expires_in, 3600);
  assert.deepEqual([claims(r.body.access_token).sub, claims(r.body.access_token).aud], ["auth0|alice", AUDIENCE]);
  assert.equal(claims(r.body.id_token).sub, "auth0|alice");
  assert.equal(r.headers.getSetCookie().length, 0, "an exchange sets no cookie");
});

test("POST /exchange with an actor token: act from the verified ID token", async () => {
  const b = await call("cookie", "POST", "/exchange", { body: { ...bob, audience: AUDIENCE } });
  const r = await call("cookie", "POST", "/exchange", {
    body: { ...alice, actor_token: b.body.access_token, actor_token_type: TOKEN_TYPES.ACCESS_TOKEN, audience: AUDIENCE, scope: "openid", organization: "acme" },
  });
  assert.equal(r.status, 200);
  assert.deepEqual(r.body.act, { sub: "auth0|bob" });
  assert.equal(claims(r.body.access_token).org_id, "org_acme");
});

test("POST /exchange errors: 400 JSON with the code, the server's 4xx passed on", async () => {
  // A type the package checks itself: the JavaScript Worker passes values on as they came.
  const cases = [...EXCHANGE_ERRORS, [{ ...alice, audience: 42 }, 400, "invalid_parameter"]];
  for (const [body, status, error] of cases) {
    const r = await call("kv", "POST", "/exchange", { body });
    assert.deepEqual([r.status, r.body.error], [status, error], JSON.stringify(Object.keys(body)));
    assert.equal(typeof r.body.error_description, "string");
    assert.deepEqual(Object.keys(r.body).sort(), ["error", "error_description"]);
  }
});

test("request errors: not JSON, not an object, wrong method, unknown route", async () => {
  for (const body of ["{not json", "[1]", "null", ""]) {
    const r = await call("cookie", "POST", "/exchange", { body, raw: true });
    assert.deepEqual([r.status, r.body.error], [400, "invalid_request"], body);
  }
  const wrongMethod = await call("cookie", "GET", "/exchange");
  assert.deepEqual([wrongMethod.status, wrongMethod.body], [405, { error: "method_not_allowed" }]);
  assert.equal(wrongMethod.headers.get("allow"), "POST");
  assert.equal((await call("cookie", "DELETE", "/me")).status, 405);
  assert.deepEqual(await call("cookie", "GET", "/nope").then((r) => [r.status, r.body]), [404, { error: "not_found" }]);
});

test("configuration errors are 500 with the code only; an unreachable tenant is 502", async () => {
  const short = await call("short-secret", "POST", "/exchange", { body: alice });
  assert.deepEqual([short.status, short.body], [500, { error: "invalid_secret" }]);
  const store = await call("unknown-store", "GET", "/me");
  assert.deepEqual([store.status, store.body], [500, { error: "configuration_error" }]);
  const down = await call("unreachable", "POST", "/exchange", { body: alice });
  assert.deepEqual([down.status, down.body.error], [502, "token_exchange_failed"]);
  // Bad client credentials: the tenant's 401 invalid_client, with its description.
  const creds = await call("wrong-client-secret", "POST", "/exchange", { body: alice });
  assert.deepEqual([creds.status, creds.body.error], [401, "invalid_client"]);
});

for (const mode of ["kv", "cookie"]) {
  const sessionKeys = async () => (mode === "kv" ? (await (await w.kv(mode)).list()).keys.length : undefined);

  test(`[${mode}] GET /me and /token without a session: 401 missing_session`, async () => {
    const jar = new CookieJar();
    assert.deepEqual(await call(mode, "GET", "/me", { jar }).then((r) => [r.status, r.body]), [401, { error: "missing_session" }]);
    assert.deepEqual(await call(mode, "GET", "/token", { jar }).then((r) => [r.status, r.body]), [401, { error: "missing_session" }]);
  });

  test(`[${mode}] login → me → token → logout → me`, async () => {
    const jar = new CookieJar();
    const login = await call(mode, "POST", "/login", { jar, body: { ...alice, audience: AUDIENCE, scope: "openid profile offline_access" } });
    assert.equal(login.status, 200);
    assert.deepEqual(Object.keys(login.body), ["user"], "the user, not the tokens");
    assert.equal(login.body.user.sub, "auth0|alice");
    assert.equal(login.body.user.name, "Alice Liddell");
    for (const line of login.headers.getSetCookie()) assert.match(line, /; HttpOnly; SameSite=Lax; Path=\/; Max-Age=\d+$/);
    if (mode === "kv") {
      assert.deepEqual(jar.names, ["_a0_session"], "only the session id in a cookie");
      assert.equal(Object.values(jar.lengths())[0], 43);
      assert.equal(await sessionKeys(), 1, "the session is in KV");
    } else {
      assert.deepEqual(jar.names, ["_a0_session_0"], "the sealed session in one cookie chunk");
      assert.ok(Object.values(jar.lengths())[0] > 500, "a JWE");
    }

    const me = await call(mode, "GET", "/me", { jar });
    assert.deepEqual([me.status, me.body.user.sub], [200, "auth0|alice"]);
    assert.equal(me.body.user.aud, undefined, "no protocol claims on the user");

    const token = await call(mode, "GET", `/token?audience=${encodeURIComponent(AUDIENCE)}`, { jar });
    assert.equal(token.status, 200);
    assert.deepEqual(Object.keys(token.body), ["access_token", "expires_at"]);
    const at = claims(token.body.access_token);
    assert.deepEqual([at.sub, at.aud, at.iss], ["auth0|alice", AUDIENCE, ISSUER]);
    // now + expires_in on the client, the token's exp on the server: the same second, or the next.
    assert.ok(Math.abs(token.body.expires_at - at.exp) <= 1, `expires_at ${token.body.expires_at}: the token set's, in seconds (exp ${at.exp})`);
    // The stored token while it has more than 30 s left. The refresh when it is due needs the
    // clock an hour ahead, which cannot be set inside workerd from here: tests/js/suite.mjs proves
    // it in workerd ("refresh when due", run by tests/js/workerd.test.mjs) with both stores.
    const again = await call(mode, "GET", `/token?audience=${encodeURIComponent(AUDIENCE)}`, { jar });
    assert.equal(again.body.access_token, token.body.access_token, "the stored token, not a new one");

    const logout = await call(mode, "POST", "/logout", { jar, body: { return_to: "https://app.example/bye" } });
    assert.equal(logout.status, 200);
    assert.equal(
      logout.body.logout_url,
      `${ISSUER.replace(/\/$/, "")}/oidc/logout?client_id=${CLIENTS.basic.clientId}&post_logout_redirect_uri=https%3A%2F%2Fapp.example%2Fbye`,
    );
    assert.ok(logout.headers.getSetCookie().every((l) => /Max-Age=0/.test(l)) && logout.headers.getSetCookie().length > 0, "cookies cleared");
    assert.equal(jar.size, 0, "no cookie left");
    if (mode === "kv") assert.equal(await sessionKeys(), 0, "the KV entry is gone");
    assert.equal((await call(mode, "GET", "/me", { jar })).status, 401);
    // Logging out without a session (and without a body) is fine too.
    assert.equal((await call(mode, "POST", "/logout", { jar })).status, 200);
  });

  test(`[${mode}] a delegated login keeps act; no refresh token, so another audience is 401`, async () => {
    const jar = new CookieJar();
    const b = await call(mode, "POST", "/exchange", { body: { ...bob, audience: AUDIENCE } });
    const login = await call(mode, "POST", "/login", {
      jar,
      body: { ...alice, actor_token: b.body.access_token, actor_token_type: TOKEN_TYPES.ACCESS_TOKEN, scope: "openid offline_access" },
    });
    assert.equal(login.status, 200);
    assert.deepEqual(login.body.user.act, { sub: "auth0|bob" });
    assert.deepEqual((await call(mode, "GET", "/me", { jar })).body.user.act, { sub: "auth0|bob" });
    const other = await call(mode, "GET", `/token?audience=${encodeURIComponent(AUDIENCE)}`, { jar });
    assert.deepEqual([other.status, other.body], [401, { error: "missing_refresh_token" }]);
    assert.equal((await call(mode, "POST", "/logout", { jar })).status, 200);
  });

  test(`[${mode}] POST /login with a bad subject token: 400, no session, no cookie`, async () => {
    const jar = new CookieJar();
    const before = await sessionKeys();
    const r = await call(mode, "POST", "/login", { jar, body: { subject_token: "legacy-nobody", subject_token_type: TOKEN_TYPES.LEGACY, scope: "openid" } });
    assert.deepEqual([r.status, r.body.error], [400, "invalid_grant"]);
    assert.equal(r.headers.getSetCookie().length, 0);
    assert.equal(await sessionKeys(), before);
    const logout = await call(mode, "POST", "/logout", { jar, body: { return_to: 42 } });
    assert.deepEqual([logout.status, logout.body.error], [400, "invalid_request"]);
  });
}

test("survives 1,000 hostile bodies (fields nested 4,000 to 10,000 deep, wrong types, over-long strings), then answers an exchange", async () => {
  const deepArray = (n) => "[".repeat(n) + "]".repeat(n);
  const deepObject = (n) => '{"a":'.repeat(n) + "1" + "}".repeat(n);
  const long = JSON.stringify("x".repeat(100_000));
  const fields = ["subject_token", "subject_token_type", "actor_token", "actor_token_type", "audience", "scope", "organization"];
  const values = [deepArray(4000), deepArray(10_000), deepObject(4000), deepObject(10_000), long, "42", "true", "{}", "[\"a\",[\"b\"]]"];
  const bodies = [];
  for (const field of fields) for (const value of values) bodies.push(`{"subject_token": "legacy-alice", "subject_token_type": "${TOKEN_TYPES.LEGACY}", ${JSON.stringify(field)}: ${value}}`);
  for (let i = 0; i < 1000; i++) {
    const body = bodies[i % bodies.length];
    const r = await call(i % 2 ? "kv" : "cookie", "POST", i % 3 ? "/exchange" : "/login", { body, raw: true });
    assert.equal(r.status, 400, `hostile body ${i}: ${JSON.stringify(r.body)}`);
    assert.ok(["invalid_token_format", "invalid_parameter", "missing_actor_token", "missing_actor_token_type"].includes(r.body.error), `hostile body ${i}: ${r.body.error}`);
  }
  const r = await call("kv", "POST", "/exchange", { body: { ...alice, audience: AUDIENCE } });
  assert.equal(r.status, 200, JSON.stringify(r.body));
  assert.equal(claims(r.body.access_token).sub, "auth0|alice", JSON.stringify(Object.keys(r.body)));
});
