// Bounded randomized testing of cookie parsing in the package's stores (CookieStore, KvStore,
// DenoKvStore `get`, and `set` then `get` through the same storeOptions): arbitrary Cookie headers
// and chunk layouts must never throw (except the documented TypeErrors for bad storeOptions or a
// bad identifier) and never return a partial value.
//
// Each iteration is checked two ways:
//  - against a small model of the documented rules (RFC 6265 §5.2-style parsing: pairs split on
//    ";", name and value trimmed, the first cookie of a name wins, one pair of surrounding
//    DQUOTEs removed; chunks `<name>_<i>` with a decimal index without leading zeros, contiguous
//    from 0, each value non-empty cookie-octets; KvStore ids of 43 base64url characters);
//  - against the intent of the generated layout: a complete layout gives back exactly the value,
//    a layout with a hole (a missing chunk before the last) gives undefined.
// A layout whose *trailing* chunks are missing is indistinguishable, for a store, from a shorter
// value: there the sealed session's MAC is the guard (scenarios.mjs, "tamper" cases).
//
// AUTH0_EDGE_FUZZ_ITERATIONS (default 2000) and AUTH0_EDGE_FUZZ_SEED (default fixed; "random"
// picks one, printed in the test's diagnostic) set the campaign; see README.md.

const DEFAULT_ITERATIONS = 2000;
const DEFAULT_SEED = 0x5eed7;

export function fuzzSettings(get) {
  const iterations = Number(get("AUTH0_EDGE_FUZZ_ITERATIONS") ?? DEFAULT_ITERATIONS);
  const rawSeed = get("AUTH0_EDGE_FUZZ_SEED");
  const seed = rawSeed === "random" ? Math.floor(Math.random() * 2 ** 31) : rawSeed ? Number(rawSeed) : DEFAULT_SEED;
  if (!Number.isSafeInteger(iterations) || iterations < 1) throw new Error("AUTH0_EDGE_FUZZ_ITERATIONS must be a positive integer");
  if (!Number.isSafeInteger(seed)) throw new Error("AUTH0_EDGE_FUZZ_SEED must be an integer or \"random\"");
  return { iterations, seed };
}

/** mulberry32: a small seeded PRNG. */
function prng(seed) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const r = {
    next,
    int: (n) => Math.floor(next() * n),
    chance: (p) => next() < p,
    pick: (list) => list[Math.floor(next() * list.length)],
    string: (alphabet, length) => {
      let s = "";
      for (let i = 0; i < length; i++) s += alphabet[Math.floor(next() * alphabet.length)];
      return s;
    },
    shuffle: (list) => {
      const out = [...list];
      for (let i = out.length - 1; i > 0; i--) {
        const j = Math.floor(next() * (i + 1));
        [out[i], out[j]] = [out[j], out[i]];
      }
      return out;
    },
  };
  return r;
}

// RFC 6265 §4.1.1 cookie-octet and RFC 9110 token characters.
const OCTETS = (() => {
  let s = "";
  for (let c = 0x21; c <= 0x7e; c++) if (c !== 0x22 && c !== 0x2c && c !== 0x3b && c !== 0x5c) s += String.fromCharCode(c);
  return s;
})();
const TOKEN = "!#$%&'*+.^_`|~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz-";
const B64URL = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
const NASTY = ["", " ", "\t", ";", "=", '"', ",", "\\", "\u0000", "\r\n", "\u007f", "\u00e9", "\u00a0", "\u0085", "\ufeff", "\u000b", "\u000c", "\u2028", "\ud800", "😀", "%00", "_0", "_1", "__"];
const COOKIE_VALUE = /^[\x21\x23-\x2B\x2D-\x3A\x3C-\x5B\x5D-\x7E]+$/;
const CHUNK_INDEX = /^(?:0|[1-9][0-9]{0,5})$/;
const SESSION_ID = /^[A-Za-z0-9_-]{43}$/;

