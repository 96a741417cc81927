// The built-in session stores in Node, imported by name from the built package: MemoryStore,
// CookieStore against real Request/Response/Headers, KvStore against a real Workers KV namespace
// and DurableObjectStore against real Durable Objects, both served by Miniflare (workerd). Run from the repo root: node --test tests/js/stores.test.mjs
import { test, describe, before, after } from "node:test";
import assert from "node:assert/strict";
import { Miniflare } from "miniflare";
import { readFileSync } from "node:fs";
import { MemoryStore, CookieStore, KvStore, DurableObjectStore, ServerClient } from "auth0-edge";

const ID = "_a0_session";
/** The cookie name with the default attributes (Secure, Path=/): the identifier with `__Host-`. */
const NAME = `__Host-${ID}`;
const URL_ = "https://app.example/";

/** A JWE-shaped cookie-safe value of `length` characters (base64url and dots). */
function sealed(length, seed = "a") {
  const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.";
  let s = "";
  for (let i = 0; i < length; i++) s += alphabet[(i * 7 + seed.charCodeAt(0)) % alphabet.length];
  return s;
}

/** Parses one Set-Cookie line into { name, value, attributes } (attribute names lower-cased). */
function parseSetCookie(line) {
  const [pair, ...attrs] = line.split(";").map((s) => s.trim());
  const eq = pair.indexOf("=");
  const attributes = {};
  for (const a of attrs) {
    const i = a.indexOf("=");
    attributes[(i === -1 ? a : a.slice(0, i)).toLowerCase()] = i === -1 ? true : a.slice(i + 1);
  }
  return { name: pair.slice(0, eq), value: pair.slice(eq + 1), attributes };
}

/** The Set-Cookie lines of a Response or Headers, parsed. */
function setCookies(responseOrHeaders) {
  const headers = responseOrHeaders instanceof Response ? responseOrHeaders.headers : responseOrHeaders;
  return headers.getSetCookie().map(parseSetCookie);
}

/** A minimal browser cookie jar: applies Set-Cookie (Max-Age=0 removes) and sends Cookie. */
class Browser {
  jar = new Map();
  apply(responseOrHeaders) {
    for (const c of setCookies(responseOrHeaders)) {
      if (c.attributes["max-age"] === "0") this.jar.delete(c.name);
      else this.jar.set(c.name, c.value);
    }
    return this;
  }
  cookieHeader() {
    return [...this.jar].map(([n, v]) => `${n}=${v}`).join("; ");
  }
  /** storeOptions for the browser's next request. */
  next() {
    const headers = this.jar.size ? { cookie: this.cookieHeader() } : {};
    return { request: new Request(URL_, { headers }), response: new Response("ok") };
  }
}

const withCookie = (cookie) => ({ request: new Request(URL_, { headers: { cookie } }), response: new Response("") });

/**
 * The session-id stores' (KvStore, DurableObjectStore) round trip: a login sets one HttpOnly
 * cookie with a fresh 43-character id and the value is held under `<identifier>:<id>` (`held`
 * reads it there, undefined when absent); the cookie reads it back; a logout expires the cookie
 * and removes the value. `afterSet(cookie)` checks what the store asked of its backend.
 */
async function sessionIdRoundTrip(store, held, afterSet) {
  const value = sealed(5000);
  const browser = new Browser();
  const login = browser.next();
  await store.set(ID, value, true, login);
  const [cookie] = setCookies(login.response);
  assert.equal(cookie.name, NAME);
  assert.match(cookie.value, /^[A-Za-z0-9_-]{43}$/);
  assert.deepEqual(cookie.attributes, { httponly: true, secure: true, samesite: "Lax", path: "/", "max-age": "259200" });
  await afterSet(cookie);
  assert.equal(await held(`${ID}:${cookie.value}`), value);

  browser.apply(login.response);
  assert.equal(await store.get(ID, browser.next()), value);

  const logout = browser.next();
  await store.delete(ID, logout);
  const [expired] = setCookies(logout.response);
  assert.deepEqual([expired.name, expired.value, expired.attributes["max-age"]], [NAME, "", "0"]);
  assert.equal(await held(`${ID}:${cookie.value}`), undefined);
  browser.apply(logout.response);
  assert.equal(browser.jar.size, 0);
  assert.equal(await store.get(ID, browser.next()), undefined);
}

