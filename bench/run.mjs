#!/usr/bin/env node
// The benchmark of auth0-edge (the built pkg/) against @auth0/auth0-server-js, in one run on one
// machine: size, cold start (Node and workerd), client CPU per operation, memory over many
// exchanges. Prints one table and writes it, with the date, the machine and the method, to
// bench/RESULTS.md. Not part of the CI gate: it never fails on a figure, only on a broken setup.
//
//   bash bench/run.sh          # installs bench/'s locked dependencies, then runs this
//   node bench/run.mjs         # when bench/node_modules is installed
//
// Iteration counts (defaults: the minimums of issue 6):
//   BENCH_COLD_SAMPLES=20      fresh processes per cold-start figure (Node; workerd: fresh Miniflare instances)
//   BENCH_OPS=2000             operations per CPU measurement (after BENCH_WARMUP=500), BENCH_CPU_RUNS=3 runs each, median taken
//   BENCH_MEMORY_OPS=100000    exchanges between the two memory readings (after BENCH_MEMORY_WARMUP=10000)
//   BENCH_MEMORY_SDK=1         also run the memory loop with @auth0/auth0-server-js (0: skip it)
//   BENCH_REFRESH_N=100        refreshes per round of the coordinator's cost in workerd, BENCH_REFRESH_ROUNDS=5 rounds
//   BENCH_VERIFY_N=2000        access token verifications per round (Node, workerd), BENCH_VERIFY_ROUNDS=5 rounds
//   BENCH_RESULTS=path         where to write the results (default bench/RESULTS.md)
import { spawn, execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, readFileSync, realpathSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { allSizes } from "./lib/size.mjs";
import { startTokenServer } from "./lib/token-server-process.mjs";
import { bundleWorkers, sample as workerdSample } from "./lib/workerd.mjs";
import { COORDINATORS, refreshCost } from "./lib/refresh-workerd.mjs";
import { verifyRate, verifyTable } from "./lib/verify.mjs";

const benchDir = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(benchDir, "..");
const pkgDir = path.join(root, "pkg");
const buildDir = path.join(benchDir, ".build");

const int = (name, fallback) => {
  const v = process.env[name];
  if (v === undefined || v === "") return fallback;
  if (!/^\d+$/.test(v)) throw new Error(`${name} must be a whole number, not ${JSON.stringify(v)}`);
  return Number(v);
};
const config = {
  coldSamples: int("BENCH_COLD_SAMPLES", 20),
  ops: int("BENCH_OPS", 2000),
  warmup: int("BENCH_WARMUP", 500),
  cpuRuns: Math.max(1, int("BENCH_CPU_RUNS", 3)),
  memoryOps: int("BENCH_MEMORY_OPS", 100000),
  memoryWarmup: int("BENCH_MEMORY_WARMUP", 10000),
  memorySdk: process.env.BENCH_MEMORY_SDK !== "0",
  refreshN: int("BENCH_REFRESH_N", 100),
  refreshRounds: Math.max(1, int("BENCH_REFRESH_ROUNDS", 5)),
  verifyN: int("BENCH_VERIFY_N", 2000),
  verifyRounds: Math.max(1, int("BENCH_VERIFY_ROUNDS", 5)),
};
const resultsPath = path.resolve(process.env.BENCH_RESULTS || path.join(benchDir, "RESULTS.md"));

const started = Date.now();
const progress = (msg) => process.stderr.write(`${msg}\n`);
const step = (msg) => progress(`\n\x1b[1m==> ${msg}\x1b[0m`);
const elapsed = () => `${((Date.now() - started) / 1000).toFixed(0)}s`;

// ---------------------------------------------------------------------------------------------
// Statistics and formatting

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};
const mean = (xs) => xs.reduce((a, b) => a + b, 0) / xs.length;
const quantile = (xs, q) => {
  const s = [...xs].sort((a, b) => a - b);
  const i = (s.length - 1) * q;
  const lo = Math.floor(i);
  return s[lo] + (s[Math.ceil(i)] - s[lo]) * (i - lo);
};
const kb = (bytes) => `${(bytes / 1000).toFixed(1)} KB`;
const mb = (bytes) => `${(bytes / 1e6).toFixed(1)} MB`;
const ms = (x, digits = 1) => `${x.toFixed(digits)} ms`;
const us = (x) => `${Math.round(x)} µs`;
const overFloor = (x) => `${x >= 0 ? "+" : "−"}${Math.abs(Math.round(x))} µs over fetch`;
const pct = (x) => `${x >= 0 ? "+" : ""}${x.toFixed(1)}%`;
const ratio = (a, b) => `${(a / b).toFixed(2)}×`;
const holds = (ok) => (ok ? "yes" : "**no**");

// ---------------------------------------------------------------------------------------------
// The package under test: wait for pkg/ (the lead rebuilds it often), identify the build.

