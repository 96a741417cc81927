// The Rust core's operations (src/js.rs), by name. The .wasm imports nothing and exports three
// functions of one signature over numbers, text(op, at, n), bytes(op, at, n) and configure(op, at,
// n) (configure has its own export so that the first client compiles less), and room(n), which
// answers where to write an operation's n bytes of arguments (see `exports` in src/js.rs). No
// wasm-bindgen glue: plain i32 signatures and no imports spare V8 the wrappers it would compile
// with the module (measured in Node 20, import + first client: 6.41 -> 5.66 ms; compiling the
// module 1.06 -> 0.68 ms, the first configure 1.9 -> 1.65 ms).
// Each operation's arguments are packed into one byte buffer (see `Args` in src/js.rs).

import { useNativeCrypto } from "./host.js";

// Loading the .wasm. Each runtime's entry (workerd.js, deno.js, browser.js) compiles it its own
// way and instantiates it through `loader` (reached as ServerClient[Symbol.for("auth0-edge.loader")],
// see api.js, so that the package exports only its API) before it exports anything.
// Node's entry is index.js itself (one module to load, not two: measured, 0.7 ms of a cold
// start): nothing is loaded at import, and the first client reads the .wasm next to this module.
let wasm;

export const loader = {
  /**
   * Instantiates the module once ({module}: a WebAssembly.Module or the .wasm's bytes; or
   * {exports}: an instance's, as Deno's .wasm import gives them); answers the instance's exports
   * (also when called again, or without a module once loaded).
   */
  initSync(o) {
    if (!wasm && o?.exports) wasm = o.exports;
    if (!wasm) {
      const m = o?.module;
      if (!m) throw new Error("auth0-edge: its WebAssembly module is not loaded");
      wasm = new WebAssembly.Instance(m instanceof WebAssembly.Module ? m : new WebAssembly.Module(m), {}).exports;
    }
    return wasm;
  },
};

/**
 * Node (20.16 or later): the .wasm next to this module, read and compiled synchronously on first
 * use; fs comes from process.getBuiltinModule, not `import ... from "node:fs"` (that import builds
 * fs's ES module namespace and loads Node's stream modules: 1.3 ms of a cold start). HMAC, AES-CBC
 * and RS256 verification then go through node:crypto, loaded on the first operation (Node's
 * WebCrypto costs 3-6x the CPU per operation: see src/host/host.js).
 */
function loadHere() {
  const fs = globalThis.process?.getBuiltinModule?.("node:fs");
  if (!fs) {
    throw new Error(
      "auth0-edge: its WebAssembly module is not loaded. Import the package by its name (each runtime's entry loads it); Node needs version 20.16 or later.",
    );
  }
  loader.initSync({ module: readAll(fs, new URL("./auth0_edge_bg.wasm", import.meta.url)) });
  useNativeCrypto(() => process.getBuiltinModule("node:crypto"));
}

/**
 * A file's bytes, read into a buffer that doubles until the file fits: readFileSync's fstat costs
 * more than the read on a cold start (Node 20, fresh processes: 0.34 -> 0.20 ms). It starts
 * smaller than the .wasm (60 KB), so every load in Node (each Node test too) runs the doubling.
 */
function readAll(fs, path) {
  const fd = fs.openSync(path, "r");
  try {
    let b = new Uint8Array(1 << 15);
    let n = 0;
    for (let r; (r = fs.readSync(fd, b, n, b.length - n, null)) > 0; ) {
      n += r;
      if (n === b.length) {
        const bigger = new Uint8Array(n * 2);
        bigger.set(b);
        b = bigger;
      }
    }
    return b.subarray(0, n);
  } finally {
    fs.closeSync(fd);
  }
}

const utf8 = new TextEncoder();
let buf = new Uint8Array(8192);
let dv = new DataView(buf.buffer);

function room(at, n) {
  if (at + n <= buf.length) return;
  const next = new Uint8Array(Math.max(buf.length * 2, at + n));
  next.set(buf.subarray(0, at));
  buf = next;
  dv = new DataView(buf.buffer);
}

