// Type test of the package's index.d.ts (never run, only checked by `tsc --noEmit --strict`): every
// option, result field and error class a user touches, and one @ts-expect-error per misuse the
// types must reject. A line tsc stops accepting, or a misuse it starts accepting, fails the build.
import {
  AccessTokenError,
  ApiClient,
  Auth0EdgeError,
  ConfigurationError,
  CookieStore,
  CustomTokenExchangeError,
  CustomTokenExchangeErrorCode,
  DenoKvStore,
  IdTokenError,
  KvStore,
  MemoryStore,
  ServerClient,
  StoreError,
  TokenType,
  VerifyAccessTokenError,
  type AccessTokenErrorCode,
  type ApiClientOptions,
  type VerifiedAccessTokenClaims,
  type ActClaim,
  type ConfigurationErrorCode,
  type CustomTokenExchangeOptions,
  type DenoKvLike,
  type IdTokenErrorCode,
  type ServerClientOptions,
  type SessionData,
  type SessionTokenSet,
  type SessionUser,
  type StateData,
  type StateStore,
  type StoreRequestOptions,
  type TokenExchangeResponse,
  type TokenSet,
  type SessionTransferResult,
} from "auth0-edge";

declare const kv: KVNamespace;
declare const signingKey: CryptoKey;
declare const request: Request;

// ---- Construction: every option.
const custom: StateStore = {
  async get(identifier: string, storeOptions?: unknown) { return identifier && storeOptions ? "sealed" : null; },
  async set(_identifier: string, _value: string, _removeIfExists: boolean, _storeOptions?: unknown) {},
  async delete(_identifier: string) {},
};
const options: ServerClientOptions = {
  domain: "tenant.eu.auth0.com",
  clientId: "client-id",
  clientSecret: "client-secret",
  clientAuthMethod: "client_secret_post",
  clientAssertionSigningKey: signingKey,
  clientAssertionSigningAlg: "PS256",
  secret: ["new-secret-of-at-least-32-characters", "old-secret-of-at-least-32-characters"],
  stateStore: custom,
  stateIdentifier: "_my_session",
  sessionDuration: 3600,
  timeoutMs: 2000,
  fetch: (input, init) => fetch(input, init),
  telemetry: false,
};
const client = new ServerClient(options);
new ServerClient({ domain: "d", clientId: "c", clientAssertionSigningKey: "-----BEGIN PRIVATE KEY-----", secret: "s".repeat(32) });
new ServerClient({ domain: "d", clientId: "c", clientSecret: "x", secret: "s".repeat(32), stateStore: new MemoryStore() });
new ServerClient({ domain: "d", clientId: "c", clientSecret: "x", secret: "s".repeat(32), stateStore: new KvStore(kv) });
// Several custom domains: domain as a function of the store options.
const byHost = new ServerClient<StoreRequestOptions>({
  domain: (so) => (new URL(so.request.url).hostname.endsWith(".eu") ? "login.example.eu" : Promise.resolve("login.example.com")),
  allowedDomains: ["login.example.eu", "login.example.com"],
  clientId: "c", clientSecret: "x", secret: "s".repeat(32), stateStore: new KvStore(kv),
});
void byHost;
// @ts-expect-error the function answers a domain
new ServerClient({ domain: () => 42, clientId: "c", clientSecret: "x", secret: "s".repeat(32) });
// The store options' type as a type parameter: every method takes exactly it.
const typed = new ServerClient<StoreRequestOptions>({ domain: "d", clientId: "c", clientSecret: "x", secret: "s".repeat(32), stateStore: new KvStore(kv) });
declare const requestOptions: StoreRequestOptions;
void typed.getAccessToken({ audience: "https://api" }, requestOptions);
// @ts-expect-error not the store options this client was typed with
void typed.getUser({ nope: 1 });
const tenantStore: StateStore<{ tenant: string }> = { get: async () => undefined, set: async () => {}, delete: async () => {} };
const tenantClient = new ServerClient({ domain: "d", clientId: "c", clientSecret: "x", secret: "s".repeat(32), stateStore: tenantStore });
void tenantClient.getSession({ tenant: "acme" });
// @ts-expect-error inferred from the store: { tenant: string }
void tenantClient.getSession({ tenant: 42 });

