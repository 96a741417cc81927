/// <reference lib="esnext.disposable" />
// Types of the auth0-edge package. ServerClient and the shapes of its options and results come
// from wasm-bindgen's build of the Rust client (auth0_edge.d.ts); the JavaScript parts (error
// classes, stores, token types) are declared here.
import type {
  StateStore,
  ServerClientOptions,
  CustomTokenExchangeOptions,
  TokenExchangeResponse,
  StateData,
  SessionData,
  SessionUser,
  GetAccessTokenOptions,
  TokenSet,
  LogoutOptions,
  SessionTransferOptions,
  SessionTransferResult,
  DPoPHeaders,
  DPoPHeadersOptions,
  ApiClient as ApiClientClass,
} from "./auth0_edge.d.ts";

/**
 * An Auth0 client for Custom Token Exchange and sessions: wasm-bindgen's class of the Rust client
 * (auth0_edge.d.ts), with the type of the `storeOptions` its methods hand to the store as a
 * parameter (as in @auth0/auth0-server-js), e.g. `ServerClient<StoreRequestOptions>`.
 */
export interface ServerClient<TStoreOptions = unknown> {
  /**
   * Exchanges a subject token (and optionally an actor token) for Auth0 tokens.
   * @example const { accessToken, act } = await auth0.customTokenExchange({ subjectToken, subjectTokenType: "urn:acme:legacy-token", audience: "https://api" });
   * @throws {CustomTokenExchangeError | ConfigurationError} (as a rejection)
   */
  customTokenExchange(options: CustomTokenExchangeOptions, storeOptions?: TStoreOptions): Promise<TokenExchangeResponse>;
  /**
   * Exchanges tokens and opens a sealed session in the state store ("openid" is always asked for).
   * @example const { stateData } = await auth0.loginWithCustomTokenExchange({ subjectToken, subjectTokenType }, { request, response });
   * @throws {CustomTokenExchangeError | ConfigurationError | IdTokenError | StoreError} (as a rejection)
   */
  loginWithCustomTokenExchange(options: CustomTokenExchangeOptions, storeOptions?: TStoreOptions): Promise<{ stateData: StateData }>;
  /**
   * The session, or undefined when there is none (absent, unreadable, expired, another tenant's).
   * @example const session = await auth0.getSession({ request });
   * @throws {ConfigurationError | StoreError} (as a rejection)
   */
  getSession(storeOptions?: TStoreOptions): Promise<SessionData | undefined>;
  /**
   * The session's user, or undefined.
   * @example const user = await auth0.getUser({ request }); // user?.sub
   * @throws {ConfigurationError | StoreError} (as a rejection)
   */
  getUser(storeOptions?: TStoreOptions): Promise<SessionUser | undefined>;
  /**
   * A token set from the session, refreshed (and stored) when it has 30 s or less left.
   * @example const { accessToken } = await auth0.getAccessToken({ audience: "https://api" }, { request, response });
   * @throws {AccessTokenError | ConfigurationError | StoreError} (as a rejection)
   */
  getAccessToken(options?: GetAccessTokenOptions, storeOptions?: TStoreOptions): Promise<TokenSet>;
  /**
   * A session transfer token (Auth0's native-to-web SSO): an exchange whose audience is
   * `urn:{host}:session_transfer`, the actor defaulting to the current session's ID token.
   * @example const transfer = await auth0.requestSessionTransferToken({ subjectToken, subjectTokenType: TokenType.ACCESS_TOKEN }, { request });
   * @throws {CustomTokenExchangeError | ConfigurationError | StoreError} (as a rejection)
   */
  requestSessionTransferToken(options: SessionTransferOptions, storeOptions?: TStoreOptions): Promise<SessionTransferResult>;
  /**
   * `targetLoginUrl` (absolute https:, http: only for loopback hosts) with `session_transfer_token`
   * and `organization` added to its query.
   * @example return Response.redirect(auth0.buildSessionTransferRedirect("https://web.example/login", transfer), 302);
   * @throws {ConfigurationError} `invalid_parameter` for another URL or a result without a token
   */
  buildSessionTransferRedirect(targetLoginUrl: string, result: SessionTransferResult, options?: { organization?: string }): string;
  /**
   * Deletes the session and returns the tenant's logout URL.
   * @example return Response.redirect(await auth0.logout({ returnTo: "https://app.example/" }, { request, response: r }), 302);
   * @throws {ConfigurationError | StoreError} (as a rejection)
   */
  logout(options?: LogoutOptions, storeOptions?: TStoreOptions): Promise<string>;
  /**
   * `{ Authorization: "DPoP <token>", DPoP: <proof> }` for a request with a DPoP-bound access
   * token: a fresh proof (with `ath`) per call.
   * @example await fetch(url, { headers: await auth0.getDPoPHeaders({ url, method: "GET", accessToken }) });
   * @throws {ConfigurationError} (as a rejection): `missing_dpop_key_pair` without `dpopKeyPair`
   */
  getDPoPHeaders(options: DPoPHeadersOptions): Promise<DPoPHeaders>;
  /**
   * Calls an API with the session's access token (refreshed when due): DPoP with a proof for a
   * bound token, Bearer otherwise; one retry on the API's `use_dpop_nonce`. The API's Response, unread.
   * @example const res = await auth0.fetchWithAuth("https://api.example/orders", { audience: "https://api" }, { request, response });
   * @throws {AccessTokenError | ConfigurationError | StoreError} (as a rejection)
   */
  fetchWithAuth(request: Request | string, options?: GetAccessTokenOptions, storeOptions?: TStoreOptions): Promise<Response>;
  /** Releases the Rust client now rather than at garbage collection. */
  free(): void;
  [Symbol.dispose](): void;
}
export declare const ServerClient: {
  /** Validates the options (a ConfigurationError when one is wrong); makes no network call. */
  new <TStoreOptions = unknown>(options: ServerClientOptions<TStoreOptions>): ServerClient<TStoreOptions>;
  readonly prototype: ServerClient;
};
/** Verifies Auth0 access tokens presented to an API (wasm-bindgen's class of the Rust `ApiClient`). */
export type ApiClient = ApiClientClass;
export declare const ApiClient: typeof ApiClientClass;
export type {
  ApiClientOptions,
  VerifyAccessTokenOptions,
  VerifyRequestOptions,
  VerifiedAccessTokenClaims,
  OnBehalfOfOptions,
  StateStore,
  ClientAuthMethod,
  ClientAssertionSigningAlg,
  ServerClientOptions,
  AuthorizationParamValue,
  CustomTokenExchangeOptions,
  ActClaim,
  TokenExchangeResponse,
  SessionUser,
  SessionTokenSet,
  SessionData,
  StateData,
  GetAccessTokenOptions,
  TokenSet,
  LogoutOptions,
  SessionTransferOptions,
  SessionTransferResult,
  DPoPHeaders,
  DPoPHeadersOptions,
} from "./auth0_edge.d.ts";

