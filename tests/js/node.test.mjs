// The shared suite in Node, the package imported by name (its "node" export condition).
import { test } from "node:test";
import * as pkg from "auth0-edge";
import { suite } from "./suite.mjs";
import { hostileSuite } from "./hostile.mjs";
import { providerEnv } from "./env.mjs";

const storeKinds = [
  { label: "MemoryStore", create: () => new pkg.MemoryStore() },
  { label: "CookieStore", create: () => new pkg.CookieStore() },
];
for (const { name, fn } of suite(pkg, { ...providerEnv((k) => process.env[k]), storeKinds })) test(name, fn);
for (const { name, fn } of hostileSuite(pkg, providerEnv((k) => process.env[k]))) test(name, fn);

// The wasm linear memory must not grow with the number of calls. The loaders' way in
// (pkg-templates/api.js) returns the instance's exports from initSync() once it is loaded.
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

// A sealed session opens only for a client that could open it: the same identifier (the HKDF
// salt) and a secret that sealed it.
test("sessions open only for the same identifier and a secret that sealed them", async () => {
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

test("session expiry follows each client's own sessionDuration", async () => {
  const { issuer } = providerEnv((k) => process.env[k]);
  const secret = "first-session-secret-of-32-characters!!";
  const store = new pkg.MemoryStore();
  const make = (extra = {}) =>
    new pkg.ServerClient({ domain: issuer, clientId: CLIENTS.basic.clientId, clientSecret: CLIENTS.basic.clientSecret, secret, stateStore: store, ...extra });
  const long = make();
  const short = make({ sessionDuration: 60 });
  const so = {};
  const login = () => long.loginWithCustomTokenExchange({ subjectToken: "legacy-alice", subjectTokenType: TOKEN_TYPES.LEGACY, scope: "openid" }, so);
  // A client with a one-minute sessionDuration reading the same sealed value a minute on gets nothing.
  await login();
  eq((await later(61, () => long.getSession(so))).user.sub, "auth0|alice", "within the default duration");
  eq(await later(61, () => short.getSession(so)), undefined, "expired for sessionDuration 60: another configuration's view is not used");
  eq(await store.get("_a0_session"), undefined, "the expired session was deleted");
  // Read once while fresh, then again a minute on: expired.
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
// --enable-source-maps.
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
  // Named under a scheme of their own: embedded sources, not files beside the package.
  eq([...map.sources].sort(), ["auth0-edge:///pkg-templates/api.js", "auth0-edge:///pkg-templates/stores.js", "auth0-edge:///wasm-bindgen/auth0_edge.js"].sort(), "sources");
  // The error classes are a module of their own, as written, imported by the bundle.
  ok(/from\s*"\.\/errors\.js"/.test(js), "index.js imports ./errors.js");
  eq(readFileSync(path.join(dir, "errors.js"), "utf8"), readFileSync(new URL("../../pkg-templates/errors.js", import.meta.url), "utf8"), "errors.js as written");
  const glue = map.sources.indexOf("auth0-edge:///wasm-bindgen/auth0_edge.js");
  ok(map.sourcesContent[glue].includes("export class ServerClient"), "ServerClient is wasm-bindgen's class");
});

// One implementation: the package's ServerClient is wasm-bindgen's build of the Rust client. The
// .wasm calls the host's fetch and WebCrypto itself; no JavaScript file of the package builds a
// token request or reads discovery.
test("the .wasm is wasm-bindgen's build of the Rust client: it calls fetch itself; the JavaScript does not", async () => {
  const { readFileSync, readdirSync } = await import("node:fs");
  const dir = path.dirname(realpathSync(createRequire(import.meta.url).resolve("auth0-edge/package.json")));
  const module = new WebAssembly.Module(readFileSync(path.join(dir, "auth0_edge_bg.wasm")));
  const imports = WebAssembly.Module.imports(module).map((i) => i.name);
  for (const host of ["fetch", "importKey", "sign", "verify", "getRandomValues", "deriveBits"]) {
    ok(imports.some((n) => n.startsWith(`__wbg_${host}_`)), `the .wasm imports ${host}`);
  }
  const exports = WebAssembly.Module.exports(module).map((e) => e.name);
  for (const m of ["customTokenExchange", "loginWithCustomTokenExchange", "getSession", "getUser", "getAccessToken", "logout"]) {
    ok(exports.includes(`serverclient_${m}`), `the .wasm exports ServerClient.${m}`);
  }
  for (const f of readdirSync(dir).filter((f) => f.endsWith(".js"))) {
    const js = readFileSync(path.join(dir, f), "utf8");
    for (const word of ["openid-configuration", "token_endpoint", "grant_type"]) ok(!js.includes(word), `${f} does not mention ${word}`);
  }
  eq(new pkg.ServerClient({ domain: "t.example.com", clientId: "c", clientSecret: "s", secret: "a-session-secret-of-at-least-32-characters!" }).constructor, pkg.ServerClient, "a client");
});

// An uncaught error prints a readable first line and stack (BEHAVIOUR.md §8.8): the error classes are a
// module of their own, not a line of the minified bundle.
import { spawnSync } from "node:child_process";
test("an uncaught package error prints a readable source line, the message with URL and reason, and a stack", () => {
  const script = `import { ServerClient } from "auth0-edge";
    const c = new ServerClient({ domain: "http://127.0.0.1:65530", clientId: "c", clientSecret: "s", secret: "${"x".repeat(32)}" });
    await c.customTokenExchange({ subjectToken: "t", subjectTokenType: "urn:x" });`;
  const r = spawnSync(process.execPath, ["--input-type=module", "-e", script], { cwd: path.dirname(new URL(import.meta.url).pathname), encoding: "utf8" });
  ok(r.status !== 0, "the process fails");
  const lines = r.stderr.split("\n");
  ok(/errors\.js:\d+$/.test(lines[0]), `first line: the error classes' module: ${lines[0].slice(0, 200)}`);
  ok(lines[1].length < 120 && lines[1].includes("new ("), `the source line is readable: ${lines[1].slice(0, 200)}`);
  const headline = lines.find((l) => l.startsWith("CustomTokenExchangeError: "));
  ok(headline && headline.includes("(http://127.0.0.1:65530/.well-known/openid-configuration): network error: connection refused"), `headline: ${headline}`);
  ok(lines.some((l) => /^\s+at makeError \(/.test(l)), "a stack follows");
  ok(lines.every((l) => l.length < 400), "no minified line printed");
});