// ---- customTokenExchange: every option, every result field.
const exchange: CustomTokenExchangeOptions = {
  subjectToken: "legacy-token",
  subjectTokenType: "urn:acme:legacy-token",
  audience: "https://api.example.com",
  scope: "openid offline_access",
  actorToken: "actor-token",
  actorTokenType: TokenType.ACCESS_TOKEN,
  organization: "org_acme",
  requestedTokenType: TokenType.ACCESS_TOKEN,
  authorizationParams: { login_hint: "x", max_age: 0, prompt: true, resource: ["a", "b"], ui_locales: null, acr_values: undefined },
};
async function exchangeTokens(): Promise<void> {
  const r: TokenExchangeResponse = await client.customTokenExchange(exchange);
  const accessToken: string = r.accessToken;
  const tokenType: string = r.tokenType;
  const expiresIn: number | undefined = r.expiresIn;
  const scope: string | undefined = r.scope;
  const idToken: string | undefined = r.idToken;
  const refreshToken: string | undefined = r.refreshToken;
  const issuedTokenType: string | undefined = r.issuedTokenType;
  const act: ActClaim | undefined = r.act;
  const chain: string | undefined = act?.act?.sub;
  void [accessToken, tokenType, expiresIn, scope, idToken, refreshToken, issuedTokenType, chain, act?.["client_id"]];
  await client.customTokenExchange({ subjectToken: "t", subjectTokenType: TokenType.JWT }, undefined);
}

// ---- Sessions, with every store.
async function sessions(): Promise<void> {
  const headers = new Headers();
  const storeOptions: StoreRequestOptions = { request, headers };
  const withResponse: StoreRequestOptions = { request, response: new Response(null) };
  const cookies = new CookieStore({ cookieName: "s", maxAge: 600, secure: false, sameSite: "Strict", path: "/app" });
  const kvStore = new KvStore(kv, { cookieName: "sid", ttlSeconds: 600, secure: true, sameSite: "None", path: "/" });
  const denoKv: DenoKvLike = {
    async get(key) { return { value: key[0] }; },
    async set(_key, _value, _options) {},
    async delete(_key) {},
  };
  const denoStore = new DenoKvStore(denoKv, { cookieName: "sid", ttlSeconds: 600 });
  for (const store of [cookies, kvStore, denoStore, new MemoryStore()] satisfies StateStore[]) void store;
  await cookies.set("_a0_session", "sealed", true, storeOptions);
  const sealed: string | undefined = await kvStore.get("_a0_session", { request });
  void sealed;
  await denoStore.delete("_a0_session", withResponse);

  const { stateData }: { stateData: StateData } = await client.loginWithCustomTokenExchange(exchange, storeOptions);
  const user: SessionUser | null = stateData.user;
  const fields: [string | undefined, string | undefined, string | undefined, ActClaim | undefined, unknown] = [
    user?.sub, user?.sid, user?.org_id, user?.act, user?.["email"],
  ];
  const set: SessionTokenSet = stateData.tokenSets[0]!;
  const setFields: [string, string, string, number] = [set.audience, set.accessToken, set.scope, set.expiresAt];
  const internal: [string, number] = [stateData.internal.sid, stateData.internal.createdAt];
  const more: [string | undefined, string | undefined, string | undefined] = [stateData.idToken, stateData.refreshToken, stateData.domain];
  void [fields, setFields, internal, more];

  const session: SessionData | undefined = await client.getSession(storeOptions);
  // @ts-expect-error getSession has no `internal`
  void session?.internal;
  const me: SessionUser | undefined = await client.getUser(storeOptions);
  const tokenSet: TokenSet = await client.getAccessToken({ audience: "https://api.example.com", scope: "read:data" }, storeOptions);
  const token: string = tokenSet.accessToken;
  const tokenSetFields: [string, string, number] = [tokenSet.audience, tokenSet.scope, tokenSet.expiresAt];
  const defaultToken: string = (await client.getAccessToken()).accessToken;
  const logoutUrl: string = await client.logout({ returnTo: "https://app.example/", federated: true }, storeOptions);
  await client.logout();
  const transfer: SessionTransferResult = await client.requestSessionTransferToken({ subjectToken: "t", subjectTokenType: TokenType.ACCESS_TOKEN, organization: "org_acme" }, storeOptions);
  const redirect: string = client.buildSessionTransferRedirect("https://web.example/login", transfer, { organization: "org_acme" });
  const transferFields: [string, string, number | undefined] = [transfer.sessionTransferToken, transfer.issuedTokenType, transfer.expiresIn];
  void [redirect, transferFields];
  // @ts-expect-error storeOptions come second, as in @auth0/auth0-server-js
  await client.logout(storeOptions, { returnTo: "https://app.example/" });
  void tokenSetFields;
  void [me, token, defaultToken, logoutUrl];
  // The client is wasm-bindgen's class: free() (or `using`) releases its Rust side at once.
  const release: () => void = client.free.bind(client);
  void release;
}

