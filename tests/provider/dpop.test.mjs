// DPoP (RFC 9449): DPoP-bound tokens from the token-exchange and refresh_token grants, the
// nonce-requiring client, and the DPoP-protected test API (dpop-api.mjs).
import assert from 'node:assert/strict';
import * as crypto from 'node:crypto';
import { after, before, describe, test } from 'node:test';

import * as jose from 'jose';

import {
  AUDIENCE, CLIENTS, DPOP_API_PATHS, SESSION_TRANSFER_INTROSPECTION_PATH, TOKEN_TYPES, USERS,
} from './fixtures.mjs';
import { startProvider } from './harness.mjs';
import {
  assertError, decodeJwt, exchange, ok, tokenRequest, verifyProviderJwt,
} from './helpers.mjs';

const legacy = (token = 'legacy-alice') => ({ subject_token: token, subject_token_type: TOKEN_TYPES.LEGACY });
const API_PARAMS = { ...legacy(), audience: AUDIENCE, scope: 'openid offline_access read:data' };

/** A DPoP key pair: { privateKey, jwk (public), alg, jkt (RFC 7638 SHA-256 thumbprint) }. */
async function dpopKey(alg = 'ES256') {
  const { privateKey, publicKey } = await jose.generateKeyPair(alg, { extractable: true });
  const jwk = await jose.exportJWK(publicKey);
  return {
    privateKey, jwk, alg, jkt: await jose.calculateJwkThumbprint(jwk, 'sha256'),
  };
}

const sha256 = (value) => crypto.createHash('sha256').update(value).digest('base64url');

/** A DPoP proof JWT; `accessToken` adds `ath`; any claim or header can be overridden. */
function proof(key, {
  htm = 'POST', htu, accessToken, nonce, iat = Math.floor(Date.now() / 1000),
  jti = crypto.randomUUID(), header = {}, claims = {}, signWith = key.privateKey,
}) {
  return new jose.SignJWT({
    htm, htu, jti, iat, ...(accessToken ? { ath: sha256(accessToken) } : undefined), ...(nonce ? { nonce } : undefined), ...claims,
  })
    .setProtectedHeader({
      alg: key.alg, typ: 'dpop+jwt', jwk: key.jwk, ...header,
    })
    .sign(signWith);
}