const pkgComplete = () => ["package.json", "auth0_edge_bg.wasm", "index.js", "workerd.js"].every((f) => existsSync(path.join(pkgDir, f)));
async function waitForPkg() {
  for (let i = 0; ; i++) {
    if (pkgComplete()) return;
    if (i === 120) throw new Error("pkg/ is missing: build it with `bash scripts/build.sh`");
    if (i === 0) progress("    pkg/ is missing or incomplete (a rebuild?): waiting for it");
    await new Promise((r) => setTimeout(r, 5000));
  }
}
function pkgIdentity() {
  let wasm;
  try {
    wasm = readFileSync(path.join(pkgDir, "auth0_edge_bg.wasm"));
  } catch {
    return { version: null, wasmSha256: "(missing)", wasmBytes: 0 };
  }
  const version = JSON.parse(readFileSync(path.join(pkgDir, "package.json"), "utf8")).version;
  return { version, wasmSha256: createHash("sha256").update(wasm).digest("hex").slice(0, 16), wasmBytes: wasm.length };
}
const installed = (name) => JSON.parse(readFileSync(path.join(benchDir, "node_modules", name, "package.json"), "utf8")).version;

// ---------------------------------------------------------------------------------------------
// Child processes

/**
 * Runs `node args` in bench/ with BENCH_SERVER set; resolves to its last stdout line, parsed. A
 * child that fails while pkg/ is being rebuilt (it is briefly absent) is run again once pkg/ is back.
 */
async function nodeJson(args, env = {}) {
  for (let attempt = 1; ; attempt++) {
    try {
      return await nodeJsonOnce(args, env);
    } catch (e) {
      const rebuilt = pkgIdentity().wasmSha256 !== pkgBefore.wasmSha256;
      if (attempt === 3 || (pkgComplete() && !rebuilt)) throw e;
      progress(`    (pkg/ changed under the run: waiting for it, then running that sample again)`);
      await waitForPkg();
    }
  }
}
function nodeJsonOnce(args, env) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { cwd: benchDir, env: { ...process.env, ...env }, stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    let err = "";
    child.stdout.on("data", (d) => (out += d));
    child.stderr.on("data", (d) => (err += d));
    child.on("error", reject);
    child.on("close", (code) => {
      if (code !== 0) return reject(new Error(`node ${args.join(" ")} exited ${code}:\n${err || out}`));
      try {
        resolve(JSON.parse(out.trim().split("\n").pop()));
      } catch {
        reject(new Error(`node ${args.join(" ")} printed no JSON:\n${out}\n${err}`));
      }
    });
  });
}

// ---------------------------------------------------------------------------------------------
// The machine

function machine() {
  const cpuinfo = readFileSync("/proc/cpuinfo", "utf8");
  const meminfo = readFileSync("/proc/meminfo", "utf8");
  const field = (text, key) => text.match(new RegExp(`^${key}\\s*:\\s*(.+)$`, "m"))?.[1]?.trim();
  let nproc;
  try {
    nproc = execFileSync("nproc", { encoding: "utf8" }).trim();
  } catch {
    nproc = String(os.availableParallelism());
  }
  const workerd = path.join(benchDir, "node_modules", ".bin", "workerd");
  let workerdVersion = "unknown";
  try {
    workerdVersion = execFileSync(workerd, ["--version"], { encoding: "utf8" }).trim();
  } catch {}
  let commit = "unknown";
  try {
    commit = execFileSync("git", ["-C", root, "rev-parse", "--short", "HEAD"], { encoding: "utf8" }).trim();
    const dirty = execFileSync("git", ["-C", root, "status", "--porcelain", "--", "src", "Cargo.toml", "pkg-templates"], { encoding: "utf8" }).trim();
    if (dirty) commit += " + uncommitted changes to src/, Cargo.toml or pkg-templates/";
  } catch {}
  return {
    nproc,
    cpu: field(cpuinfo, "model name") ?? "unknown",
    memory: `${(Number(field(meminfo, "MemTotal")?.split(" ")[0]) / 1024 / 1024).toFixed(1)} GiB`,
    kernel: `${os.type()} ${os.release()} ${os.arch()}`,
    node: process.version,
    workerd: workerdVersion,
    load: os.loadavg().map((x) => x.toFixed(2)).join(" "),
    commit,
    versions: {
      "@auth0/auth0-server-js": installed("@auth0/auth0-server-js"),
      "@auth0/auth0-auth-js": installed("@auth0/auth0-auth-js"),
      "openid-client": installed("openid-client"),
      jose: installed("jose"),
      esbuild: installed("esbuild"),
      miniflare: installed("miniflare"),
    },
  };
}

// ---------------------------------------------------------------------------------------------
// The run

await waitForPkg();
const pkgBefore = pkgIdentity();
if (realpathSync(path.join(benchDir, "node_modules", "auth0-edge")) !== realpathSync(pkgDir)) {
  throw new Error("bench/node_modules/auth0-edge is not a link to pkg/: run `bash bench/run.sh` (npm ci)");
}
const host = machine();
progress(`auth0-edge ${pkgBefore.version} (wasm ${pkgBefore.wasmSha256}) vs @auth0/auth0-server-js ${host.versions["@auth0/auth0-server-js"]}`);
progress(`counts: cold ${config.coldSamples}, CPU ${config.cpuRuns}×${config.ops} ops (+${config.warmup} warm-up), memory ${config.memoryOps} exchanges (+${config.memoryWarmup} warm-up)`);

// 1. Size
step("Size: esbuild bundles, gzip -9");
const sizes = await allSizes(path.join(buildDir, "size"));
for (const [k, v] of Object.entries(sizes)) progress(`    ${k.padEnd(16)} ${kb(v.total.gz).padStart(9)} gz (JS ${kb(v.js.gz)}, wasm ${kb(v.wasm.gz)}; ${v.files.join(", ")})`);

