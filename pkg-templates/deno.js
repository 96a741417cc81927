// Deno: read and compile the .wasm next to this module, instantiate it, then export the API.
import { ServerClient } from "./index.js";

const bytes = await Deno.readFile(new URL("./auth0_edge_bg.wasm", import.meta.url));
ServerClient[Symbol.for("auth0-edge.loader")].initSync({ module: await WebAssembly.compile(bytes) });
export * from "./index.js";