/** Packs strings (UTF-8), byte arrays, numbers (f64) and null/undefined (absent), in order. */
function pack(args) {
  let at = 0;
  for (const a of args) {
    if (typeof a === "number") {
      room(at, 8);
      dv.setFloat64(at, a, true);
      at += 8;
    } else if (a == null) {
      room(at, 4);
      dv.setUint32(at, 0xffffffff, true);
      at += 4;
    } else if (typeof a === "string") {
      room(at, 4 + a.length * 3);
      const { written } = utf8.encodeInto(a, buf.subarray(at + 4));
      dv.setUint32(at, written, true);
      at += 4 + written;
    } else {
      room(at, 4 + a.length);
      dv.setUint32(at, a.length, true);
      buf.set(a, at + 4);
      at += 4 + a.length;
    }
  }
  return buf.subarray(0, at);
}

// Views of the instance's memory, made again when it has grown (the old buffer is then detached).
let heap = new Uint8Array(0);
let words;
function views() {
  if (heap.byteLength === 0) (heap = new Uint8Array(wasm.memory.buffer)), (words = new Uint32Array(heap.buffer));
}

/** Calls export `f` on operation `op` with `args` packed; answers the result's bytes (a view, valid until the next call). */
function call(f, op, args) {
  const input = pack(args);
  const n = input.length;
  const at = wasm.room(n);
  views();
  heap.set(input, at);
  const r = f(op, at, n) >>> 2;
  views();
  const p = words[r];
  return heap.subarray(p, p + words[r + 1]);
}

// Text results (UTF-8). Safari's TextDecoder fails once one instance has decoded about 2 GB:
// a fresh one before that, at the limit wasm-bindgen's glue uses for the same reason.
let decoder = new TextDecoder();
let decoded = 0;
function decode(bytes) {
  if ((decoded += bytes.length) >= 2146435072) (decoder = new TextDecoder()), (decoded = bytes.length);
  return decoder.decode(bytes);
}

const t = (op) => (...args) => decode(call(wasm.text, op, args));
const b = (op) => (...args) => call(wasm.bytes, op, args).slice();

// Text results: JSON, empty, or "!" and an error as JSON (the driver's `unwrap`).
/** A copy of `args` packed: a client's options as the core reads them at each call. */
export const packed = (args) => pack(args).slice();
// (packed options: [runtime name, 1, classified options...], see client.js) -> configuration
// JSON. Every client starts here: the .wasm is loaded first if no entry did.
export const configure = (options) => {
  if (!wasm) loadHere();
  return decode(call(wasm.configure, 0, [options]));
};
export const checkExchange = t(1); // (options JSON) -> "true" when an actor token is given
export const discovery = t(2); // (domain URL, status, body bytes | null) -> document JSON
export const assertionInput = t(3); // (client options, audience, now ms, jti bytes) -> JWS signing input
export const exchangeRequest = t(4); // (client options, exchange options JSON, assertion) -> {headers, body, actor?}
export const tokens = t(5); // (status, content type | undefined, body | null, 1: ID token only) -> tokens JSON
export const jwks = t(6); // (status, body | null) -> JWKS JSON
export const idTokenAlg = t(7); // (token) -> "RS256" | "PS256" | "ES256"
export const selectKey = t(8); // (JWKS JSON, token) -> public JWK JSON or ""
export const idTokenClaims = t(9); // (client options, token, issuer, now ms) -> claims JSON
export const newState = t(10); // (client options, token body, issuer, exchange options JSON, now ms, 64 random bytes)
export const view = t(11); // (client options, state bytes, what, now ms)
export const accessToken = t(12); // (state bytes | undefined, audience, scope, now ms)
export const refreshRequest = t(13); // (client options, state bytes, scope, assertion) -> {headers, body}
export const mergeRefresh = t(14); // (state bytes, token body, audience, scope, now ms) -> state
export const logoutUrl = t(15); // (client options, returnTo) -> URL
export const sealCompact = t(16); // (iv, ciphertext, hmac) -> compact JWE or "" (too large)
export const base64url = t(17); // (bytes) -> base64url text

// Byte results.
export const sealParams = b(32); // () -> [IV length, key length, HKDF info...]
export const sealMacInput = b(33); // (iv, ciphertext) -> HMAC input
export const openParts = b(34); // (sealed) -> IV | tag | ciphertext length | HMAC input, or empty
export const tagMatches = (hmac, tag) => call(wasm.bytes, 35, [hmac, tag])[0] === 1;
export const pemDer = b(36); // (PEM) -> DER bytes
