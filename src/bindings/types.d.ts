/** The store interface a ServerClient persists sealed sessions through. Stores only see the sealed string. */
export interface StateStore<TStoreOptions = unknown> {
  /** The sealed session stored under `identifier`, if any. */
  get(identifier: string, storeOptions: TStoreOptions): Promise<string | null | undefined>;
  /** Stores `value`; with `removeIfExists` (a login) a store may move the session to a new key. */
  set(identifier: string, value: string, removeIfExists: boolean, storeOptions: TStoreOptions): Promise<void>;
  /** Deletes the session under `identifier`. */
  delete(identifier: string, storeOptions: TStoreOptions): Promise<void>;
  /**
   * Optional: throws (or rejects) when `storeOptions` cannot serve a read, or with `forWrite` a
   * write. Called before any request of a session method, so that a forgotten option is a
   * ConfigurationError "invalid_store_options" before any token is minted.
   */
  checkOptions?(storeOptions: TStoreOptions, forWrite: boolean): void | Promise<void>;
}

/**
 * Runs a refresh at most once per key within a window: the first caller's `refresh()` performs
 * it, and every caller with the key in the window gets its result (a token set sealed with the
 * session secret; the key is derived from the refresh token under that secret).
 */
export interface RefreshCoordinator {
  run(key: string, refresh: () => Promise<string>): Promise<string>;
}

export type ClientAuthMethod = "client_secret_basic" | "client_secret_post" | "private_key_jwt";
export type ClientAssertionSigningAlg = "RS256" | "PS256" | "ES256";

export interface ServerClientOptions<TStoreOptions = unknown> {
  /**
   * "tenant.eu.auth0.com" (https implied) or "https://tenant.eu.auth0.com"; http:// only for
   * loopback hosts. Or, for several custom domains of one tenant, a function of the store options
   * answering the domain (or a Promise of it), called once per operation that needs the tenant:
   * discovery, keys and the issuer check are per resolved domain, and a session sealed under one
   * domain is not read under another. A function needs `allowedDomains`.
   */
  domain: string | ((storeOptions: TStoreOptions) => string | Promise<string>);
  /**
   * Required with a `domain` function: the tenant domains it may answer, each written as `domain`
   * is (compared without case, trailing slash or default port). An answer outside the list is a
   * ConfigurationError "domain_not_allowed" before any request, so a function fed a request's Host
   * can never send the client's credentials or a token to a host an attacker chose. Without it a
   * `domain` function is a ConfigurationError "missing_allowed_domains" at construction.
   */
  allowedDomains?: string[];
  /**
   * Where buildSessionTransferRedirect may send the browser: origins ("https://web.example.com"),
   * compared without case, trailing slash or default port. Unset: any https origin (http only for
   * loopback hosts). A target elsewhere is a ConfigurationError "invalid_parameter".
   */
  allowedRedirectOrigins?: string[];
  /** The application's client id. */
  clientId: string;
  /** The application's client secret, for client_secret_basic or client_secret_post. */
  clientSecret?: string;
  /** Default: client_secret_basic when clientSecret is set, else private_key_jwt when a signing key is set. */
  clientAuthMethod?: ClientAuthMethod;
  /** For private_key_jwt: a PKCS#8 PEM string or a WebCrypto CryptoKey with the "sign" usage. */
  clientAssertionSigningKey?: CryptoKey | string;
  /** Default "RS256". */
  clientAssertionSigningAlg?: ClientAssertionSigningAlg;
  /** Session secret(s), each at least 32 characters: the first seals, all open. */
  secret: string | string[];
  /**
   * Where sessions live: CookieStore, KvStore, DenoKvStore or your own. Required by every session
   * method (loginWithCustomTokenExchange, getSession, getUser, getAccessToken, logout), which
   * otherwise reject with ConfigurationError "missing_state_store"; customTokenExchange needs none.
   */
  stateStore?: StateStore<TStoreOptions>;
  /**
   * Makes a refresh idempotent per refresh token across isolates and locations (with Auth0's
   * refresh token rotation, a refresh token sent twice revokes the user's grant): e.g.
   * `new DurableObjectRefreshCoordinator(env.SESSION_OBJECTS)`. Default: within this isolate.
   */
  refreshCoordinator?: RefreshCoordinator;
  /**
   * When the coordinator fails before a refresh begins: true refreshes within this isolate
   * instead of failing with AccessTokenError "refresh_token_error" (availability over the
   * cross-isolate guarantee: two isolates may then present one refresh token). Default false.
   */
  refreshCoordinatorFallback?: boolean;
  /**
   * A DPoP key pair (RFC 9449): ECDSA P-256 (ES256) or RSA (RS256, PS256) WebCrypto keys, the
   * private key with usage "sign" (non-extractable is fine), e.g.
   * `await crypto.subtle.generateKey({ name: "ECDSA", namedCurve: "P-256" }, false, ["sign", "verify"])`.
   * Every token call (exchange, login, session transfer, refresh) then sends a DPoP proof and
   * gets tokens bound to the key (`tokenType` "DPoP"); a server's nonce challenge is answered by
   * one retry; a `Bearer` answer is `CustomTokenExchangeError` `invalid_response`.
   */
  dpopKeyPair?: CryptoKeyPair;
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
  /** The token to exchange, exactly as issued (no "Bearer " prefix), at most 64 KiB. */
  subjectToken: string;
  /** A URN naming the subject token's type, e.g. "urn:acme:legacy-token" or a TokenType value. */
  subjectTokenType: string;
  /** The API the access token is for. */
  audience?: string;
  /** Space-separated scopes. loginWithCustomTokenExchange adds "openid" when it is missing, so a session always has a user. */
  scope?: string;
  /** For delegation: the acting party's token (at most 64 KiB). Requires actorTokenType. */
  actorToken?: string;
  /** The actor token's type URN. Requires actorToken. */
  actorTokenType?: string;
  /** An Auth0 organization id or name. */
  organization?: string;
  /** The token type asked for (sent as requested_token_type), e.g. TokenType.JWT; a non-blank string. */
  requestedTokenType?: string;
  /**
   * Extra token endpoint parameters (each value at most 8 KiB, 64 KiB in all). grant_type,
   * client_id, client credentials, subject_token(_type), actor_token(_type) and
   * requested_token_type can never be set here.
   */
  authorizationParams?: Record<string, AuthorizationParamValue>;
}

