// Where the .wasm's bytes go, and what a first client, a first exchange and a first login make V8
// compile (it compiles a wasm function, whole, on its first call: about 50 µs per KB of code on
// the benchmark machine, so these bytes are cold-start time). Run by bench/profile.sh, which
// builds the package's .wasm again with the same wasm-opt flags plus -g (function names) and
// passes: node bench/lib/profile.mjs NAMED.wasm PACKAGE.wasm OUTPUT.md
//
// 1. Code bytes by area of the crate (src/core/json.rs, src/js.rs, ...) and of std (core, alloc),
//    from the function bodies of the named build, which has the same code as the package's.
// 2. The functions each first operation runs: the named module, instrumented (binaryen.js: a call
//    to an imported logger at the top of every function), is given to the package's loader in
//    place of its own .wasm; then one client, one customTokenExchange and one
//    loginWithCustomTokenExchange + getSession run against bench/token-server.mjs, as the CPU
//    figures of bench/run.mjs do (bench/lib/clients.mjs).
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";
import { startTokenServer } from "./token-server-process.mjs";

const benchDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const root = path.resolve(benchDir, "..");

// ---------------------------------------------------------------------------------------------
// Reading a module: function body sizes, names, data size

function leb(b, i) {
  let r = 0;
  let s = 0;
  for (;;) {
    const x = b[i++];
    r += (x & 0x7f) * 2 ** s;
    s += 7;
    if (x < 0x80) return [r, i];
  }
}

/** {imports, bodies: [bytes of each defined function, with its size field], names: Map, data} */
function readModule(bytes) {
  const b = new Uint8Array(bytes);
  if (b[0] !== 0 || b[1] !== 0x61 || b[2] !== 0x73 || b[3] !== 0x6d) throw new Error("not a wasm module");
  const sections = [];
  for (let i = 8; i < b.length; ) {
    const id = b[i++];
    const [n, j] = leb(b, i);
    sections.push({ id, at: j, len: n });
    i = j + n;
  }
  let imports = 0;
  const bodies = [];
  const names = new Map();
  let data = 0;
  const text = new TextDecoder();
  for (const s of sections) {
    if (s.id === 2) {
      // Count imported functions (kind 0): they come first in the function index space.
      let [count, i] = leb(b, s.at);
      for (let k = 0; k < count; k++) {
        let len;
        [len, i] = leb(b, i);
        i += len;
        [len, i] = leb(b, i);
        i += len;
        const kind = b[i++];
        if (kind === 0) {
          imports++;
          [, i] = leb(b, i);
        } else if (kind === 1) {
          i++;
          const flags = b[i++];
          [, i] = leb(b, i);
          if (flags & 1) [, i] = leb(b, i);
        } else if (kind === 2) {
          const flags = b[i++];
          [, i] = leb(b, i);
          if (flags & 1) [, i] = leb(b, i);
        } else if (kind === 3) i += 2;
        else throw new Error(`import kind ${kind}`);
      }
    } else if (s.id === 10) {
      let [count, i] = leb(b, s.at);
      for (let k = 0; k < count; k++) {
        const [n, j] = leb(b, i);
        bodies.push(n + (j - i));
        i = j + n;
      }
    } else if (s.id === 11) {
      data += s.len;
    } else if (s.id === 0) {
      let [len, i] = leb(b, s.at);
      const name = text.decode(b.subarray(i, i + len));
      i += len;
      if (name !== "name") continue;
      const end = s.at + s.len;
      while (i < end) {
        const sub = b[i++];
        const [n, j] = leb(b, i);
        if (sub === 1) {
          let [count, k] = leb(b, j);
          for (let c = 0; c < count; c++) {
            let idx;
            [idx, k] = leb(b, k);
            [len, k] = leb(b, k);
            names.set(idx, text.decode(b.subarray(k, k + len)));
            k += len;
          }
        }
        i = j + n;
      }
    }
  }
  return { imports, bodies, names, data, size: b.length };
}

/** The area a (mangled) function name belongs to: `core::json`, `js`, `std: core`, ... */
function areaOf(name) {
  if (["text", "bytes", "configure", "room"].includes(name)) return "js (the exports)";
  const ours = name.match(/auth0_edge(?:\.\.|\d+)([a-z_]+)(?:(?:\.\.|\d+)([a-z_]+))?/);
  if (ours) {
    const [, a, b] = ours;
    if (a === "core" && b) return `core::${b}`;
    return a;
  }
  if (/alloc/.test(name)) return "std: alloc";
  if (/core/.test(name)) return "std: core";
  if (/^(memcmp|memcpy|memset|memmove|__\w+)$/.test(name)) return "compiler builtins";
  return "unnamed";
}

