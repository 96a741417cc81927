// The built-in session stores (BEHAVIOUR.md §5): plain JavaScript without dependencies, so the same file
// runs in workerd, Deno, Node and browsers. The wasm core calls them through the StateStore
// interface and only ever hands them the sealed session, an opaque ASCII string (a JWE).
//
// CookieStore, KvStore and DenoKvStore read cookies from `storeOptions.request` and write
// `Set-Cookie` to `storeOptions.response.headers` (or `storeOptions.headers`). What they write is
// remembered per storeOptions object, so a read after a write through the same object (a login
// followed by getUser while handling one request) sees the new value, not the request's.

/** @typedef {import("./index.d.ts").StateStore} StateStore */
/** @typedef {import("./index.d.ts").StoreRequestOptions} StoreRequestOptions */

/** Characters per cookie chunk: 3072 leaves room for the name and attributes within the 4096
 *  bytes browsers accept per cookie (RFC 6265 §6.1). */
const CHUNK_SIZE = 3072;
/** Most chunks a CookieStore writes: about 12 KB of cookies, within what browsers and servers keep. */
const MAX_CHUNKS = 4;
/** Cookie Max-Age and store TTL by default: 3 days, the default sessionDuration (BEHAVIOUR.md §1). */
const DEFAULT_LIFETIME = 259200;
/** Workers KV rejects an expirationTtl below 60 seconds. */
const MIN_KV_TTL = 60;

/** RFC 6265 §4.1.1 cookie-octet: no controls, whitespace, DQUOTE, comma, semicolon or backslash. */
const COOKIE_VALUE = /^[\x21\x23-\x2B\x2D-\x3A\x3C-\x5B\x5D-\x7E]+$/;
/** RFC 6265 §4.1.1 cookie-name is an RFC 9110 §5.6.2 token. */
const COOKIE_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;
/** RFC 6265 §4.1.1 path-value, absolute: any CHAR except controls and ";". */
const COOKIE_PATH = /^\/[\x20-\x3A\x3C-\x7E]*$/;
/** The suffix of a chunk name: a decimal index without leading zeros. */
const CHUNK_INDEX = /^(?:0|[1-9][0-9]{0,5})$/;
/** A session id as newSessionId() makes it: 32 random bytes in base64url, 43 characters. */
const SESSION_ID = /^[A-Za-z0-9_-]{43}$/;
const SAME_SITE = new Map([["strict", "Strict"], ["lax", "Lax"], ["none", "None"]]);

// ---------------------------------------------------------------------------------------------
// MemoryStore

/**
 * Sessions in a Map of this isolate (or process), keyed by identifier only: one session per
 * identifier for the whole isolate, so every request it serves sees the same session, and a
 * restart loses it. For tests, scripts and single-user tools, passed explicitly as stateStore
 * (there is no default store). Serve many users with CookieStore, KvStore or DenoKvStore.
 * @implements {StateStore}
 */
export class MemoryStore {
  static name = "MemoryStore";
  /** @type {Map<string, string>} */
  #sessions = new Map();

  /**
   * @param {string} identifier the client's stateIdentifier
   * @returns {Promise<string | undefined>}
   */
  async get(identifier) {
    return this.#sessions.get(identifier);
  }

  /**
   * Stores `value`, replacing any session under `identifier`.
   * @param {string} identifier
   * @param {string} value
   * @returns {Promise<void>}
   */
  async set(identifier, value) {
    this.#sessions.set(identifier, value);
  }

  /**
   * @param {string} identifier
   * @returns {Promise<void>}
   */
  async delete(identifier) {
    this.#sessions.delete(identifier);
  }
}

// ---------------------------------------------------------------------------------------------
// Cookies, shared by CookieStore, KvStore and DenoKvStore

/**
 * Cookies written through each storeOptions object: name → value, or null once expired.
 * @type {WeakMap<object, Map<string, string | null>>}
 */
const written = new WeakMap();

/**
 * Checks storeOptions and picks the request and, to write, the headers that get `Set-Cookie`.
 * @param {unknown} storeOptions
 * @param {string} who e.g. "CookieStore.set", for messages
 * @param {boolean} forWrite
 */
function httpContext(storeOptions, who, forWrite) {
  if (storeOptions === null || typeof storeOptions !== "object") {
    throw new TypeError(`${who}: storeOptions is required: { request, response } or { request, headers }`);
  }
  const { request, response, headers } = /** @type {Record<string, any>} */ (storeOptions);
  if (request == null || typeof request.headers?.get !== "function") {
    throw new TypeError(`${who}: storeOptions.request must be the incoming Request`);
  }
  let out;
  if (forWrite) {
    if (response != null && headers != null) {
      throw new TypeError(`${who}: storeOptions takes response or headers, not both`);
    }
    out = headers ?? response?.headers;
    if (out == null || typeof out.append !== "function") {
      throw new TypeError(
        `${who}: storeOptions.response (a Response) or storeOptions.headers (a Headers) is required to write cookies`,
      );
    }
  }
  return { storeOptions, request, out, who };
}

