// A Worker that runs the shared suite inside workerd, one case per request. Bundled by
// workerd.test.mjs with esbuild's "workerd" condition, so the package loads as on Cloudflare.
import * as pkg from "auth0-edge";
import { suite } from "./suite.mjs";

export default {
  async fetch(request, env) {
    const cases = suite(pkg, { issuer: env.ISSUER, pkjwtKey: env.PKJWT_KEY, externalJwt: env.EXTERNAL_JWT });
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