/**
 * The session-id stores' rotation (`store` built with ttlSeconds 120, cookieName "sid"):
 * removeIfExists false keeps the id, true issues a new one and removes the old value.
 * `beforeRotation()` and `afterRotation(id1, id2)` check the backend calls of the rotation.
 */
async function sessionIdRotation(store, held, beforeRotation = () => {}, afterRotation = () => {}) {
  const browser = new Browser();
  const first = browser.next();
  await store.set(ID, "one", true, first);
  browser.apply(first.response);
  const id1 = browser.jar.get("sid");

  const refresh = browser.next();
  await store.set(ID, "one-refreshed", false, refresh);
  browser.apply(refresh.response);
  assert.equal(browser.jar.get("sid"), id1);
  assert.equal(await held(`${ID}:${id1}`), "one-refreshed");

  beforeRotation();
  const second = browser.next();
  await store.set(ID, "two", true, second);
  browser.apply(second.response);
  const id2 = browser.jar.get("sid");
  assert.notEqual(id2, id1);
  afterRotation(id1, id2);
  assert.equal(await held(`${ID}:${id1}`), undefined);
  assert.equal(await held(`${ID}:${id2}`), "two");
  assert.equal(setCookies(second.response)[0].attributes["max-age"], "120");
  assert.equal(await store.get(ID, browser.next()), "two");
}

describe("MemoryStore", () => {
  test("get, set, replace, delete", async () => {
    const store = new MemoryStore();
    assert.equal(await store.get(ID), undefined);
    await store.set(ID, "one", true);
    assert.equal(await store.get(ID), "one");
    await store.set(ID, "two", false);
    assert.equal(await store.get(ID), "two");
    await store.set("other", "x", true);
    await store.delete(ID);
    assert.equal(await store.get(ID), undefined);
    assert.equal(await store.get("other"), "x");
  });
});

describe("the package's classes", () => {
  test("called without new, each says so by name; with new, instanceof and subclassing hold", () => {
    for (const [name, C] of Object.entries({ MemoryStore, CookieStore, KvStore, ServerClient })) {
      assert.throws(() => C(), { name: "TypeError", message: `${name} is a class: create it with new ${name}(...)` });
    }
    const store = new CookieStore();
    assert.ok(store instanceof CookieStore);
    assert.equal(store.constructor.name, "CookieStore");
    class Mine extends MemoryStore {}
    assert.ok(new Mine() instanceof MemoryStore);
  });
});

