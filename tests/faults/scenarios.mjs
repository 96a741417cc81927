// Hardening scenarios (issue 7), shared by Node (node.test.mjs) and workerd (worker.mjs): every
// fault of the authorization server (tests/faults/server.mjs), every store fault and every
// tampered session must end in the typed error docs/BEHAVIOUR.md gives (or `undefined` for a session), write
// no session, and leave the client working: the next call on the same client succeeds (a Rust
// panic would have trapped the wasm instance and failed every later call). The last case checks
// that no error, stack or console line carried a secret or a token.
//
// No runtime-specific API: fetch, WebCrypto, plain asserts. The package is handed in.

import { AssertionError, ok, eq, later } from "../js/asserts.mjs";
import { seal, open, withoutDomain } from "../js/seal.js";
import {
  ACTOR_TOKEN,
  ACTOR_TOKEN_TYPE,
  CLIENT_ID,
  CLIENT_SECRET,
  LARGE_ACCESS_TOKEN,
  OTHER_SESSION_SECRET,
  SECRET_VALUES,
  SESSION_SECRET,
  SUBJECT_TOKEN_TYPE,
  SUBJECT_TOKENS,
} from "./fixtures.mjs";

/** timeoutMs of the clients in hang scenarios (and of the hanging stores). */
export const HANG_TIMEOUT_MS = 300;
/** How long a call may take to settle after its deadline. */
const SETTLE_SLACK_MS = 3000;
const MiB = 1 << 20;
/** How much a gzip bomb (400 MiB inflated) may grow the instance: the 1 MiB body limit, read in
 *  chunks into a growing buffer, and what the runtime decompresses ahead of the reader. */
const BOMB_BOUNDS = { wasmMiB: 4, rssMiB: 64 };
const ID = "_a0_session";
/** The cookie name of the built-in stores with their defaults (Secure, Path=/). */
const NAME = `__Host-${ID}`;

// -----------------------------------------------------------------------------------------------
// What every case saw: package errors and console output, checked by the secrets case (last).
// Module-level, so it survives across the Worker's requests (one per case) in one isolate.
const seen = { errors: [], console: [] };
let consoleRestore;
function captureConsole() {
  if (consoleRestore) return;
  const methods = ["log", "info", "warn", "error", "debug", "trace"];
  const originals = Object.fromEntries(methods.map((m) => [m, console[m]]));
  for (const m of methods) {
    console[m] = (...args) => {
      try {
        seen.console.push(args.map((a) => (typeof a === "string" ? a : a instanceof Error ? `${a.stack}` : safeJson(a))).join(" "));
      } catch {
        seen.console.push("[unprintable]");
      }
      return originals[m].apply(console, args);
    };
  }
  consoleRestore = () => {
    Object.assign(console, originals);
    consoleRestore = undefined;
  };
}
function safeJson(v) {
  try {
    return JSON.stringify(v) ?? String(v);
  } catch {
    return String(v);
  }
}

// -----------------------------------------------------------------------------------------------
// Asserts

/** Awaits a rejection of exactly `Class` with `code`; records the error for the secrets case. */
async function rejects(promiseOrFn, Class, code, label) {
  let error;
  let threw = false;
  try {
    await (typeof promiseOrFn === "function" ? promiseOrFn() : promiseOrFn);
  } catch (e) {
    threw = true;
    error = e;
  }
  if (threw) seen.errors.push(error);
  ok(threw, `${label}: expected a ${Class.name} (${code}), the call succeeded`);
  ok(error instanceof Class, `${label}: expected a ${Class.name}, got ${error && error.name}: ${error && error.code} ${error && error.message}`);
  ok(error instanceof Error, `${label}: not an Error`);
  eq(error.name, Class.name, `${label}: name`);
  eq(error.code, code, `${label}: code`);
  ok(typeof error.message === "string" && error.message.length > 0, `${label}: message`);
  ok(typeof error.stack === "string" && error.stack.length > 0, `${label}: stack kept`);
  return error;
}
/** rejects(), also measuring how long the call took to settle. */
async function rejectsTimed(call, Class, code, label) {
  const t0 = Date.now();
  let error;
  let threw = false;
  try {
    await call();
  } catch (e) {
    threw = true;
    error = e;
  }
  const elapsed = Date.now() - t0;
  return { e: await rejects(threw ? Promise.reject(error) : Promise.resolve(), Class, code, label), elapsed };
}

/** Decodes a JWT payload without verifying it (test inspection only). */
function claims(jwt) {
  const b64 = jwt.split(".")[1].replace(/-/g, "+").replace(/_/g, "/");
  return JSON.parse(new TextDecoder().decode(Uint8Array.from(atob(b64), (c) => c.charCodeAt(0))));
}

// -----------------------------------------------------------------------------------------------
// Stores

/** A store over a Map that counts its calls (`sets` is what "no session was written" checks). */
function recordingStore() {
  const map = new Map();
  const store = {
    map,
    gets: 0,
    sets: 0,
    deletes: 0,
    async get(id) {
      store.gets++;
      return map.get(id);
    },
    async set(id, value) {
      store.sets++;
      map.set(id, value);
    },
    async delete(id) {
      store.deletes++;
      map.delete(id);
    },
  };
  return store;
}

/** A store reading whatever storeOptions.value holds: one client, any number of sealed values. */
function valueStore() {
  const store = {
    deletes: 0,
    async get(_id, so) {
      return so?.value;
    },
    async set() {
      throw new Error("valueStore is read-only");
    },
    async delete() {
      store.deletes++;
    },
  };
  return store;
}

// Sealing in plain WebCrypto (BEHAVIOUR.md §3.5) is tests/js/seal.js's.
const enc = new TextEncoder();

// -----------------------------------------------------------------------------------------------
// Expected outcomes, from BEHAVIOUR.md §2.2, §2.4, §2.5, §3.2

const CTE = "CustomTokenExchangeError";
/**
 * Faults of discovery and of the token endpoint, run through customTokenExchange (lane
 * "exchange") and loginWithCustomTokenExchange (lane "login").
 * [scenario, {cls, code, status?, message?, cause?, hang?, notFollowed?, memory?} | {ok: true}]
 * `memory`: the instance's memory is measured around the failing call (BEHAVIOUR.md §9.4).
 */