const server = await startTokenServer();
const serverEnv = { BENCH_SERVER: JSON.stringify(server.info) };
let results;
try {
  // 2. Cold start in Node
  step(`Cold start in Node: ${config.coldSamples} fresh processes each`);
  const coldNode = { edge: [], sdk: [], empty: [] };
  for (let i = 0; i < config.coldSamples; i++) {
    for (const lib of ["edge", "sdk", "empty"]) coldNode[lib].push((await nodeJson(["lib/cold-node.mjs", lib], serverEnv)).ms);
    if ((i + 1) % 5 === 0 || i + 1 === config.coldSamples) {
      progress(`    ${i + 1}/${config.coldSamples}: median so far edge ${ms(median(coldNode.edge))}, sdk ${ms(median(coldNode.sdk))}, empty package ${ms(median(coldNode.empty))}`);
    }
  }

  // 3. Cold start in workerd
  step(`Cold start in workerd: ${config.coldSamples} fresh Miniflare instances per Worker`);
  const bundles = await bundleWorkers(path.join(buildDir, "workerd"));
  const bindings = {
    DOMAIN: server.info.tenants.edge.issuer, CLIENT_ID: server.info.clientId, CLIENT_SECRET: server.info.clientSecret,
    SESSION_SECRET: "bench-session-secret-6f1c0a9b2e4d4c7f8a3b5d1e9c2f7a60",
  };
  const coldWorkerd = { empty: [], edge: [], sdk: [] };
  for (const v of ["empty", "edge", "sdk"]) await workerdSample(bundles, v, bindings); // one unrecorded round: disk cache, Miniflare's own start-up
  for (let i = 0; i < config.coldSamples; i++) {
    for (const v of ["empty", "edge", "sdk"]) coldWorkerd[v].push(await workerdSample(bundles, v, bindings));
    if ((i + 1) % 5 === 0 || i + 1 === config.coldSamples) {
      progress(`    ${i + 1}/${config.coldSamples}: inside median edge ${ms(median(coldWorkerd.edge.map((s) => s.insideMs)), 0)}, sdk ${ms(median(coldWorkerd.sdk.map((s) => s.insideMs)), 0)}`);
    }
  }
  const firstResponseDelta = (lib) => coldWorkerd[lib].map((s, i) => s.firstResponseMs - coldWorkerd.empty[i].firstResponseMs);

  // 4. CPU per operation
  step(`CPU per operation: ${config.cpuRuns} runs × ${config.ops} operations (after ${config.warmup} warm-up), each in a fresh process`);
  const cpu = {};
  for (const op of ["exchange", "login"]) {
    for (const lib of ["edge", "sdk", "fetch"]) cpu[`${lib}/${op}`] = [];
    if (op === "login") delete cpu["fetch/login"]; // the floor is one request, measured once
    for (let run = 0; run < config.cpuRuns; run++) {
      for (const lib of op === "login" ? ["edge", "sdk"] : ["edge", "sdk", "fetch"]) {
        const r = await nodeJson(["lib/cpu.mjs", lib, op, String(config.ops), String(config.warmup)], serverEnv);
        cpu[`${lib}/${op}`].push(r);
        progress(`    ${op.padEnd(8)} ${lib.padEnd(5)} run ${run + 1}: ${us(r.cpuUs / r.ops)} CPU/op (user ${us(r.userUs / r.ops)}, system ${us(r.systemUs / r.ops)}), ${us((r.wallMs * 1000) / r.ops)} wall/op  [${elapsed()}]`);
      }
    }
  }
  const cpuPerOp = (key) => median(cpu[key].map((r) => r.cpuUs / r.ops));
  const requests = { edge: await server.stats("edge"), sdk: await server.stats("sdk") };

  // 5. Memory
  step(`Memory: ${config.memoryOps} exchanges after ${config.memoryWarmup} warm-up`);
  const memory = {};
  for (const lib of config.memorySdk ? ["edge", "sdk"] : ["edge"]) {
    progress(`    ${lib}: running (about ${Math.round(((cpu[`${lib}/exchange`][0].wallMs / config.ops) * (config.memoryOps + config.memoryWarmup)) / 1000)} s)`);
    memory[lib] = await nodeJson(["--expose-gc", "lib/memory.mjs", lib, String(config.memoryOps), String(config.memoryWarmup)], serverEnv);
    const m = memory[lib];
    progress(`    ${lib}: RSS ${mb(m.before.rss)} → ${mb(m.after.rss)}${m.before.wasm ? `, wasm memory ${mb(m.before.wasm)} → ${mb(m.after.wasm)}` : ""}  [${elapsed()}]`);
  }

  // 6. A coordinated refresh beside an uncoordinated one, in workerd
  step(`Refresh in workerd: ${config.refreshRounds} rounds × ${config.refreshN} refreshes, coordinated and not, alternating`);
  const refresh = await refreshCost(server, { n: config.refreshN, rounds: config.refreshRounds, progress });

  // 7. Access token verifications per second: ApiClient, jose, @auth0/auth0-api-js
  step(`Access token verification: ${config.verifyRounds} rounds × ${config.verifyN} per library, Node and workerd`);
  const verify = await verifyRate({ n: config.verifyN, count: config.verifyRounds, progress });
  results = { coldNode, coldWorkerd, firstResponseDelta, cpu, cpuPerOp, memory, requests, refresh, verify };
} finally {
  await server.stop();
}

