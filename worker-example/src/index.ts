// A Cloudflare Worker that swaps tokens with Auth0 Custom Token Exchange and keeps sealed sessions,
// using the auth0-edge package. Request and response bodies are JSON in snake_case, as OAuth's own
// token responses are.
//
//   POST /exchange  {subject_token, subject_token_type, actor_token?, actor_token_type?,
//                    audience?, scope?, organization?}  → the token exchange response
//   POST /login     the same body → {user}; the session is stored (cookie or KV) and its
//                   cookie set; the tokens stay in the session
//   GET  /me        → {user}, or 401 {error: "missing_session"}
//   GET  /token     ?audience=&scope= → {access_token}, refreshed through Auth0 when due
//   POST /logout    {return_to?} → {logout_url}; the session is deleted and its cookies cleared
//   POST /session-transfer  {subject_token, subject_token_type, actor_token?, actor_token_type?,
//                   organization?, target_login_url} → {redirect_url, expires_in}: a session
//                   transfer token (the actor defaults to the session's ID token) added to the
//                   web application's login URL
//   GET  /domain    → {domain}: the tenant domain this request's host maps to (AUTH0_DOMAINS)
//   GET  /api       → the protected API at API_URL called with the session's access token
//                   (fetchWithAuth: DPoP-bound with AUTH0_DPOP_JWK), its status and JSON body
//   GET  /protected → this Worker as an API (API_AUDIENCE): the caller's access token
//                   (Authorization: Bearer or DPoP) verified → {sub, scope}; a refusal is its
//                   status, WWW-Authenticate challenge and {error, error_description}
//   GET  /protected/downstream → the same, then the caller's token exchanged on its behalf for
//                   one of DOWNSTREAM_AUDIENCE → {sub, downstream: {audience, token_type, expires_in, scope}}
//
// Errors are JSON {error: code} (plus error_description for a failed exchange), never a stack
// trace, a token or a secret. Configuration comes from vars and secrets only (wrangler.jsonc).
import {
  AccessTokenError,
  ApiClient,
  ConfigurationError,
  CookieStore,
  CustomTokenExchangeError,
  DurableObjectRefreshCoordinator,
  DurableObjectStore,
  IdTokenError,
  KvStore,
  ServerClient,
  StoreError,
  VerifyAccessTokenError,
  type CustomTokenExchangeOptions,
  type StateStore,
  type StoreRequestOptions,
  type TokenExchangeResponse,
} from "auth0-edge";

// workerd instantiates the sessions' Durable Object class from the Worker's exports.
export { SessionDurableObject } from "auth0-edge";

export interface Env {
  /** The tenant, e.g. "your-tenant.eu.auth0.com" (a var). */
  AUTH0_DOMAIN: string;
  /**
   * Several custom domains of the tenant: a JSON object from a request's host name to the domain
   * to use for it, e.g. {"app.example.com": "login.example.com"}; other hosts use AUTH0_DOMAIN.
   */
  AUTH0_DOMAINS?: string;
  /**
   * The tenant domains requests may be served with, comma-separated (the client's
   * `allowedDomains`). Default: AUTH0_DOMAIN and every domain of AUTH0_DOMAINS. A request whose
   * host maps outside it fails with 500 {"error": "domain_not_allowed"} before any request.
   */
  AUTH0_ALLOWED_DOMAINS?: string;
  /**
   * Where POST /session-transfer may send the browser, comma-separated origins
   * ("https://web.example.com"); unset: any https origin. Another target is a 400
   * {"error": "invalid_parameter"}.
   */
  ALLOWED_REDIRECT_ORIGINS?: string;
  /** The application's client id (a var). */
  AUTH0_CLIENT_ID: string;
  /** The application's client secret (a secret: `wrangler secret put AUTH0_CLIENT_SECRET`). */
  AUTH0_CLIENT_SECRET: string;
  /** Seals sessions, at least 32 characters (a secret: `wrangler secret put AUTH0_SECRET`). */
  AUTH0_SECRET: string;
  /**
   * DPoP (a secret): the private JWK of an ECDSA P-256 key ({"kty":"EC","crv":"P-256","x",
   * "y","d"}). Set, every token is bound to the key and GET /api proves possession of it.
   */
  AUTH0_DPOP_JWK?: string;
  /** The protected API GET /api calls with the session's access token (a var). */
  API_URL?: string;
  /** Audience used when a request names none; empty for none. */
  AUTH0_AUDIENCE?: string;
  /** This Worker as an API: the audience of the access tokens GET /protected accepts (a var). */
  API_AUDIENCE?: string;
  /** The API GET /protected/downstream gets a token for, on the caller's behalf (a var). */
  DOWNSTREAM_AUDIENCE?: string;
  /** "cookie" (default), "kv" or "durable-object". */
  SESSION_STORE?: string;
  /**
   * "durable-object": each refresh runs once per refresh token across isolates and locations
   * (SESSION_OBJECTS); unset: within each isolate only.
   */
  REFRESH_COORDINATOR?: string;
  /** "false" leaves out the cookies' Secure attribute, for plain-http development only. */
  COOKIE_SECURE?: string;
  /** The KV namespace of SESSION_STORE "kv". */
  SESSIONS?: KVNamespace;
  /** The SessionDurableObject namespace of SESSION_STORE and REFRESH_COORDINATOR "durable-object". */
  SESSION_OBJECTS?: DurableObjectNamespace;
}

