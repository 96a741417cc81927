// Small HTTP helpers shared by the *.test.mjs files (plain fetch, no OAuth library).
import assert from 'node:assert/strict';
import * as crypto from 'node:crypto';

import * as jose from 'jose';

import { CLIENTS, GRANT_TYPE_TOKEN_EXCHANGE } from './fixtures.mjs';

/** RFC 6749 §2.3.1: client_id / client_secret are form-urlencoded before Base64. */
export function basicAuthorization(clientId, clientSecret) {
  const enc = (s) => new URLSearchParams({ s }).toString().slice(2);
  return `Basic ${Buffer.from(`${enc(clientId)}:${enc(clientSecret)}`).toString('base64')}`;
}

/** A private_key_jwt client assertion for the cte-pkjwt client. */
export async function clientAssertion(provider, { audience = provider.issuer, key } = {}) {
  const now = Math.floor(Date.now() / 1000);
  const signingKey = key ?? await jose.importPKCS8(provider.clientPrivateKeyPem, 'RS256');
  return new jose.SignJWT({})
    .setProtectedHeader({ alg: 'RS256', kid: provider.clientPrivateJwk.kid })
    .setIssuer(CLIENTS.privateKeyJwt.clientId)
    .setSubject(CLIENTS.privateKeyJwt.clientId)
    .setAudience(audience)
    .setIssuedAt(now)
    .setExpirationTime(now + 60)
    .setJti(crypto.randomUUID())
    .sign(signingKey);
}

/**
 * POSTs `params` to the token endpoint, authenticating as CLIENTS[client].
 * @returns {Promise<{ status: number, headers: Headers, body: any }>}
 */
export async function tokenRequest(provider, params, { client = 'basic', headers = {} } = {}) {
  const form = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined) form.append(k, v);
  const h = { 'content-type': 'application/x-www-form-urlencoded', ...headers };
  const c = CLIENTS[client] ?? client;
  switch (c.authMethod) {
    case 'client_secret_basic':
      h.authorization = basicAuthorization(c.clientId, c.clientSecret);
      break;
    case 'client_secret_post':
      form.set('client_id', c.clientId);
      form.set('client_secret', c.clientSecret);
      break;
    case 'private_key_jwt':
      form.set('client_id', c.clientId);
      form.set('client_assertion_type', 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer');
      form.set('client_assertion', await clientAssertion(provider));
      break;
    default:
      throw new Error(`unknown client auth method ${c.authMethod}`);
  }
  const res = await fetch(provider.tokenEndpoint, { method: 'POST', headers: h, body: form });
  const text = await res.text();
  let body;
  try { body = JSON.parse(text); } catch { body = text; }
  return { status: res.status, headers: res.headers, body };
}

/** A token-exchange request (grant_type added). */
export function exchange(provider, params, options) {
  return tokenRequest(provider, { grant_type: GRANT_TYPE_TOKEN_EXCHANGE, ...params }, options);
}

const jwksCache = new Map();
/** Verifies a JWT issued by the provider against its published JWKS. */
export async function verifyProviderJwt(provider, jwt, options = {}) {
  if (!jwksCache.has(provider.jwksUri)) {
    jwksCache.set(provider.jwksUri, jose.createRemoteJWKSet(new URL(provider.jwksUri)));
  }
  return jose.jwtVerify(jwt, jwksCache.get(provider.jwksUri), {
    issuer: provider.issuer,
    algorithms: ['RS256'],
    ...options,
  });
}

export const decodeJwt = (jwt) => jose.decodeJwt(jwt);
export const decodeHeader = (jwt) => jose.decodeProtectedHeader(jwt);

/** A 200 answer's body (the status asserted). */
export function ok(res) {
  assert.equal(res.status, 200, JSON.stringify(res.body));
  return res.body;
}

/** An OAuth error answer: `status`, a JSON body with `error` and a string `error_description`. */
export function assertError(res, status, error) {
  assert.equal(res.status, status, JSON.stringify(res.body));
  assert.match(res.headers.get('content-type'), /^application\/json/);
  assert.equal(res.body.error, error, JSON.stringify(res.body));
  assert.equal(typeof res.body.error_description, 'string');
}
