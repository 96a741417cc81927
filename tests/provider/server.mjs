#!/usr/bin/env node
// A local Auth0-compatible OpenID provider with Custom Token Exchange, for tests
// and the demo. Built on oidc-provider (a certified OpenID provider), not a mock.
//
//   node tests/provider/server.mjs --port 0
//
// prints exactly one JSON line on stdout once listening:
//   {"issuer":"http://127.0.0.1:PORT/","port":PORT}
// and exits 0 on SIGTERM / SIGINT. Public keys for the private_key_jwt client
// and the "external IdP" come from AUTH0_EDGE_PROVIDER_KEYS
// ({"clientJwk":{...},"externalJwk":{...},"signingJwk"?:{private}}); without it, throwaway pairs are
// generated. Diagnostics go to stderr, and only with --verbose or
// AUTH0_EDGE_PROVIDER_DEBUG=1.

import * as crypto from 'node:crypto';
import * as http from 'node:http';
import * as fs from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

import * as jose from 'jose';

import {
  APIS,
  ACCESS_TOKEN_TTL,
  ROTATING_ACCESS_TOKEN_TTL,
  AUDIENCE,
  CLIENTS,
  DPOP_SIGNING_ALGS,
  EXTERNAL_ISSUER,
  GRANT_TYPE_TOKEN_EXCHANGE,
  ID_TOKEN_TTL,
  ISSUED_TOKEN_TYPE,
  KEYS_ENV,
  LEGACY_TOKENS,
  OIDC_SCOPES,
  ORGANIZATIONS,
  REFRESH_TOKEN_TTL,
  SESSION_TRANSFER_INTROSPECTION_PATH,
  SESSION_TRANSFER_TOKEN_TYPE,
  TOKEN_TYPES,
  USERS,
} from './fixtures.mjs';
import { dpopApi } from './dpop-api.mjs';

const HOST = '127.0.0.1';

// ---------------------------------------------------------------------------
// logging: stdout carries only the JSON "ready" line.

let verbose = false;
const log = (...args) => {
  if (verbose) console.error('[auth0-edge provider]', ...args);
};

// oidc-provider prints notices with console.info (stdout!) and warnings with
// console.warn; neither may reach stdout, and both stay quiet unless verbose.
function quietConsole() {
  const toStderr = (...args) => { if (verbose) console.error(...args); };
  console.log = toStderr;
  console.info = toStderr;
  console.warn = toStderr;
  console.debug = toStderr;
}

// ---------------------------------------------------------------------------
// keys

async function generateRsaJwk() {
  const { privateKey } = await new Promise((resolve, reject) => {
    crypto.generateKeyPair('rsa', { modulusLength: 2048 }, (err, publicKey, privKey) => {
      if (err) reject(err); else resolve({ publicKey, privateKey: privKey });
    });
  });
  const jwk = privateKey.export({ format: 'jwk' });
  jwk.kid = await jose.calculateJwkThumbprint(jwk);
  return jwk;
}

function publicPart(jwk) {
  const {
    d, p, q, dp, dq, qi, oth, ...pub
  } = jwk;
  return pub;
}

function loadPublicKeys(envValue) {
  let parsed;
  try {
    parsed = JSON.parse(envValue);
  } catch (cause) {
    throw new Error(`${KEYS_ENV} is not valid JSON`, { cause });
  }
  for (const name of ['clientJwk', 'externalJwk']) {
    const jwk = parsed?.[name];
    if (!jwk || typeof jwk !== 'object' || jwk.kty !== 'RSA' || !jwk.n || !jwk.e) {
      throw new Error(`${KEYS_ENV}.${name} must be an RSA public JWK`);
    }
  }
  const { signingJwk } = parsed;
  if (signingJwk !== undefined && (typeof signingJwk !== 'object' || signingJwk.kty !== 'RSA' || !signingJwk.d || !signingJwk.kid)) {
    throw new Error(`${KEYS_ENV}.signingJwk must be a private RSA JWK with a kid`);
  }
  return { clientJwk: publicPart(parsed.clientJwk), externalJwk: publicPart(parsed.externalJwk), signingJwk };
}

// ---------------------------------------------------------------------------
// the provider

