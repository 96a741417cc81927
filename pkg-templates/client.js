// ServerClient: the package's driver. It does the I/O (fetch, WebCrypto, the state store, caches,
// deadlines) and nothing else: every decision (what an option, a status, a body, a claim or a
// sealed value means, what to send, what to store) is made by the Rust core in the .wasm, called
// synchronously with bytes and JSON text (src/js.rs). The wasm keeps nothing between calls; this
// file holds the validated configuration and hands it back with each call.

import * as core from "./core.js";
import {
  toError,
  AccessTokenError,
  ConfigurationError,
  CustomTokenExchangeError,
  IdTokenError,
  StoreError,
} from "./errors.js";
import { MemoryStore } from "./stores.js";
import { aesCbc, hmac, importSigningKey, isTimeout, runtimeName, sealKeys, send, settle, signJws, verifyJws } from "./host.js";

const MAX_BODY = 1 << 20;
const CACHE_TTL = 600_000; // discovery and JWKS, SPEC §2.2, §2.5
const JWKS_REFETCH = 30_000; // an unknown kid refetches the JWKS at most this often
const ACCEPT = { Accept: "application/json" };
const utf8 = new TextEncoder();

/** A core result, or its error thrown (results are JSON or empty; errors are "!" + JSON). */
function unwrap(text) {
  if (text.charCodeAt(0) === 33) throw toError(JSON.parse(text.slice(1)));
  return text;
}

// ---------------------------------------------------------------------------------------------
// Options, classified for the core (src/core/input.rs documents the encoding). Only known keys
// are read, each once; a getter or Proxy trap that throws makes that value "of the wrong type".

const WRONG = {};

function read(o, key) {
  try {
    return o[key];
  } catch {
    return WRONG;
  }
}

function isObject(v) {
  try {
    return v !== null && typeof v === "object" && !Array.isArray(v);
  } catch {
    return false;
  }
}

function strings(v) {
  try {
    if (Array.isArray(v)) return Array.from(v, (x) => (typeof x === "string" ? x : 0));
  } catch {}
  return WRONG;
}

function scalar(v) {
  if (v == null) return undefined;
  const t = typeof v;
  if (t === "string" || t === "boolean") return v;
  if (t === "number") return Number.isFinite(v) ? v : WRONG;
  return strings(v);
}

function param(v) {
  const t = typeof v;
  if (v == null || t === "string") return v ?? null;
  if (t === "number" || t === "boolean") return String(v);
  return strings(v);
}

const CLIENT_KEYS = ["domain", "clientId", "clientSecret", "clientAuthMethod", "clientAssertionSigningAlg", "secret", "stateIdentifier", "sessionDuration", "timeoutMs", "telemetry"];
const EXCHANGE_KEYS = ["subjectToken", "subjectTokenType", "audience", "scope", "actorToken", "actorTokenType", "organization"];

/**
 * Appends classified option `v` to `out` as the core reads it (src/js.rs `Args::given`): a kind,
 * then the value: 0 absent, 1 wrong (also an array with a member that is not a string), 2 a
 * string, 3 a number, 4 true, 5 false, 6 an array of strings (its length, then each member).
 */
function tag(out, v) {
  const t = typeof v;
  if (v === undefined) out.push(0);
  else if (t === "boolean") out.push(v ? 4 : 5);
  else if (t === "string") out.push(2, v);
  else if (t === "number") out.push(3, v);
  else if (v === WRONG || v.includes(0)) out.push(1);
  else {
    out.push(6, v.length);
    for (const x of v) out.push(x);
  }
}

function shape(v, ok) {
  return v == null ? undefined : ok || WRONG;
}

function isStore(s) {
  return isObject(s) && ["get", "set", "delete"].every((m) => typeof read(s, m) === "function");
}

function isPrivateKey(k) {
  return isObject(k) && read(k, "type") === "private";
}

function exchangeOptions(o) {
  if (!isObject(o)) return "null";
  const r = {};
  for (const k of EXCHANGE_KEYS) r[k] = scalar(read(o, k));
  const p = read(o, "authorizationParams");
  if (p != null) {
    try {
      r.authorizationParams = isObject(p) ? Object.entries(p).map(([k, v]) => [k, param(v)]) : WRONG;
    } catch {
      r.authorizationParams = WRONG;
    }
  }
  return JSON.stringify(r);
}

