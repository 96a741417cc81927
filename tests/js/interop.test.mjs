// Interop with the real peer: sessions sealed here open with auth0-server-python's
// `encryption.encrypt.decrypt` (and validate as its StateData), and states sealed by its
// `encrypt` open with getSession here. AUTH0_EDGE_PYTHON is a throwaway virtualenv's python with
// auth0-server-python installed (scripts/test.sh makes it).
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { ServerClient } from "auth0-edge";
import { providerEnv } from "./env.mjs";
import { CLIENTS, AUDIENCE } from "../provider/fixtures.mjs";

const env = providerEnv((k) => process.env[k]);
const python = process.env.AUTH0_EDGE_PYTHON;
const peerScript = fileURLToPath(new URL("../interop/peer.py", import.meta.url));
const SECRET = "interop-secret-that-is-at-least-32-characters";

function peer(request) {
  assert.ok(python, "AUTH0_EDGE_PYTHON must point at a python with auth0-server-python");
  const r = spawnSync(python, [peerScript], { input: JSON.stringify(request), encoding: "utf8" });
  assert.equal(r.status, 0, `peer.py failed: ${r.stderr}`);
  return JSON.parse(r.stdout);
}

function capturingStore() {
  const store = { value: undefined };
  store.get = async () => store.value;
  store.set = async (_id, v) => void (store.value = v);
  store.delete = async () => void (store.value = undefined);
  return store;
}

const client = (store, extra = {}) =>
  new ServerClient({
    domain: env.issuer,
    clientId: CLIENTS.basic.clientId,
    clientSecret: CLIENTS.basic.clientSecret,
    secret: SECRET,
    stateStore: store,
    ...extra,
  });

for (const stateIdentifier of [undefined, "custom_session"]) {
  const salt = stateIdentifier ?? "_a0_session";

  test(`sealed here, opened by auth0-server-python (identifier ${salt})`, async () => {
    const store = capturingStore();
    const c = client(store, { stateIdentifier });
    const bob = await c.customTokenExchange({ subjectToken: "legacy-bob", subjectTokenType: "urn:acme:legacy-token", audience: AUDIENCE });
    const { stateData } = await c.loginWithCustomTokenExchange({
      subjectToken: "legacy-alice",
      subjectTokenType: "urn:acme:legacy-token",
      actorToken: bob.accessToken,
      actorTokenType: "urn:ietf:params:oauth:token-type:access_token",
      audience: AUDIENCE,
      scope: "openid profile read:data",
    });
    const state = peer({ op: "decrypt", token: store.value, secret: SECRET, salt });
    assert.deepEqual(Object.keys(state), ["user", "id_token", "refresh_token", "token_sets", "connection_token_sets", "domain", "internal"]);
    assert.equal(state.user.sub, "auth0|alice");
    assert.deepEqual(state.user.act, { sub: "auth0|bob" });
    assert.equal(state.id_token, stateData.idToken);
    assert.equal(state.refresh_token, null);
    assert.equal(state.token_sets[0].access_token, stateData.tokenSets[0].accessToken);
    assert.equal(state.token_sets[0].audience, AUDIENCE);
    assert.equal(state.internal.sid, stateData.internal.sid);
    assert.equal(state.domain, new URL(env.issuer).host);
    // The wrong identifier must not open it in Python either.
    const wrong = spawnSync(python, [peerScript], { input: JSON.stringify({ op: "decrypt", token: store.value, secret: SECRET, salt: `${salt}x` }), encoding: "utf8" });
    assert.notEqual(wrong.status, 0, "another salt fails in the peer too");
  });

  test(`a DPoP session sealed here keeps token_type "DPoP", which auth0-server-python's StateData accepts (identifier ${salt})`, async () => {
    const store = capturingStore();
    const dpopKeyPair = await crypto.subtle.generateKey({ name: "ECDSA", namedCurve: "P-256" }, false, ["sign", "verify"]);
    const c = new ServerClient({
      domain: env.issuer,
      clientId: CLIENTS.dpop.clientId,
      clientSecret: CLIENTS.dpop.clientSecret,
      secret: SECRET,
      stateStore: store,
      stateIdentifier,
      dpopKeyPair,
    });
    await c.loginWithCustomTokenExchange({ subjectToken: "legacy-alice", subjectTokenType: "urn:acme:legacy-token", audience: AUDIENCE });
    const state = peer({ op: "decrypt", token: store.value, secret: SECRET, salt });
    assert.equal(state.token_sets[0].token_type, "DPoP");
    assert.deepEqual(Object.keys(state.token_sets[0]), ["audience", "access_token", "scope", "expires_at", "token_type"]);
  });

  test(`sealed by auth0-server-python, opened here (identifier ${salt})`, async () => {
    const now = Math.floor(Date.now() / 1000);
    const payload = {
      user: { sub: "auth0|py-user", name: "From Python", org_id: "org_acme" },
      id_token: null,
      refresh_token: "py-refresh",
      token_sets: [{ audience: "default", access_token: "py-access-token", scope: "openid", expires_at: now + 3600 }],
      connection_token_sets: [],
      internal: { sid: "py-sid", created_at: now },
    };
    const { token } = peer({ op: "encrypt", payload, secret: SECRET, salt });
    const store = capturingStore();
    store.value = token;
    const c = client(store, { stateIdentifier });
    const session = await c.getSession();
    assert.deepEqual(session.user, payload.user);
    assert.equal(session.refreshToken, "py-refresh");
    // Python writes no token_type: a Bearer token set.
    assert.deepEqual(session.tokenSets, [{ audience: "default", accessToken: "py-access-token", scope: "openid", expiresAt: now + 3600, tokenType: "Bearer" }]);
    assert.equal((await c.getAccessToken()).accessToken, "py-access-token");
    // Rotation: the Python-sealed state opens when its secret is second in the list.
    const rotated = client(store, { stateIdentifier, secret: ["a-newer-secret-that-is-at-least-32-chars", SECRET] });
    assert.equal((await rotated.getUser()).sub, "auth0|py-user");
  });
}