/** A JSON response that no cache keeps: bodies here carry tokens and user data. */
function json(body: unknown, status: number, headers: Headers): Response {
  headers.set("content-type", "application/json; charset=utf-8");
  headers.set("cache-control", "no-store");
  return new Response(JSON.stringify(body), { status, headers });
}

/** An error response from the Worker itself (not from the package). */
class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    readonly description?: string,
    readonly allow?: string,
  ) {
    super(code);
  }
}

/** The store SESSION_STORE names. Stores are cheap to build: one per request, like the client. */
function sessionStore(env: Env): StateStore {
  const secure = env.COOKIE_SECURE !== "false";
  switch (env.SESSION_STORE || "cookie") {
    case "cookie":
      return new CookieStore({ secure });
    case "kv":
      if (!env.SESSIONS) throw new HttpError(500, "configuration_error");
      return new KvStore(env.SESSIONS, { secure });
    case "durable-object":
      if (!env.SESSION_OBJECTS) throw new HttpError(500, "configuration_error");
      return new DurableObjectStore(env.SESSION_OBJECTS, { secure });
    default:
      throw new HttpError(500, "configuration_error");
  }
}

/** A comma-separated var as a list, undefined when unset or empty. */
function commaList(value: string | undefined): string[] | undefined {
  const list = (value ?? "").split(",").map((v) => v.trim()).filter((v) => v !== "");
  return list.length > 0 ? list : undefined;
}

/**
 * The tenant domain for a request (AUTH0_DOMAINS by host name, else AUTH0_DOMAIN), and the
 * domains the client may be given (AUTH0_ALLOWED_DOMAINS, else every configured one).
 */
function domainFor(env: Env): { resolve: (so: StoreRequestOptions) => string; allowed: string[] } {
  let byHost: Record<string, unknown> = {};
  if (env.AUTH0_DOMAINS) {
    try {
      byHost = JSON.parse(env.AUTH0_DOMAINS);
    } catch {
      throw new HttpError(500, "configuration_error");
    }
  }
  const configured = [env.AUTH0_DOMAIN, ...Object.values(byHost).filter((d): d is string => typeof d === "string")];
  const allowed = commaList(env.AUTH0_ALLOWED_DOMAINS) ?? configured;
  return {
    resolve: (so) => {
      const domain = byHost[new URL(so.request.url).hostname];
      return typeof domain === "string" ? domain : env.AUTH0_DOMAIN;
    },
    allowed,
  };
}

/** The request's JSON object body; an empty body is `{}` when `optional`. */
async function readBody(request: Request, optional = false): Promise<Record<string, unknown>> {
  const text = await request.text();
  if (optional && text.trim() === "") return {};
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    throw new HttpError(400, "invalid_request", "The body must be a JSON object.");
  }
  if (body === null || typeof body !== "object" || Array.isArray(body)) {
    throw new HttpError(400, "invalid_request", "The body must be a JSON object.");
  }
  return body as Record<string, unknown>;
}

/**
 * The exchange options from a snake_case body. Values are passed on as they came: the package
 * checks their types and answers a wrong one with a CustomTokenExchangeError
 * (invalid_token_format, invalid_parameter...), which becomes a 400 below.
 */
function exchangeOptions(body: Record<string, unknown>, env: Env): CustomTokenExchangeOptions {
  return {
    subjectToken: body.subject_token as string,
    subjectTokenType: body.subject_token_type as string,
    actorToken: body.actor_token as string | undefined,
    actorTokenType: body.actor_token_type as string | undefined,
    audience: (body.audience ?? (env.AUTH0_AUDIENCE || undefined)) as string | undefined,
    scope: body.scope as string | undefined,
    organization: body.organization as string | undefined,
  };
}

/** The token exchange response in snake_case, as Auth0 returns it (absent fields left out). */
function tokenResponse(t: TokenExchangeResponse) {
  return {
    access_token: t.accessToken,
    token_type: t.tokenType,
    expires_in: t.expiresIn,
    scope: t.scope,
    id_token: t.idToken,
    refresh_token: t.refreshToken,
    issued_token_type: t.issuedTokenType,
    act: t.act,
  };
}