await waitForPkg();
const pkgAfter = pkgIdentity();
const finished = Date.now();
const { coldNode, coldWorkerd, firstResponseDelta, cpu, cpuPerOp, memory, requests, refresh, verify } = results;

// ---------------------------------------------------------------------------------------------
// The table

// The targets of the boundary issue: the Worker bundle, Node's import + first client against the
// SDK's, workerd's cold start against the SDK's of the same run, CPU and wall time per exchange
// and CPU per login against the SDK's.
const TARGET_SIZE = 100_000;
const TARGET_COLD_RATIO = 0.25;
const TARGET_CPU_RATIO = 0.5;
const TARGET_EXCHANGE_RATIO = 1.0;
const TARGET_GROWTH = 5;
const growth = (m, key) => ((m.after[key] - m.before[key]) / m.before[key]) * 100;
const sizeCell = (s) => `${kb(s.total.gz)} (JS ${kb(s.js.gz)}${s.wasm.gz ? ` + wasm ${kb(s.wasm.gz)}` : ""})`;
const n = config.coldSamples;
const edgeExchange = cpuPerOp("edge/exchange");
const sdkExchange = cpuPerOp("sdk/exchange");
const wallPerOp = (key) => median(cpu[key].map((r) => (r.wallMs * 1000) / r.ops));
const edgeWall = wallPerOp("edge/exchange");
const sdkWall = wallPerOp("sdk/exchange");
const floor = cpuPerOp("fetch/exchange");
const edgeLogin = cpuPerOp("edge/login");
const sdkLogin = cpuPerOp("sdk/login");
const insideEdge = coldWorkerd.edge.map((s) => s.insideMs);
const insideSdk = coldWorkerd.sdk.map((s) => s.insideMs);
/** Each Node cold start of `lib` minus the empty package's of the same round (they alternate). */
const nodeDelta = (lib) => coldNode[lib].map((x, i) => x - coldNode.empty[i]);
/** "median (first quartile … third quartile)" of durations in ms. */
const medianIqr = (xs) => `${ms(median(xs))} (${ms(quantile(xs, 0.25))} … ${ms(quantile(xs, 0.75))})`;
const clocksAgree = [...coldWorkerd.edge, ...coldWorkerd.sdk].filter((s) => s.insideMs !== s.insideDateMs).length;
const memCell = (m, key) => `${mb(m.before[key])} → ${mb(m.after[key])} (${pct(growth(m, key))})`;
const wasmCell = (m) => `${m.before.wasm / 65536} → ${m.after.wasm / 65536} pages of 64 KiB (${(m.before.wasm / 1e6).toFixed(2)} → ${(m.after.wasm / 1e6).toFixed(2)} MB, ${pct(growth(m, "wasm"))})`;
const rssCell = (m) => `${memCell(m, "rss")}; peak ${mb(Math.max(...m.samples.map((s) => s.rss)))}`;