// --- the model ----------------------------------------------------------------------------------

// Names and values are trimmed of RFC 6265 §5.2's whitespace only: space and horizontal tab
// (not String.prototype.trim's Unicode set: U+00A0, U+FEFF and the rest stay).
const WSP = /^[ \t]+|[ \t]+$/g;
const wspTrim = (s) => s.replace(WSP, "");

function modelCookies(header) {
  const cookies = new Map();
  if (typeof header !== "string") return cookies;
  for (const pair of header.split(";")) {
    const eq = pair.indexOf("=");
    if (eq === -1) continue;
    const name = wspTrim(pair.slice(0, eq));
    if (name === "" || cookies.has(name)) continue;
    let value = wspTrim(pair.slice(eq + 1));
    if (value.length >= 2 && value.startsWith('"') && value.endsWith('"')) value = value.slice(1, -1);
    cookies.set(name, value);
  }
  return cookies;
}

function modelChunked(header, name) {
  const cookies = modelCookies(header);
  const indices = [];
  for (const [cookie, value] of cookies) {
    if (cookie.startsWith(`${name}_`) && CHUNK_INDEX.test(cookie.slice(name.length + 1))) indices.push([Number(cookie.slice(name.length + 1)), value]);
  }
  if (indices.length === 0) return undefined;
  indices.sort((a, b) => a[0] - b[0]);
  let out = "";
  for (let i = 0; i < indices.length; i++) {
    if (indices[i][0] !== i || !COOKIE_VALUE.test(indices[i][1])) return undefined;
    out += indices[i][1];
  }
  return out;
}

// --- generators ---------------------------------------------------------------------------------

function cookieValue(r, max = 200) {
  const length = r.chance(0.1) ? 1 + r.int(12000) : 1 + r.int(max);
  return r.string(OCTETS, length);
}

function split(r, value) {
  const k = Math.min(value.length, 1 + r.int(8));
  const cuts = new Set();
  while (cuts.size < k - 1) cuts.add(1 + r.int(value.length - 1));
  const points = [0, ...[...cuts].sort((a, b) => a - b), value.length];
  return points.slice(1).map((end, i) => value.slice(points[i], end));
}

/** A cookie pair that cannot be taken for a chunk of `name`. */
function noisePair(r, name) {
  const names = [
    () => r.string(TOKEN, 1 + r.int(12)),
    () => name,
    () => `${name}_`,
    () => `${name}_0${r.int(10)}`,
    () => `${name}_x`,
    () => `${name}_-1`,
    () => `${name}__0`,
    () => `x${name}_0`,
    () => `${name}_${1000000 + r.int(9000000)}`,
    () => `${name}_0x`,
    () => `${name}_1e3`,
    () => `${name}_+1`,
  ];
  let n = r.pick(names)();
  if (/^\d+$/.test(n.slice(name.length + 1)) && n.startsWith(`${name}_`) && CHUNK_INDEX.test(n.slice(name.length + 1))) n = `${n}x`;
  const value = r.chance(0.8) ? cookieValue(r, 40) : r.pick(NASTY) + cookieValue(r, 10);
  return `${n}=${value.replace(/;/g, "")}`;
}

function pad(r, s) {
  return r.chance(0.3) ? `${r.pick([" ", "  ", "\t", " \t "])}${s}${r.pick(["", " ", "\t"])}` : s;
}