export type CustomTokenExchangeErrorCodeValue =
  | "invalid_token_format"
  | "missing_actor_token_type"
  | "missing_actor_token"
  | "token_exchange_failed"
  | "invalid_response"
  | "invalid_parameter";

export type ConfigurationErrorCode =
  | "invalid_domain"
  | "missing_client_id"
  | "missing_client_credentials"
  | "invalid_secret"
  | "invalid_option"
  | "configuration_error"
  | "missing_state_store"
  | "invalid_store_options"
  | "invalid_parameter";

export type IdTokenErrorCode =
  | "invalid_signature"
  | "invalid_issuer"
  | "invalid_audience"
  | "token_expired"
  | "invalid_token"
  | "jwks_key_not_found"
  | "jwks_fetch_error";

export type AccessTokenErrorCode = "missing_session" | "missing_refresh_token" | "refresh_token_error";

export declare class Auth0EdgeError extends Error {
  /** The package builds these itself; a test double (of a store, say) may build one too. */
  constructor(code: string, message: string, options?: { status?: number; cause?: unknown });
  /** Stable machine-readable code. */
  readonly code: string;
  /** HTTP status of the response behind the error, when there was one. */
  readonly status?: number;
  readonly cause?: unknown;
}
export declare class CustomTokenExchangeError extends Auth0EdgeError {
  /** One of CustomTokenExchangeErrorCode, or an OAuth error code from the server (e.g. "invalid_grant"). */
  readonly code: CustomTokenExchangeErrorCodeValue | (string & {});
}
export declare class ConfigurationError extends Auth0EdgeError {
  readonly code: ConfigurationErrorCode;
}
export declare class IdTokenError extends Auth0EdgeError {
  readonly code: IdTokenErrorCode;
}
export declare class AccessTokenError extends Auth0EdgeError {
  readonly code: AccessTokenErrorCode;
}
export declare class StoreError extends Auth0EdgeError {
  readonly code: "store_error";
}
/**
 * An access token (or the request carrying it) refused by `ApiClient`. Answer with
 * `new Response(body, { status: e.status, headers: e.headers })`.
 */