export const REQUEST_FAULTS = [
  // BEHAVIOUR.md §2.4's first row: network error *or timeout* → "network error" / "timed out after N ms", `cause` set.
  ["token-hang", { cls: CTE, code: "token_exchange_failed", message: /timed out after 300 ms/, hang: true, cause: true }],
  ["token-hang-mid-body", { cls: CTE, code: "token_exchange_failed", message: /timed out after 300 ms/, hang: true, cause: true }],
  ["token-hang-mid-body-chunked", { cls: CTE, code: "token_exchange_failed", message: /timed out after 300 ms/, hang: true, cause: true }],
  ["token-reset-before-response", { cls: CTE, code: "token_exchange_failed", message: /network error/, cause: true }],
  ["token-reset-mid-body", { cls: CTE, code: "token_exchange_failed", message: /network error/, cause: true }],
  ["token-content-length-short", { cls: CTE, code: "token_exchange_failed", message: /network error/, cause: true }],
  ["token-content-length-huge", { cls: CTE, code: "invalid_response" }],
  ["token-500-html", { cls: CTE, code: "token_exchange_failed", status: 500, message: /^Token exchange failed: HTTP 500$/ }],
  ["token-503-empty", { cls: CTE, code: "token_exchange_failed", status: 503 }],
  ["token-302-redirect", { cls: CTE, code: "token_exchange_failed", status: 302, notFollowed: true }],
  ["token-400-json-error", { cls: CTE, code: "invalid_grant", status: 400, message: /^The subject token was rejected \(fault server\)$/, causeBody: { error: "invalid_grant" } }],
  ["token-403-json-uppercase-type", { cls: CTE, code: "access_denied", status: 403, causeBody: { error: "access_denied" } }],
  ["token-400-json-error-not-string", { cls: CTE, code: "token_exchange_failed", status: 400, message: /^Token exchange failed: HTTP 400$/, causeBody: { error: 42 } }],
  ["token-400-json-labelled-text", { cls: CTE, code: "token_exchange_failed", status: 400, message: /^Token exchange failed: HTTP 400$/ }],
  ["token-400-json-truncated", { cls: CTE, code: "token_exchange_failed", status: 400 }],
  ["token-400-error-over-1mib", { cls: CTE, code: "token_exchange_failed", status: 400 }],
  ["token-200-gzip-bomb", { cls: CTE, code: "invalid_response", memory: true }],
  ["token-200-not-json", { cls: CTE, code: "invalid_response" }],
  ["token-200-empty", { cls: CTE, code: "invalid_response" }],
  ["token-200-truncated-json", { cls: CTE, code: "invalid_response" }],
  ["token-200-json-array", { cls: CTE, code: "invalid_response" }],
  ["token-200-json-null", { cls: CTE, code: "invalid_response" }],
  ["token-200-no-access-token", { cls: CTE, code: "invalid_response" }],
  ["token-200-negative-expires-in", { cls: CTE, code: "invalid_response" }],
  ["token-200-10mb", { cls: CTE, code: "invalid_response" }],
  ["token-200-10mb-chunked", { cls: CTE, code: "invalid_response" }],
  ["token-200-wrong-content-type", { ok: true }],
  ["token-200-expires-in-string", { ok: true }],
  ["token-200-600kb-access-token", { ok: true, accessToken: LARGE_ACCESS_TOKEN }],
  ["discovery-hang", { cls: CTE, code: "token_exchange_failed", message: /timed out after 300 ms/, hang: true, cause: true }],
  ["discovery-500", { cls: CTE, code: "token_exchange_failed", status: 500, cause: true }],
  ["discovery-not-json", { cls: CTE, code: "token_exchange_failed", cause: true }],
  ["discovery-gzip-bomb", { cls: CTE, code: "token_exchange_failed", memory: true }],
  ["discovery-302-redirect", { cls: CTE, code: "token_exchange_failed", status: 302, cause: true, notFollowed: true }],
  ["discovery-foreign-issuer", { cls: "ConfigurationError", code: "configuration_error" }],
  ["discovery-no-token-endpoint", { cls: "ConfigurationError", code: "configuration_error" }],
  // BEHAVIOUR.md §10.2: a present endpoint that is not https on the tenant's origin.
  ["discovery-token-endpoint-not-http", { cls: CTE, code: "invalid_response" }],
];

/**
 * Faults that only ID token verification sees: login → IdTokenError with BEHAVIOUR.md §3.2's code, no
 * session; customTokenExchange with an actor token → succeeds, tokens intact, `act` undefined
 * (BEHAVIOUR.md §2.5). `sticky`: the bad document is legitimately cached, or a failed JWKS fetch is not
 * retried for 30 s (BEHAVIOUR.md §9.6), so the immediate retry fails the same way, without a new request,
 * and the next call succeeds once `sticky` seconds have passed (BEHAVIOUR.md §2.2, §2.5).
 */
export const VERIFY_FAULTS = [
  ["jwks-500", { code: "jwks_fetch_error", sticky: 31 }],
  ["jwks-hang", { code: "jwks_fetch_error", hang: true, sticky: 31 }],
  ["jwks-not-json", { code: "jwks_fetch_error", sticky: 31 }],
  ["jwks-gzip-bomb", { code: "jwks_fetch_error", sticky: 31, memory: true }],
  ["jwks-without-signing-key", { code: "jwks_key_not_found", sticky: 31 }],
  ["discovery-no-jwks-uri", { code: "jwks_fetch_error", sticky: 601 }],
  ["idtoken-alg-none", { code: "invalid_token" }],
  ["idtoken-hs256-public-key", { code: "invalid_token" }],
  ["idtoken-expired", { code: "token_expired" }],
  ["idtoken-iat-future", { code: "invalid_token" }],
  ["idtoken-wrong-aud", { code: "invalid_audience" }],
  ["idtoken-multi-aud-no-azp", { code: "invalid_token" }],
  ["idtoken-multi-aud-wrong-azp", { code: "invalid_audience" }],
  ["idtoken-wrong-iss", { code: "invalid_issuer" }],
  ["idtoken-bad-signature", { code: "invalid_signature" }],
  ["idtoken-unknown-kid", { code: "jwks_key_not_found" }],
  ["idtoken-malformed", { code: "invalid_token" }],
  ["idtoken-no-exp", { code: "invalid_token" }],
];

// -----------------------------------------------------------------------------------------------

/**
 * @param pkg the package's module namespace
 * @param env {ports: {[scenario]: {exchange, login}}}: from startFaultServer()
 * @returns [{name, fn}]
 */
