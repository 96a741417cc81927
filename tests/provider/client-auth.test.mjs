// Client authentication at /oauth/token: the three confidential clients, and the
// client that may not use token exchange.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';

import * as jose from 'jose';

import { CLIENTS, GRANT_TYPE_TOKEN_EXCHANGE, TOKEN_TYPES } from './fixtures.mjs';
import { startProvider } from './harness.mjs';
import { basicAuthorization, clientAssertion, exchange } from './helpers.mjs';

const LEGACY = { subject_token: 'legacy-alice', subject_token_type: TOKEN_TYPES.LEGACY };

async function rawPost(provider, headers, params) {
  const res = await fetch(provider.tokenEndpoint, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
    body: new URLSearchParams(params),
  });
  return { status: res.status, headers: res.headers, body: await res.json() };
}

function assertJsonError(res, status, error) {
  assert.equal(res.status, status, JSON.stringify(res.body));
  assert.match(res.headers.get('content-type'), /^application\/json/);
  assert.equal(res.body.error, error);
  assert.equal(typeof res.body.error_description, 'string');
}

describe('client authentication', () => {
  let provider;
  before(async () => { provider = await startProvider(); });
  after(() => provider?.stop());

  test('test secrets need form-urlencoding (and are long enough)', () => {
    for (const c of [CLIENTS.basic, CLIENTS.post, CLIENTS.notAllowed]) {
      assert.ok(c.clientSecret.length >= 32);
      assert.match(c.clientSecret, /[+/:%]/);
      assert.notEqual(encodeURIComponent(c.clientSecret), c.clientSecret);
    }
  });

  for (const client of ['basic', 'post', 'privateKeyJwt']) {
    test(`${CLIENTS[client].authMethod} (${CLIENTS[client].clientId}) can exchange`, async () => {
      const res = await exchange(provider, LEGACY, { client });
      assert.equal(res.status, 200, JSON.stringify(res.body));
      assert.equal(typeof res.body.access_token, 'string');
      assert.equal(res.body.token_type, 'Bearer');
    });
  }

  test('client_secret_basic credentials are form-urlencoded then decoded (RFC 6749 §2.3.1)', async () => {
    const { clientId, clientSecret } = CLIENTS.basic;
    const encoded = await rawPost(provider, { authorization: basicAuthorization(clientId, clientSecret) }, { grant_type: GRANT_TYPE_TOKEN_EXCHANGE, ...LEGACY });
    assert.equal(encoded.status, 200, JSON.stringify(encoded.body));
    // Sent raw, "%25" decodes to "%" and "+" to a space: the secret no longer matches.
    const raw = `Basic ${Buffer.from(`${clientId}:${clientSecret}`).toString('base64')}`;
    const unencoded = await rawPost(provider, { authorization: raw }, { grant_type: GRANT_TYPE_TOKEN_EXCHANGE, ...LEGACY });
    assertJsonError(unencoded, 401, 'invalid_client');
  });

  test('wrong client_secret (basic) → 401 invalid_client', async () => {
    const res = await rawPost(provider, { authorization: basicAuthorization(CLIENTS.basic.clientId, 'wrong-secret') }, { grant_type: GRANT_TYPE_TOKEN_EXCHANGE, ...LEGACY });
    assertJsonError(res, 401, 'invalid_client');
    assert.match(res.headers.get('www-authenticate'), /^Basic /);
  });

  test('wrong client_secret (post) → 401 invalid_client', async () => {
    const res = await rawPost(provider, {}, {
      grant_type: GRANT_TYPE_TOKEN_EXCHANGE, ...LEGACY, client_id: CLIENTS.post.clientId, client_secret: 'wrong-secret',
    });
    assertJsonError(res, 401, 'invalid_client');
  });

  test('unknown client → 401 invalid_client', async () => {
    const res = await rawPost(provider, { authorization: basicAuthorization('nobody', 'whatever-secret') }, { grant_type: GRANT_TYPE_TOKEN_EXCHANGE, ...LEGACY });
    assertJsonError(res, 401, 'invalid_client');
  });

  test('private_key_jwt assertion signed with another key → 401 invalid_client', async () => {
    const { privateKey } = await jose.generateKeyPair('RS256');
    const res = await rawPost(provider, {}, {
      grant_type: GRANT_TYPE_TOKEN_EXCHANGE,
      ...LEGACY,
      client_id: CLIENTS.privateKeyJwt.clientId,
      client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer',
      client_assertion: await clientAssertion(provider, { key: privateKey }),
    });
    assertJsonError(res, 401, 'invalid_client');
  });

  test('private_key_jwt assertion is single-use (jti replay) → 401 invalid_client', async () => {
    const assertion = await clientAssertion(provider);
    const params = {
      grant_type: GRANT_TYPE_TOKEN_EXCHANGE,
      ...LEGACY,
      client_id: CLIENTS.privateKeyJwt.clientId,
      client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer',
      client_assertion: assertion,
    };
    assert.equal((await rawPost(provider, {}, params)).status, 200);
    assertJsonError(await rawPost(provider, {}, params), 401, 'invalid_client');
  });

  test('client without the token-exchange grant → 400 unauthorized_client', async () => {
    const res = await exchange(provider, LEGACY, { client: 'notAllowed' });
    assertJsonError(res, 400, 'unauthorized_client');
  });
});
