#!/usr/bin/env node
// A self-contained authorization server that misbehaves on demand (plain node:http, loopback,
// no dependencies). One server (one port) per scenario and lane: the client's `domain` is
// host:port and the package caches discovery and JWKS per domain, so a port per lane starts
// with cold caches. Each server is *armed*: the first request(s) of its target (discovery, JWKS
// or the token endpoint) get the fault, every later one a healthy answer, so a test can show that
// the next call on the same client succeeds.
//
// Library:  const faults = await startFaultServer();
//           faults.urlOf("token-500-html", "login") → "http://127.0.0.1:PORT"; await faults.stop();
// CLI:      node tests/faults/server.mjs                  prints {"ports": {...}} and serves
//           node tests/faults/server.mjs -- <command>     runs <command> with AUTH0_EDGE_FAULT_PORTS
//
// Healthy behaviour: discovery {issuer: "http://127.0.0.1:PORT/", token_endpoint, jwks_uri};
// JWKS with one RS256 key; the token endpoint checks the client (Basic or post) and answers a
// token exchange with a random opaque access_token, expires_in 3600, token_type, scope,
// issued_token_type and, when `openid` is in scope, an RS256 ID token (iss, aud = client id, sub
// from a hash of the subject token, sid, iat, exp, and act when an actor_token was posted).
// Control, on every server: GET /__fault/stats, POST /__fault/arm?times=N[&fault=<another fault>][&param=N].

import { spawn } from "node:child_process";
import * as crypto from "node:crypto";
import * as fs from "node:fs";
import * as http from "node:http";
import * as zlib from "node:zlib";
import { fileURLToPath } from "node:url";

import { CLIENT_ID, CLIENT_SECRET, LANES, LARGE_ACCESS_TOKEN } from "./fixtures.mjs";

const TOKEN_PATH = "/oauth/token";
const DISCOVERY_PATH = "/.well-known/openid-configuration";
const JWKS_PATH = "/.well-known/jwks.json";
const TOKEN_EXCHANGE = "urn:ietf:params:oauth:grant-type:token-exchange";
const ACCESS_TOKEN_TYPE = "urn:ietf:params:oauth:token-type:access_token";
const MiB = 1 << 20;

const b64url = (buf) => Buffer.from(buf).toString("base64url");
const json = (value) => Buffer.from(JSON.stringify(value));
const hash = (s) => crypto.createHash("sha256").update(s).digest("hex").slice(0, 16);

// -----------------------------------------------------------------------------------------------
// The faults. target: which request is armed ("token", "discovery" or "jwks").
// handle(ctx): answers that request; ctx is described at makeContext().

