// Host composites called from src/host/mod.rs: each runs a short sequence of host calls (fetch
// and its body, WebCrypto import + use) behind one promise, so the wasm side awaits once per
// operation. They only move bytes; every decision (what a status, a body or a tag means) stays
// in Rust's pure core.

const TIMEOUT = { timeout: true };

/** True for the rejection value of a deadline that passed. */
export function isTimeout(e) {
  return e === TIMEOUT;
}

/** `value` (a promise or not), or a rejection with TIMEOUT after `ms`. */
export function settle(value, ms) {
  let id;
  const deadline = new Promise((_, reject) => {
    id = setTimeout(reject, ms, TIMEOUT);
  });
  return Promise.race([Promise.resolve(value), deadline]).finally(() => clearTimeout(id));
}

/**
 * One HTTP exchange within `ms` (headers and body), redirects not followed, the body read up to
 * `max` bytes. Resolves to [status, contentType, body] with body a Uint8Array, or null when it is
 * larger than `max` (by Content-Length or by bytes read). Rejects with TIMEOUT or the network error.
 */
export async function send(fetchFn, url, method, headers, body, ms, max) {
  const controller = new AbortController();
  let id;
  let timedOut = false;
  const deadline = new Promise((_, reject) => {
    id = setTimeout(() => {
      // Reject before aborting: the abort fails the pending read at once, and the race must
      // settle on the deadline, not on the AbortError.
      timedOut = true;
      reject(TIMEOUT);
      controller.abort();
    }, ms);
  });
  let reader;
  try {
    const init = { method, headers, redirect: "manual", signal: controller.signal };
    if (body != null) init.body = body;
    const response = await Promise.race([(async () => (fetchFn ?? globalThis.fetch)(url, init))(), deadline]);
    if (response === null || typeof response !== "object") throw new TypeError("fetch did not return a Response");
    const status = typeof response.status === "number" && response.status >= 0 && response.status < 1000 ? response.status : 0;
    const h = response.headers;
    const header = (name) => (h && typeof h.get === "function" ? h.get(name) : null);
    const contentType = header("content-type") ?? undefined;
    const stream = response.body;
    const declared = header("content-length");
    const length = Number(declared);
    if (length > max) {
      stream?.cancel?.().catch(() => {});
      return [status, contentType, null];
    }
    if (stream == null) return [status, contentType, new Uint8Array(0)];
    // A declared length within the cap (the usual case): one read of the whole body. The byte
    // count is still checked, in case the server sent more than it declared.
    if (declared !== null && length <= max && typeof response.arrayBuffer === "function") {
      const bytes = new Uint8Array(await Promise.race([response.arrayBuffer(), deadline]));
      return [status, contentType, bytes.length > max ? null : bytes];
    }
    reader = stream.getReader();
    const chunks = [];
    let size = 0;
    for (;;) {
      const { done, value } = await Promise.race([reader.read(), deadline]);
      if (done) break;
      if (!(value instanceof Uint8Array)) throw new TypeError("the response body yielded a non-byte chunk");
      size += value.length;
      if (size > max) {
        reader.cancel().catch(() => {});
        return [status, contentType, null];
      }
      chunks.push(value);
    }
    const bytes = new Uint8Array(size);
    let at = 0;
    for (const c of chunks) {
      bytes.set(c, at);
      at += c.length;
    }
    return [status, contentType, bytes];
  } catch (e) {
    reader?.cancel().catch(() => {});
    throw timedOut ? TIMEOUT : e;
  } finally {
    clearTimeout(id);
  }
}

// The runtime's own synchronous crypto, when its loader offers it (Node: node:crypto, loaded on
// first use). Node's WebCrypto runs every operation as a job on the libuv thread pool, and for
// the small inputs here the hand-off costs more than the work: measured in Node 20, CPU per
// operation (user + system, sequential) WebCrypto vs node:crypto: HMAC-SHA-512 of 3 KB 74 vs 11 us,
// AES-256-CBC 75 vs 13 us, RS256 verification 88 vs 31 us. Keys are still derived and imported
// with WebCrypto (non-extractable CryptoKeys, cached); node:crypto only uses them, through a
// KeyObject made once per key (KeyObject.from). Elsewhere (workerd, Deno, browsers) WebCrypto
// runs on the calling thread and is used for everything.
let native = null;
let loadNative = null;
const keyObjects = new WeakMap();

/** For a loader: `load()` returns node:crypto (or null); called once, on the first operation. */
export function useNativeCrypto(load) {
  loadNative = load;
}

function nativeCrypto() {
  if (loadNative) {
    try {
      const c = loadNative();
      // Only a module with everything used here (a runtime that imitates node:crypto in part,
      // or not at all, keeps WebCrypto).
      const has = (...names) => names.every((n) => typeof c?.[n] === "function");
      native = has("createHmac", "createCipheriv", "createDecipheriv", "verify") && typeof c.KeyObject?.from === "function" ? c : null;
    } catch {
      native = null;
    }
    loadNative = null;
  }
  return native;
}

function keyObject(c, key) {
  let k = keyObjects.get(key);
  if (!k) keyObjects.set(key, (k = c.KeyObject.from(key)));
  return k;
}

function bytesOf(buffer) {
  return new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.length);
}