const rows = [
  ["**Size** (gzip -9, KB = 1000 B)", "", "", "", "", ""],
  ["Worker bundle: JS minified + .wasm", sizeCell(sizes.edgeWorker), `${sizeCell(sizes.sdkWorker)}`, ratio(sizes.edgeWorker.total.gz, sizes.sdkWorker.total.gz), "≤ 100 KB", holds(sizes.edgeWorker.total.gz <= TARGET_SIZE)],
  ["Whole package: every .js + .wasm as shipped (ours); `export *` bundled (SDK)", sizeCell(sizes.edgePackage), sizeCell(sizes.sdkAll), ratio(sizes.edgePackage.total.gz, sizes.sdkAll.total.gz), "info", ""],
  ["@auth0/auth0-auth-js, `export *` bundled", "", sizeCell(sizes.authJsAll), "", "", ""],
  ["openid-client, `export *` bundled", "", sizeCell(sizes.openidClientAll), "", "", ""],
  [`**Cold start**: import + first client, median of ${n}`, "", "", "", "", ""],
  [`Node: fresh process each, in-process clock`, ms(median(coldNode.edge)), ms(median(coldNode.sdk)), ratio(median(coldNode.edge), median(coldNode.sdk)), "≤ 0.25×", holds(median(coldNode.edge) / median(coldNode.sdk) <= TARGET_COLD_RATIO)],
  [`floor: an empty package of the same shape, same method`, ms(median(coldNode.empty)), ms(median(coldNode.empty)), "", "info", ""],
  [`Node: above the floor, paired (each sample − the empty package's of its round; IQR in brackets)`, medianIqr(nodeDelta("edge")), medianIqr(nodeDelta("sdk")), ratio(median(nodeDelta("edge")), median(nodeDelta("sdk"))), "info", ""],
  [`workerd: fresh instance each, the Worker's clock (1 ms ticks; mean in brackets)`, `${ms(median(insideEdge), 0)} (${ms(mean(insideEdge), 2)})`, `${ms(median(insideSdk), 0)} (${ms(mean(insideSdk), 2)})`, ratio(Math.max(mean(insideEdge), 0.01), Math.max(mean(insideSdk), 0.01)) + " (means)", "≤ the SDK's", holds(mean(insideEdge) <= mean(insideSdk))],
  [`workerd: first response − empty Worker's, paired (IQR in brackets)`, medianIqr(firstResponseDelta("edge")), medianIqr(firstResponseDelta("sdk")), "", "info", ""],
  [`**CPU per operation** (client process, user + system; median of ${config.cpuRuns} run${config.cpuRuns === 1 ? "" : "s"} × ${config.ops})`, "", "", "", "", ""],
  ["customTokenExchange", `${us(edgeExchange)} (${overFloor(edgeExchange - floor)})`, `${us(sdkExchange)} (${overFloor(sdkExchange - floor)})`, ratio(edgeExchange, sdkExchange), "≤ 1.00×", holds(edgeExchange / sdkExchange <= TARGET_EXCHANGE_RATIO)],
  ["loginWithCustomTokenExchange + getSession", `${us(edgeLogin)} (${overFloor(edgeLogin - floor)})`, `${us(sdkLogin)} (${overFloor(sdkLogin - floor)})`, ratio(edgeLogin, sdkLogin), "≤ 0.50×", holds(edgeLogin / sdkLogin <= TARGET_CPU_RATIO)],
  ["floor: bare fetch() of the same request + res.json()", us(floor), us(floor), "", "info", ""],
  ["customTokenExchange, wall time (one operation after another)", us(edgeWall), us(sdkWall), ratio(edgeWall, sdkWall), "≤ 1.00×", holds(edgeWall / sdkWall <= TARGET_EXCHANGE_RATIO)],
  [`**Memory**: after ${config.memoryWarmup} warm-up exchanges → after ${config.memoryOps} more (GC'd)`, "", "", "", "", ""],
  ["RSS (peak: the highest of 10 readings during the run, not GC'd)", rssCell(memory.edge), memory.sdk ? rssCell(memory.sdk) : "not run", memory.sdk ? ratio(memory.edge.after.rss, memory.sdk.after.rss) : "", "≤ +5%", holds(growth(memory.edge, "rss") <= TARGET_GROWTH)],
  ["wasm linear memory (WebAssembly.Memory)", wasmCell(memory.edge), "n/a (no wasm)", "", "≤ +5%", holds(growth(memory.edge, "wasm") <= TARGET_GROWTH)],
  ["JS heap used", memCell(memory.edge, "heapUsed"), memory.sdk ? memCell(memory.sdk, "heapUsed") : "not run", "", "info", ""],
];
const header = ["measure", `auth0-edge ${pkgBefore.version}`, `@auth0/auth0-server-js ${host.versions["@auth0/auth0-server-js"]}`, "ours ÷ SDK", "target", "met"];
const table = [
  `| ${header.join(" | ")} |`,
  `|${header.map((_, i) => (i === 0 ? "---" : "---:")).join("|")}|`,
  ...rows.map((r) => `| ${r.join(" | ")} |`),
].join("\n");

// The refresh coordinator's cost (issue 30): printed, not gated; the anchor is the uncoordinated
// refresh of the same run.
const refreshRange = (xs) => `${ms(Math.min(...xs), 2)} … ${ms(Math.max(...xs), 2)}`;
const refreshAlone = refresh.median.none;
const signedMs = (x) => `${x >= 0 ? "+" : "−"}${ms(Math.abs(x), 2)}`;
const refreshRow = (label, key) =>
  `| ${label} | ${ms(refresh.median[key], 2)} (${refreshRange(refresh[key])}) | ${key === "none" ? "1.00×" : `${ratio(refresh.median[key], refreshAlone)} (${signedMs(refresh.median[key] - refreshAlone)})`} |`;
const refreshTable = [
  `| refresh in workerd (median of ${refresh.rounds} rounds × ${refresh.n}, range of rounds in brackets) | per refresh | ÷ uncoordinated |`,
  "|---|---:|---:|",
  refreshRow("uncoordinated: the in-isolate single flight only", "none"),
  refreshRow("the client's share of coordination: a coordinator that only runs the refresh (key, seal, open)", "local"),
  refreshRow("coordinated: `DurableObjectRefreshCoordinator` (claim and done at a new object, the result sealed)", "durable-object"),
].join("\n");

const verifyMd = verifyTable(verify);
process.stdout.write(`\n${table}\n\n${refreshTable}\n\n${verifyMd}\n\n`);

// ---------------------------------------------------------------------------------------------
// bench/RESULTS.md