/** The `act` claim (RFC 8693 §4.1): who acts on behalf of the subject, nested for delegation chains. */
export interface ActClaim {
  /** The acting party. */
  sub: string;
  /** Who it acts for in turn, for a delegation chain. */
  act?: ActClaim;
  [claim: string]: unknown;
}

export interface TokenExchangeResponse {
  /** The access token Auth0 issued. */
  accessToken: string;
  /** "Bearer" unless the server says otherwise. */
  tokenType: string;
  /** Lifetime of the access token in seconds; undefined when the server did not send one (RFC 8693 §2.2.1 makes it optional). */
  expiresIn?: number;
  /** The granted scopes, when the server says. */
  scope?: string;
  /** An ID token, when "openid" was asked for. */
  idToken?: string;
  /** A refresh token, when "offline_access" was asked for (and no actor token was sent). */
  refreshToken?: string;
  /** The issued token's type URN (RFC 8693). */
  issuedTokenType?: string;
  /** When an actor token was sent: from the verified ID token, or without one from the access token once verified with the tenant's keys. */
  act?: ActClaim;
}

/** The session's user: the ID token's claims as issued, minus protocol claims (aud, exp, iat, nbf, nonce, azp, at_hash, c_hash, s_hash, jti). */
export interface SessionUser {
  /** The user's id. */
  sub: string;
  /** The Auth0 session id. */
  sid?: string;
  /** The organization of an organization login. */
  org_id?: string;
  /** Who acts on behalf of the user, for a delegated login. */
  act?: ActClaim;
  [claim: string]: unknown;
}

export interface SessionTokenSet {
  /** The `audience` option of the login or of getAccessToken, or "default". */
  audience: string;
  /** The access token for that audience. */
  accessToken: string;
  /** Its scopes, space-separated. */
  scope: string;
  /** Seconds since the epoch. */
  expiresAt: number;
  /** "DPoP" for a token bound to the client's `dpopKeyPair`, else "Bearer". */
  tokenType: string;
}

export interface SessionData {
  /** null when no ID token came back. */
  user: SessionUser | null;
  /** The verified ID token of the login. */
  idToken?: string;
  /** The refresh token, when one was issued (offline_access, no actor). */
  refreshToken?: string;
  /** One access token per audience. */
  tokenSets: SessionTokenSet[];
  /** The tenant's host[:port]. */
  domain?: string;
}

export interface StateData extends SessionData {
  /** The session id (the ID token's sid, else random) and its creation time in seconds. */
  internal: { sid: string; createdAt: number };
}

export interface GetAccessTokenOptions {
  /** Default "default": the token set of a login without an audience. */
  audience?: string;
  /** Scopes the token must carry (space-separated). */
  scope?: string;
}

/** What getAccessToken answers: one of the session's token sets. */
export interface TokenSet {
  /** The access token, valid for more than 30 s. */
  accessToken: string;
  /** The API it is for ("default" for a login without an audience). */
  audience: string;
  /** Its scopes, space-separated. */
  scope: string;
  /** When it expires, in seconds since the epoch. */
  expiresAt: number;
  /** "DPoP" for a token bound to the client's `dpopKeyPair` (send it with a proof), else "Bearer". */
  tokenType: string;
}

export interface SessionTransferOptions {
  /** The token to exchange, exactly as issued (no "Bearer " prefix). */
  subjectToken: string;
  /** A URN naming the subject token's type. */
  subjectTokenType: string;
  /** Default: the current session's ID token, as urn:ietf:params:oauth:token-type:id_token. */
  actorToken?: string;
  /** Required with actorToken. */
  actorTokenType?: string;
  /** Space-separated scopes. */
  scope?: string;
  /** An Auth0 organization id or name; not blank. */
  organization?: string;
}