let oidcProviderModule;
// oidc-provider is imported lazily (after the console is quietened), once.
const importOidcProvider = () => { oidcProviderModule ??= import('oidc-provider'); return oidcProviderModule; };
// The helpers oidc-provider's own grants use (DPoP proof validation, replay check, refresh
// token binding). Not a documented entry point, but the package has no `exports` map and a
// registered grant has no other way to reach them; each takes the provider as first argument.
let grantHelpersModule;
const importGrantHelpers = () => {
  grantHelpersModule ??= import('oidc-provider/lib/helpers/grants.js');
  return grantHelpersModule;
};

/**
 * Builds the oidc-provider instance for `issuer`.
 * @returns {Promise<import('oidc-provider').Provider>}
 */
export async function createProvider(issuer, { clientJwk, externalJwk, signingKeys }) {
  const [{ default: Provider, errors }, grantHelpers] = await Promise.all([importOidcProvider(), importGrantHelpers()]);
  const {
    AccessDenied, InvalidGrant, InvalidRequest, InvalidTarget,
  } = errors;

  // oidc-provider's InvalidGrant keeps its generic description and hides the detail;
  // Auth0 says what was wrong, so set the description explicitly.
  const invalidGrant = (description) => Object.assign(new InvalidGrant(), { error_description: description });
  // the same, as a class (for oidc-provider helpers that take an error class)
  class DescribedInvalidGrant extends InvalidGrant {
    constructor(description) {
      super(description);
      this.error_description = description;
    }
  }

  const [primaryKey] = signingKeys;
  const ownKeys = jose.createLocalJWKSet({ keys: signingKeys.map(publicPart) });
  const externalKey = await jose.importJWK({ ...externalJwk, alg: 'RS256' }, 'RS256');

  const usersBySub = new Map(Object.values(USERS).map((u) => [u.sub, u]));
  const usersByExternalSub = new Map(Object.values(USERS).map((u) => [u.externalSub, u]));
  // grantId -> { orgId }: what a refresh must carry over (never `act`).
  const grantMeta = new Map();
  // session transfer token -> its introspection record (SESSION_TRANSFER_INTROSPECTION_PATH)
  const sessionTransfers = new Map();

  function resourceServerInfo(audience, clientId) {
    const api = APIS[audience];
    if (!api) return undefined;
    return {
      audience: api.identifier,
      scope: api.scopes.join(' '),
      accessTokenTTL: clientId === CLIENTS.rotating.clientId ? ROTATING_ACCESS_TOKEN_TTL : ACCESS_TOKEN_TTL,
      accessTokenFormat: 'jwt',
      jwt: { sign: { alg: 'RS256', kid: primaryKey.kid } },
    };
  }

  function accountFor(sub, orgId) {
    const user = usersBySub.get(sub);
    if (!user) return undefined;
    return {
      accountId: user.sub,
      async claims() {
        return {
          sub: user.sub,
          name: user.name,
          nickname: user.nickname,
          email: user.email,
          email_verified: user.email_verified,
          ...(user.picture ? { picture: user.picture } : undefined),
          ...(orgId ? { org_id: orgId } : undefined),
        };
      },
    };
  }

  const findOrganization = (value) => ORGANIZATIONS[value]
    ?? Object.values(ORGANIZATIONS).find((org) => org.name === value);

  // -- Custom Token Exchange profiles: subject_token_type -> validator, as an
  //    Auth0 Action would be. Each resolves { sub, act? } or throws InvalidGrant.
  const profiles = new Map([
    [TOKEN_TYPES.LEGACY, async (token, what) => {
      const sub = Object.hasOwn(LEGACY_TOKENS, token) ? LEGACY_TOKENS[token] : undefined;
      if (!sub) throw invalidGrant(`invalid ${what}: unknown legacy token`);
      return { sub };
    }],
    [TOKEN_TYPES.EXTERNAL_JWT, async (token, what) => {
      let payload;
      try {
        ({ payload } = await jose.jwtVerify(token, externalKey, {
          issuer: EXTERNAL_ISSUER,
          algorithms: ['RS256'],
          requiredClaims: ['exp', 'sub'],
        }));
      } catch (err) {
        throw invalidGrant(`invalid ${what}: ${err.code === 'ERR_JWT_EXPIRED' ? 'token is expired' : err.message}`);
      }
      const user = usersByExternalSub.get(payload.sub) ?? usersBySub.get(payload.sub);
      if (!user) throw invalidGrant(`invalid ${what}: unknown user`);
      return { sub: user.sub, act: isObject(payload.act) ? payload.act : undefined };
    }],
    [TOKEN_TYPES.ACCESS_TOKEN, async (token, what) => {
      if (token.split('.').length === 3) {
        try {
          const { payload } = await jose.jwtVerify(token, ownKeys, {
            issuer,
            algorithms: ['RS256'],
            typ: 'at+jwt', // RFC 9068: keeps this provider's ID tokens out
            audience: Object.keys(APIS), // on behalf of: a token issued for one of this tenant's APIs
            requiredClaims: ['exp', 'sub'],
          });
          return { sub: payload.sub, act: isObject(payload.act) ? payload.act : undefined };
        } catch (err) {
          throw invalidGrant(`invalid ${what}: ${err.code === 'ERR_JWT_EXPIRED' ? 'token is expired' : err.message}`);
        }
      }
      const at = await provider.AccessToken.find(token);
      if (!at || at.isExpired || !at.accountId) {
        throw invalidGrant(`invalid ${what}: access token not found or expired`);
      }
      return { sub: at.accountId, act: isObject(at.extra?.act) ? at.extra.act : undefined };
    }],
    // This provider's own ID tokens (the actor of a session transfer, by default).
    [TOKEN_TYPES.ID_TOKEN, async (token, what) => {
      try {
        const { payload, protectedHeader } = await jose.jwtVerify(token, ownKeys, {
          issuer,
          algorithms: ['RS256'],
          requiredClaims: ['exp', 'sub', 'aud'],
        });
        if (protectedHeader.typ === 'at+jwt') throw new Error('an access token, not an ID token');
        return { sub: payload.sub };
      } catch (err) {
        throw invalidGrant(`invalid ${what}: ${err.code === 'ERR_JWT_EXPIRED' ? 'token is expired' : err.message}`);
      }
    }],
  ]);

  const provider = new Provider(issuer, {
    clients: [
      {
        client_id: CLIENTS.basic.clientId,
        client_secret: CLIENTS.basic.clientSecret,
        token_endpoint_auth_method: 'client_secret_basic',
        grant_types: [GRANT_TYPE_TOKEN_EXCHANGE, 'refresh_token'],
        response_types: [],
        redirect_uris: [],
      },
      {
        client_id: CLIENTS.post.clientId,
        client_secret: CLIENTS.post.clientSecret,
        token_endpoint_auth_method: 'client_secret_post',
        grant_types: [GRANT_TYPE_TOKEN_EXCHANGE, 'refresh_token'],
        response_types: [],
        redirect_uris: [],
      },
      {
        client_id: CLIENTS.privateKeyJwt.clientId,
        token_endpoint_auth_method: 'private_key_jwt',
        token_endpoint_auth_signing_alg: 'RS256',
        jwks: { keys: [{ ...clientJwk, alg: 'RS256', use: 'sig' }] },
        grant_types: [GRANT_TYPE_TOKEN_EXCHANGE, 'refresh_token'],
        response_types: [],
        redirect_uris: [],
      },
      {
        client_id: CLIENTS.rotating.clientId,
        client_secret: CLIENTS.rotating.clientSecret,
        token_endpoint_auth_method: 'client_secret_basic',
        grant_types: [GRANT_TYPE_TOKEN_EXCHANGE, 'refresh_token'],
        response_types: [],
        redirect_uris: [],
      },
      {
        client_id: CLIENTS.notAllowed.clientId,
        client_secret: CLIENTS.notAllowed.clientSecret,
        token_endpoint_auth_method: 'client_secret_basic',
        grant_types: ['refresh_token'],
        response_types: [],
        redirect_uris: [],
      },
      // DPoP clients: any client may send a DPoP proof; these two exist for DPoP tests, and
      // the token endpoint demands a nonce in cte-dpop-nonce's proofs (features.dPoP below).
      ...[CLIENTS.dpop, CLIENTS.dpopNonce].map((c) => ({
        client_id: c.clientId,
        client_secret: c.clientSecret,
        token_endpoint_auth_method: 'client_secret_basic',
        grant_types: [GRANT_TYPE_TOKEN_EXCHANGE, 'refresh_token'],
        response_types: [],
        redirect_uris: [],
      })),
    ],
    enabledJWA: { dPoPSigningAlgValues: [...DPOP_SIGNING_ALGS] },
    jwks: { keys: signingKeys },
    routes: {
      authorization: '/authorize',
      end_session: '/oidc/logout',
      jwks: '/.well-known/jwks.json',
      revocation: '/oauth/revoke',
      token: '/oauth/token',
      userinfo: '/userinfo',
    },
    scopes: ['openid', 'offline_access'],
    claims: {
      openid: ['sub', 'org_id'],
      profile: ['name', 'nickname', 'picture', 'updated_at'],
      email: ['email', 'email_verified'],
    },
    // Auth0 puts profile/email claims in the ID token, never defers them to /userinfo.
    conformIdTokenClaims: false,
    features: {
      devInteractions: { enabled: false },
      pushedAuthorizationRequests: { enabled: false },
      rpInitiatedLogout: { enabled: true }, // advertises end_session_endpoint, as Auth0 tenants do
      userinfo: { enabled: true },
      // RFC 9449. A request without a `DPoP` header is unaffected (Bearer tokens, as before).
      dPoP: {
        enabled: true,
        nonceSecret: crypto.randomBytes(32),
        requireNonce: (ctx) => ctx.oidc?.client?.clientId === CLIENTS.dpopNonce.clientId,
      },
      resourceIndicators: {
        enabled: true,
        defaultResource: () => undefined,
        // a refresh keeps the API the tokens were issued for (Auth0 `audience`)
        useGrantedResource: () => true,
        getResourceServerInfo(ctx, resource, client) {
          const info = resourceServerInfo(resource, client?.clientId);
          if (!info) throw new InvalidTarget(`Service not found: ${resource}`);
          return info;
        },
      },
    },
    clientBasedCORS: () => true,
    cookies: { keys: [crypto.randomBytes(32).toString('base64url')] },
    async findAccount(ctx, sub, token) {
      return accountFor(sub, token?.grantId ? grantMeta.get(token.grantId)?.orgId : undefined);
    },
    async extraTokenClaims(ctx, token) {
      const orgId = grantMeta.get(token.grantId)?.orgId;
      const extra = { ...(orgId ? { org_id: orgId } : undefined), ...token.extra };
      return Object.keys(extra).length ? extra : undefined;
    },
    formats: {
      customizers: {
        jwt(ctx, token, jwt) {
          jwt.payload.azp = token.clientId;
          // Auth0 access tokens list the granted OIDC scopes next to the API's;
          // oidc-provider's refresh grant keeps only the API's. Put them back.
          if (ctx?.oidc?.params?.grant_type === 'refresh_token') {
            jwt.payload.scope = refreshedScope(ctx, token.scope) || undefined;
          }
        },
      },
    },
    issueRefreshToken: (ctx, client, source) => client.grantTypeAllowed('refresh_token')
      && source.scopes.has('offline_access'),
    // Only the rotating client rotates (oidc-provider then revokes the grant when a consumed
    // refresh token comes back); every other client keeps its refresh token, as before.
    rotateRefreshToken: (ctx) => ctx.oidc.client?.clientId === CLIENTS.rotating.clientId,
    expiresWithSession: () => false,
    ttl: {
      // The rotating client's access tokens are due for refresh 5 s after they are issued (the
      // client refreshes 30 s before expiry): a race test needs no clock of its own.
      AccessToken: (ctx, token, client) => (client?.clientId === CLIENTS.rotating.clientId ? ROTATING_ACCESS_TOKEN_TTL : ACCESS_TOKEN_TTL),
      ClientCredentials: ACCESS_TOKEN_TTL,
      IdToken: ID_TOKEN_TTL,
      RefreshToken: REFRESH_TOKEN_TTL,
      Grant: REFRESH_TOKEN_TTL,
      Session: REFRESH_TOKEN_TTL,
      Interaction: 600,
      AuthorizationCode: 60,
    },
  });

  function refreshedScope(ctx, tokenScope) {
    const rt = ctx.oidc.entities.RefreshToken;
    const grant = ctx.oidc.entities.Grant;
    if (!rt || !grant) return tokenScope;
    const requested = ctx.oidc.params.scope ? ctx.oidc.requestParamScopes : rt.scopes;
    const oidc = grant.getOIDCScopeFiltered(requested).split(' ');
    return joinScopes([...oidc, ...(tokenScope ?? '').split(' ')]);
  }

  // -- Auth0-compatible error codes and refresh response scope.
  provider.use(async (ctx, next) => {
    await next();
    if (ctx.path !== '/oauth/token' || ctx.method !== 'POST' || !isObject(ctx.body)) return;
    // oidc-provider answers a grant type the client may not use with invalid_request;
    // Auth0 (and RFC 6749 §5.2) say unauthorized_client.
    if (ctx.body.error === 'invalid_request'
      && ctx.body.error_description === 'requested grant type is not allowed for this client') {
      ctx.body = {
        error: 'unauthorized_client',
        error_description: `Grant type '${ctx.oidc?.params?.grant_type}' not allowed for the client.`,
      };
    }
    if (ctx.status === 200 && ctx.body.access_token && ctx.oidc?.params?.grant_type === 'refresh_token') {
      const scope = refreshedScope(ctx, ctx.body.scope);
      ctx.body = { ...ctx.body, scope };
    }
  });

  // -- the Custom Token Exchange grant (RFC 8693), Auth0 flavour.
  async function tokenExchange(ctx) {
    const { params, client } = ctx.oidc;
    // RFC 9449: validated exactly as oidc-provider's own grants do (signature with the
    // embedded jwk, typ, alg, htm, htu, iat or nonce). Undefined without a DPoP header.
    // invalid_dpop_proof / use_dpop_nonce (with a DPoP-Nonce header) are thrown from here.
    const dPoP = await grantHelpers.validateDpop(provider, ctx);
    grantHelpers.checkDpopRequired(provider, ctx, dPoP);
    const {
      subject_token: subjectToken,
      subject_token_type: subjectTokenType,
      actor_token: actorToken,
      actor_token_type: actorTokenType,
      organization,
    } = params;

    if (!subjectTokenType) throw new InvalidRequest('missing required parameter: subject_token_type');
    if (!subjectToken) throw new InvalidRequest('missing required parameter: subject_token');
    const profile = profiles.get(subjectTokenType);
    if (!profile) {
      throw new InvalidRequest(`no Custom Token Exchange profile for subject_token_type ${subjectTokenType}`);
    }
    if (actorToken && !actorTokenType) {
      throw new InvalidRequest('actor_token_type is required when actor_token is provided');
    }
    if (actorTokenType && !actorToken) {
      throw new InvalidRequest('actor_token is required when actor_token_type is provided');
    }
    const actorProfile = actorToken ? profiles.get(actorTokenType) : undefined;
    if (actorToken && !actorProfile) {
      throw new InvalidRequest(`unsupported actor_token_type ${actorTokenType}`);
    }

    const audience = params.audience || params.resource || undefined;
    // Auth0's session transfer (native to web SSO): audience urn:{host}:session_transfer.
    const sessionTransfer = audience === `urn:${new URL(issuer).host}:session_transfer`;
    const rsInfo = audience && !sessionTransfer ? resourceServerInfo(audience, client.clientId) : undefined;
    if (audience && !rsInfo && !sessionTransfer) {
      const err = new AccessDenied(`Service not found: ${audience}`);
      err.status = 403;
      err.statusCode = 403;
      throw err;
    }

    const subject = await profile(subjectToken, 'subject_token');
    const actor = actorToken ? await actorProfile(actorToken, 'actor_token') : undefined;

    const account = accountFor(subject.sub);
    if (!account) throw invalidGrant('invalid subject_token: unknown user');

    let org;
    if (organization) {
      org = findOrganization(organization);
      if (!org) throw new InvalidRequest(`parameter organization is invalid: ${organization}`);
      if (!org.members.includes(subject.sub)) {
        throw invalidGrant(`user ${subject.sub} is not a member of the organization ${org.id}`);
      }
    }

    // a proof's jti is good for one token request (invalid_grant when replayed)
    await grantHelpers.checkDpopReplay(provider, ctx, dPoP, client.clientId, DescribedInvalidGrant);

    if (sessionTransfer) {
      if (!actor) throw new InvalidRequest('a session transfer needs an actor_token');
      const token = `stt_${crypto.randomBytes(24).toString('base64url')}`;
      const expiresIn = 60;
      for (const [value, r] of sessionTransfers) if (r.exp < Date.now() / 1000) sessionTransfers.delete(value);
      sessionTransfers.set(token, {
        client_id: client.clientId,
        sub: subject.sub,
        exp: Math.floor(Date.now() / 1000) + expiresIn,
        ...(dPoP ? { cnf: { jkt: dPoP.thumbprint } } : undefined),
      });
      ctx.body = {
        access_token: token,
        issued_token_type: SESSION_TRANSFER_TOKEN_TYPE,
        token_type: 'N_A',
        expires_in: expiresIn,
      };
      log('session-transfer', client.clientId, subject.sub, `actor=${actor.sub}`, dPoP ? 'dpop' : '');
      return;
    }

    const requested = new Set((params.scope ?? '').split(' ').filter(Boolean));
    const oidcScopes = OIDC_SCOPES.filter((s) => requested.has(s)
      // Auth0: with an actor there is no refresh token, and offline_access is dropped.
      && !(s === 'offline_access' && (actor || !client.grantTypeAllowed('refresh_token'))));
    const apiScopes = rsInfo ? rsInfo.scope.split(' ').filter((s) => requested.has(s)) : [];
    const scope = joinScopes([...oidcScopes, ...apiScopes]);
    const act = actor ? { sub: actor.sub, ...(actor.act ? { act: actor.act } : undefined) } : undefined;
    const sid = crypto.randomUUID();

    const grant = new provider.Grant({ accountId: subject.sub, clientId: client.clientId });
    if (oidcScopes.length) grant.addOIDCScope(oidcScopes.join(' '));
    if (audience) grant.addResourceScope(audience, apiScopes.join(' '));
    const grantId = await grant.save();
    grantMeta.set(grantId, { orgId: org?.id });

    ctx.oidc.entity('Account', account);
    ctx.oidc.entity('Grant', grant);

    const at = new provider.AccessToken({
      accountId: subject.sub,
      client,
      expiresWithSession: false,
      grantId,
      gty: 'token_exchange',
      scope: scope || undefined,
      sid,
      extra: act ? { act } : undefined,
    });
    if (rsInfo) at.resourceServer = new provider.ResourceServer(audience, rsInfo);
    if (dPoP) at.setThumbprint('jkt', dPoP.thumbprint); // cnf.jkt, token_type DPoP
    ctx.oidc.entity('AccessToken', at);
    const accessToken = await at.save();

    let refreshToken;
    if (oidcScopes.includes('offline_access')) {
      const rt = new provider.RefreshToken({
        accountId: subject.sub,
        client,
        expiresWithSession: false,
        grantId,
        gty: 'token_exchange',
        resource: audience,
        rotations: 0,
        scope,
        sid,
      });
      // as oidc-provider does: bound to the DPoP key for public clients only (none here)
      await grantHelpers.applyRefreshTokenBindings(provider, ctx, at, rt);
      ctx.oidc.entity('RefreshToken', rt);
      refreshToken = await rt.save();
    }

    let idToken;
    if (oidcScopes.includes('openid')) {
      const claims = await accountFor(subject.sub).claims('id_token', oidcScopes.join(' '));
      const token = new provider.IdToken(claims, { ctx });
      token.scope = oidcScopes.join(' ');
      token.set('sid', sid);
      if (org) token.set('org_id', org.id);
      if (act) token.set('act', act);
      idToken = await token.issue({ use: 'idtoken' });
    }

    log('token-exchange', client.clientId, subjectTokenType, subject.sub, act ? `act=${JSON.stringify(act)}` : '');

    ctx.body = {
      access_token: accessToken,
      ...(idToken ? { id_token: idToken } : undefined),
      ...(refreshToken ? { refresh_token: refreshToken } : undefined),
      scope,
      expires_in: at.expiration,
      token_type: at.tokenType, // DPoP when bound, else Bearer
      issued_token_type: ISSUED_TOKEN_TYPE,
    };
  }

  // -- introspection of the session transfer tokens issued above (fixtures.mjs).
  provider.use(async (ctx, next) => {
    if (ctx.path !== SESSION_TRANSFER_INTROSPECTION_PATH) return next();
    if (ctx.method !== 'POST') {
      ctx.status = 405;
      ctx.set('Allow', 'POST');
      return undefined;
    }
    const chunks = [];
    for await (const chunk of ctx.req) chunks.push(chunk);
    const token = new URLSearchParams(Buffer.concat(chunks).toString('utf8')).get('token');
    const record = token ? sessionTransfers.get(token) : undefined;
    const active = !!record && record.exp > Date.now() / 1000;
    ctx.set('Cache-Control', 'no-store');
    ctx.set('Access-Control-Allow-Origin', '*');
    ctx.body = active ? { active, token_type: 'N_A', ...record } : { active: false };
    return undefined;
  });

  // -- the DPoP-protected test API (dpop-api.mjs), ahead of oidc-provider's router.
  provider.use(dpopApi({
    issuer, keys: ownKeys, audience: AUDIENCE, algorithms: DPOP_SIGNING_ALGS,
  }));

  provider.registerGrantType(GRANT_TYPE_TOKEN_EXCHANGE, tokenExchange, [
    'audience',
    'resource',
    'scope',
    'requested_token_type',
    'subject_token',
    'subject_token_type',
    'actor_token',
    'actor_token_type',
    'organization',
  ]);

  provider.on('server_error', (ctx, err) => console.error('[auth0-edge provider] server_error', err));
  if (verbose) {
    provider.on('grant.error', (ctx, err) => log('grant.error', err.message, err.error_description ?? '', err.error_detail ?? ''));
  }

  return provider;
}