export declare class VerifyAccessTokenError extends Auth0EdgeError {
  /** RFC 6750's code, RFC 9449's `invalid_dpop_proof`, or `temporarily_unavailable` when the tenant's discovery or JWKS could not be read. */
  readonly code: "invalid_request" | "invalid_token" | "insufficient_scope" | "invalid_dpop_proof" | "temporarily_unavailable";
  /** What to answer: 400 (invalid_request), 401 (invalid_token, invalid_dpop_proof, or no credentials at all), 403 (insufficient_scope), 503. */
  readonly status: number;
  /** `{ "WWW-Authenticate": challenge }` (RFC 6750 §3; `DPoP` with `algs` for a DPoP request or a bound token), or `{}` for an outage. */
  readonly headers: Record<string, string>;
}

export declare const CustomTokenExchangeErrorCode: {
  readonly INVALID_TOKEN_FORMAT: "invalid_token_format";
  readonly MISSING_ACTOR_TOKEN_TYPE: "missing_actor_token_type";
  readonly MISSING_ACTOR_TOKEN: "missing_actor_token";
  readonly TOKEN_EXCHANGE_FAILED: "token_exchange_failed";
  readonly INVALID_RESPONSE: "invalid_response";
  readonly INVALID_PARAMETER: "invalid_parameter";
};

export declare const TokenType: {
  readonly JWT: "urn:ietf:params:oauth:token-type:jwt";
  readonly ACCESS_TOKEN: "urn:ietf:params:oauth:token-type:access_token";
  readonly ID_TOKEN: "urn:ietf:params:oauth:token-type:id_token";
  readonly REFRESH_TOKEN: "urn:ietf:params:oauth:token-type:refresh_token";
};

// ----- Built-in session stores (stores.js) -----

/**
 * The storeOptions of CookieStore, KvStore and DenoKvStore: the incoming request (cookies are read
 * from it) and where to write `Set-Cookie`: the response's headers, or a Headers you copy into
 * your response. Pass the same object to every call made while handling one request: a read after
 * a write through it sees the written value. `get` needs only `request`.
 */
export type StoreRequestOptions =
  | { request: Request; response: Response; headers?: undefined }
  | { request: Request; headers: Headers; response?: undefined };

/** Cookie attributes shared by CookieStore, KvStore and DenoKvStore (always HttpOnly). */
export interface CookieAttributeOptions {
  /** Send the Secure attribute. Default true; false only for plain-http local development. */
  secure?: boolean;
  /** Default "Lax". "None" requires `secure`. Case-insensitive. */
  sameSite?: "Strict" | "Lax" | "None";
  /** Default "/". */
  path?: string;
}

export interface CookieStoreOptions extends CookieAttributeOptions {
  /**
   * Cookie name prefix, used as given: chunks are `<cookieName>_0`, `<cookieName>_1`, ... Default:
   * the client's stateIdentifier, prefixed with `__Host-` when `secure` is true and `path` is "/"
   * (the defaults: `__Host-_a0_session_0`, ...), so a sibling subdomain cannot shadow it.
   */
  cookieName?: string;
  /** Max-Age of the cookies, in seconds. Default 259200 (3 days). */
  maxAge?: number;
}

