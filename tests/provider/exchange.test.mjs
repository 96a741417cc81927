// Custom Token Exchange: profiles, audience/scope, organization, ID token, response shape.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';

import * as jose from 'jose';

import {
  AUDIENCE, CLIENTS, EXTERNAL_ISSUER, ISSUED_TOKEN_TYPE, ORGANIZATIONS, TOKEN_TYPES, USERS,
} from './fixtures.mjs';
import { startProvider } from './harness.mjs';
import {
  decodeHeader, decodeJwt, exchange, tokenRequest, verifyProviderJwt,
} from './helpers.mjs';

const legacy = (token = 'legacy-alice') => ({ subject_token: token, subject_token_type: TOKEN_TYPES.LEGACY });

function assertOk(res) {
  assert.equal(res.status, 200, JSON.stringify(res.body));
  assert.match(res.headers.get('content-type'), /^application\/json/);
  assert.equal(res.headers.get('cache-control'), 'no-store');
  return res.body;
}

function assertError(res, status, error) {
  assert.equal(res.status, status, JSON.stringify(res.body));
  assert.match(res.headers.get('content-type'), /^application\/json/);
  assert.deepEqual(Object.keys(res.body).sort(), ['error', 'error_description']);
  assert.equal(res.body.error, error);
  assert.equal(typeof res.body.error_description, 'string');
}

const isJwt = (t) => t.split('.').length === 3;

