// Deno: read the .wasm with Deno.readFile (Deno's own .wasm import yields instance exports, not
// the module wasm-bindgen needs). The build fills in the public names.
import { ServerClient } from "./index.js";

await ServerClient[Symbol.for("auth0-edge.loader")].init({
  module_or_path: await Deno.readFile(new URL("./auth0_edge_bg.wasm", import.meta.url)),
});
export { /* API */ } from "./index.js";