/** A readable form of a Rust symbol (legacy `_ZN...E` or v0 `_R...`), best effort: the path. */
function demangle(name) {
  const idents = (s, from) => {
    const parts = [];
    for (let i = from; i < s.length; ) {
      const m = /^(\d+)/.exec(s.slice(i));
      if (!m) {
        i++;
        continue;
      }
      const n = Number(m[1]);
      const start = i + m[1].length;
      parts.push(s.slice(start, start + n));
      i = start + n;
    }
    return parts;
  };
  let parts;
  if (name.startsWith("_ZN")) parts = idents(name.slice(3, name.endsWith("E") ? -1 : undefined), 0).filter((p) => !/^h[0-9a-f]{16}$/.test(p));
  else if (name.startsWith("_R")) {
    const crate = /Cs[0-9A-Za-z]+_/.exec(name);
    if (!crate) return name;
    parts = idents(name, crate.index + crate[0].length);
  } else return name;
  return parts
    .join("::")
    .replace(/\$LT\$/g, "<").replace(/\$GT\$/g, ">").replace(/\$RF\$/g, "&").replace(/\$C\$/g, ",")
    .replace(/\$u20\$/g, " ").replace(/\$u7b\$/g, "{").replace(/\$u7d\$/g, "}").replace(/\$u5b\$/g, "[").replace(/\$u5d\$/g, "]")
    .replace(/\.\./g, "::").replace(/^_</, "<");
}

const src = (area) =>
  area === "js (the exports)" ? "src/js.rs" : area.startsWith("core::") ? `src/core/${area.slice(6)}.rs` : area.startsWith("std") || area === "compiler builtins" || area === "unnamed" ? "" : `src/${area}.rs`;

// ---------------------------------------------------------------------------------------------
// Instrumenting: which functions run

/** binaryen.js's reading of the module, and its defined functions (in index order). */
async function load(bytes) {
  const { default: binaryen } = await import(path.join(root, "node_modules/binaryen/index.js"));
  const m = binaryen.readBinary(bytes);
  m.setFeatures(binaryen.Features.All);
  const defined = [];
  for (let i = 0; i < m.getNumFunctions(); i++) {
    const info = binaryen.getFunctionInfo(m.getFunctionByIndex(i));
    if (!info.module) defined.push(info);
  }
  return { binaryen, m, defined };
}

async function instrument(bytes) {
  const { binaryen, m, defined } = await load(bytes);
  m.addFunctionImport("__profile_log", "profile", "log", binaryen.i32, binaryen.none);
  defined.forEach((info, k) => {
    const call = m.call("__profile_log", [m.i32.const(k)], binaryen.none);
    m.removeFunction(info.name);
    m.addFunction(info.name, info.params, info.results, info.vars, m.block(null, [call, info.body], binaryen.getExpressionType(info.body)));
  });
  if (!m.validate()) throw new Error("the instrumented module does not validate");
  return m.emitBinary();
}

/**
 * The module with every function outside `keep` (indices of defined functions) replaced by
 * `unreachable`, optimised again with the package's own wasm-opt flags (PROFILE_WASM_OPT_FLAGS,
 * from scripts/lib.sh): a floor for a package that runs the traced operations (their error paths
 * are gone too; the data is kept). binaryen.js's own -Oz would not do: the untrimmed module
 * through it is 0.5 KB gz larger than the package's .wasm, which the floor would then hide.
 */
