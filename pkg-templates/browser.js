// Browsers (and the default): fetch the .wasm next to this module and instantiate it streaming.
// The build fills in the public names.
import { __init } from "./index.js";
await __init({ module_or_path: new URL("./auth0_edge_bg.wasm", import.meta.url) });
export { /* API */ } from "./index.js";
