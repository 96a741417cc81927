// Hostile values (BEHAVIOUR.md §11), for every runtime of the shared suite: every option of every method,
// and every value a caller's code hands back (a custom fetch's answer, a store's results, a domain
// resolver's answer), given each value below. Each call must settle within the client's timeout,
// as its result or a typed error whose message never holds the value; no exception or rejection
// may escape; afterwards the same client still exchanges a token, and the wasm memory has not
// grown by more than 1 MiB.

import { CLIENTS, TOKEN_TYPES } from "../provider/fixtures.mjs";
import { ok, eq } from "./asserts.mjs";
import { hostileValues, boom, answering, HOW, THROWING_GETTER, BIG } from "./hostile-values.js";

const SECRET = "a-session-secret-of-at-least-32-characters!";
const TIMEOUT_MS = 1500;

/** `base` with `key` set to `value` (or, for THROWING_GETTER, defined as a throwing getter). */
function withOption(base, key, value) {
  const o = { ...base };
  if (value === THROWING_GETTER) Object.defineProperty(o, key, { get: boom, enumerable: true, configurable: true });
  else o[key] = value;
  return o;
}

/** Watches for exceptions and rejections that escape: `seen` lists them. */
function watchEscapes() {
  const seen = [];
  if (typeof Deno === "undefined" && typeof process !== "undefined" && typeof process.on === "function") {
    const h = (e) => seen.push(e);
    process.on("uncaughtException", h);
    process.on("unhandledRejection", h);
    return { seen, stop: () => (process.off("uncaughtException", h), process.off("unhandledRejection", h)) };
  }
  const h = (e) => {
    seen.push(e.reason ?? e.error ?? e);
    e.preventDefault();
  };
  globalThis.addEventListener("unhandledrejection", h);
  globalThis.addEventListener("error", h);
  return {
    seen,
    stop: () => (globalThis.removeEventListener("unhandledrejection", h), globalThis.removeEventListener("error", h)),
  };
}

/** A safe label for a caught value (never formats the hostile value itself). */
function describe(e) {
  try {
    return `${Object.prototype.toString.call(e)} ${typeof e?.message === "string" ? e.message.slice(0, 200) : ""}`;
  } catch {
    return "(unprintable)";
  }
}

/**
 * Runs `call` and checks how it ended: within `ms`, as a result (`{ value }`) or as one of the
 * package's errors (`{ error }`) whose message is short and does not hold the 32 MiB value. Only
 * a `sync` call (a constructor, buildSessionTransferRedirect) may throw instead of rejecting.
 */
async function settles(pkg, what, call, { sync = false, ms = TIMEOUT_MS + 3000 } = {}) {
  let timer;
  const late = new Promise((resolve) => (timer = setTimeout(() => resolve(LATE), ms)));
  let outcome;
  try {
    let p;
    try {
      p = call();
    } catch (e) {
      ok(sync, `${what}: threw synchronously (${describe(e)})`);
      throw e;
    }
    outcome = await Promise.race([Promise.resolve(p).then((value) => ({ value })), late]);
  } catch (e) {
    ok(e instanceof pkg.Auth0EdgeError, `${what}: rejected with something else than the package's errors: ${describe(e)}`);
    ok(typeof e.code === "string" && /^[a-z_]+$/.test(e.code), `${what}: code`);
    ok(e.message.length < 400 && !e.message.includes("xxxxxxxx"), `${what}: message holds the value or is long`);
    outcome = { error: e };
  } finally {
    clearTimeout(timer);
  }
  ok(outcome !== LATE, `${what}: did not settle within ${ms} ms`);
  return outcome;
}
const LATE = Symbol("late");

/** The wasm instance's memory, through the loader's registered symbol. */
const memoryOf = (pkg) => pkg.ServerClient[Symbol.for("auth0-edge.loader")].initSync().memory;

