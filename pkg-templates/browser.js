// Browsers (and the default): fetch the .wasm next to this module and instantiate it streaming.
// The build fills in the public names.
import { ServerClient } from "./index.js";

await ServerClient[Symbol.for("auth0-edge.loader")].init({ module_or_path: new URL("./auth0_edge_bg.wasm", import.meta.url) });
export { /* API */ } from "./index.js";