/** What requestSessionTransferToken answers. */
export interface SessionTransferResult {
  /** The session transfer token (the exchange's access_token). */
  sessionTransferToken: string;
  /** As the server sent it ("" when it did not), e.g. urn:auth0:params:oauth:token-type:session_transfer_token. */
  issuedTokenType: string;
  /** Seconds, when the server says. */
  expiresIn?: number;
  /** As the server sent it. */
  tokenType?: string;
  /** The granted scopes, when the server says. */
  scope?: string;
}

export interface LogoutOptions {
  /** Where Auth0 sends the browser after logout (post_logout_redirect_uri, or returnTo on /v2/logout). */
  returnTo?: string;
  /** Also log out of the upstream identity provider (/v2/logout's federated; not part of OIDC logout). */
  federated?: boolean;
}

export interface DPoPHeadersOptions {
  /** The API's URL (its query and fragment are not part of the proof's `htu`). */
  url: string;
  /** The request's method. Default "GET". */
  method?: string;
  /** A DPoP-bound access token, e.g. getAccessToken's. */
  accessToken: string;
}

/** Headers for fetch: `Authorization: DPoP <token>` and a fresh proof for the request. */
export interface DPoPHeaders {
  Authorization: string;
  DPoP: string;
}

/** Options of `new ApiClient(...)`: the API's side (verifying the access tokens it is presented). */
export interface ApiClientOptions {
  /** The tenant: "your-tenant.eu.auth0.com" or "https://your-tenant.eu.auth0.com" (http only for loopback hosts). Required unless `allowedDomains` is given. */
  domain?: string;
  /** Instead of `domain`, for an API trusting several tenants (or custom domains): a token's `iss` must be one of theirs, whose keys then verify it. */
  allowedDomains?: readonly string[];
  /** The API's identifier (its Auth0 `audience`): a token's `aud` must contain it. */
  audience: string;
  /** A fetch to use instead of globalThis.fetch (discovery and JWKS). */
  fetch?: (input: Request | string | URL, init?: RequestInit) => Promise<Response>;
  /** Per request to the tenant, in ms. Default 5000. */
  timeoutMs?: number;
  /** Clock skew allowed on `exp`, `iat` and `nbf`, in seconds (0 to 600). Default 60. */
  leeway?: number;
  /** For getTokenOnBehalfOf: the API's own application at the tenant (allowed the token-exchange grant). */
  clientId?: string;
  /** Its client secret (client_secret_basic). */
  clientSecret?: string;
  /** Or its private_key_jwt key: a PKCS#8 PEM or a private CryptoKey. */
  clientAssertionSigningKey?: string | CryptoKey;
  /**
   * DPoP proofs accepted by other isolates too: `firstUse(key, ttlSeconds)` resolves to true the
   * first time it sees `key` (and keeps it `ttlSeconds`), false after; e.g. the package's
   * DurableObjectReplayCache or DenoKvReplayCache. Without it, each isolate remembers its own.
   */
  dpopReplayCache?: { firstUse(key: string, ttlSeconds: number): Promise<boolean> };
}

/** Options of `getTokenOnBehalfOf`. */
export interface OnBehalfOfOptions {
  /** The downstream API's identifier: the audience of the token asked for. */
  audience: string;
  /** Space-separated scopes to ask for. */
  scope?: string;
}

export interface VerifyAccessTokenOptions {
  /** The access token as presented, without its scheme ("Bearer"). */
  accessToken: string;
  /** Claims that must be present (any value), beyond iss, aud, exp and iat, which always are. */
  requiredClaims?: readonly string[];
  /** Scopes the token must grant, each in its `scope` or its `permissions` (Auth0 RBAC); missing one is `insufficient_scope` (403). */
  scopes?: readonly string[];
  /** How the token was presented: "Bearer" (the default) or "DPoP", without case. */
  scheme?: string;
  /** With the DPoP scheme: the request's `DPoP` header (the proof). */
  dpopProof?: string;
  /** With the DPoP scheme: the request's method (the proof's `htm`). */
  httpMethod?: string;
  /** With the DPoP scheme: the request's URL (the proof's `htu`, compared without query and fragment). */
  httpUrl?: string;
}

/** Options of `verifyRequest`: the token, its scheme and proof, the method and URL come from the request. */
export interface VerifyRequestOptions {
  /** Claims that must be present (any value), beyond iss, aud, exp and iat, which always are. */
  requiredClaims?: readonly string[];
  /** Scopes the token must grant, each in its `scope` or its `permissions` (Auth0 RBAC). */
  scopes?: readonly string[];
}

/** The claims of a verified access token, as issued (RFC 9068). */
export interface VerifiedAccessTokenClaims {
  iss: string;
  sub?: string;
  aud: string | string[];
  exp: number;
  iat: number;
  scope?: string;
  permissions?: string[];
  /** The key a DPoP-bound token is bound to. */
  cnf?: { jkt?: string };
  [claim: string]: unknown;
}
