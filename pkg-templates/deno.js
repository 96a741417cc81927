// Deno: the .wasm imported as a module (Deno 2.1+ instantiates it: it imports nothing), so
// loading the package needs no read permission; then export the API.
import * as exports from "./auth0_edge_bg.wasm";
import { ServerClient } from "./index.js";

ServerClient[Symbol.for("auth0-edge.loader")].initSync({ exports });
export * from "./index.js";
