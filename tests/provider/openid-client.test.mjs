// Independence check: a real RFC 8693 client none of us wrote (openid-client v6)
// performs the exchange against the local provider.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';

import * as client from 'openid-client';

import {
  AUDIENCE, CLIENTS, GRANT_TYPE_TOKEN_EXCHANGE, ISSUED_TOKEN_TYPE, TOKEN_TYPES, USERS,
} from './fixtures.mjs';
import { startProvider } from './harness.mjs';

describe('openid-client genericGrantRequest', () => {
  let provider;
  let config;
  before(async () => {
    provider = await startProvider();
    config = await client.discovery(
      new URL(provider.issuer),
      CLIENTS.basic.clientId,
      undefined,
      client.ClientSecretBasic(CLIENTS.basic.clientSecret),
      { execute: [client.allowInsecureRequests] },
    );
  });
  after(() => provider?.stop());

  test('discovery sees the provider metadata', () => {
    const meta = config.serverMetadata();
    assert.equal(meta.issuer, provider.issuer);
    assert.equal(meta.token_endpoint, provider.tokenEndpoint);
    assert.ok(meta.grant_types_supported.includes(GRANT_TYPE_TOKEN_EXCHANGE));
  });

  test('token exchange succeeds (client_secret_basic with urlencoded secret, ID token validated)', async () => {
    const tokens = await client.genericGrantRequest(config, GRANT_TYPE_TOKEN_EXCHANGE, {
      subject_token: 'legacy-alice',
      subject_token_type: TOKEN_TYPES.LEGACY,
      audience: AUDIENCE,
      scope: 'openid read:data',
    });
    assert.equal(typeof tokens.access_token, 'string');
    assert.equal(tokens.token_type, 'bearer');
    assert.equal(tokens.issued_token_type, ISSUED_TOKEN_TYPE);
    assert.equal(tokens.scope, 'openid read:data');
    assert.ok(tokens.expiresIn() > 3500);
    // openid-client verified the ID token (iss, aud, exp, iat); claims() exposes it
    assert.equal(tokens.claims().sub, USERS.alice.sub);
  });

  test('token exchange with client_secret_post and an external JWT', async () => {
    const postConfig = await client.discovery(
      new URL(provider.issuer),
      CLIENTS.post.clientId,
      undefined,
      client.ClientSecretPost(CLIENTS.post.clientSecret),
      { execute: [client.allowInsecureRequests] },
    );
    const tokens = await client.genericGrantRequest(postConfig, GRANT_TYPE_TOKEN_EXCHANGE, {
      subject_token: await provider.mintExternalJwt(),
      subject_token_type: TOKEN_TYPES.EXTERNAL_JWT,
      audience: AUDIENCE,
    });
    assert.equal(typeof tokens.access_token, 'string');
  });

  test('a bad subject token is surfaced as invalid_grant', async () => {
    await assert.rejects(
      client.genericGrantRequest(config, GRANT_TYPE_TOKEN_EXCHANGE, {
        subject_token: 'legacy-nobody',
        subject_token_type: TOKEN_TYPES.LEGACY,
        audience: AUDIENCE,
        scope: 'read:data',
      }),
      (err) => {
        assert.ok(err instanceof client.ResponseBodyError, `${err?.name}: ${err?.message}`);
        assert.equal(err.error, 'invalid_grant');
        assert.equal(err.status, 400);
        return true;
      },
    );
  });
});
