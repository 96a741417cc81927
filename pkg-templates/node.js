// Node: read the .wasm next to this file and instantiate synchronously (no top-level await, so
// require() of this ESM module works on Node 20.19+ too).
import { readFileSync } from "node:fs";
import { initSync } from "./auth0_edge.js";
initSync({ module: readFileSync(new URL("./auth0_edge_bg.wasm", import.meta.url)) });
export * from "./index.js";
