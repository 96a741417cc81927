// The shared suite in Node, the package imported by name (its "node" export condition).
import { test } from "node:test";
import * as pkg from "auth0-edge";
import { suite } from "./suite.mjs";
import { providerEnv } from "./env.mjs";

const storeKinds = [
  { label: "default store", create: () => undefined },
  { label: "MemoryStore", create: () => new pkg.MemoryStore() },
  { label: "CookieStore", create: () => new pkg.CookieStore() },
];
for (const { name, fn } of suite(pkg, { ...providerEnv((k) => process.env[k]), storeKinds })) test(name, fn);

// The package's wasm allocator (src/arena.rs) starts over whenever nothing is allocated: the wasm
// linear memory must not grow with the number of calls. The loaders' way in (pkg-templates/core.js
// `loader`) returns the instance's exports from initSync() once it is loaded.
import { createRequire } from "node:module";
import { realpathSync } from "node:fs";
import path from "node:path";
import { CLIENTS, TOKEN_TYPES } from "../provider/fixtures.mjs";
import { eq, later, ok } from "./asserts.mjs";

test("wasm memory stays flat over 600 logins, sessions and exchanges", async () => {
  const memory = pkg.ServerClient[Symbol.for("auth0-edge.loader")].initSync().memory;
  ok(memory instanceof WebAssembly.Memory, "the package's wasm memory");
  const { issuer } = providerEnv((k) => process.env[k]);
  const c = new pkg.ServerClient({ domain: issuer, clientId: CLIENTS.basic.clientId, clientSecret: CLIENTS.basic.clientSecret, secret: "a-session-secret-of-at-least-32-characters!", stateStore: new pkg.MemoryStore() });
  const options = { subjectToken: "legacy-alice", subjectTokenType: TOKEN_TYPES.LEGACY, scope: "openid profile" };
  const round = async () => {
    const so = {};
    await c.loginWithCustomTokenExchange(options, so);
    eq((await c.getSession(so)).user.sub !== undefined, true, "a session with a user");
    await c.customTokenExchange(options);
  };
  for (let i = 0; i < 100; i++) await round();
  const before = memory.buffer.byteLength;
  for (let i = 0; i < 500; i++) await round();
  eq(memory.buffer.byteLength, before, "wasm memory bytes after 500 more rounds");
});

// A call that traps (none is reachable: the core is fuzzed; a refused memory.grow could) stops
// between `room` and its result, its allocations still counted as live. The next call's `room`
// starts the arena over (src/arena.rs `reset`), so such calls cost nothing later: here 300 calls
// abandoned after `room`, each followed by real operations, leave the memory where it was.
test("calls abandoned after room (as a trap leaves them) do not make the wasm memory grow", async () => {
  const w = pkg.ServerClient[Symbol.for("auth0-edge.loader")].initSync();
  const { issuer } = providerEnv((k) => process.env[k]);
  const c = new pkg.ServerClient({ domain: issuer, clientId: CLIENTS.basic.clientId, clientSecret: CLIENTS.basic.clientSecret, secret: "a-session-secret-of-at-least-32-characters!", stateStore: new pkg.MemoryStore() });
  const options = { subjectToken: "legacy-alice", subjectTokenType: TOKEN_TYPES.LEGACY, scope: "openid profile" };
  const round = async () => {
    w.room(20_000); // arguments written for a call that never returns
    const so = {};
    await c.loginWithCustomTokenExchange(options, so);
    eq((await c.getSession(so)).user.sub, "auth0|alice", "the session after an abandoned call");
  };
  for (let i = 0; i < 20; i++) await round();
  const before = w.memory.buffer.byteLength;
  for (let i = 0; i < 300; i++) await round();
  eq(w.memory.buffer.byteLength, before, "wasm memory bytes after 300 more abandoned calls");
});