/** The DPoP key pairs of this isolate, by JWK: imported once (the private key non-extractable). */
const dpopKeys = new Map<string, Promise<CryptoKeyPair>>();

/** The key pair of AUTH0_DPOP_JWK; a JWK that is not an EC P-256 private key is a 500. */
function dpopKeyPair(jwkText: string): Promise<CryptoKeyPair> {
  let pair = dpopKeys.get(jwkText);
  if (!pair) {
    pair = (async () => {
      const { kty, crv, x, y, d } = JSON.parse(jwkText) as JsonWebKey;
      const algorithm = { name: "ECDSA", namedCurve: "P-256" };
      const privateKey = await crypto.subtle.importKey("jwk", { kty, crv, x, y, d }, algorithm, false, ["sign"]);
      const publicKey = await crypto.subtle.importKey("jwk", { kty, crv, x, y }, algorithm, true, ["verify"]);
      return { privateKey, publicKey };
    })().catch(() => {
      dpopKeys.delete(jwkText);
      throw new HttpError(500, "configuration_error");
    });
    dpopKeys.set(jwkText, pair);
  }
  return pair;
}

const ROUTES: Record<string, string> = {
  "/exchange": "POST",
  "/login": "POST",
  "/me": "GET",
  "/token": "GET",
  "/logout": "POST",
  "/session-transfer": "POST",
  "/domain": "GET",
  "/api": "GET",
  "/protected": "GET",
  "/protected/downstream": "GET",
};

/**
 * This Worker as an API: the caller's token verified (and, for /protected/downstream, exchanged on
 * its behalf). The ApiClient needs no session secret; its clientId and secret are for the exchange.
 */
async function protectedApi(request: Request, env: Env, path: string, headers: Headers): Promise<Response> {
  if (!env.API_AUDIENCE) throw new HttpError(500, "configuration_error");
  const api = new ApiClient({
    domain: env.AUTH0_DOMAIN,
    audience: env.API_AUDIENCE,
    clientId: env.AUTH0_CLIENT_ID,
    clientSecret: env.AUTH0_CLIENT_SECRET,
  });
  const claims = await api.verifyRequest(request);
  if (path === "/protected") return json({ sub: claims.sub, scope: claims.scope }, 200, headers);
  if (!env.DOWNSTREAM_AUDIENCE) throw new HttpError(500, "configuration_error");
  // getTokenOnBehalfOf verifies the token again: it never forwards one that does not verify.
  const token = (request.headers.get("authorization") ?? "").replace(/^bearer +/i, "");
  const t = await api.getTokenOnBehalfOf(token, { audience: env.DOWNSTREAM_AUDIENCE });
  const downstream = { audience: env.DOWNSTREAM_AUDIENCE, token_type: t.tokenType, expires_in: t.expiresIn, scope: t.scope };
  return json({ sub: claims.sub, downstream }, 200, headers);
}

