// One CPU measurement in a fresh process: node bench/lib/cpu.mjs <edge|sdk|fetch> <exchange|login> <ops> <warmup>
// Builds the client, checks one result, runs <warmup> operations, then <ops> operations one after
// another (each awaited), and prints {cpuUs, userUs, systemUs, wallMs, ops} as JSON: the process's
// CPU time (process.cpuUsage: user + system, every thread of this process, GC included) over the
// measured operations. The token server runs in another process, so its work is not counted.
import { LIBS, check } from "./clients.mjs";

const [lib, op, opsArg, warmupArg] = process.argv.slice(2);
const ops = Number(opsArg);
const warmup = Number(warmupArg);
const client = await LIBS[lib]();
const run = client[op];
check(lib, op, await run());
for (let i = 0; i < warmup; i++) await run();
check(lib, op, await run());

const c0 = process.cpuUsage();
const t0 = performance.now();
for (let i = 0; i < ops; i++) await run();
const wallMs = performance.now() - t0;
const { user, system } = process.cpuUsage(c0);
process.stdout.write(`${JSON.stringify({ lib, op, ops, warmup, cpuUs: user + system, userUs: user, systemUs: system, wallMs })}\n`);