// client.js remembers the sessions it sealed or opened (skipping HMAC and decryption when the same
// sealed value comes back). A remembered session must open only for a client that could open it.
test("remembered sessions: only for the same identifier and a secret that sealed them", async () => {
  const { issuer } = providerEnv((k) => process.env[k]);
  const [s1, s2] = ["first-session-secret-of-32-characters!!", "second-session-secret-of-32-characters!"];
  const store = new pkg.MemoryStore();
  const make = (secret, extra = {}) =>
    new pkg.ServerClient({ domain: issuer, clientId: CLIENTS.basic.clientId, clientSecret: CLIENTS.basic.clientSecret, secret, stateStore: store, ...extra });
  const so = {};
  await make(s1).loginWithCustomTokenExchange({ subjectToken: "legacy-alice", subjectTokenType: TOKEN_TYPES.LEGACY, scope: "openid" }, so);
  ok((await make(s1).getSession(so)) !== undefined, "the sealing secret opens it");
  ok((await make([s2, s1]).getSession(so)) !== undefined, "a rotated list that still holds the secret opens it");
  eq(await make(s2).getSession(so), undefined, "another secret does not");
  const sealed = await store.get("_a0_session");
  await store.set("other_session", sealed);
  eq(await make(s1, { stateIdentifier: "other_session" }).getSession(so), undefined, "another identifier (other keys) does not");
});

test("remembered session views: kept per configuration, never past the expiry the core gave", async () => {
  const { issuer } = providerEnv((k) => process.env[k]);
  const secret = "first-session-secret-of-32-characters!!";
  const store = new pkg.MemoryStore();
  const make = (extra = {}) =>
    new pkg.ServerClient({ domain: issuer, clientId: CLIENTS.basic.clientId, clientSecret: CLIENTS.basic.clientSecret, secret, stateStore: store, ...extra });
  const long = make();
  const short = make({ sessionDuration: 60 });
  const so = {};
  const login = () => long.loginWithCustomTokenExchange({ subjectToken: "legacy-alice", subjectTokenType: TOKEN_TYPES.LEGACY, scope: "openid" }, so);
  // Login remembers the session view for the default duration (days): a client with a one-minute
  // sessionDuration reading the same sealed value a minute on must not be served it.
  await login();
  eq((await later(61, () => long.getSession(so))).user.sub, "auth0|alice", "within the default duration");
  eq(await later(61, () => short.getSession(so)), undefined, "expired for sessionDuration 60: another configuration's view is not used");
  eq(await store.get("_a0_session"), undefined, "the expired session was deleted");
  // A view the short-lived client remembered is not served past the expiry the core gave with it.
  await login();
  eq((await short.getSession(so)).user.sub, "auth0|alice", "the short-lived client's own view");
  eq(await later(61, () => short.getSession(so)), undefined, "expired, though its view was remembered");
  eq(await store.get("_a0_session"), undefined, "deleted again");
});

test("require() loads the package (Node 20.19+: no top-level await in the node loader) as the same module", () => {
  const required = createRequire(import.meta.url)("auth0-edge");
  eq(required.ServerClient === pkg.ServerClient, true, "require() and import share one module instance");
});

// What the package ships (package.json "files") exists, and index.js (minified) maps back to the
// sources through its source map, which embeds them: a stack trace can be read with
// --enable-source-maps, and the map's lines point into the real driver.
test("package files exist; index.js has a source map with the sources", async () => {
  const { readFileSync, existsSync } = await import("node:fs");
  const entry = realpathSync(createRequire(import.meta.url).resolve("auth0-edge/package.json"));
  const dir = path.dirname(entry);
  const manifest = JSON.parse(readFileSync(entry, "utf8"));
  for (const f of manifest.files) ok(existsSync(path.join(dir, f)), `${f} is in the package`);
  const js = readFileSync(path.join(dir, "index.js"), "utf8");
  ok(js.trimEnd().endsWith("//# sourceMappingURL=index.js.map"), "index.js names its map");
  const map = JSON.parse(readFileSync(path.join(dir, "index.js.map"), "utf8"));
  eq(map.sources.length, map.sourcesContent.length, "every source is embedded");
  const client = map.sources.indexOf("pkg-templates/client.js");
  ok(client >= 0, "the driver is a source");
  ok(map.sourcesContent[client].includes("export class ServerClient"), "with its text");
});

