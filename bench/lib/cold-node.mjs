// One cold start in a fresh Node process: node bench/lib/cold-node.mjs <edge|sdk|empty>
// Times, with performance.now(), what LIBS[lib]() does the first time: the dynamic import of the
// package and the construction of a client with its in-memory store (no network: neither client
// calls out before its first operation). Prints {ms} as JSON. For auth0-edge the import
// reads, compiles and instantiates the .wasm (its "node" export condition, node.js, does).
import { LIBS } from "./clients.mjs";

const lib = process.argv[2];
const t0 = performance.now();
const { client } = await LIBS[lib]();
const ms = performance.now() - t0;
if (!client) throw new Error("no client");
process.stdout.write(`${JSON.stringify({ lib, ms })}\n`);
