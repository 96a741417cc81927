// Deno: read the .wasm with Deno.readFile (Deno's own .wasm import yields instance exports, not
// the module wasm-bindgen needs). The build fills in the public names.
import { __init } from "./index.js";
await __init({ module_or_path: await Deno.readFile(new URL("./auth0_edge_bg.wasm", import.meta.url)) });
export { /* API */ } from "./index.js";
