// What the Worker tests share (the JavaScript example's and the Rust one's): a request helper that
// checks what every response must satisfy, and the texts no error response may contain.
import { createHash, generateKeyPairSync } from "node:crypto";
import assert from "node:assert/strict";
import { AUDIENCE, CLIENTS, DOWNSTREAM_AUDIENCE, TOKEN_TYPES } from "../../tests/provider/fixtures.mjs";
import { CookieJar } from "./workerd.mjs";

/** The vars and secrets of a test Worker on the local provider's `basic` client. */
export function workerVars(issuer, sessionSecret) {
  return {
    AUTH0_DOMAIN: issuer,
    AUTH0_CLIENT_ID: CLIENTS.basic.clientId,
    AUTH0_CLIENT_SECRET: CLIENTS.basic.clientSecret,
    AUTH0_SECRET: sessionSecret,
    AUTH0_AUDIENCE: "",
    COOKIE_SECURE: "false", // the local provider and Miniflare speak plain http
  };
}

/**
 * Texts no error response may ever contain, named so that a failure never prints one: the
 * client secret, `sessionSecret`, the subject and actor tokens the tests send, a stack trace.
 */
export function neverInErrors(sessionSecret) {
  return {
    "the client secret": CLIENTS.basic.clientSecret,
    "the DPoP client's secret": CLIENTS.dpop.clientSecret,
    "the session secret": sessionSecret,
    "the DPoP private key": DPOP_JWK.d,
    "a subject token": "legacy-alice",
    "an actor token": "legacy-bob",
    "a stack trace": "    at ",
    "a panic": "panicked",
  };
}

/**
 * A request function for the Workers `w` runs (from workerd.mjs's start): `call(worker, method,
 * path, {body, jar, raw, sub})` resolves to {status, body (parsed JSON), headers}, after checking
 * JSON, no-store, and none of `never`'s texts in an error.
 */
export function caller(w, never) {
  // `authorization`: the request's Authorization header.
  return async function call(worker, method, urlPath, { body, jar, raw, sub, authorization } = {}) {
    const headers = {};
    if (authorization) headers.authorization = authorization;
    if (jar?.header()) headers.cookie = jar.header();
    const init = { method, headers };
    if (body !== undefined) {
      init.body = raw ? body : JSON.stringify(body);
      headers["content-type"] = "application/json";
    }
    const response = sub ? await w().fetchAt(sub, worker, urlPath, init) : await w().fetch(worker, urlPath, init);
    jar?.update(response);
    const text = await response.text();
    assert.match(response.headers.get("content-type"), /^application\/json/, `${method} ${urlPath}: JSON`);
    assert.equal(response.headers.get("cache-control"), "no-store", `${method} ${urlPath}: no-store`);
    if (response.status >= 400) {
      for (const [what, s] of Object.entries(never)) assert.ok(!text.includes(s), `${method} ${urlPath}: the error body contains ${what}`);
    }
    return { status: response.status, body: JSON.parse(text), headers: response.headers };
  };
}

/** The claims of a JWT. */
export const claims = (jwt) => JSON.parse(Buffer.from(jwt.split(".")[1], "base64url"));

/** Exchange bodies of the provider's users. */
export const alice = { subject_token: "legacy-alice", subject_token_type: TOKEN_TYPES.LEGACY };
export const bob = { subject_token: "legacy-bob", subject_token_type: TOKEN_TYPES.LEGACY };

/** POST /exchange bodies every Worker answers with an error: [body, status, error code]. */
export const EXCHANGE_ERRORS = [
  [{ subject_token: "legacy-nobody", subject_token_type: TOKEN_TYPES.LEGACY }, 400, "invalid_grant"],
  [{ subject_token_type: TOKEN_TYPES.LEGACY }, 400, "invalid_token_format"],
  [{ ...alice, subject_token: "Bearer legacy-alice" }, 400, "invalid_token_format"],
  [{ ...alice, actor_token: "legacy-bob" }, 400, "missing_actor_token_type"],
  [{ ...alice, actor_token_type: TOKEN_TYPES.ACCESS_TOKEN }, 400, "missing_actor_token"],
  [{ ...alice, subject_token_type: "urn:acme:unknown" }, 400, "invalid_request"],
  [{ ...alice, audience: "https://unknown.example.com" }, 403, "access_denied"],
];

/** An ECDSA P-256 private JWK for the Workers' AUTH0_DPOP_JWK, made for this test run. */
export const DPOP_JWK = generateKeyPairSync("ec", { namedCurve: "P-256" }).privateKey.export({ format: "jwk" });

/** The RFC 7638 thumbprint of DPOP_JWK's public key: the cnf.jkt of the tokens bound to it. */
export const DPOP_JKT = createHash("sha256")
  .update(JSON.stringify({ crv: DPOP_JWK.crv, kty: DPOP_JWK.kty, x: DPOP_JWK.x, y: DPOP_JWK.y }))
  .digest("base64url");