export function faultSuite(pkg, env) {
  const { ServerClient, CustomTokenExchangeError, ConfigurationError, IdTokenError, StoreError, CookieStore, KvStore } = pkg;
  const classes = { CustomTokenExchangeError, ConfigurationError, IdTokenError, StoreError };
  const url = (scenario, lane = "exchange") => {
    const port = env.ports[scenario]?.[lane];
    if (!port) throw new Error(`no fault server port for ${scenario}/${lane}`);
    return `http://127.0.0.1:${port}`;
  };
  const stats = async (scenario, lane) => (await fetch(`${url(scenario, lane)}/__fault/stats`)).json();
  // Lane "exchange" authenticates with client_secret_basic, lane "login" with client_secret_post:
  // the client secret travels both ways, and the secrets case checks neither leaks.
  const client = (scenario, lane, extra = {}) =>
    new ServerClient({
      domain: url(scenario, lane),
      clientId: CLIENT_ID,
      clientSecret: CLIENT_SECRET,
      clientAuthMethod: lane === "login" ? "client_secret_post" : "client_secret_basic",
      secret: SESSION_SECRET,
      ...extra,
    });
  const subject = (user = "alice", extra = {}) => ({ subjectToken: SUBJECT_TOKENS[user], subjectTokenType: SUBJECT_TOKEN_TYPE, scope: "openid profile", ...extra });
  const withActor = (user = "alice") => subject(user, { actorToken: ACTOR_TOKEN, actorTokenType: ACTOR_TOKEN_TYPE });
  const checkTokens = (r, label) => {
    ok(r && typeof r.accessToken === "string" && r.accessToken.length >= 40, `${label}: accessToken`);
    ok(Number.isInteger(r.expiresIn) && r.expiresIn === 3600, `${label}: expiresIn 3600 as a number`);
    ok(Object.values(r).every((v) => v !== null), `${label}: no null fields`);
  };
  const checkSessionWritten = async (c, store, label) => {
    eq(store.sets, 1, `${label}: exactly one session write`);
    const user = await c.getUser();
    ok(user && typeof user.sub === "string" && user.sub.startsWith("auth0|"), `${label}: getUser reads the session back`);
  };

  // The instance's memory: the wasm linear memory (the package's loader answers the instance's
  // exports), and the process's RSS where the runtime reports one (Node).
  const memoryNow = () => ({
    wasm: ServerClient[Symbol.for("auth0-edge.loader")].initSync().memory.buffer.byteLength,
    rss: typeof globalThis.process?.memoryUsage === "function" ? globalThis.process.memoryUsage().rss : undefined,
  });
  /** Runs `fn`; the wasm memory may grow by at most `wasmMiB`, the RSS by at most `rssMiB`. */
  const boundedMemory = async (label, { wasmMiB, rssMiB }, fn) => {
    const before = memoryNow();
    const out = await fn();
    const after = memoryNow();
    const grew = (k) => (after[k] - before[k]) / MiB;
    ok(grew("wasm") <= wasmMiB, `${label}: the wasm memory grew ${grew("wasm").toFixed(2)} MiB (at most ${wasmMiB})`);
    if (before.rss !== undefined) ok(grew("rss") <= rssMiB, `${label}: the RSS grew ${grew("rss").toFixed(1)} MiB (at most ${rssMiB})`);
    memoryLog.push(`${label}: wasm ${(before.wasm / MiB).toFixed(2)} → ${(after.wasm / MiB).toFixed(2)} MiB` + (before.rss === undefined ? "" : `, RSS ${(before.rss / MiB).toFixed(0)} → ${(after.rss / MiB).toFixed(0)} MiB`));
    return out;
  };
  const memoryLog = [];

  captureConsole();
  const cases = [];
  const test = (name, fn) => cases.push({ name, fn });

  test("healthy fault server: exchange, delegated exchange with act, login, session", async () => {
    const c = client("healthy", "exchange");
    const r = await c.customTokenExchange(subject());
    checkTokens(r, "exchange");
    eq(r.act, undefined, "no act without an actor");
    const d = await c.customTokenExchange(withActor());
    ok(d.act && typeof d.act.sub === "string" && d.act.sub.startsWith("service|"), "act from the verified ID token");
    const store = recordingStore();
    const l = client("healthy", "login", { stateStore: store });
    const { stateData } = await l.loginWithCustomTokenExchange(subject("bob"));
    eq(stateData.user.sub, claims(stateData.idToken).sub, "user.sub");
    await checkSessionWritten(l, store, "login");
  });

  // --- discovery and token endpoint faults -------------------------------------------------
  for (const [scenario, want] of REQUEST_FAULTS) {
    const outcome = want.ok ? "succeeds (BEHAVIOUR.md §2.4)" : `${want.cls} ${want.code}, no session`;
    test(`fault ${scenario}: ${outcome}; the next call on the same client succeeds`, async () => {
      const timeoutMs = want.hang ? HANG_TIMEOUT_MS : 5000;
      // Status, message and cause are checked softly: a mismatch is reported at the end, after
      // the rest of the scenario (next call, no session, login lane) has run and been checked.
      const problems = [];
      const soft = (fn) => {
        try {
          fn();
        } catch (e) {
          if (!(e instanceof AssertionError)) throw e;
          problems.push(e.message);
        }
      };
      const check = (e, label) => {
        soft(() => (want.status !== undefined ? eq(e.status, want.status, `${label}: status`) : eq(e.status, undefined, `${label}: no status`)));
        if (want.message) soft(() => ok(want.message.test(e.message), `${label}: message ${JSON.stringify(e.message)} does not match ${want.message}`));
        if (want.cause) soft(() => ok(e.cause !== undefined && e.cause !== null, `${label}: no cause`));
        if (want.causeBody) for (const [k, v] of Object.entries(want.causeBody)) soft(() => eq(e.cause && e.cause[k], v, `${label}: cause.${k} (the body)`));
      };
      const expectFault = async (call, label) => {
        if (want.ok) return call();
        const { e, elapsed } = await rejectsTimed(call, classes[want.cls], want.code, label);
        check(e, label);
        if (want.hang) ok(elapsed < timeoutMs + SETTLE_SLACK_MS, `${label}: settled ${elapsed} ms after the start (timeout ${timeoutMs} ms)`);
        return e;
      };

      // customTokenExchange, then the next call on the same client.
      const ex = client(scenario, "exchange", { timeoutMs });
      const call = () => expectFault(() => ex.customTokenExchange(subject()), `${scenario} customTokenExchange`);
      const first = want.memory ? await boundedMemory(scenario, BOMB_BOUNDS, call) : await call();
      if (want.ok) checkTokens(first, `${scenario}: customTokenExchange`);
      if (want.accessToken) ok(first.accessToken === want.accessToken, `${scenario}: the access token, unchanged (${first.accessToken.length} characters)`);
      checkTokens(await ex.customTokenExchange(subject()), `${scenario}: next customTokenExchange`);

      // loginWithCustomTokenExchange: no session written, then the next login works.
      const store = recordingStore();
      const lc = client(scenario, "login", { timeoutMs, stateStore: store });
      await expectFault(() => lc.loginWithCustomTokenExchange(subject()), `${scenario} loginWithCustomTokenExchange`);
      if (want.accessToken) {
        // Sealed into the session (over 800 KB) and read back from it.
        ok((await lc.getAccessToken()).accessToken === want.accessToken, `${scenario}: the session's access token, unchanged`);
      }
      if (!want.ok) {
        eq(store.sets, 0, `${scenario}: no session written`);
        eq(await lc.getSession(), undefined, `${scenario}: no session after the failed login`);
      }
      store.sets = 0;
      await lc.loginWithCustomTokenExchange(subject());
      await checkSessionWritten(lc, store, `${scenario}: next login`);

      for (const lane of ["exchange", "login"]) {
        const s = await stats(scenario, lane);
        eq(s.faultsServed, 1, `${scenario}/${lane}: the fault was served once`);
        if (want.notFollowed) eq(s.hits.redirected, 0, `${scenario}/${lane}: the redirect was not followed`);
        if (want.hang) {
          // The client aborted the request at its deadline: the server saw the connection go.
          for (let i = 0; i < 50 && (await stats(scenario, lane)).held > 0; i++) await new Promise((r) => setTimeout(r, 20));
          eq((await stats(scenario, lane)).held, 0, `${scenario}/${lane}: no request left hanging on the server`);
        }
      }
      if (problems.length > 0) throw new AssertionError(`everything else held, but:\n  ${problems.join("\n  ")}`);
    });
  }

  // --- JWKS and ID token faults ----------------------------------------------------------------
  for (const [scenario, want] of VERIFY_FAULTS) {
    test(`fault ${scenario}: login IdTokenError ${want.code}, no session; exchange with actor keeps tokens, act undefined; next call succeeds`, async () => {
      const timeoutMs = want.hang ? HANG_TIMEOUT_MS : 5000;

      // customTokenExchange with an actor token: the exchange succeeds, act is left undefined.
      const ex = client(scenario, "exchange", { timeoutMs });
      const r = await ex.customTokenExchange(withActor());
      checkTokens(r, `${scenario}: exchange`);
      ok(typeof r.idToken === "string" && r.idToken.length > 0, `${scenario}: the ID token is returned, not lost`);
      eq(r.act, undefined, `${scenario}: act undefined when the ID token does not verify`);
      const hasAct = (t) => t.act && typeof t.act.sub === "string" && t.act.sub.startsWith("service|");
      if (want.sticky) {
        // The bad document is cached (BEHAVIOUR.md §2.2/§2.5): the retry still has no act, and once the
        // cache may be refreshed the next call verifies again.
        const again = await ex.customTokenExchange(withActor());
        checkTokens(again, `${scenario}: immediate retry`);
        eq(again.act, undefined, `${scenario}: immediate retry, same cached document`);
        ok(hasAct(await later(want.sticky, () => ex.customTokenExchange(withActor()))), `${scenario}: act after ${want.sticky} s`);
      } else {
        ok(hasAct(await ex.customTokenExchange(withActor())), `${scenario}: next exchange has act`);
      }

      // loginWithCustomTokenExchange: IdTokenError, no session.
      const store = recordingStore();
      const lc = client(scenario, "login", { timeoutMs, stateStore: store });
      const login = () => rejectsTimed(() => lc.loginWithCustomTokenExchange(subject()), IdTokenError, want.code, `${scenario} login`);
      const { elapsed } = want.memory ? await boundedMemory(scenario, BOMB_BOUNDS, login) : await login();
      if (want.hang) ok(elapsed < timeoutMs + SETTLE_SLACK_MS, `${scenario}: settled after ${elapsed} ms`);
      eq(store.sets, 0, `${scenario}: no session written`);
      eq(await lc.getSession(), undefined, `${scenario}: no session`);
      if (want.sticky) {
        const jwksBefore = (await stats(scenario, "login")).hits.jwks;
        await rejects(lc.loginWithCustomTokenExchange(subject()), IdTokenError, want.code, `${scenario} immediate retry`);
        eq(store.sets, 0, `${scenario}: still no session`);
        eq((await stats(scenario, "login")).hits.jwks, jwksBefore, `${scenario}: the retry sent no JWKS request`);
        await later(want.sticky, () => lc.loginWithCustomTokenExchange(subject()));
      } else {
        await lc.loginWithCustomTokenExchange(subject());
      }
      await checkSessionWritten(lc, store, `${scenario}: next login`);
      for (const lane of ["exchange", "login"]) eq((await stats(scenario, lane)).faultsServed, 1, `${scenario}/${lane}: the fault was served once`);
    });
  }

  // --- bounded inputs (BEHAVIOUR.md §9.3) ----------------------------------------------------------------
  test("bounded inputs: 32 MiB tokens, options and authorizationParams are refused before the wasm memory grows", async () => {
    const c = client("healthy", "exchange", { stateStore: recordingStore() });
    const big = "a".repeat(32 * MiB);
    const cases = [
      ["a 32 MiB subjectToken", subject("alice", { subjectToken: big }), "invalid_token_format"],
      ["a 32 MiB actorToken", subject("alice", { actorToken: big, actorTokenType: ACTOR_TOKEN_TYPE }), "invalid_token_format"],
      ["a 32 MiB audience", subject("alice", { audience: big }), "invalid_parameter"],
      ["a 32 MiB authorizationParams value", subject("alice", { authorizationParams: { x: big } }), "invalid_parameter"],
      ["a 32 MiB value in an authorizationParams array", subject("alice", { authorizationParams: { x: ["a", big] } }), "invalid_parameter"],
      ["an authorizationParams array of 1,000,000 values", subject("alice", { authorizationParams: { x: new Array(1e6).fill("v") } }), "invalid_parameter"],
      ["authorizationParams with 200,000 keys", subject("alice", { authorizationParams: Object.fromEntries(Array.from({ length: 2e5 }, (_, i) => [`k${i}`, "v"])) }), "invalid_parameter"],
    ];
    const tokenHits = (await stats("healthy", "exchange")).hits.token;
    for (const method of ["customTokenExchange", "loginWithCustomTokenExchange"]) {
      await boundedMemory(`${method}, ${cases.length} oversized inputs`, { wasmMiB: 0.25, rssMiB: Infinity }, async () => {
        for (const [label, options, code] of cases) await rejects(c[method](options), CustomTokenExchangeError, code, `${method}: ${label}`);
      });
    }
    eq((await stats("healthy", "exchange")).hits.token, tokenHits, "nothing reached the token endpoint");
    checkTokens(await c.customTokenExchange(subject()), "a healthy exchange afterwards");
    return memoryLog.join("\n");
  });

  // --- concurrent callers of one failing shared fetch ---------------------------------------------
  test("concurrency: 20 callers sharing a discovery that hangs all get token_exchange_failed at the deadline; the next call succeeds", async () => {
    const c = client("discovery-hang-concurrent", "exchange", { timeoutMs: HANG_TIMEOUT_MS });
    const t0 = Date.now();
    const results = await Promise.allSettled(Array.from({ length: 20 }, () => c.customTokenExchange(subject())));
    const elapsed = Date.now() - t0;
    ok(elapsed < HANG_TIMEOUT_MS + SETTLE_SLACK_MS, `all settled after ${elapsed} ms`);
    for (const [i, r] of results.entries()) {
      ok(r.status === "rejected", `caller ${i} rejected`);
      await rejects(Promise.reject(r.reason), CustomTokenExchangeError, "token_exchange_failed", `caller ${i}`);
    }
    eq((await stats("discovery-hang-concurrent", "exchange")).hits.discovery, 1, "one shared discovery request");
    checkTokens(await c.customTokenExchange(subject()), "next call");
  });

  test("concurrency: 20 logins sharing a JWKS fetch that fails all get jwks_fetch_error and write nothing; the next login, 30 s on, succeeds", async () => {
    const store = recordingStore();
    const c = client("jwks-500-concurrent", "login", { stateStore: store });
    const results = await Promise.allSettled(Array.from({ length: 20 }, () => c.loginWithCustomTokenExchange(subject())));
    for (const [i, r] of results.entries()) {
      ok(r.status === "rejected", `login ${i} rejected`);
      await rejects(Promise.reject(r.reason), IdTokenError, "jwks_fetch_error", `login ${i}`);
    }
    eq(store.sets, 0, "no session written");
    eq((await stats("jwks-500-concurrent", "login")).hits.jwks, 1, "one shared JWKS request");
    // A failed JWKS fetch is not retried for 30 s (BEHAVIOUR.md §9.6): the next login fails at once.
    await rejects(c.loginWithCustomTokenExchange(subject()), IdTokenError, "jwks_fetch_error", "within 30 s");
    eq((await stats("jwks-500-concurrent", "login")).hits.jwks, 1, "no JWKS request within 30 s");
    await later(31, () => c.loginWithCustomTokenExchange(subject()));
    await checkSessionWritten(c, store, "next login");
  });

  // --- nothing lost: what a login writes, getSession reads back ------------------------------------
  // A valid ID token at the edges of the package's limits (JSON nesting, sealed size): login may
  // refuse it with a typed error and write nothing, or succeed, and then the session it wrote must
  // open. A login that succeeds and writes a session no later call can read loses the session.
  for (const [fault, params, unit] of [
    ["idtoken-act-depth", [32, 62, 63, 64], "levels of act"],
    ["idtoken-claim-size", [100, 300, 400, 700], "KiB claim"],
  ]) {
    test(`round trip (${fault}): a login's session reads back, or the login fails and writes nothing`, async () => {
      const problems = [];
      for (const param of params) {
        const r = await fetch(`${url(fault, "login")}/__fault/arm?fault=${fault}&times=1&param=${param}`, { method: "POST" });
        eq(r.status, 200, "armed");
        const store = recordingStore();
        const c = client(fault, "login", { stateStore: store });
        let stateData;
        try {
          ({ stateData } = await c.loginWithCustomTokenExchange(subject()));
        } catch (e) {
          seen.errors.push(e);
          ok(e instanceof pkg.Auth0EdgeError, `${param} ${unit}: a typed package error, got ${e && e.name}`);
          eq(store.sets, 0, `${param} ${unit}: a failed login writes nothing`);
          continue;
        }
        eq(store.sets, 1, `${param} ${unit}: one session written`);
        const sealedLength = store.map.get(ID).length;
        const back = await c.getSession();
        if (back === undefined) {
          problems.push(`${param} ${unit}: login succeeded and wrote a ${sealedLength}-character session, getSession gives undefined`);
          continue;
        }
        eq(back.user, stateData.user, `${param} ${unit}: the user reads back as logged in`);
      }
      if (problems.length > 0) throw new AssertionError(`session written but lost:\n  ${problems.join("\n  ")}`);
    });
  }

  // --- store faults ------------------------------------------------------------------------------
  test("store: set rejects → StoreError with the cause, nothing written; the next login works", async () => {
    const store = recordingStore();
    const boom = new Error("disk full");
    let failing = true;
    const realSet = store.set;
    store.set = async (...args) => {
      if (failing) {
        store.sets++;
        throw boom;
      }
      return realSet(...args);
    };
    const c = client("healthy", "login", { stateStore: store });
    const e = await rejects(c.loginWithCustomTokenExchange(subject()), StoreError, "store_error", "set rejects");
    ok(e.cause === boom, "cause is the store's error");
    eq(store.map.size, 0, "nothing written");
    eq(await c.getSession(), undefined, "no session");
    failing = false;
    store.sets = 0;
    await c.loginWithCustomTokenExchange(subject());
    await checkSessionWritten(c, store, "next login");
  });

  test("store: set throws synchronously, or is missing at call time → StoreError", async () => {
    const store = recordingStore();
    const c = client("healthy", "login", { stateStore: store });
    const realSet = store.set;
    store.set = () => {
      throw new TypeError("sync throw");
    };
    await rejects(c.loginWithCustomTokenExchange(subject()), StoreError, "store_error", "set throws synchronously");
    store.set = undefined;
    await rejects(c.loginWithCustomTokenExchange(subject()), StoreError, "store_error", "set removed after construction");
    store.get = () => ({ then: () => { throw new Error("thenable throws"); } });
    await rejects(c.getSession(), StoreError, "store_error", "get returns a thenable that throws");
    store.get = async () => undefined;
    store.set = realSet;
    eq(store.map.size, 0, "nothing written");
    await c.loginWithCustomTokenExchange(subject());
    eq(store.map.size, 1, "the next login writes");
  });

  test("store: get rejects → StoreError; delete rejects on logout → StoreError", async () => {
    const store = recordingStore();
    const c = client("healthy", "login", { stateStore: store });
    await c.loginWithCustomTokenExchange(subject());
    const { get, delete: del } = store;
    store.get = async () => {
      throw new Error("unreachable backend");
    };
    await rejects(c.getSession(), StoreError, "store_error", "get rejects");
    await rejects(c.getUser(), StoreError, "store_error", "getUser with get rejecting");
    store.get = get;
    store.delete = async () => {
      throw new Error("unreachable backend");
    };
    await rejects(c.logout(), StoreError, "store_error", "delete rejects");
    store.delete = del;
    ok(await c.getUser(), "the session is still there");
    ok((await c.logout()).includes("/v2/logout?client_id="), "logout works again");
    eq(await c.getSession(), undefined, "gone after logout");
  });

  test("store: methods that never settle → StoreError after timeoutMs; every call settles", async () => {
    const never = () => new Promise(() => {});
    const store = recordingStore();
    const c = client("healthy", "login", { stateStore: store, timeoutMs: HANG_TIMEOUT_MS });
    const real = { get: store.get, set: store.set, delete: store.delete };
    for (const method of ["set", "get", "delete"]) {
      store[method] = never;
      const call = { set: () => c.loginWithCustomTokenExchange(subject()), get: () => c.getSession(), delete: () => c.logout() }[method];
      const { elapsed } = await rejectsTimed(call, StoreError, "store_error", `${method} hangs`);
      ok(elapsed < HANG_TIMEOUT_MS + SETTLE_SLACK_MS, `${method}: settled after ${elapsed} ms`);
      store[method] = real[method];
    }
    eq(store.map.size, 0, "nothing written");
    await c.loginWithCustomTokenExchange(subject());
    ok(await c.getUser(), "the next login works and reads back");
  });

  test("store: garbage from get is no session, never an exception", async () => {
    const c = client("healthy", "login", { stateStore: valueStore() });
    const sealedShape = "eyJhbGciOiJkaXIiLCJlbmMiOiJBMjU2Q0JDLUhTNTEyIn0..AAAAAAAAAAAAAAAAAAAAAA.AAAAAAAAAAAAAAAAAAAAAA.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA";
    const garbage = [
      null, undefined, 0, 42, NaN, true, false, "", " ", "garbage", "....", ".", "a.b.c.d.e", "a.b.c.d.e.f",
      sealedShape, `${sealedShape}.`, sealedShape.replace("..", ".x."), "\uD800", "é".repeat(100), "\u0000".repeat(10),
      "A".repeat(2 * 1024 * 1024), `${sealedShape.split(".")[0]}.`.repeat(1000),
      {}, [], ["x"], { toString: () => sealedShape }, new String(sealedShape), Symbol("s"), () => "x", 10n,
      new Uint8Array(10), Promise.resolve(42), { then: (r) => r("garbage") },
    ];
    for (const value of garbage) {
      const label = typeof value === "string" ? `string of ${value.length}` : typeof value;
      eq(await c.getSession({ value }), undefined, `getSession with ${label}`);
      eq(await c.getUser({ value }), undefined, `getUser with ${label}`);
    }
    const l = client("healthy", "login", { stateStore: recordingStore() });
    await l.loginWithCustomTokenExchange(subject());
    ok(await l.getUser(), "the package still works");
  });

  test("store: CookieStore with immutable response headers → StoreError, no Set-Cookie written", async () => {
    const c = client("healthy", "login", { stateStore: new CookieStore() });
    const request = new Request("https://app.example/");
    const response = Response.redirect("https://app.example/next", 302);
    const e = await rejects(c.loginWithCustomTokenExchange(subject(), { request, response }), StoreError, "store_error", "immutable headers");
    ok(e.cause instanceof TypeError, "cause is the store's TypeError");
    eq(response.headers.getSetCookie ? response.headers.getSetCookie() : [], [], "no Set-Cookie half-written");
    const ok2 = { request, response: new Response(null) };
    await c.loginWithCustomTokenExchange(subject(), ok2);
    ok(ok2.response.headers.get("set-cookie").startsWith(`${NAME}_0=`), "the next login sets its cookie");
  });

  test("store: KvStore whose put rejects → StoreError, no cookie for an entry that does not exist", async () => {
    const entries = new Map();
    let failing = true;
    const ns = {
      get: async (k) => entries.get(k) ?? null,
      put: async (k, v) => {
        if (failing) throw new Error("KV unavailable");
        entries.set(k, v);
      },
      delete: async (k) => void entries.delete(k),
    };
    const c = client("healthy", "login", { stateStore: new KvStore(ns) });
    const so = { request: new Request("https://app.example/"), response: new Response(null) };
    await rejects(c.loginWithCustomTokenExchange(subject(), so), StoreError, "store_error", "put rejects");
    eq(so.response.headers.get("set-cookie"), null, "no cookie");
    eq(entries.size, 0, "no entry");
    failing = false;
    await c.loginWithCustomTokenExchange(subject(), so);
    eq(entries.size, 1, "the next login stores its entry");
    ok(await c.getUser(so), "and reads it back");
  });

  // --- faults in the refresh path (BEHAVIOUR.md §4): a typed error, the session kept --------------------------
  test("refresh: token endpoint faults during getAccessToken → AccessTokenError refresh_token_error, session kept, next refresh works", async () => {
    const store = recordingStore();
    const c = client("spare", "login", { stateStore: store, timeoutMs: HANG_TIMEOUT_MS });
    await c.loginWithCustomTokenExchange(subject("alice", { scope: "openid offline_access" }));
    const sealed = store.map.get(ID);
    const stored = (await c.getSession()).tokenSets[0].accessToken;
    const arm = async (fault) => {
      const r = await fetch(`${url("spare", "login")}/__fault/arm?fault=${fault}&times=1`, { method: "POST" });
      eq(r.status, 200, `armed ${fault}`);
    };
    const faults = [
      ["token-500-html", { status: 500, cause: "token_exchange_failed" }],
      ["token-400-json-error", { status: 400, cause: "invalid_grant" }],
      ["token-hang", { cause: "token_exchange_failed" }],
      ["token-reset-mid-body", { cause: "token_exchange_failed" }],
      ["token-200-not-json", { cause: "invalid_response" }],
      ["token-200-10mb-chunked", { cause: "invalid_response" }],
    ];
    for (const [fault, want] of faults) {
      await arm(fault);
      const sets = store.sets;
      // 3,590 s later the stored token (3,600 s) is within 30 s of expiry: a refresh is due.
      const e = await later(3590, () => rejects(c.getAccessToken(), pkg.AccessTokenError, "refresh_token_error", `refresh under ${fault}`));
      eq(e.status, want.status, `${fault}: status`);
      ok(e.cause instanceof CustomTokenExchangeError && e.cause.code === want.cause, `${fault}: cause ${want.cause}, got ${e.cause && e.cause.code}`);
      eq(store.sets, sets, `${fault}: the session was not rewritten`);
      eq(store.map.get(ID), sealed, `${fault}: the sealed session is unchanged`);
      eq((await c.getAccessToken()).accessToken, stored, `${fault}: the stored token is still served while valid`);
    }
    const refreshed = (await later(3590, () => c.getAccessToken())).accessToken;
    ok(typeof refreshed === "string" && refreshed !== stored, "the next refresh works");
    eq(store.sets, 2, "and is stored");
    eq((await stats("spare", "login")).faultsServed, faults.length, "every fault was served");
  });

  // --- tampering through the real package (WebCrypto) --------------------------------------------
  /** Logs `user` in through the healthy server; returns the sealed session and its user. */
  const sealedLogin = async (user, extra = {}, options = subject(user)) => {
    const store = recordingStore();
    const c = client("healthy", "login", { stateStore: store, ...extra });
    const { stateData } = await c.loginWithCustomTokenExchange(options);
    const sealed = store.map.get(extra.stateIdentifier ?? ID);
    ok(typeof sealed === "string" && sealed.split(".").length === 5, "a compact JWE was stored");
    return { sealed, sub: stateData.user.sub };
  };
  /** getSession for many values at once, in batches; returns the indices that were not undefined. */
  const openAll = async (c, values) => {
    const opened = [];
    for (let i = 0; i < values.length; i += 64) {
      const batch = values.slice(i, i + 64);
      const results = await Promise.all(batch.map((value) => c.getSession({ value })));
      results.forEach((r, j) => r !== undefined && opened.push(i + j));
    }
    return opened;
  };
  const B64URL = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

  test("tamper: every character of a sealed session changed two ways, and every truncation → undefined", async () => {
    const { sealed, sub } = await sealedLogin("alice");
    const store = valueStore();
    const c = client("healthy", "login", { stateStore: store });
    eq((await c.getSession({ value: sealed })).user.sub, sub, "control: the untouched value opens");
    const flipped = [];
    const substituted = [];
    for (let i = 0; i < sealed.length; i++) {
      const ch = sealed[i];
      flipped.push(sealed.slice(0, i) + String.fromCharCode(ch.charCodeAt(0) ^ 1) + sealed.slice(i + 1));
      // A valid base64url symbol, so the change reaches the MAC instead of the decoder.
      const sym = ch === "." ? "A" : B64URL[(B64URL.indexOf(ch) + 1) % 64];
      substituted.push(sealed.slice(0, i) + sym + sealed.slice(i + 1));
    }
    const truncated = Array.from({ length: sealed.length }, (_, n) => sealed.slice(0, n));
    const dropped = Array.from({ length: sealed.length }, (_, i) => sealed.slice(0, i) + sealed.slice(i + 1));
    const t0 = Date.now();
    eq(await openAll(c, flipped), [], `no character flipped (of ${sealed.length}) opens`);
    eq(await openAll(c, substituted), [], "no character substituted opens");
    eq(await openAll(c, truncated), [], "no truncation opens");
    eq(await openAll(c, dropped), [], "no dropped character opens");
    const ms = Date.now() - t0;
    const [h, , iv, ct, tag] = sealed.split(".");
    const structural = [
      `${sealed}A`, `${sealed}.`, `.${sealed}`, ` ${sealed}`, `${sealed} `, sealed.toUpperCase(), sealed.toLowerCase(),
      [...sealed].reverse().join(""), `${h}..${tag}.${ct}.${iv}`, `${h}..${iv}.${ct}.${ct}`, `${h}..${iv}.${ct}.`,
      `${h}.AAAA.${iv}.${ct}.${tag}`, `${h}..${iv}.${ct}${ct}.${tag}`, `${h}..${iv}..${tag}`, `${h}..${iv}.${ct.slice(0, 22)}.${tag}`,
      `${sealed}.${tag}`, `${h}..${iv}.${ct}.${tag}${tag}`, sealed.replace(/\./g, ""), sealed + sealed,
    ];
    eq(await openAll(c, structural), [], "no structural change opens");
    eq(store.deletes, 0, "a tampered value is not deleted (only an expired one is)");
    eq((await c.getSession({ value: sealed })).user.sub, sub, "the original still opens afterwards");
    // A note for the runner's report: how long several thousand opens through WebCrypto took.
    return `${flipped.length * 4} tampered values of a ${sealed.length}-character session rejected in ${ms} ms`;
  });

  test("a session sealed without domain (BEHAVIOUR.md §10.4): the static domain's client reads it; under a domain resolver it is foreign, left in place, its refresh token never sent", async () => {
    const { sealed, sub } = await sealedLogin("alice", {}, subject("alice", { scope: "openid profile offline_access" }));
    const state = JSON.parse(new TextDecoder().decode(await open(sealed, SESSION_SECRET, ID)));
    ok(typeof state.refresh_token === "string" && typeof state.domain === "string", "the login recorded its domain and a refresh token");
    const older = await withoutDomain(sealed, SESSION_SECRET, ID);
    const fixed = client("healthy", "login", { stateStore: valueStore() });
    eq((await fixed.getSession({ value: older })).user.sub, sub, "a static domain accepts it as its own");
    const before = await stats("healthy", "login");
    const store = valueStore();
    const resolved = client("healthy", "login", { domain: () => url("healthy", "login"), allowedDomains: [url("healthy", "login")], stateStore: store });
    eq(await resolved.getSession({ value: older }), undefined, "under a resolver: no session");
    await later(7200, () => rejects(resolved.getAccessToken({}, { value: older }), pkg.AccessTokenError, "missing_session", "getAccessToken as without a session"));
    eq(store.deletes, 0, "left in the store");
    eq((await stats("healthy", "login")).hits.token, before.hits.token, "no token request: its refresh token was never sent");
  });

  test("tamper: re-encrypted under another secret, another stateIdentifier, another header → undefined", async () => {
    const { sealed, sub } = await sealedLogin("alice");
    const plaintext = await open(sealed, SESSION_SECRET, ID);
    const state = JSON.parse(new TextDecoder().decode(plaintext));
    eq(state.user.sub, sub, "our own open reads the package's state");
    const c = client("healthy", "login", { stateStore: valueStore() });
    const get = (value) => c.getSession({ value });

    eq((await get(await seal(plaintext, SESSION_SECRET, ID))).user.sub, sub, "control: our own seal with the same secret and identifier opens");
    eq(await get(await seal(plaintext, OTHER_SESSION_SECRET, ID)), undefined, "another secret");
    eq(await get(await seal(plaintext, SESSION_SECRET, "_a0_session_other")), undefined, "another stateIdentifier (HKDF salt)");
    eq(await get(await seal(plaintext, SESSION_SECRET, "")), undefined, "an empty salt");
    for (const header of [
      { alg: "dir", enc: "A128CBC-HS256" },
      { alg: "dir", enc: "A256CBC-HS512", zip: "DEF" },
      { alg: "dir", enc: "A256CBC-HS512", crit: ["exp"], exp: 1 },
      { alg: "none", enc: "A256CBC-HS512" },
      { alg: "A256KW", enc: "A256CBC-HS512" },
    ]) {
      eq(await get(await seal(plaintext, SESSION_SECRET, ID, header)), undefined, `header ${JSON.stringify(header)}, correctly MACed`);
    }
    // Correctly sealed, but not a session: malformed plaintexts.
    const bad = [
      "", "not json", "[]", "null", '"a string"', "{}", '{"internal":{}}', "\u00ff\u00fe",
      JSON.stringify({ ...state, user: "string" }), JSON.stringify({ ...state, token_sets: "x" }), JSON.stringify({ ...state, internal: null }),
      JSON.stringify({ ...state, token_sets: [{ audience: "default" }] }), JSON.stringify(state).slice(0, -1),
    ];
    for (const text of bad) {
      eq(await get(await seal(enc.encode(text), SESSION_SECRET, ID)), undefined, `malformed state ${JSON.stringify(text.slice(0, 30))}`);
    }
    eq(await get(await seal(new Uint8Array([0xff, 0xfe, 0x80, 0x00]), SESSION_SECRET, ID)), undefined, "invalid UTF-8");
    // Older than sessionDuration: undefined, and the entry is deleted.
    const store = valueStore();
    const old = client("healthy", "login", { stateStore: store });
    const stale = { ...state, internal: { ...state.internal, created_at: state.internal.created_at - 259200 - 10 } };
    eq(await old.getSession({ value: await seal(enc.encode(JSON.stringify(stale)), SESSION_SECRET, ID) }), undefined, "expired");
    eq(store.deletes, 1, "the expired session is deleted");
    // Rotation still opens: [other, current].
    const rotated = client("healthy", "login", { stateStore: valueStore(), secret: [OTHER_SESSION_SECRET, SESSION_SECRET] });
    eq((await rotated.getSession({ value: sealed })).user.sub, sub, "control: opened by the second secret");
  });

  test("tamper: two users' sessions swapped across stateIdentifiers → undefined", async () => {
    const a = await sealedLogin("alice", { stateIdentifier: "session_a" });
    const b = await sealedLogin("bob", { stateIdentifier: "session_b" });
    ok(a.sub !== b.sub, "two users");
    const ca = client("healthy", "login", { stateStore: valueStore(), stateIdentifier: "session_a" });
    const cb = client("healthy", "login", { stateStore: valueStore(), stateIdentifier: "session_b" });
    eq((await ca.getSession({ value: a.sealed })).user.sub, a.sub, "control: a opens a");
    eq((await cb.getSession({ value: b.sealed })).user.sub, b.sub, "control: b opens b");
    eq(await ca.getSession({ value: b.sealed }), undefined, "a does not open b's session");
    eq(await cb.getSession({ value: a.sealed }), undefined, "b does not open a's session");
    const other = client("healthy", "login", { stateStore: valueStore(), stateIdentifier: "session_a", secret: OTHER_SESSION_SECRET });
    eq(await other.getSession({ value: a.sealed }), undefined, "same identifier, another secret");
  });

  test("tamper: CookieStore chunks reordered, one dropped, one altered → undefined", async () => {
    const store = new CookieStore();
    const c = client("healthy", "login", { stateStore: store });
    const so = { request: new Request("https://app.example/"), response: new Response(null) };
    await c.loginWithCustomTokenExchange(subject(), so);
    const value = so.response.headers.get("set-cookie").split(";")[0].slice(`${NAME}_0=`.length);
    // Split into three chunks by hand, as a larger session would be.
    const n = Math.ceil(value.length / 3);
    const parts = [value.slice(0, n), value.slice(n, 2 * n), value.slice(2 * n)];
    const read = (cookie) => c.getSession({ request: new Request("https://app.example/", { headers: { cookie } }) });
    const sub = (await read(parts.map((p, i) => `${NAME}_${i}=${p}`).join("; "))).user.sub;
    ok(sub.startsWith("auth0|"), "control: three chunks reassemble");
    eq(await read(`${NAME}_0=${parts[1]}; ${NAME}_1=${parts[0]}; ${NAME}_2=${parts[2]}`), undefined, "chunks swapped");
    eq(await read(`${NAME}_0=${parts[0]}; ${NAME}_2=${parts[2]}`), undefined, "middle chunk dropped");
    eq(await read(`${NAME}_0=${parts[0]}; ${NAME}_1=${parts[1]}`), undefined, "last chunk dropped");
    eq(await read(`${NAME}_0=${parts[0]}; ${NAME}_1=${parts[1]}A; ${NAME}_2=${parts[2]}`), undefined, "a chunk altered");
    eq(await read(`${NAME}_0=${parts[0]}; ${NAME}_1=${parts[1]}; ${NAME}_2=${parts[2]}; ${NAME}_3=AAAA`), undefined, "a chunk appended");
  });

  // --- last: nothing leaked ------------------------------------------------------------------------
  test("secrets: no error message, String, JSON, stack, cause or console line carries a secret or token", async () => {
    consoleRestore?.();
    ok(seen.errors.length >= 80, `the scenarios above produced the errors checked here (${seen.errors.length})`);
    const needles = [];
    for (const s of SECRET_VALUES) needles.push(s, encodeURIComponent(s), new URLSearchParams({ s }).toString().slice(2));
    needles.push(btoa(`${new URLSearchParams({ a: CLIENT_ID }).toString().slice(2)}:${new URLSearchParams({ a: CLIENT_SECRET }).toString().slice(2)}`));
    const texts = [];
    const visit = (e, depth) => {
      if (depth > 5 || e === undefined || e === null) return;
      if (e instanceof Error || (typeof e === "object" && "message" in e)) {
        texts.push(String(e.message), String(e), safeJson(e), String(e.stack ?? ""));
        for (const [k, v] of Object.entries(e)) texts.push(`${k}=${safeJson(v)}`);
        visit(e.cause, depth + 1);
      } else {
        texts.push(safeJson(e), String(e));
      }
    };
    for (const e of seen.errors) visit(e, 0);
    texts.push(...seen.console);
    // On a hit, name the text's position and the needle's, never the text itself.
    texts.forEach((text, i) => {
      needles.forEach((needle, j) => ok(!text.includes(needle), `secret #${j} appears in text #${i} (of ${texts.length})`));
    });
    ok(texts.length >= 4 * seen.errors.length, `checked ${texts.length} texts`);
    return `${seen.errors.length} errors (${texts.length} texts with causes and ${seen.console.length} console lines) free of ${SECRET_VALUES.length} secrets`;
  });

  // --- after everything else: a failure here can leave the wasm instance unusable -------------------
  // Options whose reading throws in JavaScript (a throwing getter, a Proxy trap). BEHAVIOUR.md §2.1 makes a
  // value of the wrong type `invalid_parameter` (a rejection, like every other validation error),
  // and a bad `secret` is `invalid_secret`; whatever the input, thousands of such calls must leave
  // the instance working (an exception unwinding through wasm frames skips their epilogues).
  test("bad input: options whose reading throws → typed errors, and 5,000 of them leave the instance working", async () => {
    const throwingGetter = () => ({ get custom_field() { throw new Error("getter"); } });
    const throwingArray = () => ({ many: new Proxy(["a"], { get(t, k) { if (k === "length") throw new Error("trap"); return t[k]; } }) });
    const throwingKeys = () => new Proxy({}, { ownKeys() { throw new Error("trap"); } });
    const revoked = () => {
      const { proxy, revoke } = Proxy.revocable({}, {});
      revoke();
      return proxy;
    };
    const c = client("healthy", "exchange", { stateStore: recordingStore() });
    const problems = [];
    const classify = async (fn) => {
      let p;
      try {
        p = fn();
      } catch (e) {
        return `threw synchronously ${e && e.name} (${e && e.code})`;
      }
      try {
        await p;
        return "resolved";
      } catch (e) {
        return e instanceof CustomTokenExchangeError ? `rejected ${e.code}` : `rejected ${e && e.name} (${e && e.code})`;
      }
    };
    for (const [label, params] of [["a throwing getter", throwingGetter], ["an array whose length throws", throwingArray], ["a Proxy whose ownKeys throws", throwingKeys], ["a revoked Proxy", revoked]]) {
      for (const method of ["customTokenExchange", "loginWithCustomTokenExchange"]) {
        const got = await classify(() => c[method](subject("alice", { authorizationParams: params() })));
        if (got !== "rejected invalid_parameter") problems.push(`${method}, authorizationParams with ${label}: ${got}, want rejected invalid_parameter`);
      }
    }
    const whole = await classify(() => c.customTokenExchange(revoked()));
    if (whole !== "rejected invalid_token_format") problems.push(`customTokenExchange(a revoked Proxy): ${whole}, want rejected invalid_token_format`);
    try {
      new ServerClient(revoked());
      problems.push("new ServerClient(a revoked Proxy) was accepted");
    } catch (e) {
      if (!(e instanceof ConfigurationError)) problems.push(`new ServerClient(a revoked Proxy): ${e && e.name}, want a ConfigurationError`);
    }
    try {
      new ServerClient({ domain: url("healthy"), clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, secret: new Proxy([SESSION_SECRET], { get() { throw new Error("trap"); } }) });
      problems.push("secret: a Proxy whose reads throw was accepted");
    } catch (e) {
      if (!(e instanceof ConfigurationError && e.code === "invalid_secret")) problems.push(`secret: a Proxy whose reads throw: ${e && e.name} (${e && e.code}), want ConfigurationError invalid_secret`);
    }
    // Many of them, then the instance must still work.
    let broken;
    for (let i = 0; i < 5000 && !broken; i++) {
      try {
        await c.customTokenExchange(subject("alice", { authorizationParams: throwingGetter() }));
      } catch {}
      if (i % 500 === 499) {
        try {
          new ServerClient({ domain: url("healthy"), clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, secret: SESSION_SECRET });
        } catch (e) {
          broken = `after ${i + 1} calls with a throwing getter in authorizationParams, new ServerClient throws ${e && e.name}: ${e && e.message}`;
        }
      }
    }
    if (broken) problems.push(broken);
    else checkTokens(await client("healthy", "exchange").customTokenExchange(subject()), "a healthy exchange afterwards");
    if (problems.length > 0) throw new AssertionError(problems.join("\n  "));
  });

  return cases;
}
