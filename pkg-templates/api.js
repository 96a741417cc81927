// Everything the package exports, whatever the runtime. The per-runtime entry points
// (workerd.js, node.js, deno.js, browser.js) instantiate the wasm first, then re-export these
// names (the build lists them from this module's exports).
export { ServerClient } from "./client.js";
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
