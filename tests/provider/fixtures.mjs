// Fixed test data shared by the local Auth0-compatible provider (server.mjs),
// its test helper (harness.mjs) and every test. Import constants from here only.

/** RFC 8693 grant type, as Auth0 Custom Token Exchange uses it. */
export const GRANT_TYPE_TOKEN_EXCHANGE = 'urn:ietf:params:oauth:grant-type:token-exchange';

/** The only `issued_token_type` this provider returns (Auth0 returns the same). */
export const ISSUED_TOKEN_TYPE = 'urn:ietf:params:oauth:token-type:access_token';

/**
 * Confidential test clients. Secrets deliberately contain characters that must be
 * form-urlencoded in HTTP Basic credentials (RFC 6749 §2.3.1): `+ / : % = & ?` and space.
 */
export const CLIENTS = Object.freeze({
  basic: Object.freeze({
    clientId: 'cte-basic',
    clientSecret: 'basic+Secret/with:colon%25 and space=0123456789abcdef',
    authMethod: 'client_secret_basic',
  }),
  post: Object.freeze({
    clientId: 'cte-post',
    clientSecret: 'post+Secret/with:colon%2F & amp=?0123456789abcdef',
    authMethod: 'client_secret_post',
  }),
  privateKeyJwt: Object.freeze({
    clientId: 'cte-pkjwt',
    authMethod: 'private_key_jwt',
  }),
  // Refresh token rotation with reuse detection, as Auth0 recommends: each refresh answers a new
  // refresh token and consumes the one presented; presenting a consumed one again is
  // `invalid_grant` and revokes the whole grant (every refresh token of that login).
  rotating: Object.freeze({
    clientId: 'cte-rotating',
    clientSecret: 'rotating+Secret/with:colon%25 0123456789abcdef',
    authMethod: 'client_secret_basic',
  }),
  // Has no token-exchange grant: any exchange attempt is `unauthorized_client`.
  notAllowed: Object.freeze({
    clientId: 'cte-no-exchange',
    clientSecret: 'no+Exchange/secret:%41 0123456789abcdef0123',
    authMethod: 'client_secret_basic',
  }),
  // DPoP (RFC 9449): like `basic`; a request carrying a DPoP proof gets DPoP-bound tokens
  // (`token_type: DPoP`, access token `cnf.jkt`), one without a proof gets Bearer tokens.
  dpop: Object.freeze({
    clientId: 'cte-dpop',
    clientSecret: 'dpop+Secret/with:colon%25 and space=0123456789abcdef',
    authMethod: 'client_secret_basic',
  }),
  // Like `dpop`, but the token endpoint requires a server nonce in its DPoP proofs: a proof
  // without one is 400 `use_dpop_nonce` with a `DPoP-Nonce` response header (RFC 9449 §8).
  dpopNonce: Object.freeze({
    clientId: 'cte-dpop-nonce',
    clientSecret: 'dpopNonce+Secret/with:colon%25 and space=0123456789abcdef',
    authMethod: 'client_secret_basic',
  }),
});

/**
 * DPoP proof `alg`s the token endpoint (discovery `dpop_signing_alg_values_supported`) and the
 * test API (DPOP_API_PATHS) accept.
 */
export const DPOP_SIGNING_ALGS = Object.freeze(['ES256', 'Ed25519', 'EdDSA', 'RS256', 'PS256']);

/**
 * The DPoP-protected test API served by server.mjs, relative to the issuer
 * (`new URL(DPOP_API_PATHS.plain, issuer)`). `nonce` also demands an API nonce in the proof.
 */
export const DPOP_API_PATHS = Object.freeze({ plain: '/api/dpop', nonce: '/api/dpop-nonce' });

/**
 * Introspection (RFC 7662 answer shape) of the session transfer tokens this provider issued,
 * relative to the issuer: `POST` a form with `token`; the answer is `{ active: false }` or
 * `{ active: true, client_id, sub, exp, token_type: 'N_A', cnf?: { jkt } }`. Auth0 binds a session
 * transfer token to the requesting device's IP or ASN; this provider also records the thumbprint
 * of the key whose DPoP proof it validated on the request (RFC 9449 §6), so tests can read it back.
 */
export const SESSION_TRANSFER_INTROSPECTION_PATH = '/oauth/session-transfer/introspect';

/** How far (seconds) a DPoP proof's `iat` may be from the test API's clock. */
export const DPOP_IAT_WINDOW = 60;

