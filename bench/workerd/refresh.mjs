// The cost of a coordinated refresh in workerd: GET /?n=N&coordinator=none|local|durable-object logs N sessions in (each
// with its own refresh token), then refreshes each once (getAccessToken for an audience the
// session has no token for) and answers how long the N refreshes took by the Worker's clock.
// "durable-object": each refresh goes through DurableObjectRefreshCoordinator (claim and done at a
// new object per refresh token, the result sealed); "local": through a coordinator that only runs
// the refresh (the client's share: the key, sealing, opening); "none": the in-isolate single
// flight only. Sessions are in a Map of this isolate either way, so only the coordinator differs.
// workerd's clock advances only across I/O: the loop is all I/O-bound awaits, timed as a whole.
import { ServerClient, DurableObjectRefreshCoordinator } from "auth0-edge";
export { SessionDurableObject } from "auth0-edge";

const sessions = new Map();
/** A session store keyed by storeOptions.key (one session per key). */
const store = {
  async get(identifier, storeOptions) {
    return sessions.get(storeOptions.key);
  },
  async set(identifier, value, removeIfExists, storeOptions) {
    sessions.set(storeOptions.key, value);
  },
  async delete(identifier, storeOptions) {
    sessions.delete(storeOptions.key);
  },
};

export default {
  async fetch(request, env) {
    const url = new URL(request.url);
    const n = Number(url.searchParams.get("n"));
    const coordinators = {
      none: undefined,
      // The client's side of coordination alone (key, seal, open): a coordinator that just runs the refresh.
      local: { run: (key, refresh) => refresh() },
      "durable-object": new DurableObjectRefreshCoordinator(env.SESSION_OBJECTS),
    };
    const client = new ServerClient({
      domain: env.DOMAIN, clientId: env.CLIENT_ID, clientSecret: env.CLIENT_SECRET, clientAuthMethod: "client_secret_post",
      secret: env.SESSION_SECRET, stateStore: store,
      refreshCoordinator: coordinators[url.searchParams.get("coordinator")],
    });
    const round = crypto.randomUUID();
    const key = (i) => ({ key: `${round}:${i}` });
    const login = { subjectToken: env.SUBJECT_TOKEN, subjectTokenType: env.SUBJECT_TOKEN_TYPE, audience: env.AUDIENCE, scope: env.SCOPE };
    for (let i = 0; i < n; i++) await client.loginWithCustomTokenExchange(login, key(i));
    const t0 = performance.now();
    for (let i = 0; i < n; i++) await client.getAccessToken({ audience: `https://refresh.example/${i}` }, key(i));
    const ms = performance.now() - t0;
    sessions.clear();
    return Response.json({ ms, n });
  },
};