// JWS algorithms: [import parameters, sign/verify parameters].
const ALGS = {
  RS256: [{ name: "RSASSA-PKCS1-v1_5", hash: "SHA-256" }, { name: "RSASSA-PKCS1-v1_5" }],
  PS256: [{ name: "RSA-PSS", hash: "SHA-256" }, { name: "RSA-PSS", saltLength: 32 }],
  ES256: [{ name: "ECDSA", namedCurve: "P-256" }, { name: "ECDSA", hash: "SHA-256" }],
};

// Imported public keys by algorithm and JWK text: a JWKS key is imported once per isolate, not
// once per verification (at most 32 kept; the oldest is dropped first).
const verifyKeys = new Map();

/** Verifies a JWS signature with a public JWK given as JSON text. */
export async function verifyJws(alg, jwkJson, signature, data) {
  // Views into wasm memory: copy before the first await (a memory grow would detach them).
  signature = signature.slice();
  data = data.slice();
  const id = alg + jwkJson;
  let key = verifyKeys.get(id);
  if (!key) {
    key = crypto.subtle.importKey("jwk", JSON.parse(jwkJson), ALGS[alg][0], false, ["verify"]);
    verifyKeys.set(id, key);
    if (verifyKeys.size > 32) verifyKeys.delete(verifyKeys.keys().next().value);
    key.catch(() => verifyKeys.delete(id));
  }
  const c = alg === "RS256" ? nativeCrypto() : null;
  if (c) return c.verify("sha256", data, keyObject(c, await key), signature);
  return crypto.subtle.verify(ALGS[alg][1], await key, signature, data);
}

/** Imports a PKCS#8 private key (DER) for signing, non-extractable. */
export function importSigningKey(alg, der) {
  return crypto.subtle.importKey("pkcs8", der, ALGS[alg][0], false, ["sign"]);
}

/** Signs `data`: the raw JWS signature (ES256 is already r||s). */
export async function signJws(alg, key, data) {
  return new Uint8Array(await crypto.subtle.sign(ALGS[alg][1], key, data));
}

/**
 * The A256CBC-HS512 keys of a session secret: HKDF-SHA-256 to `len` bytes, then (RFC 7518
 * §5.2.2.1) the first half as the HMAC-SHA-512 key and the second half as the AES-256-CBC key,
 * both non-extractable.
 */
export async function sealKeys(secret, salt, info, len) {
  // Views into wasm memory: copy before the first await (a memory grow would detach them).
  salt = salt.slice();
  info = info.slice();
  const s = crypto.subtle;
  const ikm = await s.importKey("raw", secret, "HKDF", false, ["deriveBits"]);
  const okm = new Uint8Array(await s.deriveBits({ name: "HKDF", hash: "SHA-256", salt, info }, ikm, len * 8));
  return [
    await s.importKey("raw", okm.slice(0, len / 2), { name: "HMAC", hash: "SHA-512" }, false, ["sign"]),
    await s.importKey("raw", okm.slice(len / 2), "AES-CBC", false, ["encrypt", "decrypt"]),
  ];
}

/** HMAC with a key from sealKeys (its hash: SHA-512). */
export async function hmac(key, data) {
  const c = nativeCrypto();
  if (c) return bytesOf(c.createHmac(key.algorithm.hash.name.replace("-", ""), keyObject(c, key)).update(data).digest());
  return new Uint8Array(await crypto.subtle.sign("HMAC", key, data));
}

/** AES-CBC with PKCS#7 padding (both WebCrypto and node:crypto pad and unpad; a bad pad rejects). */
export async function aesCbc(encrypt, key, iv, data) {
  const c = nativeCrypto();
  if (c) {
    const name = `aes-${key.algorithm.length}-cbc`;
    const cipher = encrypt ? c.createCipheriv(name, keyObject(c, key), iv) : c.createDecipheriv(name, keyObject(c, key), iv);
    const head = cipher.update(data);
    const tail = cipher.final();
    const out = new Uint8Array(head.length + tail.length);
    out.set(head);
    out.set(tail, head.length);
    return out;
  }
  const params = { name: "AES-CBC", iv };
  return new Uint8Array(await (encrypt ? crypto.subtle.encrypt(params, key, data) : crypto.subtle.decrypt(params, key, data)));
}

// Reading caller-supplied values. A getter, a Proxy trap or an iterator may throw; these run
// them here, and the Rust side imports them with `catch`, so no JavaScript exception ever
// unwinds through wasm frames (that would skip Rust's stack restore and, repeated, corrupt the
// instance).

/** Object.entries of a plain object (not an array). */
export function entries(o) {
  return Object.entries(o);
}

/** `v` as an array of strings; null when it is an array with another member, undefined when not an array. */
export function stringList(v) {
  if (!Array.isArray(v)) return undefined;
  const out = [];
  for (const x of v) {
    if (typeof x !== "string") return null;
    out.push(x);
  }
  return out;
}

export function isArray(v) {
  return Array.isArray(v);
}

/** A short name of the runtime, for the telemetry header. */
export function runtimeName() {
  try {
    if (typeof Deno !== "undefined") return "deno";
    if (typeof process !== "undefined" && typeof window === "undefined") return "node";
    const ua = globalThis.navigator?.userAgent;
    if (typeof ua === "string" && ua.includes("Cloudflare-Workers")) return "workerd";
    if (typeof window !== "undefined") return "browser";
  } catch {}
  return "unknown";
}
