// Cloudflare Workers / workerd: the .wasm import is a compiled WebAssembly.Module.
import wasm from "./auth0_edge_bg.wasm";
import { initSync } from "./auth0_edge.js";
initSync({ module: wasm });
export * from "./index.js";
