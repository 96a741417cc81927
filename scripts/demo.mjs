// The walk-through behind `bash scripts/demo.sh`: token exchanges end to end with the built
// package, against the local provider (default) or a real Auth0 tenant (AUTH0_* variables set).
// Prints claims, never tokens or secrets.
import { ServerClient, CustomTokenExchangeError, TokenType } from "auth0-edge";

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
console.log(bold("\nDone.") + " Sessions (loginWithCustomTokenExchange) join this walk-through once they land.\n");
