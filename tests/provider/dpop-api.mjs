// A small DPoP-protected API (RFC 9449 §7) served by the test provider (server.mjs), so that a
// DPoP client can be tested end to end: the provider issues DPoP-bound access tokens, this API
// checks them the way a resource server must.
//
//   GET|POST /api/dpop          Authorization: DPoP <access token>, DPoP: <proof>
//   GET|POST /api/dpop-nonce    the same, and the proof must carry this API's nonce
//
// 200 {sub, client_id, aud, scope, jkt, method, htu, ath_ok: true, nonce_ok}; 401 with a
// `WWW-Authenticate: DPoP …` challenge (and a JSON {error, error_description} body) otherwise.

import * as crypto from 'node:crypto';

import * as jose from 'jose';

import { DPOP_API_PATHS, DPOP_IAT_WINDOW } from './fixtures.mjs';

const NONCE_ROTATE_S = 150; // a fresh nonce after this long
const NONCE_TTL_S = 300; // an API nonce is accepted this long after it was issued
const JWT_RE = /^[\w-]+\.[\w-]+\.[\w-]+$/;

const now = () => Math.floor(Date.now() / 1000);
const sha256 = (value) => crypto.createHash('sha256').update(value).digest('base64url');

class ApiError extends Error {
  constructor(status, error, description, headers) {
    super(description);
    Object.assign(this, {
      status, error, description, headers,
    });
  }
}

/**
 * Koa middleware (mounted with provider.use, so it runs before oidc-provider's routes).
 * @param {{ issuer: string, keys: Function, audience: string, algorithms: readonly string[] }} options
 *   keys: a jose key set (createLocalJWKSet) with the provider's public signing keys.
 */