/** @type {Record<string, {target: "token" | "discovery" | "jwks", about: string, handle: (ctx: any) => any}>} */
export const FAULTS = {
  // --- token endpoint: transport
  "token-hang": { target: "token", about: "never answers", handle: (ctx) => ctx.hold() },
  "token-hang-mid-body": {
    target: "token",
    about: "sends the headers and half the body, then stalls",
    handle: (ctx) => {
      ctx.res.writeHead(200, { "content-type": "application/json", "content-length": "200" });
      ctx.res.write('{"access_token":"half');
      ctx.hold();
    },
  },
  "token-hang-mid-body-chunked": {
    target: "token",
    about: "sends the headers (chunked, no Content-Length) and half the body, then stalls",
    handle: (ctx) => {
      ctx.res.writeHead(200, { "content-type": "application/json" });
      ctx.res.write('{"access_token":"half');
      ctx.hold();
    },
  },
  "token-reset-before-response": {
    target: "token",
    about: "closes the connection without answering",
    handle: (ctx) => ctx.req.socket.destroy(),
  },
  "token-reset-mid-body": {
    target: "token",
    about: "sends the headers and part of the body, then resets the connection",
    handle: (ctx) => {
      ctx.res.writeHead(200, { "content-type": "application/json", "content-length": "500" });
      ctx.res.write('{"access_token":"partial-');
      ctx.later(50, () => ctx.req.socket.destroy());
    },
  },
  "token-content-length-short": {
    target: "token",
    about: "Content-Length 1000, 60 bytes, then the connection closes",
    handle: (ctx) => ctx.raw(200, { "content-type": "application/json", "content-length": "1000" }, '{"access_token":"x","expires_in":3600,"token_type":"Bearer"'),
  },
  "token-content-length-huge": {
    target: "token",
    about: "200 declaring Content-Length 2 MiB, with a small valid body",
    handle: (ctx) => ctx.raw(200, { "content-type": "application/json", "content-length": String(2 * MiB) }, JSON.stringify(ctx.tokenResponse())),
  },
  // --- token endpoint: status and body
  "token-500-html": {
    target: "token",
    about: "500 with an HTML page",
    handle: (ctx) => ctx.send(500, "text/html; charset=utf-8", "<!doctype html><h1>Internal Server Error</h1>"),
  },
  "token-503-empty": { target: "token", about: "503 with an empty body", handle: (ctx) => ctx.send(503, "text/plain", "") },
  "token-302-redirect": {
    target: "token",
    about: "302 to a healthy token endpoint (must not be followed)",
    handle: (ctx) => {
      ctx.res.writeHead(302, { location: `${ctx.issuer}__fault/redirected`, "content-length": "0" });
      ctx.res.end();
    },
  },
  "token-400-json-error": {
    target: "token",
    about: "400 {error: invalid_grant, error_description}",
    handle: (ctx) => ctx.send(400, "application/json", JSON.stringify({ error: "invalid_grant", error_description: "The subject token was rejected (fault server)" })),
  },
  "token-403-json-uppercase-type": {
    target: "token",
    about: "403 JSON error labelled APPLICATION/JSON; charset=UTF-8",
    handle: (ctx) => ctx.send(403, "APPLICATION/JSON; charset=UTF-8", JSON.stringify({ error: "access_denied", error_description: "Service not found (fault server)" })),
  },
  "token-400-json-error-not-string": {
    target: "token",
    about: "400 JSON whose error and error_description are not strings",
    handle: (ctx) => ctx.send(400, "application/json", JSON.stringify({ error: 42, error_description: { a: 1 } })),
  },
  "token-400-json-labelled-text": {
    target: "token",
    about: "400 with a JSON error body labelled text/plain",
    handle: (ctx) => ctx.send(400, "text/plain", JSON.stringify({ error: "invalid_grant", error_description: "labelled text" })),
  },
  "token-400-json-truncated": {
    target: "token",
    about: "400 labelled JSON whose body does not parse",
    handle: (ctx) => ctx.send(400, "application/json", '{"error":"invalid_gr'),
  },
  "token-400-error-over-1mib": {
    target: "token",
    about: "400 JSON error body larger than 1 MiB",
    handle: (ctx) => ctx.send(400, "application/json", JSON.stringify({ error: "invalid_grant", error_description: "x".repeat(MiB + 100) })),
  },
  "token-200-gzip-bomb": { target: "token", about: "200 JSON, gzip, 400 MiB inflated", handle: (ctx) => ctx.gzipBomb() },
  "token-200-not-json": { target: "token", about: "200 with an HTML body", handle: (ctx) => ctx.send(200, "text/html", "<html>hello</html>") },
  "token-200-empty": { target: "token", about: "200 with an empty body", handle: (ctx) => ctx.send(200, "application/json", "") },
  "token-200-truncated-json": {
    target: "token",
    about: "200 with a JSON token response cut in the middle",
    handle: (ctx) => {
      const body = JSON.stringify(ctx.tokenResponse());
      ctx.send(200, "application/json", body.slice(0, Math.floor(body.length / 2)));
    },
  },
  "token-200-json-array": {
    target: "token",
    about: "200 with a JSON array of a token response",
    handle: (ctx) => ctx.send(200, "application/json", JSON.stringify([ctx.tokenResponse()])),
  },
  "token-200-json-null": { target: "token", about: "200 with JSON null", handle: (ctx) => ctx.send(200, "application/json", "null") },
  "token-200-no-access-token": {
    target: "token",
    about: "200 JSON without access_token",
    handle: (ctx) => {
      const { access_token, ...rest } = ctx.tokenResponse();
      ctx.send(200, "application/json", JSON.stringify(rest));
    },
  },
  "token-200-negative-expires-in": {
    target: "token",
    about: "200 JSON with expires_in -1",
    handle: (ctx) => ctx.send(200, "application/json", JSON.stringify({ ...ctx.tokenResponse(), expires_in: -1 })),
  },
  "token-200-10mb": {
    target: "token",
    about: "200 with a 10 MB body and its Content-Length",
    handle: (ctx) => ctx.stream(200, "application/json", 10 * MiB, true),
  },
  "token-200-10mb-chunked": {
    target: "token",
    about: "200 with a 10 MB chunked body (no Content-Length)",
    handle: (ctx) => ctx.stream(200, "application/json", 10 * MiB, false),
  },
  "token-200-wrong-content-type": {
    target: "token",
    about: "200 with a valid token response labelled text/html (BEHAVIOUR.md §2.4: a 200's type is not checked)",
    handle: (ctx) => ctx.send(200, "text/html", JSON.stringify(ctx.tokenResponse())),
  },
  "token-200-600kb-access-token": {
    target: "token",
    about: "200 with a 600 KB access token (the wasm memory grows while it is handled)",
    handle: (ctx) => ctx.send(200, "application/json", JSON.stringify({ ...ctx.tokenResponse(), access_token: LARGE_ACCESS_TOKEN })),
  },
  "token-200-expires-in-string": {
    target: "token",
    about: "200 with expires_in \"3600\" (a numeric string is accepted)",
    handle: (ctx) => ctx.send(200, "application/json", JSON.stringify({ ...ctx.tokenResponse(), expires_in: "3600" })),
  },

  // --- discovery
  "discovery-hang": { target: "discovery", about: "never answers", handle: (ctx) => ctx.hold() },
  "discovery-500": { target: "discovery", about: "500 with HTML", handle: (ctx) => ctx.send(500, "text/html", "<h1>down</h1>") },
  "discovery-gzip-bomb": { target: "discovery", about: "200 JSON, gzip, 400 MiB inflated", handle: (ctx) => ctx.gzipBomb() },
  "discovery-not-json": { target: "discovery", about: "200 with HTML", handle: (ctx) => ctx.send(200, "text/html", "<h1>hello</h1>") },
  "discovery-302-redirect": {
    target: "discovery",
    about: "302 to the real document (must not be followed)",
    handle: (ctx) => {
      ctx.res.writeHead(302, { location: `${ctx.issuer}__fault/redirected`, "content-length": "0" });
      ctx.res.end();
    },
  },
  "discovery-foreign-issuer": {
    target: "discovery",
    about: "issuer https://evil.example/ (mix-up)",
    handle: (ctx) => ctx.send(200, "application/json", JSON.stringify({ ...ctx.discovery(), issuer: "https://evil.example/" })),
  },
  "discovery-no-token-endpoint": {
    target: "discovery",
    about: "no token_endpoint",
    handle: (ctx) => {
      const { token_endpoint, ...rest } = ctx.discovery();
      ctx.send(200, "application/json", JSON.stringify(rest));
    },
  },
  "discovery-token-endpoint-not-http": {
    target: "discovery",
    about: "token_endpoint javascript:alert(1)",
    handle: (ctx) => ctx.send(200, "application/json", JSON.stringify({ ...ctx.discovery(), token_endpoint: "javascript:alert(1)" })),
  },
  "discovery-no-jwks-uri": {
    target: "discovery",
    about: "no jwks_uri (ID tokens cannot be verified)",
    handle: (ctx) => {
      const { jwks_uri, ...rest } = ctx.discovery();
      ctx.send(200, "application/json", JSON.stringify(rest));
    },
  },

  "discovery-hang-concurrent": { target: "discovery", about: "never answers (for concurrent callers)", handle: (ctx) => ctx.hold() },

  // --- JWKS
  "jwks-500-concurrent": {
    target: "jwks",
    about: "500 after 500 ms, so that concurrent logins all wait on this one fetch",
    handle: (ctx) => ctx.later(500, () => ctx.send(500, "text/html", "<h1>down</h1>")),
  },
  "jwks-500": { target: "jwks", about: "500 with HTML", handle: (ctx) => ctx.send(500, "text/html", "<h1>down</h1>") },
  "jwks-hang": { target: "jwks", about: "never answers", handle: (ctx) => ctx.hold() },
  "jwks-gzip-bomb": { target: "jwks", about: "200 JSON, gzip, 400 MiB inflated", handle: (ctx) => ctx.gzipBomb() },
  "jwks-not-json": { target: "jwks", about: "200 with HTML", handle: (ctx) => ctx.send(200, "text/html", "<h1>hello</h1>") },
  "jwks-without-signing-key": {
    target: "jwks",
    about: "a JWKS holding only another key (a rotation not seen yet)",
    handle: (ctx) => ctx.send(200, "application/json", JSON.stringify({ keys: [ctx.keys.rogue.jwk] })),
  },

  // --- the ID token in an otherwise valid token response
  "idtoken-alg-none": {
    target: "token",
    about: "alg none, empty signature",
    handle: (ctx) => ctx.tokens({ idToken: { header: { alg: "none", kid: undefined }, sign: "none" } }),
  },
  "idtoken-hs256-public-key": {
    target: "token",
    about: "HS256 with the public key (PEM) as the HMAC secret",
    handle: (ctx) => ctx.tokens({ idToken: { header: { alg: "HS256" }, sign: "hs256-public-key" } }),
  },
  "idtoken-expired": {
    target: "token",
    about: "exp an hour ago",
    handle: (ctx) => ctx.tokens({ idToken: { claims: (now) => ({ iat: now - 7200, exp: now - 3600 }) } }),
  },
  "idtoken-iat-future": {
    target: "token",
    about: "iat an hour ahead",
    handle: (ctx) => ctx.tokens({ idToken: { claims: (now) => ({ iat: now + 3600, exp: now + 7200 }) } }),
  },
  "idtoken-wrong-aud": {
    target: "token",
    about: "aud another client",
    handle: (ctx) => ctx.tokens({ idToken: { claims: () => ({ aud: "another-client" }) } }),
  },
  "idtoken-multi-aud-no-azp": {
    target: "token",
    about: "aud [client, api], no azp",
    handle: (ctx) => ctx.tokens({ idToken: { claims: () => ({ aud: [CLIENT_ID, "https://api.example/"] }) } }),
  },
  "idtoken-multi-aud-wrong-azp": {
    target: "token",
    about: "aud [client, api], azp another client",
    handle: (ctx) => ctx.tokens({ idToken: { claims: () => ({ aud: [CLIENT_ID, "https://api.example/"], azp: "another-client" }) } }),
  },
  "idtoken-wrong-iss": {
    target: "token",
    about: "iss https://evil.example/",
    handle: (ctx) => ctx.tokens({ idToken: { claims: () => ({ iss: "https://evil.example/" }) } }),
  },
  "idtoken-bad-signature": {
    target: "token",
    about: "a valid token with one signature byte changed",
    handle: (ctx) => ctx.tokens({ idToken: { sign: "corrupt" } }),
  },
  "idtoken-unknown-kid": {
    target: "token",
    about: "signed by a key the JWKS does not hold",
    handle: (ctx) => ctx.tokens({ idToken: { sign: "rogue" } }),
  },
  "idtoken-malformed": {
    target: "token",
    about: "id_token \"not-a-jwt\"",
    handle: (ctx) => ctx.send(200, "application/json", JSON.stringify({ ...ctx.tokenResponse(), id_token: "not-a-jwt" })),
  },
  "idtoken-act-depth": {
    target: "token",
    about: "a valid ID token whose act chain is N levels deep (N = param, default 63)",
    handle: (ctx) => {
      let act = { sub: "service|leaf" };
      for (let i = 1; i < (ctx.param ?? 63); i++) act = { sub: `service|${i}`, act };
      ctx.tokens({ idToken: { claims: () => ({ act }) } });
    },
  },
  "idtoken-claim-size": {
    target: "token",
    about: "a valid ID token with a custom claim of N KiB (N = param, default 400)",
    handle: (ctx) => ctx.tokens({ idToken: { claims: () => ({ "https://app.example/groups": "g".repeat((ctx.param ?? 400) * 1024) }) } }),
  },
  "idtoken-no-exp": {
    target: "token",
    about: "no exp claim",
    handle: (ctx) => ctx.tokens({ idToken: { claims: () => ({ exp: undefined }) } }),
  },

  // --- a healthy server (store faults, tamper tests, baselines), and one that plays any fault
  //     armed at run time (POST /__fault/arm?fault=<name>&times=N): faults in the refresh path
  healthy: { target: "none", about: "never faulty", handle: () => {} },
  spare: { target: "none", about: "healthy until armed with another fault", handle: () => {} },
};

