#!/usr/bin/env node
// The benchmark's token endpoint: an HTTP server in its own process that answers at once with
// pre-minted, realistic tokens, so that the CPU a client process spends is the client's own work.
//
//   node bench/token-server.mjs
//
// prints one JSON line on stdout once listening, then serves until SIGTERM / SIGINT:
//   {"tenants":{"edge":{"issuer":"http://127.0.0.1:P1/","port":P1},"sdk":{...}},"clientId":...,"clientSecret":...}
//
// Two loopback listeners ("tenants") with the same behaviour and one RSA key, differing only in
// the issuer they advertise (and so in the `iss` of their tokens):
// - "edge": issuer http://127.0.0.1:P1/ (auth0-edge accepts an http:// domain for loopback hosts);
// - "sdk":  issuer https://127.0.0.1:P2/, served over plain HTTP: @auth0/auth0-auth-js always builds
//   https://{domain}, so its client is given a fetch that rewrites https:// to http:// (a string
//   replace per request, negligible next to what is measured).
//
// Each tenant serves:
//   GET  /.well-known/openid-configuration   discovery
//   GET  /.well-known/jwks.json              the public key (RS256, one kid)
//   POST /oauth/token                        the token-exchange response (or a refresh_token grant's), the same bytes every
//                                            time but for a new refresh token of the same length (rotation, as Auth0's),
//                                            token_type DPoP when the request carries a DPoP header:
//        access_token  an RS256 JWT (typ at+jwt: iss, sub, aud, azp, client_id, scope, jti, iat, exp)
//        id_token      an RS256 JWT (iss, sub, aud, iat, exp, sid, name, nickname, email, email_verified, updated_at)
//        refresh_token, scope, expires_in, token_type "Bearer", issued_token_type
//   GET  /stats                              requests served per path (to check caching), then resets them
// The request body is read in full (so keep-alive works) but not checked: this measures clients,
// not a provider. Tokens are minted once at start, valid for a day.
import { createServer } from "node:http";
import { generateKeyPairSync, randomBytes, sign } from "node:crypto";

const HOST = "127.0.0.1";
export const CLIENT_ID = "bench-client";
export const CLIENT_SECRET = "bench-client-secret-0123456789abcdefghijklmnop";
export const AUDIENCE = "https://api.example.com";
export const SCOPE = "openid profile email offline_access read:data";

const { privateKey, publicKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
const kid = randomBytes(8).toString("hex");
const jwk = { ...publicKey.export({ format: "jwk" }), kid, alg: "RS256", use: "sig" };

const b64url = (value) => Buffer.from(typeof value === "string" ? value : JSON.stringify(value)).toString("base64url");
function jwt(header, payload) {
  const input = `${b64url({ alg: "RS256", kid, ...header })}.${b64url(payload)}`;
  return `${input}.${sign("sha256", Buffer.from(input), privateKey).toString("base64url")}`;
}

function tenant(issuer) {
  const now = Math.floor(Date.now() / 1000);
  const sub = "auth0|6643f1a3bc9a2b0f4e7d1c55";
  const idToken = jwt({ typ: "JWT" }, {
    iss: issuer, sub, aud: CLIENT_ID, iat: now, exp: now + 86400,
    sid: "xQ3n9oVbq4LwW8yYqKq2D7mZrH1fT5uA",
    name: "Alice Example", nickname: "alice", email: "alice@example.com", email_verified: true,
    updated_at: "2026-11-01T09:30:00.000Z",
  });
  const accessToken = jwt({ typ: "at+jwt" }, {
    iss: issuer, sub, aud: [AUDIENCE, `${issuer}userinfo`], azp: CLIENT_ID, client_id: CLIENT_ID,
    scope: SCOPE, jti: randomBytes(16).toString("hex"), iat: now, exp: now + 86400,
  });
  const refreshToken = () => `v1.${randomBytes(48).toString("base64url")}`;
  const [tokenHead, tokenTail] = JSON.stringify({
    access_token: accessToken,
    id_token: idToken,
    refresh_token: "\u0000",
    scope: SCOPE,
    expires_in: 86400,
    token_type: "Bearer",
    issued_token_type: "urn:ietf:params:oauth:token-type:access_token",
  }).split("\\u0000");
  // A request with a DPoP proof gets the same token typed DPoP (the proof itself is not checked).
  const dpopTail = tokenTail.replace('"token_type":"Bearer"', '"token_type":"DPoP"');
  const tokenBody = (dpop = false) => `${tokenHead}${refreshToken()}${dpop ? dpopTail : tokenTail}`;
  const discoveryBody = JSON.stringify({
    issuer,
    authorization_endpoint: `${issuer}authorize`,
    token_endpoint: `${issuer}oauth/token`,
    userinfo_endpoint: `${issuer}userinfo`,
    jwks_uri: `${issuer}.well-known/jwks.json`,
    end_session_endpoint: `${issuer}oidc/logout`,
    response_types_supported: ["code"],
    subject_types_supported: ["public"],
    id_token_signing_alg_values_supported: ["RS256"],
    token_endpoint_auth_methods_supported: ["client_secret_basic", "client_secret_post", "private_key_jwt"],
    grant_types_supported: ["authorization_code", "refresh_token", "urn:ietf:params:oauth:grant-type:token-exchange"],
    scopes_supported: ["openid", "profile", "email", "offline_access"],
  });
  const jwksBody = JSON.stringify({ keys: [jwk] });
  return { issuer, tokenBody, discoveryBody, jwksBody, sizes: { accessToken: accessToken.length, idToken: idToken.length, tokenResponse: tokenBody().length } };
}

function serve(getTenant) {
  const stats = {};
  const server = createServer({ keepAliveTimeout: 60_000 }, (req, res) => {
    const t = getTenant();
    const path = req.url.split("?")[0];
    req.resume(); // read the body in full, unparsed
    req.on("end", () => {
      const json = (status, body) => {
        res.writeHead(status, { "content-type": "application/json", "cache-control": "no-store", "content-length": Buffer.byteLength(body) });
        res.end(body);
      };
      if (req.method === "GET" && path === "/stats") {
        const body = JSON.stringify(stats);
        for (const k of Object.keys(stats)) delete stats[k];
        return json(200, body);
      }
      stats[`${req.method} ${path}`] = (stats[`${req.method} ${path}`] ?? 0) + 1;
      if (req.method === "POST" && path === "/oauth/token") return json(200, t.tokenBody(req.headers.dpop !== undefined));
      if (req.method === "GET" && path === "/.well-known/openid-configuration") return json(200, t.discoveryBody);
      if (req.method === "GET" && path === "/.well-known/jwks.json") return json(200, t.jwksBody);
      json(404, JSON.stringify({ error: "not_found" }));
    });
  });
  server.keepAliveTimeout = 60_000;
  server.headersTimeout = 65_000;
  return new Promise((resolve) => server.listen(0, HOST, () => resolve(server)));
}

const tenants = {};
const servers = [];
for (const [name, scheme] of [["edge", "http"], ["sdk", "https"]]) {
  let t;
  const server = await serve(() => t);
  const { port } = server.address();
  t = tenant(`${scheme}://${HOST}:${port}/`);
  tenants[name] = { issuer: t.issuer, port, sizes: t.sizes };
  servers.push(server);
}
process.stdout.write(`${JSON.stringify({ tenants, clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, audience: AUDIENCE, scope: SCOPE })}\n`);

const stop = () => {
  for (const s of servers) {
    s.close();
    s.closeAllConnections();
  }
};
process.on("SIGTERM", stop);
process.on("SIGINT", stop);