function stringOption(options, key, message) {
  const v = options !== null && (typeof options === "object" || typeof options === "function") ? read(options, key) : undefined;
  if (v == null) return "";
  if (typeof v !== "string") throw new ConfigurationError("invalid_option", message);
  return v;
}

// ---------------------------------------------------------------------------------------------
// Per-isolate state, shared by every client (Workers often build a client per request).

/** Sessions of the default in-memory store, by identifier. */
const memory = new Map();

const discoveries = new Map();
const jwksCache = new Map();
/** Sealing keys by secret and identifier: HKDF and two imports once per isolate. */
const sealing = new Map();
/**
 * Sessions this isolate sealed or opened lately: sealed text -> {secret, id, state, views}.
 * Reading the same sealed value again (the session just written, the same cookie on the next
 * request) skips HMAC and decryption. A hit counts only for a client with the same identifier
 * that still holds the secret it was sealed with, so rotation and tampering behave exactly as
 * without it. At most 64 values of up to 64 KiB each.
 *
 * `views`: for one configuration (text) at a time, the core's views of the state by `what`
 * (src/js.rs `view`), each `[text, until]`, reused until the expiry time the core gave with it;
 * kept only for states up to 16 KiB, so views add at most 2 MiB to the memo's bound.
 */
const opened = new Map();
const VIEWS_MAX_STATE = 16_384;

/** The memo entry for `sealed` (a new one), or a bare one when the value is too large to keep. */
function remember(sealed, secret, id, state) {
  const entry = { secret, id, state, views: null };
  if (sealed.length > 65_536) return entry;
  opened.delete(sealed);
  opened.set(sealed, entry);
  if (opened.size > 64) opened.delete(opened.keys().next().value);
  return entry;
}

/** The view `what` of a memo entry's state under `config`, while the core's expiry time is ahead. */
function keptView(entry, config, what) {
  const v = entry.views?.config === config ? entry.views.byWhat[what] : undefined;
  return v && Date.now() < v[1] ? v[0] : undefined;
}

function keepView(entry, config, what, text, until) {
  if (!entry || entry.state.length > VIEWS_MAX_STATE) return;
  if (entry.views?.config !== config) entry.views = { config, byWhat: [] };
  entry.views.byWhat[what] = [text, until];
}

/**
 * The value cached under `key` while younger than `ttl` (the value itself, not a promise), else
 * `load()`'s promise. Concurrent callers share one load; a failed load is handed to every waiter
 * and forgotten. At most 100 entries, the least recently used settled one dropped first.
 */
function cached(map, key, ttl, load) {
  const hit = fresh(map, key, ttl);
  if (hit !== undefined) return hit;
  let e = map.get(key);
  if (e !== undefined && e.at === undefined) return e.p; // a load under way: share it
  e = {};
  e.p = load().then(
    (v) => {
      e.at = Date.now();
      e.v = v;
      return v;
    },
    (err) => {
      if (map.get(key) === e) map.delete(key);
      throw err;
    },
  );
  map.delete(key);
  map.set(key, e);
  if (map.size > 100) {
    for (const [k, x] of map) {
      if (x.at !== undefined) {
        map.delete(k);
        break;
      }
    }
  }
  return e.p;
}

/** The settled value cached under `key` while younger than `ttl` (marked recently used), or undefined. */
function fresh(map, key, ttl) {
  const e = map.get(key);
  if (e?.v === undefined || Date.now() - e.at >= ttl) return undefined;
  map.delete(key);
  map.set(key, e);
  return e.v;
}

function timeoutCause(ms) {
  const e = new Error(`no answer within ${ms} ms`);
  e.name = "TimeoutError";
  return e;
}

function failure(e, ms) {
  return isTimeout(e) ? timeoutCause(ms) : e;
}

function exchangeFailure(what, e, ms) {
  const how = isTimeout(e) ? `timed out after ${ms} ms` : "network error";
  return new CustomTokenExchangeError("token_exchange_failed", `${what} failed: ${how}`, { cause: failure(e, ms) });
}

const B64URL = new Uint8Array(128).fill(64);
for (let i = 0; i < 64; i++) B64URL["ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_".charCodeAt(i)] = i;