// -----------------------------------------------------------------------------------------------
// Keys

function rsaKey(kid) {
  const { privateKey, publicKey } = crypto.generateKeyPairSync("rsa", { modulusLength: 2048 });
  const jwk = { ...publicKey.export({ format: "jwk" }), kid, alg: "RS256", use: "sig" };
  return { privateKey, publicKey, jwk, publicPem: publicKey.export({ format: "pem", type: "spki" }) };
}

// -----------------------------------------------------------------------------------------------
// One server

function readBody(req, limit = 64 * 1024) {
  return new Promise((resolve, reject) => {
    const chunks = [];
    let size = 0;
    req.on("data", (c) => {
      size += c.length;
      if (size > limit) reject(new Error("request body too large"));
      else chunks.push(c);
    });
    req.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    req.on("error", reject);
  });
}

/** Client authentication: Basic (form-urlencoded id and secret) or client_secret_post. */
function authenticated(req, form) {
  const basic = /^Basic (.+)$/i.exec(req.headers.authorization ?? "");
  if (basic) {
    const decoded = Buffer.from(basic[1], "base64").toString("utf8");
    const i = decoded.indexOf(":");
    if (i === -1) return false;
    const id = decodeURIComponent(decoded.slice(0, i).replace(/\+/g, " "));
    const secret = decodeURIComponent(decoded.slice(i + 1).replace(/\+/g, " "));
    return id === CLIENT_ID && secret === CLIENT_SECRET && form.get("client_id") === CLIENT_ID;
  }
  return form.get("client_id") === CLIENT_ID && form.get("client_secret") === CLIENT_SECRET;
}

