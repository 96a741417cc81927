// The three verifiers of bench/lib/verify.mjs, the same module in Node and in workerd: each
// verifies one RS256 access token against a tenant whose discovery and JWKS a fetch answers from
// memory (so only the first call of each reads them; every later one uses its cached key).
//   auth0-edge:    ApiClient.verifyAccessToken
//   jose:          jwtVerify with createRemoteJWKSet (issuer, audience, RS256)
//   auth0-api-js:  Auth0's ApiClient.verifyAccessToken (@auth0/auth0-api-js, the anchor)
import { ApiClient } from "auth0-edge";
import { ApiClient as Auth0ApiClient } from "@auth0/auth0-api-js";
import * as jose from "jose";

export const LIBS = ["auth0-edge", "jose", "auth0-api-js"];

/**
 * @param tenant { domain (host), issuer, audience, jwks, token }: from bench/lib/verify.mjs
 * @returns { [lib]: () => Promise<claims> }
 */
export function verifiers(tenant) {
  const discovery = {
    issuer: tenant.issuer,
    jwks_uri: `${tenant.issuer}.well-known/jwks.json`,
    token_endpoint: `${tenant.issuer}oauth/token`,
    id_token_signing_alg_values_supported: ["RS256"],
  };
  const fetchTenant = async (input, init) => {
    const url = new URL(input instanceof Request ? input.url : String(input));
    if (url.pathname === "/.well-known/openid-configuration") return Response.json(discovery);
    if (url.pathname === "/.well-known/oauth-authorization-server") return Response.json(discovery);
    if (url.pathname === "/.well-known/jwks.json") return Response.json(tenant.jwks);
    return new Response("not found", { status: 404 });
  };
  const edge = new ApiClient({ domain: tenant.domain, audience: tenant.audience, fetch: fetchTenant });
  const jwks = jose.createRemoteJWKSet(new URL(discovery.jwks_uri), { [jose.customFetch]: fetchTenant });
  const auth0 = new Auth0ApiClient({ domain: tenant.domain, audience: tenant.audience, customFetch: fetchTenant });
  const accessToken = tenant.token;
  return {
    "auth0-edge": () => edge.verifyAccessToken({ accessToken }),
    jose: async () => (await jose.jwtVerify(accessToken, jwks, { issuer: tenant.issuer, audience: tenant.audience, algorithms: ["RS256"] })).payload,
    "auth0-api-js": () => auth0.verifyAccessToken({ accessToken }),
  };
}