/** A Cookie header for CookieStore and what it should give. intent: "value" | "undefined" | "any". */
function chunkLayout(r, name) {
  const value = cookieValue(r);
  const chunks = split(r, value);
  const mode = r.pick(["clean", "clean", "clean", "hole", "bad", "dup-later", "dup-earlier", "after-gap", "contiguous-extra", "noise-only", "random"]);
  const pairs = chunks.map((c, i) => ({ index: i, text: `${name}_${i}=${r.chance(0.2) ? `"${c}"` : c}` }));
  let intent = "any";
  let expected = value;
  if (mode === "clean") intent = "value";
  if (mode === "hole" && chunks.length >= 2) {
    pairs.splice(r.int(chunks.length - 1), 1); // never the last: a real hole
    intent = "undefined";
  }
  if (mode === "bad") {
    const i = r.int(pairs.length);
    const c = chunks[i];
    const bad = r.pick([" ", '"', ",", "\\", "\u007f", "\u00e9", "\t", "\u0000", "😀"]);
    const at = c.length >= 2 ? 1 + r.int(c.length - 1) : 0;
    const broken = c.length >= 2 ? c.slice(0, at) + bad + c.slice(at) : r.pick(['"', '""', "\\"]);
    pairs[i] = { index: i, text: `${name}_${i}=${broken}` };
    intent = "undefined";
  }
  // A second cookie of a chunk's name: the first one sent wins (RFC 6265 §5.4 order).
  const duplicate = `${name}_${r.int(chunks.length)}=${cookieValue(r, 20)}`;
  if (mode === "dup-later") intent = "value";
  if (mode === "after-gap") {
    pairs.push({ index: chunks.length + 1, text: `${name}_${chunks.length + 1 + r.int(5)}=${cookieValue(r, 20)}` });
    intent = "undefined";
  }
  if (mode === "contiguous-extra") {
    const extra = cookieValue(r, 20);
    pairs.push({ index: chunks.length, text: `${name}_${chunks.length}=${extra}` });
    intent = "value";
    expected = value + extra;
  }
  if (mode === "noise-only") {
    pairs.length = 0;
    intent = "undefined";
  }
  const noise = Array.from({ length: r.int(6) }, () => ({ index: -1, text: noisePair(r, name) }));
  const list = r.shuffle([...pairs, ...noise]);
  if (mode === "dup-earlier") list.unshift({ index: -1, text: duplicate });
  if (mode === "dup-later") list.push({ index: -1, text: duplicate });
  let header = list.map((p) => pad(r, p.text)).join(r.pick(["; ", ";", " ; ", ";;", "; ;"]));
  if (mode === "random") {
    const alphabet = `${OCTETS}; =";${NASTY.join("")}`;
    const parts = Array.from({ length: r.int(8) }, () => (r.chance(0.5) ? `${name}_${r.int(4)}=` : "") + r.string(alphabet, r.int(30)));
    header = r.shuffle([...parts, header]).join(r.pick([";", "; "]));
    intent = "any";
  }
  if (r.chance(0.05)) {
    header = r.pick(["", ";", "=", " ", "\t;\t", `${name}_0`, `${name}_0=`, `=${value}`]);
    intent = "any";
  }
  return { header, intent, expected };
}

/** storeOptions for a header: a real Request when the runtime accepts the header, else a stand-in. */
function storeOptionsFor(r, header) {
  if (r.chance(0.7)) {
    try {
      return { request: new Request("https://app.example/", { headers: header === undefined ? {} : { cookie: header } }) };
    } catch {
      // Not a valid header value for this runtime: the stand-in below delivers it anyway.
    }
  }
  const value = r.chance(0.97) ? header : r.pick([null, undefined, 42, {}]);
  return { request: { headers: { get: (n) => (n.toLowerCase() === "cookie" ? value : null) } } };
}

// Built per call: workerd allows no Response at module scope.
const badStoreOptions = () => [undefined, null, 0, "x", true, {}, { request: null }, { request: {} }, { request: { headers: {} } }, { request: { headers: { get: "x" } } }, { response: new Response("") }];
const BAD_IDENTIFIERS = ["", "a b", "a;b", "a=b", "é", "a\u0000", 42, undefined, null, {}];

// --- the cases ----------------------------------------------------------------------------------

/**
 * @param pkg the package's module namespace
 * @param settings {iterations, seed}
 */
