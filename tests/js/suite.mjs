// One integration suite for every runtime (Node, Deno, workerd): the package is imported by the
// runner exactly as a user would (`import * as pkg from "auth0-edge"`, resolved through the
// package's export conditions) and handed in here with the local provider's coordinates.
//
// No runtime-specific API is used: only fetch, WebCrypto (through the package) and plain asserts.

import { CLIENTS, TOKEN_TYPES, AUDIENCE, ORGANIZATIONS } from "../provider/fixtures.mjs";
import { ok, eq, later } from "./asserts.mjs";
import { jsonB64url, fakeTenant, flipSignature } from "./fake-tenant.js";
import { withoutDomain } from "./seal.js";
import { apiSuite } from "./api-suite.mjs";

const SECRET = "a-session-secret-of-at-least-32-characters!";

async function rejects(promiseOrFn, Class, code, message) {
  let error;
  try {
    await (typeof promiseOrFn === "function" ? promiseOrFn() : promiseOrFn);
  } catch (e) {
    error = e;
  }
  ok(error !== undefined, `${message}: expected a ${Class.name}, nothing was thrown`);
  ok(error instanceof Class, `${message}: expected a ${Class.name}, got ${error && error.name}: ${error && error.message}`);
  ok(error instanceof Error, `${message}: not an Error`);
  eq(error.name, Class.name, `${message}: name`);
  eq(error.code, code, `${message}: code`);
  ok(typeof error.message === "string" && error.message.length > 0, `${message}: message`);
  return error;
}

/** Decodes a JWT payload without verifying it (test inspection only). */
function claims(jwt) {
  const b64 = jwt.split(".")[1].replace(/-/g, "+").replace(/_/g, "/");
  return JSON.parse(new TextDecoder().decode(Uint8Array.from(atob(b64), (c) => c.charCodeAt(0))));
}

/** How many of the recorded requests `seen` were refresh-token grants. */
async function refreshGrants(seen) {
  let n = 0;
  for (const r of seen) if (r.method === "POST" && (await r.clone().text()).includes("grant_type=refresh_token")) n++;
  return n;
}

/** A store of one sealed session that counts its writes and deletes (`store.sealed`, `.sets`, `.deletes`). */
const sealedStore = () => ({
  sealed: undefined,
  sets: 0,
  deletes: 0,
  async get() { return this.sealed; },
  async set(_identifier, value) { this.sets++; this.sealed = value; },
  async delete() { this.deletes++; this.sealed = undefined; },
});

/**
 * A fetch to the real provider whose token endpoint answers are rewritten: `edit(body, form)`
 * gets the parsed JSON answer and the request's form text, and returns the JSON to answer.
 */
const editTokenAnswers = (edit) => async (input, init) => {
  const req = new Request(input, init);
  if (req.method !== "POST") return fetch(req);
  const form = await req.clone().text();
  return Response.json(await edit(await (await fetch(req)).json(), form));
};

/**
 * @param pkg the package's module namespace
 * @param env {issuer, pkjwtKey, externalJwt}: from the provider harness
 * @returns [{name, fn}]
 */