/** The vars of a DPoP Worker (AUTH0_DPOP_JWK) on the `dpop` client, /api at the provider's DPoP API. */
export function dpopWorkerVars(config, issuer) {
  return {
    ...config,
    AUTH0_CLIENT_ID: CLIENTS.dpop.clientId,
    AUTH0_CLIENT_SECRET: CLIENTS.dpop.clientSecret,
    AUTH0_AUDIENCE: AUDIENCE,
    AUTH0_DPOP_JWK: JSON.stringify(DPOP_JWK),
    API_URL: new URL("api/dpop", issuer).href,
  };
}

/**
 * The DPoP checks both Workers pass (AUTH0_DPOP_JWK set to DPOP_JWK on Worker `name`, a bad JWK
 * on `badName`, API_URL the provider's DPoP-checking API): a login's tokens are bound to the key,
 * GET /api reaches the API with a proof it accepts, the token as Bearer is refused there.
 */
export async function checkDpopWorker(call, name, badName, issuer) {
  const jar = new CookieJar();
  const login = await call(name, "POST", "/login", { jar, body: { ...alice, scope: "openid read:data" } });
  assert.equal(login.status, 200, JSON.stringify(login.body));
  const token = await call(name, "GET", "/token", { jar });
  assert.deepEqual(claims(token.body.access_token).cnf, { jkt: DPOP_JKT }, "bound to the Worker's key");
  const api = await call(name, "GET", "/api", { jar });
  assert.equal(api.status, 200, JSON.stringify(api.body));
  assert.deepEqual([api.body.status, api.body.body.sub, api.body.body.jkt, api.body.body.ath_ok], [200, "auth0|alice", DPOP_JKT, true], JSON.stringify(api.body));
  const asBearer = await fetch(new URL("api/dpop", issuer), { headers: { authorization: `Bearer ${token.body.access_token}` } });
  assert.equal(asBearer.status, 401, "the same token as Bearer");
  await asBearer.body?.cancel();
  assert.deepEqual(await call(name, "GET", "/api").then((r) => [r.status, r.body.error]), [401, "missing_session"]);
  assert.deepEqual(await call(badName, "GET", "/me").then((r) => [r.status, r.body.error]), [500, "configuration_error"]);
}

/** The vars of a Worker that is also an API (GET /protected for AUDIENCE, downstream DOWNSTREAM_AUDIENCE). */
export function apiWorkerVars(config) {
  return { ...config, API_AUDIENCE: AUDIENCE, DOWNSTREAM_AUDIENCE };
}

/**
 * The API checks both Workers pass (`name` with apiWorkerVars): a caller's token from the provider
 * verifies at GET /protected and is exchanged on its behalf at GET /protected/downstream; no token,
 * a tampered one and another API's each get their status and WWW-Authenticate challenge.
 */
export async function checkApiWorker(call, name) {
  const exchange = await call(name, "POST", "/exchange", { body: { ...alice, audience: AUDIENCE, scope: "read:data" } });
  assert.equal(exchange.status, 200, JSON.stringify(exchange.body));
  const token = exchange.body.access_token;
  const ok = await call(name, "GET", "/protected", { authorization: `Bearer ${token}` });
  assert.deepEqual([ok.status, ok.body.sub], [200, "auth0|alice"], JSON.stringify(ok.body));
  assert.ok(ok.body.scope.split(" ").includes("read:data"), "the token's scope");
  const down = await call(name, "GET", "/protected/downstream", { authorization: `Bearer ${token}` });
  assert.equal(down.status, 200, JSON.stringify(down.body));
  assert.deepEqual([down.body.sub, down.body.downstream.audience, down.body.downstream.token_type], ["auth0|alice", DOWNSTREAM_AUDIENCE, "Bearer"]);
  const none = await call(name, "GET", "/protected");
  assert.deepEqual([none.status, none.body.error, none.headers.get("www-authenticate")], [401, "invalid_request", "Bearer"]);
  const tampered = `${token.slice(0, -4)}${token.endsWith("AAAA") ? "BBBB" : "AAAA"}`;
  for (const path of ["/protected", "/protected/downstream"]) {
    const bad = await call(name, "GET", path, { authorization: `Bearer ${tampered}` });
    assert.deepEqual([bad.status, bad.body.error], [401, "invalid_token"], `${path}: ${JSON.stringify(bad.body)}`);
    assert.match(bad.headers.get("www-authenticate"), /^Bearer error="invalid_token", error_description="the access token's signature is not valid"$/);
    assert.ok(!JSON.stringify(bad.body).includes(tampered.split(".")[2]), "the token is not echoed");
  }
  const other = await call(name, "POST", "/exchange", { body: { ...alice, audience: DOWNSTREAM_AUDIENCE } });
  const wrongAud = await call(name, "GET", "/protected", { authorization: `Bearer ${other.body.access_token}` });
  assert.deepEqual([wrongAud.status, wrongAud.body.error], [401, "invalid_token"]);
}