export function cookieFuzz(pkg, { iterations, seed }) {
  const { CookieStore, KvStore, DenoKvStore } = pkg;
  const fail = (what, i, detail) => {
    throw new Error(`cookie fuzz (seed ${seed}, iteration ${i}): ${what}${detail ? `: ${detail}` : ""}`);
  };
  const show = (v) => (typeof v === "string" ? `a string of ${v.length}` : String(v));
  /** Runs `fn`; a throw is a failure unless `typeErrorExpected` and it is a TypeError. */
  const guarded = async (i, typeErrorExpected, fn) => {
    try {
      const out = await fn();
      if (typeErrorExpected) fail("expected a TypeError, got a result", i, show(out));
      return out;
    } catch (e) {
      if (typeErrorExpected && e instanceof TypeError) return TYPE_ERROR;
      if (e instanceof Error && e.message.startsWith("cookie fuzz")) throw e;
      fail(`${typeErrorExpected ? "expected a TypeError, got" : "threw"} ${e && e.name}`, i, e && e.message);
    }
  };
  const TYPE_ERROR = Symbol("TypeError");

  return [
    {
      name: `cookie fuzz: CookieStore get over ${iterations} random Cookie headers and chunk layouts (seed ${seed})`,
      fn: async () => {
        const r = prng(seed);
        const counts = { value: 0, undefined: 0, any: 0, typeErrors: 0, setThenGet: 0 };
        for (let i = 0; i < iterations; i++) {
          const cookieName = r.chance(0.2) ? r.string(TOKEN, 1 + r.int(10)) : undefined;
          // Secure with Path=/ (the default) names cookies `__Host-<identifier>`; secure: false does not.
          const secure = r.chance(0.7);
          const store = new CookieStore({ ...(cookieName === undefined ? {} : { cookieName }), ...(secure ? {} : { secure: false }) });
          let identifier = r.chance(0.8) ? "_a0_session" : r.string(TOKEN, 1 + r.int(12));
          let badId = false;
          if (r.chance(0.03)) {
            identifier = r.pick(BAD_IDENTIFIERS);
            badId = typeof identifier !== "string" || identifier === "" || (cookieName === undefined && !/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/.test(identifier));
          }
          const name = cookieName ?? (secure ? `__Host-${identifier}` : identifier);
          if (r.chance(0.03)) {
            const so = r.pick(badStoreOptions());
            await guarded(i, true, () => store.get(identifier, so));
            counts.typeErrors++;
            continue;
          }
          const { header, intent, expected } = chunkLayout(r, String(name));
          const so = storeOptionsFor(r, header);
          const got = await guarded(i, badId, () => store.get(identifier, so));
          if (badId) {
            counts.typeErrors++;
            continue;
          }
          if (got !== undefined && typeof got !== "string") fail("get returned neither a string nor undefined", i, typeof got);
          const seenHeader = so.request.headers.get("cookie");
          const model = modelChunked(seenHeader, name);
          if (got !== model) fail("get disagrees with the model", i, `got ${show(got)}, model ${show(model)}`);
          // Headers drop leading and trailing whitespace of a value: the same cookies either way.
          const sameHeader = seenHeader === header || seenHeader === header.replace(/^[ \t]+|[ \t]+$/g, "");
          if (sameHeader) {
            if (intent === "value" && got !== expected) fail("a complete layout did not give back exactly its value", i, `got ${show(got)}, want ${show(expected)}`);
            if (intent === "undefined" && got !== undefined) fail("a layout with a hole or a bad chunk gave a value", i, show(got));
          }
          counts[sameHeader ? intent : "any"]++;
          if (typeof got === "string" && !COOKIE_VALUE.test(got)) fail("a value that is not cookie-octets", i);

          // set, then get through the same storeOptions: exactly the new value, whatever the request carried.
          if (r.chance(0.25)) {
            const fresh = { request: so.request, headers: new Headers() };
            const v2 = cookieValue(r, 8000);
            await guarded(i, false, () => store.set(identifier, v2, r.chance(0.5), fresh));
            const back = await guarded(i, false, () => store.get(identifier, fresh));
            if (back !== v2) fail("get after set through the same storeOptions", i, `got ${show(back)}, want ${show(v2)}`);
            counts.setThenGet++;
          }
        }
        return `CookieStore: ${JSON.stringify(counts)}`;
      },
    },
    {
      name: `cookie fuzz: KvStore and DenoKvStore get over ${iterations} random Cookie headers (seed ${seed})`,
      fn: async () => {
        const r = prng(seed ^ 0x9e3779b9);
        const counts = { lookups: 0, refused: 0, typeErrors: 0, setThenGet: 0 };
        for (let i = 0; i < iterations; i++) {
          const backendValue = r.pick(["a.b.c.d.e", cookieValue(r), "", null, undefined, 42, {}, ["x"]]);
          const calls = [];
          const entries = new Map();
          const deno = r.chance(0.5);
          const store = deno
            ? new DenoKvStore({
                get: async (key) => (calls.push(key.join(":")), { value: entries.has(key.join(":")) ? entries.get(key.join(":")) : backendValue }),
                set: async (key, value) => void entries.set(key.join(":"), value),
                delete: async (key) => void entries.delete(key.join(":")),
              })
            : new KvStore({
                get: async (key) => (calls.push(key), entries.has(key) ? entries.get(key) : backendValue),
                put: async (key, value) => void entries.set(key, value),
                delete: async (key) => void entries.delete(key),
              });
          const identifier = "_a0_session";
          if (r.chance(0.03)) {
            await guarded(i, true, () => store.get(identifier, r.pick(badStoreOptions())));
            counts.typeErrors++;
            continue;
          }
          const validId = r.string(B64URL, 43);
          const idText = r.pick([
            validId, validId, `"${validId}"`, ` ${validId} `, validId.slice(1), `${validId}A`, `${validId.slice(0, 42)}+`, `${validId.slice(0, 42)}.`,
            "../x", `${validId}:x`, "", r.string(OCTETS, r.int(60)), r.pick(NASTY) + validId,
          ]);
          const name = `__Host-${identifier}`; // the cookie: Secure, Path=/ by default
          const parts = [`${name}=${idText}`];
          for (let n = r.int(5); n > 0; n--) parts.push(noisePair(r, name));
          if (r.chance(0.2)) parts.push(`${name}=${r.string(B64URL, 43)}`); // a later duplicate never wins
          const header = (r.chance(0.7) ? parts : r.shuffle(parts)).join(r.pick(["; ", ";"]));
          const so = storeOptionsFor(r, header);
          const got = await guarded(i, false, () => store.get(identifier, so));
          const id = modelCookies(so.request.headers.get("cookie")).get(name);
          if (id !== undefined && SESSION_ID.test(id)) {
            if (calls.length !== 1 || calls[0] !== `${identifier}:${id}`) fail("the backend was not asked for exactly <identifier>:<id>", i, `${calls.length} calls`);
            const want = typeof backendValue === "string" ? backendValue : undefined;
            if (got !== want) fail("the backend's value was not returned as is (strings) or as undefined", i, `got ${show(got)}`);
            counts.lookups++;
          } else {
            if (calls.length !== 0) fail("a cookie that is not a session id reached the backend", i);
            if (got !== undefined) fail("a value without a session id", i, show(got));
            counts.refused++;
          }
          if (r.chance(0.25)) {
            const fresh = { request: so.request, headers: new Headers() };
            const v2 = cookieValue(r, 8000);
            await guarded(i, false, () => store.set(identifier, v2, r.chance(0.5), fresh));
            const back = await guarded(i, false, () => store.get(identifier, fresh));
            if (back !== v2) fail("get after set through the same storeOptions", i, `got ${show(back)}`);
            counts.setThenGet++;
          }
        }
        return `KvStore/DenoKvStore: ${JSON.stringify(counts)}`;
      },
    },
  ];
}
