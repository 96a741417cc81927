// Everything the package exports, whatever the runtime. Node imports this module (bundled as
// index.js) directly; the other runtimes' entries (workerd.js, deno.js, browser.js) instantiate
// the wasm first, then re-export all of it.
// The shipped index.js is minified, which renames classes: each exported class declares its
// `static name`, so console output and `constructor.name` show the public one (and a bundler can
// still drop the classes a program does not use).
import { ServerClient } from "./client.js";
import { loader } from "./core.js";

export { ServerClient };
export {
  Auth0EdgeError,
  CustomTokenExchangeError,
  ConfigurationError,
  IdTokenError,
  AccessTokenError,
  StoreError,
  CustomTokenExchangeErrorCode,
} from "./errors.js";
export { MemoryStore, CookieStore, KvStore, DenoKvStore } from "./stores.js";

/** The IETF token type URNs (RFC 8693 §3). */
export const TokenType = Object.freeze({
  JWT: "urn:ietf:params:oauth:token-type:jwt",
  ACCESS_TOKEN: "urn:ietf:params:oauth:token-type:access_token",
  ID_TOKEN: "urn:ietf:params:oauth:token-type:id_token",
  REFRESH_TOKEN: "urn:ietf:params:oauth:token-type:refresh_token",
});

// The runtimes' entries load the .wasm through this (see core.js `loader`): a property of
// ServerClient under a registered symbol, not an export, so the package exports only its API.
Object.defineProperty(ServerClient, Symbol.for("auth0-edge.loader"), { value: loader });
