// Cloudflare Workers / workerd: the .wasm import is a compiled WebAssembly.Module. Instantiate it,
// then export the API.
import wasm from "./auth0_edge_bg.wasm";
import { ServerClient } from "./index.js";

ServerClient[Symbol.for("auth0-edge.loader")].initSync({ module: wasm });
export * from "./index.js";