/** RFC 6265 §5.2's whitespace (space and horizontal tab), trimmed from names and values. */
const WSP = /^[ \t]+|[ \t]+$/g;

/**
 * Parses a Cookie header (RFC 6265 §5.4, each pair read as §5.2 reads one): pairs split on ";",
 * names and values trimmed of spaces and tabs, one pair of surrounding double quotes removed
 * from a value. Fragments without "=" or with an empty name are skipped; of duplicate names the
 * first wins (browsers send the most specific path first). Never throws.
 * @param {unknown} header
 * @returns {Map<string, string>}
 */
function parseCookieHeader(header) {
  const cookies = new Map();
  if (typeof header !== "string") return cookies;
  for (const pair of header.split(";")) {
    const eq = pair.indexOf("=");
    if (eq === -1) continue;
    const name = pair.slice(0, eq).replace(WSP, "");
    if (name === "" || cookies.has(name)) continue;
    let value = pair.slice(eq + 1).replace(WSP, "");
    if (value.length >= 2 && value[0] === '"' && value[value.length - 1] === '"') value = value.slice(1, -1);
    cookies.set(name, value);
  }
  return cookies;
}

/**
 * A Set-Cookie line (RFC 6265 §4.1): name and value already checked by the caller, then HttpOnly,
 * SameSite, Secure, Path and Max-Age; a null value expires the cookie (empty, Max-Age=0).
 * @param {string} name @param {string | null} value
 * @param {{ secure: boolean, sameSite: string, path: string }} attributes
 * @param {number} maxAge seconds
 */
function setCookieLine(name, value, { secure, sameSite, path }, maxAge) {
  const age = value === null ? 0 : maxAge;
  return `${name}=${value ?? ""}; HttpOnly; SameSite=${sameSite}${secure ? "; Secure" : ""}; Path=${path}; Max-Age=${age}`;
}

/**
 * The cookie name a Set-Cookie line sets (§5.2: before the first "=", trimmed), or undefined.
 * @param {string} line
 */
function setCookieName(line) {
  const eq = line.indexOf("=");
  return eq === -1 ? undefined : line.slice(0, eq).replace(WSP, "");
}

/**
 * The cookies the client will hold once this response is applied: the request's, overlaid with
 * what was written through the same storeOptions.
 * @param {{ storeOptions: object, request: any }} ctx
 * @returns {Map<string, string>}
 */
function currentCookies(ctx) {
  const header = ctx.request.headers.get("cookie");
  const cookies = parseCookieHeader(header);
  for (const [name, value] of written.get(ctx.storeOptions) ?? []) {
    if (value === null) cookies.delete(name);
    else cookies.set(name, value);
  }
  return cookies;
}

/**
 * Validated cookie attributes, shared by the three cookie-using stores.
 * @param {{ secure?: boolean, sameSite?: string, path?: string }} options
 * @param {string} who
 */
function cookieAttributes(options, who) {
  const { secure = true, sameSite = "Lax", path = "/" } = options;
  if (typeof secure !== "boolean") throw new TypeError(`${who}: options.secure must be a boolean`);
  const site = typeof sameSite === "string" ? SAME_SITE.get(sameSite.toLowerCase()) : undefined;
  if (site === undefined) throw new TypeError(`${who}: options.sameSite must be "Strict", "Lax" or "None"`);
  // Browsers reject SameSite=None without Secure.
  if (site === "None" && !secure) throw new TypeError(`${who}: options.sameSite "None" requires secure`);
  if (typeof path !== "string" || !COOKIE_PATH.test(path)) {
    throw new TypeError(`${who}: options.path must start with "/" and contain no ";" or control characters`);
  }
  return { secure, sameSite: site, path };
}

/**
 * @param {unknown} cookieName
 * @param {string} who
 * @returns {string | undefined}
 */
function optionalCookieName(cookieName, who) {
  if (cookieName === undefined) return undefined;
  if (typeof cookieName !== "string" || !COOKIE_NAME.test(cookieName)) {
    throw new TypeError(`${who}: options.cookieName must be a cookie name (RFC 6265 token characters)`);
  }
  return cookieName;
}

/**
 * The cookie name for a call: the store's cookieName as given, else the identifier, with the
 * `__Host-` prefix when the cookie is Secure with Path=/ (the defaults), so that no sibling
 * subdomain can plant a cookie that shadows it (RFC 6265bis §4.1.3.2).
 * @param {string | undefined} cookieName
 * @param {unknown} identifier
 * @param {string} who
 * @param {{ secure: boolean, path: string }} attributes
 */
function cookieNameFor(cookieName, identifier, who, attributes) {
  if (typeof identifier !== "string" || identifier === "") {
    throw new TypeError(`${who}: identifier must be a non-empty string`);
  }
  if (cookieName !== undefined) return cookieName;
  if (!COOKIE_NAME.test(identifier)) {
    throw new TypeError(`${who}: identifier must be a cookie name (RFC 6265 token characters), or set options.cookieName`);
  }
  return attributes.secure && attributes.path === "/" ? `__Host-${identifier}` : identifier;
}