/** Unpadded base64url to bytes (a JWS signature); throws on a character outside the alphabet. */
function base64urlBytes(s) {
  const out = new Uint8Array((s.length * 3) >> 2);
  let acc = 0;
  let bits = 0;
  let j = 0;
  for (let i = 0; i < s.length; i++) {
    const v = B64URL[s.charCodeAt(i)] ?? 64;
    if (v === 64) throw new TypeError("not base64url");
    acc = ((acc << 6) | v) & 0xffffff;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out[j++] = acc >> bits;
    }
  }
  return out;
}

/**
 * The JWK of a fetched JWKS (`{text, at}`, see `#jwks`) for `token`: the core's `selectKey`,
 * remembered on the JWKS per JWS header (all that the choice depends on), at most 16 headers.
 */
function keyFor(jwks, token) {
  const header = token.slice(0, token.indexOf("."));
  const keys = (jwks.keys ??= new Map());
  let jwk = keys.get(header);
  if (jwk === undefined) {
    jwk = core.selectKey(jwks.text, token);
    if (keys.size < 16) keys.set(header, jwk);
  }
  return jwk;
}

let sealParams;

/**
 * `n` fresh random bytes. Drawn from a 4 KiB buffer filled by `crypto.getRandomValues` and
 * replaced when used up: each call gets bytes no other call gets, and a login (80 bytes: session
 * id and IV) calls into the host's generator about once in 50 instead of twice.
 */
let pool = new Uint8Array(0);
let poolAt = 0;
function randomBytes(n) {
  if (poolAt + n > pool.length) {
    pool = crypto.getRandomValues(new Uint8Array(4096));
    poolAt = 0;
  }
  // A copy: the pool's buffer is never handed out.
  return pool.slice(poolAt, (poolAt += n));
}

// ---------------------------------------------------------------------------------------------

/** An Auth0 client for Custom Token Exchange and sessions (SPEC §1). */
export class ServerClient {
  static name = "ServerClient";
  #options; // the options, classified and packed: the core validates them again at each call
  #config; // the core's configuration (JSON text): what this file reads, and the views' memo key
  #c; // the same, parsed
  #fetch;
  #store;
  #key;
  #signingKey;

  /** Validates the options; throws a `ConfigurationError`. Makes no network call. */
  constructor(options) {
    // The core's configure: the runtime's name, 1 and each option classified (`tag`, in the
    // order of src/core/input.rs `client_options`), or 0 when the options are not an object.
    const args = [runtimeName(), 0];
    if (isObject(options)) {
      args[1] = 1;
      for (const k of CLIENT_KEYS) tag(args, scalar(read(options, k)));
      const f = read(options, "fetch");
      tag(args, shape(f, typeof f === "function"));
      const store = read(options, "stateStore");
      const storeOk = isStore(store);
      tag(args, shape(store, storeOk));
      const key = read(options, "clientAssertionSigningKey");
      tag(args, typeof key === "string" ? key : shape(key, isPrivateKey(key)));
      this.#fetch = typeof f === "function" ? f : undefined;
      this.#store = storeOk ? store : undefined;
      this.#key = key;
    }
    this.#options = core.packed(args);
    this.#config = unwrap(core.configure(this.#options));
    this.#c = JSON.parse(this.#config);
  }

