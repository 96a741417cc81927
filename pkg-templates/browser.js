// Browsers (and the default): fetch the .wasm next to this module and compile it (streaming when
// it is served as application/wasm), then export the API.
import { ServerClient } from "./index.js";

const response = await fetch(new URL("./auth0_edge_bg.wasm", import.meta.url));
if (!response.ok) throw new Error(`auth0-edge: its WebAssembly module could not be fetched (HTTP ${response.status})`);
const module = response.headers.get("content-type")?.startsWith("application/wasm")
  ? await WebAssembly.compileStreaming(response)
  : await WebAssembly.compile(await response.arrayBuffer());
ServerClient[Symbol.for("auth0-edge.loader")].initSync({ module });
export * from "./index.js";
