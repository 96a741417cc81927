// The walk-through behind `bash scripts/demo.sh`: the Worker example (worker-example/), bundled by
// `wrangler deploy --dry-run` and run in workerd by Miniflare, called route by route over HTTP:
// exchange → login → me → token → logout. Against the local provider (run through
// tests/provider/harness.mjs) or a real Auth0 tenant (AUTH0_* variables set).
// Tokens are shown as their length and a few claims, never in full; secrets never.
import path from "node:path";
import { readFile } from "node:fs/promises";
import { gzipSync } from "node:zlib";
import { bundle, start, exampleDir, CookieJar } from "../worker-example/test/workerd.mjs";

const env = process.env;
const real = Boolean(env.AUTH0_DOMAIN);
const tty = process.stdout.isTTY && !env.NO_COLOR;
const bold = (s) => (tty ? `\x1b[1m${s}\x1b[0m` : s);
const dim = (s) => (tty ? `\x1b[2m${s}\x1b[0m` : s);
const red = (s) => (tty ? `\x1b[31m${s}\x1b[0m` : s);

// ---- Configuration: the Worker's vars and secrets.
if (!real && !env.AUTH0_EDGE_TEST_ISSUER) {
  console.error("Run this through `bash scripts/demo.sh` (or set AUTH0_DOMAIN etc. for a real tenant).");
  process.exit(2);
}
const local = real ? undefined : { clients: JSON.parse(env.AUTH0_EDGE_TEST_CLIENTS), issuer: env.AUTH0_EDGE_TEST_ISSUER };
const store = env.SESSION_STORE || "kv";
const bindings = {
  AUTH0_DOMAIN: real ? env.AUTH0_DOMAIN : local.issuer,
  AUTH0_CLIENT_ID: real ? env.AUTH0_CLIENT_ID : local.clients.basic.clientId,
  AUTH0_CLIENT_SECRET: real ? env.AUTH0_CLIENT_SECRET : local.clients.basic.clientSecret,
  AUTH0_SECRET: real ? env.AUTH0_SECRET : "demo-session-secret-at-least-32-characters",
  AUTH0_AUDIENCE: real ? env.AUTH0_AUDIENCE || "" : "https://api.example.com",
  SESSION_STORE: store,
  COOKIE_SECURE: "false", // the demo's requests go to http://<worker>.localhost
};
const subject = real
  ? { subject_token: env.AUTH0_SUBJECT_TOKEN, subject_token_type: env.AUTH0_SUBJECT_TOKEN_TYPE }
  : { subject_token: "legacy-alice", subject_token_type: "urn:acme:legacy-token" };

// ---- Display: one line per field; a token becomes "JWT (N chars) {claims}" or "opaque (N chars)".
const SHOWN_CLAIMS = ["sub", "aud", "scope", "org_id", "act"];
function describeToken(t) {
  const parts = t.split(".");
  if (parts.length === 3) {
    try {
      const c = JSON.parse(Buffer.from(parts[1], "base64url").toString());
      const shown = Object.fromEntries(SHOWN_CLAIMS.filter((k) => k in c).map((k) => [k, c[k]]));
      return `JWT (${t.length} chars) ${JSON.stringify(shown)}`;
    } catch {}
  }
  return `opaque (${t.length} chars)`;
}
const isToken = (key, value) => typeof value === "string" && /(^|_)token$/.test(key);
function printFields(object) {
  const width = Math.max(0, ...Object.keys(object).map((k) => k.length));
  for (const [k, v] of Object.entries(object)) {
    console.log(`        ${k.padEnd(width)}  ${isToken(k, v) ? describeToken(v) : JSON.stringify(v)}`);
  }
}

// ---- The Worker.
const outdir = path.join(exampleDir, ".build", "demo");
console.log(bold(`\nTenant: ${real ? env.AUTH0_DOMAIN : `${local.issuer} (the local provider)`}`));
process.stdout.write(dim("Bundling worker-example/ with `wrangler deploy --dry-run`... "));
let t0 = performance.now();
const files = await bundle(outdir);
const sizes = await Promise.all(["index.js", Object.keys(files).find((f) => f.endsWith(".wasm"))].map(async (f) => {
  const b = await readFile(files[f]);
  return { name: f.replace(/^[0-9a-f]+-/, ""), raw: b.length, gz: gzipSync(b, { level: 9 }).length };
}));
const kb = (n) => `${(n / 1000).toFixed(1)} KB`;
console.log(dim(`${((performance.now() - t0) / 1000).toFixed(1)} s`));
console.log(`    ${sizes.map((s) => `${s.name} ${kb(s.raw)}`).join(" + ")} (${kb(sizes[0].gz + sizes[1].gz)} gzip)`);
process.stdout.write(dim("Starting workerd (Miniflare)... "));
t0 = performance.now();
const worker = await start(outdir, { demo: bindings });
console.log(dim(`${((performance.now() - t0) / 1000).toFixed(1)} s`));
console.log(`    sessions: ${store === "kv" ? "Workers KV (SESSIONS), the session id in a cookie" : "sealed in cookies"}  ${dim("(SESSION_STORE=kv|cookie)")}`);

