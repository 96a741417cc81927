// Discovery, JWKS and CORS surface of the local provider.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';

import { GRANT_TYPE_TOKEN_EXCHANGE } from './fixtures.mjs';
import { startProvider } from './harness.mjs';
import { tokenRequest } from './helpers.mjs';

const ORIGIN = 'http://127.0.0.1:9999';

describe('provider surface', () => {
  let provider;
  before(async () => { provider = await startProvider(); });
  after(() => provider?.stop());

  test('harness reports issuer, port, domain and token endpoint', () => {
    assert.match(provider.issuer, /^http:\/\/127\.0\.0\.1:\d+\/$/);
    assert.equal(provider.issuer, `http://127.0.0.1:${provider.port}/`);
    assert.equal(provider.domain, `http://127.0.0.1:${provider.port}`);
    assert.equal(provider.tokenEndpoint, `http://127.0.0.1:${provider.port}/oauth/token`);
    assert.match(provider.clientPrivateKeyPem, /^-----BEGIN PRIVATE KEY-----\n/);
    assert.equal(provider.clientPrivateJwk.kty, 'RSA');
    assert.ok(provider.clientPrivateJwk.d);
  });

  test('discovery document is Auth0-shaped', async () => {
    const res = await fetch(new URL('.well-known/openid-configuration', provider.issuer));
    assert.equal(res.status, 200);
    assert.match(res.headers.get('content-type'), /^application\/json/);
    const meta = await res.json();
    assert.equal(meta.issuer, provider.issuer);
    assert.equal(meta.token_endpoint, provider.tokenEndpoint);
    assert.ok(meta.token_endpoint.endsWith('/oauth/token'));
    assert.ok(!meta.token_endpoint.includes('//oauth'));
    assert.equal(meta.jwks_uri, new URL('.well-known/jwks.json', provider.issuer).href);
    assert.ok(meta.grant_types_supported.includes(GRANT_TYPE_TOKEN_EXCHANGE));
    assert.ok(meta.grant_types_supported.includes('refresh_token'));
    for (const m of ['client_secret_basic', 'client_secret_post', 'private_key_jwt']) {
      assert.ok(meta.token_endpoint_auth_methods_supported.includes(m), m);
    }
    assert.ok(meta.id_token_signing_alg_values_supported.includes('RS256'));
    for (const s of ['openid', 'profile', 'email', 'offline_access']) {
      assert.ok(meta.scopes_supported.includes(s), s);
    }
  });

  test('RFC 8414 metadata route answers too', async () => {
    const res = await fetch(new URL('.well-known/oauth-authorization-server', provider.issuer));
    assert.equal(res.status, 200);
    assert.equal((await res.json()).token_endpoint, provider.tokenEndpoint);
  });

  test('JWKS publishes two distinct RS256 keys, public parts only', async () => {
    const res = await fetch(new URL('.well-known/jwks.json', provider.issuer));
    assert.equal(res.status, 200);
    const { keys } = await res.json();
    assert.equal(keys.length, 2);
    for (const key of keys) {
      assert.equal(key.kty, 'RSA');
      assert.equal(key.alg, 'RS256');
      assert.equal(key.use, 'sig');
      assert.ok(key.kid);
      assert.ok(key.n && key.e);
      assert.equal(key.d, undefined);
      assert.equal(key.p, undefined);
    }
    assert.notEqual(keys[0].kid, keys[1].kid);
  });

  for (const route of ['.well-known/openid-configuration', '.well-known/jwks.json']) {
    test(`CORS: GET ${route} with Origin`, async () => {
      const res = await fetch(new URL(route, provider.issuer), { headers: { origin: ORIGIN } });
      assert.equal(res.status, 200);
      assert.equal(res.headers.get('access-control-allow-origin'), ORIGIN);
    });

    test(`CORS: preflight ${route}`, async () => {
      const res = await fetch(new URL(route, provider.issuer), {
        method: 'OPTIONS',
        headers: { origin: ORIGIN, 'access-control-request-method': 'GET' },
      });
      assert.equal(res.status, 204);
      assert.equal(res.headers.get('access-control-allow-origin'), ORIGIN);
    });
  }

  test('CORS: preflight on /oauth/token allows authorization + content-type', async () => {
    const res = await fetch(provider.tokenEndpoint, {
      method: 'OPTIONS',
      headers: {
        origin: ORIGIN,
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'authorization, content-type',
      },
    });
    assert.equal(res.status, 204);
    assert.equal(res.headers.get('access-control-allow-origin'), ORIGIN);
    assert.match(res.headers.get('access-control-allow-methods'), /POST/);
    const allowed = res.headers.get('access-control-allow-headers').toLowerCase();
    assert.match(allowed, /authorization/);
    assert.match(allowed, /content-type/);
  });

  test('CORS: POST /oauth/token with Origin (error responses included)', async () => {
    const res = await fetch(provider.tokenEndpoint, {
      method: 'POST',
      headers: { origin: ORIGIN, 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ grant_type: GRANT_TYPE_TOKEN_EXCHANGE, client_id: 'nope', client_secret: 'nope' }),
    });
    assert.equal(res.status, 401);
    assert.equal(res.headers.get('access-control-allow-origin'), ORIGIN);
    assert.equal((await res.json()).error, 'invalid_client');
  });

  test('unknown grant type → unsupported_grant_type', async () => {
    const res = await tokenRequest(provider, { grant_type: 'urn:example:nope' });
    assert.equal(res.status, 400);
    assert.equal(res.body.error, 'unsupported_grant_type');
  });
});