function isObject(value) {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function joinScopes(list) {
  return [...new Set(list.filter(Boolean))].join(' ');
}

// ---------------------------------------------------------------------------
// HTTP server

/**
 * Starts the provider on 127.0.0.1:`port` (0 = any free port).
 * @returns {Promise<{ issuer: string, port: number, close: () => Promise<void> }>}
 */
export async function startServer({ port = 0, keys } = {}) {
  let handler = (req, res) => { res.statusCode = 503; res.end(); };
  const server = http.createServer((req, res) => handler(req, res));
  server.keepAliveTimeout = 5000;

  const [, signingKeys, publicKeys] = await Promise.all([
    importOidcProvider(), // overlap loading the module with key generation
    // The first signing key may come from the harness (`signingJwk`), so tests can mint tokens
    // as the tenant would, with its key.
    Promise.all([keys?.signingJwk ?? generateRsaJwk(), generateRsaJwk()]).then((pair) => pair.map((k) => ({ ...k, alg: 'RS256', use: 'sig' }))),
    keys ? Promise.resolve(keys) : Promise.all([generateRsaJwk(), generateRsaJwk()])
      .then(([c, e]) => ({ clientJwk: publicPart(c), externalJwk: publicPart(e) })),
    new Promise((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, HOST, () => { server.off('error', reject); resolve(); });
    }),
  ]);

  const actualPort = server.address().port;
  const issuer = `http://${HOST}:${actualPort}/`;
  const provider = await createProvider(issuer, { ...publicKeys, signingKeys });
  handler = provider.callback();

  const close = () => new Promise((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });

  return { issuer, port: actualPort, provider, close };
}

