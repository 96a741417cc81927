// Cloudflare Workers / workerd: the .wasm import is a compiled WebAssembly.Module. The build fills
// in the public names.
import wasm from "./auth0_edge_bg.wasm";
import { __initSync } from "./index.js";
__initSync({ module: wasm });
export { /* API */ } from "./index.js";