export interface KvStoreOptions extends CookieAttributeOptions {
  /**
   * Name of the session id cookie, used as given. Default: the client's stateIdentifier, prefixed
   * with `__Host-` when `secure` is true and `path` is "/" (the defaults: `__Host-_a0_session`).
   */
  cookieName?: string;
  /** Lifetime of the stored session and Max-Age of the cookie, in seconds. Default 259200 (3 days); KvStore requires at least 60. */
  ttlSeconds?: number;
}

export type DenoKvStoreOptions = KvStoreOptions;
/** Options of DurableObjectStore: as KvStore's (`ttlSeconds` at least 1). */
export type DurableObjectStoreOptions = KvStoreOptions;

/** What KvStore uses of a Cloudflare Workers KV namespace binding (`KVNamespace`). */
export interface KvNamespaceLike {
  get(key: string): Promise<string | null>;
  put(key: string, value: string, options: { expirationTtl: number }): Promise<unknown>;
  delete(key: string): Promise<unknown>;
}

/** What DenoKvStore uses of a `Deno.Kv`. */
export interface DenoKvLike {
  get(key: readonly [string, string]): Promise<{ value: unknown }>;
  set(key: readonly [string, string], value: string, options: { expireIn: number }): Promise<unknown>;
  delete(key: readonly [string, string]): Promise<unknown>;
}

/**
 * Sessions in a Map of this isolate, keyed by identifier only: it holds ONE session per
 * identifier for the whole isolate, so every request the isolate serves shares it. For tests,
 * scripts and single-user tools; never a store for a server with many users. Not a default:
 * pass it as `stateStore` explicitly.
 */
export declare class MemoryStore implements StateStore {
  constructor();
  get(identifier: string, storeOptions?: unknown): Promise<string | undefined>;
  set(identifier: string, value: string, removeIfExists?: boolean, storeOptions?: unknown): Promise<void>;
  delete(identifier: string, storeOptions?: unknown): Promise<void>;
}

/**
 * Stateless sessions in HttpOnly cookies `<name>_0`, `<name>_1`, ... of at most 3072 characters;
 * each write expires the chunks no longer needed.
 * @throws {TypeError} on invalid options, and (as a rejection) on missing storeOptions.
 */
export declare class CookieStore implements StateStore {
  constructor(options?: CookieStoreOptions);
  get(identifier: string, storeOptions: StoreRequestOptions | { request: Request }): Promise<string | undefined>;
  set(identifier: string, value: string, removeIfExists: boolean, storeOptions: StoreRequestOptions): Promise<void>;
  delete(identifier: string, storeOptions: StoreRequestOptions): Promise<void>;
  /** Throws a TypeError naming what is missing: the request, and to write a response or headers. */
  checkOptions(storeOptions: unknown, forWrite: boolean): void;
}

/**
 * Sessions in Cloudflare Workers KV: a random session id in an HttpOnly cookie, the sealed session
 * under `<identifier>:<id>` with `expirationTtl`. A set with removeIfExists issues a new id.
 */
export declare class KvStore implements StateStore {
  constructor(namespace: KvNamespaceLike, options?: KvStoreOptions);
  get(identifier: string, storeOptions: StoreRequestOptions | { request: Request }): Promise<string | undefined>;
  set(identifier: string, value: string, removeIfExists: boolean, storeOptions: StoreRequestOptions): Promise<void>;
  delete(identifier: string, storeOptions: StoreRequestOptions): Promise<void>;
  /** Throws a TypeError naming what is missing: the request, and to write a response or headers. */
  checkOptions(storeOptions: unknown, forWrite: boolean): void;
}

/**
 * Sessions in Deno KV: a random session id in an HttpOnly cookie, the sealed session under
 * `[identifier, id]` with `expireIn`. A set with removeIfExists issues a new id.
 */
export declare class DenoKvStore implements StateStore {
  constructor(kv: DenoKvLike, options?: DenoKvStoreOptions);
  get(identifier: string, storeOptions: StoreRequestOptions | { request: Request }): Promise<string | undefined>;
  set(identifier: string, value: string, removeIfExists: boolean, storeOptions: StoreRequestOptions): Promise<void>;
  delete(identifier: string, storeOptions: StoreRequestOptions): Promise<void>;
  /** Throws a TypeError naming what is missing: the request, and to write a response or headers. */
  checkOptions(storeOptions: unknown, forWrite: boolean): void;
}