async function main() {
  const { values } = parseArgs({
    options: {
      port: { type: 'string', default: '0' },
      verbose: { type: 'boolean', default: false },
    },
    allowPositionals: false,
  });
  verbose = values.verbose || /^(1|true|yes)$/i.test(process.env.AUTH0_EDGE_PROVIDER_DEBUG ?? '');
  quietConsole();

  const port = Number.parseInt(values.port, 10);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new Error(`invalid --port ${values.port}`);
  }
  const keys = process.env[KEYS_ENV] ? loadPublicKeys(process.env[KEYS_ENV]) : undefined;

  // Handlers go in first, so a signal during start-up also ends with exit code 0.
  let close;
  let stopping = false;
  const stop = async (signal) => {
    if (stopping) return;
    stopping = true;
    log(`${signal}: shutting down`);
    setTimeout(() => process.exit(0), 3000).unref();
    await close?.();
    process.exit(0);
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
  process.stdout.on('error', () => {}); // a closed reader must not crash the server

  // Set by harness.mjs: exit once the process that started us is gone (say, a test
  // runner killed with Ctrl-C), so no provider outlives its tests.
  const parentPid = Number(process.env.AUTH0_EDGE_PROVIDER_PARENT_PID);
  if (Number.isInteger(parentPid) && parentPid > 0) {
    setInterval(() => {
      try {
        process.kill(parentPid, 0);
      } catch {
        stop('parent exited');
      }
    }, 1000).unref();
  }

  const started = await startServer({ port, keys });
  ({ close } = started);
  const { issuer, port: actualPort } = started;
  if (stopping) {
    await close();
    return;
  }

  process.stdout.write(`${JSON.stringify({ issuer, port: actualPort })}\n`);
  log(`listening at ${issuer} (a client's domain: "${issuer.replace(/\/$/, '')}", with its scheme: the server speaks plain http)`);
}

if (process.argv[1] && fs.realpathSync(process.argv[1]) === fs.realpathSync(fileURLToPath(import.meta.url))) {
  main().catch((err) => {
    console.error('[auth0-edge provider] failed to start:', err);
    process.exit(1);
  });
}