/**
 * @param {unknown} value
 * @param {number} min
 * @param {string} option e.g. "options.maxAge"
 * @param {string} who
 */
function lifetime(value, min, option, who) {
  if (value === undefined) return DEFAULT_LIFETIME;
  if (!Number.isSafeInteger(value)) throw new TypeError(`${who}: ${option} must be an integer number of seconds`);
  if (/** @type {number} */ (value) < min) throw new RangeError(`${who}: ${option} must be at least ${min}`);
  return /** @type {number} */ (value);
}

/**
 * Writes cookies: a string sets one, null expires it (Max-Age=0). A Set-Cookie written earlier for
 * the same name through the same storeOptions is replaced, not repeated (RFC 6265 §4.1.1: at most
 * one Set-Cookie per name in a response), where the headers support getSetCookie().
 * @param {{ storeOptions: object, out: any, who: string }} ctx
 * @param {Array<[string, string | null]>} entries
 * @param {{ secure: boolean, sameSite: string, path: string }} attributes from cookieAttributes()
 * @param {number} maxAge
 */
function writeCookies(ctx, entries, attributes, maxAge) {
  for (const [, value] of entries) {
    if (value !== null && !COOKIE_VALUE.test(value)) {
      throw new TypeError(`${ctx.who}: a cookie value must be non-empty RFC 6265 cookie-octets`);
    }
  }
  let state = written.get(ctx.storeOptions);
  if (state === undefined) written.set(ctx.storeOptions, (state = new Map()));
  const again = new Set(entries.map(([name]) => name).filter((name) => state.has(name)));
  try {
    if (again.size > 0 && typeof ctx.out.getSetCookie === "function") {
      const kept = ctx.out.getSetCookie().filter((/** @type {string} */ line) => !again.has(setCookieName(line)));
      ctx.out.delete("set-cookie");
      for (const line of kept) ctx.out.append("set-cookie", line);
    }
    for (const [name, value] of entries) {
      ctx.out.append("set-cookie", setCookieLine(name, value, attributes, maxAge));
    }
  } catch (cause) {
    throw new TypeError(
      `${ctx.who}: cannot add Set-Cookie to the response headers (immutable? build a new Response, or pass { request, headers })`,
      { cause },
    );
  }
  for (const [name, value] of entries) state.set(name, value);
}

/**
 * The chunk cookies `<name>_0`, `<name>_1`, ... among `cookies`, by increasing index.
 * @param {Map<string, string>} cookies
 * @param {string} name
 * @returns {Array<[number, string]>} [index, cookie name]
 */
function chunksOf(cookies, name) {
  const prefix = `${name}_`;
  const chunks = [];
  for (const cookie of cookies.keys()) {
    if (!cookie.startsWith(prefix)) continue;
    const index = cookie.slice(prefix.length);
    if (CHUNK_INDEX.test(index)) chunks.push(/** @type {[number, string]} */ ([Number(index), cookie]));
  }
  return chunks.sort((a, b) => a[0] - b[0]);
}

// ---------------------------------------------------------------------------------------------
// CookieStore

/**
 * @typedef {object} CookieStoreOptions
 * @property {string} [cookieName] Cookie name prefix, used as given; chunks are `<cookieName>_0`,
 *   `<cookieName>_1`, ... Default: the identifier the client passes (its stateIdentifier,
 *   "_a0_session"), prefixed with `__Host-` when secure is true and path is "/".
 * @property {number} [maxAge] Max-Age of the cookies in seconds. Default 259200 (3 days).
 * @property {boolean} [secure] Send the Secure attribute. Default true; false only for plain-http
 *   local development.
 * @property {"Strict" | "Lax" | "None"} [sameSite] Default "Lax". "None" requires secure.
 * @property {string} [path] Default "/".
 */

/**
 * Stateless sessions: the sealed session lives in the browser, split into HttpOnly cookies of at
 * most 3072 characters named `<name>_0`, `<name>_1`, ... (as auth0-fastapi's cookie store). Every
 * write expires the chunks the new value no longer needs. A browser sends at most ~4 KB per cookie
 * and servers limit request headers (often 8-32 KB in all): keep sessions small, or use KvStore.
 *
 * storeOptions: `{ request, response }` (Set-Cookie is appended to `response.headers`) or
 * `{ request, headers }`; `get` needs only `request`.
 * @implements {StateStore}
 */
export class CookieStore {
  static name = "CookieStore";
  /** @type {string | undefined} */ #cookieName;
  /** @type {number} */ #maxAge;
  /** @type {{ secure: boolean, sameSite: string, path: string }} */ #attributes;

  /** @param {CookieStoreOptions} [options] */
  constructor(options = {}) {
    if (options === null || typeof options !== "object") throw new TypeError("CookieStore: options must be an object");
    this.#cookieName = optionalCookieName(options.cookieName, "CookieStore");
    this.#maxAge = lifetime(options.maxAge, 1, "options.maxAge", "CookieStore");
    this.#attributes = cookieAttributes(options, "CookieStore");
  }

