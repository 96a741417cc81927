// DenoKvStore on a real Deno KV (in memory), imported by name from the built package (its "deno"
// condition). Run: cd tests/js && deno test --no-check --unstable-kv stores.deno.test.mjs
// (--unstable-kv: Deno.openKv is still unstable in Deno 2.9; no read permission: the package
// imports its .wasm as a module).
import { DenoKvStore } from "auth0-edge";

const ID = "_a0_session";
/** The cookie name with the default attributes (Secure, Path=/): the identifier with `__Host-`. */
const NAME = `__Host-${ID}`;
const URL_ = "https://app.example/";
const SESSION_ID = /^[A-Za-z0-9_-]{43}$/;

function assert(condition, message) {
  if (!condition) throw new Error(`assertion failed: ${message}`);
}
function assertEquals(actual, expected, message = "") {
  const a = JSON.stringify(actual);
  const e = JSON.stringify(expected);
  if (a !== e) throw new Error(`assertion failed: ${message}\n  actual:   ${a}\n  expected: ${e}`);
}
async function assertRejects(fn, ErrorClass) {
  try {
    await fn();
  } catch (e) {
    assert(e instanceof ErrorClass, `expected ${ErrorClass.name}, got ${e}`);
    return;
  }
  throw new Error(`assertion failed: expected a ${ErrorClass.name}`);
}

/** The Set-Cookie lines of a Response as [name, value, max-age]. */
function setCookies(response) {
  return response.headers.getSetCookie().map((line) => {
    const [pair] = line.split(";");
    const eq = pair.indexOf("=");
    return [pair.slice(0, eq), pair.slice(eq + 1), /Max-Age=(\d+)/.exec(line)?.[1]];
  });
}

const withCookie = (cookie) => ({
  request: new Request(URL_, { headers: cookie ? { cookie } : {} }),
  response: new Response(""),
});

/** Opens an in-memory Deno KV, wrapped to record every call, and closes it after `fn`. */
async function withKv(fn) {
  const kv = await Deno.openKv(":memory:");
  const calls = [];
  const recorded = {
    get: (key) => (calls.push(["get", key]), kv.get(key)),
    set: (key, value, options) => (calls.push(["set", key, options]), kv.set(key, value, options)),
    delete: (key) => (calls.push(["delete", key]), kv.delete(key)),
  };
  try {
    await fn({ kv, recorded, calls });
  } finally {
    kv.close();
  }
}

Deno.test("DenoKvStore: set, get and delete under [identifier, id] with expireIn", () =>
  withKv(async ({ kv, recorded, calls }) => {
    const store = new DenoKvStore(recorded);
    const login = withCookie("");
    await store.set(ID, "sealed.value", true, login);
    const [[name, id, maxAge]] = setCookies(login.response);
    assertEquals([name, maxAge], [NAME, "259200"], "cookie");
    assert(SESSION_ID.test(id), "id shape");
    assert(/; HttpOnly; SameSite=Lax; Secure; Path=\//.test(login.response.headers.get("set-cookie")), "attributes");
    assertEquals(calls, [["set", [ID, id], { expireIn: 259200 * 1000 }]], "calls");
    assertEquals((await kv.get([ID, id])).value, "sealed.value", "stored");

    assertEquals(await store.get(ID, withCookie(`${NAME}=${id}`)), "sealed.value", "get");

    const logout = withCookie(`${NAME}=${id}`);
    await store.delete(ID, logout);
    assertEquals(setCookies(logout.response), [[NAME, "", "0"]], "expired cookie");
    assertEquals((await kv.get([ID, id])).value, null, "entry deleted");
    assertEquals(await store.get(ID, withCookie(`${NAME}=${id}`)), undefined, "get after delete");
  }));

Deno.test("DenoKvStore: removeIfExists rotates the id, ttlSeconds sets expireIn and Max-Age", () =>
  withKv(async ({ kv, recorded, calls }) => {
    const store = new DenoKvStore(recorded, { ttlSeconds: 30, cookieName: "sid" });
    const first = withCookie("");
    await store.set(ID, "one", true, first);
    const id1 = setCookies(first.response)[0][1];

    const keep = withCookie(`sid=${id1}`);
    await store.set(ID, "one-refreshed", false, keep);
    assertEquals(setCookies(keep.response), [["sid", id1, "30"]], "same id");

    calls.length = 0;
    const second = withCookie(`sid=${id1}`);
    await store.set(ID, "two", true, second);
    const [[, id2, maxAge]] = setCookies(second.response);
    assert(id2 !== id1 && SESSION_ID.test(id2), "new id");
    assertEquals(maxAge, "30", "Max-Age");
    assertEquals(calls, [["set", [ID, id2], { expireIn: 30000 }], ["delete", [ID, id1]]], "calls");
    assertEquals((await kv.get([ID, id1])).value, null, "old entry gone");
    assertEquals(await store.get(ID, withCookie(`sid=${id2}`)), "two", "new entry");
    // Through the same storeOptions, the new id is read back.
    assertEquals(await store.get(ID, second), "two", "same storeOptions");
  }));

Deno.test("DenoKvStore: a forged cookie id is never used as a key", () =>
  withKv(async ({ kv, recorded, calls }) => {
    const store = new DenoKvStore(recorded);
    await kv.set([ID, "../x"], "planted");
    for (const forged of ["../x", "x".repeat(2048), "A".repeat(42), `${"A".repeat(42)}/`]) {
      calls.length = 0;
      assertEquals(await store.get(ID, withCookie(`${NAME}=${forged}`)), undefined, forged);
      await store.delete(ID, withCookie(`${NAME}=${forged}`));
      assertEquals(calls, [], "no KV call");
    }
    assertEquals((await kv.get([ID, "../x"])).value, "planted", "untouched");
  }));

Deno.test("DenoKvStore: invalid kv, options and storeOptions throw", () =>
  withKv(async ({ kv }) => {
    let threw = false;
    try {
      new DenoKvStore({});
    } catch (e) {
      threw = e instanceof TypeError;
    }
    assert(threw, "constructor TypeError");
    const store = new DenoKvStore(kv);
    await assertRejects(() => store.get(ID), TypeError);
    await assertRejects(() => store.set(ID, "v", true, { request: new Request(URL_) }), TypeError);
  }));