export function dpopApi({
  issuer, keys, audience, algorithms,
}) {
  const paths = new Set(Object.values(DPOP_API_PATHS));
  const algs = algorithms.join(' ');

  // API nonces: value -> issued at. The newest one is handed out; any unexpired one passes.
  const nonces = new Map();
  function currentNonce() {
    const t = now();
    for (const [value, issued] of nonces) if (t - issued > NONCE_TTL_S) nonces.delete(value);
    const newest = [...nonces].at(-1);
    if (newest && t - newest[1] < NONCE_ROTATE_S) return newest[0];
    const value = crypto.randomBytes(24).toString('base64url');
    nonces.set(value, t);
    return value;
  }
  const nonceValid = (value) => typeof value === 'string' && nonces.has(value)
    && now() - nonces.get(value) <= NONCE_TTL_S;

  // seen proofs: `${jkt} ${jti}` -> forget after (iat window passed)
  const seen = new Map();
  function replayed(key) {
    const t = now();
    for (const [k, until] of seen) if (until < t) seen.delete(k);
    if (seen.has(key)) return true;
    seen.set(key, t + 2 * DPOP_IAT_WINDOW + 1);
    return false;
  }

  const challenge = (error, description) => [
    'DPoP',
    [
      error ? `error="${error}"` : undefined,
      description ? `error_description="${description.replace(/["\\]/g, "'")}"` : undefined,
      `algs="${algs}"`,
    ].filter(Boolean).join(', '),
  ].join(' ');

  async function verifyAccessToken(token) {
    if (!JWT_RE.test(token)) {
      throw new ApiError(401, 'invalid_token', 'access token must be a JWT issued for this API');
    }
    try {
      const { payload } = await jose.jwtVerify(token, keys, {
        issuer,
        audience,
        algorithms: ['RS256'],
        typ: 'at+jwt',
        requiredClaims: ['exp', 'sub'],
      });
      return payload;
    } catch (err) {
      throw new ApiError(401, 'invalid_token', `access token is invalid: ${err.code === 'ERR_JWT_EXPIRED' ? 'expired' : err.message}`);
    }
  }

  async function verifyProof(ctx, proof, accessToken, { requireNonce }) {
    const bad = (description) => new ApiError(401, 'invalid_dpop_proof', description);
    if (!proof) throw bad('DPoP proof missing (DPoP request header)');
    if (!JWT_RE.test(proof)) throw bad('the DPoP header must hold exactly one proof JWT');
    let payload;
    let protectedHeader;
    try {
      ({ payload, protectedHeader } = await jose.jwtVerify(proof, jose.EmbeddedJWK, {
        typ: 'dpop+jwt',
        algorithms: [...algorithms],
      }));
    } catch (err) {
      throw bad(`DPoP proof signature, typ, alg or jwk invalid: ${err.message}`);
    }
    const { jwk } = protectedHeader;
    if (jwk.d !== undefined || jwk.k !== undefined) throw bad('DPoP proof jwk must be a public key');
    if (typeof payload.jti !== 'string' || !payload.jti) throw bad('DPoP proof must have a jti string');
    if (payload.htm !== ctx.method) throw bad('DPoP proof htm mismatch');
    const htu = typeof payload.htu === 'string' ? URL.parse(payload.htu) : null;
    if (htu) { htu.search = ''; htu.hash = ''; }
    const expectedHtu = new URL(ctx.path, issuer).href;
    if (htu?.href !== expectedHtu) throw bad(`DPoP proof htu mismatch: expected ${expectedHtu}`);
    if (typeof payload.iat !== 'number' || Math.abs(now() - payload.iat) > DPOP_IAT_WINDOW) {
      throw bad(`DPoP proof iat must be within ${DPOP_IAT_WINDOW} s of now`);
    }
    if (payload.ath !== sha256(accessToken)) throw bad('DPoP proof ath mismatch');
    if (payload.nonce !== undefined && typeof payload.nonce !== 'string') throw bad('DPoP proof nonce must be a string');
    if (requireNonce && !nonceValid(payload.nonce)) {
      throw new ApiError(
        401,
        'use_dpop_nonce',
        payload.nonce ? 'DPoP proof nonce is invalid or expired' : 'DPoP proof must carry a nonce',
        { 'DPoP-Nonce': currentNonce() },
      );
    }
    const jkt = await jose.calculateJwkThumbprint(jwk, 'sha256');
    return { payload, jkt };
  }

  async function handle(ctx) {
    const authorization = ctx.get('authorization');
    if (!authorization) throw new ApiError(401, undefined, 'no access token (Authorization: DPoP <token>)');
    const match = /^(\S+) +(\S+)$/.exec(authorization);
    if (!match) throw new ApiError(401, 'invalid_request', 'malformed Authorization header');
    const [, scheme, token] = match;

    if (scheme.toLowerCase() === 'bearer') {
      // RFC 9449 §7.2: a DPoP-bound token must not be accepted as a bearer token.
      let bound = false;
      try { bound = !!jose.decodeJwt(token).cnf?.jkt; } catch { /* not a JWT */ }
      throw new ApiError(401, 'invalid_token', bound
        ? 'DPoP-bound access token presented with the Bearer scheme'
        : 'this API requires a DPoP-bound access token and the DPoP scheme');
    }
    if (scheme.toLowerCase() !== 'dpop') {
      throw new ApiError(401, 'invalid_request', `unsupported authorization scheme ${scheme}`);
    }

    const claims = await verifyAccessToken(token);
    if (typeof claims.cnf?.jkt !== 'string') {
      throw new ApiError(401, 'invalid_token', 'access token is not DPoP-bound (no cnf.jkt)');
    }
    const requireNonce = ctx.path === DPOP_API_PATHS.nonce;
    const { payload, jkt } = await verifyProof(ctx, ctx.get('dpop'), token, { requireNonce });
    if (jkt !== claims.cnf.jkt) {
      throw new ApiError(401, 'invalid_dpop_proof', 'DPoP proof key does not match the access token cnf.jkt');
    }
    if (replayed(`${jkt} ${payload.jti}`)) throw new ApiError(401, 'invalid_dpop_proof', 'DPoP proof jti replayed');

    if (requireNonce && payload.nonce !== currentNonce()) ctx.set('DPoP-Nonce', currentNonce());
    ctx.status = 200;
    ctx.body = {
      sub: claims.sub,
      client_id: claims.client_id,
      aud: claims.aud,
      scope: claims.scope,
      jkt,
      method: ctx.method,
      htu: payload.htu,
      ath_ok: true,
      nonce_ok: requireNonce ? true : undefined,
    };
  }

  return async function dpopApiMiddleware(ctx, next) {
    if (!paths.has(ctx.path)) return next();

    const origin = ctx.get('origin');
    ctx.set('Access-Control-Allow-Origin', origin || '*');
    ctx.vary('Origin');
    ctx.set('Access-Control-Expose-Headers', 'WWW-Authenticate, DPoP-Nonce');
    ctx.set('Cache-Control', 'no-store');

    if (ctx.method === 'OPTIONS') {
      ctx.set('Access-Control-Allow-Methods', 'GET, POST');
      ctx.set('Access-Control-Allow-Headers', 'Authorization, DPoP, Content-Type');
      ctx.set('Access-Control-Max-Age', '3600');
      ctx.status = 204;
      return undefined;
    }
    if (ctx.method !== 'GET' && ctx.method !== 'POST') {
      ctx.set('Allow', 'GET, POST, OPTIONS');
      ctx.status = 405;
      ctx.body = { error: 'invalid_request', error_description: `method ${ctx.method} not allowed` };
      return undefined;
    }

    try {
      await handle(ctx);
    } catch (err) {
      if (!(err instanceof ApiError)) throw err;
      ctx.status = err.status;
      ctx.set('WWW-Authenticate', challenge(err.error, err.error ? err.description : undefined));
      for (const [name, value] of Object.entries(err.headers ?? {})) ctx.set(name, value);
      ctx.body = { error: err.error ?? 'invalid_token', error_description: err.description };
    }
    return undefined;
  };
}