/** `subject_token_type` / `actor_token_type` values, one Custom Token Exchange profile each. */
export const TOKEN_TYPES = Object.freeze({
  LEGACY: 'urn:acme:legacy-token',
  EXTERNAL_JWT: 'urn:acme:external-jwt',
  ACCESS_TOKEN: 'urn:ietf:params:oauth:token-type:access_token',
  ID_TOKEN: 'urn:ietf:params:oauth:token-type:id_token',
});

/** What Auth0 issues for an exchange whose audience is `urn:{host}:session_transfer`. */
export const SESSION_TRANSFER_TOKEN_TYPE = 'urn:auth0:params:oauth:token-type:session_transfer_token';

/**
 * The tenant's users. `externalSub` is the user's `sub` at the external IdP
 * (an external JWT may carry either `externalSub` or the Auth0 `sub`).
 */
export const USERS = Object.freeze({
  alice: Object.freeze({
    sub: 'auth0|alice',
    externalSub: 'ext-alice',
    name: 'Alice Liddell',
    nickname: 'alice',
    email: 'alice@example.com',
    email_verified: true,
  }),
  bob: Object.freeze({
    sub: 'auth0|bob',
    externalSub: 'ext-bob',
    name: 'Bob Builder',
    nickname: 'bob',
    email: 'bob@example.com',
    email_verified: true,
  }),
  carol: Object.freeze({
    sub: 'auth0|carol',
    externalSub: 'ext-carol',
    name: 'Carol Danvers',
    nickname: 'carol',
    email: 'carol@example.com',
    email_verified: false,
  }),
  // A fat profile: a 9 KB `picture` data URL makes the ID token (and a cookie session) span
  // several 3 KB cookie chunks.
  dave: Object.freeze({
    sub: 'auth0|dave',
    externalSub: 'ext-dave',
    name: 'Dave Large',
    nickname: 'dave',
    email: 'dave@example.com',
    email_verified: true,
    picture: `data:image/svg+xml;base64,${'PHN2Zy8+'.repeat(1125)}`,
  }),
});

/** Opaque legacy tokens (profile `urn:acme:legacy-token`) → user `sub`. */
export const LEGACY_TOKENS = Object.freeze({
  'legacy-alice': 'auth0|alice',
  'legacy-bob': 'auth0|bob',
  'legacy-carol': 'auth0|carol',
  'legacy-dave': 'auth0|dave',
});

/**
 * Organizations, keyed by id. The `organization` parameter accepts the id or the name.
 * Unknown organization → `invalid_request`; user not a member → `invalid_grant`.
 */
export const ORGANIZATIONS = Object.freeze({
  org_acme: Object.freeze({
    id: 'org_acme',
    name: 'acme',
    display_name: 'Acme Corp',
    members: Object.freeze(['auth0|alice', 'auth0|bob']),
  }),
  org_other: Object.freeze({
    id: 'org_other',
    name: 'other',
    display_name: 'Other Inc',
    members: Object.freeze(['auth0|carol']),
  }),
});

/** The one API registered in the tenant, and the scopes it defines. */
export const AUDIENCE = 'https://api.example.com';
export const API_SCOPES = Object.freeze(['read:data', 'write:data']);
/** A second API, downstream of the first: what an API exchanges a caller's token for (on behalf of). */
export const DOWNSTREAM_AUDIENCE = 'https://downstream.example.com';
export const APIS = Object.freeze({
  [AUDIENCE]: Object.freeze({ identifier: AUDIENCE, scopes: API_SCOPES }),
  [DOWNSTREAM_AUDIENCE]: Object.freeze({ identifier: DOWNSTREAM_AUDIENCE, scopes: Object.freeze(['read:orders']) }),
});

/** OpenID Connect scopes the tenant grants to any client. */
export const OIDC_SCOPES = Object.freeze(['openid', 'profile', 'email', 'offline_access']);

/** Issuer of JWTs accepted by the `urn:acme:external-jwt` profile. */
export const EXTERNAL_ISSUER = 'https://external-idp.example/';

/** Lifetimes (seconds). */
export const ACCESS_TOKEN_TTL = 3600;
/** Access token lifetime of the rotating client (cte-rotating), in seconds. */
export const ROTATING_ACCESS_TOKEN_TTL = 35;
export const ID_TOKEN_TTL = 3600;
export const REFRESH_TOKEN_TTL = 14 * 24 * 3600;

/** Env var server.mjs reads its public keys from: JSON `{"clientJwk":{...},"externalJwk":{...}}`. */
export const KEYS_ENV = 'AUTH0_EDGE_PROVIDER_KEYS';