// The .wasm's interface (src/js.rs `exports`): it imports nothing and exports the memory and four
// functions over i32 only, each returning one value. V8 compiles a wrapper with the module for
// every import and for every export its generic wrapper does not cover (several results, such as
// wasm-bindgen's strings): about 0.4-0.6 ms each of a cold start. The package's exports also answer.
test("the .wasm imports nothing and exports four i32 functions and its memory", async () => {
  const { readFileSync } = await import("node:fs");
  const dir = path.dirname(realpathSync(createRequire(import.meta.url).resolve("auth0-edge/package.json")));
  const bytes = readFileSync(path.join(dir, "auth0_edge_bg.wasm"));
  const module = new WebAssembly.Module(bytes);
  eq(WebAssembly.Module.imports(module).length, 0, "imports");
  const exports = WebAssembly.Module.exports(module).map((e) => `${e.kind} ${e.name}`).sort();
  eq(exports.join(", "), "function bytes, function configure, function room, function text, memory memory", "exports");
  // Function types, from the type and function sections: every export's type is (i32...) -> i32.
  const types = wasmFunctionTypes(bytes);
  for (const name of ["bytes", "configure", "room", "text"]) {
    const t = types.exports.get(name);
    ok(t && t.params.every((p) => p === 0x7f) && t.results.length === 1 && t.results[0] === 0x7f, `${name}: (i32...) -> i32, not ${JSON.stringify(t)}`);
  }
  // The same instance the package uses answers through them.
  const w = pkg.ServerClient[Symbol.for("auth0-edge.loader")].initSync();
  eq(typeof w.room, "function", "the loaded instance's exports");
});

/** The signatures of a .wasm's exported functions: a minimal reader of its type, import, function and export sections. */
function wasmFunctionTypes(b) {
  let i = 8;
  const leb = () => {
    let r = 0, s = 0, x;
    do { x = b[i++]; r |= (x & 0x7f) << s; s += 7; } while (x & 0x80);
    return r >>> 0;
  };
  const types = [], funcs = [], exports = new Map();
  let imported = 0;
  while (i < b.length) {
    const id = b[i++], size = leb(), end = i + size;
    if (id === 1) {
      for (let n = leb(); n > 0; n--) {
        i++; // 0x60
        const params = Array.from({ length: leb() }, () => b[i++]);
        const results = Array.from({ length: leb() }, () => b[i++]);
        types.push({ params, results });
      }
    } else if (id === 2) {
      imported = leb(); // asserted to be 0 above; then nothing else to skip
    } else if (id === 3) {
      for (let n = leb(); n > 0; n--) funcs.push(leb());
    } else if (id === 7) {
      for (let n = leb(); n > 0; n--) {
        const len = leb(), name = new TextDecoder().decode(b.subarray(i, i + len));
        i += len;
        const kind = b[i++], index = leb();
        if (kind === 0) exports.set(name, types[funcs[index - imported]]);
      }
    }
    i = end;
  }
  return { exports };
}