function createScenarioServer(name, lane, keys) {
  const state = {
    name,
    lane,
    /** The fault this server plays: its own, or another one armed through /__fault/arm?fault=. */
    fault: name,
    armed: FAULTS[name].target === "none" ? 0 : 1,
    faultsServed: 0,
    hits: { discovery: 0, jwks: 0, token: 0, redirected: 0, other: 0 },
    held: 0,
  };
  const timers = new Set();
  let issuer = "";

  const server = http.createServer(async (req, res) => {
    res.on("error", () => {});
    const url = new URL(req.url, issuer);
    try {
      if (url.pathname === "/__fault/stats") return sendJson(res, 200, state);
      if (url.pathname === "/__fault/arm" && req.method === "POST") {
        const other = url.searchParams.get("fault");
        if (other !== null && !FAULTS[other]) return sendJson(res, 400, { error: "unknown fault" });
        if (other !== null) state.fault = other;
        state.param = url.searchParams.has("param") ? Number(url.searchParams.get("param")) : undefined;
        state.armed = Number(url.searchParams.get("times") ?? "1");
        return sendJson(res, 200, state);
      }
      if (url.pathname === "/__fault/redirected") {
        state.hits.redirected++;
        return sendJson(res, 200, { error: "redirect_followed" });
      }
      const target = url.pathname === DISCOVERY_PATH ? "discovery" : url.pathname === JWKS_PATH ? "jwks" : url.pathname === TOKEN_PATH ? "token" : "other";
      state.hits[target]++;
      const form = target === "token" && req.method === "POST" ? new URLSearchParams(await readBody(req)) : new URLSearchParams();
      const ctx = makeContext(req, res, form);
      const current = FAULTS[state.fault];
      if (target === current.target && state.armed > 0) {
        if (target === "token" && !authenticated(req, form)) return sendJson(res, 401, { error: "invalid_client" });
        state.armed--;
        state.faultsServed++;
        return await current.handle(ctx);
      }
      if (target === "discovery" && req.method === "GET") return sendJson(res, 200, ctx.discovery());
      if (target === "jwks" && req.method === "GET") return sendJson(res, 200, { keys: [keys.signing.jwk] });
      if (target === "token" && req.method === "POST") return healthyToken(ctx);
      return sendJson(res, 404, { error: "not_found" });
    } catch {
      if (!res.headersSent) sendJson(res, 500, { error: "server_error" });
      else res.destroy();
    }
  });
  server.keepAliveTimeout = 1000;
  // A client that hangs up mid-response (a 10 MB body it stopped reading) is expected here.
  server.on("connection", (socket) => socket.on("error", () => {}));

  function sendJson(res, status, value) {
    const body = json(value);
    res.writeHead(status, { "content-type": "application/json", "content-length": String(body.length), "cache-control": "no-store" });
    res.end(body);
  }

  /** The healthy token-endpoint answer (checks the client and the grant). */
  function healthyToken(ctx) {
    const { form, res } = ctx;
    if (!authenticated(ctx.req, form)) return sendJson(res, 401, { error: "invalid_client", error_description: "client authentication failed" });
    const grant = form.get("grant_type");
    if (grant === "refresh_token") {
      if (!form.get("refresh_token")) return sendJson(res, 400, { error: "invalid_grant" });
      return sendJson(res, 200, { ...ctx.tokenResponse(), refresh_token: undefined });
    }
    if (grant !== TOKEN_EXCHANGE || !form.get("subject_token") || !form.get("subject_token_type")) {
      return sendJson(res, 400, { error: "invalid_request", error_description: "missing subject_token or subject_token_type" });
    }
    return ctx.tokens({});
  }

  /**
   * What a fault handler gets:
   * req, res, form (the token request's form), issuer, param (from /__fault/arm, for sized faults);
   * send(status, type, body); raw(status, headers, body) writes bytes on the socket and closes;
   * stream(status, type, bytes, withLength) sends a large body; hold() never answers;
   * later(ms, fn); discovery() the healthy document; tokenResponse() a healthy token response
   * object; tokens({idToken}) sends a token response with an ID token minted with changes; keys.
   */
  function makeContext(req, res, form) {
    const ctx = {
      req,
      res,
      form,
      issuer,
      keys,
      param: state.param,
      send(status, type, body) {
        const buf = Buffer.from(body);
        res.writeHead(status, { "content-type": type, "content-length": String(buf.length) });
        res.end(buf);
      },
      raw(status, headers, body) {
        const head = [`HTTP/1.1 ${status} X`, ...Object.entries(headers).map(([k, v]) => `${k}: ${v}`), "connection: close", "", ""].join("\r\n");
        req.socket.end(head + body);
      },
      stream(status, type, size, withLength) {
        res.writeHead(status, { "content-type": type, ...(withLength ? { "content-length": String(size) } : {}) });
        const chunk = Buffer.alloc(64 * 1024, 0x20);
        chunk[0] = 0x7b; // "{" then spaces: JSON that never ends
        let sent = 0;
        let first = true;
        const pump = () => {
          while (sent < size && !res.destroyed) {
            const n = Math.min(chunk.length, size - sent);
            const part = first ? chunk.subarray(0, n) : Buffer.alloc(n, 0x20);
            first = false;
            sent += n;
            if (!res.write(part)) return res.once("drain", pump);
          }
          if (!res.destroyed) res.end();
        };
        res.on("close", () => { sent = size; });
        pump();
      },
      /** 200 JSON with Content-Encoding gzip and no Content-Length: `{` then spaces, 400 MiB once
       *  inflated (about 400 KB on the wire), compressed as it is sent until the client hangs up. */
      gzipBomb() {
        res.writeHead(200, { "content-type": "application/json", "content-encoding": "gzip" });
        const gzip = zlib.createGzip({ level: 9 });
        gzip.pipe(res);
        const chunk = Buffer.alloc(MiB, 0x20);
        let sent = 0;
        const pump = () => {
          while (sent < 400 * MiB && !res.destroyed) {
            const part = sent === 0 ? Buffer.concat([Buffer.from("{"), chunk.subarray(1)]) : chunk;
            sent += part.length;
            if (!gzip.write(part)) return gzip.once("drain", pump);
          }
          gzip.end();
        };
        res.on("close", () => { sent = 400 * MiB; gzip.destroy(); });
        pump();
      },
      hold() {
        state.held++;
        res.on("close", () => state.held--);
      },
      later(ms, fn) {
        const t = setTimeout(() => { timers.delete(t); fn(); }, ms);
        timers.add(t);
      },
      discovery: () => ({
        issuer,
        token_endpoint: `${issuer}oauth/token`,
        jwks_uri: `${issuer}.well-known/jwks.json`,
        response_types_supported: ["code"],
        subject_types_supported: ["public"],
        id_token_signing_alg_values_supported: ["RS256"],
        grant_types_supported: [TOKEN_EXCHANGE, "refresh_token"],
      }),
      tokenResponse: () => ({
        access_token: b64url(crypto.randomBytes(32)),
        expires_in: 3600,
        token_type: "Bearer",
        scope: form.get("scope") ?? "openid",
        issued_token_type: ACCESS_TOKEN_TYPE,
      }),
      tokens({ idToken }) {
        const body = ctx.tokenResponse();
        const scope = (form.get("scope") ?? "").split(" ");
        if (scope.includes("offline_access") && !form.get("actor_token")) body.refresh_token = b64url(crypto.randomBytes(32));
        if (scope.includes("openid") || idToken) body.id_token = mintIdToken(idToken ?? {});
        sendJson(res, 200, body);
      },
    };

    /** An ID token for the request's subject, with the fault's changes. */
    function mintIdToken({ header = {}, claims = () => ({}), sign = "rs256" }) {
      const now = Math.floor(Date.now() / 1000);
      const payload = {
        iss: issuer,
        sub: `auth0|${hash(form.get("subject_token") ?? "")}`,
        aud: CLIENT_ID,
        iat: now,
        exp: now + 3600,
        sid: b64url(crypto.randomBytes(12)),
        name: "Fault Server User",
        ...(form.get("actor_token") ? { act: { sub: `service|${hash(form.get("actor_token"))}` } } : {}),
        ...claims(now),
      };
      const key = sign === "rogue" ? keys.rogue : keys.signing;
      const h = Object.fromEntries(Object.entries({ alg: "RS256", typ: "JWT", kid: key.jwk.kid, ...header }).filter(([, v]) => v !== undefined));
      const input = `${b64url(JSON.stringify(h))}.${b64url(JSON.stringify(payload))}`;
      if (sign === "none") return `${input}.`;
      if (sign === "hs256-public-key") return `${input}.${b64url(crypto.createHmac("sha256", key.publicPem).update(input).digest())}`;
      const signature = crypto.sign("sha256", Buffer.from(input), key.privateKey);
      if (sign === "corrupt") signature[10] ^= 0x01;
      return `${input}.${b64url(signature)}`;
    }
    return ctx;
  }

  return {
    state,
    async listen() {
      await new Promise((resolve, reject) => {
        server.once("error", reject);
        server.listen(0, "127.0.0.1", resolve);
      });
      issuer = `http://127.0.0.1:${server.address().port}/`;
      return server.address().port;
    },
    async close() {
      for (const t of timers) clearTimeout(t);
      server.closeAllConnections();
      await new Promise((resolve) => server.close(() => resolve()));
    },
  };
}