const STATUS = { 200: "OK", 400: "Bad Request", 401: "Unauthorized", 403: "Forbidden", 500: "Internal Server Error", 502: "Bad Gateway" };
const jar = new CookieJar();
let step = 0;
let failures = 0;
/** One request to the Worker, printed: the request, the status, the JSON, the cookies set. */
async function call(title, method, urlPath, { body, expect = 200, withCookies = true } = {}) {
  console.log(bold(`\n${++step}. ${title}`));
  console.log(`    → ${method} ${urlPath}`);
  if (body) printFields(body);
  const headers = { "content-type": "application/json" };
  if (withCookies && jar.header()) headers.cookie = jar.header();
  const started = performance.now();
  const response = await worker.fetch("demo", urlPath, { method, headers, body: body && JSON.stringify(body) });
  const ms = (performance.now() - started).toFixed(0);
  if (withCookies) jar.update(response);
  const json = await response.json();
  const ok = [expect].flat().includes(response.status);
  if (!ok) failures++;
  console.log(`    ← ${ok ? "" : red("unexpected ")}${response.status} ${STATUS[response.status] ?? ""} ${dim(`(${ms} ms)`)}`);
  printFields(json);
  const cookies = response.headers.getSetCookie().map((c) => {
    const [pair] = c.split(";");
    const [name, value] = [pair.slice(0, pair.indexOf("=")), pair.slice(pair.indexOf("=") + 1)];
    return /max-age=0/i.test(c) ? `${name} cleared` : `${name} (${value.length} chars)`;
  });
  if (cookies.length) console.log(`      Set-Cookie: ${cookies.join(", ")}`);
  return json;
}
const kvKeys = async () => (store === "kv" ? (await (await worker.kv("demo")).list()).keys.length : undefined);

try {
  await call("Exchange a legacy token for Auth0 tokens", "POST", "/exchange", {
    body: { ...subject, scope: "openid profile offline_access" },
    withCookies: false,
  });
  if (!real) {
    const bob = await call("Bob's service gets a token (it will act for alice)", "POST", "/exchange", {
      body: { subject_token: "legacy-bob", subject_token_type: "urn:acme:legacy-token" },
      withCookies: false,
    });
    await call("Delegation: alice's token with bob's as the actor token (act read from the verified ID token)", "POST", "/exchange", {
      body: { ...subject, actor_token: bob.access_token, actor_token_type: "urn:ietf:params:oauth:token-type:access_token", scope: "openid" },
      withCookies: false,
    });
  }
  await call("A bad subject token: a 400 with the error code, no stack, no secret", "POST", "/exchange", {
    body: { subject_token: "not-a-valid-token", subject_token_type: subject.subject_token_type },
    expect: real ? [400, 401, 403] : 400, // what a tenant's Action answers is up to it
    withCookies: false,
  });
  await call("Log in: exchange and keep the tokens in a sealed session", "POST", "/login", {
    body: { ...subject, scope: "openid profile offline_access" },
  });
  if (store === "kv") console.log(dim(`      KV namespace SESSIONS: ${await kvKeys()} session(s)`));
  await call("Who is logged in", "GET", "/me");
  await call("The access token from the session (refreshed through Auth0 when 30 s or less are left)", "GET", "/token");
  await call("Log out", "POST", "/logout", { body: { return_to: "https://app.example/" } });
  if (store === "kv") console.log(dim(`      KV namespace SESSIONS: ${await kvKeys()} session(s)`));
  await call("After logout", "GET", "/me", { expect: 401 });
} finally {
  await worker.dispose();
}
if (failures) {
  console.log(red(`\n${failures} step(s) did not answer as expected.\n`));
  process.exitCode = 1;
} else {
  console.log(bold("\nDone: every route answered as expected.\n"));
}
