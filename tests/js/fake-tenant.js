// A tenant made up inside a test (its own WebCrypto keys and signed tokens), served through the
// client's `fetch` option, for what the real provider cannot produce on demand: ID tokens with
// wrong claims or signatures, a `kid` missing from the JWKS, a JWKS outage, a garbled token
// answer, a foreign issuer in discovery. Web APIs only: the shared suite uses it in Node, Deno and
// workerd, the Rust API's wasm-bindgen tests in Node and headless browsers.

export const b64url = (bytes) => btoa(String.fromCharCode(...new Uint8Array(bytes))).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
export const jsonB64url = (o) => b64url(new TextEncoder().encode(JSON.stringify(o)));

/** `jwt` with the last four characters of its signature changed: it no longer verifies. */
export const flipSignature = (jwt) => {
  const [h, p, sig] = jwt.split(".");
  return `${h}.${p}.${sig.slice(0, -4)}${sig.slice(-4) === "AAAA" ? "BBBB" : "AAAA"}`;
};

/**
 * The tenant at `domain` (an origin such as "https://fake.example") for `clientId`. `state`
 * steers it: `published` (kids in the JWKS), `kid` (the signing key), `jwksFails`, `claims`
 * (merged into each ID token), `tamper` (flip the ID token's signature), `discovery` (merged into
 * the discovery document), `tokenAnswer` (a text to answer the token endpoint with, status 200);
 * `jwksHits` counts JWKS fetches.
 * @returns {Promise<{ fetch: typeof fetch, state: object }>}
 */
export async function fakeTenant(domain, clientId) {
  const algorithm = { name: "RSASSA-PKCS1-v1_5", modulusLength: 2048, publicExponent: new Uint8Array([1, 0, 1]), hash: "SHA-256" };
  const keys = { k1: await crypto.subtle.generateKey(algorithm, true, ["sign", "verify"]), k2: await crypto.subtle.generateKey(algorithm, true, ["sign", "verify"]) };
  const state = { published: ["k1"], kid: "k1", jwksFails: false, jwksHits: 0, claims: {}, tamper: false, discovery: {}, tokenAnswer: undefined };
  const sign = async (claims) => {
    const input = `${jsonB64url({ alg: "RS256", kid: state.kid, typ: "JWT" })}.${jsonB64url(claims)}`;
    const sig = await crypto.subtle.sign("RSASSA-PKCS1-v1_5", keys[state.kid].privateKey, new TextEncoder().encode(input));
    const jwt = `${input}.${b64url(sig)}`;
    return state.tamper ? flipSignature(jwt) : jwt;
  };
  const fetch = async (input, init) => {
    const path = new URL(new Request(input, init).url).pathname;
    if (path === "/.well-known/openid-configuration") {
      return Response.json({ issuer: `${domain}/`, token_endpoint: `${domain}/oauth/token`, jwks_uri: `${domain}/.well-known/jwks.json`, ...state.discovery });
    }
    if (path === "/.well-known/jwks.json") {
      state.jwksHits++;
      if (state.jwksFails) return new Response("unavailable", { status: 503 });
      const jwk = async (kid) => ({ ...(await crypto.subtle.exportKey("jwk", keys[kid].publicKey)), kid, alg: "RS256", use: "sig" });
      return Response.json({ keys: await Promise.all(state.published.map(jwk)) });
    }
    if (path === "/oauth/token") {
      if (state.tokenAnswer !== undefined) return new Response(state.tokenAnswer, { headers: { "content-type": "application/json" } });
      const now = Math.floor(Date.now() / 1000);
      const idToken = await sign({ iss: `${domain}/`, aud: clientId, sub: "auth0|fake", iat: now, exp: now + 3600, ...state.claims });
      return Response.json({ access_token: `at-${now}`, token_type: "Bearer", expires_in: 3600, id_token: idToken });
    }
    return new Response("not found", { status: 404 });
  };
  return { fetch, state };
}
