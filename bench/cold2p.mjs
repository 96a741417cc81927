const t0 = performance.now();
const api = await import(process.env.SPEC || "auth0-edge");
const t1 = performance.now();
const c = new api.ServerClient({ domain: "http://127.0.0.1:1", clientId: "c", clientSecret: "s", clientAuthMethod: "client_secret_post", secret: "x".repeat(40), stateStore: new api.MemoryStore() });
const t2 = performance.now();
console.log((t1-t0).toFixed(2), (t2-t1).toFixed(2), (t2-t0).toFixed(2));
