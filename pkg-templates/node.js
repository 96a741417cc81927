// Node (20.16 or later): the .wasm next to this module, read and compiled synchronously at import.
import { ServerClient } from "./index.js";

const fs = process.getBuiltinModule("node:fs");
ServerClient[Symbol.for("auth0-edge.loader")].initSync({ module: fs.readFileSync(new URL("./auth0_edge_bg.wasm", import.meta.url)) });
export * from "./index.js";