export function suite(pkg, env) {
  const { ServerClient, CustomTokenExchangeError, ConfigurationError, TokenType, CustomTokenExchangeErrorCode } = pkg;
  const client = (which = "basic", extra = {}) => {
    const c = CLIENTS[which];
    return new ServerClient({
      domain: env.issuer,
      clientId: c.clientId,
      ...(c.clientSecret ? { clientSecret: c.clientSecret, clientAuthMethod: c.authMethod } : {}),
      ...(which === "privateKeyJwt" ? { clientAssertionSigningKey: env.pkjwtKey } : {}),
      secret: SECRET,
      ...extra,
    });
  };
  const legacy = (user, extra = {}) => ({ subjectToken: `legacy-${user}`, subjectTokenType: TOKEN_TYPES.LEGACY, ...extra });
  /** A fetch that passes each request on and keeps a copy of it in `seen` (to read its body). */
  const recordingFetch = (seen) => (input, init) => {
    const req = new Request(input, init); // the package calls fetch with a Request
    seen.push(req.clone());
    return fetch(req);
  };
  const cases = [];
  const test = (name, fn) => cases.push({ name, fn });
  /** The provider's discovery document as seen under another spelling of its host (127.0.0.x): its endpoints there too. */
  const seenAt = (doc, host) =>
    Object.fromEntries(Object.entries(doc).map(([k, v]) => [k, typeof v === "string" ? v.replace("//127.0.0.1:", `//${host}:`) : v]));

  test("the package exports its public API and nothing else (no loader internals)", async () => {
    const API = ["AccessTokenError", "ApiClient", "Auth0EdgeError", "ConfigurationError", "CookieStore", "CustomTokenExchangeError",
      "CustomTokenExchangeErrorCode", "DenoKvRefreshCoordinator", "DenoKvReplayCache", "DenoKvStore", "DurableObjectRefreshCoordinator", "DurableObjectReplayCache", "DurableObjectStore", "IdTokenError", "KvStore", "MemoryStore", "ServerClient",
      "SessionDurableObject", "StoreError", "TokenType", "VerifyAccessTokenError"];
    eq(Object.keys(pkg).filter((k) => k !== "default").sort(), API, "exported names");
    // The shipped JavaScript is minified: classes keep their public names all the same.
    for (const k of API) if (typeof pkg[k] === "function") eq(pkg[k].name, k, `${k}.name`);
    eq(new pkg.MemoryStore().constructor.name, "MemoryStore", "an instance's constructor name");
    // Errors print as their class: `${e}` and stack traces read the prototype's name.
    for (const k of API.filter((n) => n.endsWith("Error"))) {
      const e = new pkg[k]("some_code", "what went wrong");
      eq([e.name, String(e), e.code], [k, `${k}: what went wrong`, "some_code"], `${k} instance`);
      ok(e instanceof pkg.Auth0EdgeError && e instanceof Error, `${k} is an Auth0EdgeError`);
    }
  });

  test("basic exchange (client_secret_basic): tokens and no nulls", async () => {
    const r = await client().customTokenExchange(legacy("alice", { audience: AUDIENCE, scope: "openid profile read:data" }));
    ok(typeof r.accessToken === "string" && r.accessToken.length > 20, "accessToken");
    eq(r.tokenType, "Bearer", "tokenType");
    ok(Number.isInteger(r.expiresIn) && r.expiresIn > 0, "expiresIn is a positive integer");
    eq(r.issuedTokenType, TokenType.ACCESS_TOKEN, "issuedTokenType");
    ok(r.scope.split(" ").includes("read:data"), "scope");
    ok(typeof r.idToken === "string", "idToken");
    eq(r.refreshToken, undefined, "no refresh token without offline_access");
    eq(r.act, undefined, "no act without an actor");
    ok(Object.values(r).every((v) => v !== null), "no null fields");
    const at = claims(r.accessToken);
    eq([at.sub, at.aud], ["auth0|alice", AUDIENCE], "access token subject and audience");
    eq(claims(r.idToken).sub, "auth0|alice", "ID token subject");
  });

  test("client_secret_post", async () => {
    const r = await client("post").customTokenExchange(legacy("bob", { scope: "openid" }));
    eq(claims(r.idToken).sub, "auth0|bob", "ID token subject");
  });

  test("private_key_jwt with a PKCS#8 PEM, external JWT profile", async () => {
    const r = await client("privateKeyJwt").customTokenExchange({
      subjectToken: env.externalJwt,
      subjectTokenType: TOKEN_TYPES.EXTERNAL_JWT,
      scope: "openid",
    });
    eq(claims(r.idToken).sub, "auth0|alice", "ID token subject");
  });

  test("offline_access gives a refresh token", async () => {
    const r = await client().customTokenExchange(legacy("alice", { scope: "openid offline_access" }));
    ok(typeof r.refreshToken === "string" && r.refreshToken.length > 0, "refreshToken");
  });

  test("actor token: act from the verified ID token, no refresh token", async () => {
    const c = client();
    const bob = await c.customTokenExchange(legacy("bob", { audience: AUDIENCE }));
    const r = await c.customTokenExchange(
      legacy("alice", { actorToken: bob.accessToken, actorTokenType: TokenType.ACCESS_TOKEN, scope: "openid offline_access" }),
    );
    eq(r.act, { sub: "auth0|bob" }, "act");
    eq(r.refreshToken, undefined, "no refresh token with an actor (as Auth0)");
  });

  test("delegation chain: nested act", async () => {
    const c = client();
    const bob = await c.customTokenExchange(legacy("bob", { audience: AUDIENCE }));
    const carolViaBob = await c.customTokenExchange(
      legacy("carol", { audience: AUDIENCE, actorToken: bob.accessToken, actorTokenType: TokenType.ACCESS_TOKEN }),
    );
    const r = await c.customTokenExchange(
      legacy("alice", { actorToken: carolViaBob.accessToken, actorTokenType: TokenType.ACCESS_TOKEN, scope: "openid" }),
    );
    eq(r.act, { sub: "auth0|carol", act: { sub: "auth0|bob" } }, "nested act");
  });

  test("act without an ID token (machine to machine): from the access token once verified with the tenant's keys, never unverified", async () => {
    const c = client();
    const bob = await c.customTokenExchange(legacy("bob", { audience: AUDIENCE }));
    const delegated = legacy("alice", { audience: AUDIENCE, actorToken: bob.accessToken, actorTokenType: TokenType.ACCESS_TOKEN });
    const r = await c.customTokenExchange(delegated);
    eq(r.idToken, undefined, "no ID token (no openid)");
    eq(claims(r.accessToken).act, { sub: "auth0|bob" }, "the access token carries act");
    eq(r.act, { sub: "auth0|bob" }, "act from the verified access token");
    /** The real token response with its access token changed by `change`. */
    const changed = (change) => client("basic", { fetch: editTokenAnswers((body) => ({ ...body, access_token: change(body.access_token) })) });
    const forged = (t) => { const [h, , s] = t.split("."); return `${h}.${jsonB64url({ ...claims(t), act: { sub: "auth0|mallory" } })}.${s}`; };
    for (const [label, change] of [["a bad signature", flipSignature], ["a payload changed after signing", forged], ["an unsigned JWT", (t) => `${jsonB64url({ alg: "none" })}.${t.split(".")[1]}.`]]) {
      const t = await changed(change).customTokenExchange(delegated);
      ok(typeof t.accessToken === "string", `${label}: the tokens still come back`);
      eq(t.act, undefined, `${label}: no act`);
    }
  });

  test("act is not read without an actor token", async () => {
    const r = await client().customTokenExchange(legacy("alice", { scope: "openid" }));
    eq(r.act, undefined, "act");
  });

  test("organization: org_id in the tokens", async () => {
    const org = Object.keys(ORGANIZATIONS).find((id) => ORGANIZATIONS[id].members.includes("auth0|alice"));
    const r = await client().customTokenExchange(legacy("alice", { organization: org, audience: AUDIENCE, scope: "openid" }));
    eq(claims(r.accessToken).org_id, org, "access token org_id");
    eq(claims(r.idToken).org_id, org, "ID token org_id");
  });

  test("authorizationParams: extras sent after the typed options, reserved keys dropped", async () => {
    const seen = [];
    const c = client("basic", {
      fetch: recordingFetch(seen),
    });
    await c.customTokenExchange(
      legacy("alice", {
        scope: "openid",
        authorizationParams: { custom_field: "v", grant_type: "password", subject_token: "x", client_id: "y", n: 42, many: ["a", "b"], gone: null },
      }),
    );
    const tokenCall = seen.find((s) => s.method === "POST");
    ok(tokenCall, "a POST to the token endpoint went through the custom fetch");
    ok(tokenCall.url.endsWith("/oauth/token"), "token endpoint from discovery");
    const body = await tokenCall.text();
    const keys = [...new URLSearchParams(body).keys()];
    eq(keys, ["grant_type", "client_id", "subject_token", "subject_token_type", "scope", "custom_field", "n", "many", "many"], "form keys in order");
    const form = new URLSearchParams(body);
    eq([form.get("grant_type"), form.get("subject_token"), form.get("n")], ["urn:ietf:params:oauth:grant-type:token-exchange", "legacy-alice", "42"], "values");
    eq(tokenCall.redirect, "manual", "redirects not followed");
    eq(tokenCall.headers.get("accept"), "application/json", "Accept");
    ok(tokenCall.headers.get("authorization").startsWith("Basic "), "Basic credentials");
    const telemetry = JSON.parse(atob(tokenCall.headers.get("auth0-client").replace(/-/g, "+").replace(/_/g, "/")));
    eq(telemetry.name, "auth0-edge", "telemetry name");
  });

  test("authorizationParams: an own key named __proto__ is an ordinary extra", async () => {
    const seen = [];
    const c = client("basic", { fetch: recordingFetch(seen) });
    await c.customTokenExchange(legacy("alice", { authorizationParams: JSON.parse('{"__proto__":"p","after":"a"}') }));
    const form = new URLSearchParams(await seen.find((r) => r.method === "POST").text());
    eq([form.get("__proto__"), form.get("after")], ["p", "a"], "both extras sent");
  });

  test("telemetry: false sends no Auth0-Client header", async () => {
    const seen = [];
    const c = client("basic", { telemetry: false, fetch: recordingFetch(seen) });
    await c.customTokenExchange(legacy("alice"));
    ok(seen.length > 0 && seen.every((r) => !r.headers.has("auth0-client")), "no telemetry header");
  });

  test("invalid_grant passes through with status 400", async () => {
    const e = await rejects(client().customTokenExchange(legacy("nobody")), CustomTokenExchangeError, "invalid_grant", "unknown legacy token");
    eq(e.status, 400, "status");
    eq(e.cause && e.cause.error, "invalid_grant", "cause is the error body");
  });

  test("unauthorized_client passes through", async () => {
    await rejects(client("notAllowed").customTokenExchange(legacy("alice")), CustomTokenExchangeError, "unauthorized_client", "client without the grant");
  });

  test("validation errors, one per code, before any network call", async () => {
    let calls = 0;
    const c = client("basic", { fetch: () => (calls++, Promise.reject(new Error("must not be called"))) });
    const C = CustomTokenExchangeErrorCode;
    await rejects(c.customTokenExchange(legacy("alice", { subjectToken: "Bearer abc" })), CustomTokenExchangeError, C.INVALID_TOKEN_FORMAT, "bearer prefix");
    await rejects(c.customTokenExchange(legacy("alice", { subjectToken: "  " })), CustomTokenExchangeError, C.INVALID_TOKEN_FORMAT, "blank");
    await rejects(c.customTokenExchange(undefined), CustomTokenExchangeError, C.INVALID_TOKEN_FORMAT, "no options");
    await rejects(c.customTokenExchange(legacy("alice", { actorToken: "a" })), CustomTokenExchangeError, C.MISSING_ACTOR_TOKEN_TYPE, "actor without type");
    await rejects(c.customTokenExchange(legacy("alice", { actorTokenType: TokenType.ACCESS_TOKEN })), CustomTokenExchangeError, C.MISSING_ACTOR_TOKEN, "type without actor");
    await rejects(c.customTokenExchange(legacy("alice", { audience: 42 })), CustomTokenExchangeError, C.INVALID_PARAMETER, "audience: 42");
    await rejects(c.customTokenExchange(legacy("alice", { authorizationParams: { x: { y: 1 } } })), CustomTokenExchangeError, C.INVALID_PARAMETER, "object extra");
    eq(calls, 0, "no fetch call");
  });

  test("messages never echo tokens", async () => {
    const c = client();
    for (const subjectToken of ["Bearer TOPSECRET-1", "legacy-TOPSECRET-2"]) {
      try {
        await c.customTokenExchange({ subjectToken, subjectTokenType: TOKEN_TYPES.LEGACY });
        ok(false, "should reject");
      } catch (e) {
        ok(!String(e).includes("TOPSECRET") && !JSON.stringify(e).includes("TOPSECRET"), "no token in the error");
      }
    }
  });

  test("network error and invalid response are token_exchange_failed / invalid_response", async () => {
    // Fault paths a healthy server cannot produce on demand: a refusing and a lying fetch.
    const refused = client("basic", { domain: "http://127.0.0.1:9", timeoutMs: 2000 });
    const e = await rejects(refused.customTokenExchange(legacy("alice")), CustomTokenExchangeError, C().TOKEN_EXCHANGE_FAILED, "port 9");
    ok(e.message.includes("network error"), "message says network error");
    const lying = client("basic", {
      fetch: async (url, init) => {
        const req = new Request(url, init);
        return req.method === "POST" ? new Response("<html>", { status: 200 }) : fetch(req);
      },
    });
    await rejects(lying.customTokenExchange(legacy("alice")), CustomTokenExchangeError, C().INVALID_RESPONSE, "HTML 200");
  });
  const C = () => CustomTokenExchangeErrorCode;

  test("timeout covers a hanging fetch", async () => {
    const hanging = client("basic", { timeoutMs: 50, fetch: () => new Promise(() => {}) });
    const e = await rejects(hanging.customTokenExchange(legacy("alice")), CustomTokenExchangeError, "token_exchange_failed", "hang");
    ok(e.message.includes("timed out after 50 ms"), `message: ${e.message}`);
    // Discovery may be cached by an earlier case: then the token call is the one that hangs.
    const base = env.issuer.replace(/\/$/, "");
    ok([`OIDC discovery failed (${base}/.well-known/openid-configuration): timed out after 50 ms`, `Token exchange failed (${base}/oauth/token): timed out after 50 ms`].includes(e.message), `the URL and the reason: ${e.message}`);
    ok(e.cause instanceof Error && e.cause.name === "TimeoutError" && !(e.cause instanceof pkg.Auth0EdgeError), `cause: ${e.cause && e.cause.name}`);
  });

  test("errors explain themselves: the URL without its query, the reason, and the runtime's error (or what came back) as cause", async () => {
    // Nothing listens on the port: the runtime's own error, in words.
    const refused = client("basic", { domain: "http://127.0.0.1:65530", timeoutMs: 2000 });
    const e = await rejects(refused.customTokenExchange(legacy("alice")), CustomTokenExchangeError, "token_exchange_failed", "connection refused");
    ok(e.message.startsWith("OIDC discovery failed (http://127.0.0.1:65530/.well-known/openid-configuration): network error: "), `message: ${e.message}`);
    ok(/connection refused|connection reset|network connection lost/i.test(e.message), `the reason: ${e.message}`);
    ok(e.cause instanceof Error && !(e.cause instanceof pkg.Auth0EdgeError), `cause: the runtime's error (${e.cause && e.cause.name})`);
    // A discovery answering 500: its status and content type as the cause.
    const downDomain = "http://127.0.0.1:65531"; // a domain no earlier case has discovered
    const down = client("basic", { domain: downDomain, fetch: async () => new Response("<h1>down</h1>", { status: 500, headers: { "content-type": "text/html" } }) });
    const d = await rejects(down.customTokenExchange(legacy("alice")), CustomTokenExchangeError, "token_exchange_failed", "discovery 500");
    eq([d.message, d.status], [`OIDC discovery failed (${downDomain}/.well-known/openid-configuration): HTTP 500`, 500], "message and status");
    ok(d.cause instanceof Error && !(d.cause instanceof pkg.Auth0EdgeError) && d.cause.message === "HTTP 500, text/html", `cause: ${d.cause && d.cause.message}`);
    // A token endpoint with a query: the message names it without the query.
    const tenant = "http://127.0.0.1:65532";
    const refusing = client("basic", {
      domain: tenant,
      fetch: async (input, init) => {
        const req = new Request(input, init);
        if (req.method === "POST") throw new TypeError("error sending request: tcp connect error: Connection refused (os error 111)");
        return Response.json({ issuer: `${tenant}/`, token_endpoint: `${tenant}/oauth/token?tenant=private-value`, jwks_uri: `${tenant}/jwks` });
      },
    });
    const t = await rejects(refusing.customTokenExchange(legacy("alice")), CustomTokenExchangeError, "token_exchange_failed", "token endpoint refused");
    eq(t.message, `Token exchange failed (${tenant}/oauth/token): network error: connection refused`, "message");
    ok(t.cause instanceof TypeError, "cause: the fetch's TypeError");
  });

  test("constructor: ConfigurationError per code, no value in messages", async () => {
    const base = { domain: env.issuer, clientId: "c", clientSecret: "SECRET-VALUE-1", secret: SECRET };
    const cases = [
      [{ ...base, domain: "http://example.com" }, "invalid_domain"],
      [{ ...base, clientId: "" }, "missing_client_id"],
      [{ ...base, clientSecret: undefined }, "missing_client_credentials"],
      [{ ...base, secret: "short" }, "invalid_secret"],
      [{ ...base, timeoutMs: "5" }, "invalid_option"],
    ];
    for (const [options, code] of cases) {
      const e = await rejects(() => new ServerClient(options), ConfigurationError, code, code);
      ok(!e.message.includes("SECRET-VALUE-1") && !e.message.includes("example.com"), "no value echoed");
    }
  });

  test("discovery: the issuer must match the domain (mix-up defence), with a control", async () => {
    // Each client gets its own domain spelling (127.0.0.x) so the module-level discovery cache
    // does not answer; the custom fetch routes it to the real provider and rewrites the issuer.
    const port = new URL(env.issuer).port;
    const via = (host, issuer) =>
      client("basic", {
        domain: `http://${host}:${port}`,
        fetch: async (url, init) => {
          const req = new Request(url, init);
          const r = await fetch(new Request(req.url.replace(host, "127.0.0.1"), req));
          if (!req.url.endsWith("/openid-configuration")) return r;
          return Response.json({ ...seenAt(await r.json(), host), issuer });
        },
      });
    const control = await via("127.0.0.3", `http://127.0.0.3:${port}/`).customTokenExchange(legacy("alice"));
    ok(control.accessToken, "control: matching issuer works");
    const e = await rejects(
      via("127.0.0.2", "https://evil.example/").customTokenExchange(legacy("alice")),
      ConfigurationError,
      "configuration_error",
      "foreign issuer",
    );
    ok(e.message.includes("https://evil.example/") && e.message.includes(`http://127.0.0.2:${port}`), `both issuers named: ${e.message}`);
  });

  test("a local domain written without its scheme: the failed discovery says to write http://", async () => {
    const { host } = new URL(env.issuer);
    const schemeless = client("basic", { domain: host, timeoutMs: 3000 }); // https implied, to a plain-http port
    const e = await rejects(schemeless.customTokenExchange(legacy("alice")), CustomTokenExchangeError, "token_exchange_failed", "https to a plain-http port");
    ok(e.message.includes(`write "http://${host}"`), `the fix named: ${e.message}`);
    const written = client("basic", { domain: `https://${host}`, timeoutMs: 3000 });
    const f = await rejects(written.customTokenExchange(legacy("alice")), CustomTokenExchangeError, "token_exchange_failed", "https written out");
    ok(!f.message.includes("has no scheme"), `no hint when the scheme was written: ${f.message}`);
  });

  test("discovery: concurrent first calls share one request; a failure is not cached", async () => {
    const port = new URL(env.issuer).port;
    const counts = { discovery: 0, token: 0 };
    let failDiscovery = true;
    const c = client("basic", {
      domain: `http://127.0.0.4:${port}`, // a domain no other case uses: a cold cache entry
      fetch: async (url, init) => {
        const req = new Request(url, init);
        const u = req.url;
        if (u.endsWith("/openid-configuration")) {
          counts.discovery++;
          if (failDiscovery) return new Response("unavailable", { status: 503 });
          const doc = await (await fetch(new Request(u.replace("127.0.0.4", "127.0.0.1"), req))).json();
          return Response.json({ ...seenAt(doc, "127.0.0.4"), issuer: `http://127.0.0.4:${port}/` });
        }
        counts.token++;
        return fetch(new Request(u.replace("127.0.0.4", "127.0.0.1"), req));
      },
    });
    const e = await rejects(c.customTokenExchange(legacy("alice")), CustomTokenExchangeError, "token_exchange_failed", "failed discovery");
    eq(e.status, 503, "status of the failed discovery");
    failDiscovery = false;
    const results = await Promise.all(Array.from({ length: 10 }, () => c.customTokenExchange(legacy("alice"))));
    ok(results.every((r) => r.accessToken), "every concurrent exchange succeeds");
    eq(counts, { discovery: 2, token: 10 }, "one failed discovery, then one shared by ten concurrent calls");
  });

  test("concurrency: 1,000 concurrent exchanges, each its own tokens; discovery and JWKS fetched once", async () => {
    const port = new URL(env.issuer).port;
    const host = "127.0.0.5"; // a domain no other case uses: cold discovery and JWKS entries
    const counts = { discovery: 0, jwks: 0, token: 0 };
    const c = client("basic", {
      domain: `http://${host}:${port}`,
      timeoutMs: 60000,
      fetch: async (url, init) => {
        const req = new Request(url, init);
        const u = req.url.replace(host, "127.0.0.1");
        if (u.endsWith("/openid-configuration")) {
          counts.discovery++;
          const doc = await (await fetch(u, init)).json();
          // Same provider, seen under this host: the issuer matches, the ID tokens' iss is the real one.
          return Response.json({ ...seenAt(doc, host), issuer: `http://${host}:${port}/` });
        }
        if (u.endsWith("/jwks.json")) counts.jwks++;
        else counts.token++;
        return fetch(new Request(u, req));
      },
    });
    // With actor tokens the client verifies each ID token: it fetches the alias JWKS URL (a cold
    // cache entry) and checks the signature, then the issuer check fails (the provider signs
    // with its real issuer), which per BEHAVIOUR.md §2.5 only leaves `act` undefined.
    const bob = await client().customTokenExchange(legacy("bob", { audience: AUDIENCE }));
    const users = ["alice", "carol"];
    const n = 1000;
    const results = await Promise.all(Array.from({ length: n }, (_, i) =>
      c.customTokenExchange(legacy(users[i % 2], { scope: "openid", actorToken: bob.accessToken, actorTokenType: TokenType.ACCESS_TOKEN }))));
    results.forEach((r, i) => eq([claims(r.idToken).sub, claims(r.idToken).act], [`auth0|${users[i % 2]}`, { sub: "auth0|bob" }], `exchange ${i} got its own tokens`));
    results.forEach((r, i) => eq(r.act, undefined, `exchange ${i}: act unverifiable under the alias issuer`));
    eq(new Set(results.map((r) => r.accessToken)).size, n, "1,000 distinct access tokens");
    eq(counts, { discovery: 1, jwks: 1, token: n }, "one discovery and one JWKS fetch for 1,000 concurrent exchanges");

    // On the real domain the same concurrent delegated exchanges verify and carry act.
    const delegated = await Promise.all(Array.from({ length: 200 }, (_, i) =>
      client("basic", { timeoutMs: 60000 }).customTokenExchange(legacy(users[i % 2], { scope: "openid", actorToken: bob.accessToken, actorTokenType: TokenType.ACCESS_TOKEN }))));
    delegated.forEach((r, i) => eq(r.act, { sub: "auth0|bob" }, `delegated exchange ${i} has act`));
  });

  test("private_key_jwt with a non-extractable CryptoKey", async () => {
    const pem = env.pkjwtKey.replace(/-----[^-]+-----|\s/g, "");
    const der = Uint8Array.from(atob(pem), (ch) => ch.charCodeAt(0));
    const key = await crypto.subtle.importKey("pkcs8", der, { name: "RSASSA-PKCS1-v1_5", hash: "SHA-256" }, false, ["sign"]);
    const c = new ServerClient({ domain: env.issuer, clientId: CLIENTS.privateKeyJwt.clientId, clientAssertionSigningKey: key, secret: SECRET });
    const r = await c.customTokenExchange(legacy("alice", { scope: "openid" }));
    eq(claims(r.idToken).sub, "auth0|alice", "exchanged with a CryptoKey-signed assertion");
  });

  // ---------------------------------------------------------------------------------------
  // Sessions (BEHAVIOUR.md §3, §4), once per store the runtime offers (env.storeKinds).
  const { IdTokenError, AccessTokenError, StoreError } = pkg;
  const login = (c, jar, user, extra = {}) =>
    jar.call((so) => c.loginWithCustomTokenExchange(legacy(user, { audience: AUDIENCE, scope: "openid profile offline_access read:data", ...extra }), so));

  for (const kind of env.storeKinds ?? []) {
    const sessionClient = (extra = {}) => client("basic", { stateStore: kind.create(), ...extra });

    test(`[${kind.label}] session: login, getUser, getSession, stored token, refresh when due, logout`, async () => {
      const c = sessionClient();
      const jar = cookieJar();
      const { stateData } = await login(c, jar, "alice");
      eq(stateData.user.sub, "auth0|alice", "stateData.user.sub");
      ok(stateData.internal && typeof stateData.internal.sid === "string", "login returns internal.sid");
      eq(stateData.tokenSets.map((t) => t.audience), [AUDIENCE], "one token set for the audience");
      ok(typeof stateData.refreshToken === "string", "refresh token kept");
      for (const claim of ["aud", "exp", "iat", "nonce", "azp", "at_hash", "jti"]) ok(!(claim in stateData.user), `no ${claim} in user`);

      const user = await jar.call((so) => c.getUser(so));
      eq([user.sub, user.name], ["auth0|alice", "Alice Liddell"], "getUser");
      const session = await jar.call((so) => c.getSession(so));
      eq(Object.keys(session).sort(), ["domain", "idToken", "refreshToken", "tokenSets", "user"], "getSession keys, no internal");
      eq(session.domain, new URL(env.issuer).host, "domain is host:port");

      const set = await jar.call((so) => c.getAccessToken({ audience: AUDIENCE }, so));
      eq(set, stateData.tokenSets[0], "getAccessToken returns the stored token set");
      const stored = set.accessToken;

      const refreshedSet = await later(3590, () => jar.call((so) => c.getAccessToken({ audience: AUDIENCE }, so)));
      eq(Object.keys(refreshedSet).sort(), ["accessToken", "audience", "expiresAt", "scope", "tokenType"], "a token set");
      ok(refreshedSet.expiresAt > stateData.tokenSets[0].expiresAt, "a later expiry");
      const refreshed = refreshedSet.accessToken;
      ok(refreshed !== stored, "a token within 30 s of expiry is refreshed");
      eq(claims(refreshed).aud, AUDIENCE, "refreshed token's audience");
      eq(claims(refreshed).act, undefined, "no act in a refreshed token");
      eq((await jar.call((so) => c.getAccessToken({ audience: AUDIENCE }, so))).accessToken, refreshed, "the refreshed token was stored");
      eq((await jar.call((so) => c.getUser(so))).sub, "auth0|alice", "user kept after refresh");

      const url = await jar.call((so) => c.logout({ returnTo: "https://app.example/bye" }, so));
      const endSession = (await (await fetch(new URL(".well-known/openid-configuration", env.issuer.replace(/\/?$/, "/")))).json()).end_session_endpoint;
      ok(typeof endSession === "string", "the provider advertises an end_session_endpoint");
      eq(url, `${endSession}?client_id=${CLIENTS.basic.clientId}&post_logout_redirect_uri=https%3A%2F%2Fapp.example%2Fbye`, "logout URL: the tenant's end_session_endpoint");
      eq(await jar.call((so) => c.getSession(so)), undefined, "no session after logout");
      eq(jar.names(), [], "no cookie left behind");
      if (kind.count) eq(await kind.count(), 0, "store entry gone");
      await rejects(jar.call((so) => c.getAccessToken(undefined, so)), AccessTokenError, "missing_session", "after logout");
    });

    test(`[${kind.label}] session: delegated login keeps act on the user; no refresh token`, async () => {
      const c = sessionClient();
      const jar = cookieJar();
      const bob = await c.customTokenExchange(legacy("bob", { audience: AUDIENCE }));
      const { stateData } = await login(c, jar, "alice", { actorToken: bob.accessToken, actorTokenType: TokenType.ACCESS_TOKEN });
      eq(stateData.user.act, { sub: "auth0|bob" }, "act in stateData.user");
      eq((await jar.call((so) => c.getUser(so))).act, { sub: "auth0|bob" }, "act from getUser");
      eq(stateData.refreshToken, undefined, "no refresh token with an actor");
      await later(3590, () => rejects(jar.call((so) => c.getAccessToken({ audience: AUDIENCE }, so)), AccessTokenError, "missing_refresh_token", "expired, no refresh token"));
      await jar.call((so) => c.logout(undefined, so));
    });

    test(`[${kind.label}] session: a session older than sessionDuration is gone`, async () => {
      const c = sessionClient({ sessionDuration: 60 });
      const jar = cookieJar();
      await login(c, jar, "alice");
      ok(await jar.call((so) => c.getSession(so)), "fresh session");
      eq(await later(61, () => jar.call((so) => c.getSession(so))), undefined, "expired session");
      if (kind.count) eq(await kind.count(), 0, "expired entry deleted");
    });
  }

  test("CookieStore: a fat session spans several chunks; a smaller one expires the surplus", async () => {
    const domain = "https://fat.fake.example";
    const tenant = await fakeTenant(domain, CLIENTS.basic.clientId);
    const c = client("basic", { domain, fetch: tenant.fetch, stateStore: new pkg.CookieStore() });
    const jar = cookieJar();
    tenant.state.claims = { bio: "b".repeat(1500) };
    await jar.call((so) => c.loginWithCustomTokenExchange(legacy("alice"), so));
    const fat = jar.names();
    ok(fat.length >= 2 && fat.length <= 4 && fat.every((n, i) => fat.includes(`__Host-_a0_session_${i}`)), `chunks: ${fat}`);
    ok(fat.every((n) => jar.get(n).length <= 3072), "each chunk at most 3072 characters");
    eq((await jar.call((so) => c.getUser(so))).bio, "b".repeat(1500), "the fat claim round-trips");
    tenant.state.claims = {};
    await jar.call((so) => c.loginWithCustomTokenExchange(legacy("alice"), so));
    ok(jar.names().length < fat.length, `surplus chunks expired: ${jar.names()}`);
    eq((await jar.call((so) => c.getUser(so))).sub, "auth0|fake", "the smaller session reads back");
  });

  test("cookie names: __Host- by default (Secure, Path=/), plain with secure: false or another path, cookieName as given", async () => {
    for (const [options, name] of [
      [{}, "__Host-_a0_session_0"],
      [{ secure: false }, "_a0_session_0"],
      [{ path: "/app" }, "_a0_session_0"],
      [{ cookieName: "sess" }, "sess_0"],
    ]) {
      const c = client("basic", { stateStore: new pkg.CookieStore(options) });
      const jar = cookieJar();
      await jar.call((so) => c.loginWithCustomTokenExchange(legacy("alice", { scope: "openid" }), so));
      ok(jar.names().includes(name), `${JSON.stringify(options)}: ${jar.names()}`);
      eq((await jar.call((so) => c.getUser(so))).sub, "auth0|alice", `${JSON.stringify(options)}: read back`);
    }
  });

  test("login always asks for openid (never twice) and so always has a user; customTokenExchange sends the scope as given", async () => {
    const seen = [];
    const c = client("basic", { fetch: recordingFetch(seen), stateStore: new pkg.MemoryStore() });
    const scopes = async () => (await Promise.all(seen.filter((r) => r.method === "POST").map((r) => r.text()))).map((b) => new URLSearchParams(b).getAll("scope"));
    for (const [given, sent] of [[undefined, ["openid"]], ["profile email", ["openid profile email"]], ["profile openid", ["profile openid"]]]) {
      seen.length = 0;
      const { stateData } = await c.loginWithCustomTokenExchange(legacy("alice", given === undefined ? {} : { scope: given }));
      eq(await scopes(), [sent], `scope ${JSON.stringify(given)} sent as`);
      eq(stateData.user && stateData.user.sub, "auth0|alice", `scope ${JSON.stringify(given)}: the session has a user`);
    }
    seen.length = 0;
    const r = await c.customTokenExchange(legacy("alice", { scope: "profile" }));
    eq(await scopes(), [["profile"]], "customTokenExchange: the scope as given");
    eq(r.idToken, undefined, "no ID token without openid");
  });

  test("requestedTokenType: sent as requested_token_type after organization; never from authorizationParams; blank is invalid_parameter", async () => {
    const seen = [];
    const c = client("basic", { fetch: recordingFetch(seen) });
    await c.customTokenExchange(legacy("alice", {
      organization: "org_acme", requestedTokenType: TokenType.ACCESS_TOKEN,
      authorizationParams: { requested_token_type: "urn:not:this", extra: "1" },
    }));
    const keys = [...new URLSearchParams(await seen[seen.length - 1].text()).entries()];
    eq(keys.filter(([k]) => k === "requested_token_type"), [["requested_token_type", TokenType.ACCESS_TOKEN]], "sent once, the typed value");
    const names = keys.map(([k]) => k);
    eq(names.indexOf("requested_token_type"), names.indexOf("organization") + 1, "right after organization");
    for (const bad of ["", "  ", 42]) {
      await rejects(c.customTokenExchange(legacy("alice", { requestedTokenType: bad })), CustomTokenExchangeError, "invalid_parameter", `requestedTokenType ${JSON.stringify(bad)}`);
    }
  });

  test("a lone Bearer is invalid_token_format, as a Bearer prefix is", async () => {
    const c = client();
    for (const token of ["Bearer", "Bearer ", "  bearer\t"]) {
      await rejects(c.customTokenExchange(legacy("x", { subjectToken: token })), CustomTokenExchangeError, "invalid_token_format", `subjectToken ${JSON.stringify(token)}`);
      await rejects(c.customTokenExchange(legacy("alice", { actorToken: token, actorTokenType: TokenType.ACCESS_TOKEN })), CustomTokenExchangeError, "invalid_token_format", `actorToken ${JSON.stringify(token)}`);
    }
  });

  test("expires_in is optional (RFC 8693 §2.2.1): expiresIn undefined; a session's token set expires at the JWT's exp, else with the session", async () => {
    /** The real token response without expires_in, its access token replaced by `accessToken(body)`. */
    const withoutExpiresIn = (accessToken = (b) => b.access_token) =>
      editTokenAnswers(({ expires_in, ...rest }) => ({ ...rest, access_token: accessToken(rest) }));
    const r = await client("basic", { fetch: withoutExpiresIn() }).customTokenExchange(legacy("alice", { audience: AUDIENCE }));
    ok(typeof r.accessToken === "string" && r.expiresIn === undefined && !("expiresIn" in r), "expiresIn absent");
    for (const bad of [null, -1, "1h"]) {
      const c = client("basic", { fetch: editTokenAnswers((body) => ({ ...body, expires_in: bad })) });
      await rejects(c.customTokenExchange(legacy("alice")), CustomTokenExchangeError, "invalid_response", `expires_in ${JSON.stringify(bad)}`);
    }
    const jwt = client("basic", { fetch: withoutExpiresIn(), stateStore: new pkg.MemoryStore() });
    const { stateData } = await jwt.loginWithCustomTokenExchange(legacy("alice", { audience: AUDIENCE }));
    eq(stateData.tokenSets[0].expiresAt, claims(stateData.tokenSets[0].accessToken).exp, "a JWT access token: its exp");
    const opaque = client("basic", { fetch: withoutExpiresIn(() => "an-opaque-access-token"), stateStore: new pkg.MemoryStore(), sessionDuration: 7200 });
    const s = (await opaque.loginWithCustomTokenExchange(legacy("alice", { audience: AUDIENCE }))).stateData;
    eq(s.tokenSets[0].expiresAt, s.internal.createdAt + 7200, "an opaque access token: the session's absolute expiry");
  });

  test("bounded inputs: tokens at most 64 KiB, other options and authorizationParams values 8 KiB, authorizationParams 64 KiB in all", async () => {
    const KiB = 1024;
    const seen = [];
    const c = client("basic", { fetch: recordingFetch(seen) });
    const cases = [
      ["subjectToken of 64 KiB + 1", legacy("x", { subjectToken: "a".repeat(64 * KiB + 1) }), "invalid_token_format"],
      ["subjectToken of 21,846 euro signs (64 KiB + 2 in UTF-8)", legacy("x", { subjectToken: "\u20ac".repeat(21846) }), "invalid_token_format"],
      ["actorToken of 64 KiB + 1", legacy("alice", { actorToken: "a".repeat(64 * KiB + 1), actorTokenType: TokenType.ACCESS_TOKEN }), "invalid_token_format"],
      ["scope of 8 KiB + 1", legacy("alice", { scope: "s".repeat(8 * KiB + 1) }), "invalid_parameter"],
      ["audience of 4,097 e-acute (8 KiB + 2 in UTF-8)", legacy("alice", { audience: "\u00e9".repeat(4097) }), "invalid_parameter"],
      ["an authorizationParams value of 8 KiB + 1", legacy("alice", { authorizationParams: { x: "v".repeat(8 * KiB + 1) } }), "invalid_parameter"],
      ["authorizationParams over 64 KiB in all", legacy("alice", { authorizationParams: Object.fromEntries(Array.from({ length: 8 }, (_, i) => [`k${i}`, "v".repeat(8 * KiB)])) }), "invalid_parameter"],
    ];
    for (const [label, options, code] of cases) {
      const e = await rejects(c.customTokenExchange(options), CustomTokenExchangeError, code, label);
      ok(/KiB/.test(e.message), `${label}: the message names the limit (${e.message})`);
    }
    eq(seen.length, 0, "no request sent");
    // At the limits the options go out, and the provider decides.
    const r = await c.customTokenExchange(legacy("alice", { scope: "openid", authorizationParams: { x: "v".repeat(8 * KiB) } }));
    ok(typeof r.accessToken === "string", "an authorizationParams value of 8 KiB is sent");
    let sent;
    try {
      await c.customTokenExchange(legacy("x", { subjectToken: "a".repeat(64 * KiB) }));
    } catch (e) {
      sent = e;
    }
    eq(seen.filter((q) => q.method === "POST").length, 2, "a 64 KiB subject token is sent");
    ok(sent instanceof CustomTokenExchangeError && sent.status === 400, `the provider's answer: ${sent && sent.code}`);
  });

  test("bounded responses: 1 MiB counted as the body is read; Content-Length refuses early only without Content-Encoding", async () => {
    /** The token endpoint's answer replaced by `make(json)`; discovery and JWKS pass through. */
    const tokenAnswer = (make) => async (input, init) => {
      const req = new Request(input, init);
      const r = await fetch(req);
      return req.method === "POST" ? make(await r.text()) : r;
    };
    const json = { "content-type": "application/json" };
    const streamed = (chunks) => new ReadableStream({ start(c) { for (const ch of chunks) c.enqueue(ch); c.close(); } });
    const MiB = 1 << 20;
    const over = client("basic", { fetch: tokenAnswer(() => new Response(streamed([new Uint8Array(MiB).fill(32), new TextEncoder().encode("{}")]), { headers: json })) });
    await rejects(over.customTokenExchange(legacy("alice")), CustomTokenExchangeError, "invalid_response", "1 MiB + 2 streamed without a length");
    const declared = client("basic", { fetch: tokenAnswer((body) => new Response(body, { headers: { ...json, "content-length": String(2 * MiB) } })) });
    await rejects(declared.customTokenExchange(legacy("alice")), CustomTokenExchangeError, "invalid_response", "2 MiB declared, no Content-Encoding: refused early");
    const encoded = client("basic", { fetch: tokenAnswer((body) => new Response(body, { headers: { ...json, "content-encoding": "gzip", "content-length": String(2 * MiB) } })) });
    ok(typeof (await encoded.customTokenExchange(legacy("alice"))).accessToken === "string", "2 MiB declared with Content-Encoding: read and counted, small, accepted");
  });

  test("no stateStore: every session method is ConfigurationError missing_state_store before any request; customTokenExchange works", async () => {
    const seen = [];
    const c = client("basic", { fetch: recordingFetch(seen) });
    const calls = {
      loginWithCustomTokenExchange: () => c.loginWithCustomTokenExchange(legacy("alice", { scope: "openid" })),
      getSession: () => c.getSession(),
      getUser: () => c.getUser(),
      getAccessToken: () => c.getAccessToken(),
      logout: () => c.logout(),
    };
    for (const [name, call] of Object.entries(calls)) {
      const e = await rejects(call(), ConfigurationError, "missing_state_store", name);
      ok(/stateStore/.test(e.message), `${name}: the message names the option`);
    }
    eq(seen.length, 0, "no request sent");
    ok(typeof (await c.customTokenExchange(legacy("alice"))).accessToken === "string", "customTokenExchange needs no store");
  });

  test("session: another tenant's session reads as none, is not deleted, and its refresh token is never sent there", async () => {
    const store = sealedStore();
    await client("basic", { stateStore: store }).loginWithCustomTokenExchange(legacy("alice", { audience: AUDIENCE, scope: "openid offline_access" }));
    ok(typeof store.sealed === "string", "tenant A's session");
    const seen = [];
    // Same client id, secret and identifier: only the tenant differs.
    const other = client("basic", { domain: "https://tenant-b.example", stateStore: store, fetch: recordingFetch(seen) });
    eq(await other.getSession(), undefined, "getSession under tenant B");
    eq(await other.getUser(), undefined, "getUser under tenant B");
    await later(3590, () => rejects(other.getAccessToken({ audience: AUDIENCE }), AccessTokenError, "missing_session", "getAccessToken under tenant B"));
    eq(seen.length, 0, "nothing sent to tenant B");
    eq(store.deletes, 0, "the session was not deleted");
    eq((await client("basic", { stateStore: store }).getUser()).sub, "auth0|alice", "still tenant A's session");
  });

  test("session: a refreshed ID token that fails verification fails the refresh (refresh_token_error) and leaves the session as it was", async () => {
    const store = sealedStore();
    let tampered = 0;
    const c = client("basic", {
      stateStore: store,
      fetch: editTokenAnswers((body, form) => {
        if (!form.includes("grant_type=refresh_token")) return body;
        ok(typeof body.id_token === "string", "the refresh returned an ID token");
        tampered++;
        return { ...body, id_token: flipSignature(body.id_token) };
      }),
    });
    await c.loginWithCustomTokenExchange(legacy("alice", { audience: AUDIENCE, scope: "openid offline_access" }));
    const before = store.sealed;
    const e = await later(3590, () => rejects(c.getAccessToken({ audience: AUDIENCE }), AccessTokenError, "refresh_token_error", "tampered ID token"));
    ok(e.cause instanceof IdTokenError && e.cause.code === "invalid_signature", `cause: ${e.cause && e.cause.code}`);
    eq(tampered, 1, "one refresh");
    eq(store.sealed, before, "the session is as it was");
  });

  test("session: one that records no domain (sealed by an older SDK) is the static domain's, but none under a domain function, left in place, its refresh token never sent (BEHAVIOUR.md §10.4)", async () => {
    const store = sealedStore();
    await client("basic", { stateStore: store }).loginWithCustomTokenExchange(legacy("alice", { audience: AUDIENCE, scope: "openid offline_access" }));
    store.sealed = await withoutDomain(store.sealed, SECRET, "_a0_session");
    const [before, sets] = [store.sealed, store.sets];
    eq((await client("basic", { stateStore: store }).getUser()).sub, "auth0|alice", "a static domain reads it");
    const seen = [];
    const resolved = client("basic", { domain: () => env.issuer, allowedDomains: [env.issuer], stateStore: store, fetch: recordingFetch(seen) });
    eq(await resolved.getSession({}), undefined, "none under a domain function");
    await later(3590, () => rejects(resolved.getAccessToken({ audience: AUDIENCE }, {}), AccessTokenError, "missing_session", "no refresh"));
    eq([store.sealed === before, store.deletes, store.sets - sets], [true, 0, 0], "left as it was");
    eq(seen.length, 0, "no request: its refresh token was never sent");
  });

  test("session: a refreshed ID token must be the session user's (BEHAVIOUR.md §10.5): another user's, though valid, fails the refresh and leaves the session byte-identical", async () => {
    const bobs = (await client("basic").customTokenExchange(legacy("bob", { scope: "openid" }))).idToken;
    ok(typeof bobs === "string", "a valid ID token of bob's, from the same tenant and client");
    const store = sealedStore();
    let swap = false;
    let refreshes = 0;
    const c = client("basic", {
      stateStore: store,
      fetch: editTokenAnswers((body, form) => {
        if (!form.includes("grant_type=refresh_token")) return body;
        refreshes++;
        return swap ? { ...body, id_token: bobs } : body;
      }),
    });
    await c.loginWithCustomTokenExchange(legacy("alice", { audience: AUDIENCE, scope: "openid offline_access" }));
    swap = true;
    const before = store.sealed;
    const e = await later(3590, () => rejects(c.getAccessToken({ audience: AUDIENCE }), AccessTokenError, "refresh_token_error", "bob's ID token"));
    ok(e.cause instanceof IdTokenError && e.cause.code === "invalid_token", `cause: ${e.cause && e.cause.code}`);
    eq(store.sealed, before, "the session is byte-identical");
    // Control: the same refresh with alice's own refreshed ID token is accepted.
    swap = false;
    eq(typeof (await later(3590, () => c.getAccessToken({ audience: AUDIENCE }))).accessToken, "string", "a refresh with alice's ID token");
    eq(refreshes, 2, "two refreshes");
    eq((await c.getUser()).sub, "auth0|alice", "still alice's");
  });

  test("session transfer: the actor defaults to the session's ID token, audience urn:{host}:session_transfer, nothing written; the redirect URL", async () => {
    const seen = [];
    const store = sealedStore();
    const c = client("basic", { stateStore: store, fetch: recordingFetch(seen) });
    await rejects(c.requestSessionTransferToken(legacy("alice")), CustomTokenExchangeError, "missing_actor_token", "no actor and no session");
    eq(seen.length, 0, "nothing sent");
    await c.loginWithCustomTokenExchange(legacy("alice"));
    const idToken = (await c.getSession()).idToken;
    const writes = store.sets;
    seen.length = 0;
    const t = await c.requestSessionTransferToken(legacy("alice"));
    eq(Object.keys(t).sort(), ["expiresIn", "issuedTokenType", "sessionTransferToken", "tokenType"], "the result's fields");
    ok(t.sessionTransferToken.startsWith("stt_"), "the token");
    eq([t.issuedTokenType, t.expiresIn], ["urn:auth0:params:oauth:token-type:session_transfer_token", 60], "as the server sent them");
    const form = new URLSearchParams(await seen.find((r) => r.method === "POST").text());
    eq(form.get("audience"), `urn:${new URL(env.issuer).host}:session_transfer`, "audience");
    eq([form.get("actor_token") === idToken, form.get("actor_token_type")], [true, TokenType.ID_TOKEN], "the session's ID token acts");
    eq(store.sets, writes, "no session written");
    await rejects(c.requestSessionTransferToken(legacy("alice", { organization: " " })), CustomTokenExchangeError, "invalid_parameter", "a blank organization");
    // An explicit actor needs no session, and no store.
    const storeless = client("basic");
    const bob = await storeless.customTokenExchange(legacy("bob", { audience: AUDIENCE }));
    const byBob = await storeless.requestSessionTransferToken(legacy("alice", { actorToken: bob.accessToken, actorTokenType: TokenType.ACCESS_TOKEN }));
    ok(byBob.sessionTransferToken.startsWith("stt_"), "an explicit actor");
    await rejects(storeless.requestSessionTransferToken(legacy("alice")), ConfigurationError, "missing_state_store", "no actor and no store");
    // The redirect: the target's query kept, the token and organization added.
    const url = new URL(c.buildSessionTransferRedirect("https://web.example/login?lang=en", t, { organization: "org_acme" }));
    eq([url.origin + url.pathname, [...url.searchParams]], ["https://web.example/login", [["lang", "en"], ["session_transfer_token", t.sessionTransferToken], ["organization", "org_acme"]]], "redirect");
    ok(c.buildSessionTransferRedirect("http://127.0.0.1:3000/login", t).startsWith("http://127.0.0.1:3000/login?session_transfer_token=stt_"), "http for a loopback host");
    for (const bad of ["http://web.example/login", "/login", "web.example", "javascript:alert(1)", 42]) {
      let e;
      try {
        c.buildSessionTransferRedirect(bad, t);
      } catch (err) {
        e = err;
      }
      ok(e instanceof ConfigurationError && e.code === "invalid_parameter" && /targetLoginUrl/.test(e.message), `${JSON.stringify(bad)}: ${e && e.code}`);
    }
  });

  test("several custom domains: domain as a function of storeOptions, once per call; discovery per domain; a session of one domain is none under another", async () => {
    const calls = [];
    const other = "http://127.0.0.1:65533"; // another domain: nothing answers there
    const seen = [];
    const c = client("basic", {
      domain: async (so) => (calls.push(so && so.tenant), so && so.tenant === "b" ? other : env.issuer),
      allowedDomains: [env.issuer, other],
      stateStore: new pkg.MemoryStore(),
      fetch: recordingFetch(seen),
      timeoutMs: 2000,
    });
    const a = { tenant: "a" };
    ok(typeof (await c.customTokenExchange(legacy("alice"), a)).accessToken === "string", "an exchange under domain a");
    const { stateData } = await c.loginWithCustomTokenExchange(legacy("alice"), a);
    eq(stateData.domain, new URL(env.issuer).host, "the session records its domain");
    eq((await c.getUser(a)).sub, "auth0|alice", "read under its domain");
    const requests = seen.length;
    eq(await c.getSession({ tenant: "b" }), undefined, "not under another domain");
    eq(seen.length, requests, "without a request");
    eq(calls, ["a", "a", "a", "b"], "the function: once per operation, with the store options");
    const e = await rejects(c.customTokenExchange(legacy("alice"), { tenant: "b" }), CustomTokenExchangeError, "token_exchange_failed", "domain b");
    ok(e.message.includes(`(${other}/.well-known/openid-configuration)`), `discovery at domain b's own URL: ${e.message}`);
    // A plain function works too; its answer is validated as a static domain would be.
    const allowedDomains = [env.issuer];
    ok(typeof (await client("basic", { domain: () => env.issuer, allowedDomains }).customTokenExchange(legacy("alice"))).accessToken === "string", "a synchronous function");
    for (const bad of [42, "http://example.com", "", undefined]) {
      await rejects(client("basic", { domain: () => bad, allowedDomains }).customTokenExchange(legacy("alice")), ConfigurationError, "invalid_domain", `an answer of ${JSON.stringify(bad)}`);
    }
    const thrown = new Error("no tenant for this host");
    const throwing = client("basic", { domain: () => { throw thrown; }, allowedDomains });
    const t = await rejects(throwing.customTokenExchange(legacy("alice")), ConfigurationError, "invalid_domain", "a throwing function");
    ok(t.cause === thrown, "its error as the cause");
  });

  test("allowed domains (BEHAVIOUR.md §10.1): a domain function needs allowedDomains; an answer outside it is domain_not_allowed before any request, naming the host, never a secret", async () => {
    await rejects(() => client("basic", { domain: () => env.issuer }), ConfigurationError, "missing_allowed_domains", "a resolver without allowedDomains");
    for (const bad of [[], "tenant.example.com", ["http://example.com"], [42]]) {
      await rejects(() => client("basic", { domain: () => env.issuer, allowedDomains: bad }), ConfigurationError, "invalid_domain", `allowedDomains ${JSON.stringify(bad)}`);
    }
    // A resolver fed a request's Host: the attacker's host gets nothing.
    const seen = [];
    const byHost = client("basic", { domain: (so) => so.host, allowedDomains: [env.issuer], fetch: recordingFetch(seen), stateStore: new pkg.MemoryStore() });
    for (const host of ["evil.example", "https://evil.example", `${new URL(env.issuer).hostname}.evil.example`]) {
      const e = await rejects(byHost.customTokenExchange(legacy("alice"), { host }), ConfigurationError, "domain_not_allowed", host);
      ok(e.message.includes(new URL(host.includes("://") ? host : `https://${host}`).host), `the message names the host: ${e.message}`);
      ok(!e.message.includes(CLIENTS.basic.clientSecret) && !e.message.includes("legacy-alice"), "no secret or token in the message");
      await rejects(byHost.loginWithCustomTokenExchange(legacy("alice"), { host }), ConfigurationError, "domain_not_allowed", `login at ${host}`);
    }
    eq(seen.length, 0, "no request was made");
    // Compared without case, trailing slash or default port.
    const issuer = new URL(env.issuer);
    const spelled = `${issuer.protocol}//${issuer.host.toUpperCase()}/`;
    eq(typeof (await byHost.customTokenExchange(legacy("alice"), { host: spelled })).accessToken, "string", `an allowed domain spelled ${spelled}`);
    // A static domain needs no list.
    eq(typeof (await client("basic").customTokenExchange(legacy("alice"))).accessToken, "string", "a static domain");
  });

  test("claims are data (BEHAVIOUR.md §10.6): __proto__, constructor and prototype claims are own properties of user, never its prototype", async () => {
    const domain = "https://claims.fake.example";
    const tenant = await fakeTenant(domain, CLIENTS.basic.clientId);
    tenant.state.claims = JSON.parse('{"__proto__": {"isAdmin": true}, "constructor": {"prototype": {"isAdmin": true}}, "prototype": 1, "role": "user"}');
    const c = client("basic", { domain, fetch: tenant.fetch, stateStore: new pkg.MemoryStore() });
    const { stateData } = await c.loginWithCustomTokenExchange(legacy("alice"));
    const users = { "the login's stateData.user": stateData.user, getUser: await c.getUser(), "getSession().user": (await c.getSession()).user };
    for (const [where, user] of Object.entries(users)) {
      eq(Object.getPrototypeOf(user) === Object.prototype, true, `${where}: a plain object's prototype`);
      eq(user.isAdmin, undefined, `${where}: nothing inherited from a claim`);
      eq(Object.hasOwn(user, "__proto__"), true, `${where}: __proto__ an own property`);
      eq(Object.getOwnPropertyDescriptor(user, "__proto__")?.value, { isAdmin: true }, `${where}: the __proto__ claim as data`);
      eq([user.constructor, user.prototype, user.role], [{ prototype: { isAdmin: true } }, 1, "user"], `${where}: the other claims as data`);
    }
  });

  test("CookieStore size limit (BEHAVIOUR.md §10.7): a login whose session needs more than 4 cookies is StoreError session_too_large; nothing written, the session held stays", async () => {
    const domain = "https://big.fake.example";
    const tenant = await fakeTenant(domain, CLIENTS.basic.clientId);
    const c = client("basic", { domain, fetch: tenant.fetch, stateStore: new pkg.CookieStore() });
    const jar = cookieJar();
    await jar.call((so) => c.loginWithCustomTokenExchange(legacy("alice"), so));
    const held = jar.names().map((n) => [n, jar.get(n)]);
    tenant.state.claims = { bio: "x".repeat(30 * 1024) };
    let written;
    const e = await rejects(jar.call((so) => ((written = so), c.loginWithCustomTokenExchange(legacy("alice"), so))), pkg.StoreError, "session_too_large", "a 30 KB claim");
    ok(/server-side store/.test(e.message), `the message says what to do: ${e.message}`);
    eq(written.response.headers.getSetCookie(), [], "no Set-Cookie");
    eq(jar.names().map((n) => [n, jar.get(n)]), held, "the cookies held are untouched");
    eq((await jar.call((so) => c.getUser(so))).sub, "auth0|fake", "the earlier session still reads");
  });

  test("discovered endpoints stay at the tenant (BEHAVIOUR.md §10.2): a token_endpoint, jwks_uri or end_session_endpoint elsewhere, or not https, is invalid_response naming it; nothing is sent there", async () => {
    const domain = "https://endpoints.fake.example";
    for (const field of ["token_endpoint", "jwks_uri", "end_session_endpoint"]) {
      for (const url of ["https://evil.example/x", `http://endpoints.fake.example/x`, "https://endpoints.fake.example@evil.example/x", "https://endpoints.fake.example.evil.example/x"]) {
        const tenant = await fakeTenant(domain, CLIENTS.basic.clientId);
        tenant.state.discovery = { [field]: url };
        const hosts = [];
        const fetch = (input, init) => (hosts.push(new URL(new Request(input, init).url).host), tenant.fetch(input, init));
        const c = client("basic", { domain, fetch });
        const e = await rejects(c.customTokenExchange(legacy("alice")), CustomTokenExchangeError, "invalid_response", `${field} ${url}`);
        ok(e.message.includes(field) && !e.message.includes("evil"), `the message names the field, not the URL: ${e.message}`);
        eq([...new Set(hosts)], ["endpoints.fake.example"], `${field} ${url}: requests only at the tenant`);
      }
    }
  });

  test("session-transfer redirects (BEHAVIOUR.md §10.3): no user info, https only, allowedRedirectOrigins when set; the token and organization replace planted ones; the fragment dropped", async () => {
    const t = { sessionTransferToken: "stt_ours", issuedTokenType: "urn:auth0:params:oauth:token-type:session_transfer_token" };
    const c = client("basic");
    for (const bad of ["https://a@evil.example/login", "https://user:pw@web.example/login", "http://web.example/login", "javascript:alert(1)", "data:text/html,x"]) {
      const e = await rejects(() => c.buildSessionTransferRedirect(bad, t), ConfigurationError, "invalid_parameter", bad);
      ok(!e.message.includes("evil") && !e.message.includes("pw"), `no part of the URL in the message: ${e.message}`);
    }
    const planted = new URL(c.buildSessionTransferRedirect("https://web.example/login?session_transfer_token=stt_planted&lang=en&organization=org_evil#frag", t, { organization: "org_acme" }));
    eq([...planted.searchParams], [["session_transfer_token", "stt_ours"], ["lang", "en"], ["organization", "org_acme"]], "replaced in place, not appended");
    eq(planted.hash, "", "the fragment is dropped");
    const only = client("basic", { allowedRedirectOrigins: ["https://web.example", "HTTPS://Other.Example:443/"] });
    for (const good of ["https://web.example/login", "https://other.example/x"]) ok(only.buildSessionTransferRedirect(good, t).startsWith(good), good);
    for (const bad of ["https://evil.example/login", "https://web.example:8443/login", "https://web.example.evil.example/"]) {
      const e = await rejects(() => only.buildSessionTransferRedirect(bad, t), ConfigurationError, "invalid_parameter", bad);
      ok(/allowedRedirectOrigins/.test(e.message), `${bad}: ${e.message}`);
    }
    await rejects(() => client("basic", { allowedRedirectOrigins: ["ftp://x"] }), ConfigurationError, "invalid_option", "a bad origin");
    await rejects(() => client("basic", { allowedRedirectOrigins: [] }), ConfigurationError, "invalid_option", "an empty list");
  });

  test("logout: /v2/logout with returnTo and federated when the tenant advertises no end_session_endpoint; the session is deleted", async () => {
    const domain = "https://logout.fake.example";
    const tenant = await fakeTenant(domain, CLIENTS.basic.clientId);
    const c = client("basic", { domain, fetch: tenant.fetch, stateStore: new pkg.MemoryStore() });
    await c.loginWithCustomTokenExchange(legacy("alice"));
    const url = new URL(await c.logout({ returnTo: "https://app.example/bye", federated: true }));
    eq([url.origin, url.pathname], [domain, "/v2/logout"], "the /v2/logout endpoint");
    eq([...url.searchParams], [["client_id", CLIENTS.basic.clientId], ["returnTo", "https://app.example/bye"], ["federated", ""]], "its parameters");
    eq(await c.getSession(), undefined, "the session is deleted");
    const plain = new URL(await c.logout());
    eq([...plain.searchParams], [["client_id", CLIENTS.basic.clientId]], "without options");
    await rejects(c.logout({ federated: "yes" }), ConfigurationError, "invalid_option", "federated must be a boolean");
  });

  test("ID token nbf: one in the future (past the 60 s leeway) is invalid_token; within the leeway it is accepted", async () => {
    const domain = "https://nbf.fake.example";
    const tenant = await fakeTenant(domain, CLIENTS.basic.clientId);
    const c = client("basic", { domain, fetch: tenant.fetch, stateStore: new pkg.MemoryStore() });
    const now = () => Math.floor(Date.now() / 1000);
    tenant.state.claims = { nbf: now() + 3600 };
    await rejects(c.loginWithCustomTokenExchange(legacy("alice", { scope: "openid" })), IdTokenError, "invalid_token", "nbf in an hour");
    eq(await c.getSession(), undefined, "no session");
    tenant.state.claims = { nbf: now() + 30 };
    eq((await c.loginWithCustomTokenExchange(legacy("alice", { scope: "openid" }))).stateData.user.sub, "auth0|fake", "nbf within the leeway");
  });

  test("JWKS under failure: not retried for 30 s; the keys in hand are kept while a refetch fails", async () => {
    const domain = "https://jwks.fake.example";
    const tenant = await fakeTenant(domain, CLIENTS.basic.clientId);
    const { state } = tenant;
    const c = client("basic", { domain, fetch: tenant.fetch, stateStore: new pkg.MemoryStore() });
    const login = () => c.loginWithCustomTokenExchange(legacy("alice", { scope: "openid" }));
    state.jwksFails = true;
    await rejects(login(), IdTokenError, "jwks_fetch_error", "JWKS down");
    await rejects(login(), IdTokenError, "jwks_fetch_error", "again at once");
    eq(state.jwksHits, 1, "the failed fetch was not retried");
    state.jwksFails = false;
    await later(31, login);
    eq(state.jwksHits, 2, "retried after 30 s");
    // A kid the cached JWKS lacks refetches it; that refetch fails; the cached keys still verify.
    state.jwksFails = true;
    state.kid = "k2";
    await later(62, () => rejects(login(), IdTokenError, "jwks_fetch_error", "unknown kid, JWKS down"));
    eq(state.jwksHits, 3, "one refetch");
    state.kid = "k1";
    await later(63, login);
    state.kid = "k2";
    await later(64, () => rejects(login(), IdTokenError, "jwks_key_not_found", "unknown kid within 30 s of the failure"));
    eq(state.jwksHits, 3, "no request within 30 s of the failure");
    state.jwksFails = false;
    state.published = ["k1", "k2"];
    await later(93, login);
    eq(state.jwksHits, 4, "the new key set fetched once the window passed");
  });

  test("session: an ID token that fails verification writes no session", async () => {
    let writes = 0;
    const store = { get: async () => undefined, set: async () => void writes++, delete: async () => {} };
    const c = client("basic", {
      stateStore: store,
      fetch: editTokenAnswers((body) => ({ ...body, id_token: flipSignature(body.id_token) })),
    });
    await rejects(c.loginWithCustomTokenExchange(legacy("alice", { scope: "openid" })), IdTokenError, "invalid_signature", "tampered signature");
    eq(writes, 0, "no session written");
  });

  /** A refresh grant of the rotating client, sent directly to the provider. */
  const rotatingRefresh = async (refreshToken) => {
    const enc = (v) => new URLSearchParams({ v }).toString().slice(2); // RFC 6749 §2.3.1
    const auth = `Basic ${btoa(`${enc(CLIENTS.rotating.clientId)}:${enc(CLIENTS.rotating.clientSecret)}`)}`;
    const discovery = await (await fetch(new URL("/.well-known/openid-configuration", env.issuer))).json();
    const body = new URLSearchParams({ grant_type: "refresh_token", refresh_token: refreshToken });
    return fetch(discovery.token_endpoint, { method: "POST", headers: { authorization: auth, "content-type": "application/x-www-form-urlencoded" }, body });
  };

  test("refresh: 100 concurrent getAccessToken calls that need a refresh send one grant; all get the same token set; rotation keeps the grant alive", async () => {
    const seen = [];
    let writes = 0;
    const memory = new pkg.MemoryStore();
    const stateStore = { get: (...a) => memory.get(...a), set: (...a) => (writes++, memory.set(...a)), delete: (...a) => memory.delete(...a) };
    const c = client("rotating", { fetch: recordingFetch(seen), stateStore });
    const { stateData } = await c.loginWithCustomTokenExchange(legacy("alice", { audience: AUDIENCE, scope: "openid offline_access read:data" }));
    const refreshes = () => refreshGrants(seen);
    writes = 0;
    const audiences = [AUDIENCE, undefined];
    const sets = await later(3590, () => Promise.all(Array.from({ length: 100 }, (_, i) => c.getAccessToken({ audience: audiences[i % 2] }))));
    eq(await refreshes(), 1, "one refresh grant for 100 callers");
    eq(writes, 1, "the session written once");
    eq(new Set(sets.map((s) => s.accessToken)).size, 1, "every caller got the same token set");
    ok(sets[0].accessToken !== stateData.tokenSets[0].accessToken, "a new access token");
    const session = await c.getSession();
    ok(session.refreshToken !== stateData.refreshToken, "the rotated refresh token was stored");
    // The grant was not revoked by a reused refresh token: the stored one still refreshes.
    const r = await rotatingRefresh(session.refreshToken);
    eq(r.status, 200, "the grant is alive");
    ok(typeof (await r.json()).refresh_token === "string", "and rotates on");
  });

  if (env.refreshCoordinator) {
    test("refresh coordinator: a caller presenting a refresh token already refreshed (another isolate's stale read) gets that refresh's token set, no second grant; without the coordinator the grant is revoked", async () => {
      const seen = [];
      /** A store over a Map: one per simulated isolate, holding its own copy of the session. */
      const mapStore = (map = new Map()) => ({ get: async (k) => map.get(k), set: async (k, v) => void map.set(k, v), delete: async (k) => void map.delete(k), map });
      const first = mapStore();
      const coordinator = env.refreshCoordinator();
      const a = client("rotating", { fetch: recordingFetch(seen), stateStore: first, refreshCoordinator: coordinator });
      await a.loginWithCustomTokenExchange(legacy("alice", { audience: AUDIENCE, scope: "openid offline_access read:data" }));
      // Two more copies of the session as it is now, with the refresh token about to be rotated.
      const stale = () => mapStore(new Map(first.map));
      const [secondStore, thirdStore] = [stale(), stale()];
      const refreshes = () => refreshGrants(seen);
      const setA = await later(3590, () => a.getAccessToken({ audience: AUDIENCE }));
      eq(await refreshes(), 1, "A refreshed");
      const b = client("rotating", { fetch: recordingFetch(seen), stateStore: secondStore, refreshCoordinator: coordinator });
      const setB = await later(3590, () => b.getAccessToken({ audience: AUDIENCE }));
      eq(await refreshes(), 1, "B sent no grant: the coordinator answered A's result");
      eq(setB.accessToken, setA.accessToken, "B got A's token set");
      // The same stale read without a coordinator presents the consumed refresh token: Auth0's
      // reuse detection revokes the grant, and the refresh fails.
      const c = client("rotating", { stateStore: thirdStore });
      await later(3590, () => rejects(c.getAccessToken({ audience: AUDIENCE }), AccessTokenError, "refresh_token_error", "without a coordinator"));
    });
  }

  // DPoP (BEHAVIOUR.md §12). The thumbprint is computed here, not by the package: RFC 7638's
  // JSON of the exported public JWK, SHA-256, base64url.
  const dpopKeyPair = () => crypto.subtle.generateKey({ name: "ECDSA", namedCurve: "P-256" }, false, ["sign", "verify"]);
  const thumbprint = async (publicKey) => {
    const { crv, kty, x, y } = await crypto.subtle.exportKey("jwk", publicKey);
    const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(JSON.stringify({ crv, kty, x, y }))));
    return btoa(String.fromCharCode(...digest)).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
  };
  /** The DPoP proofs of the recorded token requests, decoded (header and claims). */
  const proofsOf = (seen) =>
    seen.filter((r) => r.method === "POST").map((r) => {
      const proof = r.headers.get("dpop");
      if (!proof) return undefined;
      const [h, p] = proof.split(".").slice(0, 2).map((part) => claims(`x.${part}.x`));
      return { header: h, claims: p };
    });

  test("DPoP: an exchange, a login, a refresh and a session transfer with a key send a proof each (fresh jti, htu without query) and get tokens bound to the key (cnf.jkt); a session stores tokenType", async () => {
    const keys = await dpopKeyPair();
    const jkt = await thumbprint(keys.publicKey);
    const seen = [];
    const c = client("dpop", { dpopKeyPair: keys, fetch: recordingFetch(seen), stateStore: new pkg.MemoryStore() });
    const r = await c.customTokenExchange(legacy("alice", { audience: AUDIENCE, scope: "openid read:data" }));
    eq(r.tokenType, "DPoP", "exchange: token_type");
    eq(claims(r.accessToken).cnf, { jkt }, "exchange: cnf.jkt is the key's thumbprint");
    const { stateData } = await c.loginWithCustomTokenExchange(legacy("alice", { audience: AUDIENCE, scope: "openid offline_access read:data" }));
    eq([stateData.tokenSets[0].tokenType, claims(stateData.tokenSets[0].accessToken).cnf], ["DPoP", { jkt }], "login: a bound token set, its type stored");
    const refreshed = await later(3590, () => c.getAccessToken({ audience: AUDIENCE }));
    ok(refreshed.accessToken !== stateData.tokenSets[0].accessToken, "refresh: a new token");
    eq([refreshed.tokenType, claims(refreshed.accessToken).cnf], ["DPoP", { jkt }], "refresh: bound to the key");
    const t = await c.requestSessionTransferToken(legacy("alice"));
    // A session transfer token is opaque (N_A) and redeemed by a browser; the provider records
    // the key whose proof it validated on the request, and its introspection answers it.
    const stt = await (await fetch(new URL("oauth/session-transfer/introspect", env.issuer), { method: "POST", body: new URLSearchParams({ token: t.sessionTransferToken }) })).json();
    eq([t.tokenType, stt.active, stt.cnf], ["N_A", true, { jkt }], "session transfer: the token is recorded with the key's thumbprint");
    const proofs = proofsOf(seen);
    eq(proofs.length, 4, "four token requests");
    ok(proofs.every((p) => p !== undefined), "each with a DPoP proof");
    const { token_endpoint: tokenEndpoint } = await (await fetch(new URL("/.well-known/openid-configuration", env.issuer))).json();
    for (const p of proofs) {
      eq([p.header.typ, p.header.alg, p.header.jwk.kty, p.header.jwk.crv, "d" in p.header.jwk], ["dpop+jwt", "ES256", "EC", "P-256", false], "header: typ, alg, the public JWK only");
      eq([p.claims.htm, p.claims.htu], ["POST", tokenEndpoint.split("?")[0]], "htm, htu");
      ok(Math.abs(p.claims.iat - Date.now() / 1000) < 60 * 60, "iat");
    }
    eq(new Set(proofs.map((p) => p.claims.jti)).size, 4, "never the same jti twice");
    const session = await c.getSession();
    eq(session.tokenSets.map((s) => s.tokenType), ["DPoP"], "the session's token set keeps its type");
  });

  test("DPoP: a nonce challenge (400 use_dpop_nonce + DPoP-Nonce) is met by one retry; the nonce is kept for the next call; a second challenge is the error; without a key a DPoP-capable client gets Bearer", async () => {
    const keys = await dpopKeyPair();
    const seen = [];
    // Passes requests on; while `stale` is set, a successful token answer carries a DPoP-Nonce the
    // provider never issued, which the client keeps: its next proof meets the provider's challenge.
    let stale = true;
    const fetchWithStaleNonce = async (input, init) => {
      const req = new Request(input, init);
      seen.push(req.clone());
      const res = await fetch(req);
      if (!stale || req.method !== "POST" || res.status !== 200) return res;
      const headers = new Headers(res.headers);
      headers.set("dpop-nonce", "a-nonce-the-provider-never-issued");
      return new Response(res.body, { status: res.status, headers });
    };
    const c = client("dpopNonce", { dpopKeyPair: keys, fetch: fetchWithStaleNonce });
    await c.customTokenExchange(legacy("alice", { audience: AUDIENCE }));
    stale = false;
    seen.length = 0;
    const r = await c.customTokenExchange(legacy("alice", { audience: AUDIENCE }));
    eq([r.tokenType, claims(r.accessToken).cnf.jkt], ["DPoP", await thumbprint(keys.publicKey)], "bound, after the challenge");
    let proofs = proofsOf(seen);
    eq(proofs.length, 2, "one challenge, one retry");
    eq(proofs[0].claims.nonce, "a-nonce-the-provider-never-issued", "the first proof carried the kept nonce");
    ok(typeof proofs[1].claims.nonce === "string" && proofs[1].claims.nonce !== proofs[0].claims.nonce, "the retry carries the provider's");
    ok(proofs[0].claims.jti !== proofs[1].claims.jti, "a fresh proof for the retry");
    seen.length = 0;
    await c.customTokenExchange(legacy("bob", { audience: AUDIENCE }));
    proofs = proofsOf(seen);
    eq([proofs.length, proofs[0].claims.nonce], [1, proofs[0].claims.nonce ?? "none"], "the kept nonce: no challenge the next time");
    ok(typeof proofs[0].claims.nonce === "string", "the proof carries it");
    // A server that challenges every proof: one retry, then its error as it wrote it.
    let challenges = 0;
    const alwaysChallenging = async () => {
      challenges++;
      return Response.json({ error: "use_dpop_nonce", error_description: "Authorization server requires nonce in DPoP proof" }, { status: 400, headers: { "dpop-nonce": `n${challenges}` } });
    };
    const discovery = await (await fetch(new URL("/.well-known/openid-configuration", env.issuer))).json();
    const looping = client("dpop", { dpopKeyPair: keys, fetch: async (input, init) => (new Request(input, init).method === "POST" ? alwaysChallenging() : Response.json(discovery)) });
    const e = await rejects(looping.customTokenExchange(legacy("alice")), CustomTokenExchangeError, "use_dpop_nonce", "a second challenge");
    eq([challenges, e.status], [2, 400], "exactly one retry");
    const bearer = await client("dpop").customTokenExchange(legacy("alice", { audience: AUDIENCE }));
    eq([bearer.tokenType, claims(bearer.accessToken).cnf], ["Bearer", undefined], "no key: Bearer, reported as is");
  });

  test("DPoP: no silent downgrade: with a key, a Bearer answer is invalid_response (a refresh's is refresh_token_error); a key pair that cannot sign is invalid_option", async () => {
    const keys = await dpopKeyPair();
    const asBearer = editTokenAnswers((body) => ({ ...body, token_type: "Bearer" }));
    const c = client("dpop", { dpopKeyPair: keys, fetch: asBearer });
    const e = await rejects(c.customTokenExchange(legacy("alice", { audience: AUDIENCE })), CustomTokenExchangeError, "invalid_response", "a Bearer answer");
    ok(/token_type "Bearer"/.test(e.message), e.message);
    await rejects(c.loginWithCustomTokenExchange(legacy("alice"), {}), ConfigurationError, "missing_state_store", "no store");
    const store = new pkg.MemoryStore();
    const good = client("dpop", { dpopKeyPair: keys, stateStore: store });
    await good.loginWithCustomTokenExchange(legacy("alice", { scope: "openid offline_access" }));
    const downgraded = client("dpop", { dpopKeyPair: keys, stateStore: store, fetch: asBearer });
    await rejects(downgraded.getAccessToken({ audience: AUDIENCE }), pkg.AccessTokenError, "refresh_token_error", "a refresh answered Bearer");
    const extractable = await crypto.subtle.generateKey({ name: "ECDSA", namedCurve: "P-256" }, true, ["verify", "sign"]);
    for (const [label, pair] of [
      ["swapped", { privateKey: keys.publicKey, publicKey: keys.privateKey }],
      ["not keys", { privateKey: "k", publicKey: "k" }],
      ["a string", "key"],
      ["P-384", await crypto.subtle.generateKey({ name: "ECDSA", namedCurve: "P-384" }, false, ["sign", "verify"])],
      ["HMAC", { privateKey: await crypto.subtle.generateKey({ name: "HMAC", hash: "SHA-256" }, false, ["sign"]), publicKey: extractable.publicKey }],
    ]) {
      let error;
      try {
        client("dpop", { dpopKeyPair: pair });
      } catch (err) {
        error = err;
      }
      ok(error instanceof ConfigurationError && error.code === "invalid_option" && /dpopKeyPair/.test(error.message), `${label}: ${error && error.message}`);
    }
  });

  test("DPoP: with a key, getAccessToken hands out only bound tokens: a stored Bearer token set is refreshed into a DPoP one (once), or is missing_refresh_token without a refresh token", async () => {
    const keys = await dpopKeyPair();
    const store = new pkg.MemoryStore();
    await client("dpop", { stateStore: store }).loginWithCustomTokenExchange(legacy("alice", { audience: AUDIENCE, scope: "openid offline_access read:data" }));
    const seen = [];
    const keyed = client("dpop", { dpopKeyPair: keys, stateStore: store, fetch: recordingFetch(seen) });
    const set = await keyed.getAccessToken({ audience: AUDIENCE });
    eq([set.tokenType, claims(set.accessToken).cnf], ["DPoP", { jkt: await thumbprint(keys.publicKey) }], "refreshed into a bound token");
    const grants = () => refreshGrants(seen);
    eq(await grants(), 1, "one refresh");
    eq((await keyed.getAccessToken({ audience: AUDIENCE })).accessToken, set.accessToken, "then read from the session");
    eq(await grants(), 1, "no second refresh");
    const noRefresh = new pkg.MemoryStore();
    await client("dpop", { stateStore: noRefresh }).loginWithCustomTokenExchange(legacy("alice", { audience: AUDIENCE }));
    await rejects(client("dpop", { dpopKeyPair: keys, stateStore: noRefresh }).getAccessToken({ audience: AUDIENCE }), pkg.AccessTokenError, "missing_refresh_token", "a Bearer token and no refresh token");
  });

  test("DPoP at an API: fetchWithAuth sends the session's token with a proof the API's independent check accepts; the same token as Bearer is refused; a proof is never reused; the API's nonce challenge is met in one retry", async () => {
    const keys = await dpopKeyPair();
    const jkt = await thumbprint(keys.publicKey);
    const seen = [];
    const c = client("dpop", { dpopKeyPair: keys, fetch: recordingFetch(seen), stateStore: new pkg.MemoryStore() });
    const { stateData } = await c.loginWithCustomTokenExchange(legacy("alice", { audience: AUDIENCE, scope: "openid read:data" }));
    const api = new URL("api/dpop", env.issuer).href;
    const r = await c.fetchWithAuth(api, { audience: AUDIENCE });
    const body = await r.json();
    eq([r.status, body.sub, body.jkt, body.ath_ok], [200, "auth0|alice", jkt, true], `the API accepted it: ${JSON.stringify(body)}`);
    const sent = seen.at(-1);
    eq([sent.url, sent.headers.get("authorization").split(" ")[0]], [api, "DPoP"], "Authorization: DPoP");
    // The token alone, as Bearer: refused by the API.
    const token = stateData.tokenSets[0].accessToken;
    const asBearer = await fetch(api, { headers: { authorization: `Bearer ${token}` } });
    eq([asBearer.status, /invalid_token/.test(asBearer.headers.get("www-authenticate"))], [401, true], "a bound token used as Bearer");
    await asBearer.body?.cancel();
    // getDPoPHeaders: a POST with a body; the same headers again are a replayed proof.
    const headers = await c.getDPoPHeaders({ url: `${api}?q=1`, method: "POST", accessToken: token });
    eq(Object.keys(headers).sort(), ["Authorization", "DPoP"], "header names");
    const post = await fetch(`${api}?q=1`, { method: "POST", headers, body: "{}" });
    eq([post.status, (await post.json()).method], [200, "POST"], "getDPoPHeaders for a POST");
    const replay = await fetch(`${api}?q=1`, { method: "POST", headers, body: "{}" });
    eq(replay.status, 401, "the same proof twice is refused");
    await replay.body?.cancel();
    ok((await c.getDPoPHeaders({ url: api, accessToken: token })).DPoP !== headers.DPoP, "each call a fresh proof");
    // An API that demands its own nonce: one challenge, one retry, then the nonce is kept.
    const nonceApi = new URL("api/dpop-nonce", env.issuer).href;
    seen.length = 0;
    const n = await c.fetchWithAuth(new Request(nonceApi, { method: "POST", body: "a body sent twice" }), { audience: AUDIENCE });
    eq(n.status, 200, `the nonce challenge met: ${n.status}`);
    await n.body?.cancel();
    const apiCalls = seen.filter((q) => q.url === nonceApi);
    eq(apiCalls.length, 2, "one challenge, one retry");
    eq(await apiCalls[1].text(), "a body sent twice", "the retry carries the body again");
    seen.length = 0;
    const again = await c.fetchWithAuth(nonceApi, { audience: AUDIENCE });
    eq([again.status, seen.filter((q) => q.url === nonceApi).length], [200, 1], "the kept nonce: no challenge the next time");
    await again.body?.cancel();
    // The API shares the token endpoint's origin here: each keeps its own nonce.
    seen.length = 0;
    await c.customTokenExchange(legacy("alice", { audience: AUDIENCE }));
    eq(seen.filter((q) => q.method === "POST").length, 1, "the token endpoint is not sent the API's nonce");
  });

  test("DPoP at an API: a Bearer session's token goes as Bearer; getDPoPHeaders without a key is missing_dpop_key_pair; a fetch that fails or answers no Response is AccessTokenError api_request_failed", async () => {
    const seen = [];
    const bearer = client("basic", { fetch: recordingFetch(seen), stateStore: new pkg.MemoryStore() });
    await bearer.loginWithCustomTokenExchange(legacy("alice", { audience: AUDIENCE }));
    const api = new URL("api/dpop", env.issuer).href;
    const r = await bearer.fetchWithAuth(api, { audience: AUDIENCE });
    eq([r.status, seen.at(-1).headers.get("authorization").split(" ")[0], seen.at(-1).headers.has("dpop")], [401, "Bearer", false], "Bearer, no proof (this API wants DPoP)");
    await r.body?.cancel();
    await rejects(bearer.getDPoPHeaders({ url: api, accessToken: "t" }), ConfigurationError, "missing_dpop_key_pair", "no key");
    await rejects(bearer.getDPoPHeaders({ url: api }), ConfigurationError, "invalid_option", "no token");
    await rejects(bearer.fetchWithAuth(42), ConfigurationError, "invalid_option", "not a request");
    const store = new pkg.MemoryStore();
    await client("basic", { stateStore: store }).loginWithCustomTokenExchange(legacy("alice", { audience: AUDIENCE }));
    for (const [label, fetchFn] of [
      ["throws", () => { throw new TypeError("no network"); }],
      ["rejects", async () => { throw new TypeError("no network"); }],
      ["answers no Response", async () => ({ status: 200 })],
    ]) {
      const c = client("basic", { stateStore: store, fetch: async (input, init) => (new Request(input, init).url === api ? fetchFn() : fetch(input, init)) });
      await rejects(c.fetchWithAuth(api, { audience: AUDIENCE }), pkg.AccessTokenError, "api_request_failed", label);
    }
  });

  test("refresh coordinator: one that never answers, throws or answers garbage is refresh_token_error, within four times timeoutMs", async () => {
    for (const [label, run] of [
      ["never answers", () => new Promise(() => {})],
      ["throws", () => { throw new Error("coordinator down"); }],
      ["answers garbage", async () => "not-a-sealed-token-set"],
    ]) {
      const c = client("rotating", { stateStore: new pkg.MemoryStore(), timeoutMs: 1000, refreshCoordinator: { run } });
      await c.loginWithCustomTokenExchange(legacy("alice", { audience: AUDIENCE, scope: "openid offline_access read:data" }));
      const started = Date.now();
      await later(3590, () => rejects(c.getAccessToken({ audience: AUDIENCE }), AccessTokenError, "refresh_token_error", label));
      ok(Date.now() - started < 6000, `${label}: settled within the deadline`);
    }
    await rejects(async () => client("rotating", { refreshCoordinator: { run: 42 } }), ConfigurationError, "invalid_option", "a coordinator without run()");
  });

  test("refresh coordinator fallback: a coordinator that fails before the refresh begins is bypassed (one grant in this isolate); one that fails after it began is refresh_token_error (never a second grant)", async () => {
    const loggedIn = async (run) => {
      const seen = [];
      const c = client("rotating", { fetch: recordingFetch(seen), stateStore: new pkg.MemoryStore(), refreshCoordinator: { run }, refreshCoordinatorFallback: true });
      await c.loginWithCustomTokenExchange(legacy("alice", { audience: AUDIENCE, scope: "openid offline_access read:data" }));
      const grants = () => refreshGrants(seen);
      return { c, grants };
    };
    const down = await loggedIn(() => { throw new Error("coordinator down"); });
    const set = await later(3590, () => down.c.getAccessToken({ audience: AUDIENCE }));
    ok(typeof set.accessToken === "string", "refreshed in this isolate");
    eq(await down.grants(), 1, "one grant");
    const lost = await loggedIn(async (key, refresh) => { await refresh(); throw new Error("lost the result"); });
    await later(3590, () => rejects(lost.c.getAccessToken({ audience: AUDIENCE }), AccessTokenError, "refresh_token_error", "the refresh began: no fallback"));
    eq(await lost.grants(), 1, "still one grant: the fallback never repeats a refresh that began");
    await rejects(async () => client("rotating", { refreshCoordinatorFallback: "yes" }), ConfigurationError, "invalid_option", "a fallback that is not a boolean");
  });

  test("refresh: concurrent callers share a failure as the same typed error", async () => {
    const c = client("rotating", { stateStore: new pkg.MemoryStore() });
    await c.loginWithCustomTokenExchange(legacy("alice", { audience: AUDIENCE, scope: "openid offline_access read:data" }));
    // The grant revoked behind the client's back: the refresh is invalid_grant.
    const session = await c.getSession();
    for (let i = 0; i < 2; i++) await (await rotatingRefresh(session.refreshToken)).text(); // the second use revokes the grant
    const results = await later(3590, () => Promise.allSettled(Array.from({ length: 10 }, () => c.getAccessToken({ audience: AUDIENCE }))));
    for (const r of results) {
      ok(r.status === "rejected" && r.reason instanceof AccessTokenError && r.reason.code === "refresh_token_error", `each caller: ${r.reason?.code}`);
    }
    eq([...new Set(results.map((r) => r.reason.cause?.code))], ["invalid_grant"], "one cause, the tenant's invalid_grant");
  });

  test("session: a store whose set rejects is a StoreError with the cause", async () => {
    const boom = new Error("disk full");
    const c = client("basic", { stateStore: { get: async () => undefined, set: async () => { throw boom; }, delete: async () => {} } });
    const e = await rejects(c.loginWithCustomTokenExchange(legacy("alice", { scope: "openid" })), StoreError, "store_error", "set rejects");
    eq(e.cause === boom, true, "cause is the store's error");
    eq(e.message, "the state store's set failed: disk full; no session was written", "the headline carries the store's reason");
  });

  test("store options are checked before any request: a built-in store without them is ConfigurationError invalid_store_options, saying what is missing", async () => {
    const seen = [];
    const request = new Request("http://localhost/", { headers: { cookie: "other=1" } });
    for (const stateStore of [new pkg.CookieStore(), new pkg.KvStore({ get: async () => null, put: async () => {}, delete: async () => {} })]) {
      const c = client("basic", { fetch: recordingFetch(seen), stateStore });
      const name = stateStore.constructor.name;
      const e = await rejects(c.loginWithCustomTokenExchange(legacy("alice")), ConfigurationError, "invalid_store_options", `${name}: a login without storeOptions`);
      eq(e.message, `the state store refused storeOptions: ${name}: storeOptions is required: { request, response } or { request, headers }`, "the headline says what to pass");
      ok(e.cause instanceof TypeError, "the store's TypeError is the cause");
      const toWrite = `the state store refused storeOptions: ${name}: storeOptions.response (a Response) or storeOptions.headers (a Headers) is required to write cookies`;
      for (const [what, call] of [
        ["login", () => c.loginWithCustomTokenExchange(legacy("alice"), { request })],
        ["getAccessToken", () => c.getAccessToken({}, { request })],
        ["logout", () => c.logout({}, { request })],
      ]) {
        const e = await rejects(call(), ConfigurationError, "invalid_store_options", `${name}: ${what} with a request and nothing to write to`);
        eq(e.message, toWrite, `${name}: ${what}`);
      }
      await rejects(c.getSession(), ConfigurationError, "invalid_store_options", `${name}: getSession without a request`);
      await rejects(c.requestSessionTransferToken(legacy("alice")), ConfigurationError, "invalid_store_options", `${name}: a transfer reading the session`);
      // A read needs only the request.
      eq(await c.getSession({ request }), undefined, `${name}: getSession({ request })`);
    }
    eq(seen.length, 0, "no request reached the tenant");
    // A custom store may check too, synchronously or not; a store without checkOptions is not asked.
    const refusing = { get: async () => undefined, set: async () => {}, delete: async () => {}, checkOptions: async (so, forWrite) => { if (forWrite) throw new Error("needs a tenant id"); } };
    const c = client("basic", { fetch: recordingFetch(seen), stateStore: refusing });
    const e = await rejects(c.loginWithCustomTokenExchange(legacy("alice")), ConfigurationError, "invalid_store_options", "a custom store's rejection");
    eq(e.message, "the state store refused storeOptions: needs a tenant id", "its reason in the headline");
    eq(await c.getSession(), undefined, "a read it accepts");
    eq(seen.length, 0, "still no request");
  });

  test("session: a store returning garbage is no session, never an exception", async () => {
    for (const value of ["garbage", 42, { a: 1 }, "eyJhbGciOiJkaXIiLCJlbmMiOiJBMjU2Q0JDLUhTNTEyIn0..AAAA.AAAA.AAAA"]) {
      const c = client("basic", { stateStore: { get: async () => value, set: async () => {}, delete: async () => {} } });
      eq(await c.getSession(), undefined, `getSession with ${JSON.stringify(value)}`);
      eq(await c.getUser(), undefined, "getUser");
    }
  });

  test("session: secret rotation: sealed with an old secret, opened by [new, old]", async () => {
    const store = sealedStore();
    const oldSecret = "the-old-secret-which-is-at-least-32-chars";
    await client("basic", { stateStore: store, secret: oldSecret }).loginWithCustomTokenExchange(legacy("alice", { scope: "openid" }));
    const rotated = client("basic", { stateStore: store, secret: ["the-new-secret-which-is-at-least-32-chars", oldSecret] });
    eq((await rotated.getUser()).sub, "auth0|alice", "opened with the second secret");
    const other = client("basic", { stateStore: store, secret: "an-unrelated-secret-at-least-32-characters" });
    eq(await other.getSession(), undefined, "another secret opens nothing");
    const otherId = client("basic", { stateStore: store, secret: oldSecret, stateIdentifier: "other" });
    eq(await otherId.getSession(), undefined, "another identifier opens nothing");
  });

  cases.push(...apiSuite(pkg, env, rejects));
  return cases;
}

/** A browser-like cookie jar for cookie-carrying stores: builds {request, response} store
 * options from its cookies and applies the response's Set-Cookie headers afterwards. */
export function cookieJar(url = "https://app.example/") {
  const jar = new Map();
  return {
    async call(fn) {
      const cookie = [...jar].map(([k, v]) => `${k}=${v}`).join("; ");
      const so = { request: new Request(url, { headers: cookie ? { cookie } : {} }), response: new Response(null) };
      try {
        return await fn(so);
      } finally {
        for (const line of so.response.headers.getSetCookie()) {
          const [pair, ...attrs] = line.split(";");
          const i = pair.indexOf("=");
          const name = pair.slice(0, i).trim();
          const expired = attrs.some((a) => /^\s*max-age\s*=\s*0\s*$/i.test(a));
          if (expired) jar.delete(name);
          else jar.set(name, pair.slice(i + 1).trim());
        }
      }
    },
    names: () => [...jar.keys()].sort(),
    get: (name) => jar.get(name),
  };
}
