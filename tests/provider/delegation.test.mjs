// Delegation (actor_token → act) and the refresh_token grant.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';

import {
  AUDIENCE, CLIENTS, TOKEN_TYPES, USERS,
} from './fixtures.mjs';
import { startProvider } from './harness.mjs';
import {
  assertError, decodeJwt, exchange, ok, tokenRequest, verifyProviderJwt,
} from './helpers.mjs';

const legacy = (token) => ({ subject_token: token, subject_token_type: TOKEN_TYPES.LEGACY });
const legacyActor = (token) => ({ actor_token: token, actor_token_type: TOKEN_TYPES.LEGACY });



let provider;
before(async () => { provider = await startProvider(); });
after(() => provider?.stop());

describe('delegation (actor_token)', () => {
  test('actor_token → act: {sub} in access and ID token', async () => {
    const body = ok(await exchange(provider, {
      ...legacy('legacy-alice'), ...legacyActor('legacy-bob'), audience: AUDIENCE, scope: 'openid read:data',
    }));
    const at = (await verifyProviderJwt(provider, body.access_token, { audience: AUDIENCE })).payload;
    assert.equal(at.sub, USERS.alice.sub);
    assert.deepEqual(at.act, { sub: USERS.bob.sub });
    const idt = (await verifyProviderJwt(provider, body.id_token, { audience: CLIENTS.basic.clientId })).payload;
    assert.equal(idt.sub, USERS.alice.sub);
    assert.deepEqual(idt.act, { sub: USERS.bob.sub });
  });

  test('actor may be an external JWT', async () => {
    const body = ok(await exchange(provider, {
      ...legacy('legacy-alice'),
      actor_token: await provider.mintExternalJwt({ sub: USERS.carol.externalSub }),
      actor_token_type: TOKEN_TYPES.EXTERNAL_JWT,
      audience: AUDIENCE,
    }));
    assert.deepEqual(decodeJwt(body.access_token).act, { sub: USERS.carol.sub });
  });

  test('nested act when the actor token itself carries act (delegation chain)', async () => {
    // bob acting for carol ...
    const first = ok(await exchange(provider, {
      ...legacy('legacy-bob'), ...legacyActor('legacy-carol'), audience: AUDIENCE,
    }));
    assert.deepEqual(decodeJwt(first.access_token).act, { sub: USERS.carol.sub });
    // ... then acts for alice: the chain is kept
    const body = ok(await exchange(provider, {
      ...legacy('legacy-alice'),
      actor_token: first.access_token,
      actor_token_type: TOKEN_TYPES.ACCESS_TOKEN,
      audience: AUDIENCE,
      scope: 'openid',
    }));
    const expected = { sub: USERS.bob.sub, act: { sub: USERS.carol.sub } };
    assert.equal(decodeJwt(body.access_token).sub, USERS.alice.sub);
    assert.deepEqual(decodeJwt(body.access_token).act, expected);
    assert.deepEqual(decodeJwt(body.id_token).act, expected);
  });

  test('nested act works with an opaque actor access token too', async () => {
    const first = ok(await exchange(provider, { ...legacy('legacy-bob'), ...legacyActor('legacy-carol') }));
    const body = ok(await exchange(provider, {
      ...legacy('legacy-alice'), actor_token: first.access_token, actor_token_type: TOKEN_TYPES.ACCESS_TOKEN, audience: AUDIENCE,
    }));
    assert.deepEqual(decodeJwt(body.access_token).act, { sub: USERS.bob.sub, act: { sub: USERS.carol.sub } });
  });

  test('offline_access with an actor → no refresh_token, offline_access not granted (as Auth0)', async () => {
    const body = ok(await exchange(provider, {
      ...legacy('legacy-alice'), ...legacyActor('legacy-bob'), audience: AUDIENCE, scope: 'openid offline_access read:data',
    }));
    assert.equal(body.refresh_token, undefined);
    assert.equal(body.scope, 'openid read:data');
  });

  test('actor_token without actor_token_type → invalid_request', async () => {
    assertError(await exchange(provider, { ...legacy('legacy-alice'), actor_token: 'legacy-bob' }), 400, 'invalid_request');
  });

  test('actor_token_type without actor_token → invalid_request', async () => {
    assertError(await exchange(provider, { ...legacy('legacy-alice'), actor_token_type: TOKEN_TYPES.LEGACY }), 400, 'invalid_request');
  });

  test('unknown actor_token_type → invalid_request', async () => {
    assertError(await exchange(provider, {
      ...legacy('legacy-alice'), actor_token: 'legacy-bob', actor_token_type: 'urn:acme:unknown',
    }), 400, 'invalid_request');
  });

  test('invalid actor token → invalid_grant', async () => {
    assertError(await exchange(provider, { ...legacy('legacy-alice'), ...legacyActor('legacy-nobody') }), 400, 'invalid_grant');
    assertError(await exchange(provider, {
      ...legacy('legacy-alice'),
      actor_token: await provider.mintExternalJwt({}, { expiresIn: -60 }),
      actor_token_type: TOKEN_TYPES.EXTERNAL_JWT,
    }), 400, 'invalid_grant');
  });
});

