// A Worker that runs the hardening scenarios and the cookie fuzz inside workerd, one case per
// request. Bundled by workerd.test.mjs with esbuild's "workerd" condition, so the package loads
// as on Cloudflare; the fault servers' ports come in as the FAULT_PORTS binding (JSON).
import * as pkg from "auth0-edge";
import { faultSuite } from "./scenarios.mjs";
import { cookieFuzz, fuzzSettings } from "./cookie-fuzz.mjs";

let cases;
function allCases(env) {
  // Built once per isolate: the secrets case reads what the earlier cases recorded.
  cases ??= [
    ...cookieFuzz(pkg, fuzzSettings((k) => env[k] || undefined)),
    ...faultSuite(pkg, { ports: JSON.parse(env.FAULT_PORTS) }),
  ];
  return cases;
}

export default {
  async fetch(request, env) {
    const url = new URL(request.url);
    const list = allCases(env);
    if (url.pathname === "/list") return Response.json(list.map((c) => c.name));
    const c = list.find((c) => c.name === url.searchParams.get("name"));
    if (!c) return Response.json({ ok: false, error: "no such case" }, { status: 404 });
    try {
      const note = await c.fn();
      return Response.json({ ok: true, note: typeof note === "string" ? note : undefined });
    } catch (e) {
      return Response.json({ ok: false, error: String((e && e.stack) || e) });
    }
  },
};
