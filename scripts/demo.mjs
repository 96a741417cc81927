// The walk-through behind `bash scripts/demo.sh`: token exchanges end to end with the built
// package, against the local provider (default) or a real Auth0 tenant (AUTH0_* variables set).
// Prints claims, never tokens or secrets.
import { ServerClient, CustomTokenExchangeError, TokenType, CookieStore } from "auth0-edge";

const env = process.env;
const real = Boolean(env.AUTH0_DOMAIN);
const bold = (s) => `\x1b[1m${s}\x1b[0m`;
const dim = (s) => `\x1b[2m${s}\x1b[0m`;
const tokenInfo = (t) => {
  if (!t) return "none";
  const parts = t.split(".");
  if (parts.length !== 3) return `opaque token (${t.length} characters)`;
  const c = JSON.parse(Buffer.from(parts[1], "base64url").toString());
  const shown = Object.fromEntries(Object.entries(c).filter(([k]) => ["sub", "aud", "scope", "org_id", "act", "exp"].includes(k)));
  return `JWT (${t.length} characters) ${JSON.stringify(shown)}`;
};
const show = (r) => {
  console.log(`    access token : ${tokenInfo(r.accessToken)}`);
  console.log(`    expires in   : ${r.expiresIn} s, type ${r.tokenType}, scope "${r.scope ?? ""}"`);
  console.log(`    ID token     : ${r.idToken ? tokenInfo(r.idToken) : "none"}`);
  console.log(`    refresh token: ${r.refreshToken ? "yes" : "none"}`);
  if (r.act) console.log(`    act          : ${JSON.stringify(r.act)}  ${dim("(from the verified ID token)")}`);
};

const client = new ServerClient({
  domain: real ? env.AUTH0_DOMAIN : env.AUTH0_EDGE_TEST_ISSUER,
  clientId: real ? env.AUTH0_CLIENT_ID : JSON.parse(env.AUTH0_EDGE_TEST_CLIENTS).basic.clientId,
  clientSecret: real ? env.AUTH0_CLIENT_SECRET : JSON.parse(env.AUTH0_EDGE_TEST_CLIENTS).basic.clientSecret,
  secret: real ? env.AUTH0_SECRET : "demo-session-secret-at-least-32-characters",
});
console.log(bold(`\nTenant: ${real ? env.AUTH0_DOMAIN : `${env.AUTH0_EDGE_TEST_ISSUER} (local provider)`}`));

const subject = real
  ? { subjectToken: env.AUTH0_SUBJECT_TOKEN, subjectTokenType: env.AUTH0_SUBJECT_TOKEN_TYPE }
  : { subjectToken: "legacy-alice", subjectTokenType: "urn:acme:legacy-token" };
const audience = real ? env.AUTH0_AUDIENCE || undefined : "https://api.example.com";

console.log(bold("\n1. customTokenExchange: a legacy token for Auth0 tokens"));
let t0 = performance.now();
const alice = await client.customTokenExchange({ ...subject, audience, scope: "openid profile offline_access" });
console.log(dim(`    (${(performance.now() - t0).toFixed(1)} ms, discovery included)`));
show(alice);

if (!real) {
  console.log(bold("\n2. Delegation: bob's service acts for alice (actor token)"));
  const bob = await client.customTokenExchange({ subjectToken: "legacy-bob", subjectTokenType: "urn:acme:legacy-token", audience });
  t0 = performance.now();
  const delegated = await client.customTokenExchange({
    ...subject,
    actorToken: bob.accessToken,
    actorTokenType: TokenType.ACCESS_TOKEN,
    scope: "openid offline_access",
  });
  console.log(dim(`    (${(performance.now() - t0).toFixed(1)} ms, ID token verified with WebCrypto)`));
  show(delegated);
}

console.log(bold(`\n${real ? 2 : 3}. A bad subject token is a typed error`));
try {
  await client.customTokenExchange({ subjectToken: "not-a-valid-token", subjectTokenType: subject.subjectTokenType });
  console.log("    unexpectedly accepted");
  process.exitCode = 1;
} catch (e) {
  if (!(e instanceof CustomTokenExchangeError)) throw e;
  console.log(`    ${e.name}: code "${e.code}", status ${e.status}, message "${e.message}"`);
}
// A session in cookies, as a web app on the edge would keep it: each step is one "request",
// its Set-Cookie headers replayed as the next request's Cookie header.
const sessions = new ServerClient({
  domain: real ? env.AUTH0_DOMAIN : env.AUTH0_EDGE_TEST_ISSUER,
  clientId: real ? env.AUTH0_CLIENT_ID : JSON.parse(env.AUTH0_EDGE_TEST_CLIENTS).basic.clientId,
  clientSecret: real ? env.AUTH0_CLIENT_SECRET : JSON.parse(env.AUTH0_EDGE_TEST_CLIENTS).basic.clientSecret,
  secret: real ? env.AUTH0_SECRET : "demo-session-secret-at-least-32-characters",
  stateStore: new CookieStore(),
});
let cookies = "";
const request = async (fn) => {
  const so = { request: new Request("https://app.example/", { headers: cookies ? { cookie: cookies } : {} }), response: new Response(null) };
  const result = await fn(so);
  const jar = new Map(cookies ? cookies.split("; ").map((c) => c.split(/=(.*)/s).slice(0, 2)) : []);
  for (const line of so.response.headers.getSetCookie()) {
    const [pair] = line.split(";");
    const [name, value] = pair.split(/=(.*)/s);
    if (/max-age=0(;|$)/i.test(line)) jar.delete(name);
    else jar.set(name, value);
  }
  cookies = [...jar].map(([k, v]) => `${k}=${v}`).join("; ");
  return result;
};
const n = real ? 3 : 4;
console.log(bold(`\n${n}. loginWithCustomTokenExchange: exchange and open a sealed session (CookieStore)`));
const { stateData } = await request((so) => sessions.loginWithCustomTokenExchange({ ...subject, audience, scope: "openid profile offline_access" }, so));
console.log(`    user         : ${JSON.stringify(stateData.user)}`);
console.log(`    cookies      : ${cookies.split("; ").map((c) => `${c.split("=")[0]} (${c.length - c.indexOf("=") - 1} chars)`).join(", ")}  ${dim("(JWE dir + A256CBC-HS512)")}`);
console.log(bold(`\n${n + 1}. getUser / getAccessToken on the next requests`));
console.log(`    getUser      : ${(await request((so) => sessions.getUser(so))).sub}`);
const token = await request((so) => sessions.getAccessToken(so, { audience }));
console.log(`    access token : ${tokenInfo(token)}  ${dim("(from the session)")}`);
if (!real) {
  const realNow = Date.now;
  Date.now = () => realNow() + 3590 * 1000; // the client believes an hour has passed
  const refreshed = await request((so) => sessions.getAccessToken(so, { audience }));
  Date.now = realNow;
  console.log(`    an hour later: ${tokenInfo(refreshed)}  ${dim(refreshed !== token ? "(refreshed with the refresh token, stored)" : "(unexpectedly not refreshed)")}`);
  if (refreshed === token) process.exitCode = 1;
}
console.log(bold(`\n${n + 2}. logout`));
console.log(`    logout URL   : ${await request((so) => sessions.logout(so, { returnTo: "https://app.example/" }))}`);
console.log(`    cookies left : ${cookies === "" ? "none" : cookies}; getSession: ${await request((so) => sessions.getSession(so))}`);
console.log(bold("\nDone.\n"));