const CLIENT_KEYS = ["domain", "clientId", "clientSecret", "clientAuthMethod", "clientAssertionSigningKey",
  "clientAssertionSigningAlg", "secret", "stateIdentifier", "sessionDuration", "timeoutMs", "telemetry", "fetch", "stateStore",
  "refreshCoordinator", "refreshCoordinatorFallback", "dpopKeyPair"];
const EXCHANGE_KEYS = ["subjectToken", "subjectTokenType", "audience", "scope", "actorToken", "actorTokenType",
  "organization", "requestedTokenType", "authorizationParams"];

/**
 * @param pkg the package's module namespace
 * @param env {issuer}: the local provider
 * @returns [{name, fn}]
 */
export function hostileSuite(pkg, env) {
  const cases = [];
  const test = (name, fn) => cases.push({ name, fn });
  const base = {
    domain: env.issuer,
    clientId: CLIENTS.basic.clientId,
    clientSecret: CLIENTS.basic.clientSecret,
    secret: SECRET,
    timeoutMs: TIMEOUT_MS,
  };
  const exchange = { subjectToken: "legacy-alice", subjectTokenType: TOKEN_TYPES.LEGACY };

  /** Runs `body(values, client)` between a real exchange and a check of memory, escapes and a second exchange. */
  const hostile = (name, body) =>
    test(`hostile values: ${name}`, async () => {
      const values = hostileValues();
      const client = new pkg.ServerClient({ ...base, stateStore: new pkg.MemoryStore() });
      eq(typeof (await client.customTokenExchange(exchange)).accessToken, "string", "an exchange before");
      const memory = memoryOf(pkg);
      const before = memory.buffer.byteLength;
      const watch = watchEscapes();
      let calls = 0;
      try {
        calls = await body(values, client);
        // Let any stray microtask or timer run before looking.
        await new Promise((r) => setTimeout(r, 50));
      } finally {
        watch.stop();
      }
      eq(watch.seen.map(describe), [], "exceptions or rejections that escaped");
      eq(typeof (await client.customTokenExchange(exchange)).accessToken, "string", `an exchange after ${calls} hostile calls`);
      const grown = memory.buffer.byteLength - before;
      ok(grown <= 1 << 20, `wasm memory grew by ${grown} bytes over ${calls} hostile calls`);
    });

  hostile("every client option, and the options object itself, throws ConfigurationError or builds a client", async (values) => {
    let calls = 0;
    for (const [label, v] of values) {
      const targets = CLIENT_KEYS.map((k) => [k, () => withOption({ ...base, stateStore: new pkg.MemoryStore() }, k, v)]);
      if (v !== THROWING_GETTER) targets.push(["the options", () => v]);
      for (const [key, options] of targets) {
        const what = `new ServerClient(${key}: ${label})`;
        const { value, error } = await settles(pkg, what, () => new pkg.ServerClient(options()), { sync: true });
        ok(error === undefined || error instanceof pkg.ConfigurationError, `${what}: ${error?.name}`);
        value?.free();
        calls++;
      }
    }
    return calls;
  });

  hostile("every option of customTokenExchange, loginWithCustomTokenExchange and requestSessionTransferToken, and authorizationParams values", async (values, client) => {
    let calls = 0;
    const methods = ["customTokenExchange", "loginWithCustomTokenExchange", "requestSessionTransferToken"];
    for (const [label, v] of values) {
      const targets = EXCHANGE_KEYS.map((k) => [k, withOption(exchange, k, v)]);
      targets.push(["authorizationParams.extra", { ...exchange, authorizationParams: withOption({}, "extra", v) }]);
      if (v !== THROWING_GETTER) targets.push(["the options", v]);
      for (const method of methods) {
        for (const [key, options] of targets) {
          const what = `${method}(${key}: ${label})`;
          const { error } = await settles(pkg, what, () => client[method](options, {}));
          // Refused before any request: a token of the wrong type or size is invalid_token_format,
          // any other option over 8 KiB invalid_parameter (BEHAVIOUR.md §9.3).
          const expected = key === "subjectTokenType" && v === BIG ? "invalid_parameter" : "invalid_token_format";
          if (key === "subjectToken" || key === "subjectTokenType" || key === "the options")
            ok(error?.code === expected, `${what}: ${error?.code}`);
          calls++;
        }
      }
    }
    return calls;
  });

  hostile("getAccessToken, logout, getDPoPHeaders, fetchWithAuth and buildSessionTransferRedirect options and arguments", async (values, client) => {
    let calls = 0;
    const transfer = { sessionTransferToken: "stt_x", issuedTokenType: "urn:x" };
    for (const [label, v] of values) {
      const value = v === THROWING_GETTER ? undefined : v;
      const async = [
        ["getAccessToken(audience)", () => client.getAccessToken(withOption({}, "audience", v), {})],
        ["getAccessToken(scope)", () => client.getAccessToken(withOption({}, "scope", v), {})],
        ["logout(returnTo)", () => client.logout(withOption({}, "returnTo", v), {})],
        ["logout(federated)", () => client.logout(withOption({}, "federated", v), {})],
        ["fetchWithAuth(options.audience)", () => client.fetchWithAuth("https://api.example/", withOption({}, "audience", v), {})],
      ];
      for (const key of ["url", "method", "accessToken"]) {
        async.push([`getDPoPHeaders(${key})`, () => client.getDPoPHeaders(withOption({ url: "https://api.example/", accessToken: "t" }, key, v))]);
      }
      if (v !== THROWING_GETTER) {
        async.push(["getAccessToken(options)", () => client.getAccessToken(value, {})]);
        async.push(["logout(options)", () => client.logout(value, {})]);
        async.push(["getDPoPHeaders(options)", () => client.getDPoPHeaders(value)]);
        async.push(["fetchWithAuth(request)", () => client.fetchWithAuth(value, {}, {})]);
      }
      for (const [what, call] of async) {
        await settles(pkg, `${what}: ${label}`, call);
        calls++;
      }
      const sync = [
        ["buildSessionTransferRedirect(organization)", () => client.buildSessionTransferRedirect("https://web.example/login", transfer, withOption({}, "organization", v))],
        ["buildSessionTransferRedirect(result.sessionTransferToken)", () => client.buildSessionTransferRedirect("https://web.example/login", withOption(transfer, "sessionTransferToken", v))],
      ];
      if (v !== THROWING_GETTER) {
        sync.push(["buildSessionTransferRedirect(targetLoginUrl)", () => client.buildSessionTransferRedirect(value, transfer)]);
        sync.push(["buildSessionTransferRedirect(result)", () => client.buildSessionTransferRedirect("https://web.example/login", value)]);
        sync.push(["buildSessionTransferRedirect(options)", () => client.buildSessionTransferRedirect("https://web.example/login", transfer, value)]);
      }
      for (const [what, call] of sync) {
        await settles(pkg, `${what}: ${label}`, call, { sync: true });
        calls++;
      }
    }
    return calls;
  });

  hostile("ApiClient: every option of its constructor, of verifyAccessToken, verifyRequest and getTokenOnBehalfOf, the request's members, and what its fetch answers", async (values) => {
    let calls = 0;
    const apiBase = { domain: env.issuer, audience: "https://api.example.com", timeoutMs: TIMEOUT_MS };
    const verify = { accessToken: "e30.e30.c2ln" };
    const api = new pkg.ApiClient(apiBase);
    const obo = new pkg.ApiClient({ ...apiBase, clientId: CLIENTS.basic.clientId, clientSecret: CLIENTS.basic.clientSecret });
    for (const [label, v] of values) {
      for (const key of ["domain", "allowedDomains", "audience", "fetch", "timeoutMs", "leeway", "clientId", "clientSecret", "clientAssertionSigningKey", "dpopReplayCache"]) {
        const what = `new ApiClient(${key}: ${label})`;
        const { value, error } = await settles(pkg, what, () => new pkg.ApiClient(withOption(apiBase, key, v)), { sync: true });
        ok(error === undefined || error instanceof pkg.ConfigurationError, `${what}: ${error?.name}`);
        value?.free();
        calls++;
      }
      // A request-like object whose headers, method or url is the value (or a throwing getter).
      const requestLike = { headers: new Headers({ authorization: "Bearer e30.e30.c2ln" }), method: "GET", url: "https://api.example.com/" };
      for (const key of ["headers", "method", "url"]) {
        const what = `verifyRequest(request.${key}: ${label})`;
        const { value, error } = await settles(pkg, what, () => api.verifyRequest(withOption(requestLike, key, v)));
        ok(value === undefined && (error instanceof pkg.VerifyAccessTokenError || error instanceof pkg.ConfigurationError), `${what}: ${error?.name}`);
        calls++;
      }
      for (const key of ["audience", "scope"]) {
        await settles(pkg, `getTokenOnBehalfOf(options.${key}: ${label})`, () => obo.getTokenOnBehalfOf("e30.e30.c2ln", withOption({ audience: "https://downstream.example.com" }, key, v)));
        calls++;
      }
      for (const key of ["requiredClaims", "scopes"]) {
        await settles(pkg, `verifyRequest(options.${key}: ${label})`, () => api.verifyRequest(new Request("https://api.example.com/"), withOption({}, key, v)));
        calls++;
      }
      for (const key of ["accessToken", "requiredClaims", "scopes", "scheme", "dpopProof", "httpMethod", "httpUrl"]) {
        const what = `verifyAccessToken(${key}: ${label})`;
        const { value, error } = await settles(pkg, what, () => api.verifyAccessToken(withOption(verify, key, v)));
        ok(value === undefined && (error instanceof pkg.VerifyAccessTokenError || error instanceof pkg.ConfigurationError), `${what}: ${error?.name}`);
        calls++;
      }
      if (v === THROWING_GETTER) continue;
      await settles(pkg, `new ApiClient(options: ${label})`, () => new pkg.ApiClient(v), { sync: true });
      await settles(pkg, `verifyAccessToken(options: ${label})`, () => api.verifyAccessToken(v));
      await settles(pkg, `verifyRequest(request: ${label})`, () => api.verifyRequest(v));
      await settles(pkg, `getTokenOnBehalfOf(accessToken: ${label})`, () => obo.getTokenOnBehalfOf(v, { audience: "https://downstream.example.com" }));
      await settles(pkg, `getTokenOnBehalfOf(options: ${label})`, () => obo.getTokenOnBehalfOf("e30.e30.c2ln", v));
      await settles(pkg, `verifyRequest(options: ${label})`, () => api.verifyRequest(new Request("https://api.example.com/"), v));
      // A token signed by nobody reaches discovery through the caller's fetch, which answers `v`.
      for (const how of HOW) {
        const answers = new pkg.ApiClient({ ...apiBase, domain: env.issuer.replace("//127.0.0.1:", "//127.0.0.2:"), fetch: answering(how, v) });
        const what = `ApiClient fetch ${how} ${label}`;
        const { error } = await settles(pkg, what, () => answers.verifyAccessToken({ accessToken: "eyJhbGciOiJSUzI1NiIsInR5cCI6ImF0K2p3dCJ9.e30.c2ln" }));
        ok(error !== undefined, `${what}: refused`);
        answers.free();
        calls++;
      }
      calls += 6;
    }
    api.free();
    obo.free();
    return calls;
  });

  hostile("storeOptions of every method, through a CookieStore and a domain resolver", async (values) => {
    let calls = 0;
    const cookies = new pkg.ServerClient({ ...base, stateStore: new pkg.CookieStore() });
    const resolved = new pkg.ServerClient({ ...base, domain: () => env.issuer, allowedDomains: [env.issuer], stateStore: new pkg.CookieStore() });
    for (const [label, v] of values) {
      if (v === THROWING_GETTER) continue;
      for (const client of [cookies, resolved]) {
        for (const [what, call] of [
          ["customTokenExchange", () => client.customTokenExchange(exchange, v)],
          ["loginWithCustomTokenExchange", () => client.loginWithCustomTokenExchange(exchange, v)],
          ["getSession", () => client.getSession(v)],
          ["getUser", () => client.getUser(v)],
          ["getAccessToken", () => client.getAccessToken({}, v)],
          ["logout", () => client.logout({}, v)],
          ["requestSessionTransferToken", () => client.requestSessionTransferToken(exchange, v)],
        ]) {
          await settles(pkg, `${what}(storeOptions: ${label})`, call);
          calls++;
        }
      }
    }
    cookies.free();
    resolved.free();
    return calls;
  });

  hostile("what a caller's code answers: fetch, the store's get, set and delete, the domain resolver (returned, thrown, rejected)", async (values) => {
    let calls = 0;
    for (const [label, v] of values) {
      if (v === THROWING_GETTER) continue;
      for (const how of HOW) {
        const answer = answering(how, v);
        const fetching = new pkg.ServerClient({ ...base, fetch: answer });
        const store = { get: answer, set: answer, delete: answer };
        const storing = new pkg.ServerClient({ ...base, stateStore: store });
        const resolving = new pkg.ServerClient({ ...base, domain: answer, allowedDomains: [env.issuer], stateStore: new pkg.MemoryStore() });
        for (const [what, call] of [
          ["fetch", () => fetching.customTokenExchange(exchange)],
          ["store get", () => storing.getSession({})],
          ["store set", () => storing.loginWithCustomTokenExchange(exchange, {})],
          ["store delete", () => storing.logout({}, {})],
          ["domain resolver", () => resolving.customTokenExchange(exchange, {})],
        ]) {
          const { error } = await settles(pkg, `${what} ${how} ${label}`, call);
          if (what === "fetch" || what === "domain resolver")
            ok(error !== undefined, `${what} ${how} ${label}: must fail`);
          calls++;
        }
        for (const c of [fetching, storing, resolving]) c.free();
      }
    }
    return calls;
  });

  test("hostile values: options are own properties, each read once; Object.prototype is never read", async () => {
    let reads = 0;
    const counted = Object.defineProperty({ subjectTokenType: TOKEN_TYPES.LEGACY }, "subjectToken", {
      get: () => (reads++, "legacy-alice"),
      enumerable: true,
    });
    const client = new pkg.ServerClient(base);
    eq(typeof (await client.customTokenExchange(counted)).accessToken, "string", "an exchange with a getter");
    eq(reads, 1, "reads of subjectToken");
    // Inherited options are not options: a polluted prototype receives nothing.
    const planted = [];
    const pollute = { fetch: (...a) => (planted.push(a), fetch(...a)), stateStore: { get: boom, set: boom, delete: boom },
      audience: "https://planted.example", subjectToken: "planted", clientSecret: "planted-secret" };
    try {
      for (const [k, v] of Object.entries(pollute)) Object.defineProperty(Object.prototype, k, { value: v, configurable: true, writable: true });
      const polluted = new pkg.ServerClient({ domain: base.domain, clientId: base.clientId, clientSecret: base.clientSecret, secret: SECRET });
      const r = await polluted.customTokenExchange({ subjectToken: "legacy-alice", subjectTokenType: TOKEN_TYPES.LEGACY });
      eq(typeof r.accessToken, "string", "an exchange beside a polluted Object.prototype");
      const e = await settles(pkg, "getSession", () => polluted.getSession({}));
      eq(e.error?.code, "missing_state_store", "an inherited stateStore is no store");
    } finally {
      for (const k of Object.keys(pollute)) delete Object.prototype[k];
    }
    eq(planted.length, 0, "calls of an inherited fetch");
  });

  return cases;
}