/** What DurableObjectStore uses of a Durable Object namespace binding (of SessionDurableObject). */
export interface DurableObjectNamespaceLike {
  idFromName(name: string): unknown;
  get(id: any): { fetch(input: string, init?: RequestInit): Promise<Response> };
}

/**
 * Sessions in Durable Objects: a random session id in an HttpOnly cookie, the sealed session in the
 * SessionDurableObject named `<identifier>:<id>`, deleted after `ttlSeconds`. Strongly consistent
 * across locations (Workers KV may take a minute). A set with removeIfExists issues a new id.
 */
export declare class DurableObjectStore implements StateStore {
  constructor(namespace: DurableObjectNamespaceLike, options?: DurableObjectStoreOptions);
  get(identifier: string, storeOptions: StoreRequestOptions | { request: Request }): Promise<string | undefined>;
  set(identifier: string, value: string, removeIfExists: boolean, storeOptions: StoreRequestOptions): Promise<void>;
  delete(identifier: string, storeOptions: StoreRequestOptions): Promise<void>;
  /** Throws a TypeError naming what is missing: the request, and to write a response or headers. */
  checkOptions(storeOptions: unknown, forWrite: boolean): void;
}

/**
 * The Durable Object class DurableObjectStore keeps sessions in: re-export it from the Worker's
 * main module (`export { SessionDurableObject } from "auth0-edge"`) and bind it in wrangler.jsonc
 * (`durable_objects.bindings` and a migration with `new_sqlite_classes`).
 */
export declare class SessionDurableObject {
  constructor(state: unknown, env: unknown);
  fetch(request: Request): Promise<Response>;
  alarm(): Promise<void>;
}

/**
 * A refresh coordinator on SessionDurableObject (the `refreshCoordinator` client option): each
 * refresh runs once per refresh token across isolates and locations, and every caller presenting
 * the same refresh token within 60 s gets its result instead of calling Auth0 (whose refresh
 * token rotation revokes the grant when a refresh token is used twice).
 */
export declare class DurableObjectRefreshCoordinator {
  constructor(namespace: DurableObjectNamespaceLike);
  run(key: string, refresh: () => Promise<string>): Promise<string>;
}

/** What DenoKvRefreshCoordinator uses of a `Deno.Kv`. */
export interface DenoKvCoordinatorLike {
  get(key: readonly unknown[]): Promise<{ value: unknown; versionstamp: string | null }>;
  set(key: readonly unknown[], value: unknown, options?: { expireIn?: number }): Promise<unknown>;
  delete(key: readonly unknown[]): Promise<unknown>;
  atomic(): {
    check(...checks: { key: readonly unknown[]; versionstamp: string | null }[]): any;
  };
}

/**
 * A refresh coordinator on Deno KV (the `refreshCoordinator` client option): each refresh runs once
 * per refresh token across every process sharing the database (an atomic claim); callers
 * presenting the same refresh token within 60 s get its result instead of calling Auth0.
 */
export declare class DenoKvRefreshCoordinator {
  constructor(kv: DenoKvCoordinatorLike);
  run(key: string, refresh: () => Promise<string>): Promise<string>;
}

/**
 * A DPoP proof replay cache on SessionDurableObject (ApiClient's `dpopReplayCache`): a proof
 * accepted in one isolate or location is refused in every other for its window.
 */
export declare class DurableObjectReplayCache {
  constructor(namespace: DurableObjectNamespaceLike);
  firstUse(key: string, ttlSeconds: number): Promise<boolean>;
}

/** A DPoP proof replay cache on Deno KV (ApiClient's `dpopReplayCache`): an atomic check-and-set. */
export declare class DenoKvReplayCache {
  constructor(kv: Pick<DenoKvCoordinatorLike, "atomic">);
  firstUse(key: string, ttlSeconds: number): Promise<boolean>;
}
