// Access token verifications per second, one token, one cached key: auth0-edge's ApiClient beside
// jose's jwtVerify and Auth0's @auth0/auth0-api-js (the anchor), in Node and in workerd, in one
// run (bench/workerd/verifiers.mjs holds the three). Rounds alternate the libraries after one
// unrecorded round each; each figure is the median round. Printed, not gated.
// Then each verifier's own cost: the same rounds with WebCrypto's verify answering true at once,
// so what is left is the library's work around the signature check (the RSA verification itself
// is the runtime's, the same for all three).
//
//   node bench/lib/verify.mjs          (BENCH_VERIFY_N per round, default 2000; BENCH_VERIFY_ROUNDS, default 5)
import { generateKeyPairSync, randomBytes } from "node:crypto";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { Miniflare } from "miniflare";
import * as jose from "jose";
import { LIBS, verifiers } from "../workerd/verifiers.mjs";
import { bundleWorker, modules } from "./workerd.mjs";

const benchDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/** A tenant at https://bench.tenant (answered from memory) and an RS256 at+jwt access token of it. */
export async function benchTenant() {
  const { privateKey, publicKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
  const kid = randomBytes(8).toString("hex");
  const issuer = "https://bench.tenant/";
  const audience = "https://api.bench.example";
  const now = Math.floor(Date.now() / 1000);
  const token = await new jose.SignJWT({ sub: "auth0|bench", scope: "read:data", client_id: "bench", azp: "bench" })
    .setProtectedHeader({ alg: "RS256", typ: "at+jwt", kid })
    .setIssuer(issuer).setAudience(audience).setIssuedAt(now).setExpirationTime(now + 6 * 3600)
    .sign(privateKey);
  const jwks = { keys: [{ ...publicKey.export({ format: "jwk" }), kid, alg: "RS256", use: "sig" }] };
  return { domain: "bench.tenant", issuer, audience, jwks, token };
}

/** Runs `one(lib)` (ms for n verifications) round by round; resolves to { [lib]: { perSecond: [..], median } }. */
async function rounds(one, n, count, progress) {
  for (const lib of LIBS) await one(lib);
  const out = Object.fromEntries(LIBS.map((l) => [l, []]));
  for (let r = 0; r < count; r++) {
    for (const lib of LIBS) out[lib].push((n / (await one(lib))) * 1000);
    progress(`    round ${r + 1}/${count}: ${LIBS.map((l) => `${l} ${Math.round(out[l][r])}/s`).join(", ")}`);
  }
  return Object.fromEntries(LIBS.map((l) => [l, { perSecond: out[l], median: median(out[l]) }]));
}

/** WebCrypto's verify, answering true at once while `f` runs (the verifiers' own cost). */
async function withInstantVerify(f) {
  const real = SubtleCrypto.prototype.verify;
  SubtleCrypto.prototype.verify = function () {
    return Promise.resolve(true);
  };
  try {
    return await f();
  } finally {
    SubtleCrypto.prototype.verify = real;
  }
}

/** Runs `count` rounds of `n` verifications per library in Node: { [lib]: { perSecond, median } }. */
async function nodeRounds(verify, n, count, progress) {
  return rounds(async (lib) => {
    const t0 = performance.now();
    for (let i = 0; i < n; i++) await verify[lib]();
    return performance.now() - t0;
  }, n, count, progress);
}

/**
 * Verifications per second in Node and in workerd, and with WebCrypto's verify answering at once
 * (`own`): { node, workerd, own: { node, workerd }, n, rounds }.
 */
export async function verifyRate({ n = 2000, count = 5, progress = () => {} } = {}) {
  const tenant = await benchTenant();
  const verify = verifiers(tenant);
  for (const lib of LIBS) {
    const claims = await verify[lib]();
    if (claims.sub !== "auth0|bench") throw new Error(`${lib} did not verify the token`);
  }
  progress("  Node");
  const node = await nodeRounds(verify, n, count, progress);
  progress("  Node, WebCrypto's verify answering at once");
  const ownNode = await withInstantVerify(() => nodeRounds(verify, n, count, progress));
  progress("  workerd");
  const workerd = await workerdRounds("verify", tenant, n, count, progress);
  progress("  workerd, WebCrypto's verify answering at once");
  const ownWorkerd = await workerdRounds("verify-own", tenant, n, count, progress);
  return { n, rounds: count, node, workerd, own: { node: ownNode, workerd: ownWorkerd } };
}

/** The rounds in workerd, the verifiers bundled from bench/workerd/<entry>.mjs. */
async function workerdRounds(entry, tenant, n, count, progress) {
  // node:crypto (imported by @auth0/auth0-api-js) is workerd's own, with nodejs_compat.
  const bundle = await bundleWorker(entry, path.join(benchDir, ".build", entry), { external: ["crypto", "node:*"] });
  const mf = new Miniflare({
    modules: modules(bundle),
    modulesRoot: bundle.dir,
    compatibilityDate: "2025-09-01",
    compatibilityFlags: ["nodejs_compat"], // @auth0/auth0-api-js imports node:crypto
    bindings: { TENANT: JSON.stringify(tenant) },
  });
  try {
    await mf.ready;
    const call = async (lib, k) => {
      const t0 = performance.now();
      const r = await mf.dispatchFetch(`http://worker/?lib=${lib}&n=${k}`);
      const body = await r.json();
      if (r.status !== 200 || (k > 0 && body.sub !== "auth0|bench")) throw new Error(`${lib} in workerd: HTTP ${r.status}`);
      return performance.now() - t0;
    };
    // Each round's figure is net of a request that verifies nothing, measured just before it.
    return await rounds(async (lib) => {
      const empty = await call(lib, 0);
      return Math.max(await call(lib, n) - empty, 1e-3);
    }, n, count, progress);
  } finally {
    await mf.dispose();
  }
}

/**
 * The figures as Markdown: per runtime, each library's verifications per second and its ratio to
 * @auth0/auth0-api-js; then each one's own cost per verification (WebCrypto's verify answering at once).
 */
export function verifyTable(r) {
  const name = (rt) => (rt === "node" ? "Node" : "workerd");
  const lines = ["| runtime | auth0-edge | jose `jwtVerify` | @auth0/auth0-api-js | auth0-edge ÷ auth0-api-js |", "|---|---|---|---|---|"];
  for (const rt of ["node", "workerd"]) {
    const m = (lib) => r[rt][lib].median;
    lines.push(`| ${name(rt)} | ${Math.round(m("auth0-edge"))}/s | ${Math.round(m("jose"))}/s | ${Math.round(m("auth0-api-js"))}/s | ${(m("auth0-edge") / m("auth0-api-js")).toFixed(2)}× |`);
  }
  if (!r.own) return lines.join("\n");
  lines.push("", "Each library's own cost per verification, WebCrypto's verify answering at once (lower is better):", "");
  lines.push("| runtime | auth0-edge | jose `jwtVerify` | @auth0/auth0-api-js | auth0-edge ÷ auth0-api-js |", "|---|---|---|---|---|");
  for (const rt of ["node", "workerd"]) {
    const us = (lib) => 1e6 / r.own[rt][lib].median;
    lines.push(`| ${name(rt)} | ${us("auth0-edge").toFixed(1)} µs | ${us("jose").toFixed(1)} µs | ${us("auth0-api-js").toFixed(1)} µs | ${(us("auth0-edge") / us("auth0-api-js")).toFixed(2)}× |`);
  }
  return lines.join("\n");
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const n = Number(process.env.BENCH_VERIFY_N || 2000);
  const count = Number(process.env.BENCH_VERIFY_ROUNDS || 5);
  console.log(`Access token verifications per second (one token, one cached key), ${count} rounds of ${n}, median:`);
  const r = await verifyRate({ n, count, progress: (line) => console.log(line) });
  console.log(verifyTable(r));
}