describe("CookieStore", () => {
  test("round trip of a small value, with the default attributes", async () => {
    const store = new CookieStore();
    const browser = new Browser();
    const login = browser.next();
    await store.set(ID, "eyJhbGciOiJkaXIifQ..iv.ct.tag", true, login);
    const cookies = setCookies(login.response);
    assert.equal(cookies.length, 1);
    const [c] = cookies;
    assert.equal(c.name, `${NAME}_0`);
    assert.equal(c.value, "eyJhbGciOiJkaXIifQ..iv.ct.tag");
    assert.deepEqual(c.attributes, { httponly: true, secure: true, samesite: "Lax", path: "/", "max-age": "259200" });
    browser.apply(login.response);
    assert.equal(await store.get(ID, browser.next()), "eyJhbGciOiJkaXIifQ..iv.ct.tag");
  });

  test("a 10 KB value is split into 4 chunks of at most 3072 characters and reassembled", async () => {
    const store = new CookieStore();
    const value = sealed(10 * 1024);
    const browser = new Browser();
    const login = browser.next();
    await store.set(ID, value, true, login);
    const cookies = setCookies(login.response);
    assert.deepEqual(cookies.map((c) => c.name), [0, 1, 2, 3].map((i) => `${NAME}_${i}`));
    assert.ok(cookies.every((c) => c.value.length <= 3072 && c.attributes.httponly && c.attributes["max-age"] === "259200"));
    assert.equal(cookies.map((c) => c.value).join(""), value);
    browser.apply(login.response);
    assert.equal(await store.get(ID, browser.next()), value);
  });

  test("a session over 4 chunks (12 KB) is refused with code session_too_large, nothing written, the cookies held untouched (BEHAVIOUR.md §10.7)", async () => {
    const store = new CookieStore();
    const browser = new Browser();
    const first = browser.next();
    await store.set(ID, sealed(4 * 3072), true, first);
    assert.equal(setCookies(first.response).length, 4, "exactly 4 chunks is allowed");
    browser.apply(first.response);
    for (const size of [4 * 3072 + 1, 300 * 1024]) {
      const o = browser.next();
      await assert.rejects(store.set(ID, sealed(size), true, o), (e) => {
        assert.equal(e.code, "session_too_large");
        assert.match(e.message, /server-side store/);
        return true;
      });
      assert.deepEqual(setCookies(o.response), [], `${size}: no Set-Cookie at all`);
    }
    assert.equal(await store.get(ID, browser.next()), sealed(4 * 3072), "the session held before is untouched");
  });

  test("options: cookieName, maxAge, secure false, sameSite, path", async () => {
    const store = new CookieStore({ cookieName: "sess", maxAge: 60, secure: false, sameSite: "strict", path: "/app" });
    const o = withCookie("");
    await store.set(ID, "abc", true, o);
    const [c] = setCookies(o.response);
    assert.equal(c.name, "sess_0");
    assert.deepEqual(c.attributes, { httponly: true, samesite: "Strict", path: "/app", "max-age": "60" });
    assert.equal(await store.get(ID, withCookie("sess_0=abc")), "abc");
    assert.equal(await store.get(ID, withCookie(`${NAME}_0=abc`)), undefined);
  });

  test("shrinking the value expires the surplus chunks", async () => {
    const store = new CookieStore();
    const browser = new Browser();
    const first = browser.next();
    await store.set(ID, sealed(10 * 1024), true, first);
    browser.apply(first.response);
    const second = browser.next();
    await store.set(ID, "small", true, second);
    const cookies = Object.fromEntries(setCookies(second.response).map((c) => [c.name, c]));
    assert.equal(cookies[`${NAME}_0`].value, "small");
    assert.equal(cookies[`${NAME}_0`].attributes["max-age"], "259200");
    for (const i of [1, 2, 3]) {
      assert.equal(cookies[`${NAME}_${i}`].value, "");
      assert.equal(cookies[`${NAME}_${i}`].attributes["max-age"], "0");
      assert.equal(cookies[`${NAME}_${i}`].attributes.path, "/");
    }
    browser.apply(second.response);
    assert.deepEqual([...browser.jar.keys()], [`${NAME}_0`]);
    assert.equal(await store.get(ID, browser.next()), "small");
  });

  test("delete expires every chunk, including stray ones, and leaves other cookies alone", async () => {
    const store = new CookieStore();
    const o = withCookie(`theme=dark; ${NAME}_0=a; ${NAME}_1=b; ${NAME}_2=c; ${NAME}_7=stray; ${NAME}=x; ${NAME}_01=y`);
    await store.delete(ID, o);
    const cookies = setCookies(o.response);
    assert.deepEqual(cookies.map((c) => c.name).sort(), [0, 1, 2, 7].map((i) => `${NAME}_${i}`));
    assert.ok(cookies.every((c) => c.attributes["max-age"] === "0" && c.attributes.httponly));
    const none = withCookie("theme=dark");
    await store.delete(ID, none);
    assert.deepEqual(setCookies(none.response), []);
  });

  test("a missing or malformed chunk means no session, never a partial value", async () => {
    const store = new CookieStore();
    assert.equal(await store.get(ID, withCookie(`${NAME}_0=aaa; ${NAME}_2=ccc`)), undefined);
    assert.equal(await store.get(ID, withCookie(`${NAME}_1=bbb; ${NAME}_2=ccc`)), undefined);
    assert.equal(await store.get(ID, withCookie(`${NAME}_0=aaa; ${NAME}_1=`)), undefined);
    assert.equal(await store.get(ID, withCookie(`${NAME}_0=aaa; ${NAME}_1=b\\b`)), undefined);
    assert.equal(await store.get(ID, withCookie(`${NAME}_0=aaa; ${NAME}_1=bbb`)), "aaabbb");
    assert.equal(await store.get(ID, withCookie("")), undefined);
    assert.equal(await store.get(ID, { request: new Request(URL_) }), undefined);
  });

  test("set then get, and delete then get, through the same storeOptions see the latest value", async () => {
    const store = new CookieStore();
    const o = withCookie(`${NAME}_0=old`);
    assert.equal(await store.get(ID, o), "old");
    await store.set(ID, sealed(7000), true, o);
    assert.equal(await store.get(ID, o), sealed(7000));
    await store.set(ID, "newer", true, o);
    assert.equal(await store.get(ID, o), "newer");
    // One Set-Cookie per name (RFC 6265 §4.1.1): the latest write replaced the earlier ones.
    const names = setCookies(o.response).map((c) => c.name);
    assert.deepEqual([...names].sort(), [`${NAME}_0`, `${NAME}_1`, `${NAME}_2`]);
    const final = new Browser().apply(o.response);
    assert.deepEqual([...final.jar], [[`${NAME}_0`, "newer"]]);
    await store.delete(ID, o);
    assert.equal(await store.get(ID, o), undefined);
    assert.deepEqual(setCookies(o.response).map((c) => [c.name, c.attributes["max-age"]]), [
      [`${NAME}_1`, "0"],
      [`${NAME}_2`, "0"],
      [`${NAME}_0`, "0"],
    ]);
    // A fresh storeOptions object for the same request reads the request again.
    assert.equal(await store.get(ID, { request: o.request }), "old");
  });

  test("the Cookie header is parsed robustly", async () => {
    const store = new CookieStore();
    for (const garbage of ["", ";;;", "=", "==;=", "a", "; ; =x", `${NAME}_0`, "\u00e9=\u00e8", "%%%; a=%zz", `${NAME}_x=1`, `${NAME}_-1=1`]) {
      assert.equal(await store.get(ID, withCookie(garbage)), undefined, garbage);
    }
    assert.equal(await store.get(ID, withCookie(`  a=1 ;${NAME}_0 =  v.w  ; b=c=d`)), "v.w");
    assert.equal(await store.get(ID, withCookie(`${NAME}_0="quoted.value"`)), "quoted.value");
    assert.equal(await store.get(ID, withCookie(`${NAME}_0=first; ${NAME}_0=second`)), "first");
    assert.equal(await store.get(ID, withCookie(`x_${NAME}_0=no; ${NAME}_0=yes`)), "yes");
  });

  test("{ request, headers } form", async () => {
    const store = new CookieStore();
    const headers = new Headers();
    const o = { request: new Request(URL_, { headers: { cookie: `${NAME}_0=a; ${NAME}_1=b` } }), headers };
    await store.set(ID, "fresh", true, o);
    assert.deepEqual(setCookies(headers).map((c) => [c.name, c.value, c.attributes["max-age"]]), [
      [`${NAME}_0`, "fresh", "259200"],
      [`${NAME}_1`, "", "0"],
    ]);
    assert.equal(await store.get(ID, o), "fresh");
  });

  test("invalid storeOptions, values and options throw TypeError naming what is wrong", async () => {
    const store = new CookieStore();
    const request = new Request(URL_);
    await assert.rejects(store.get(ID), { name: "TypeError", message: /storeOptions is required/ });
    await assert.rejects(store.get(ID, {}), { name: "TypeError", message: /storeOptions\.request/ });
    await assert.rejects(store.set(ID, "v", true), { name: "TypeError", message: /storeOptions is required/ });
    await assert.rejects(store.set(ID, "v", true, { request }), {
      name: "TypeError",
      message: /storeOptions\.response \(a Response\) or storeOptions\.headers/,
    });
    await assert.rejects(store.set(ID, "v", true, { response: new Response("") }), { name: "TypeError", message: /storeOptions\.request/ });
    await assert.rejects(store.delete(ID, { request, response: new Response(""), headers: new Headers() }), {
      name: "TypeError",
      message: /not both/,
    });
    await assert.rejects(store.set(ID, "a;b", true, withCookie("")), { name: "TypeError", message: /cookie-octets/ });
    await assert.rejects(store.set(ID, "", true, withCookie("")), { name: "TypeError" });
    await assert.rejects(store.set("bad name", "v", true, withCookie("")), { name: "TypeError", message: /identifier/ });
    await assert.rejects(store.set(ID, "v", true, { request, response: Response.redirect(URL_) }), {
      name: "TypeError",
      message: /cannot add Set-Cookie/,
    });
    assert.throws(() => new CookieStore({ sameSite: "none", secure: false }), TypeError);
    assert.throws(() => new CookieStore({ sameSite: "constructor" }), TypeError);
    assert.throws(() => new CookieStore({ path: "/a;b" }), TypeError);
    assert.throws(() => new CookieStore({ cookieName: "a=b" }), TypeError);
    assert.throws(() => new CookieStore({ maxAge: 1.5 }), TypeError);
    assert.throws(() => new CookieStore({ maxAge: 0 }), RangeError);
  });
});

