// A Worker that runs the shared suite inside workerd, one case per request, sessions in a real
// Workers KV namespace (SESSIONS) and in cookies. Bundled by
// workerd.test.mjs with esbuild's "workerd" condition, so the package loads as on Cloudflare.
import * as pkg from "auth0-edge";
import { suite } from "./suite.mjs";
import { hostileSuite } from "./hostile.mjs";

// workerd instantiates the sessions' Durable Object class from the Worker's exports.
export { SessionDurableObject } from "auth0-edge";

export default {
  async fetch(request, env) {
    const storeKinds = [
      { label: "KvStore", create: () => new pkg.KvStore(env.SESSIONS), count: async () => (await env.SESSIONS.list()).keys.length },
      { label: "CookieStore", create: () => new pkg.CookieStore() },
      { label: "DurableObjectStore", create: () => new pkg.DurableObjectStore(env.SESSION_OBJECTS) },
    ];
    const cases = [
      ...suite(pkg, {
        issuer: env.ISSUER, pkjwtKey: env.PKJWT_KEY, externalJwt: env.EXTERNAL_JWT, signingJwk: env.SIGNING_JWK, storeKinds,
        refreshCoordinator: () => new pkg.DurableObjectRefreshCoordinator(env.SESSION_OBJECTS),
        replayCache: () => new pkg.DurableObjectReplayCache(env.SESSION_OBJECTS),
      }),
      ...hostileSuite(pkg, { issuer: env.ISSUER }),
    ];
    const url = new URL(request.url);
    if (url.pathname === "/list") return Response.json(cases.map((c) => c.name));
    const c = cases.find((c) => c.name === url.searchParams.get("name"));
    if (!c) return Response.json({ ok: false, error: "no such case" }, { status: 404 });
    try {
      await c.fn();
      return Response.json({ ok: true });
    } catch (e) {
      return Response.json({ ok: false, error: String((e && e.stack) || e) });
    }
  },
};
