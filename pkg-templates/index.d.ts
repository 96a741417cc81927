// Types of the auth0-edge package. Hand-written (wasm-bindgen's own .d.ts types options as `any`).

/** The store interface a ServerClient persists sealed sessions through. Stores only see the sealed string. */
export interface StateStore {
  get(identifier: string, storeOptions?: unknown): Promise<string | null | undefined>;
  set(identifier: string, value: string, removeIfExists: boolean, storeOptions?: unknown): Promise<void>;
  delete(identifier: string, storeOptions?: unknown): Promise<void>;
}

export type ClientAuthMethod = "client_secret_basic" | "client_secret_post" | "private_key_jwt";
export type ClientAssertionSigningAlg = "RS256" | "PS256" | "ES256";

export interface ServerClientOptions {
  /** "tenant.eu.auth0.com" (https implied) or "https://tenant.eu.auth0.com"; http:// only for loopback hosts. */
  domain: string;
  clientId: string;
  clientSecret?: string;
  /** Default: client_secret_basic when clientSecret is set, else private_key_jwt when a signing key is set. */
  clientAuthMethod?: ClientAuthMethod;
  /** For private_key_jwt: a PKCS#8 PEM string or a WebCrypto CryptoKey with the "sign" usage. */
  clientAssertionSigningKey?: CryptoKey | string;
  /** Default "RS256". */
  clientAssertionSigningAlg?: ClientAssertionSigningAlg;
  /** Session secret(s), each at least 32 characters: the first seals, all open. */
  secret: string | string[];
  stateStore?: StateStore;
  /** Default "_a0_session". */
  stateIdentifier?: string;
  /** Absolute session lifetime in seconds. Default 259200 (3 days). */
  sessionDuration?: number;
  /** Per HTTP request, body included. Default 5000. */
  timeoutMs?: number;
  /** Default globalThis.fetch. */
  fetch?: typeof fetch;
  /** Send the Auth0-Client telemetry header. Default true. */
  telemetry?: boolean;
}

/** Values of authorizationParams: arrays are sent as repeated keys (at most 20 values). */
export type AuthorizationParamValue = string | number | boolean | readonly string[] | null | undefined;

export interface CustomTokenExchangeOptions {
  /** The token to exchange, exactly as issued (no "Bearer " prefix). */
  subjectToken: string;
  /** A URN naming the subject token's type, e.g. "urn:acme:legacy-token" or a TokenType value. */
  subjectTokenType: string;
  audience?: string;
  scope?: string;
  /** For delegation: the acting party's token. Requires actorTokenType. */
  actorToken?: string;
  actorTokenType?: string;
  organization?: string;
  /** Extra token endpoint parameters. grant_type, client_id, client credentials, subject_token(_type) and actor_token(_type) can never be set here. */
  authorizationParams?: Record<string, AuthorizationParamValue>;
}

/** The `act` claim (RFC 8693 §4.1): who acts on behalf of the subject, nested for delegation chains. */
export interface ActClaim {
  sub: string;
  act?: ActClaim;
  [claim: string]: unknown;
}

export interface TokenExchangeResponse {
  accessToken: string;
  /** "Bearer" unless the server says otherwise. */
  tokenType: string;
  /** Seconds. */
  expiresIn: number;
  scope?: string;
  idToken?: string;
  refreshToken?: string;
  issuedTokenType?: string;
  /** From the verified ID token, when an actor token was sent. */
  act?: ActClaim;
}

/** The session's user: the ID token's claims as issued, minus protocol claims (aud, exp, iat, nbf, nonce, azp, at_hash, c_hash, s_hash, jti). */
export interface SessionUser {
  sub: string;
  sid?: string;
  org_id?: string;
  /** Who acts on behalf of the user, for a delegated login. */
  act?: ActClaim;
  [claim: string]: unknown;
}

export interface SessionTokenSet {
  /** The `audience` option of the login or of getAccessToken, or "default". */
  audience: string;
  accessToken: string;
  scope: string;
  /** Seconds since the epoch. */
  expiresAt: number;
}

export interface SessionData {
  /** null when no ID token came back. */
  user: SessionUser | null;
  idToken?: string;
  refreshToken?: string;
  tokenSets: SessionTokenSet[];
  /** The tenant's host[:port]. */
  domain?: string;
}

export interface StateData extends SessionData {
  internal: { sid: string; createdAt: number };
}

export interface GetAccessTokenOptions {
  /** Default "default": the token set of a login without an audience. */
  audience?: string;
  /** Scopes the token must carry (space-separated). */
  scope?: string;
}

export interface LogoutOptions {
  /** Where Auth0 sends the browser after logout. */
  returnTo?: string;
}

export declare class ServerClient {
  /** @throws {ConfigurationError} */
  constructor(options: ServerClientOptions);
  /** @throws {CustomTokenExchangeError | ConfigurationError} (as a rejection) */
  customTokenExchange(options: CustomTokenExchangeOptions, storeOptions?: unknown): Promise<TokenExchangeResponse>;
  /**
   * Exchanges tokens and opens a sealed session in the state store. The ID token is verified first;
   * a failure writes no session.
   * @throws {CustomTokenExchangeError | ConfigurationError | IdTokenError | StoreError} (as a rejection)
   */
  loginWithCustomTokenExchange(options: CustomTokenExchangeOptions, storeOptions?: unknown): Promise<{ stateData: StateData }>;
  /** The session, or undefined when absent, unreadable or expired. @throws {StoreError} */
  getSession(storeOptions?: unknown): Promise<SessionData | undefined>;
  /** The session's user, or undefined. @throws {StoreError} */
  getUser(storeOptions?: unknown): Promise<SessionUser | undefined>;
  /**
   * An access token from the session, refreshed through Auth0 (and stored) when it has 30 s or less left.
   * @throws {AccessTokenError | StoreError} (as a rejection)
   */
  getAccessToken(storeOptions?: unknown, options?: GetAccessTokenOptions): Promise<string>;
  /** Deletes the session and resolves to the tenant's logout URL. @throws {StoreError} */
  logout(storeOptions?: unknown, options?: LogoutOptions): Promise<string>;
}

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
  | "configuration_error";

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
  /** Cookie name prefix: chunks are `<cookieName>_0`, `<cookieName>_1`, ... Default: the client's stateIdentifier. */
  cookieName?: string;
  /** Max-Age of the cookies, in seconds. Default 259200 (3 days). */
  maxAge?: number;
}

export interface KvStoreOptions extends CookieAttributeOptions {
  /** Name of the session id cookie. Default: the client's stateIdentifier. */
  cookieName?: string;
  /** Lifetime of the stored session and Max-Age of the cookie, in seconds. Default 259200 (3 days); KvStore requires at least 60. */
  ttlSeconds?: number;
}

export type DenoKvStoreOptions = KvStoreOptions;

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
 * The default store: sessions in a Map of this isolate, keyed by identifier only, so every request
 * the isolate serves shares one session. For tests, scripts and single-user tools.
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
}
