// Cold start of auth0-edge inside workerd: the first request imports the package (a separate
// module of the bundle: its workerd entry instantiates the .wasm that workerd compiled when
// it loaded the Worker) and builds a client; the Worker answers how long that took by its own
// clock (performance.now() and Date.now(): workerd's clocks have 1 ms resolution).
export default {
  async fetch(request, env) {
    const p0 = performance.now();
    const d0 = Date.now();
    const { ServerClient, MemoryStore } = await import("./edge-lib.mjs");
    const client = new ServerClient({
      domain: env.DOMAIN, clientId: env.CLIENT_ID, clientSecret: env.CLIENT_SECRET, clientAuthMethod: "client_secret_post",
      secret: env.SESSION_SECRET, stateStore: new MemoryStore(),
    });
    const p1 = performance.now();
    const d1 = Date.now();
    return Response.json({ ms: p1 - p0, dateMs: d1 - d0, ok: typeof client.customTokenExchange === "function" });
  },
};
