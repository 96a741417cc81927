// Node: read the .wasm next to this file and instantiate synchronously (no top-level await, so
// require() of this ESM module works on Node 20.19+ too). The build fills in the public names.
import { readFileSync } from "node:fs";
import { __initSync } from "./index.js";
__initSync({ module: readFileSync(new URL("./auth0_edge_bg.wasm", import.meta.url)) });
export { /* API */ } from "./index.js";