describe('refresh_token grant', () => {
  test('returns a new JWT access token for the same audience and an ID token for the same sub', async () => {
    const first = ok(await exchange(provider, {
      ...legacy('legacy-alice'), audience: AUDIENCE, scope: 'openid profile offline_access read:data',
    }));
    const res = await tokenRequest(provider, { grant_type: 'refresh_token', refresh_token: first.refresh_token });
    const body = ok(res);
    assert.equal(body.token_type, 'Bearer');
    assert.equal(body.expires_in, 3600);
    assert.equal(body.scope, 'openid profile offline_access read:data');
    assert.notEqual(body.access_token, first.access_token);
    const at = (await verifyProviderJwt(provider, body.access_token, { audience: AUDIENCE })).payload;
    assert.equal(at.sub, USERS.alice.sub);
    assert.equal(at.aud, AUDIENCE);
    assert.equal(at.scope, decodeJwt(first.access_token).scope);
    assert.equal(at.act, undefined);
    const idt = (await verifyProviderJwt(provider, body.id_token, { audience: CLIENTS.basic.clientId })).payload;
    const firstIdt = decodeJwt(first.id_token);
    assert.equal(idt.sub, firstIdt.sub);
    assert.equal(idt.sid, firstIdt.sid);
    assert.equal(idt.name, USERS.alice.name);
    assert.equal(idt.act, undefined);
  });

  test('keeps org_id, never act', async () => {
    // An exchange whose subject is a delegated access token (it carries act), without an
    // actor this time, may get a refresh token; the refreshed tokens carry no act.
    const delegated = ok(await exchange(provider, {
      ...legacy('legacy-bob'), ...legacyActor('legacy-carol'), audience: AUDIENCE,
    }));
    assert.ok(decodeJwt(delegated.access_token).act);
    const first = ok(await exchange(provider, {
      subject_token: delegated.access_token,
      subject_token_type: TOKEN_TYPES.ACCESS_TOKEN,
      audience: AUDIENCE,
      organization: 'org_acme',
      scope: 'openid offline_access read:data',
    }, { client: 'post' }));
    assert.ok(first.refresh_token);
    const body = ok(await tokenRequest(provider, { grant_type: 'refresh_token', refresh_token: first.refresh_token }, { client: 'post' }));
    const at = decodeJwt(body.access_token);
    const idt = decodeJwt(body.id_token);
    assert.equal(at.sub, USERS.bob.sub);
    assert.equal(at.org_id, 'org_acme');
    assert.equal(idt.org_id, 'org_acme');
    assert.equal(at.act, undefined);
    assert.equal(idt.act, undefined);
  });

  test('works for private_key_jwt clients and without audience (opaque access token)', async () => {
    const first = ok(await exchange(provider, { ...legacy('legacy-carol'), scope: 'openid offline_access' }, { client: 'privateKeyJwt' }));
    const body = ok(await tokenRequest(provider, { grant_type: 'refresh_token', refresh_token: first.refresh_token }, { client: 'privateKeyJwt' }));
    assert.equal(body.access_token.split('.').length, 1);
    assert.equal(decodeJwt(body.id_token).sub, USERS.carol.sub);
    assert.equal(body.scope, 'openid offline_access');
  });

  test('refresh token of another client → invalid_grant', async () => {
    const first = ok(await exchange(provider, { ...legacy('legacy-alice'), scope: 'offline_access' }));
    assertError(await tokenRequest(provider, { grant_type: 'refresh_token', refresh_token: first.refresh_token }, { client: 'post' }), 400, 'invalid_grant');
  });

  test('unknown refresh token → invalid_grant', async () => {
    assertError(await tokenRequest(provider, { grant_type: 'refresh_token', refresh_token: 'nope' }), 400, 'invalid_grant');
  });
});