describe('DPoP', () => {
  let provider;
  let key;
  before(async () => {
    provider = await startProvider();
    key = await dpopKey();
  });
  after(() => provider?.stop());

  const tokenProof = (k, opts = {}) => proof(k, { htu: provider.tokenEndpoint, ...opts });
  /** token request as `client` with a DPoP header (when `dpop` is given). */
  const withProof = (fn, params, client, dpop) => fn(provider, params, {
    client, headers: dpop ? { dpop } : {},
  });

  test('discovery advertises dpop_signing_alg_values_supported', async () => {
    const meta = await (await fetch(provider.discoveryUrl)).json();
    assert.ok(meta.dpop_signing_alg_values_supported.includes('ES256'));
  });

  describe('token exchange', () => {
    test('cte-dpop with a proof: token_type DPoP, JWT access token with cnf.jkt = thumbprint', async () => {
      const res = await withProof(exchange, API_PARAMS, 'dpop', await tokenProof(key));
      const body = ok(res);
      assert.equal(body.token_type, 'DPoP');
      assert.ok(body.refresh_token);
      assert.ok(body.id_token);
      const { payload, protectedHeader } = await verifyProviderJwt(provider, body.access_token, { audience: AUDIENCE });
      assert.equal(protectedHeader.typ, 'at+jwt');
      assert.deepEqual(payload.cnf, { jkt: key.jkt });
      assert.equal(payload.sub, USERS.alice.sub);
      assert.equal(payload.client_id, CLIENTS.dpop.clientId);
      // the ID token is not bound
      assert.equal(decodeJwt(body.id_token).cnf, undefined);
      // the provider hands out a nonce to use next (RFC 9449 §8.2), without requiring one
      assert.ok(res.headers.get('dpop-nonce'));
    });

    test('cte-dpop without a proof: Bearer, no cnf', async () => {
      const body = ok(await exchange(provider, API_PARAMS, { client: 'dpop' }));
      assert.equal(body.token_type, 'Bearer');
      assert.equal(decodeJwt(body.access_token).cnf, undefined);
    });

    test('any client may send a proof (cte-basic: DPoP too)', async () => {
      const body = ok(await withProof(exchange, API_PARAMS, 'basic', await tokenProof(key)));
      assert.equal(body.token_type, 'DPoP');
      assert.equal(decodeJwt(body.access_token).cnf.jkt, key.jkt);
    });

    test('opaque access token (no audience) is bound too and works at /userinfo with DPoP only', async () => {
      const body = ok(await withProof(exchange, { ...legacy(), scope: 'openid' }, 'dpop', await tokenProof(key)));
      assert.equal(body.token_type, 'DPoP');
      assert.notEqual(body.access_token.split('.').length, 3);
      const userinfo = new URL('userinfo', provider.issuer).href;
      const good = await fetch(userinfo, {
        headers: {
          authorization: `DPoP ${body.access_token}`,
          dpop: await proof(key, { htm: 'GET', htu: userinfo, accessToken: body.access_token }),
        },
      });
      assert.equal(good.status, 200);
      assert.equal((await good.json()).sub, USERS.alice.sub);
      const bearer = await fetch(userinfo, { headers: { authorization: `Bearer ${body.access_token}` } });
      assert.equal(bearer.status, 401);
    });

    test('a replayed proof (same jti) is refused', async () => {
      const p = await tokenProof(key);
      ok(await withProof(exchange, API_PARAMS, 'dpop', p));
      const res = await withProof(exchange, API_PARAMS, 'dpop', p);
      assertError(res, 400, 'invalid_grant');
      assert.match(res.body.error_description, /replay/i);
    });

    test('session transfer with a proof: N_A token, recorded with the key (introspection cnf.jkt); its proof is not reusable', async () => {
      const introspect = async (token) => (await fetch(new URL(SESSION_TRANSFER_INTROSPECTION_PATH, provider.issuer), {
        method: 'POST', body: new URLSearchParams({ token }),
      })).json();
      const params = {
        ...legacy(), actor_token: 'legacy-bob', actor_token_type: TOKEN_TYPES.LEGACY,
        audience: `urn:${new URL(provider.issuer).host}:session_transfer`,
      };
      const p = await tokenProof(key);
      const body = ok(await withProof(exchange, params, 'dpop', p));
      assert.equal(body.token_type, 'N_A');
      const record = await introspect(body.access_token);
      assert.deepEqual([record.active, record.sub, record.client_id, record.cnf], [true, USERS.alice.sub, CLIENTS.dpop.clientId, { jkt: key.jkt }]);
      const unbound = ok(await exchange(provider, params, { client: 'dpop' }));
      assert.deepEqual([(await introspect(unbound.access_token)).active, (await introspect(unbound.access_token)).cnf], [true, undefined]);
      assert.deepEqual(await introspect('stt_unknown'), { active: false });
      assertError(await withProof(exchange, params, 'dpop', p), 400, 'invalid_grant');
    });

    describe('invalid proofs → 400 invalid_dpop_proof', () => {
      const cases = {
        'wrong htu': (k) => proof(k, { htu: new URL('/other', provider.issuer).href }),
        'wrong htm': (k) => tokenProof(k, { htm: 'GET' }),
        'wrong typ': (k) => tokenProof(k, { header: { typ: 'JWT' } }),
        'signed by another key than the embedded jwk': async (k) => tokenProof(k, { signWith: (await dpopKey()).privateKey }),
        'no jti': (k) => tokenProof(k, { jti: '' }),
        'not a JWT': () => 'not-a-proof',
      };
      for (const [name, make] of Object.entries(cases)) {
        test(name, async () => {
          assertError(await withProof(exchange, API_PARAMS, 'dpop', await make(key)), 400, 'invalid_dpop_proof');
        });
      }

      test('HS256 (symmetric) proof', async () => {
        const secret = crypto.randomBytes(32);
        const p = await new jose.SignJWT({
          htm: 'POST', htu: provider.tokenEndpoint, jti: crypto.randomUUID(), iat: Math.floor(Date.now() / 1000),
        }).setProtectedHeader({ alg: 'HS256', typ: 'dpop+jwt', jwk: { kty: 'oct', k: secret.toString('base64url') } }).sign(secret);
        assertError(await withProof(exchange, API_PARAMS, 'dpop', p), 400, 'invalid_dpop_proof');
      });
    });

    test('a stale iat (over 5 min) asks for a nonce: 400 use_dpop_nonce', async () => {
      const res = await withProof(exchange, API_PARAMS, 'dpop', await tokenProof(key, { iat: Math.floor(Date.now() / 1000) - 600 }));
      assertError(res, 400, 'use_dpop_nonce');
      assert.ok(res.headers.get('dpop-nonce'));
    });

    test('RS256 and EdDSA proofs are accepted too', async () => {
      for (const alg of ['RS256', 'EdDSA']) {
        const k = await dpopKey(alg);
        const body = ok(await withProof(exchange, API_PARAMS, 'dpop', await tokenProof(k)));
        assert.equal(decodeJwt(body.access_token).cnf.jkt, k.jkt, alg);
      }
    });
  });

  describe('refresh_token grant', () => {
    test('refresh with a proof: DPoP, cnf.jkt; the refresh token of a confidential client is not bound', async () => {
      const first = ok(await exchange(provider, API_PARAMS, { client: 'dpop' }));
      assert.equal(first.token_type, 'Bearer');
      const refresh = { grant_type: 'refresh_token', refresh_token: first.refresh_token };
      const bound = ok(await withProof(tokenRequest, refresh, 'dpop', await tokenProof(key)));
      assert.equal(bound.token_type, 'DPoP');
      const { payload } = await verifyProviderJwt(provider, bound.access_token, { audience: AUDIENCE });
      assert.equal(payload.cnf.jkt, key.jkt);
      // not bound: a refresh without a proof (or with another key) still works, giving Bearer
      const plain = ok(await tokenRequest(provider, refresh, { client: 'dpop' }));
      assert.equal(plain.token_type, 'Bearer');
      const other = await dpopKey();
      const otherBound = ok(await withProof(tokenRequest, refresh, 'dpop', await tokenProof(other)));
      assert.equal(decodeJwt(otherBound.access_token).cnf.jkt, other.jkt);
    });

    test('refresh token from a DPoP exchange refreshes with the same key', async () => {
      const first = ok(await withProof(exchange, API_PARAMS, 'dpop', await tokenProof(key)));
      const body = ok(await withProof(tokenRequest, { grant_type: 'refresh_token', refresh_token: first.refresh_token }, 'dpop', await tokenProof(key)));
      assert.equal(body.token_type, 'DPoP');
      assert.equal(decodeJwt(body.access_token).cnf.jkt, key.jkt);
      assert.equal(body.scope, 'openid offline_access read:data');
    });
  });

  describe('cte-dpop-nonce (nonce required at the token endpoint)', () => {
    test('first call 400 use_dpop_nonce + DPoP-Nonce; the retry with the nonce succeeds', async () => {
      const first = await withProof(exchange, API_PARAMS, 'dpopNonce', await tokenProof(key));
      assertError(first, 400, 'use_dpop_nonce');
      const nonce = first.headers.get('dpop-nonce');
      assert.ok(nonce);
      const res = await withProof(exchange, API_PARAMS, 'dpopNonce', await tokenProof(key, { nonce }));
      const body = ok(res);
      assert.equal(body.token_type, 'DPoP');
      assert.equal(decodeJwt(body.access_token).cnf.jkt, key.jkt);

      // refresh: the same nonce still works (and a wrong one is challenged again)
      const refresh = { grant_type: 'refresh_token', refresh_token: body.refresh_token };
      const bad = await withProof(tokenRequest, refresh, 'dpopNonce', await tokenProof(key, { nonce: 'bogus' }));
      assertError(bad, 400, 'use_dpop_nonce');
      assert.ok(bad.headers.get('dpop-nonce'));
      const refreshed = ok(await withProof(tokenRequest, refresh, 'dpopNonce', await tokenProof(key, { nonce })));
      assert.equal(refreshed.token_type, 'DPoP');
    });

    test('without any DPoP header it still answers Bearer tokens', async () => {
      assert.equal(ok(await exchange(provider, API_PARAMS, { client: 'dpopNonce' })).token_type, 'Bearer');
    });

    test('the nonce is not required of cte-dpop', async () => {
      ok(await withProof(exchange, API_PARAMS, 'dpop', await tokenProof(key)));
    });
  });

  describe(`test API ${DPOP_API_PATHS.plain} and ${DPOP_API_PATHS.nonce}`, () => {
    let apiUrl;
    let nonceUrl;
    let token; // DPoP-bound to `key`
    before(async () => {
      apiUrl = `${provider.issuer}api/dpop`;
      nonceUrl = `${provider.issuer}api/dpop-nonce`;
      assert.equal(provider.dpopApiUrl, apiUrl);
      assert.equal(provider.dpopNonceApiUrl, nonceUrl);
      token = ok(await withProof(exchange, API_PARAMS, 'dpop', await tokenProof(key))).access_token;
    });

    async function call(url, {
      method = 'GET', scheme = 'DPoP', accessToken = token, dpop, headers = {},
    } = {}) {
      const h = { ...headers };
      if (accessToken) h.authorization = `${scheme} ${accessToken}`;
      if (dpop) h.dpop = dpop;
      const res = await fetch(url, { method, headers: h });
      const text = await res.text();
      return { status: res.status, headers: res.headers, body: text ? JSON.parse(text) : undefined };
    }
    const apiProof = (url, opts = {}) => proof(key, {
      htm: 'GET', htu: url, accessToken: token, ...opts,
    });

    function assertChallenge(res, error) {
      assert.equal(res.status, 401, JSON.stringify(res.body));
      const www = res.headers.get('www-authenticate');
      assert.match(www, /^DPoP /);
      assert.ok(www.includes(`error="${error}"`), www);
      assert.match(www, /algs="[^"]*ES256/);
      assert.equal(res.body.error, error);
    }

    test('GET with the DPoP token and a good proof: 200 {sub, jkt, method, ath_ok}', async () => {
      const res = await call(apiUrl, { dpop: await apiProof(apiUrl) });
      assert.equal(res.status, 200, JSON.stringify(res.body));
      assert.equal(res.headers.get('cache-control'), 'no-store');
      assert.equal(res.body.sub, USERS.alice.sub);
      assert.equal(res.body.jkt, key.jkt);
      assert.equal(res.body.method, 'GET');
      assert.equal(res.body.ath_ok, true);
      assert.equal(res.body.client_id, CLIENTS.dpop.clientId);
      assert.equal(res.body.aud, AUDIENCE);
    });

    test('POST (htm POST), and the query is not part of htu', async () => {
      const res = await call(`${apiUrl}?x=1`, { method: 'POST', dpop: await apiProof(apiUrl, { htm: 'POST' }) });
      assert.equal(res.status, 200, JSON.stringify(res.body));
      assert.equal(res.body.method, 'POST');
    });

    test('the DPoP-bound token as a Bearer token: 401 DPoP error="invalid_token"', async () => {
      assertChallenge(await call(apiUrl, { scheme: 'Bearer' }), 'invalid_token');
      assertChallenge(await call(apiUrl, { scheme: 'Bearer', dpop: await apiProof(apiUrl) }), 'invalid_token');
    });

    test('no Authorization: 401 with a bare DPoP challenge', async () => {
      const res = await call(apiUrl, { accessToken: null });
      assert.equal(res.status, 401);
      assert.match(res.headers.get('www-authenticate'), /^DPoP algs="/);
    });

    test('DPoP scheme without a proof: 401 invalid_dpop_proof', async () => {
      assertChallenge(await call(apiUrl), 'invalid_dpop_proof');
    });

    test('bad proofs: 401 invalid_dpop_proof', async () => {
      const bad = {
        'wrong ath': await apiProof(apiUrl, { accessToken: 'another token' }),
        'no ath': await apiProof(apiUrl, { accessToken: null }),
        'wrong htm': await apiProof(apiUrl, { htm: 'POST' }),
        'wrong htu': await apiProof(nonceUrl),
        'old iat': await apiProof(apiUrl, { iat: Math.floor(Date.now() / 1000) - 120 }),
        'another key than cnf.jkt': await proof(await dpopKey(), { htm: 'GET', htu: apiUrl, accessToken: token }),
        'wrong typ': await apiProof(apiUrl, { header: { typ: 'JWT' } }),
      };
      for (const [name, dpop] of Object.entries(bad)) {
        const res = await call(apiUrl, { dpop });
        assert.equal(res.status, 401, name);
        assertChallenge(res, 'invalid_dpop_proof');
      }
    });

    test('a replayed proof (same jti): 401 invalid_dpop_proof', async () => {
      const dpop = await apiProof(apiUrl);
      assert.equal((await call(apiUrl, { dpop })).status, 200);
      assertChallenge(await call(apiUrl, { dpop }), 'invalid_dpop_proof');
    });

    test('a Bearer (unbound) token with the DPoP scheme: 401 invalid_token', async () => {
      const bearer = ok(await exchange(provider, API_PARAMS, { client: 'dpop' })).access_token;
      const dpop = await proof(key, { htm: 'GET', htu: apiUrl, accessToken: bearer });
      assertChallenge(await call(apiUrl, { accessToken: bearer, dpop }), 'invalid_token');
    });

    test('a token for no audience (opaque) or a foreign JWT: 401 invalid_token', async () => {
      const opaque = ok(await withProof(exchange, legacy(), 'dpop', await tokenProof(key))).access_token;
      assertChallenge(await call(apiUrl, {
        accessToken: opaque, dpop: await proof(key, { htm: 'GET', htu: apiUrl, accessToken: opaque }),
      }), 'invalid_token');
      const forged = await new jose.SignJWT({ sub: 'x', cnf: { jkt: key.jkt } })
        .setProtectedHeader({ alg: 'ES256', typ: 'at+jwt' }).setIssuer(provider.issuer).setAudience(AUDIENCE)
        .setExpirationTime('1h').sign(key.privateKey);
      assertChallenge(await call(apiUrl, {
        accessToken: forged, dpop: await proof(key, { htm: 'GET', htu: apiUrl, accessToken: forged }),
      }), 'invalid_token');
    });

    test(`${DPOP_API_PATHS.nonce}: 401 use_dpop_nonce + DPoP-Nonce, then the proof with the nonce passes`, async () => {
      const first = await call(nonceUrl, { dpop: await apiProof(nonceUrl) });
      assertChallenge(first, 'use_dpop_nonce');
      const nonce = first.headers.get('dpop-nonce');
      assert.ok(nonce);
      const wrong = await call(nonceUrl, { dpop: await apiProof(nonceUrl, { nonce: 'bogus' }) });
      assertChallenge(wrong, 'use_dpop_nonce');
      assert.equal(wrong.headers.get('dpop-nonce'), nonce);
      const res = await call(nonceUrl, { dpop: await apiProof(nonceUrl, { nonce }) });
      assert.equal(res.status, 200, JSON.stringify(res.body));
      assert.equal(res.body.nonce_ok, true);
      assert.equal(res.body.jkt, key.jkt);
      // the token endpoint's nonce is not the API's
      const tokenNonce = (await withProof(exchange, API_PARAMS, 'dpopNonce', await tokenProof(key))).headers.get('dpop-nonce');
      assertChallenge(await call(nonceUrl, { dpop: await apiProof(nonceUrl, { nonce: tokenNonce }) }), 'use_dpop_nonce');
    });

    test('CORS: preflight allows Authorization and DPoP, responses expose WWW-Authenticate and DPoP-Nonce', async () => {
      const pre = await fetch(apiUrl, {
        method: 'OPTIONS',
        headers: {
          origin: 'http://127.0.0.1:9999', 'access-control-request-method': 'GET', 'access-control-request-headers': 'authorization,dpop',
        },
      });
      assert.equal(pre.status, 204);
      assert.equal(pre.headers.get('access-control-allow-origin'), 'http://127.0.0.1:9999');
      assert.match(pre.headers.get('access-control-allow-headers'), /DPoP/);
      const res = await call(apiUrl, { headers: { origin: 'http://127.0.0.1:9999' } });
      assert.match(res.headers.get('access-control-expose-headers'), /WWW-Authenticate/);
      assert.match(res.headers.get('access-control-expose-headers'), /DPoP-Nonce/);
    });
  });
});
