// Deno: read the .wasm with Deno.readFile (Deno's own .wasm import yields instance exports, not
// the module wasm-bindgen needs).
import init from "./auth0_edge.js";
await init({ module_or_path: await Deno.readFile(new URL("./auth0_edge_bg.wasm", import.meta.url)) });
export * from "./index.js";
