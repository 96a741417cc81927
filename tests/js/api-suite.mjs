// The API side (BEHAVIOUR.md §13) in every runtime: `ApiClient` verifying the real provider's
// access tokens, and tokens that `jose` (an independent JOSE implementation) mints with the
// provider's own signing key, valid and tampered. Part of the shared suite (suite.mjs).

import * as jose from "jose";
import { CLIENTS, TOKEN_TYPES, AUDIENCE, DOWNSTREAM_AUDIENCE } from "../provider/fixtures.mjs";
import { ok, eq } from "./asserts.mjs";
import { b64url, jsonB64url, flipSignature } from "./fake-tenant.js";

/**
 * @param pkg the package's module namespace
 * @param env {issuer, signingJwk}: from the provider harness
 * @param rejects suite.mjs's assertion of a rejection (class, code)
 * @returns [{name, fn}]
 */
export function apiSuite(pkg, env, rejects) {
  const { ApiClient, ServerClient, VerifyAccessTokenError, ConfigurationError } = pkg;
  const cases = [];
  const test = (name, fn) => cases.push({ name, fn: () => fn() });
  const api = (extra = {}) => new ApiClient({ domain: env.issuer, audience: AUDIENCE, ...extra });
  const server = (which = "basic", extra = {}) =>
    new ServerClient({ domain: env.issuer, clientId: CLIENTS[which].clientId, clientSecret: CLIENTS[which].clientSecret, secret: "a-session-secret-of-at-least-32-characters!", ...extra });
  const legacy = (user, extra = {}) => ({ subjectToken: `legacy-${user}`, subjectTokenType: TOKEN_TYPES.LEGACY, ...extra });
  /** An access token for the test API from the provider (RFC 9068 JWT, `typ` at+jwt). */
  const providerToken = async (scope = "openid read:data", which = "basic", extra = {}) =>
    (await server(which, extra).customTokenExchange(legacy("alice", { audience: AUDIENCE, scope }))).accessToken;

  // The provider's signing key (its JWKS's first) and a token minted with it as the tenant would.
  const signingJwk = JSON.parse(env.signingJwk);
  let signingKey;
  const key = async () => (signingKey ??= await jose.importJWK(signingJwk, "RS256"));
  const now = () => Math.floor(Date.now() / 1000);
  const baseClaims = () => ({
    iss: env.issuer, sub: "auth0|alice", aud: AUDIENCE, iat: now(), exp: now() + 600, scope: "read:data", client_id: CLIENTS.basic.clientId,
  });
  const mint = async (claims = {}, header = {}, signWith) =>
    new jose.SignJWT({ ...baseClaims(), ...claims })
      .setProtectedHeader({ alg: "RS256", typ: "at+jwt", kid: signingJwk.kid, ...header })
      .sign(signWith ?? (await key()));
  /** Drops claims whose value is `undefined` (so a case can remove one). */
  const defined = (o) => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined));
  /** A compact JWS of `header` and `payload` with `signature` (base64url) as given: not signed. */
  const forge = (header, payload, signature = "c2ln") => `${jsonB64url(header)}.${jsonB64url(payload)}.${signature}`;
  /** `header` and `payload` signed with the provider's key by WebCrypto, whatever the header says. */
  const signRaw = async (header, payload) => {
    const input = `${jsonB64url(header)}.${jsonB64url(payload)}`;
    return `${input}.${b64url(await crypto.subtle.sign("RSASSA-PKCS1-v1_5", await key(), new TextEncoder().encode(input)))}`;
  };
  const hmac = async (header, payload, secret) => {
    const k = await crypto.subtle.importKey("raw", new TextEncoder().encode(secret), { name: "HMAC", hash: "SHA-256" }, false, ["sign"]);
    const input = `${jsonB64url(header)}.${jsonB64url(payload)}`;
    return `${input}.${b64url(await crypto.subtle.sign("HMAC", k, new TextEncoder().encode(input)))}`;
  };
  /** Refused as `code` with `status`, a challenge naming the code, and a message that holds no token. */
  const refused = async (accessToken, code, status, label, options = {}, client = api()) => {
    const e = await rejects(client.verifyAccessToken({ accessToken, ...options }), VerifyAccessTokenError, code, label);
    eq(e.status, status, `${label}: status`);
    if (status !== 503) ok(/^(Bearer|DPoP)( |$)/.test(e.headers["WWW-Authenticate"]), `${label}: a Bearer or DPoP challenge`);
    const longest = typeof accessToken === "string" ? accessToken.split(".").sort((a, b) => b.length - a.length)[0] : "";
    if (longest.length > 8) ok(!e.message.includes(longest), `${label}: the message holds no token`);
    return e;
  };

  test("ApiClient: the provider's access token verifies; the claims come back as issued; scopes and required claims met", async () => {
    const token = await providerToken();
    const claims = await api().verifyAccessToken({ accessToken: token, scopes: ["read:data"], requiredClaims: ["sub", "client_id"] });
    const issued = jose.decodeJwt(token);
    eq(claims, issued, "the claims, exactly as in the token");
    eq([claims.sub, claims.aud, claims.iss], ["auth0|alice", AUDIENCE, env.issuer], "sub, aud, iss");
    eq(jose.decodeProtectedHeader(token).typ, "at+jwt", "the provider's typ");
    // The same claims minted by jose with the provider's key verify identically.
    const minted = await signRaw({ alg: "RS256", typ: "at+jwt", kid: signingJwk.kid }, issued);
    eq(await api().verifyAccessToken({ accessToken: minted }), issued, "a jose-minted token with the same claims");
  });

  test("ApiClient: each failure mode is refused with RFC 6750's code, its status and a challenge", async () => {
    const token = await providerToken();
    await refused(flipSignature(token), "invalid_token", 401, "tampered signature");
    await refused(`${jsonB64url({ alg: "none", typ: "at+jwt" })}.${token.split(".")[1]}.`, "invalid_token", 401, "alg none");
    const jwks = await (await fetch(new URL(".well-known/jwks.json", env.issuer))).json();
    const hs = await hmac({ alg: "HS256", typ: "at+jwt", kid: signingJwk.kid }, jose.decodeJwt(token), JSON.stringify(jwks.keys[0]));
    await refused(hs, "invalid_token", 401, "HS256 keyed with the JWKS");
    const stranger = (await jose.generateKeyPair("RS256")).privateKey;
    await refused(await mint({}, { kid: "not-in-the-jwks" }, stranger), "invalid_token", 401, "unknown kid");
    await refused(await mint({}, {}, stranger), "invalid_token", 401, "the tenant's kid, another key");
    await refused(await mint({ iss: "https://evil.example/" }), "invalid_token", 401, "wrong iss");
    await refused(await mint({ aud: "https://other.example.com" }), "invalid_token", 401, "wrong aud");
    await refused(await mint({ exp: now() - 120 }), "invalid_token", 401, "expired");
    await refused(await mint({ nbf: now() + 600 }), "invalid_token", 401, "future nbf");
    await refused(await mint({}, { typ: "JOSE" }), "invalid_token", 401, "typ neither at+jwt nor JWT");
    const e = await refused(token, "insufficient_scope", 403, "missing scope", { scopes: ["read:data", "admin:all"] });
    eq(e.headers["WWW-Authenticate"], `Bearer error="insufficient_scope", error_description="the access token lacks a required scope", scope="read:data admin:all"`, "the challenge names the scopes needed");
    await refused(token, "invalid_token", 401, "missing required claim", { requiredClaims: ["org_id"] });
    await refused(token, "invalid_token", 401, "an inherited property is no claim", { requiredClaims: ["constructor"] });
    // A DPoP-bound token (cnf.jkt) presented as a Bearer token.
    const keyPair = await crypto.subtle.generateKey({ name: "ECDSA", namedCurve: "P-256" }, false, ["sign", "verify"]);
    const bound = await providerToken("openid", "dpop", { dpopKeyPair: keyPair });
    ok(typeof jose.decodeJwt(bound).cnf.jkt === "string", "the provider bound the token");
    await refused(bound, "invalid_token", 401, "a bound token as Bearer");
  });

  test("ApiClient: 33 tampered tokens minted by jose with the provider's key (or forged), each refused as invalid_token", async () => {
    const good = baseClaims();
    const header = { alg: "RS256", typ: "at+jwt", kid: signingJwk.kid };
    const valid = await mint();
    const [vh, vp, vs] = valid.split(".");
    const table = {
      "alg none, no signature": `${jsonB64url({ ...header, alg: "none" })}.${vp}.`,
      "alg none, the signature kept": `${jsonB64url({ ...header, alg: "none" })}.${vp}.${vs}`,
      "alg HS256 keyed with n": await hmac({ ...header, alg: "HS256" }, good, signingJwk.n),
      "alg HS512": forge({ ...header, alg: "HS512" }, good, vs),
      "alg RS512": forge({ ...header, alg: "RS512" }, good, vs),
      "alg ES256 over an RSA key": `${jsonB64url({ ...header, alg: "ES256" })}.${vp}.${vs}`,
      "alg lower case": `${jsonB64url({ ...header, alg: "rs256" })}.${vp}.${vs}`,
      "no alg": `${jsonB64url({ typ: "at+jwt", kid: signingJwk.kid })}.${vp}.${vs}`,
      "crit header": await signRaw({ ...header, crit: ["exp"], exp: 1 }, good),
      "typ dpop+jwt": await mint({}, { typ: "dpop+jwt" }),
      "no typ": await mint({}, { typ: undefined }),
      "payload changed, signature kept": `${vh}.${jsonB64url({ ...good, sub: "auth0|mallory" })}.${vs}`,
      "header changed, signature kept": `${jsonB64url({ ...header, typ: "JWT" })}.${vp}.${vs}`,
      "signature cut short": `${vh}.${vp}.${vs.slice(0, 40)}`,
      "signature of another token": `${vh}.${vp}.${(await mint({ sub: "x" })).split(".")[2]}`,
      "empty signature": `${vh}.${vp}.`,
      "signature not base64url": `${vh}.${vp}.${vs.slice(0, -2)}+/`,
      "two segments": `${vh}.${vp}`,
      "four segments": `${valid}.${vs}`,
      "payload not JSON": `${vh}.${b64url(new TextEncoder().encode("not json"))}.${vs}`,
      "payload an array": forge(header, ["iss"], vs),
      "header not JSON": `${b64url(new TextEncoder().encode("{"))}.${vp}.${vs}`,
      "unknown kid": await mint({}, { kid: "rotated-away" }),
      "no kid (the JWKS has two RS256 keys)": await mint({}, { kid: undefined }),
      "iss of another tenant": await mint({ iss: "https://evil.example/" }),
      "no iss": await signRaw(header, defined({ ...good, iss: undefined })),
      "aud of another API": await mint({ aud: "https://other.example.com" }),
      "aud a list without this API": await mint({ aud: ["https://other.example.com", `${env.issuer}userinfo`] }),
      "aud an object": await mint({ aud: { [AUDIENCE]: true } }),
      "expired beyond the leeway": await mint({ exp: now() - 61 }),
      "exp a string": await mint({ exp: String(now() + 600) }),
      "no iat": await signRaw(header, defined({ ...good, iat: undefined })),
      "iat in the future": await mint({ iat: now() + 600 }),
      "nbf in the future": await mint({ nbf: now() + 600 }),
      "bound to a key (cnf.jkt)": await mint({ cnf: { jkt: "0ZcOCORZNYy-DWpqq30jZyJGHTN0d2HglBV3uiguA4I" } }),
    };
    ok(Object.keys(table).length >= 33, "at least 33 cases");
    eq(await api().verifyAccessToken({ accessToken: valid }), good, "the untampered token verifies");
    // jose, given the provider's JWKS, refuses each as well (an independent check of the table),
    // but for an `iat` in the future, which it does not check and we do (BEHAVIOUR.md §13.2).
    const stricter = new Set(["iat in the future"]);
    const jwks = jose.createLocalJWKSet(await (await fetch(new URL(".well-known/jwks.json", env.issuer))).json());
    for (const [label, token] of Object.entries(table)) {
      const joseRefused = await jose.jwtVerify(token, jwks, {
        issuer: env.issuer, audience: AUDIENCE, algorithms: ["RS256", "PS256", "ES256"], typ: "at+jwt", requiredClaims: ["iat", "exp"],
      }).then((r) => r.payload.cnf !== undefined, () => true);
      eq(joseRefused, !stricter.has(label), `${label}: jose refuses it too`);
      await refused(token, "invalid_token", 401, label);
    }
  });

  test("ApiClient: the request's input: no token is a bare challenge (401), a scheme or junk is invalid_request (400); the API's own mistakes are ConfigurationError", async () => {
    const e = await refused(undefined, "invalid_request", 401, "no accessToken");
    eq(e.headers, { "WWW-Authenticate": "Bearer" }, "no error code for a request without credentials (RFC 6750 §3.1)");
    await refused("", "invalid_request", 401, "an empty accessToken");
    await refused(`Bearer ${await mint()}`, "invalid_request", 400, "with its scheme");
    await refused(42, "invalid_request", 400, "not a string");
    await refused("x".repeat(70 * 1024), "invalid_token", 401, "over 64 KiB");
    await rejects(api().verifyAccessToken({ accessToken: await mint(), scopes: "read:data" }), ConfigurationError, "invalid_option", "scopes not an array");
    await rejects(api().verifyAccessToken({ accessToken: await mint(), requiredClaims: [1] }), ConfigurationError, "invalid_option", "requiredClaims of numbers");
    await rejects(api().verifyAccessToken("token"), ConfigurationError, "invalid_option", "options not an object");
    for (const [options, code, label] of [
      [{ audience: AUDIENCE }, "invalid_domain", "no domain"],
      [{ domain: "http://evil.example", audience: AUDIENCE }, "invalid_domain", "http for a public host"],
      [{ domain: env.issuer }, "invalid_option", "no audience"],
      [{ domain: env.issuer, audience: " " }, "invalid_option", "blank audience"],
      [{ domain: env.issuer, audience: AUDIENCE, leeway: 601 }, "invalid_option", "leeway over 600"],
      [{ domain: env.issuer, audience: AUDIENCE, fetch: "fetch" }, "invalid_option", "fetch not a function"],
    ]) {
      await rejects(() => new ApiClient(options), ConfigurationError, code, label);
    }
  });

  test("ApiClient allowedDomains (several tenants, no domain): a token is verified by the listed tenant its iss names, exchanged there on its behalf; an unlisted iss is invalid_token", async () => {
    const multi = api({ domain: undefined, allowedDomains: ["https://other-tenant.example.com", env.issuer], clientId: CLIENTS.basic.clientId, clientSecret: CLIENTS.basic.clientSecret });
    const token = await providerToken();
    eq((await multi.verifyAccessToken({ accessToken: token })).sub, "auth0|alice", "the provider's token, by the provider's keys");
    const r = await multi.getTokenOnBehalfOf(token, { audience: DOWNSTREAM_AUDIENCE });
    eq(jose.decodeJwt(r.accessToken).aud, DOWNSTREAM_AUDIENCE, "exchanged at the token's tenant");
    const e = await refused(await mint({ iss: "https://evil.example/" }), "invalid_token", 401, "an iss of no listed tenant", {}, multi);
    ok(e.message.includes("allowedDomains"), e.message);
    await rejects(() => new ApiClient({ allowedDomains: ["http://evil.example"], audience: AUDIENCE }), ConfigurationError, "invalid_domain", "an allowed domain as domain refuses it");
    await rejects(() => new ApiClient({ allowedDomains: "x", audience: AUDIENCE }), ConfigurationError, "invalid_domain", "allowedDomains not a list");
  });

  test("ApiClient: leeway: a token expired 30 s ago verifies with the default 60 s, not with leeway 0", async () => {
    const token = await mint({ exp: now() - 30 });
    eq((await api().verifyAccessToken({ accessToken: token })).sub, "auth0|alice", "default leeway");
    await refused(token, "invalid_token", 401, "leeway 0", {}, api({ leeway: 0 }));
  });

  test("ApiClient: a JWKS that cannot be read is temporarily_unavailable (503, the failure as cause), not the caller's fault", async () => {
    // A fresh isolate-wide cache entry: the JWKS under another spelling of the issuer's host is
    // never the one cached above. Discovery answers as the provider would there.
    const issuer = env.issuer.replace("//127.0.0.1:", "//localhost:");
    const failing = async (input, init) => {
      const url = new URL(new Request(input, init).url);
      if (url.pathname.endsWith("jwks.json")) return new Response("down", { status: 503 });
      const doc = await (await fetch(new URL(url.pathname, env.issuer))).json();
      return Response.json(Object.fromEntries(Object.entries(doc).map(([k, v]) => [k, typeof v === "string" ? v.replace("//127.0.0.1:", "//localhost:") : v])));
    };
    const token = await mint({ iss: issuer });
    const e = await refused(token, "temporarily_unavailable", 503, "JWKS down", {}, api({ domain: issuer, fetch: failing }));
    eq(e.headers, {}, "no challenge: nothing is wrong with the token");
    ok(e.cause instanceof pkg.IdTokenError && e.cause.code === "jwks_fetch_error", `the JWKS failure is the cause: ${e.cause}`);
  });

  // DPoP-bound tokens (BEHAVIOUR.md §13.3), with proofs made by jose (an independent signer).
  const dpopKey = async () => {
    const pair = await crypto.subtle.generateKey({ name: "ECDSA", namedCurve: "P-256" }, false, ["sign", "verify"]);
    const { kty, crv, x, y } = await crypto.subtle.exportKey("jwk", pair.publicKey);
    return { pair, jwk: { kty, crv, x, y } };
  };
  const sha256 = async (text) => b64url(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(text)));
  /** A DPoP proof by jose for `method` `url` and `accessToken`; any claim or header overridden. */
  const proof = async (key, { method = "GET", url, accessToken, claims = {}, header = {}, signWith = key.pair.privateKey }) =>
    new jose.SignJWT({ htm: method, htu: url, jti: crypto.randomUUID(), iat: now(), ath: await sha256(accessToken), ...claims })
      .setProtectedHeader({ alg: "ES256", typ: "dpop+jwt", jwk: key.jwk, ...header })
      .sign(signWith);
  const API_URL = "https://api.example.com/orders?page=2";
  const dpopOptions = async (key, token, extra = {}) =>
    ({ accessToken: token, scheme: "DPoP", dpopProof: await proof(key, { url: API_URL, accessToken: token, ...extra }), httpMethod: "GET", httpUrl: API_URL });

  test("ApiClient DPoP: a bound token with its proof verifies (verifyAccessToken and verifyRequest); a proof from getDPoPHeaders too", async () => {
    const key = await dpopKey();
    const dpopClient = server("dpop", { dpopKeyPair: key.pair });
    const token = (await dpopClient.customTokenExchange(legacy("alice", { audience: AUDIENCE, scope: "openid read:data" }))).accessToken;
    const claims = await api().verifyAccessToken(await dpopOptions(key, token));
    eq([claims.sub, typeof claims.cnf.jkt], ["auth0|alice", "string"], "the bound token's claims");
    const viaRequest = await api().verifyRequest(new Request(API_URL, { headers: { authorization: `DPoP ${token}`, dpop: await proof(key, { url: API_URL, accessToken: token }) } }), { scopes: ["read:data"] });
    eq(viaRequest.sub, "auth0|alice", "verifyRequest with DPoP");
    const ours = await dpopClient.getDPoPHeaders({ url: API_URL, method: "POST", accessToken: token });
    const post = new Request(API_URL, { method: "POST", headers: { Authorization: ours.Authorization, DPoP: ours.DPoP } });
    eq((await api().verifyRequest(post)).sub, "auth0|alice", "the package's own proof");
    const lower = new Request(API_URL, { headers: { authorization: `dpop ${token}`, dpop: await proof(key, { url: API_URL, accessToken: token }) } });
    eq((await api().verifyRequest(lower)).sub, "auth0|alice", "the scheme without case");
  });

  test("ApiClient DPoP: each failure is refused: a bound token as Bearer, a replayed proof, another URL, method, token (ath) or key, an old proof, no proof, an unbound token as DPoP", async () => {
    const key = await dpopKey();
    const token = (await server("dpop", { dpopKeyPair: key.pair }).customTokenExchange(legacy("alice", { audience: AUDIENCE }))).accessToken;
    const other = await providerToken();
    const dpopRefused = async (options, code, label) => {
      const e = await refused(options.accessToken, code, 401, label, options);
      ok(e.headers["WWW-Authenticate"].startsWith(`DPoP error="${code}"`) && e.headers["WWW-Authenticate"].includes('algs="ES256 PS256 RS256"'), `${label}: a DPoP challenge: ${e.headers["WWW-Authenticate"]}`);
      return e;
    };
    const e = await refused(token, "invalid_token", 401, "a bound token as Bearer");
    ok(e.headers["WWW-Authenticate"].startsWith("DPoP "), "the challenge asks for DPoP");
    const once = await dpopOptions(key, token);
    eq((await api().verifyAccessToken(once)).sub, "auth0|alice", "first use");
    await dpopRefused(once, "invalid_dpop_proof", "the same proof again");
    await dpopRefused({ ...(await dpopOptions(key, token)), httpUrl: "https://api.example.com/other" }, "invalid_dpop_proof", "a proof for another URL");
    await dpopRefused({ ...(await dpopOptions(key, token)), httpMethod: "POST" }, "invalid_dpop_proof", "a proof for another method");
    await dpopRefused({ ...(await dpopOptions(key, token)), dpopProof: await proof(key, { url: API_URL, accessToken: other }) }, "invalid_dpop_proof", "ath of another token");
    const stranger = await dpopKey();
    await dpopRefused({ ...(await dpopOptions(key, token)), dpopProof: await proof(stranger, { url: API_URL, accessToken: token }) }, "invalid_dpop_proof", "a proof by another key");
    await dpopRefused({ ...(await dpopOptions(key, token)), dpopProof: await proof(key, { url: API_URL, accessToken: token, header: { jwk: stranger.jwk } }) }, "invalid_dpop_proof", "the token's key in the header, signed by another");
    await dpopRefused(await dpopOptions(key, token, { claims: { iat: now() - 600 } }), "invalid_dpop_proof", "a proof made 10 minutes ago");
    await dpopRefused(await dpopOptions(key, token, { claims: { iat: now() + 120 } }), "invalid_dpop_proof", "a proof from the future");
    await dpopRefused(await dpopOptions(key, token, { header: { typ: "JWT" } }), "invalid_dpop_proof", "typ JWT");
    await dpopRefused(await dpopOptions(key, token, { claims: { jti: undefined } }), "invalid_dpop_proof", "no jti");
    await dpopRefused({ ...(await dpopOptions(key, token)), dpopProof: flipSignature((await dpopOptions(key, token)).dpopProof) }, "invalid_dpop_proof", "a tampered proof");
    await dpopRefused({ accessToken: token, scheme: "DPoP", httpMethod: "GET", httpUrl: API_URL }, "invalid_dpop_proof", "no proof");
    await dpopRefused(await dpopOptions(key, other), "invalid_token", "an unbound token with the DPoP scheme");
    await refused(token, "invalid_request", 400, "a proof with the Bearer scheme", { dpopProof: (await dpopOptions(key, token)).dpopProof });
    await refused(token, "invalid_request", 400, "an unknown scheme", { scheme: "MAC" });
    await rejects(api().verifyAccessToken({ accessToken: token, scheme: "DPoP", dpopProof: once.dpopProof }), ConfigurationError, "invalid_option", "DPoP without httpMethod and httpUrl");
  });

  test("ApiClient DPoP: a replay cache shared by isolates (dpopReplayCache) is asked after the isolate's own: a proof another isolate accepted is refused; a cache that fails, answers garbage or hangs is temporarily_unavailable", async () => {
    const key = await dpopKey();
    const token = (await server("dpop", { dpopKeyPair: key.pair }).customTokenExchange(legacy("alice", { audience: AUDIENCE }))).accessToken;
    const { jkt } = jose.decodeJwt(token).cnf;
    /** The key a proof is kept under in a shared cache: base64url(SHA-256("<jkt> <jti>")). */
    const proofKey = async (options) => sha256(`${jkt} ${jose.decodeJwt(options.dpopProof).jti}`);
    const elsewhere = new Set();
    const ttls = [];
    const custom = {
      async firstUse(k, ttl) {
        ttls.push(ttl);
        if (elsewhere.has(k)) return false;
        elsewhere.add(k);
        return true;
      },
    };
    const first = await dpopOptions(key, token);
    eq((await api({ dpopReplayCache: custom }).verifyAccessToken(first)).sub, "auth0|alice", "a new proof");
    ok(elsewhere.has(await proofKey(first)), "its key went to the shared cache");
    ok(ttls.every((t) => Number.isInteger(t) && t > 0 && t <= 330), `kept for the proof's window: ${ttls}`);
    const seen = await dpopOptions(key, token);
    elsewhere.add(await proofKey(seen)); // another isolate accepted it
    await refused(token, "invalid_dpop_proof", 401, "a proof another isolate accepted", seen, api({ dpopReplayCache: custom }));
    for (const [label, cache] of [
      ["a cache that throws", { firstUse() { throw new Error("down"); } }],
      ["a cache that rejects", { firstUse: async () => { throw new Error("down"); } }],
      ["a cache that answers a string", { firstUse: async () => "yes" }],
      ["a cache that never answers", { firstUse: () => new Promise(() => {}) }],
    ]) {
      await refused(token, "temporarily_unavailable", 503, label, await dpopOptions(key, token), api({ dpopReplayCache: cache, timeoutMs: 500 }));
    }
    await rejects(() => api({ dpopReplayCache: { firstUse: "no" } }), ConfigurationError, "invalid_option", "a cache without firstUse");
    if (env.replayCache) {
      // The runtime's built-in shared cache (DurableObjectReplayCache in workerd, DenoKvReplayCache in Deno).
      const shared = env.replayCache();
      const seeded = await dpopOptions(key, token);
      eq(await shared.firstUse(await proofKey(seeded), 30), true, "the built-in cache: a key's first use");
      await refused(token, "invalid_dpop_proof", 401, "a proof the built-in shared cache has seen", seeded, api({ dpopReplayCache: shared }));
      const fresh = await dpopOptions(key, token);
      eq((await api({ dpopReplayCache: shared }).verifyAccessToken(fresh)).sub, "auth0|alice", "a new proof through the built-in cache");
      eq(await shared.firstUse(await proofKey(fresh), 30), false, "the accepted proof is in the shared cache");
    }
  });

  test("ApiClient verifyRequest: one Authorization header, Bearer or DPoP without case; no credentials is a bare challenge; a Request is required", async () => {
    const token = await providerToken();
    const req = (headers, init = {}) => new Request(API_URL, { ...init, headers });
    eq((await api().verifyRequest(req({ authorization: `Bearer ${token}` }), { scopes: ["read:data"] })).sub, "auth0|alice", "Bearer");
    eq((await api().verifyRequest(req({ authorization: `bearer ${token}` }))).sub, "auth0|alice", "bearer");
    const byRequest = async (request, code, status, label, options) => {
      const e = await rejects(api().verifyRequest(request, options), VerifyAccessTokenError, code, label);
      eq(e.status, status, `${label}: status`);
      return e;
    };
    eq((await byRequest(req({}), "invalid_request", 401, "no Authorization")).headers, { "WWW-Authenticate": "Bearer" }, "a bare challenge");
    eq((await byRequest(req({ authorization: "Basic dXNlcjpwYXNz" }), "invalid_request", 401, "another scheme")).headers, { "WWW-Authenticate": "Bearer" }, "a bare challenge for another scheme");
    const two = new Headers();
    two.append("authorization", `Bearer ${token}`);
    two.append("authorization", `Bearer ${token}`);
    await byRequest(new Request(API_URL, { headers: two }), "invalid_request", 400, "two Authorization headers");
    await byRequest(req({ authorization: "Bearer" }), "invalid_request", 400, "a scheme without a token");
    await byRequest(req({ authorization: `Bearer ${flipSignature(token)}` }), "invalid_token", 401, "a tampered token");
    await byRequest(req({ authorization: `Bearer ${token}` }), "insufficient_scope", 403, "a scope not granted", { scopes: ["admin"] });
    await rejects(api().verifyRequest({ headers: {} }), ConfigurationError, "invalid_option", "not a Request");
    await rejects(api().verifyRequest(undefined), ConfigurationError, "invalid_option", "no request");
    await rejects(api().verifyRequest(req({ authorization: `Bearer ${token}` }), { scopes: "read:data" }), ConfigurationError, "invalid_option", "scopes not an array");
  });

  test("ApiClient getTokenOnBehalfOf: a verified caller's token is exchanged for the downstream API's (same user); one that does not verify is never sent", async () => {
    const seen = [];
    const recording = async (input, init) => {
      const req = new Request(input, init);
      seen.push({ method: req.method, body: req.method === "POST" ? await req.clone().text() : "" });
      return fetch(req);
    };
    const obo = api({ clientId: CLIENTS.basic.clientId, clientSecret: CLIENTS.basic.clientSecret, fetch: recording });
    const incoming = await providerToken();
    const r = await obo.getTokenOnBehalfOf(incoming, { audience: DOWNSTREAM_AUDIENCE, scope: "read:orders" });
    const downstream = jose.decodeJwt(r.accessToken);
    eq([downstream.sub, downstream.aud, r.issuedTokenType, r.tokenType], ["auth0|alice", DOWNSTREAM_AUDIENCE, TOKEN_TYPES.ACCESS_TOKEN, "Bearer"], "the caller's user, for the downstream API");
    ok(r.scope.split(" ").includes("read:orders"), "the scope asked for");
    const form = new URLSearchParams(seen.find((x) => x.method === "POST").body);
    eq([form.get("subject_token_type"), form.get("requested_token_type"), form.get("audience")], [TOKEN_TYPES.ACCESS_TOKEN, TOKEN_TYPES.ACCESS_TOKEN, DOWNSTREAM_AUDIENCE], "the exchange's parameters");
    ok(form.get("subject_token") === incoming, "the caller's token is the subject");
    const posts = () => seen.filter((x) => x.method === "POST").length;
    const before = posts();
    for (const [token, label] of [
      [flipSignature(incoming), "a tampered token"],
      [await mint({ aud: DOWNSTREAM_AUDIENCE }), "a token for another API"],
      [await mint({ exp: now() - 120 }), "an expired token"],
    ]) {
      await refused(token, "invalid_token", 401, label, {}, { verifyAccessToken: (o) => obo.getTokenOnBehalfOf(o.accessToken, { audience: DOWNSTREAM_AUDIENCE }) });
    }
    eq(posts(), before, "no token that failed verification reached the token endpoint");
    await rejects(api().getTokenOnBehalfOf(incoming, { audience: DOWNSTREAM_AUDIENCE }), ConfigurationError, "missing_client_credentials", "an ApiClient without credentials");
    await rejects(obo.getTokenOnBehalfOf(incoming, {}), pkg.CustomTokenExchangeError, "invalid_parameter", "no audience");
    await rejects(obo.getTokenOnBehalfOf(undefined, { audience: DOWNSTREAM_AUDIENCE }), VerifyAccessTokenError, "invalid_request", "no token");
    eq(posts(), before, "nothing sent for refused input");
    await rejects(() => new ApiClient({ domain: env.issuer, audience: AUDIENCE, clientSecret: "s" }), ConfigurationError, "missing_client_id", "a secret without clientId");
  });

  return cases;
}
