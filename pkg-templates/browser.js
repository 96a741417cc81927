// Browsers (and the default): fetch the .wasm next to this module and instantiate it streaming.
import init from "./auth0_edge.js";
await init({ module_or_path: new URL("./auth0_edge_bg.wasm", import.meta.url) });
export * from "./index.js";