  /** Exchanges a subject token for Auth0 tokens (SPEC §2). */
  async customTokenExchange(options) {
    const build = this.#exchange(exchangeOptions(options));
    const d = await this.#discovery();
    const [tokens, , req] = await this.#tokenCall(d, build);
    if (req.actor && tokens.idToken) {
      // The `act` claim of the verified ID token (SPEC §2.5); a token that does not verify adds none.
      try {
        const act = JSON.parse(await this.#verify(d, tokens.idToken)).act;
        if (isObject(act)) tokens.act = act;
      } catch {}
    }
    return tokens;
  }

  /** Exchanges tokens and opens a session (SPEC §3): resolves to `{ stateData }`. */
  async loginWithCustomTokenExchange(options, storeOptions) {
    const o = exchangeOptions(options);
    const build = this.#exchange(o);
    const d = await this.#discovery();
    const [idToken, body] = await this.#tokenCall(d, build, 1);
    // A returned ID token is verified strictly: a failure is an IdTokenError and nothing is
    // stored. The signature here, its claims in newState.
    if (idToken) await this.#verifySignature(d, idToken);
    let random;
    try {
      random = randomBytes(64); // the session id, used only when the ID token carries no sid
    } catch (e) {
      throw new StoreError("store_error", "no randomness for the session id", { cause: e });
    }
    // The state to seal, its expiry time, and the session view in two parts: what getSession
    // returns is `open}`, what login returns `open` + `internal}` (src/js.rs `newState`).
    const [state, until, open, internal] = unwrap(core.newState(this.#options, body, d.issuer, o, Date.now(), random)).split("\n");
    const sealed = await this.#seal(state);
    keepView(opened.get(sealed), this.#config, 0, `${open}}`, Number(until));
    // removeIfExists: replace any session, letting the store rotate its key (SPEC §3.6).
    await this.#set(sealed, true, storeOptions);
    return { stateData: JSON.parse(`${open}${internal}}`) };
  }

  /** The session in camelCase, or `undefined` (SPEC §4). */
  async getSession(storeOptions) {
    return this.#read(storeOptions, 0);
  }

  /** The session's user (claims as issued, `act` included), or `undefined`. */
  async getUser(storeOptions) {
    return (await this.#read(storeOptions, 2)) ?? undefined;
  }

  /** An access token from the session, refreshed when due (SPEC §4). */
  async getAccessToken(storeOptions, options) {
    const message = 'getAccessToken options "audience" and "scope" must be strings';
    const audience = stringOption(options, "audience", message);
    const scope = stringOption(options, "scope", message);
    const [state] = await this.#session(storeOptions);
    const token = unwrap(core.accessToken(state, audience, scope, Date.now()));
    if (token) return JSON.parse(token);
    let tokens, body;
    try {
      const d = await this.#discovery();
      [tokens, body] = await this.#tokenCall(d, (a) => core.refreshRequest(this.#options, state, scope, a));
    } catch (e) {
      throw new AccessTokenError("refresh_token_error", "the access token could not be refreshed", { status: e.status, cause: e });
    }
    const next = unwrap(core.mergeRefresh(state, body, audience, scope, Date.now()));
    await this.#set(await this.#seal(next), false, storeOptions);
    return tokens.accessToken;
  }

  /** Deletes the session; resolves to the tenant's logout URL. */
  async logout(storeOptions, options) {
    const returnTo = stringOption(options, "returnTo", 'logout option "returnTo" must be a string');
    await this.#delete(storeOptions);
    return unwrap(core.logoutUrl(this.#options, returnTo));
  }

  // --- tenant -----------------------------------------------------------------------------------

  /** The discovery document: the cached value itself while fresh (no promise), else a promise. */
  #discovery() {
    return fresh(discoveries, this.#c.domain, CACHE_TTL) ?? this.#discover();
  }

  async #discover() {
    const { domain, timeout } = this.#c;
    try {
      return await cached(discoveries, domain, CACHE_TTL, async () => {
        let r;
        try {
          r = await send(this.#fetch, `${domain}/.well-known/openid-configuration`, "GET", ACCEPT, null, timeout, MAX_BODY);
        } catch (e) {
          throw exchangeFailure("OIDC discovery", e, timeout);
        }
        return JSON.parse(unwrap(core.discovery(domain, r[0], r[2])));
      });
    } catch (e) {
      // SPEC §2.2: a failed discovery is token_exchange_failed, with the failure as its cause.
      if (e instanceof CustomTokenExchangeError && e.code === "token_exchange_failed") {
        throw new CustomTokenExchangeError(e.code, e.message, { status: e.status, cause: e });
      }
      throw e;
    }
  }

  /**
   * The token-exchange request for classified options `o`, as a function of the client assertion:
   * the options are checked now, before any network call. For the secret methods the request
   * itself is built now (one core call); private_key_jwt signs an assertion per request, for the
   * issuer that discovery gives.
   */
  #exchange(o) {
    if (this.#c.auth === "private_key_jwt") {
      unwrap(core.checkExchange(o));
      return (a) => core.exchangeRequest(this.#options, o, a);
    }
    const req = unwrap(core.exchangeRequest(this.#options, o, ""));
    return () => req;
  }

  /**
   * POSTs the request `build(assertion)` makes to the token endpoint: [tokens, body bytes, the
   * request], or with `idOnly` [the ID token or "", body bytes, the request].
   */
  async #tokenCall(d, build, idOnly = 0) {
    const assertion = this.#c.auth === "private_key_jwt" ? await this.#assertion(d.issuer) : "";
    const req = JSON.parse(unwrap(build(assertion)));
    const ms = this.#c.timeout;
    let r;
    try {
      r = await send(this.#fetch, d.token_endpoint, "POST", req.headers, req.body, ms, MAX_BODY);
    } catch (e) {
      throw exchangeFailure("Token exchange", e, ms);
    }
    const tokens = unwrap(core.tokens(r[0], r[1], r[2], idOnly));
    return [idOnly ? tokens : JSON.parse(tokens), r[2], req];
  }

  /** A signed private_key_jwt assertion for `audience` (RFC 7523). */
  async #assertion(audience) {
    const alg = this.#c.alg;
    try {
      this.#signingKey ??= typeof this.#key === "string" ? importSigningKey(alg, core.pemDer(this.#key)) : Promise.resolve(this.#key);
      const key = await this.#signingKey.catch((e) => {
        this.#signingKey = undefined;
        throw e;
      });
      const input = unwrap(core.assertionInput(this.#options, audience, Date.now(), randomBytes(16)));
      return `${input}.${core.base64url(await signJws(alg, key, utf8.encode(input)))}`;
    } catch (e) {
      throw new ConfigurationError("configuration_error", '"clientAssertionSigningKey" could not be used to sign', { cause: e });
    }
  }

  #jwks(uri) {
    const ms = this.#c.timeout;
    return cached(jwksCache, uri, CACHE_TTL, async () => {
      let r;
      try {
        r = await send(this.#fetch, uri, "GET", ACCEPT, null, ms, MAX_BODY);
      } catch (e) {
        throw new IdTokenError("jwks_fetch_error", "the JWKS could not be fetched", { cause: failure(e, ms) });
      }
      return { text: unwrap(core.jwks(r[0], r[2])), at: Date.now() };
    });
  }

  /** Verifies an ID token's signature and claims (SPEC §2.5, §3.2): its claims as JSON text. */
  async #verify(d, token) {
    await this.#verifySignature(d, token);
    return unwrap(core.idTokenClaims(this.#options, token, d.issuer, Date.now()));
  }

  /** Verifies an ID token's signature against the tenant's JWKS; throws an IdTokenError. */
  async #verifySignature(d, token) {
    const alg = unwrap(core.idTokenAlg(token));
    const uri = d.jwks_uri;
    if (!uri) throw new IdTokenError("jwks_fetch_error", 'the discovery document has no "jwks_uri"');
    let jwks = await this.#jwks(uri);
    let jwk = keyFor(jwks, token);
    if (!jwk && Date.now() - jwks.at >= JWKS_REFETCH) {
      if (jwksCache.get(uri)?.at !== undefined) jwksCache.delete(uri);
      jwks = await this.#jwks(uri);
      jwk = keyFor(jwks, token);
    }
    if (!jwk) throw new IdTokenError("jwks_key_not_found", 'no key in the JWKS matches the ID token\'s "kid" and "alg"');
    const dot = token.lastIndexOf(".");
    const badSignature = (cause) => new IdTokenError("invalid_signature", "the ID token's signature is not valid", { cause });
    let ok;
    try {
      ok = await verifyJws(alg, jwk, base64urlBytes(token.slice(dot + 1)), utf8.encode(token.slice(0, dot)));
    } catch (e) {
      throw badSignature(e);
    }
    if (!ok) throw badSignature();
  }

  // --- sessions ---------------------------------------------------------------------------------

  /** The sealing keys of `secret` (HKDF-SHA-256, SPEC §3.5), cached per isolate. */
  #keys(secret) {
    const id = this.#c.id;
    const k = `${secret}\u0000${id}`;
    let p = sealing.get(k);
    if (!p) {
      sealParams ??= core.sealParams();
      p = sealKeys(utf8.encode(secret), utf8.encode(id), sealParams.subarray(2), sealParams[1]);
      p.catch(() => sealing.delete(k));
      sealing.set(k, p);
      if (sealing.size > 16) sealing.delete(sealing.keys().next().value);
    }
    return p;
  }

  /** Seals a state with the first secret. */
  async #seal(state) {
    let sealed, bytes;
    const secret = this.#c.secrets[0];
    try {
      const [mac, key] = await this.#keys(secret);
      const iv = randomBytes(16);
      bytes = utf8.encode(state);
      const ciphertext = await aesCbc(true, key, iv, bytes);
      sealed = core.sealCompact(iv, ciphertext, await hmac(mac, core.sealMacInput(iv, ciphertext)));
    } catch (e) {
      throw new StoreError("store_error", "the session could not be sealed", { cause: e });
    }
    // What could not be opened again must not be written: a session is never written and lost.
    if (!sealed) throw new StoreError("store_error", "the session would be larger than 1 MiB sealed: nothing was written");
    remember(sealed, secret, this.#c.id, bytes);
    return sealed;
  }

  /** Opens a sealed value with each secret in turn: its memo entry (see `opened`), or undefined. */
  async #open(sealed) {
    const { id, secrets } = this.#c;
    const hit = opened.get(sealed);
    if (hit && hit.id === id && secrets.includes(hit.secret)) return hit;
    const p = core.openParts(sealed);
    if (p.length === 0) return undefined;
    const iv = p.subarray(0, 16);
    const tag = p.subarray(16, 48);
    const n = new DataView(p.buffer, p.byteOffset + 48, 4).getUint32(0);
    const macInput = p.subarray(52);
    const ciphertext = macInput.subarray(macInput.length - 8 - n, macInput.length - 8);
    for (const secret of secrets) {
      let keys, mac;
      try {
        keys = await this.#keys(secret);
        mac = await hmac(keys[0], macInput);
      } catch {
        continue;
      }
      if (core.tagMatches(mac, tag)) {
        let state;
        try {
          state = await aesCbc(false, keys[1], iv, ciphertext);
        } catch {
          return undefined;
        }
        return remember(sealed, secret, id, state);
      }
    }
    return undefined;
  }

  /**
   * The session: [state bytes, the core's view of it (`what`, see src/js.rs `view`)], or [] when
   * there is none or it has expired (then it is deleted, best effort). At most one core view per
   * read; none while the memo holds this view of this state (until the expiry the core gave).
   */
  async #session(storeOptions, what = 3) {
    const sealed = await this.#get(storeOptions);
    const entry = typeof sealed === "string" ? await this.#open(sealed) : undefined;
    if (!entry) return [];
    const { state } = entry;
    const kept = keptView(entry, this.#config, what);
    if (kept !== undefined) return [state, kept];
    const out = unwrap(core.view(this.#options, state, what | 4, Date.now()));
    if (out === "0") {
      await this.#delete(storeOptions).catch(() => {});
      return [];
    }
    if (!out) return [state, ""];
    const lf = out.indexOf("\n");
    const view = out.slice(lf + 1);
    keepView(entry, this.#config, what, view, Number(out.slice(0, lf)));
    return [state, view];
  }

  async #read(storeOptions, what) {
    const [, view] = await this.#session(storeOptions, what);
    return view ? JSON.parse(view) : undefined;
  }

  // --- the state store (SPEC §5) ----------------------------------------------------------------

  async #call(method, args, message) {
    const ms = this.#c.timeout;
    try {
      const store = this.#store;
      const f = store[method];
      // The package's MemoryStore settles at once: no deadline timer for it.
      return await (f === MemoryStore.prototype[method] ? f.apply(store, args) : settle(f.apply(store, args), ms));
    } catch (e) {
      throw new StoreError("store_error", message, { cause: failure(e, ms) });
    }
  }

  async #get(so) {
    const id = this.#c.id;
    if (!this.#store) return memory.get(id);
    return this.#call("get", [id, so], "the state store's get failed");
  }

  async #set(sealed, removeIfExists, so) {
    const id = this.#c.id;
    if (!this.#store) return void memory.set(id, sealed);
    await this.#call("set", [id, sealed, removeIfExists, so], "the state store's set failed: no session was written");
  }

  async #delete(so) {
    const id = this.#c.id;
    if (!this.#store) return void memory.delete(id);
    await this.#call("delete", [id, so], "the state store's delete failed");
  }
}