// ---- Errors: every class, its code type, status and cause.
function handle(e: unknown): string {
  if (e instanceof CustomTokenExchangeError) {
    const known: boolean = e.code === CustomTokenExchangeErrorCode.INVALID_TOKEN_FORMAT
      || e.code === CustomTokenExchangeErrorCode.MISSING_ACTOR_TOKEN_TYPE
      || e.code === CustomTokenExchangeErrorCode.MISSING_ACTOR_TOKEN
      || e.code === CustomTokenExchangeErrorCode.TOKEN_EXCHANGE_FAILED
      || e.code === CustomTokenExchangeErrorCode.INVALID_RESPONSE
      || e.code === CustomTokenExchangeErrorCode.INVALID_PARAMETER
      || e.code === "invalid_grant"; // a server's code
    const status: number | undefined = e.status;
    return `${known} ${status} ${String(e.cause)} ${e.message} ${e.name} ${e.stack}`;
  }
  if (e instanceof IdTokenError) { const c: IdTokenErrorCode = e.code; return c; }
  if (e instanceof AccessTokenError) { const c: AccessTokenErrorCode = e.code; return c; }
  if (e instanceof ConfigurationError) { const c: ConfigurationErrorCode = e.code; return c; }
  if (e instanceof StoreError) { const c: "store_error" = e.code; return c; }
  if (e instanceof Auth0EdgeError) return e.code;
  if (e instanceof Error) return e.message;
  return "unknown";
}
// The classes can be built, e.g. by a test double of a store or fetch.
const fake: Error = new StoreError("store_error", "the store failed", { cause: new Error("down") });
const withStatus = new CustomTokenExchangeError("invalid_grant", "bad token", { status: 400, cause: { error: "invalid_grant" } });
void [handle(fake), withStatus.status, TokenType.ID_TOKEN, TokenType.REFRESH_TOKEN];

// ---- Misuse the types must reject.
// @ts-expect-error subjectToken is required
void client.customTokenExchange({ subjectTokenType: "urn:acme:legacy-token" });
// @ts-expect-error audience is a string
void client.customTokenExchange({ subjectToken: "t", subjectTokenType: "u", audience: 42 });
// @ts-expect-error not a client authentication method
void new ServerClient({ ...options, clientAuthMethod: "client_secret_jwt" });
// @ts-expect-error secret is required
void new ServerClient({ domain: "d", clientId: "c", clientSecret: "x" });
// @ts-expect-error authorizationParams values are strings, numbers, booleans or string arrays
void client.customTokenExchange({ ...exchange, authorizationParams: { claims: { id_token: {} } } });
// @ts-expect-error the result has no snake_case fields
void (null as unknown as TokenExchangeResponse).access_token;
// @ts-expect-error an ID token error code is not an access token error code
void ((c: AccessTokenErrorCode) => c)("invalid_signature" as IdTokenErrorCode);
// @ts-expect-error CookieStore's sameSite is one of three values
void new CookieStore({ sameSite: "sometimes" });
// @ts-expect-error a store writing cookies needs where to write them
void new CookieStore().set("_a0_session", "sealed", true, { request });

// ApiClient: the API's side.
const apiOptions: ApiClientOptions = { domain: "t.auth0.com", audience: "https://api", leeway: 30, clientId: "c", clientSecret: "s" };
const api = new ApiClient(apiOptions);
async function protect(req: Request): Promise<Response> {
  try {
    const claims: VerifiedAccessTokenClaims = await api.verifyRequest(req, { scopes: ["read:data"] });
    const viaToken = await api.verifyAccessToken({ accessToken: "t", scheme: "DPoP", dpopProof: "p", httpMethod: "GET", httpUrl: req.url });
    const downstream = await api.getTokenOnBehalfOf("t", { audience: "https://downstream", scope: "read" });
    return Response.json({ sub: claims.sub, jkt: viaToken.cnf?.jkt, expiresIn: downstream.expiresIn });
  } catch (e) {
    if (!(e instanceof VerifyAccessTokenError)) throw e;
    const status: number = e.status;
    const headers: Record<string, string> = e.headers;
    const code: "invalid_request" | "invalid_token" | "insufficient_scope" | "invalid_dpop_proof" | "temporarily_unavailable" = e.code;
    return Response.json({ error: code }, { status, headers });
  }
}
// @ts-expect-error audience is required
void new ApiClient({ domain: "t.auth0.com" });
// @ts-expect-error scopes is a list
void api.verifyAccessToken({ accessToken: "t", scopes: "read:data" });
// @ts-expect-error getTokenOnBehalfOf needs the downstream audience
void api.getTokenOnBehalfOf("t", {});

export { exchangeTokens, sessions, protect };
