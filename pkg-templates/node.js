// Node: read the .wasm next to this file and instantiate synchronously (no top-level await, so
// require() of this ESM module works on Node 20.19+ too). fs comes from process.getBuiltinModule
// (Node 20.16+), not `import ... from "node:fs"`: that import builds fs's ES module namespace,
// which loads Node's stream modules (measured: 1.3 ms of a cold start). The build fills in the
// public names. HMAC, AES-CBC and RS256 verification go through node:crypto, loaded on the first
// operation (Node's WebCrypto costs 3-6x the CPU per operation: see src/host/host.js).
import { __initSync, __useNativeCrypto } from "./index.js";

const fs = globalThis.process?.getBuiltinModule?.("node:fs");
if (!fs) throw new Error("auth0-edge needs Node.js 20.16 or later (process.getBuiltinModule)");
__initSync({ module: fs.readFileSync(new URL("./auth0_edge_bg.wasm", import.meta.url)) });
__useNativeCrypto(() => process.getBuiltinModule("node:crypto"));
export { /* API */ } from "./index.js";