// Node's entry is index.js itself: the import loads nothing, the first client reads the .wasm
// (pkg-templates/core.js), and HMAC, AES-CBC and RS256 verification go to node:crypto (src/host/host.js:
// WebCrypto in Node costs 3-6x the CPU per operation), loaded on the first operation. A fresh
// process counts what is fetched through process.getBuiltinModule, and the calls reaching node:crypto.
test("Node: the .wasm loads with the first client; sessions and RS256 ID tokens use node:crypto", async () => {
  const { execFileSync } = await import("node:child_process");
  const { issuer } = providerEnv((k) => process.env[k]);
  const script = `
    const counts = { loaded: 0, fs: 0 };
    const real = process.getBuiltinModule.bind(process);
    process.getBuiltinModule = (name) => {
      const m = real(name);
      if (name === "node:fs") counts.fs++;
      if (name !== "node:crypto") return m;
      counts.loaded++;
      const counted = ["createHmac", "createCipheriv", "createDecipheriv", "verify"];
      return new Proxy(m, { get(t, k) {
        const v = t[k];
        if (!counted.includes(k)) return v;
        return (...args) => { counts[k] = (counts[k] ?? 0) + 1; return v.apply(t, args); };
      } });
    };
    const pkg = await import("auth0-edge");
    const fsAtImport = counts.fs;
    const c = new pkg.ServerClient(${JSON.stringify({ domain: issuer, clientId: CLIENTS.basic.clientId, clientSecret: CLIENTS.basic.clientSecret, secret: "a-session-secret-of-at-least-32-characters!" })});
    const afterImport = counts.loaded;
    const so = {};
    await c.loginWithCustomTokenExchange(${JSON.stringify({ subjectToken: "legacy-alice", subjectTokenType: TOKEN_TYPES.LEGACY, scope: "openid profile" })}, so);
    const user = (await c.getSession(so)).user.sub;
    console.log(JSON.stringify({ afterImport, fsAtImport, user, ...counts }));`;
  const out = JSON.parse(execFileSync(process.execPath, ["--input-type=module", "-e", script], { cwd: path.dirname(new URL(import.meta.url).pathname), encoding: "utf8", env: process.env }));
  eq([out.fsAtImport, out.fs], [0, 1], "the import reads nothing; the first client reads the .wasm, once");
  eq(out.afterImport, 0, "node:crypto is not loaded by the import");
  ok(typeof out.user === "string", "a session");
  eq([out.loaded, out.verify, out.createCipheriv, out.createHmac], [1, 1, 1, 1], "loaded once; one verification, one encryption, one HMAC");
});

// A runtime whose node:crypto lacks what the Node path uses (KeyObject.from here) keeps WebCrypto:
// sessions still seal and open, and nothing reaches that module.
test("Node: without a usable node:crypto, sessions fall back to WebCrypto", async () => {
  const { execFileSync } = await import("node:child_process");
  const { issuer } = providerEnv((k) => process.env[k]);
  const script = `
    let calls = 0;
    const real = process.getBuiltinModule.bind(process);
    process.getBuiltinModule = (name) => {
      if (name !== "node:crypto") return real(name);
      const m = real(name);
      return { createHmac: (...a) => (calls++, m.createHmac(...a)), createCipheriv: (...a) => (calls++, m.createCipheriv(...a)),
               createDecipheriv: (...a) => (calls++, m.createDecipheriv(...a)), verify: (...a) => (calls++, m.verify(...a)) };
    };
    const pkg = await import("auth0-edge");
    const c = new pkg.ServerClient(${JSON.stringify({ domain: issuer, clientId: CLIENTS.basic.clientId, clientSecret: CLIENTS.basic.clientSecret, secret: "a-session-secret-of-at-least-32-characters!" })});
    const so = {};
    await c.loginWithCustomTokenExchange(${JSON.stringify({ subjectToken: "legacy-alice", subjectTokenType: TOKEN_TYPES.LEGACY, scope: "openid profile" })}, so);
    console.log(JSON.stringify({ user: (await c.getSession(so)).user.sub, calls }));`;
  const out = JSON.parse(execFileSync(process.execPath, ["--input-type=module", "-e", script], { cwd: path.dirname(new URL(import.meta.url).pathname), encoding: "utf8", env: process.env }));
  ok(typeof out.user === "string", "a session");
  eq(out.calls, 0, "no call into the incomplete module");
});