describe("KvStore on a Workers KV namespace (Miniflare)", () => {
  let mf;
  let kv;
  /** The namespace, recording every call. */
  let calls;
  let ns;

  before(async () => {
    mf = new Miniflare({
      modules: true,
      script: "export default { fetch() { return new Response('') } }",
      kvNamespaces: ["SESSIONS"],
    });
    kv = await mf.getKVNamespace("SESSIONS");
    calls = [];
    ns = {
      get: (key) => (calls.push(["get", key]), kv.get(key)),
      put: (key, value, options) => (calls.push(["put", key, options]), kv.put(key, value, options)),
      delete: (key) => (calls.push(["delete", key]), kv.delete(key)),
    };
  });
  after(async () => {
    await mf?.dispose();
  });

  /** What KV holds under `name`, undefined when nothing. */
  const held = async (name) => (await kv.get(name)) ?? undefined;

  test("set, get and delete; the entry lives under <identifier>:<id> with expirationTtl", async () => {
    calls.length = 0;
    await sessionIdRoundTrip(new KvStore(ns), held, async (cookie) => {
      assert.deepEqual(calls, [["put", `${ID}:${cookie.value}`, { expirationTtl: 259200 }]]);
      const { keys } = await kv.list({ prefix: `${ID}:${cookie.value}` });
      assert.ok(keys[0].expiration > Date.now() / 1000 + 259200 - 60);
    });
  });

  test("removeIfExists rotates the id and deletes the old entry; false keeps the id", async () => {
    const store = new KvStore(ns, { ttlSeconds: 120, cookieName: "sid" });
    await sessionIdRotation(store, held, () => (calls.length = 0), (id1, id2) =>
      assert.deepEqual(calls, [
        ["put", `${ID}:${id2}`, { expirationTtl: 120 }],
        ["delete", `${ID}:${id1}`],
      ]));
  });

  test("a forged cookie id is never used as a key", async () => {
    const store = new KvStore(ns);
    await kv.put(`${ID}:../x`, "planted");
    for (const forged of ["../x", "x".repeat(2048), "a:b", "A".repeat(42), "A".repeat(44), `${"A".repeat(42)}+`, ""]) {
      calls.length = 0;
      assert.equal(await store.get(ID, withCookie(`${NAME}=${forged}`)), undefined, forged);
      assert.deepEqual(calls, []);
      const o = withCookie(`${NAME}=${forged}`);
      await store.set(ID, "v", false, o);
      const id = setCookies(o.response)[0].value;
      assert.match(id, /^[A-Za-z0-9_-]{43}$/);
      assert.deepEqual(calls, [["put", `${ID}:${id}`, { expirationTtl: 259200 }]]);
      await kv.delete(`${ID}:${id}`);
      calls.length = 0;
      const d = withCookie(`${NAME}=${forged}`);
      await store.delete(ID, d);
      assert.deepEqual(calls, []);
    }
    assert.equal(await kv.get(`${ID}:../x`), "planted");
  });

  test("set then get through the same storeOptions reads the new id", async () => {
    const store = new KvStore(ns);
    const o = { request: new Request(URL_), headers: new Headers() };
    assert.equal(await store.get(ID, o), undefined);
    await store.set(ID, "first", true, o);
    await store.set(ID, "second", true, o);
    assert.equal(await store.get(ID, o), "second");
    const cookies = setCookies(o.headers);
    assert.equal(cookies.length, 1);
    assert.equal(await kv.get(`${ID}:${cookies[0].value}`), "second");
    await store.delete(ID, o);
    assert.equal(await store.get(ID, o), undefined);
    assert.equal(await kv.get(`${ID}:${cookies[0].value}`), null);
  });

  test("invalid namespace, options and storeOptions throw", async () => {
    assert.throws(() => new KvStore(undefined), TypeError);
    assert.throws(() => new KvStore({ get() {} }), TypeError);
    assert.throws(() => new KvStore(ns, { ttlSeconds: 59 }), RangeError);
    assert.throws(() => new KvStore(ns, { ttlSeconds: "60" }), TypeError);
    const store = new KvStore(ns);
    await assert.rejects(store.get(ID, undefined), TypeError);
    await assert.rejects(store.set(ID, "v", true, { request: new Request(URL_) }), TypeError);
  });
});

