// auth0-edge in Deno: the Worker example's routes on Deno.serve, sessions in Deno KV.
//   deno run --allow-net --allow-env --unstable-kv deno/main.ts
// Configuration: AUTH0_DOMAIN, AUTH0_CLIENT_ID, AUTH0_CLIENT_SECRET, AUTH0_SECRET (at least 32
// characters), optional AUTH0_AUDIENCE, PORT (default 8000; 0 picks a free one), DENO_KV_PATH
// (default: Deno's own location; ":memory:" for none) and COOKIE_SECURE=false for plain http.
// Bodies are snake_case JSON, as in the Worker example: see worker-example/src/index.ts.
import {
  AccessTokenError, ConfigurationError, CustomTokenExchangeError, DenoKvStore, IdTokenError, ServerClient, StoreError,
} from "auth0-edge";

const env = (name: string) => Deno.env.get(name) ?? "";
const kv = await Deno.openKv(Deno.env.get("DENO_KV_PATH"));
const auth0 = new ServerClient({
  domain: env("AUTH0_DOMAIN"),
  clientId: env("AUTH0_CLIENT_ID"),
  clientSecret: env("AUTH0_CLIENT_SECRET"),
  secret: env("AUTH0_SECRET"),
  stateStore: new DenoKvStore(kv, { secure: env("COOKIE_SECURE") !== "false" }),
});
const audience = env("AUTH0_AUDIENCE") || undefined;

async function handle(request: Request, headers: Headers): Promise<[number, unknown]> {
  const { pathname, searchParams } = new URL(request.url);
  const storeOptions = { request, headers }; // DenoKvStore reads and sets its cookie here
  const route = `${request.method} ${pathname}`;
  if (route === "POST /exchange" || route === "POST /login") {
    const body = await request.json().catch(() => ({}));
    const options = {
      subjectToken: body.subject_token, subjectTokenType: body.subject_token_type,
      actorToken: body.actor_token, actorTokenType: body.actor_token_type,
      audience: body.audience ?? audience, scope: body.scope, organization: body.organization,
    };
    if (route === "POST /login") {
      const { stateData } = await auth0.loginWithCustomTokenExchange(options, storeOptions);
      return [200, { user: stateData.user }];
    }
    const t = await auth0.customTokenExchange(options);
    return [200, { access_token: t.accessToken, token_type: t.tokenType, expires_in: t.expiresIn, scope: t.scope,
      id_token: t.idToken, refresh_token: t.refreshToken, issued_token_type: t.issuedTokenType, act: t.act }];
  }
  if (route === "GET /me") {
    const user = await auth0.getUser(storeOptions);
    return user ? [200, { user }] : [401, { error: "missing_session" }];
  }
  if (route === "GET /token") {
    const options = { audience: searchParams.get("audience") || audience, scope: searchParams.get("scope") || undefined };
    return [200, { access_token: (await auth0.getAccessToken(options, storeOptions)).accessToken }];
  }
  if (route === "POST /logout") return [200, { logout_url: await auth0.logout(undefined, storeOptions) }];
  return [404, { error: "not_found" }];
}

function errorResponse(e: unknown): [number, { error: string; error_description?: string }] {
  if (e instanceof CustomTokenExchangeError) {
    const status = e.status && e.status >= 400 && e.status < 500 ? e.status
      : e.code === "token_exchange_failed" || e.code === "invalid_response" ? 502 : 400;
    return [status, { error: e.code, error_description: e.message }];
  }
  if (e instanceof IdTokenError || e instanceof AccessTokenError) return [401, { error: e.code }];
  if (e instanceof StoreError) return [503, { error: e.code }];
  if (e instanceof ConfigurationError) return [500, { error: e.code }];
  return [500, { error: "internal_error" }]; // never a stack trace or a message
}

Deno.serve({
  hostname: "127.0.0.1",
  port: Number(env("PORT") || 8000),
  onListen: ({ port }) => console.log(`listening on http://127.0.0.1:${port}/`),
}, async (request) => {
  const headers = new Headers({ "cache-control": "no-store" });
  let status: number, body: unknown;
  try {
    [status, body] = await handle(request, headers);
  } catch (e) {
    // The error's code (and a failed exchange's description), as the Worker example maps them.
    [status, body] = errorResponse(e);
  }
  return Response.json(body, { status, headers });
});
