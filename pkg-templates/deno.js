// Deno: the .wasm imported in the source phase (a compiled WebAssembly.Module, without read
// permission), instantiated with wasm-bindgen's imports; then export the API.
import source wasm from "./auth0_edge_bg.wasm";
import { ServerClient } from "./index.js";

ServerClient[Symbol.for("auth0-edge.loader")].initSync({ module: wasm });
export * from "./index.js";
