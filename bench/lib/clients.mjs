// The clients under test, built the same way for every measurement (CPU, memory, cold start in
// Node): auth0-edge (the built pkg/, through its "node" export condition) and
// @auth0/auth0-server-js, each against its tenant of bench/token-server.mjs, with client_secret_post
// (the SDK's only secret method), telemetry on (both defaults), and an in-memory session store.
//
// Sessions, the same semantics for both: the whole session sealed as a JWE (dir, A256CBC-HS512,
// HKDF-derived key) and the sealed string kept in process memory under the state identifier.
// - auth0-edge: its MemoryStore (a Map identifier → sealed string).
// - the SDK: its StatelessStateStore (the JWE, chunked into "cookies") over an in-memory cookie
//   handler: a Map name → value held by the storeOptions object. Each operation passes a fresh
//   storeOptions, i.e. a request that carries no session yet: the SDK's loginWithCustomTokenExchange
//   first reads (and would decrypt) an existing session to merge into it, which auth0-edge never
//   does, so a fresh jar spares the SDK that extra decryption (the comparison favours the SDK).

/** A subject token from a legacy system, as a Worker would receive it. */
export const SUBJECT_TOKEN = "legacy-session.6f1c0a9b2e4d4c7f8a3b5d1e9c2f7a60.alice";
export const SUBJECT_TOKEN_TYPE = "urn:acme:legacy-token";
export const SESSION_SECRET = "bench-session-secret-6f1c0a9b2e4d4c7f8a3b5d1e9c2f7a60";

/** The token server's coordinates, from the BENCH_SERVER environment variable (run.mjs sets it). */
export function server() {
  const raw = process.env.BENCH_SERVER;
  if (!raw) throw new Error("BENCH_SERVER is not set: run this through bench/run.mjs");
  return JSON.parse(raw);
}

/** @auth0/auth0-auth-js always builds https://{domain}: the SDK's tenant is plain HTTP on loopback. */
function httpsToHttp(input, init) {
  if (typeof input === "string" || input instanceof URL) return fetch(String(input).replace(/^https:/, "http:"), init);
  throw new TypeError("bench: unexpected fetch input");
}

/** A cookie handler over storeOptions.jar (a Map): the SDK's cookies, in memory. */
const memoryCookies = {
  setCookie: (name, value, _options, storeOptions) => void storeOptions.jar.set(name, value),
  getCookie: (name, storeOptions) => storeOptions.jar.get(name),
  getCookies: (storeOptions) => Object.fromEntries(storeOptions.jar),
  deleteCookie: (name, storeOptions) => void storeOptions.jar.delete(name),
};

export const LIBS = {
  /** auth0-edge: import the package, build one client. */
  async edge(srv = server()) {
    const { ServerClient, MemoryStore } = await import("auth0-edge");
    const client = new ServerClient({
      domain: srv.tenants.edge.issuer,
      clientId: srv.clientId,
      clientSecret: srv.clientSecret,
      clientAuthMethod: "client_secret_post",
      secret: SESSION_SECRET,
      stateStore: new MemoryStore(),
    });
    const options = { subjectToken: SUBJECT_TOKEN, subjectTokenType: SUBJECT_TOKEN_TYPE, audience: srv.audience, scope: srv.scope };
    // Delegation: with an actor token, `act` is read only from a verified token (the ID token).
    const delegated = { ...options, actorToken: "bench-actor-token", actorTokenType: SUBJECT_TOKEN_TYPE };
    // DPoP: the same client with a key pair (ES256, non-extractable): a proof signed per request.
    let dpopClient;
    const withDpop = async () =>
      (dpopClient ??= new ServerClient({
        domain: srv.tenants.edge.issuer, clientId: srv.clientId, clientSecret: srv.clientSecret, clientAuthMethod: "client_secret_post",
        secret: SESSION_SECRET,
        dpopKeyPair: await crypto.subtle.generateKey({ name: "ECDSA", namedCurve: "P-256" }, false, ["sign", "verify"]),
      }));
    return {
      client,
      exchange: () => client.customTokenExchange(options),
      exchangeAct: () => client.customTokenExchange(delegated),
      exchangeDpop: async () => (await withDpop()).customTokenExchange(options),
      async login() {
        const storeOptions = {};
        await client.loginWithCustomTokenExchange(options, storeOptions);
        return client.getSession(storeOptions);
      },
    };
  },

  /** @auth0/auth0-server-js: import the package, build one client with in-memory stores. */
  async sdk(srv = server()) {
    const { ServerClient, StatelessStateStore, CookieTransactionStore } = await import("@auth0/auth0-server-js");
    const client = new ServerClient({
      domain: new URL(srv.tenants.sdk.issuer).host,
      clientId: srv.clientId,
      clientSecret: srv.clientSecret,
      customFetch: httpsToHttp,
      transactionStore: new CookieTransactionStore({ secret: SESSION_SECRET }, memoryCookies),
      stateStore: new StatelessStateStore({ secret: SESSION_SECRET }, memoryCookies),
    });
    const options = { subjectToken: SUBJECT_TOKEN, subjectTokenType: SUBJECT_TOKEN_TYPE, audience: srv.audience, scope: srv.scope };
    // Delegation: with an actor token, `act` is read only from a verified token (the ID token).
    const delegated = { ...options, actorToken: "bench-actor-token", actorTokenType: SUBJECT_TOKEN_TYPE };
    return {
      client,
      exchange: () => client.customTokenExchange(options),
      exchangeAct: () => client.customTokenExchange(delegated),
      async login() {
        const storeOptions = { jar: new Map() };
        await client.loginWithCustomTokenExchange(options, storeOptions);
        return client.getSession(storeOptions);
      },
    };
  },

  /**
   * The floor of a cold start: bench-empty-package (lib/empty-package: an exports map with the
   * same conditions as auth0-edge's, one ES module, no work), imported by name and constructed the
   * same way. What Node spends on resolving and loading a package, whatever the package does.
   */
  async empty() {
    const { ServerClient, MemoryStore } = await import("bench-empty-package");
    return { client: new ServerClient({ stateStore: new MemoryStore() }) };
  },

  /** The floor: a bare fetch POST of a token-exchange form and its JSON, no library. */
  async fetch(srv = server()) {
    const url = `${srv.tenants.edge.issuer}oauth/token`;
    const body = new URLSearchParams({
      grant_type: "urn:ietf:params:oauth:grant-type:token-exchange", client_id: srv.clientId, client_secret: srv.clientSecret,
      subject_token: SUBJECT_TOKEN, subject_token_type: SUBJECT_TOKEN_TYPE, audience: srv.audience, scope: srv.scope,
    }).toString();
    const exchange = async () => {
      const res = await fetch(url, { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded", accept: "application/json" }, body });
      return res.json();
    };
    return { client: null, exchange, login: exchange };
  },
};

/** Checks one result of each operation, so a benchmark never times failures. */
export function check(lib, op, result) {
  if (op.startsWith("exchange") && lib !== "fetch" && !(typeof result?.accessToken === "string" && result.accessToken.length > 100)) {
    throw new Error(`${lib} ${op}: no access token in ${JSON.stringify(result)?.slice(0, 200)}`);
  }
  if (op === "login" && lib !== "fetch" && result?.user?.sub !== "auth0|6643f1a3bc9a2b0f4e7d1c55") {
    throw new Error(`${lib} ${op}: no session user in ${JSON.stringify(result)?.slice(0, 200)}`);
  }
  if (lib === "fetch" && typeof result?.access_token !== "string") throw new Error(`fetch: ${JSON.stringify(result)?.slice(0, 200)}`);
}