async function trimmed(bytes, keep) {
  const flags = process.env.PROFILE_WASM_OPT_FLAGS?.split(" ").filter(Boolean);
  if (!flags?.length) throw new Error("PROFILE_WASM_OPT_FLAGS is not set: run this through bench/profile.sh");
  const { m, defined } = await load(bytes);
  defined.forEach((info, k) => {
    if (keep.has(k)) return;
    m.removeFunction(info.name);
    m.addFunction(info.name, info.params, info.results, [], m.unreachable());
  });
  const dir = mkdtempSync(path.join(tmpdir(), "auth0-edge-profile-"));
  try {
    const [input, output] = [path.join(dir, "in.wasm"), path.join(dir, "out.wasm")];
    writeFileSync(input, m.emitBinary());
    execFileSync(path.join(root, "node_modules/.bin/wasm-opt"), [...flags, input, "-o", output], { stdio: ["ignore", "ignore", "inherit"] });
    return readFileSync(output);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

// ---------------------------------------------------------------------------------------------

const [namedPath, packagePath, outPath] = process.argv.slice(2);
if (!outPath) throw new Error("usage: node bench/lib/profile.mjs NAMED.wasm PACKAGE.wasm OUTPUT.md");
const namedBytes = readFileSync(namedPath);
const named = readModule(namedBytes);
const packageBytes = readFileSync(packagePath);
const shipped = readModule(packageBytes);
const sum = (xs) => xs.reduce((a, b) => a + b, 0);
const code = sum(named.bodies);
// -g must not change the code: the same functions, the same bytes.
if (named.bodies.length !== shipped.bodies.length || code !== sum(shipped.bodies)) {
  throw new Error(`the named build differs from the package's .wasm (${named.bodies.length} functions, ${code} B of code vs ${shipped.bodies.length}, ${sum(shipped.bodies)} B)`);
}
const nameOf = (k) => named.names.get(named.imports + k) ?? `function ${named.imports + k}`;

const byArea = new Map();
named.bodies.forEach((n, k) => {
  const a = areaOf(nameOf(k));
  const e = byArea.get(a) ?? { bytes: 0, count: 0 };
  e.bytes += n;
  e.count += 1;
  byArea.set(a, e);
});

// The traced operations.
const steps = [];
let current = null;
const seen = new Set();
const log = (k) => {
  if (seen.has(k)) return;
  seen.add(k);
  current?.push(k);
};
const instance = new WebAssembly.Instance(new WebAssembly.Module(await instrument(namedBytes)), { profile: { log } });
const server = await startTokenServer();
try {
  process.env.BENCH_SERVER = JSON.stringify(server.info);
  const api = await import("auth0-edge");
  api.ServerClient[Symbol.for("auth0-edge.loader")].initSync({ exports: instance.exports });
  const { LIBS } = await import("./clients.mjs");
  const step = async (label, f) => {
    current = [];
    await f();
    steps.push({ label, fns: current });
    current = null;
  };
  let lib;
  await step("first client (`new ServerClient`)", async () => {
    lib = await LIBS.edge();
  });
  await step("then a first `customTokenExchange`", () => lib.exchange());
  await step("then a first `loginWithCustomTokenExchange` + `getSession`", () => lib.login());
  await step("the same once more (nothing new)", () => lib.login());
} finally {
  await server.stop();
}

const shippedGz = gzipSync(packageBytes, { level: 9 }).length;
const onlyTraced = await trimmed(namedBytes, seen);
const onlyTracedGz = gzipSync(onlyTraced, { level: 9 }).length;

// ---------------------------------------------------------------------------------------------
// The report

const kb = (n) => `${(n / 1000).toFixed(1)} KB`;
const lines = [];
const out = (s = "") => lines.push(s);
out("# Where the .wasm's bytes go");
out();
out(`Written by \`bash bench/profile.sh\` (see [the README](../README.md#benchmark)) from the package's .wasm as built`);
out(`at commit ${process.env.PROFILE_COMMIT || "?"}: ${shipped.size} B (${shippedGz} B gzip -9), of`);
out(`which ${code} B of code in ${named.bodies.length} functions and ${named.data} B of data (messages, tables).`);
out();
out("## Code by area");
out();
out("| area | source | functions | code | share |");
out("|---|---|---:|---:|---:|");
for (const [a, e] of [...byArea].sort((x, y) => y[1].bytes - x[1].bytes)) {
  out(`| ${a} | ${src(a) && `\`${src(a)}\``} | ${e.count} | ${e.bytes} B | ${((100 * e.bytes) / code).toFixed(1)}% |`);
}
out();
out("## What each first operation compiles");
out();
out("V8 compiles a wasm function on its first call (lazily, whole); the functions below are those that ran");
out("for the first time in each step, in one Node process, against bench/token-server.mjs.");
out();
out("| step | functions run for the first time | their code | by area (largest first) |");
out("|---|---:|---:|---|");
let total = 0;
for (const s of steps) {
  const bytes = sum(s.fns.map((k) => named.bodies[k]));
  total += bytes;
  const areas = new Map();
  for (const k of s.fns) {
    const a = areaOf(nameOf(k));
    areas.set(a, (areas.get(a) ?? 0) + named.bodies[k]);
  }
  const top = [...areas].sort((x, y) => y[1] - x[1]).slice(0, 6).map(([a, n]) => `${a} ${kb(n)}`).join(", ");
  out(`| ${s.label} | ${s.fns.length} | ${kb(bytes)} | ${top} |`);
}
out(`| never run by these steps | ${named.bodies.length - seen.size} | ${kb(code - total)} | |`);
out();
out(`A floor: with only the code these successful calls ran (every other function made \`unreachable\`, then the`);
out(`package's wasm-opt flags again), the .wasm would be ${onlyTraced.length} B, ${onlyTracedGz} B gzip -9 (${shippedGz - onlyTracedGz} B gz less than shipped). That drops the other`);
out("operations (refresh, logout, private_key_jwt...) and also every error path that has a function of its own, but");
out(`keeps the data (${named.data} B: mostly error messages): about the least code a package doing these operations, built this way, can ship.`);
out();
const first = steps[0].fns.map((k) => [demangle(nameOf(k)), named.bodies[k]]).sort((x, y) => y[1] - x[1]);
out(`### The first client's ${first.length} functions, largest first`);
out();
out("| code | function |");
out("|---:|---|");
for (const [n, size] of first.slice(0, 25)) out(`| ${size} B | \`${n.length > 110 ? `${n.slice(0, 107)}...` : n}\` |`);
if (first.length > 25) out(`| ${sum(first.slice(25).map((x) => x[1]))} B | ${first.length - 25} more |`);
writeFileSync(outPath, `${lines.join("\n")}\n`);
process.stdout.write(`${lines.join("\n")}\n`);
