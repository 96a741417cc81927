// Cold start of @auth0/auth0-server-js inside workerd, measured as edge.mjs measures auth0-edge:
// the first request imports the SDK and builds a client with in-memory stores.
export default {
  async fetch(request, env) {
    const p0 = performance.now();
    const d0 = Date.now();
    const { ServerClient, StatelessStateStore, CookieTransactionStore } = await import("./sdk-lib.mjs");
    const cookies = { setCookie() {}, getCookie() {}, getCookies: () => ({}), deleteCookie() {} };
    const client = new ServerClient({
      domain: new URL(env.DOMAIN).host, clientId: env.CLIENT_ID, clientSecret: env.CLIENT_SECRET,
      transactionStore: new CookieTransactionStore({ secret: env.SESSION_SECRET }, cookies),
      stateStore: new StatelessStateStore({ secret: env.SESSION_SECRET }, cookies),
    });
    const p1 = performance.now();
    const d1 = Date.now();
    return Response.json({ ms: p1 - p0, dateMs: d1 - d0, ok: typeof client.customTokenExchange === "function" });
  },
};