  /**
   * Throws a TypeError naming what storeOptions lack for a read (the request) or, with forWrite, a
   * write (also a response or headers). The client calls it before any request.
   * @param {unknown} storeOptions @param {boolean} forWrite @returns {void}
   */
  checkOptions(storeOptions, forWrite) {
    httpContext(storeOptions, "CookieStore", forWrite === true);
  }

  /**
   * Reassembles the chunks; undefined when there are none or one is missing or malformed.
   * @param {string} identifier
   * @param {StoreRequestOptions} storeOptions
   * @returns {Promise<string | undefined>}
   */
  async get(identifier, storeOptions) {
    const ctx = httpContext(storeOptions, "CookieStore.get", false);
    const name = cookieNameFor(this.#cookieName, identifier, ctx.who, this.#attributes);
    const cookies = currentCookies(ctx);
    const chunks = chunksOf(cookies, name);
    if (chunks.length === 0) return undefined;
    let value = "";
    for (let i = 0; i < chunks.length; i++) {
      const chunk = cookies.get(chunks[i][1]) ?? "";
      if (chunks[i][0] !== i || !COOKIE_VALUE.test(chunk)) return undefined;
      value += chunk;
    }
    return value;
  }

  /**
   * Writes `value` in chunks and expires the surplus chunks of the previous value.
   * @param {string} identifier
   * @param {string} value a non-empty cookie-safe string (a JWE is)
   * @param {boolean} removeIfExists ignored: a write always replaces the whole value
   * @param {StoreRequestOptions} storeOptions
   * @returns {Promise<void>}
   */
  async set(identifier, value, removeIfExists, storeOptions) {
    const ctx = httpContext(storeOptions, "CookieStore.set", true);
    const name = cookieNameFor(this.#cookieName, identifier, ctx.who, this.#attributes);
    if (typeof value !== "string" || !COOKIE_VALUE.test(value)) {
      throw new TypeError(`${ctx.who}: value must be a non-empty string of RFC 6265 cookie-octets`);
    }
    const count = Math.ceil(value.length / CHUNK_SIZE);
    if (count > MAX_CHUNKS) {
      // Refused before anything is written: the cookies the client holds stay as they are.
      const e = new RangeError(
        `${ctx.who}: the session needs ${count} cookies of ${CHUNK_SIZE} characters, more than the ${MAX_CHUNKS} browsers and servers reliably keep; keep large sessions in a server-side store (KvStore, DenoKvStore, a Durable Object)`,
      );
      Object.defineProperty(e, "code", { value: "session_too_large", enumerable: true });
      throw e;
    }
    /** @type {Array<[string, string | null]>} */
    const entries = [];
    for (let i = 0; i < count; i++) entries.push([`${name}_${i}`, value.slice(i * CHUNK_SIZE, (i + 1) * CHUNK_SIZE)]);
    for (const [index, cookie] of chunksOf(currentCookies(ctx), name)) {
      if (index >= count) entries.push([cookie, null]);
    }
    writeCookies(ctx, entries, this.#attributes, this.#maxAge);
  }

  /**
   * Expires every chunk the client holds.
   * @param {string} identifier
   * @param {StoreRequestOptions} storeOptions
   * @returns {Promise<void>}
   */
  async delete(identifier, storeOptions) {
    const ctx = httpContext(storeOptions, "CookieStore.delete", true);
    const name = cookieNameFor(this.#cookieName, identifier, ctx.who, this.#attributes);
    /** @type {Array<[string, null]>} */
    const entries = chunksOf(currentCookies(ctx), name).map(([, cookie]) => [cookie, null]);
    if (entries.length > 0) writeCookies(ctx, entries, this.#attributes, 0);
  }
}

// ---------------------------------------------------------------------------------------------
// A session id in a cookie, the sealed session in a key-value store: KvStore and DenoKvStore

/**
 * @typedef {object} KvStoreOptions
 * @property {string} [cookieName] Name of the session id cookie, used as given. Default: the
 *   identifier the client passes (its stateIdentifier, "_a0_session"), prefixed with `__Host-`
 *   when secure is true and path is "/".
 * @property {number} [ttlSeconds] Lifetime of the stored session and Max-Age of the cookie, in
 *   seconds. Default 259200 (3 days); at least 60 for Workers KV.
 * @property {boolean} [secure] Send the Secure attribute. Default true; false only for plain-http
 *   local development.
 * @property {"Strict" | "Lax" | "None"} [sameSite] Default "Lax". "None" requires secure.
 * @property {string} [path] Default "/".
 */

/** 32 random bytes (256 bits) in base64url without padding. */
function newSessionId() {
  const bytes = crypto.getRandomValues(new Uint8Array(32));
  return btoa(String.fromCharCode(...bytes)).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

/**
 * Storage operations on the entry of (identifier, session id).
 * @typedef {object} SessionBackend
 * @property {(identifier: string, id: string) => Promise<unknown>} get
 * @property {(identifier: string, id: string, value: string, ttlSeconds: number) => Promise<unknown>} put
 * @property {(identifier: string, id: string) => Promise<unknown>} delete
 */

/**
 * Throws a TypeError with `message` unless `value` has each of `methods` as a function: what the
 * stores and coordinators check of the binding or database they are given.
 * @param {unknown} value @param {string[]} methods @param {string} message
 */
function requireMethods(value, methods, message) {
  if (value == null || methods.some((m) => typeof (/** @type {any} */ (value))[m] !== "function")) {
    throw new TypeError(message);
  }
}

/**
 * The logic KvStore and DenoKvStore share; `backend` maps (identifier, id) to a storage key.
 */
class SessionIdStore {
  /** @type {string} */ #who;
  /** @type {SessionBackend} */ #backend;
  /** @type {string | undefined} */ #cookieName;
  /** @type {number} */ #ttl;
  /** @type {{ secure: boolean, sameSite: string, path: string }} */ #attributes;

  /**
   * @param {string} who "KvStore" or "DenoKvStore"
   * @param {SessionBackend} backend
   * @param {KvStoreOptions} options
   * @param {number} minTtl
   */
  constructor(who, backend, options, minTtl) {
    if (options === null || typeof options !== "object") throw new TypeError(`${who}: options must be an object`);
    this.#who = who;
    this.#backend = backend;
    this.#cookieName = optionalCookieName(options.cookieName, who);
    this.#ttl = lifetime(options.ttlSeconds, minTtl, "options.ttlSeconds", who);
    this.#attributes = cookieAttributes(options, who);
  }

  /**
   * The session id from the cookie, only if it has the shape newSessionId() gives: a request
   * never chooses an arbitrary storage key.
   * @param {Map<string, string>} cookies
   * @param {string} name
   */
  static #sessionId(cookies, name) {
    const id = cookies.get(name);
    return id !== undefined && SESSION_ID.test(id) ? id : undefined;
  }

  /**
   * Throws a TypeError naming what storeOptions lack for a read (the request) or, with forWrite, a
   * write (also a response or headers). The client calls it before any request.
   * @param {unknown} storeOptions @param {boolean} forWrite @returns {void}
   */
  checkOptions(storeOptions, forWrite) {
    httpContext(storeOptions, this.#who, forWrite === true);
  }

  /** @param {string} identifier @param {unknown} storeOptions @returns {Promise<string | undefined>} */
  async get(identifier, storeOptions) {
    const ctx = httpContext(storeOptions, `${this.#who}.get`, false);
    const name = cookieNameFor(this.#cookieName, identifier, ctx.who, this.#attributes);
    const id = SessionIdStore.#sessionId(currentCookies(ctx), name);
    if (id === undefined) return undefined;
    const value = await this.#backend.get(identifier, id);
    return typeof value === "string" ? value : undefined;
  }

  /**
   * Stores under the current id, or under a new one when there is none or removeIfExists is true
   * (then the old entry is deleted: no session fixation).
   * @param {string} identifier @param {string} value @param {boolean} removeIfExists @param {unknown} storeOptions
   * @returns {Promise<void>}
   */
  async set(identifier, value, removeIfExists, storeOptions) {
    const ctx = httpContext(storeOptions, `${this.#who}.set`, true);
    const name = cookieNameFor(this.#cookieName, identifier, ctx.who, this.#attributes);
    if (typeof value !== "string") throw new TypeError(`${ctx.who}: value must be a string`);
    const current = SessionIdStore.#sessionId(currentCookies(ctx), name);
    const id = current !== undefined && removeIfExists !== true ? current : newSessionId();
    await this.#backend.put(identifier, id, value, this.#ttl);
    if (current !== undefined && current !== id) await this.#backend.delete(identifier, current);
    // Written on every set, so the cookie's Max-Age restarts with the entry's TTL.
    writeCookies(ctx, [[name, id]], this.#attributes, this.#ttl);
  }

  /**
   * Deletes the entry and expires the cookie.
   * @param {string} identifier @param {unknown} storeOptions @returns {Promise<void>}
   */
  async delete(identifier, storeOptions) {
    const ctx = httpContext(storeOptions, `${this.#who}.delete`, true);
    const name = cookieNameFor(this.#cookieName, identifier, ctx.who, this.#attributes);
    const cookies = currentCookies(ctx);
    const id = SessionIdStore.#sessionId(cookies, name);
    if (id !== undefined) await this.#backend.delete(identifier, id);
    if (cookies.has(name)) writeCookies(ctx, [[name, null]], this.#attributes, 0);
  }
}

/**
 * Sessions in Cloudflare Workers KV: a random 256-bit session id in an HttpOnly cookie, the sealed
 * session under the key `<identifier>:<id>` with `expirationTtl`. Logging in (a set with
 * removeIfExists) issues a new id and deletes the old entry. KV is eventually consistent across
 * locations: a session written in one may take up to a minute to be visible in another.
 *
 * storeOptions: `{ request, response }` or `{ request, headers }`, as for CookieStore.
 * @implements {StateStore}
 */
export class KvStore extends SessionIdStore {
  static name = "KvStore";
  /**
   * @param {import("./index.d.ts").KvNamespaceLike} namespace a KV namespace binding (`env.SESSIONS`)
   * @param {KvStoreOptions} [options]
   */
  constructor(namespace, options = {}) {
    requireMethods(namespace, ["get", "put", "delete"], "KvStore: namespace must be a Workers KV namespace binding (get, put, delete)");
    super(
      "KvStore",
      {
        get: (identifier, id) => namespace.get(`${identifier}:${id}`),
        put: (identifier, id, value, ttl) => namespace.put(`${identifier}:${id}`, value, { expirationTtl: ttl }),
        delete: (identifier, id) => namespace.delete(`${identifier}:${id}`),
      },
      options,
      MIN_KV_TTL,
    );
  }
}

/**
 * Sessions in Deno KV: a random 256-bit session id in an HttpOnly cookie, the sealed session under
 * the key `[identifier, id]` with `expireIn`. Logging in (a set with removeIfExists) issues a new
 * id and deletes the old entry. Deno KV values are limited to 64 KiB.
 *
 * storeOptions: `{ request, response }` or `{ request, headers }`, as for CookieStore.
 * @implements {StateStore}
 */
export class DenoKvStore extends SessionIdStore {
  static name = "DenoKvStore";
  /**
   * @param {import("./index.d.ts").DenoKvLike} kv a `Deno.Kv` (`await Deno.openKv()`)
   * @param {KvStoreOptions} [options]
   */
  constructor(kv, options = {}) {
    requireMethods(kv, ["get", "set", "delete"], "DenoKvStore: kv must be a Deno.Kv (get, set, delete)");
    super(
      "DenoKvStore",
      {
        get: async (identifier, id) => (await kv.get([identifier, id])).value,
        put: (identifier, id, value, ttl) => kv.set([identifier, id], value, { expireIn: ttl * 1000 }),
        delete: (identifier, id) => kv.delete([identifier, id]),
      },
      options,
      1,
    );
  }
}

// ---------------------------------------------------------------------------------------------
// Sessions in Durable Objects: DurableObjectStore over SessionDurableObject

/** The one URL a session object is asked at (its host is never resolved: the stub routes). */
const OBJECT_URL = "https://session.object/";

/**
 * The Durable Object class behind DurableObjectStore: one object per session id, holding the
 * sealed session until its lifetime ends (an alarm deletes it). Export it from the Worker's main
 * module and bind it (`durable_objects` in wrangler.jsonc, with a migration declaring it).
 * Speaks plain HTTP to its stub, so it needs nothing from `cloudflare:workers`.
 */
export class SessionDurableObject {
  static name = "SessionDurableObject";
  /** @type {any} */ #storage;

  /** @param {any} state the object's DurableObjectState @param {unknown} env */
  constructor(state, env) {
    this.#storage = state.storage;
  }

  /** Refresh coordination (DurableObjectRefreshCoordinator) waiting for this object's leader. @type {Array<(outcome: object) => void>} */
  #waiting = [];

  /**
   * GET: the sealed session (404 when none or expired); PUT ?ttl=seconds: store it; DELETE.
   * POST /refresh/claim, /refresh/done, /refresh/failed: the refresh coordination of one key.
   * POST /replay?ttl=seconds: a DPoP proof seen (201 the first time, 409 after).
   * @param {Request} request
   */
  async fetch(request) {
    const storage = this.#storage;
    const { pathname } = new URL(request.url);
    if (pathname.startsWith("/refresh/") && request.method === "POST") return this.#coordinate(pathname.slice(9), request);
    if (pathname === "/replay" && request.method === "POST") return this.#replay(request);
    switch (request.method) {
      case "GET": {
        const { value, until } = Object.fromEntries(await storage.get(["value", "until"]));
        return typeof value === "string" && until > Date.now() ? new Response(value) : new Response(null, { status: 404 });
      }
      case "PUT": {
        const ttl = Number(new URL(request.url).searchParams.get("ttl"));
        if (!Number.isSafeInteger(ttl) || ttl < 1) return new Response(null, { status: 400 });
        const until = Date.now() + ttl * 1000;
        await storage.put({ value: await request.text(), until });
        await storage.setAlarm(until);
        return new Response(null, { status: 204 });
      }
      case "DELETE":
        await storage.deleteAll();
        await storage.deleteAlarm();
        return new Response(null, { status: 204 });
      default:
        return new Response(null, { status: 405, headers: { allow: "GET, PUT, DELETE" } });
    }
  }

  /**
   * One DPoP proof (DurableObjectReplayCache): 201 the first time, and it is kept `ttl` seconds;
   * 409 while it is kept. One object per proof, so no two requests race for it.
   * @param {Request} request
   */
  async #replay(request) {
    const ttl = Number(new URL(request.url).searchParams.get("ttl"));
    if (!Number.isSafeInteger(ttl) || ttl < 1 || ttl > 86_400) return new Response(null, { status: 400 });
    const now = Date.now();
    const until = await this.#storage.get("replay");
    if (typeof until === "number" && until > now) return new Response(null, { status: 409 });
    await this.#storage.put("replay", now + ttl * 1000);
    await this.#storage.setAlarm(now + ttl * 1000);
    return new Response(null, { status: 201 });
  }

  /** The session's lifetime, or a refresh's window, is over: nothing is kept. */
  async alarm() {
    await this.#storage.deleteAll();
  }

  /**
   * One refresh per key: the first claim leads (it has LEAD_MS to answer done or failed), claims
   * while it runs wait for its outcome, claims within WINDOW_MS of its success get its result
   * (a token set sealed with the session secret: useless here).
   * @param {string} step @param {Request} request
   */
  async #coordinate(step, request) {
    const storage = this.#storage;
    const now = Date.now();
    const refresh = await storage.get("refresh");
    const answer = (outcome) => Response.json(outcome);
    if (step === "claim") {
      if (refresh?.until > now && refresh.state === "done") return answer({ result: refresh.result });
      if (refresh?.until > now && refresh.state === "running") return answer(await new Promise((resolve) => this.#waiting.push(resolve)));
      await storage.put("refresh", { state: "running", until: now + LEAD_MS });
      return answer({ lead: true });
    }
    /** @type {object} */
    let outcome;
    if (step === "done") {
      const result = await request.text();
      await storage.put("refresh", { state: "done", result, until: now + WINDOW_MS });
      await storage.setAlarm(now + WINDOW_MS);
      outcome = { result };
    } else if (step === "failed") {
      await storage.delete("refresh");
      outcome = { failed: true };
    } else {
      return new Response(null, { status: 404 });
    }
    for (const resolve of this.#waiting.splice(0)) resolve(outcome);
    return answer({ ok: true });
  }
}

/** How long a refresh's leader may take before another caller may lead. */
const LEAD_MS = 30_000;
/** How long a refresh's result answers callers presenting the same refresh token. */
const WINDOW_MS = 60_000;

/**
 * A refresh coordinator on SessionDurableObject: one object per refresh-token key runs each refresh
 * once, across isolates and locations; every caller presenting the same refresh token within 60 s
 * gets that refresh's result (sealed with the session secret) instead of calling Auth0, whose
 * refresh token rotation would revoke the grant on a second use.
 */
export class DurableObjectRefreshCoordinator {
  static name = "DurableObjectRefreshCoordinator";
  /** @type {any} */ #namespace;

  /** @param {import("./index.d.ts").DurableObjectNamespaceLike} namespace the binding of SessionDurableObject */
  constructor(namespace) {
    requireMethods(namespace, ["idFromName", "get"], "DurableObjectRefreshCoordinator: namespace must be the Durable Object namespace binding of SessionDurableObject (idFromName, get)");
    this.#namespace = namespace;
  }

  /**
   * `refresh()` once per `key` and window; its sealed result for every caller with `key`.
   * @param {string} key @param {() => Promise<string>} refresh @returns {Promise<string>}
   */
  async run(key, refresh) {
    const stub = this.#namespace.get(this.#namespace.idFromName(`refresh:${key}`));
    /** @param {string} step @param {string} [body] */
    const post = async (step, body) => {
      const r = await stub.fetch(`${OBJECT_URL}refresh/${step}`, { method: "POST", body });
      if (!r.ok) {
        await r.body?.cancel();
        throw new Error(`DurableObjectRefreshCoordinator: the object answered HTTP ${r.status} to ${step}`);
      }
      return r.json();
    };
    const claim = await post("claim");
    if (typeof claim.result === "string") return claim.result;
    if (claim.lead !== true) throw new Error("DurableObjectRefreshCoordinator: the refresh this call waited for failed");
    let sealed;
    try {
      sealed = await refresh();
    } catch (e) {
      await post("failed").catch(() => {});
      throw e;
    }
    await post("done", sealed);
    return sealed;
  }
}

/**
 * Sessions in Durable Objects: a random 256-bit session id in an HttpOnly cookie, the sealed
 * session in the SessionDurableObject named `<identifier>:<id>`, deleted when `ttlSeconds` are
 * over. Strongly consistent: a session written in one location is read in every other at once
 * (Workers KV may take a minute). Logging in issues a new id and deletes the old object's session.
 *
 * storeOptions: `{ request, response }` or `{ request, headers }`, as for CookieStore.
 * @implements {StateStore}
 */
export class DurableObjectStore extends SessionIdStore {
  static name = "DurableObjectStore";
  /**
   * @param {import("./index.d.ts").DurableObjectNamespaceLike} namespace the binding of SessionDurableObject (`env.SESSION_OBJECTS`)
   * @param {KvStoreOptions} [options]
   */
  constructor(namespace, options = {}) {
    requireMethods(namespace, ["idFromName", "get"], "DurableObjectStore: namespace must be the Durable Object namespace binding of SessionDurableObject (idFromName, get)");
    /** @param {string} identifier @param {string} id @param {RequestInit} init @param {string} [query] */
    const call = async (identifier, id, init, query = "") => {
      const stub = namespace.get(namespace.idFromName(`${identifier}:${id}`));
      const r = await stub.fetch(`${OBJECT_URL}${query}`, init);
      if (r.status === 404) return undefined;
      if (!r.ok) {
        await r.body?.cancel();
        throw new Error(`DurableObjectStore: the session object answered HTTP ${r.status}`);
      }
      return r.text();
    };
    super(
      "DurableObjectStore",
      {
        get: (identifier, id) => call(identifier, id, { method: "GET" }),
        put: (identifier, id, value, ttl) => call(identifier, id, { method: "PUT", body: value }, `?ttl=${ttl}`),
        delete: (identifier, id) => call(identifier, id, { method: "DELETE" }),
      },
      options,
      1,
    );
  }
}

/**
 * A refresh coordinator on Deno KV (the `refreshCoordinator` client option): the first caller
 * with a refresh token claims it with an atomic check-and-set and performs the refresh; callers
 * presenting the same refresh token while it runs wait for its result, and for 60 s after it
 * succeeded get that result (sealed with the session secret) instead of calling Auth0. Every
 * process sharing the Deno KV database (Deno Deploy's, or one file) is coordinated.
 */
export class DenoKvRefreshCoordinator {
  static name = "DenoKvRefreshCoordinator";
  /** @type {any} */ #kv;

  /** @param {import("./index.d.ts").DenoKvCoordinatorLike} kv a `Deno.Kv` (`await Deno.openKv()`) */
  constructor(kv) {
    requireMethods(kv, ["get", "set", "delete", "atomic"], "DenoKvRefreshCoordinator: kv must be a Deno.Kv (get, set, delete, atomic)");
    this.#kv = kv;
  }

  /**
   * `refresh()` once per `key` and window; its sealed result for every caller with `key`.
   * @param {string} key @param {() => Promise<string>} refresh @returns {Promise<string>}
   */
  async run(key, refresh) {
    const kv = this.#kv;
    const entry = ["auth0-edge-refresh", key];
    for (;;) {
      const seen = await kv.get(entry);
      const value = /** @type {any} */ (seen.value);
      if (value?.state === "done") return value.result;
      if (value?.state === "failed") throw new Error("DenoKvRefreshCoordinator: the refresh this call waited for failed");
      if (value == null) {
        const claimed = await kv.atomic().check(seen).set(entry, { state: "running" }, { expireIn: LEAD_MS }).commit();
        if (claimed.ok) break;
        continue; // another caller claimed it first
      }
      await new Promise((resolve) => setTimeout(resolve, 25)); // running elsewhere: wait for it
    }
    let sealed;
    try {
      sealed = await refresh();
    } catch (e) {
      await kv.set(entry, { state: "failed" }, { expireIn: 2_000 }).catch(() => {});
      throw e;
    }
    await kv.set(entry, { state: "done", result: sealed }, { expireIn: WINDOW_MS });
    return sealed;
  }
}

/**
 * A DPoP proof replay cache on SessionDurableObject (ApiClient's `dpopReplayCache`): a proof
 * accepted in one isolate or location is refused in every other for its window. One object per
 * proof (its key is a hash), removed by an alarm when the window ends.
 */
export class DurableObjectReplayCache {
  static name = "DurableObjectReplayCache";
  /** @type {any} */ #namespace;

  /** @param {import("./index.d.ts").DurableObjectNamespaceLike} namespace the binding of SessionDurableObject */
  constructor(namespace) {
    requireMethods(namespace, ["idFromName", "get"], "DurableObjectReplayCache: namespace must be the Durable Object namespace binding of SessionDurableObject (idFromName, get)");
    this.#namespace = namespace;
  }

  /**
   * Whether `key` is seen for the first time; then it is kept `ttlSeconds`.
   * @param {string} key @param {number} ttlSeconds @returns {Promise<boolean>}
   */
  async firstUse(key, ttlSeconds) {
    const stub = this.#namespace.get(this.#namespace.idFromName(`replay:${key}`));
    const r = await stub.fetch(`${OBJECT_URL}replay?ttl=${ttlSeconds}`, { method: "POST" });
    await r.body?.cancel();
    if (r.status === 201 || r.status === 409) return r.status === 201;
    throw new Error(`DurableObjectReplayCache: the object answered HTTP ${r.status}`);
  }
}

/**
 * A DPoP proof replay cache on Deno KV (ApiClient's `dpopReplayCache`): an atomic check that the
 * key is absent, and its write with the proof's window as `expireIn`, so every process sharing
 * the database refuses a proof another accepted.
 */
export class DenoKvReplayCache {
  static name = "DenoKvReplayCache";
  /** @type {any} */ #kv;

  /** @param {import("./index.d.ts").DenoKvCoordinatorLike} kv a `Deno.Kv` (`await Deno.openKv()`) */
  constructor(kv) {
    requireMethods(kv, ["atomic"], "DenoKvReplayCache: kv must be a Deno.Kv (atomic)");
    this.#kv = kv;
  }

  /**
   * Whether `key` is seen for the first time; then it is kept `ttlSeconds`.
   * @param {string} key @param {number} ttlSeconds @returns {Promise<boolean>}
   */
  async firstUse(key, ttlSeconds) {
    const entry = ["auth0-edge-dpop", key];
    const r = await this.#kv.atomic().check({ key: entry, versionstamp: null }).set(entry, 1, { expireIn: ttlSeconds * 1000 }).commit();
    return r.ok === true;
  }
}