async function route(request: Request, env: Env, headers: Headers): Promise<Response> {
  const url = new URL(request.url);
  const method = ROUTES[url.pathname];
  if (url.pathname === "/" && request.method === "GET") {
    return json({ routes: Object.entries(ROUTES).map(([path, m]) => `${m} ${path}`) }, 200, headers);
  }
  if (!method) throw new HttpError(404, "not_found");
  if (request.method !== method) throw new HttpError(405, "method_not_allowed", undefined, method);
  if (url.pathname.startsWith("/protected")) return protectedApi(request, env, url.pathname, headers);

  // One client per request: construction is cheap, discovery and JWKS are cached per isolate.
  // The domain is resolved per request from its host name (several custom domains, one tenant).
  const domain = domainFor(env);
  const auth0 = new ServerClient<StoreRequestOptions>({
    domain: domain.resolve,
    allowedDomains: domain.allowed,
    allowedRedirectOrigins: commaList(env.ALLOWED_REDIRECT_ORIGINS),
    clientId: env.AUTH0_CLIENT_ID,
    clientSecret: env.AUTH0_CLIENT_SECRET,
    secret: env.AUTH0_SECRET,
    stateStore: url.pathname === "/exchange" ? undefined : sessionStore(env),
    ...(env.REFRESH_COORDINATOR === "durable-object" && env.SESSION_OBJECTS
      ? { refreshCoordinator: new DurableObjectRefreshCoordinator(env.SESSION_OBJECTS) }
      : {}),
    ...(env.AUTH0_DPOP_JWK ? { dpopKeyPair: await dpopKeyPair(env.AUTH0_DPOP_JWK) } : {}),
  });
  // The stores read the session cookie from `request` and append Set-Cookie to `headers`.
  const storeOptions: StoreRequestOptions = { request, headers };
  switch (url.pathname) {
    case "/exchange": {
      const tokens = await auth0.customTokenExchange(exchangeOptions(await readBody(request), env), storeOptions);
      return json(tokenResponse(tokens), 200, headers);
    }
    case "/domain":
      return json({ domain: domain.resolve(storeOptions) }, 200, headers);
    case "/session-transfer": {
      const body = await readBody(request);
      const transfer = await auth0.requestSessionTransferToken(
        {
          subjectToken: body.subject_token as string,
          subjectTokenType: body.subject_token_type as string,
          actorToken: body.actor_token as string | undefined,
          actorTokenType: body.actor_token_type as string | undefined,
          organization: body.organization as string | undefined,
        },
        storeOptions,
      );
      const redirectUrl = auth0.buildSessionTransferRedirect(String(body.target_login_url ?? ""), transfer, {
        organization: body.organization as string | undefined,
      });
      return json({ redirect_url: redirectUrl, expires_in: transfer.expiresIn }, 200, headers);
    }
    case "/login": {
      const options = exchangeOptions(await readBody(request), env);
      const { stateData } = await auth0.loginWithCustomTokenExchange(options, storeOptions);
      return json({ user: stateData.user }, 200, headers);
    }
    case "/me": {
      const user = await auth0.getUser(storeOptions);
      if (!user) return json({ error: "missing_session" }, 401, headers);
      return json({ user }, 200, headers);
    }
    case "/token": {
      const { accessToken, expiresAt } = await auth0.getAccessToken(
        {
          audience: url.searchParams.get("audience") || env.AUTH0_AUDIENCE || undefined,
          scope: url.searchParams.get("scope") || undefined,
        },
        storeOptions,
      );
      return json({ access_token: accessToken, expires_at: expiresAt }, 200, headers);
    }
    case "/api": {
      if (!env.API_URL) throw new HttpError(500, "configuration_error");
      const audience = env.AUTH0_AUDIENCE || undefined;
      const api = await auth0.fetchWithAuth(env.API_URL, { audience }, storeOptions);
      const body: unknown = await api.json().catch(() => null);
      return json({ status: api.status, body }, 200, headers);
    }
    default: {
      const { return_to } = await readBody(request, true);
      if (return_to !== undefined && typeof return_to !== "string") {
        throw new HttpError(400, "invalid_request", "return_to must be a string.");
      }
      const logoutUrl = await auth0.logout({ returnTo: return_to }, storeOptions);
      return json({ logout_url: logoutUrl }, 200, headers);
    }
  }
}

/**
 * Every error as JSON with a status. Only the code is returned, plus the description of a failed
 * exchange: the package's messages never contain a token or a secret, and a server's
 * error_description is meant for the caller.
 */
function errorResponse(e: unknown, headers: Headers): Response {
  if (e instanceof HttpError) {
    if (e.allow) headers.set("allow", e.allow);
    return json({ error: e.code, error_description: e.description }, e.status, headers);
  }
  if (e instanceof VerifyAccessTokenError) {
    // The refusal carries its answer: the status and the WWW-Authenticate challenge.
    for (const [name, value] of Object.entries(e.headers)) headers.set(name, value);
    return json({ error: e.code, error_description: e.message }, e.status, headers);
  }
  if (e instanceof CustomTokenExchangeError) {
    // The server's 4xx as is (400 invalid_grant, 403 access_denied...); 400 for a request the
    // package refused before sending it; 502 when Auth0 could not be reached or answered garbage.
    const status = e.status && e.status >= 400 && e.status < 500 ? e.status
      : e.code === "token_exchange_failed" || e.code === "invalid_response" ? 502
      : 400;
    return json({ error: e.code, error_description: e.message }, status, headers);
  }
  if (e instanceof IdTokenError || e instanceof AccessTokenError) {
    return json({ error: e.code }, 401, headers);
  }
  if (e instanceof StoreError) return json({ error: e.code }, 503, headers);
  // A bad argument of the request's own (a session transfer's target URL) is the caller's: 400.
  if (e instanceof ConfigurationError) return json({ error: e.code }, e.code === "invalid_parameter" ? 400 : 500, headers);
  // Anything else is a bug: its name goes to the Worker's logs, nothing to the caller.
  console.error(`internal error: ${e instanceof Error ? e.name : typeof e}`);
  return json({ error: "internal_error" }, 500, headers);
}

export default {
  async fetch(request, env): Promise<Response> {
    const headers = new Headers();
    try {
      return await route(request, env, headers);
    } catch (e) {
      return errorResponse(e, headers);
    }
  },
} satisfies ExportedHandler<Env>;