/** JSON with the first two levels of keys on their own lines and everything deeper inline. */
function compactJson(value) {
  const level = (obj, indent, depth) =>
    `{\n${Object.entries(obj)
      .map(([k, v]) => `${indent}  ${JSON.stringify(k)}: ${depth > 0 && v && typeof v === "object" && !Array.isArray(v) ? level(v, `${indent}  `, depth - 1) : JSON.stringify(v)}`)
      .join(",\n")}\n${indent}}`;
  return level(value, "", 1);
}
const minutes = ((finished - started) / 60000).toFixed(1);
const changed = pkgAfter.wasmSha256 !== pkgBefore.wasmSha256;
/** Each library's per-round figures, rounded. */
const roundsOf = (byLib) => Object.fromEntries(Object.entries(byLib).map(([k, v]) => [k, v.perSecond.map(Math.round)]));
const raw = {
  config,
  pkg: { before: pkgBefore, after: pkgAfter },
  sizes: Object.fromEntries(Object.entries(sizes).map(([k, v]) => [k, { files: v.files, js: v.js, wasm: v.wasm, total: v.total, ...(v.perFile ? { perFile: v.perFile } : {}) }])),
  coldNodeMs: Object.fromEntries(Object.entries(coldNode).map(([k, v]) => [k, v.map((x) => +x.toFixed(2))])),
  coldWorkerd: Object.fromEntries(Object.entries(coldWorkerd).map(([k, v]) => [k, v.map((s) => ({ insideMs: s.insideMs, firstResponseMs: +s.firstResponseMs.toFixed(1) }))])),
  cpu: Object.fromEntries(Object.entries(cpu).map(([k, v]) => [k, v.map((r) => ({ ops: r.ops, cpuUsPerOp: +(r.cpuUs / r.ops).toFixed(1), userUsPerOp: +(r.userUs / r.ops).toFixed(1), systemUsPerOp: +(r.systemUs / r.ops).toFixed(1), wallUsPerOp: +((r.wallMs * 1000) / r.ops).toFixed(1) }))])),
  tokenServerRequests: requests,
  memory: Object.fromEntries(Object.entries(memory).map(([k, v]) => [k, { before: v.before, after: v.after, wallMs: Math.round(v.wallMs), samples: v.samples }])),
  refreshMsPerRefresh: { n: refresh.n, ...Object.fromEntries(COORDINATORS.map((c) => [c, refresh[c].map((x) => +x.toFixed(3))])) },
  verificationsPerSecond: { n: verify.n, node: roundsOf(verify.node), workerd: roundsOf(verify.workerd) },
  verificationsPerSecondWithInstantWebCryptoVerify: { n: verify.n, node: roundsOf(verify.own.node), workerd: roundsOf(verify.own.workerd) },
};
const md = `# Benchmark results

Written by \`bash bench/run.sh\` (\`node bench/run.mjs\`); see [the README](../README.md#benchmark). Every figure
below comes from one run, on one machine, against one local token endpoint; ratios are computed from
figures of this run only.

- **Date**: ${new Date(started).toISOString().replace("T", " ").replace(/\.\d+Z$/, " UTC")}, ${minutes} min
- **Machine**: ${host.nproc} CPUs (\`nproc\`), ${host.cpu}, ${host.memory} RAM, ${host.kernel}; load average at start ${host.load} (the machine is shared: other work ran during the run)
- **Runtimes**: Node ${host.node}, ${host.workerd} (miniflare ${host.versions.miniflare})
- **Under test**: auth0-edge ${pkgBefore.version} from \`pkg/\` (commit ${host.commit}; .wasm ${pkgBefore.wasmBytes} B, sha256 ${pkgBefore.wasmSha256}…)${changed ? ` **pkg/ was rebuilt during the run** (.wasm sha256 ${pkgAfter.wasmSha256}… at the end): figures may mix two builds` : ""}
- **Compared with**: @auth0/auth0-server-js ${host.versions["@auth0/auth0-server-js"]} (over @auth0/auth0-auth-js ${host.versions["@auth0/auth0-auth-js"]}, openid-client ${host.versions["openid-client"]}, jose ${host.versions.jose}); esbuild ${host.versions.esbuild}
- **Counts**: cold start ${config.coldSamples} samples per figure; CPU ${config.cpuRuns} runs × ${config.ops} operations after ${config.warmup} warm-up; memory ${config.memoryOps} exchanges after ${config.memoryWarmup} warm-up

${table}

### The refresh coordinator's cost (not a target)

${refreshTable}

### Access token verifications per second (target: at least @auth0/auth0-api-js's)

Median of ${verify.rounds} rounds × ${verify.n} verifications of one RS256 token, the key cached (issue 32).

${verifyMd}

## Method

**Size.** Each library is bundled by esbuild ${host.versions.esbuild} with \`--bundle --minify --platform=neutral
--conditions=workerd,worker,browser --format=esm\` (main fields \`module,main\` for packages without \`exports\`; .wasm
files are copied next to the bundle, as a Worker deploy uploads them), and each output file is compressed with gzip
level 9 (zlib); the row sums them. *Worker bundle*: an entry that imports what a Worker uses
([\`workerd/edge-lib.mjs\`](workerd/edge-lib.mjs): \`ServerClient\`, \`MemoryStore\`, \`CookieStore\`, \`KvStore\`, through
the package's \`workerd\` condition, so \`workerd.js\` + \`index.js\` (wasm-bindgen's glue with the \`ServerClient\` class, errors, stores) + the .wasm as a separate file);
for the SDK [\`workerd/sdk-lib.mjs\`](workerd/sdk-lib.mjs) (\`ServerClient\`, \`StatelessStateStore\`,
\`StatefulStateStore\`, \`CookieTransactionStore\`). *Whole package*: ours is every \`.js\` file of \`pkg/\` and the
\`.wasm\`, unbundled, as published (index.js is minified; its source map,
\`index.js.map\`, is in the package for debuggers and loaded by no runtime, so it is not counted), each gzipped; the SDK's is \`export * from "@auth0/auth0-server-js"\`
bundled as above (the anchor, ≈ 44.5 KB). The 100 KB target is checked against the Worker bundle.

**Cold start in Node.** [\`lib/cold-node.mjs\`](lib/cold-node.mjs) in a fresh \`node\` process per sample (the two
libraries alternate): \`performance.now()\` around the dynamic \`import()\` of the package and the construction of the
first client with its in-memory store, as [\`lib/clients.mjs\`](lib/clients.mjs) builds it for the CPU figures. For
auth0-edge the \`node\` condition resolves to \`node.js\`, which reads, compiles and instantiates the .wasm as it is
imported (inside the timed span). Neither client makes a network call before its first operation.
The *floor* row times [\`lib/empty-package\`](lib/empty-package/) the same way, in the same rotation: a package with the
same \`exports\` conditions and one ES module that does nothing, installed the same way (a \`file:\` dependency), so
it is what Node itself spends on a dynamic \`import()\` of a package by name on this machine; each library's own
share is its figure minus the floor. The *above the floor* row takes that difference sample by sample (each library's
start minus the empty package's of the same round) and reports its median: the library's own cost, less sensitive to
how busy or fast the machine is than the absolute figure; the target is the ratio to the SDK's (≤ 0.25×).

**Cold start in workerd.** Each sample is a fresh Miniflare instance (a fresh workerd process) running one Worker
([\`workerd/\`](workerd/): \`empty.mjs\`, \`edge.mjs\`, \`sdk.mjs\`), bundled with esbuild as \`tests/js\` does (the \`workerd\`
condition, the .wasm a separate \`CompiledWasm\` module, not minified, code splitting so that the library is its own
module; the modules are listed to Miniflare, so that it does not parse them in the benchmark process; one unrecorded
round first). Its first request does \`await import("./edge-lib.mjs")\` (or the SDK's) and builds a client, and the Worker
reports the time by its own clock. workerd's \`performance.now()\` and \`Date.now()\` both tick in whole milliseconds
(${clocksAgree === 0 ? "they agreed in every sample here" : `they differed in ${clocksAgree} of ${2 * n} samples here`}), so the median is a whole number; the mean of the samples is an unbiased estimate
below that resolution, shown in brackets. workerd compiles a \`CompiledWasm\` module when it loads the Worker, before any
request, so this figure is evaluation + instantiation + the first client, **not compilation of the .wasm**. The second
workerd row covers that: wall time in the benchmark process from \`new Miniflare()\` to the first response's body, minus
that of the empty Worker in the same round (paired, median and interquartile range of the differences). It includes
everything the library adds to a cold start, compilation included, but rides on process start-up noise of tens of
milliseconds: read it as a sign check, not a measurement to the millisecond.

**CPU per operation.** [\`token-server.mjs\`](token-server.mjs) runs in **another process**: two loopback listeners
(one per client: the SDK always builds \`https://{domain}\`, so its tenant advertises an \`https://127.0.0.1:port/\`
issuer and its client gets a \`fetch\` that rewrites \`https:\` to \`http:\`; ours accepts \`http://\` for loopback hosts)
that answer at once with bytes minted at start: discovery, a JWKS with one RSA-2048 key, and a token response with an
RS256 ID token (${server.info.tenants.edge.sizes.idToken} characters: \`iss\`, \`sub\`, \`aud\`, \`iat\`, \`exp\`, \`sid\`, name, nickname, email,
\`email_verified\`, \`updated_at\`), an RS256 JWT access token (${server.info.tenants.edge.sizes.accessToken} characters), a refresh token, \`scope\`,
\`expires_in\`, \`token_type\`, \`issued_token_type\`. Each measurement is a fresh \`node\` process
([\`lib/cpu.mjs\`](lib/cpu.mjs)) that builds one client, checks a result, runs ${config.warmup} warm-up operations, then
${config.ops} operations one after another, and reads \`process.cpuUsage()\` (user + system of the whole process: every
thread, GC included) around them. The libraries alternate, ${config.cpuRuns} runs each; the table shows the median run.
The *floor* is a bare \`fetch()\` POST of the same form to the same endpoint and \`res.json()\`: the HTTP client's own cost,
which both libraries pay (Node's fetch is undici, in JavaScript); "over fetch" subtracts it.

What was compared, operation for operation (both with \`client_secret_post\`, telemetry header on, the same subject
token, \`audience\` and \`scope\`; discovery and JWKS fetched once per process and cached by both; requests counted by the token
server over all CPU runs, ${3 * config.cpuRuns} processes on ours' tenant (the floor's requests included) and ${2 * config.cpuRuns} on the SDK's:
ours ${JSON.stringify(requests.edge)}, SDK ${JSON.stringify(requests.sdk)}):
- *customTokenExchange*: auth0-edge's \`ServerClient.customTokenExchange(options)\` vs the SDK's own
  \`ServerClient.customTokenExchange(options)\` (which is \`AuthClient.exchangeToken\` of @auth0/auth0-auth-js over
  openid-client's \`genericGrantRequest\`). Without an actor token neither verifies the ID token's signature; the SDK
  (openid-client) decodes the ID token and checks its claims, ours leaves it unparsed.
- *loginWithCustomTokenExchange + getSession*: each library's \`loginWithCustomTokenExchange(options, storeOptions)\`
  then \`getSession(storeOptions)\`, with a check that the session's user came back. Sessions have the same semantics:
  the whole session sealed as a JWE (\`dir\`, \`A256CBC-HS512\`, key derived with HKDF-SHA-256) and the sealed string
  kept in process memory. Ours: its \`MemoryStore\` (default). The SDK: its \`StatelessStateStore\` (the sealed session
  in "cookies") over an in-memory cookie handler (a \`Map\`), a fresh one per operation, i.e. a request without a
  session: the SDK's login reads and would decrypt an existing session first (to merge into it), which ours never does,
  so this spares the SDK a decryption. Work that differs: **ours verifies the ID token's RS256 signature** against the
  JWKS before writing the session, the SDK (openid-client, by default) checks its claims only; the SDK
  derives a fresh HKDF key for every seal and every open (its salt includes a random \`kid\`), ours caches the derived
  keys per secret and state identifier, and opens a session it has just sealed without decrypting it again. Both
  do their cryptography through WebCrypto, which Node runs as a job on its thread pool for every operation.

**Memory.** [\`lib/memory.mjs\`](lib/memory.mjs) in a fresh \`node --expose-gc\` process: ${config.memoryWarmup} warm-up
\`customTokenExchange\` calls, two \`gc()\` and a 50 ms pause (so \`FinalizationRegistry\` callbacks, which free wasm-side
objects, run), the first reading; ${config.memoryOps} more exchanges; the same collection, the second reading. RSS
(\`process.memoryUsage().rss\`) and the JS heap are read for both libraries. The **wasm linear memory** is
\`WebAssembly.Memory.buffer.byteLength\` of auth0-edge's instance: the package does not export it, but the way in of
its runtime entries, \`ServerClient[Symbol.for("auth0-edge.loader")]\`, returns the loaded instance's exports from
\`initSync()\` (the script checks that it gets an existing instance with a \`memory\` export rather than creating one). Linear memory never shrinks, so its growth is the high-water mark of the
Rust allocator. Growth = (after − before) / before, both read after collection; the RSS *peak* is the highest of ten
readings taken during the loop without collecting (V8's young generation fills and empties between them).

**Refresh in workerd.** [\`lib/refresh-workerd.mjs\`](lib/refresh-workerd.mjs) runs
[\`workerd/refresh.mjs\`](workerd/refresh.mjs) in one Miniflare instance with \`SessionDurableObject\` bound. Each round
is one request: the Worker logs ${refresh.n} sessions in (each with its own refresh token: the token server answers
every grant with a new one, as rotation does), then calls \`getAccessToken\` once per session for an audience the session
has no token for, so each call is one refresh grant, and times those ${refresh.n} calls by its own clock (workerd's clock
advances across I/O, and the loop is nothing but awaited I/O). Sessions live in a \`Map\` of the isolate in both
variants, so they differ only in the coordinator: *coordinated* derives the key (HMAC of the refresh token under the
session secret), claims at a Durable Object new to that key, refreshes, seals the token set and posts it back;
*uncoordinated* refreshes under the in-isolate single flight alone; the middle row gives the client a coordinator
object that only calls \`refresh()\`, so it pays the key, the sealing and the opening but no Durable Object: the
difference between it and the last row is the Durable Object's (a new object per refresh token, two requests, two
storage writes and an alarm). The variants alternate after one unrecorded round of each; the token server counts ${2 * refresh.n} grants per round, or the round fails. A Durable Object here is local
to workerd: in production its round trips cross to the object's location, so this is the coordinator's own work, not
the network's.

**Access token verification.** [\`lib/verify.mjs\`](lib/verify.mjs) mints one RS256 \`at+jwt\` access token with
jose and serves its tenant's discovery and JWKS from memory through each library's custom \`fetch\`, so every
verification after the first uses the library's cached key. [\`workerd/verifiers.mjs\`](workerd/verifiers.mjs) holds
the three verifiers, the same module in Node and (bundled, \`nodejs_compat\` for @auth0/auth0-api-js) in workerd:
auth0-edge's \`ApiClient.verifyAccessToken\`, jose's \`jwtVerify\` with \`createRemoteJWKSet\` (issuer, audience,
RS256), and \`@auth0/auth0-api-js\`'s \`ApiClient.verifyAccessToken\` (built from Auth0's source, see
[\`vendor/auth0-api-js/SOURCE.md\`](vendor/auth0-api-js/SOURCE.md): the registry does not serve it). Each round runs
${verify.n} verifications in sequence per library, the libraries alternating after one unrecorded round each. In workerd,
whose clock stands still during computation, a round is the wall time of one request doing the ${verify.n}
verifications minus that of a request doing none, measured just before. The second table repeats the rounds with WebCrypto's
\`verify\` answering \`true\` at once (in Node for the process, in workerd by
[\`workerd/verify-own.mjs\`](workerd/verify-own.mjs)): what is left is each library's own work around the signature
check, since the RSA verification is the runtime's and the same for all three.

## Raw figures

\`\`\`json
${compactJson(raw)}
\`\`\`
`;
writeFileSync(resultsPath, md);
progress(`\nWrote ${resultsPath} in ${minutes} min.${changed ? " Warning: pkg/ was rebuilt during the run." : ""}`);