// -----------------------------------------------------------------------------------------------
// Every scenario, every lane

/**
 * Starts one loopback server per (scenario, lane), all armed once.
 * @param {{ scenarios?: string[], lanes?: readonly string[] }} [options]
 * @returns {Promise<{ ports: Record<string, Record<string, number>>, portOf(name: string, lane?: string): number,
 *   urlOf(name: string, lane?: string): string, stats(name: string, lane?: string): object, stop(): Promise<void> }>}
 */
export async function startFaultServer({ scenarios = Object.keys(FAULTS), lanes = LANES } = {}) {
  const keys = { signing: rsaKey("fault-signing-key"), rogue: rsaKey("fault-rogue-key") };
  const servers = new Map();
  const ports = {};
  try {
    for (const name of scenarios) {
      if (!FAULTS[name]) throw new Error(`unknown fault scenario ${name}`);
      ports[name] = {};
      for (const lane of lanes) {
        const s = createScenarioServer(name, lane, keys);
        servers.set(`${name}/${lane}`, s);
        ports[name][lane] = await s.listen();
      }
    }
  } catch (e) {
    await Promise.all([...servers.values()].map((s) => s.close()));
    throw e;
  }
  const portOf = (name, lane = lanes[0]) => {
    const p = ports[name]?.[lane];
    if (p === undefined) throw new Error(`no fault server for ${name}/${lane}`);
    return p;
  };
  let stopped;
  return {
    ports,
    portOf,
    urlOf: (name, lane) => `http://127.0.0.1:${portOf(name, lane)}`,
    stats: (name, lane = lanes[0]) => structuredClone(servers.get(`${name}/${lane}`).state),
    stop: () => (stopped ??= Promise.all([...servers.values()].map((s) => s.close())).then(() => {})),
  };
}

// -----------------------------------------------------------------------------------------------
// CLI

async function cli(argv) {
  const faults = await startFaultServer();
  const sep = argv.indexOf("--");
  const command = sep === -1 ? [] : argv.slice(sep + 1);
  if (command.length === 0) {
    process.stdout.write(`${JSON.stringify({ ports: faults.ports })}\n`);
    await new Promise((resolve) => {
      process.once("SIGINT", resolve);
      process.once("SIGTERM", resolve);
    });
    await faults.stop();
    return 0;
  }
  const child = spawn(command[0], command.slice(1), {
    env: { ...process.env, AUTH0_EDGE_FAULT_PORTS: JSON.stringify(faults.ports) },
    stdio: "inherit",
  });
  const code = await new Promise((resolve) => {
    child.once("error", () => resolve(127));
    child.once("exit", (c, signal) => resolve(c ?? (signal ? 128 : 1)));
  });
  await faults.stop();
  return code;
}

if (process.argv[1] && fs.realpathSync(process.argv[1]) === fs.realpathSync(fileURLToPath(import.meta.url))) {
  cli(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (err) => {
      process.stderr.write(`fault server: ${err.stack ?? err}\n`);
      process.exit(1);
    },
  );
}