describe("DurableObjectStore on a Durable Object namespace (Miniflare)", () => {
  let mf;
  /** The namespace of SessionDurableObject, recording the names of the objects asked. */
  let ns;
  let names;
  /** What the object named `name` holds (GET through its stub): the value, or undefined. */
  const held = async (name) => {
    const r = await (await mf.getDurableObjectNamespace("SESSION_OBJECTS")).get(ns.idFromName(name)).fetch("https://session.object/");
    return r.status === 200 ? r.text() : (await r.arrayBuffer(), undefined);
  };

  before(async () => {
    // The package's own SessionDurableObject, from the source the package bundles.
    const stores = readFileSync(new URL("../../pkg-templates/stores.js", import.meta.url), "utf8");
    mf = new Miniflare({
      modules: [
        { type: "ESModule", path: `${process.cwd()}/do-main.mjs`, contents: 'export { SessionDurableObject } from "./do-stores.js"; export default { fetch() { return new Response("") } };' },
        { type: "ESModule", path: `${process.cwd()}/do-stores.js`, contents: stores },
      ],
      durableObjects: { SESSION_OBJECTS: "SessionDurableObject" },
      compatibilityDate: "2025-09-01",
    });
    const real = await mf.getDurableObjectNamespace("SESSION_OBJECTS");
    names = [];
    ns = {
      idFromName: (name) => (names.push(name), real.idFromName(name)),
      get: (id) => real.get(id),
    };
  });
  after(async () => {
    await mf?.dispose();
  });

  test("set, get and delete; the session lives in the object named <identifier>:<id>", async () => {
    names.length = 0;
    await sessionIdRoundTrip(new DurableObjectStore(ns), held, (cookie) => assert.deepEqual(names, [`${ID}:${cookie.value}`]));
  });

  test("removeIfExists rotates the id and empties the old object; false keeps the id", async () => {
    await sessionIdRotation(new DurableObjectStore(ns, { ttlSeconds: 120, cookieName: "sid" }), held);
  });

  test("a session is gone when its ttlSeconds are over", async () => {
    const store = new DurableObjectStore(ns, { ttlSeconds: 1 });
    const o = { request: new Request(URL_), headers: new Headers() };
    await store.set(ID, "short-lived", true, o);
    assert.equal(await store.get(ID, o), "short-lived");
    await new Promise((r) => setTimeout(r, 1200));
    assert.equal(await store.get(ID, o), undefined);
  });

  test("a forged cookie id is never used as an object name", async () => {
    const store = new DurableObjectStore(ns);
    for (const forged of ["../x", "x".repeat(2048), "a:b", "A".repeat(42), `${"A".repeat(42)}+`, ""]) {
      names.length = 0;
      assert.equal(await store.get(ID, withCookie(`${NAME}=${forged}`)), undefined, forged);
      assert.deepEqual(names, []);
    }
  });

  test("invalid namespace, options and storeOptions throw", async () => {
    assert.throws(() => new DurableObjectStore(undefined), TypeError);
    assert.throws(() => new DurableObjectStore({ get() {} }), TypeError);
    assert.throws(() => new DurableObjectStore(ns, { ttlSeconds: 0 }), RangeError);
    assert.throws(() => DurableObjectStore(ns), { message: "DurableObjectStore is a class: create it with new DurableObjectStore(...)" });
    const store = new DurableObjectStore(ns);
    await assert.rejects(store.get(ID, undefined), TypeError);
    await assert.rejects(store.set(ID, "v", true, { request: new Request(URL_) }), TypeError);
  });
});
