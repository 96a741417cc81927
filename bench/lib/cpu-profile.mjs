// Where the CPU of an operation goes: runs bench/lib/cpu.mjs under `node --cpu-prof` for each
// operation (against bench/token-server.mjs in another process), sums the samples' self time by
// area and prints a markdown section. Run by bench/profile.sh: node cpu-profile.mjs OPS
import { spawnSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { startTokenServer } from "./token-server-process.mjs";

const benchDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const ops = Number(process.argv[2] ?? 2000);

/** The area a profile node's function belongs to. */
function area({ functionName, url }) {
  if (url.startsWith("wasm://")) return "the .wasm (the Rust client)";
  if (/auth0-edge|pkg\/index\.js|pkg\/node\.js/.test(url)) return "the package's JavaScript (wasm-bindgen glue, stores)";
  if (/crypto|webcrypto|keys|mac|aes|rsa|hkdf/.test(url)) return "WebCrypto (Node's, jobs on its thread pool)";
  if (/abort_controller|js_transferable/.test(url) || functionName === "makeTransferable" || functionName === "JSTransferable") return "AbortController and AbortSignal";
  if (/undici|fetch|webstreams|readablestream|stream/.test(url)) return "fetch and its streams (undici)";
  if (functionName === "(garbage collector)") return "garbage collection";
  if (functionName === "(idle)") return null; // waiting for the token server: not CPU
  return "other (Node's event loop, timers, microtasks, the benchmark loop)";
}

async function profile(op) {
  const dir = mkdtempSync(path.join(tmpdir(), "auth0-edge-cpuprof-"));
  try {
    const srv = await startTokenServer();
    const r = spawnSync(process.execPath, ["--cpu-prof", `--cpu-prof-dir=${dir}`, "lib/cpu.mjs", "edge", op, String(ops), "300"], {
      cwd: benchDir, env: { ...process.env, BENCH_SERVER: JSON.stringify(srv.info) }, encoding: "utf8",
    });
    await srv.stop();
    if (r.status !== 0) throw new Error(`cpu.mjs ${op}: ${r.stderr}`);
    const run = JSON.parse(r.stdout);
    const p = JSON.parse(readFileSync(path.join(dir, readdirSync(dir)[0]), "utf8"));
    const byId = new Map(p.nodes.map((n) => [n.id, n]));
    const byArea = new Map();
    for (let i = 0; i < p.samples.length; i++) {
      const a = area(byId.get(p.samples[i]).callFrame);
      if (a) byArea.set(a, (byArea.get(a) ?? 0) + (p.timeDeltas[i] ?? 0));
    }
    return { run, byArea };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const rows = [];
for (const op of ["exchange", "login"]) {
  const { run, byArea } = await profile(op);
  const total = [...byArea.values()].reduce((a, b) => a + b, 0);
  const perOp = (us) => `${Math.round(us / run.ops)} µs`;
  rows.push(`### ${op === "exchange" ? "customTokenExchange" : "loginWithCustomTokenExchange + getSession"}: ${perOp(run.cpuUs)} CPU per operation under the profiler (${run.ops} operations)\n`);
  rows.push("| area | sampled time per operation | share |\n|---|---:|---:|");
  for (const [a, us] of [...byArea].sort((x, y) => y[1] - x[1])) rows.push(`| ${a} | ${perOp(us)} | ${((100 * us) / total).toFixed(1)}% |`);
  rows.push("");
}
/** CPU per operation of `op`, without the profiler: the median of `runs` fresh processes. */
async function cpuPerOp(op, runs = 3) {
  const srv = await startTokenServer();
  try {
    const figures = [];
    for (let i = 0; i < runs; i++) {
      const r = spawnSync(process.execPath, ["lib/cpu.mjs", "edge", op, String(ops), "300"], {
        cwd: benchDir, env: { ...process.env, BENCH_SERVER: JSON.stringify(srv.info) }, encoding: "utf8",
      });
      if (r.status !== 0) throw new Error(`cpu.mjs ${op}: ${r.stderr}`);
      const run = JSON.parse(r.stdout);
      figures.push(run.cpuUs / run.ops);
    }
    return figures.sort((a, b) => a - b)[Math.floor(runs / 2)];
  } finally {
    await srv.stop();
  }
}

// What the stricter parts cost: an exchange with an actor token verifies the token `act` is read
// from (RS256 through WebCrypto, the JWKS cached); the same exchange without one does not. And
// what DPoP adds: a proof signed (ES256) for every request, the token type checked.
const plain = await cpuPerOp("exchange");
const delegated = await cpuPerOp("exchangeAct");
const dpop = await cpuPerOp("exchangeDpop");
rows.push(`### What verifying \`act\` and DPoP cost (no profiler, median of 3 runs × ${ops})

| customTokenExchange | CPU per operation |
|---|---:|
| without an actor token | ${Math.round(plain)} µs |
| with one: \`act\` only from the verified ID token | ${Math.round(delegated)} µs (+${Math.round(delegated - plain)} µs) |
| without an actor token, with \`dpopKeyPair\`: a DPoP proof (ES256) per request | ${Math.round(dpop)} µs (+${Math.round(dpop - plain)} µs) |

The SDK returns \`act\` unverified, so a delegated exchange pays this and a plain one does not; it
has no DPoP for token exchange.
Bodies are read as bytes up to their limit and parsed by the host in both rows: that part of the
strictness is inside "the .wasm" and "the package's JavaScript" above.
`);

console.log(`## Where the CPU goes (Node, \`node --cpu-prof\`)

Self time of the sampled functions by area, idle time left out; the profiler itself adds to every
figure, so the shares matter more than the totals (bench/RESULTS.md has the unprofiled ones).

${rows.join("\n")}`);