describe('token exchange', () => {
  let provider;
  let jwks;
  before(async () => {
    provider = await startProvider();
    jwks = (await (await fetch(provider.jwksUri)).json()).keys;
  });
  after(() => provider?.stop());

  describe('response shape', () => {
    test('matches Auth0: access_token, id_token, refresh_token, scope, expires_in, token_type, issued_token_type', async () => {
      const body = assertOk(await exchange(provider, {
        ...legacy(), audience: AUDIENCE, scope: 'openid offline_access read:data',
      }));
      assert.deepEqual(Object.keys(body).sort(), [
        'access_token', 'expires_in', 'id_token', 'issued_token_type', 'refresh_token', 'scope', 'token_type',
      ]);
      assert.equal(body.token_type, 'Bearer');
      assert.equal(body.issued_token_type, ISSUED_TOKEN_TYPE);
      assert.equal(body.expires_in, 3600);
      assert.equal(body.scope, 'openid offline_access read:data');
    });

    test('minimal exchange: only access_token and metadata', async () => {
      const body = assertOk(await exchange(provider, legacy()));
      assert.deepEqual(Object.keys(body).sort(), ['access_token', 'expires_in', 'issued_token_type', 'scope', 'token_type']);
    });
  });

  describe('profiles', () => {
    test('urn:acme:legacy-token: legacy-bob → auth0|bob', async () => {
      const body = assertOk(await exchange(provider, { ...legacy('legacy-bob'), audience: AUDIENCE }));
      assert.equal(decodeJwt(body.access_token).sub, USERS.bob.sub);
    });

    test('urn:acme:legacy-token: unknown token → invalid_grant, saying why', async () => {
      const res = await exchange(provider, legacy('legacy-mallory'));
      assertError(res, 400, 'invalid_grant');
      assert.match(res.body.error_description, /subject_token/);
    });

    test('unknown subject_token_type (no profile) → invalid_request', async () => {
      assertError(await exchange(provider, { subject_token: 'x', subject_token_type: 'urn:acme:unknown' }), 400, 'invalid_request');
    });

    test('missing subject_token → invalid_request', async () => {
      assertError(await exchange(provider, { subject_token_type: TOKEN_TYPES.LEGACY }), 400, 'invalid_request');
    });

    test('missing subject_token_type → invalid_request', async () => {
      assertError(await exchange(provider, { subject_token: 'legacy-alice' }), 400, 'invalid_request');
    });

    test('unknown extra parameters are ignored', async () => {
      assertOk(await exchange(provider, { ...legacy(), foo: 'bar', login_hint: 'x' }));
    });

    test('urn:acme:external-jwt: valid JWT for alice (external sub)', async () => {
      const jwt = await provider.mintExternalJwt();
      const body = assertOk(await exchange(provider, {
        subject_token: jwt, subject_token_type: TOKEN_TYPES.EXTERNAL_JWT, audience: AUDIENCE,
      }));
      assert.equal(decodeJwt(body.access_token).sub, USERS.alice.sub);
    });

    test('urn:acme:external-jwt: sub may also be the Auth0 user id', async () => {
      const jwt = await provider.mintExternalJwt({ sub: USERS.carol.sub });
      const body = assertOk(await exchange(provider, {
        subject_token: jwt, subject_token_type: TOKEN_TYPES.EXTERNAL_JWT, audience: AUDIENCE,
      }));
      assert.equal(decodeJwt(body.access_token).sub, USERS.carol.sub);
    });

    const badExternal = {
      expired: (p) => p.mintExternalJwt({}, { expiresIn: -120 }),
      'wrong issuer': (p) => p.mintExternalJwt({}, { issuer: 'https://evil.example/' }),
      'no issuer': (p) => p.mintExternalJwt({}, { issuer: null }),
      'wrong key': async (p) => p.mintExternalJwt({}, { key: (await jose.generateKeyPair('RS256')).privateKey }),
      'unknown user': (p) => p.mintExternalJwt({ sub: 'ext-mallory' }),
      'not a JWT': async () => 'definitely-not-a-jwt',
      'unsigned (alg none)': async () => new jose.UnsecuredJWT({ sub: 'ext-alice' }).setIssuer(EXTERNAL_ISSUER).setExpirationTime('1h').encode(),
    };
    for (const [name, mint] of Object.entries(badExternal)) {
      test(`urn:acme:external-jwt: ${name} → invalid_grant`, async () => {
        const res = await exchange(provider, {
          subject_token: await mint(provider), subject_token_type: TOKEN_TYPES.EXTERNAL_JWT,
        });
        assertError(res, 400, 'invalid_grant');
      });
    }

    test('access_token profile: a JWT access token from this provider', async () => {
      const first = assertOk(await exchange(provider, { ...legacy('legacy-carol'), audience: AUDIENCE }));
      const body = assertOk(await exchange(provider, {
        subject_token: first.access_token, subject_token_type: TOKEN_TYPES.ACCESS_TOKEN, audience: AUDIENCE, scope: 'openid',
      }, { client: 'post' }));
      assert.equal(decodeJwt(body.access_token).sub, USERS.carol.sub);
      assert.equal(decodeJwt(body.id_token).sub, USERS.carol.sub);
    });

    test('access_token profile: an opaque access token from this provider', async () => {
      const first = assertOk(await exchange(provider, legacy('legacy-bob')));
      assert.ok(!isJwt(first.access_token));
      const body = assertOk(await exchange(provider, {
        subject_token: first.access_token, subject_token_type: TOKEN_TYPES.ACCESS_TOKEN, audience: AUDIENCE,
      }));
      assert.equal(decodeJwt(body.access_token).sub, USERS.bob.sub);
    });

    test('access_token profile: forged / unknown tokens → invalid_grant', async () => {
      const { privateKey } = await jose.generateKeyPair('RS256');
      const forged = await new jose.SignJWT({ sub: USERS.alice.sub })
        .setProtectedHeader({ alg: 'RS256', kid: jwks[0].kid })
        .setIssuer(provider.issuer).setAudience(AUDIENCE).setExpirationTime('1h')
        .sign(privateKey);
      for (const token of [forged, 'opaque-token-that-does-not-exist']) {
        assertError(await exchange(provider, {
          subject_token: token, subject_token_type: TOKEN_TYPES.ACCESS_TOKEN,
        }), 400, 'invalid_grant');
      }
    });

    test('an ID token from this provider is not an access token → invalid_grant', async () => {
      const first = assertOk(await exchange(provider, { ...legacy(), scope: 'openid' }));
      assertError(await exchange(provider, {
        subject_token: first.id_token, subject_token_type: TOKEN_TYPES.ACCESS_TOKEN,
      }), 400, 'invalid_grant');
    });
  });

  describe('audience and scope', () => {
    test('audience → RS256 JWT access token for that API, verifiable against the JWKS', async () => {
      const body = assertOk(await exchange(provider, { ...legacy(), audience: AUDIENCE, scope: 'read:data write:data' }));
      const header = decodeHeader(body.access_token);
      assert.equal(header.alg, 'RS256');
      assert.equal(header.kid, jwks[0].kid, 'signed with the first published key');
      const { payload } = await verifyProviderJwt(provider, body.access_token, { audience: AUDIENCE });
      assert.equal(payload.iss, provider.issuer);
      assert.equal(payload.sub, USERS.alice.sub);
      assert.equal(payload.aud, AUDIENCE);
      assert.equal(payload.scope, 'read:data write:data');
      assert.equal(payload.client_id, CLIENTS.basic.clientId);
      assert.equal(payload.azp, CLIENTS.basic.clientId);
      assert.equal(payload.exp - payload.iat, 3600);
      assert.ok(payload.jti);
      assert.equal(payload.act, undefined);
      assert.equal(payload.org_id, undefined);
    });

    test('scope is filtered to what the API (and OIDC) allows', async () => {
      const body = assertOk(await exchange(provider, {
        ...legacy(), audience: AUDIENCE, scope: 'read:data delete:everything admin openid',
      }));
      assert.equal(body.scope, 'openid read:data');
      assert.equal(decodeJwt(body.access_token).scope, 'openid read:data');
    });

    test('no audience → still an (opaque) access token, API scopes dropped', async () => {
      const body = assertOk(await exchange(provider, { ...legacy(), scope: 'openid read:data' }));
      assert.ok(body.access_token.length >= 32);
      assert.ok(!isJwt(body.access_token));
      assert.equal(body.scope, 'openid');
      assert.ok(body.id_token);
    });

    test('opaque access token works at /userinfo', async () => {
      const body = assertOk(await exchange(provider, { ...legacy(), scope: 'openid email' }));
      const res = await fetch(new URL('userinfo', provider.issuer), { headers: { authorization: `Bearer ${body.access_token}` } });
      assert.equal(res.status, 200);
      const info = await res.json();
      assert.equal(info.sub, USERS.alice.sub);
      assert.equal(info.email, USERS.alice.email);
    });

    test('unknown audience → 403 access_denied (Auth0: "Service not found")', async () => {
      assertError(await exchange(provider, { ...legacy(), audience: 'https://unknown.example.com' }), 403, 'access_denied');
    });
  });

  describe('organization', () => {
    test('member of the organization (by id) → org_id in access and ID token', async () => {
      const body = assertOk(await exchange(provider, {
        ...legacy('legacy-bob'), audience: AUDIENCE, scope: 'openid', organization: ORGANIZATIONS.org_acme.id,
      }));
      assert.equal(decodeJwt(body.access_token).org_id, 'org_acme');
      assert.equal(decodeJwt(body.id_token).org_id, 'org_acme');
    });

    test('organization by name resolves to its id', async () => {
      const body = assertOk(await exchange(provider, {
        ...legacy('legacy-carol'), audience: AUDIENCE, scope: 'openid', organization: ORGANIZATIONS.org_other.name,
      }));
      assert.equal(decodeJwt(body.access_token).org_id, 'org_other');
      assert.equal(decodeJwt(body.id_token).org_id, 'org_other');
    });

    test('no audience: org_id in the ID token and at /userinfo', async () => {
      const body = assertOk(await exchange(provider, { ...legacy(), organization: 'org_acme', scope: 'openid' }));
      assert.equal(decodeJwt(body.id_token).org_id, 'org_acme');
      const res = await fetch(new URL('userinfo', provider.issuer), { headers: { authorization: `Bearer ${body.access_token}` } });
      assert.equal((await res.json()).org_id, 'org_acme');
    });

    test('unknown organization → invalid_request', async () => {
      assertError(await exchange(provider, { ...legacy(), organization: 'org_nope' }), 400, 'invalid_request');
    });

    test('user not a member → invalid_grant', async () => {
      assertError(await exchange(provider, { ...legacy('legacy-carol'), organization: 'org_acme' }), 400, 'invalid_grant');
    });
  });

  describe('ID token', () => {
    test('openid → RS256 ID token with kid, aud=client, iss, sub, sid, iat, exp', async () => {
      const body = assertOk(await exchange(provider, { ...legacy(), audience: AUDIENCE, scope: 'openid' }, { client: 'post' }));
      const header = decodeHeader(body.id_token);
      assert.equal(header.alg, 'RS256');
      assert.equal(header.kid, jwks[0].kid);
      const { payload } = await verifyProviderJwt(provider, body.id_token, { audience: CLIENTS.post.clientId });
      assert.equal(payload.iss, provider.issuer);
      assert.equal(payload.aud, CLIENTS.post.clientId);
      assert.equal(payload.sub, USERS.alice.sub);
      assert.equal(typeof payload.sid, 'string');
      assert.ok(payload.sid.length > 0);
      assert.equal(typeof payload.iat, 'number');
      assert.equal(payload.exp - payload.iat, 3600);
      assert.equal(payload.name, undefined, 'no profile claims without the profile scope');
      assert.equal(payload.email, undefined, 'no email claims without the email scope');
      assert.equal(payload.act, undefined);
    });

    test('profile and email scopes add name / email claims', async () => {
      const body = assertOk(await exchange(provider, { ...legacy(), scope: 'openid profile email' }));
      const claims = decodeJwt(body.id_token);
      assert.equal(claims.name, USERS.alice.name);
      assert.equal(claims.nickname, USERS.alice.nickname);
      assert.equal(claims.email, USERS.alice.email);
      assert.equal(claims.email_verified, true);
    });

    test('no openid → no ID token', async () => {
      const body = assertOk(await exchange(provider, { ...legacy(), audience: AUDIENCE, scope: 'profile read:data' }));
      assert.equal(body.id_token, undefined);
    });

    test('each exchange gets its own sid', async () => {
      const a = assertOk(await exchange(provider, { ...legacy(), scope: 'openid' }));
      const b = assertOk(await exchange(provider, { ...legacy(), scope: 'openid' }));
      assert.notEqual(decodeJwt(a.id_token).sid, decodeJwt(b.id_token).sid);
    });
  });

  describe('refresh token issuance', () => {
    test('offline_access → refresh_token', async () => {
      const body = assertOk(await exchange(provider, { ...legacy(), audience: AUDIENCE, scope: 'offline_access read:data' }));
      assert.equal(typeof body.refresh_token, 'string');
      assert.equal(body.scope, 'offline_access read:data');
    });

    test('no offline_access → no refresh_token', async () => {
      const body = assertOk(await exchange(provider, { ...legacy(), audience: AUDIENCE, scope: 'openid read:data' }));
      assert.equal(body.refresh_token, undefined);
    });

    test('cte-rotating: a refresh rotates; the consumed token presented again is invalid_grant and revokes the grant', async () => {
      const scope = 'openid offline_access';
      const first = assertOk(await exchange(provider, { ...legacy(), audience: AUDIENCE, scope }, { client: 'rotating' }));
      const refresh = (token, client = 'rotating') => tokenRequest(provider, { grant_type: 'refresh_token', refresh_token: token }, { client });
      const second = assertOk(await refresh(first.refresh_token));
      assert.equal(typeof second.refresh_token, 'string');
      assert.notEqual(second.refresh_token, first.refresh_token, 'rotated');
      assert.equal(first.expires_in, 35, 'its access tokens are due for refresh 5 s after issue');
      assert.equal(second.expires_in, 35, 'refreshed ones too');
      assertError(await refresh(first.refresh_token), 400, 'invalid_grant');
      assertError(await refresh(second.refresh_token), 400, 'invalid_grant'); // the grant is revoked
      // The other clients keep their refresh token.
      const kept = assertOk(await exchange(provider, { ...legacy(), audience: AUDIENCE, scope }));
      assert.equal(assertOk(await refresh(kept.refresh_token, 'basic')).refresh_token, kept.refresh_token, 'not rotated');
      assert.equal(assertOk(await refresh(kept.refresh_token, 'basic')).refresh_token, kept.refresh_token, 'still valid');
    });
  });
});
