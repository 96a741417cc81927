// Everything the package exports, whatever the runtime: the Rust ServerClient and ApiClient as wasm-bindgen
// builds it, the error classes it throws, the built-in stores and the token type URNs. Each
// runtime's entry loads the .wasm through the loader (a property of ServerClient under a
// registered symbol, not an export, so the package exports only its API), then `export *` from here.
import { ServerClient as Client, ApiClient as Api, initSync } from "./auth0_edge.js";
export {
  Auth0EdgeError,
  CustomTokenExchangeError,
  ConfigurationError,
  IdTokenError,
  AccessTokenError,
  StoreError,
  VerifyAccessTokenError,
  CustomTokenExchangeErrorCode,
} from "./errors.js";
import * as stores from "./stores.js";

/** A class that says so when called without `new` (a minified bundle would otherwise name
 *  a mangled class: "Class constructor P cannot be invoked without 'new'"). */
const classOnly = (C) =>
  new Proxy(C, {
    apply() {
      throw new TypeError(`${C.name} is a class: create it with new ${C.name}(...)`);
    },
  });
export const ServerClient = classOnly(Client);
export const ApiClient = classOnly(Api);
export const MemoryStore = classOnly(stores.MemoryStore);
export const CookieStore = classOnly(stores.CookieStore);
export const KvStore = classOnly(stores.KvStore);
export const DenoKvStore = classOnly(stores.DenoKvStore);
export const DurableObjectStore = classOnly(stores.DurableObjectStore);
export const DurableObjectRefreshCoordinator = classOnly(stores.DurableObjectRefreshCoordinator);
export const DenoKvRefreshCoordinator = classOnly(stores.DenoKvRefreshCoordinator);
export const DurableObjectReplayCache = classOnly(stores.DurableObjectReplayCache);
export const DenoKvReplayCache = classOnly(stores.DenoKvReplayCache);
// Instantiated by workerd from the Worker's exports: the class itself.
export const SessionDurableObject = stores.SessionDurableObject;

/** The IETF token type URNs (RFC 8693 §3). */
export const TokenType = Object.freeze({
  JWT: "urn:ietf:params:oauth:token-type:jwt",
  ACCESS_TOKEN: "urn:ietf:params:oauth:token-type:access_token",
  ID_TOKEN: "urn:ietf:params:oauth:token-type:id_token",
  REFRESH_TOKEN: "urn:ietf:params:oauth:token-type:refresh_token",
});

// initSync({ module }) instantiates once (a WebAssembly.Module or the .wasm's bytes) and answers
// the instance's exports, also when called again without a module.
Object.defineProperty(ServerClient, Symbol.for("auth0-edge.loader"), {
  value: { initSync: (o) => initSync(o) },
});
